//! What a case expects to observe: what each origin received and what the caller got, the
//! matchers in them read with the paths their errors name, and whether an expectation asks
//! anything an observation could break ([`CanFail`]).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::expect::Matcher;

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
            native,
        } = self;
        settled.is_some()
            || value.is_some()
            || callbacks.is_some()
            || !callback_args.is_empty()
            || elapsed_ms.is_some()
            || trace.is_some()
            || task_methods.is_some()
            || native.is_some()
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
    /// What Taro's layer passed to the platform's native request API, as a matcher
    /// (`{method: POST, data: {$type: arraybuffer}}`); only cases that require `native-call`
    /// may ask it.
    #[serde(default, deserialize_with = "at::native")]
    #[schemars(with = "Option<Value>")]
    pub native: Option<Matcher>,
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

    pub fn native<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Matcher>, D::Error> {
        de::optional_at(d, "expect.client.native")
    }
}
