//! Running cases again: the cases the gate found something about, retried until it accepts
//! them (flaky) or the tries run out; and the cases whose repeated runs did not all end the same
//! way.

use std::collections::{BTreeMap, BTreeSet};

use super::gate::Finding;
use super::log::LogWriter;
use super::{Flaky, Judgement, Run, RunReport};
use crate::error::{Error, FileError};
use crate::outcome::CaseResult;
use crate::spec::{LoadedCase, Suite};
use crate::verdict::Status;

impl Run {
    /// Runs again, up to `times` times, the cases the gate found something about in `report`
    /// (a stale entry has no case to run). A case whose new result the gate accepts is flaky:
    /// that result replaces the first (and is appended to the log, where a case's last line is
    /// its result), and the report lists it. A case that stays unexpected keeps its first result.
    pub async fn retry_unexpected(
        &self,
        suite: &Suite,
        mut report: RunReport,
        times: usize,
    ) -> Result<RunReport, Error> {
        let baseline = self.baseline.load(&report.adapter.name)?;
        let retry = Run {
            log: None,
            ..self.clone()
        };
        for attempt in 2..=times + 1 {
            let unexpected: BTreeSet<&str> =
                report.judgement.findings.iter().map(Finding::id).collect();
            let cases: Vec<LoadedCase> = suite
                .cases
                .iter()
                .filter(|c| unexpected.contains(c.case.id.as_str()))
                .cloned()
                .collect();
            if cases.is_empty() {
                break;
            }
            let again = retry.execute(suite, &cases, |_| {}).await?;
            let mut accepted = Vec::new();
            for result in again.results {
                let alone = Judgement::new(std::slice::from_ref(&result), baseline.clone(), suite);
                if alone.about(&result.id).next().is_none() {
                    accepted.push(result);
                }
            }
            for result in accepted {
                if let Some(slot) = report.results.iter_mut().find(|r| r.id == result.id) {
                    let first = std::mem::replace(slot, result);
                    report.flaky.push(Flaky {
                        first,
                        accepted_on: attempt,
                    });
                }
            }
            report.judgement = Judgement::new(&report.results, baseline.clone(), suite);
        }
        if let Some(path) = &report.log
            && !report.flaky.is_empty()
        {
            let appended = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map(LogWriter::new)
                .and_then(|mut log| {
                    report
                        .flaky
                        .iter()
                        .filter_map(|f| report.results.iter().find(|r| r.id == f.first.id))
                        .try_for_each(|r| log.case(r))
                });
            if let Err(e) = appended {
                report
                    .log_error
                    .get_or_insert(FileError::unwritable(path, &e));
            }
        }
        Ok(report)
    }
}

/// A case whose repeated runs did not all end the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variation {
    /// The case.
    pub id: String,
    /// Each way it ended (status, fingerprint), with how many runs ended so, most first.
    pub outcomes: Vec<(Status, String, usize)>,
}

/// The cases whose status or fingerprint varied across `runs` (each a run's results).
///
/// ```
/// use taro_conformance::run::variations;
/// assert!(variations(&[vec![], vec![]]).is_empty());
/// ```
pub fn variations(runs: &[Vec<CaseResult>]) -> Vec<Variation> {
    let mut seen: BTreeMap<&str, BTreeMap<(Status, String), usize>> = BTreeMap::new();
    for run in runs {
        for result in run {
            *seen
                .entry(result.id.as_str())
                .or_default()
                .entry((result.status, result.fingerprint()))
                .or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, outcomes)| outcomes.len() > 1)
        .map(|(id, outcomes)| {
            let mut outcomes: Vec<(Status, String, usize)> = outcomes
                .into_iter()
                .map(|((status, fingerprint), n)| (status, fingerprint, n))
                .collect();
            outcomes.sort_by_key(|o| std::cmp::Reverse(o.2));
            Variation {
                id: id.to_string(),
                outcomes,
            }
        })
        .collect()
}
