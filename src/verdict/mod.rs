//! Judging: a case's expectations against its observation. Expected values are
//! [`crate::expect::Matcher`]s; the fields around them (counts, callbacks, times) are judged here.
//!
//! ```
//! use taro_conformance::verdict::Status;
//! assert_eq!(Status::NotApplicable.as_str(), "not-applicable");
//! assert!(Status::Pass.is_as_expected() && !Status::Crash.is_as_expected());
//! ```

mod reason;

pub use reason::reason as settled_reason;

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::expect::{Difference, Matcher};
use crate::observe::{Observation, WireRequest};
use crate::spec::{Case, ClientExpect, Level, WireExpect, WireRequestExpect};
use crate::value::brief;

/// The status of one case on one adapter.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every expectation held.
    Pass,
    /// At least one expectation did not hold (never for informational cases).
    Fail,
    /// The adapter lacks a capability the case requires.
    NotApplicable,
    /// Not run (filtered out, or the adapter chose to skip it).
    Skipped,
    /// The adapter said it could not run the case.
    Error,
    /// The adapter died while running the case.
    Crash,
    /// No answer by the case's deadline.
    Timeout,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 7] = [
        Status::Pass,
        Status::Fail,
        Status::NotApplicable,
        Status::Skipped,
        Status::Error,
        Status::Crash,
        Status::Timeout,
    ];

    /// The kebab-case name used in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotApplicable => "not-applicable",
            Status::Skipped => "skipped",
            Status::Error => "error",
            Status::Crash => "crash",
            Status::Timeout => "timeout",
        }
    }

    /// Whether a run with this status is in order without a baseline saying otherwise. A case
    /// an adapter skips needs a baseline entry like any other case that does not pass.
    pub fn is_as_expected(self) -> bool {
        matches!(self, Status::Pass | Status::NotApplicable)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Mismatch {
    /// Where in the observation (`wire.api.requests[0].query`).
    pub path: String,
    /// What was expected, in words.
    pub expected: String,
    /// What was observed.
    pub got: String,
    /// The clauses of the case this breaks.
    pub contract: Vec<String>,
    /// Why, in the observed value's own words, when the call threw or rejected where it should
    /// not have: what was thrown or rejected (`TypeError: Taro.request is not a function`,
    /// `errMsg "request:fail …"`). Shown beside the mismatch, never part of its fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = self
            .reason
            .as_ref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        write!(
            f,
            "expected {} at {}, got {}{reason} [{}]",
            self.expected,
            self.path,
            self.got,
            self.contract.join(", ")
        )
    }
}

impl Mismatch {
    /// What was observed, as far as it is stable from run to run: a time outside its window is
    /// the same failure whatever the exact figure.
    pub fn stable_got(&self) -> &str {
        if self.path == "client.elapsedMs" {
            "[elapsed]"
        } else {
            &self.got
        }
    }

    /// The mismatch as text, with [`Mismatch::stable_got`] in place of the observed value and
    /// without its reason (which may hold run-dependent words).
    pub fn stable_text(&self) -> String {
        Mismatch {
            got: self.stable_got().to_string(),
            reason: None,
            ..self.clone()
        }
        .to_string()
    }
}

/// The status a judged observation earns: informational cases never fail.
pub fn status_for(level: Level, mismatches: &[Mismatch]) -> Status {
    if mismatches.is_empty() || level == Level::Informational {
        Status::Pass
    } else {
        Status::Fail
    }
}

/// Every way `observation` differs from what `case` expects.
pub fn judge(case: &Case, observation: &Observation) -> Vec<Mismatch> {
    let mut differences = Vec::new();
    for (origin, expect) in &case.expect.wire {
        let path = format!("wire.{origin}");
        let traffic = observation.wire.get(origin);
        let requests = traffic.map(|t| t.requests.as_slice()).unwrap_or_default();
        judge_wire(expect, requests, &path, &mut differences);
    }
    if let Some(client) = &case.expect.client {
        judge_client(client, observation, &mut differences);
    }
    differences
        .into_iter()
        .map(|d| Mismatch {
            reason: if d.path == "client.settled" {
                reason::reason(&observation.client)
            } else if d.path.starts_with("client.native") {
                reason::native(&observation.client)
            } else {
                None
            },
            path: d.path,
            expected: d.expected,
            got: d.got,
            contract: case.contract.clone(),
        })
        .collect()
}

fn judge_wire(
    expect: &WireExpect,
    requests: &[WireRequest],
    path: &str,
    out: &mut Vec<Difference>,
) {
    if let Some(count) = expect.count
        && count != requests.len()
    {
        out.push(Difference {
            path: format!("{path}.count"),
            expected: format!("{count} request(s)"),
            got: requests.len().to_string(),
        });
    }
    if let Some(distinct) = expect.distinct_queries {
        let queries: Vec<Option<&str>> = requests.iter().map(|r| r.query.as_deref()).collect();
        let unique: std::collections::BTreeSet<_> = queries.iter().collect();
        let holds = if distinct {
            unique.len() == queries.len()
        } else {
            unique.len() <= 1
        };
        if !holds {
            out.push(Difference {
                path: format!("{path}.distinctQueries"),
                expected: if distinct {
                    "every query different"
                } else {
                    "every query the same"
                }
                .into(),
                got: brief(&serde_json::to_value(&queries).unwrap_or_default()),
            });
        }
    }
    for (i, want) in expect.requests.iter().enumerate() {
        let at = format!("{path}.requests[{i}]");
        match requests.get(i) {
            Some(got) => judge_request(want, got, &at, out),
            None => out.push(Difference {
                path: at,
                expected: "a request".into(),
                got: format!("only {} request(s)", requests.len()),
            }),
        }
    }
}

fn judge_request(
    want: &WireRequestExpect,
    got: &WireRequest,
    path: &str,
    out: &mut Vec<Difference>,
) {
    let text = |s: &str| Matcher::Scalar(Value::String(s.to_string()));
    if let Some(method) = &want.method {
        text(method).check(
            Some(&Value::String(got.method.clone())),
            &format!("{path}.method"),
            out,
        );
    }
    if let Some(p) = &want.path {
        text(p).check(
            Some(&Value::String(got.path.clone())),
            &format!("{path}.path"),
            out,
        );
    }
    if let Some(query) = &want.query {
        let observed = got.query.clone().map(Value::String);
        let at = format!("{path}.query");
        match (query, &observed) {
            (Matcher::Scalar(Value::Null), None) => {}
            (Matcher::Scalar(Value::Null), Some(sent)) => out.push(Difference {
                path: at,
                expected: "no `?` in the URL".into(),
                got: brief(sent),
            }),
            (Matcher::Scalar(Value::String(q)), _) => {
                text(&normalize_query(q)).check(observed.as_ref(), &at, out);
            }
            (matcher, _) => matcher.check(observed.as_ref(), &at, out),
        }
    }
    for (name, want_value) in &want.headers {
        let name = name.to_ascii_lowercase();
        let observed = got.headers.get(&name).cloned().map(Value::String);
        want_value.check(observed.as_ref(), &format!("{path}.headers.{name}"), out);
    }
    if let Some(body) = &want.body {
        body.check(Some(&got.body), &format!("{path}.body"), out);
    }
}

fn judge_client(want: &ClientExpect, observation: &Observation, out: &mut Vec<Difference>) {
    let client = &observation.client;
    if let Some(settled) = want.settled
        && settled != client.settled
    {
        out.push(Difference {
            path: "client.settled".into(),
            expected: settled.as_str().into(),
            got: client.settled.as_str().into(),
        });
    }
    if let Some(value) = &want.value {
        value.check(client.value.as_ref(), "client.value", out);
    }
    if let Some(names) = &want.callbacks {
        let got: Vec<&str> = client.callbacks.iter().map(|c| c.name.as_str()).collect();
        if got != names.iter().map(String::as_str).collect::<Vec<_>>() {
            out.push(Difference {
                path: "client.callbacks".into(),
                expected: format!("[{}]", names.join(", ")),
                got: format!("[{}]", got.join(", ")),
            });
        }
    }
    for (name, want_arg) in &want.callback_args {
        let path = format!("client.callbacks.{name}");
        let mut calls = client.callbacks.iter().filter(|c| &c.name == name);
        want_arg.check(calls.next().map(|c| &c.arg), &path, out);
        // A callback is called at most once; a second call's argument would go unjudged.
        let more = calls.count();
        if more > 0 {
            out.push(Difference {
                path,
                expected: "one call".into(),
                got: format!("{} calls", more + 1),
            });
        }
    }
    if let Some(trace) = &want.trace {
        let got = client.trace.as_ref().map(|t| Value::from(t.clone()));
        trace.check(got.as_ref(), "client.trace", out);
    }
    if let Some(methods) = &want.task_methods {
        let got = client.task_methods.as_ref().map(|m| Value::from(m.clone()));
        methods.check(got.as_ref(), "client.taskMethods", out);
    }
    if let Some(native) = &want.native {
        native.check(client.native.as_deref(), "client.native", out);
    }
    // An action the case takes is an app's call on the task: whatever it should do, it must not
    // throw at the app (judged under the case's own clauses, which say what the action should do).
    for error in &client.action_errors {
        out.push(Difference {
            path: "client.actions".into(),
            expected: format!(
                "no exception from {}() at {} ms",
                error.action, error.after_ms
            ),
            got: crate::value::brief(&error.threw),
        });
    }
    if let Some(window) = want.elapsed_ms {
        let e = client.elapsed_ms;
        if window.min.is_some_and(|min| e < min) || window.max.is_some_and(|max| e > max) {
            let bound = |b: Option<u64>| b.map(|v| v.to_string()).unwrap_or_else(|| "…".into());
            out.push(Difference {
                path: "client.elapsedMs".into(),
                expected: format!("between {} and {} ms", bound(window.min), bound(window.max)),
                got: format!("{e} ms"),
            });
        }
    }
}

/// The query as the URL standard normalizes it, so that equivalent spellings compare equal
/// (a client's URL parser turns `'` into `%27` in a query, for example).
///
/// ```
/// use taro_conformance::verdict::normalize_query;
/// assert_eq!(normalize_query("a='b'"), "a=%27b%27");
/// assert_eq!(normalize_query("a=%20"), "a=%20");
/// ```
pub fn normalize_query(query: &str) -> String {
    url::Url::parse(&format!("http://h/?{query}"))
        .ok()
        .and_then(|u| u.query().map(str::to_string))
        .unwrap_or_else(|| query.to_string())
}

#[cfg(test)]
mod tests;
