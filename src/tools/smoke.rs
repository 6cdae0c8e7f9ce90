//! Smoke: does an adapter speak the protocol? Start it, run three trivial cases, and report
//! whether each got a well-formed answer, and whether the requests of the cases that expect
//! some reached their origin — whether it conforms is the suite's business.

use std::fmt::Write;
use std::sync::Arc;

use crate::adapter::Adapter;
use crate::outcome::{CaseResult, Problem};
use crate::run::cases::{RunOptions, run_case};
use crate::spec::{Case, load_str};
use crate::verdict::Status;

/// The smoke cases: a GET answered with JSON, a POST with a JSON body, a refused connection.
const CASES: &str = r#"
cases:
  - id: smoke.get-json
    summary: a GET answered with JSON
    contract: [CALL-1]
    level: required
    origins: { api: { stubs: [{ response: { status: 200, jsonBody: { smoke: true } } }] } }
    call: { url: "{{origin.api}}/smoke" }
    expect: { wire: { api: { count: 1 } }, client: { settled: resolved } }
  - id: smoke.post-json
    summary: a POST of JSON data
    contract: [DATA-3]
    level: required
    origins: { api: { stubs: [{ response: { status: 201, body: made } }] } }
    call: { url: "{{origin.api}}/smoke", method: POST, data: { a: 1 } }
    expect: { wire: { api: { count: 1 } }, client: { settled: resolved } }
  - id: smoke.refused
    summary: a refused connection
    contract: [FAIL-1]
    level: required
    origins: { down: { refuseConnections: true } }
    call: { url: "{{origin.down}}/smoke", retryTimes: 0 }
    expect: { client: { settled: rejected } }
"#;

/// What smoke found.
pub struct SmokeReport {
    /// Whether every case got a well-formed answer (result, skipped or errored).
    pub speaks_protocol: bool,
    /// Whether every case that expects requests got at least one at each origin it expects
    /// them at: an adapter that answers without sending anything speaks the protocol, and
    /// tests nothing.
    pub reaches_origins: bool,
    /// A readable account.
    pub text: String,
}

impl SmokeReport {
    /// Whether the adapter passed smoke: it speaks the protocol and its requests arrive.
    pub fn passed(&self) -> bool {
        self.speaks_protocol && self.reaches_origins
    }
}

/// The origins at which `case` expects requests and that received none, by name (nothing when
/// the case has no observation: its answer says what went wrong instead).
fn unreached(case: &Case, result: &CaseResult) -> Vec<String> {
    let Some(observation) = &result.observation else {
        return Vec::new();
    };
    case.expect
        .wire
        .iter()
        .filter(|(_, want)| want.count.is_some_and(|n| n > 0) || !want.requests.is_empty())
        .filter(|(name, _)| observation.wire.get(*name).is_none_or(|t| t.count == 0))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Runs the smoke cases on a started adapter.
pub async fn check(adapter: Arc<dyn Adapter>) -> SmokeReport {
    let info = adapter.info().clone();
    let mut text = format!(
        "adapter `{}` {} ({}, {}) answered `start`; capabilities: {}\n",
        info.name,
        info.version,
        info.platform,
        info.runtime,
        info.capabilities
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for warning in adapter.warnings() {
        let _ = writeln!(text, "warning: {warning}");
    }
    let cases = load_str("smoke".as_ref(), CASES).expect("the smoke cases are valid");
    let mut speaks = true;
    let mut reaches = true;
    for loaded in cases {
        let adapter = adapter.clone();
        let case = loaded.case.clone();
        let result =
            tokio::spawn(
                async move { run_case(adapter.as_ref(), &case, &RunOptions::default()).await },
            )
            .await
            .expect("the case task ends");
        // A well-formed answer, whatever it says; conformance is not smoke's business.
        let broke_protocol = matches!(result.problem, Some(Problem::ProtocolViolation { .. }));
        let answered = !matches!(result.status, Status::Crash | Status::Timeout) && !broke_protocol;
        speaks &= answered;
        let unreached = unreached(&loaded.case, &result);
        reaches &= unreached.is_empty();
        let how = match &result.observation {
            Some(o) => format!(
                "{}, {} callback(s)",
                o.client.settled.as_str(),
                o.client.callbacks.len()
            ),
            None => result.detail().unwrap_or_default(),
        };
        let never_sent = unreached
            .iter()
            .map(|origin| {
                format!(
                    ": the request never reached the origin `{origin}`, which received nothing \
                     (the adapter answered without sending it)"
                )
            })
            .collect::<String>();
        let _ = writeln!(
            text,
            "  {} {:<18} {} ({how}){never_sent}",
            if answered && unreached.is_empty() {
                "ok  "
            } else {
                "FAIL"
            },
            result.id,
            result.status
        );
    }
    let _ = writeln!(
        text,
        "{}",
        match (speaks, reaches) {
            (true, true) => "speaks protocol v1: yes (conformance is what `run` measures)",
            (true, false) => "speaks protocol v1: yes",
            (false, _) => "speaks protocol v1: no",
        }
    );
    let _ = writeln!(
        text,
        "requests reach the origins: {}",
        if reaches {
            "yes"
        } else {
            "no: the adapter must send each request the case describes to the case's origin"
        }
    );
    SmokeReport {
        speaks_protocol: speaks,
        reaches_origins: reaches,
        text,
    }
}
