//! The history computed from the records: each adapter's releases measured and the
//! [`Change`]s between consecutive ones (what a case did before and after, and over which
//! releases), with the notes (`reports/history/notes.yaml`) that document a change attached.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::record::{NotRun, Observed, Record, Results};
use crate::error::FileError;
use crate::spec::{Level, Suite};

/// One side of a change: what a case did, and over which releases in a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// The first release of the run.
    pub from: String,
    /// The last.
    pub to: String,
    /// What it did.
    #[serde(flatten)]
    pub observed: Observed,
}

/// A release where a case's behaviour changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The case.
    pub case: String,
    /// The first release that behaves the new way.
    pub release: String,
    /// The measured release just before it.
    pub after: String,
    /// What it did before, and since which release.
    pub was: Side,
    /// What it does from `release` on, and until which release.
    pub now: Side,
    /// The documented reason for the change, where one is known (`reports/history/notes.yaml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documented: Option<Documented>,
}

/// A changelog entry or pull request that explains a change, or, when none was found, what the
/// published packages' diff between the two releases shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Documented {
    /// What it says, in one line.
    pub why: String,
    /// Where it says so (none: no pull request was found, and `why` says what the diff shows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// One entry of `reports/history/notes.yaml`: the documented reason for a change in one
/// adapter's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The adapter whose history shows the change.
    pub adapter: String,
    /// The case.
    pub case: String,
    /// The release where it changed.
    pub release: String,
    /// What the changelog or pull request says, in one line; without `link`, what the
    /// published packages' diff shows (why the change happened when no pull request was found).
    pub why: String,
    /// Where; left out when no pull request or changelog entry was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The notes file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    /// Every note.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// Where the notes live, relative to the repository root.
pub const NOTES_FILE: &str = "reports/history/notes.yaml";

/// Reads the notes under `root` (none when the file does not exist).
pub fn read_notes(root: &Path) -> Result<Vec<Note>, FileError> {
    let path = root.join(NOTES_FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    Ok(crate::spec::read_yaml::<Notes>(&path)?.notes)
}

impl Change {
    /// Whether either side is known to be unstable.
    pub fn unstable(&self) -> bool {
        self.was.observed.unstable || self.now.observed.unstable
    }
}

/// One adapter's part of the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdapterHistory {
    /// The adapter.
    pub adapter: String,
    /// The package.
    pub package: String,
    /// What ran the bundle.
    pub runtime: String,
    /// The releases measured, in version order.
    pub measured: Vec<String>,
    /// The releases that could not run.
    pub not_run: Vec<NotRun>,
    /// Every change between consecutive measured releases, by release then case.
    pub changes: Vec<Change>,
    /// What each measured release did, in version order (the picture in `history.html` shows
    /// every release, not only the changes).
    #[serde(skip)]
    pub releases: Vec<(String, Results)>,
}

/// The history of every adapter recorded: what `reports/history.md` and `history.json` say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// Per adapter, in the order given.
    pub adapters: Vec<AdapterHistory>,
    /// Each case's level, as the suite says (the digest ranks changes by it); a case the suite
    /// no longer has is missing.
    #[serde(skip)]
    pub levels: BTreeMap<String, Level>,
}

impl History {
    /// The history the records say.
    pub fn of(records: &[Record]) -> History {
        History {
            adapters: records.iter().map(adapter_history).collect(),
            levels: BTreeMap::new(),
        }
    }

    /// The history with each case's level from `suite`.
    pub fn with_levels(mut self, suite: &Suite) -> History {
        self.levels = suite
            .cases
            .iter()
            .map(|c| (c.case.id.clone(), c.case.level))
            .collect();
        self
    }

    /// The history with each note attached to the change it explains; returns the notes that
    /// match no change too (a case renamed, a release measured again).
    pub fn with_notes(mut self, notes: &[Note]) -> (History, Vec<Note>) {
        let mut unmatched = Vec::new();
        for note in notes {
            let change = self
                .adapters
                .iter_mut()
                .filter(|a| a.adapter == note.adapter)
                .flat_map(|a| a.changes.iter_mut())
                .find(|c| c.case == note.case && c.release == note.release);
            match change {
                Some(change) => {
                    change.documented = Some(Documented {
                        why: note.why.clone(),
                        link: note.link.clone(),
                    })
                }
                None => unmatched.push(note.clone()),
            }
        }
        (self, unmatched)
    }

    /// The JSON form (`history.json`).
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a history serializes") + "\n"
    }
}

fn adapter_history(record: &Record) -> AdapterHistory {
    let releases = record.releases();
    let mut changes = Vec::new();
    for pair in releases.windows(2) {
        let ((before, old), (release, new)) = (pair[0], pair[1]);
        for (case, now) in new {
            let Some(was) = old.get(case) else { continue };
            if was.same_as(now) {
                continue;
            }
            let span = |at: &str, forward: bool| -> String {
                // The releases in a row, from `at` on (or back), where the case did the same.
                let index = releases
                    .iter()
                    .position(|(r, _)| *r == at)
                    .expect("measured");
                let same = |results: &Results| {
                    results
                        .get(case)
                        .zip(releases[index].1.get(case))
                        .is_some_and(|(a, b)| a.same_as(b))
                };
                let mut end = index;
                if forward {
                    while end + 1 < releases.len() && same(releases[end + 1].1) {
                        end += 1;
                    }
                } else {
                    while end > 0 && same(releases[end - 1].1) {
                        end -= 1;
                    }
                }
                releases[end].0.to_string()
            };
            changes.push(Change {
                case: case.clone(),
                release: release.to_string(),
                after: before.to_string(),
                was: Side {
                    from: span(before, false),
                    to: before.to_string(),
                    observed: was.clone(),
                },
                now: Side {
                    from: release.to_string(),
                    to: span(release, true),
                    observed: now.clone(),
                },
                documented: None,
            });
        }
    }
    AdapterHistory {
        adapter: record.adapter.clone(),
        package: record.package.clone(),
        runtime: record.runtime.clone(),
        measured: releases.iter().map(|(r, _)| r.to_string()).collect(),
        not_run: record.not_run.clone(),
        changes,
        releases: releases
            .iter()
            .map(|(r, results)| (r.to_string(), (*results).clone()))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
