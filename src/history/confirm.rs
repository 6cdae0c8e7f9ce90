//! Confirming changes: every case that changed between two consecutive releases runs again on
//! the releases measured just now, and a third run settles a disagreement (the case is marked
//! unstable there), so that a change the history reports is one that repeats.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::measure::run_release;
use super::{Event, History, Observed, Record, Results};
use crate::adapter::manifest::Manifest;
use crate::error::Error;
use crate::spec::{LoadedCase, Suite};

/// The adapter a record is of, as `--adapter` gave it (`given`) and as its manifest says.
pub(super) struct Subject<'a> {
    pub given: &'a str,
    pub manifest: &'a Manifest,
}

/// Runs again, on each release of `measured` (releases of `record` measured just now), every case
/// that changed between it and the release measured before or after it in `record`; settles a
/// disagreement by a third run, and writes `record` to `write_to` (if any) after each release
/// it settles.
pub(super) async fn confirm(
    suite: &Suite,
    subject: Subject<'_>,
    record: &mut Record,
    measured: &BTreeSet<String>,
    write_to: Option<&Path>,
    progress: &mut impl FnMut(Event<'_>),
) -> Result<(), Error> {
    let history = History::of(std::slice::from_ref(record));
    let mut to_check: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for change in &history.adapters[0].changes {
        for release in [&change.after, &change.release] {
            if measured.contains(release) {
                to_check
                    .entry(release.clone())
                    .or_default()
                    .insert(change.case.clone());
            }
        }
    }
    for (release, cases) in to_check {
        let Some(recorded) = record.results(&release).cloned() else {
            continue;
        };
        let cases: Vec<LoadedCase> = suite
            .cases
            .iter()
            .filter(|c| cases.contains(&c.case.id))
            .cloned()
            .collect();
        progress(Event::Confirming {
            adapter: &subject.manifest.name,
            release: &release,
            cases: cases.len(),
        });
        let again = |cases: Vec<LoadedCase>| {
            let (given, manifest) = (subject.given, subject.manifest);
            let release = &release;
            async move {
                run_release(given, manifest, release, suite, &cases, true, None)
                    .await
                    .map(|(results, _)| results)
            }
        };
        let second = again(cases.clone()).await?;
        let disagreeing: Vec<LoadedCase> = cases
            .iter()
            .filter(|c| disagrees(&recorded, &second, &c.case.id))
            .cloned()
            .collect();
        if disagreeing.is_empty() {
            continue;
        }
        let third = again(disagreeing.clone()).await?;
        let mut settled = recorded.clone();
        for case in &disagreeing {
            let id = &case.case.id;
            let runs = [recorded.get(id), second.get(id), third.get(id)];
            if let Some(observed) = majority(&runs) {
                settled.insert(id.clone(), observed);
            }
            progress(Event::Unstable {
                adapter: &subject.manifest.name,
                release: &release,
                case: id,
            });
        }
        let suite_of = record
            .suites()
            .get(release.as_str())
            .map(|s| s.to_string())
            .unwrap_or_else(|| suite.spec_hash.clone());
        record.measured(&release, &suite_of, settled);
        if let Some(path) = write_to {
            record.write(path)?;
        }
    }
    Ok(())
}

/// Whether a case's second run saw other than what the record holds of it (a run that did not
/// answer agrees with nothing).
fn disagrees(recorded: &Results, second: &Results, id: &str) -> bool {
    !second
        .get(id)
        .zip(recorded.get(id))
        .is_some_and(|(a, b)| a.same_as(b))
}

/// What two of a case's runs that disagreed saw (with no two alike, the first that answered),
/// marked unstable.
fn majority(runs: &[Option<&Observed>]) -> Option<Observed> {
    let runs: Vec<&Observed> = runs.iter().flatten().copied().collect();
    let mut observed = runs
        .iter()
        .find(|a| runs.iter().filter(|b| a.same_as(b)).count() >= 2)
        .or(runs.first())
        .map(|o| (*o).clone())?;
    observed.unstable = true;
    Some(observed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::record::seen;
    use crate::verdict::Status;

    #[test]
    fn a_second_run_disagrees_when_it_saw_another_status_or_fingerprint() {
        let recorded: Results = [
            ("a".into(), seen(Status::Fail, "1")),
            ("b".into(), seen(Status::Fail, "1")),
        ]
        .into();
        let mut other = seen(Status::Fail, "1");
        other.mismatches.clear();
        let second: Results = [("a".into(), other), ("b".into(), seen(Status::Fail, "2"))].into();
        assert!(!disagrees(&recorded, &second, "a"), "mismatch words aside");
        assert!(disagrees(&recorded, &second, "b"));
        assert!(
            disagrees(&recorded, &second, "c"),
            "a case neither run answered"
        );
        assert!(disagrees(&Results::new(), &second, "a"));
    }

    #[test]
    fn the_majority_of_three_runs_wins_and_is_marked_unstable() {
        let (one, two) = (seen(Status::Fail, "1"), seen(Status::Pass, "2"));
        let unstable = |o: &Observed| Observed {
            unstable: true,
            ..o.clone()
        };
        assert_eq!(
            majority(&[Some(&one), Some(&two), Some(&two)]),
            Some(unstable(&two))
        );
        assert_eq!(
            majority(&[Some(&two), Some(&one), Some(&two)]),
            Some(unstable(&two))
        );
        assert_eq!(
            majority(&[Some(&one), Some(&two), Some(&one)]),
            Some(unstable(&one))
        );
        // No two alike: the first that answered.
        let three = seen(Status::Timeout, "3");
        assert_eq!(
            majority(&[None, Some(&two), Some(&three)]),
            Some(unstable(&two))
        );
        assert_eq!(
            majority(&[Some(&three), Some(&two), Some(&one)]),
            Some(unstable(&three))
        );
        assert_eq!(majority(&[None, None, None]), None);
    }
}
