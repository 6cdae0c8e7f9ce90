//! The spec format: the Rust types that YAML spec files deserialize into.
//!
//! These types are the single source of truth for the format: the JSON Schema in
//! `specs/schema.json` is generated from them (see [`crate::spec::schema`]).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::expect::Matcher;
use crate::spec::capability::Capability;

/// One spec file: several cases about one behaviour area.
///
/// ```yaml
/// # yaml-language-server: $schema=../schema.json
/// cases:
///   - id: method.default-get
///     summary: Without `method`, the request is a GET
///     contract: [METHOD-1]
///     level: required
///     origins:
///       api:
///         stubs:
///           - request: { urlPath: /thing }
///             response: { status: 200, body: ok }
///     call: { url: "{{origin.api}}/thing" }
///     expect:
///       wire: { api: { count: 1, requests: [{ method: GET }] } }
/// ```
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// The cases of this file, run independently of each other.
    pub cases: Vec<Case>,
}

/// One conformance case: mock origins, one call of `Taro.request`, and what must be observed.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Case {
    /// Stable dotted identifier (`area.topic.detail`); never renumbered or reused.
    pub id: String,
    /// One line saying what the case checks.
    pub summary: String,
    /// Clause ids of `docs/contract.md` (listed in `specs/contract.yaml`) that this case checks.
    pub contract: Vec<String>,
    /// How binding the behaviour is; informational cases record and never fail.
    pub level: Level,
    /// Where the behaviour was seen in real use: https URLs of issues or pull requests (of
    /// Taro's tracker, say) that report it. They document the case; they change nothing it
    /// checks, and its level still comes from the contract.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// Capabilities the adapter must declare for the case to apply (`core` is implied).
    #[serde(default)]
    pub requires: Vec<Capability>,
    /// Mock origins by name; `{{origin.NAME}}` in the call becomes that origin's base URL.
    #[serde(default)]
    pub origins: BTreeMap<String, OriginSpec>,
    /// For browser adapters: where the page making the call lives, and its cookies.
    #[serde(default)]
    pub page: Option<PageSpec>,
    /// Interceptors added with `Taro.addInterceptor` before the call, outermost first.
    #[serde(default)]
    pub interceptors: Vec<Interceptor>,
    /// Call `Taro.cleanInterceptors()` after adding them, before the call.
    #[serde(default)]
    pub clean_interceptors: bool,
    /// The option object passed to `Taro.request` (or a url string, for the `Taro.request(url)`
    /// form). Values JSON cannot carry are tagged (`{$type: arraybuffer, base64: …}`); option
    /// functions are described as data (`dataCheck: {$type: function, returns: false}`).
    #[schemars(with = "CallForm")]
    pub call: Value,
    /// Calls made first, from the same page, one after another, each awaited: their traffic is
    /// recorded, their results are not judged (to fill the store before the call, say).
    #[serde(default)]
    #[schemars(with = "Vec<BTreeMap<String, Value>>")]
    pub before: Vec<Value>,
    /// Things done to the returned task while the call runs.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// How long the runner waits for the call to settle before judging it as it stands
    /// (default 5000 ms).
    #[serde(default)]
    pub deadline_ms: Option<u64>,
    /// What must be observed.
    pub expect: Expect,
}

impl Case {
    /// Every reply its stubs can give, on every origin.
    fn replies(&self) -> impl Iterator<Item = &StubResponse> {
        self.origins
            .values()
            .flat_map(|o| &o.stubs)
            .flat_map(|s| s.response.iter().chain(s.responses.iter().flatten()))
    }

    /// The longest delay its stubs hold a reply back (fixed delays and slow bodies), in ms.
    pub fn longest_delay_ms(&self) -> u64 {
        self.replies()
            .map(|r| {
                r.fixed_delay_milliseconds.unwrap_or(0)
                    + r.chunked_dribble_delay
                        .map(|d| d.total_duration)
                        .unwrap_or(0)
            })
            .max()
            .unwrap_or(0)
    }

    /// How many bytes its stubs generate at most in one reply (`generatedBody`): the cases
    /// that move megabytes, which cost an adapter far more CPU than the others.
    pub fn bulk_bytes(&self) -> usize {
        self.replies()
            .filter_map(|r| r.generated_body.as_ref().map(|g| g.length))
            .max()
            .unwrap_or(0)
    }

    /// How long it waits by design whatever the adapter: its stubs' delays, an abort's delay,
    /// or, when an origin never answers, its deadline (5 s unless it names one); never more
    /// than its deadline.
    ///
    /// ```
    /// let case = &taro_conformance::spec::load_str("x.yaml".as_ref(), "cases:\n- id: a.b\n  summary: s\n  contract: [CALL-1]\n  level: required\n  origins: { api: { stubs: [{ response: { status: 200, fixedDelayMilliseconds: 700 } }] } }\n  call: { url: \"{{origin.api}}/\" }\n  actions: [{ abort: { afterMs: 400 } }]\n  expect: { client: { settled: rejected } }\n").unwrap()[0].case;
    /// assert_eq!(case.deliberate_wait().as_millis(), 700);
    /// ```
    pub fn deliberate_wait(&self) -> std::time::Duration {
        let deadline = self.deadline_ms.unwrap_or(5000);
        let hangs = self
            .replies()
            .any(|r| matches!(r.fault, Some(Fault::NoResponse)));
        let aborts = self
            .actions
            .iter()
            .map(|Action::Abort { after_ms }| *after_ms)
            .max()
            .unwrap_or(0);
        let wait = if hangs { deadline } else { 0 }
            .max(self.longest_delay_ms())
            .max(aborts);
        std::time::Duration::from_millis(wait.min(deadline))
    }
}

/// The page a browser adapter makes the call from.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PageSpec {
    /// The origin (a name in `origins`) the page is loaded from: requests to it are
    /// same-origin, requests to any other origin cross-origin.
    pub origin: String,
    /// Cookies the browser holds before the call: origin name → cookie name → value.
    #[serde(default)]
    pub cookies: BTreeMap<String, BTreeMap<String, String>>,
}

/// An interceptor, described as data; the adapter builds the function.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub enum Interceptor {
    /// Sets these headers on the request, then returns `chain.proceed(params)`.
    SetHeader(BTreeMap<String, String>),
    /// Adds `NAME:in` to the trace, returns `chain.proceed(params)`, and adds `NAME:out` when
    /// that settles (the onion order shows in the trace).
    Record(String),
    /// Returns a promise derived from `chain.proceed(params)` (`.then(res => res)`) instead of
    /// that promise itself.
    Derive(bool),
}

/// The two shapes of a call, for the schema.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum CallForm {
    /// The option object.
    Options(BTreeMap<String, Value>),
    /// `Taro.request(url)`: success/fail/complete cannot be attached.
    Url(String),
}

/// How binding a case is (see the levels in `docs/contract.md`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The documentation states it.
    Required,
    /// The documentation defers to WeChat's `wx.request`, which does it.
    Recommended,
    /// The documentation is silent: recorded, never failed.
    Informational,
}

impl Level {
    /// Lower-case name as written in specs and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Required => "required",
            Level::Recommended => "recommended",
            Level::Informational => "informational",
        }
    }
}

/// One mock origin: an HTTP server on 127.0.0.1 with its own port.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OriginSpec {
    /// Stubs tried in order; the first whose `request` matches answers. A request that
    /// matches none gets a 404 with an empty body.
    #[serde(default)]
    pub stubs: Vec<Stub>,
    /// Nothing listens on this origin's port: every connection is refused.
    #[serde(default)]
    pub refuse_connections: bool,
}

/// A stub in WireMock's mapping vocabulary.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Stub {
    /// Which requests this stub answers (all of them when empty).
    #[serde(default)]
    pub request: StubRequest,
    /// The reply to every matching request.
    #[serde(default)]
    pub response: Option<StubResponse>,
    /// One reply per attempt, in order; the last repeats once the list runs out.
    #[serde(default)]
    pub responses: Option<Vec<StubResponse>>,
}

/// Request matchers of a stub; every one given must match.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StubRequest {
    /// HTTP method, exactly (`ANY` or absent matches every method).
    #[serde(default)]
    pub method: Option<String>,
    /// The path, exactly, without the query.
    #[serde(default)]
    pub url_path: Option<String>,
    /// A regular expression the whole path must match.
    #[serde(default)]
    pub url_path_pattern: Option<String>,
    /// Query parameters (decoded) and how each must match.
    #[serde(default)]
    pub query_parameters: BTreeMap<String, StringMatcher>,
    /// Request headers (case-insensitive names) and how each must match.
    #[serde(default)]
    pub headers: BTreeMap<String, StringMatcher>,
}

/// WireMock's string matchers; exactly one must be given.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StringMatcher {
    /// The value equals this.
    #[serde(default)]
    pub equal_to: Option<String>,
    /// The value contains this.
    #[serde(default)]
    pub contains: Option<String>,
    /// The value matches this regular expression (anchored at both ends).
    #[serde(default)]
    pub matches: Option<String>,
    /// `true`: the value must be present (any value); `false`: it must be absent.
    #[serde(default)]
    pub present: Option<bool>,
}

/// A stub's reply, or a network fault in its place.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StubResponse {
    /// HTTP status (default 200).
    #[serde(default)]
    pub status: Option<u16>,
    /// Response headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Body as text.
    #[serde(default)]
    pub body: Option<String>,
    /// Body as JSON (serialized compactly; `content-type: application/json` is added unless
    /// `headers` names one).
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub json_body: Option<Value>,
    /// Body as base64-encoded bytes.
    #[serde(default)]
    pub base64_body: Option<String>,
    /// A large body made of `pattern` repeated up to `length` bytes.
    #[serde(default)]
    pub generated_body: Option<GeneratedBody>,
    /// A JSONP reply: `NAME(<this value as JSON>)`, where NAME is the request's `callback`
    /// query parameter (`callback` when there is none); content-type `application/javascript`.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub jsonp_body: Option<Value>,
    /// Wait this long before replying.
    #[serde(default)]
    pub fixed_delay_milliseconds: Option<u64>,
    /// Send the body in this many chunks spread over this long (a slow body).
    #[serde(default)]
    pub chunked_dribble_delay: Option<ChunkedDribbleDelay>,
    /// Answer with a network fault instead of a reply.
    #[serde(default)]
    pub fault: Option<Fault>,
}

/// A body too large to write out: `pattern` repeated, cut at `length` bytes.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GeneratedBody {
    /// The text repeated (at least one byte).
    pub pattern: String,
    /// The body's length in bytes.
    pub length: usize,
}

/// WireMock's `chunkedDribbleDelay`: the body trickles out.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChunkedDribbleDelay {
    /// How many pieces the body is cut into.
    pub number_of_chunks: u32,
    /// How long, in ms, from the first piece to the last.
    pub total_duration: u64,
}

/// Network faults a stub can answer with (WireMock's names, plus our own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Fault {
    /// Read the request, then reset the connection (TCP RST).
    ConnectionResetByPeer,
    /// Read the request, then close the connection cleanly without a byte of reply.
    EmptyResponse,
    /// Reply with bytes that are not HTTP, then close.
    RandomDataThenClose,
    /// Send a status line and headers announcing a longer body than is sent, then close.
    TruncatedBody,
    /// Read the request and never answer, keeping the connection open.
    NoResponse,
}

/// Something done to the task returned by `Taro.request`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Action {
    /// Call `task.abort()` this many ms after the call.
    Abort {
        /// Delay from the call, in ms.
        after_ms: u64,
    },
}

/// What must be observed. Every field given is checked; absent fields are not.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Expect {
    /// What each origin received, by origin name.
    #[serde(default)]
    pub wire: BTreeMap<String, WireExpect>,
    /// What the caller got.
    #[serde(default)]
    pub client: Option<ClientExpect>,
}

/// Whether an expectation asks anything an observation could break (lint refuses required and
/// recommended cases that do not).
///
/// Each implementation destructures its struct, so a new field must be considered here.
///
/// ```
/// use taro_conformance::spec::{CanFail, ClientExpect, Expect};
/// assert!(!Expect::default().can_fail());
/// let client = ClientExpect { callbacks: Some(vec!["success".into()]), ..ClientExpect::default() };
/// assert!(Expect { client: Some(client), ..Expect::default() }.can_fail());
/// ```
pub trait CanFail {
    /// Whether any expectation is given that an observation could break.
    fn can_fail(&self) -> bool;
}

impl CanFail for Expect {
    fn can_fail(&self) -> bool {
        let Expect { wire, client } = self;
        wire.values().any(CanFail::can_fail) || client.as_ref().is_some_and(CanFail::can_fail)
    }
}

impl CanFail for WireExpect {
    fn can_fail(&self) -> bool {
        let WireExpect {
            count,
            requests,
            distinct_queries,
        } = self;
        count.is_some() || distinct_queries.is_some() || requests.iter().any(CanFail::can_fail)
    }
}

impl CanFail for WireRequestExpect {
    /// Always: the request itself must have arrived, whatever is asked of it.
    fn can_fail(&self) -> bool {
        let WireRequestExpect {
            method: _,
            path: _,
            query: _,
            headers: _,
            body: _,
        } = self;
        true
    }
}

impl CanFail for ClientExpect {
    /// A given matcher counts as able to fail, whatever it asks.
    fn can_fail(&self) -> bool {
        let ClientExpect {
            settled,
            value,
            callbacks,
            callback_args,
            elapsed_ms,
            trace,
            task_methods,
        } = self;
        settled.is_some()
            || value.is_some()
            || callbacks.is_some()
            || !callback_args.is_empty()
            || elapsed_ms.is_some()
            || trace.is_some()
            || task_methods.is_some()
    }
}

/// What one origin must have received.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WireExpect {
    /// How many requests arrived.
    #[serde(default)]
    pub count: Option<usize>,
    /// The requests, in arrival order; the i-th expectation checks the i-th request.
    #[serde(default)]
    pub requests: Vec<WireRequestExpect>,
    /// `true`: no two requests had the same query; `false`: all had the same one.
    #[serde(default)]
    pub distinct_queries: Option<bool>,
}

/// One request as the origin received it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WireRequestExpect {
    /// The method, exactly.
    #[serde(default)]
    pub method: Option<String>,
    /// The path without the query, exactly.
    #[serde(default)]
    pub path: Option<String>,
    /// The raw query after `?`, compared after the URL standard's normalization of both sides;
    /// `null` means the URL has no `?` at all. A matcher object is allowed too.
    #[serde(default, deserialize_with = "at::query")]
    #[schemars(with = "Option<Value>")]
    pub query: Option<Matcher>,
    /// Headers by lower-case name: a value (exact) or a matcher (`{$absent: true}` and others).
    #[serde(default, deserialize_with = "at::headers")]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub headers: BTreeMap<String, Matcher>,
    /// The body: a string (exact text), or `{$json: …}`, `{$base64: …}`, `{$form: {…}}`, or any
    /// matcher.
    #[serde(default, deserialize_with = "at::body")]
    #[schemars(with = "Option<Value>")]
    pub body: Option<Matcher>,
}

/// What the caller of `Taro.request` must have got.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClientExpect {
    /// How the returned promise settled.
    #[serde(default)]
    pub settled: Option<Settled>,
    /// The value it resolved or rejected with, as a matcher (objects match the keys given).
    #[serde(default, deserialize_with = "at::value")]
    #[schemars(with = "Option<Value>")]
    pub value: Option<Matcher>,
    /// The names of the callbacks called, in order (`success`, `fail`, `complete`).
    #[serde(default)]
    pub callbacks: Option<Vec<String>>,
    /// The argument of each callback by name, as matchers.
    #[serde(default, deserialize_with = "at::callback_args")]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub callback_args: BTreeMap<String, Matcher>,
    /// A window the elapsed time from call to settlement must fall in.
    #[serde(default)]
    pub elapsed_ms: Option<Window>,
    /// What the `record` interceptors wrote, in order (`["outer:in", "inner:in", …]`).
    #[serde(default, deserialize_with = "at::trace")]
    #[schemars(with = "Option<Value>")]
    pub trace: Option<Matcher>,
    /// The sorted names of the returned task's methods, as a matcher
    /// (`{$contains: abort}` checks one is there).
    #[serde(default, deserialize_with = "at::task_methods")]
    #[schemars(with = "Option<Value>")]
    pub task_methods: Option<Matcher>,
}

/// How the promise returned by `Taro.request` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Settled {
    /// It resolved.
    Resolved,
    /// It rejected.
    Rejected,
    /// The call threw synchronously instead of returning a task.
    Threw,
    /// It had not settled by the case's deadline.
    Pending,
}

impl Settled {
    /// Lower-case name as written in specs and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Settled::Resolved => "resolved",
            Settled::Rejected => "rejected",
            Settled::Threw => "threw",
            Settled::Pending => "pending",
        }
    }
}

/// An inclusive window in ms; either bound may be left open.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// At least this many ms.
    #[serde(default)]
    pub min: Option<u64>,
    /// At most this many ms.
    #[serde(default)]
    pub max: Option<u64>,
}

/// The matcher fields, each read with the path its errors name. A request's fields cannot know
/// their origin and index, so their paths start at the request (`headers.x-token`); the loader
/// adds the line.
mod at {
    use std::collections::BTreeMap;

    use serde::Deserializer;

    use crate::expect::{Matcher, de};

    /// Keeps an explicit `null` distinct from an absent key (`query: null` means "no `?`").
    pub fn query<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Matcher>, D::Error> {
        de::at(d, "query").map(Some)
    }

    pub fn headers<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Matcher>, D::Error> {
        de::map_at(d, "headers")
    }

    pub fn body<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Matcher>, D::Error> {
        de::optional_at(d, "body")
    }

    pub fn value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Matcher>, D::Error> {
        de::optional_at(d, "expect.client.value")
    }

    pub fn callback_args<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Matcher>, D::Error> {
        de::map_at(d, "expect.client.callbackArgs")
    }

    pub fn trace<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Matcher>, D::Error> {
        de::optional_at(d, "expect.client.trace")
    }

    pub fn task_methods<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Matcher>, D::Error> {
        de::optional_at(d, "expect.client.taskMethods")
    }
}
