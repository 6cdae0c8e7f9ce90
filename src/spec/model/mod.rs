//! The spec format: the Rust types that YAML spec files deserialize into.
//!
//! These types are the single source of truth for the format: the JSON Schema in
//! `specs/schema.json` is generated from them (see [`crate::spec::schema`]).
//!
//! This module holds a spec file and its cases (the call, the page, the interceptors, the
//! actions and the level); [`origin`] the mock origins and their stubs; [`expectation`] what
//! must be observed.

mod case_ref;
mod expectation;
mod origin;

pub use case_ref::*;
pub use expectation::*;
pub use origin::*;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    /// Where the behaviour was seen in real use: issues or pull requests (of Taro's tracker,
    /// say) that report it, each `{url, checks}` with one line saying which part of the report
    /// the case observes (a bare https URL is allowed on informational cases only). They
    /// document the case; they change nothing it checks, and its level still comes from the
    /// contract.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<CaseRef>,
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
    /// Interceptors added after the `before` calls, just before the call, outermost first:
    /// inside the earlier ones, as an app adds one once it has made calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub later_interceptors: Vec<Interceptor>,
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
    /// The token-refresh pattern: returns `chain.proceed(params)`, unless that resolves with
    /// `onStatus`; then sets `setHeader` on the same `params` object and returns
    /// `chain.proceed(params)` again.
    ProceedAgain(ProceedAgain),
}

/// What a `proceedAgain` interceptor waits for and changes before it proceeds again.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProceedAgain {
    /// The status of the first result that makes it proceed again (a 401, say).
    pub on_status: u16,
    /// Headers set on the request parameters before proceeding again (a fresh token).
    #[serde(default)]
    pub set_header: BTreeMap<String, String>,
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
