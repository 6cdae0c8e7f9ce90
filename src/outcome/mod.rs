//! What a case produced: its [`CaseResult`] (status, observation, mismatches), the
//! [`Problem`] that kept it from being judged, and the fingerprint of how it fails. Every
//! report reads these; none needs the runner that made them.
//!
//! ```
//! use taro_conformance::outcome::Problem;
//! let p = Problem::TimedOut { deadline_ms: 5000, grace_ms: 3000 };
//! assert_eq!(p.to_string(), "no answer within 8000 ms (deadline 5000 ms + grace 3000 ms)");
//! ```

mod redact;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::adapter::Violation;
use crate::observe::Observation;
use crate::spec::capability::Capability;
use crate::spec::{Case, Level};
use crate::value::sha256_hex;
use crate::verdict::{Mismatch, Status};

pub use redact::redact;

/// The result of one case, as the run log records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// The verdict.
    pub status: Status,
    /// The case's level.
    pub level: Level,
    /// The clauses it checks.
    pub contract: Vec<String>,
    /// Wall time of the whole case (origins, call, judging), in ms.
    pub elapsed_ms: u64,
    /// Each origin's base URL in this run, by name (ports differ from run to run).
    #[serde(default)]
    pub origins: BTreeMap<String, String>,
    /// What was observed, when the adapter ran the call.
    pub observation: Option<Observation>,
    /// Expectations that did not hold (kept for informational cases too, which still pass).
    pub mismatches: Vec<Mismatch>,
    /// Why the case did not run or was not judged (error, crash, timeout, not applicable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
    /// What the adapter wrote to stderr while it ran this case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
}

impl CaseResult {
    /// A result with nothing observed yet: `error` until the case says otherwise.
    pub(crate) fn new(case: &Case) -> CaseResult {
        CaseResult {
            id: case.id.clone(),
            status: Status::Error,
            level: case.level,
            contract: case.contract.clone(),
            elapsed_ms: 0,
            origins: BTreeMap::new(),
            observation: None,
            mismatches: Vec::new(),
            problem: None,
            stderr: None,
        }
    }

    /// What did not hold in a case, as text stable from run to run (elapsed times and ports left
    /// out), or, for a case not judged, why.
    pub fn what_failed(&self) -> Vec<String> {
        let result = self;
        let mut lines: Vec<String> = result
            .mismatches
            .iter()
            .map(|m| redact_text(&m.stable_text(), &result.origins))
            .collect();
        if let Some(detail) = result
            .detail()
            .filter(|_| result.status != Status::NotApplicable)
        {
            lines.push(redact_text(
                detail.lines().next().unwrap_or_default(),
                &result.origins,
            ));
        }
        lines
    }

    /// How a case fails, in 16 hex digits: its status, how it settled, and each mismatch's path and
    /// observed value (elapsed times excepted), with ports, dates and JSONP names redacted. Stable from
    /// run to run while the behaviour is.
    pub fn fingerprint(&self) -> String {
        let result = self;
        let mismatches: Vec<serde_json::Value> = result
            .mismatches
            .iter()
            .map(|m| serde_json::json!([m.path, m.stable_got()]))
            .collect();
        let settled = result
            .observation
            .as_ref()
            .map(|o| o.client.settled.as_str());
        let shape = serde_json::json!({
            "status": result.status,
            "settled": settled,
            "mismatches": mismatches,
        });
        let text = redact(&shape, &result.origins).to_string();
        sha256_hex(text.as_bytes())[..16].to_string()
    }

    /// Why the case did not pass, in a few words that several cases can share: the reason of a
    /// mismatch of how the call settled (`got threw (TypeError: …)`); for a case that does not
    /// expect how the call settles, why it threw or rejected, in the same words (a case that
    /// only looks at the wire fails for the same throw); or the first line of its problem. None
    /// when it has no mismatch and no problem, or nothing says why.
    pub fn cause(&self) -> Option<String> {
        // Only how the call settled: a native call's reason is that case's own.
        let settled = |m: &&Mismatch| m.path == "client.settled" && m.reason.is_some();
        if let Some(m) = self.mismatches.iter().find(settled) {
            return Some(format!(
                "got {} ({})",
                m.got,
                m.reason.as_deref().unwrap_or_default()
            ));
        }
        let observed = self.observation.as_ref().map(|o| &o.client);
        if let Some(client) = observed.filter(|_| !self.mismatches.is_empty())
            && let Some(reason) = crate::verdict::settled_reason(client)
        {
            return Some(format!("got {} ({reason})", client.settled.as_str()));
        }
        let detail = self.detail()?;
        Some(detail.lines().next().unwrap_or_default().to_string())
    }

    /// [`CaseResult::problem`] in words.
    pub fn detail(&self) -> Option<String> {
        self.problem.as_ref().map(ToString::to_string)
    }
}

/// Why a case has no judged observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Problem {
    /// The adapter lacks capabilities the case requires.
    NotApplicable {
        /// The capabilities it lacks.
        lacks: Vec<Capability>,
    },
    /// The adapter chose not to run the case.
    Skipped {
        /// Its reason.
        reason: String,
    },
    /// The case's mock origins could not start.
    OriginsFailed {
        /// Why.
        message: String,
    },
    /// The adapter said it could not run the case.
    Errored {
        /// What it said.
        message: String,
    },
    /// The adapter broke the protocol while running the case.
    ProtocolViolation {
        /// How.
        violation: Violation,
    },
    /// The adapter died while running the case.
    Crashed {
        /// What it left behind.
        output: String,
    },
    /// No answer by the deadline plus the grace period.
    TimedOut {
        /// The case's deadline.
        deadline_ms: u64,
        /// The grace period after it.
        grace_ms: u64,
    },
    /// The harness itself failed on the case (a panic in its task).
    HarnessFailed {
        /// What failed.
        message: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NotApplicable { lacks } => {
                let names: Vec<&str> = lacks.iter().map(|c| c.as_str()).collect();
                write!(f, "the adapter lacks {}", names.join(", "))
            }
            Problem::Skipped { reason } => f.write_str(reason),
            Problem::OriginsFailed { message } => {
                write!(f, "cannot start the mock origins: {message}")
            }
            Problem::Errored { message } => f.write_str(message),
            Problem::ProtocolViolation { violation } => {
                write!(f, "protocol violation: {violation}")
            }
            Problem::Crashed { output } => f.write_str(output),
            Problem::TimedOut {
                deadline_ms,
                grace_ms,
            } => write!(
                f,
                "no answer within {} ms (deadline {deadline_ms} ms + grace {grace_ms} ms)",
                deadline_ms + grace_ms
            ),
            Problem::HarnessFailed { message } => {
                write!(f, "the harness failed on this case: {message}")
            }
        }
    }
}

/// A text with this run's origins (their ports) redacted.
fn redact_text(text: &str, origins: &BTreeMap<String, String>) -> String {
    match redact(&serde_json::Value::String(text.to_string()), origins) {
        serde_json::Value::String(redacted) => redacted,
        _ => text.to_string(),
    }
}

/// The causes that several of `results` share ([`CaseResult::cause`]), most shared first, each
/// with the ids of its cases: one broken default can fail fifty cases for one reason.
pub fn shared_causes<'a>(
    results: impl IntoIterator<Item = &'a CaseResult>,
) -> Vec<(String, Vec<String>)> {
    let mut by_cause: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for result in results {
        if let Some(cause) = result.cause() {
            by_cause.entry(cause).or_default().push(result.id.clone());
        }
    }
    let mut shared: Vec<(String, Vec<String>)> = by_cause
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(cause, mut ids)| {
            ids.sort();
            (cause, ids)
        })
        .collect();
    shared.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failed case whose call threw, with `mismatches` (as the run log writes them).
    fn threw(mismatches: serde_json::Value) -> CaseResult {
        serde_json::from_value(serde_json::json!({
            "id": "a.case", "status": "fail", "level": "required", "contract": [],
            "elapsed_ms": 1, "origins": {},
            "observation": {"wire": {}, "client": {"settled": "threw", "elapsed_ms": 0,
                "value": {"$type": "error", "name": "TypeError", "message": "x is undefined"}}},
            "mismatches": mismatches,
        }))
        .unwrap()
    }

    #[test]
    fn a_call_that_threw_is_the_cause_whatever_the_case_expected_of_it() {
        let settled = threw(
            serde_json::json!([{"path": "client.settled", "expected": "resolved",
            "got": "threw", "contract": [], "reason": "TypeError: x is undefined"}]),
        );
        let unsent = threw(
            serde_json::json!([{"path": "wire.api.count", "expected": "1",
            "got": "0", "contract": []}]),
        );
        assert_eq!(settled.cause(), unsent.cause());
        assert_eq!(
            unsent.cause().as_deref(),
            Some("got threw (TypeError: x is undefined)")
        );
        assert_eq!(threw(serde_json::json!([])).cause(), None, "it passed");
    }
}
