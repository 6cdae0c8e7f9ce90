//! A run's results judged against its baseline: the gate's findings, the baseline's reasons,
//! and the cases it accepted as intermittent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::gate::{self, Baseline, Finding};
use crate::outcome::CaseResult;
use crate::spec::Suite;
use crate::verdict::Status;

/// A run's results judged against a baseline (or against none).
#[derive(Debug, Clone)]
pub struct Judgement {
    /// The baseline file, when there was one.
    pub baseline: Option<PathBuf>,
    /// How many cases it lists.
    pub listed: usize,
    /// The reason it gives for each case it lists, by id.
    pub reasons: BTreeMap<String, String>,
    /// Every way the run differs from it; none means the gate passes.
    pub findings: Vec<Finding>,
    /// The cases it lists as intermittent that ended with a status it allows, with that status:
    /// accepted either way, and reported.
    pub intermittent: BTreeMap<String, Status>,
}

impl Judgement {
    /// Judges results against a baseline: the one gate of every run. `suite` gives every case
    /// id (selected or not), to tell a stale entry from one that was merely filtered out.
    pub fn new(
        results: &[CaseResult],
        baseline: Option<(PathBuf, Baseline)>,
        suite: &Suite,
    ) -> Judgement {
        let ids: BTreeSet<String> = suite.cases.iter().map(|c| c.case.id.clone()).collect();
        let (path, baseline) = match baseline {
            Some((path, baseline)) => (Some(path), baseline),
            None => (None, Baseline::empty("")),
        };
        Judgement {
            baseline: path,
            listed: baseline.expected.len(),
            reasons: baseline
                .expected
                .iter()
                .map(|e| (e.id.clone(), e.reason.clone()))
                .collect(),
            findings: gate::judge(results, &baseline, &ids),
            intermittent: gate::intermittent(results, &baseline),
        }
    }

    /// Whether the gate passes: nothing differs from the baseline.
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }

    /// What the gate says of a case it accepted as intermittent, if it is one.
    pub fn intermittent_note(&self, id: &str) -> Option<String> {
        let status = self.intermittent.get(id)?;
        let reason = self.reasons.get(id).map_or("", String::as_str);
        Some(format!(
            "intermittent: {id} ended {status} this time, which the baseline allows: {reason}"
        ))
    }

    /// What the gate says of each case it accepted as intermittent, by id.
    pub fn intermittent_notes(&self) -> Vec<String> {
        self.intermittent
            .keys()
            .filter_map(|id| self.intermittent_note(id))
            .collect()
    }

    /// The findings about one case.
    pub fn about<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Suite, load_str};

    fn suite(ids: &[&str]) -> Suite {
        let cases: String = ids
            .iter()
            .map(|id| {
                format!(
                    "  - id: {id}\n    summary: s\n    contract: [A-1]\n    level: required\n    call: {{ url: \"http://127.0.0.1:9/\" }}\n    expect: {{ client: {{ settled: rejected }} }}\n"
                )
            })
            .collect();
        Suite {
            cases: load_str("s.yaml".as_ref(), &format!("cases:\n{cases}")).unwrap(),
            ..Suite::default()
        }
    }

    fn result(id: &str, status: Status) -> CaseResult {
        serde_json::from_value(
            serde_json::json!({"id": id, "status": status, "level": "required",
            "contract": [], "elapsed_ms": 1, "observation": null, "mismatches": []}),
        )
        .unwrap()
    }

    #[test]
    fn a_judgement_passes_when_nothing_differs_and_says_what_it_accepted() {
        let text = "adapter: a\nexpected:\n- id: a.flaky\n  status: timeout\n  reason: its own race\n  fingerprint: f\n  intermittent: [timeout, pass]\n- id: b.broken\n  status: crash\n  reason: r\n  fingerprint: f\n";
        let baseline = Baseline::parse(text, "a.yaml".as_ref()).unwrap();
        let suite = suite(&["a.flaky", "b.broken", "c.new"]);
        let results = [
            result("a.flaky", Status::Pass),
            result("b.broken", Status::Pass),
            result("c.new", Status::Error),
        ];
        let judged = Judgement::new(&results, Some(("a.yaml".into(), baseline)), &suite);
        assert_eq!(judged.baseline, Some(PathBuf::from("a.yaml")));
        assert_eq!(judged.listed, 2);
        assert_eq!(judged.reasons["a.flaky"], "its own race");
        assert!(!judged.passed());
        let about: Vec<String> = judged.about("b.broken").map(ToString::to_string).collect();
        assert_eq!(
            about,
            ["unexpected pass: b.broken is in the baseline but passes now (remove it)"]
        );
        assert_eq!(judged.about("a.flaky").count(), 0);
        assert_eq!(
            judged.intermittent_notes(),
            ["intermittent: a.flaky ended pass this time, which the baseline allows: its own race"]
        );
        assert_eq!(judged.intermittent_note("b.broken"), None);
        let clean = Judgement::new(&results[..1], None, &suite);
        assert!(clean.passed());
        assert_eq!((&clean.baseline, clean.listed), (&None, 0));
        assert!(clean.intermittent_notes().is_empty());
    }
}
