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
