//! The regression gate: a run judged against the adapter's baseline.
//!
//! `reports/baselines/NAME.yaml` lists the cases known not to pass on adapter NAME, each with
//! its status, a reason a maintainer can act on, and a fingerprint of how it fails. The gate
//! fails on anything else: an unexpected failure, an unexpected pass, a listed case whose
//! status or fingerprint changed ("still failing, but differently"), and a listed id that no
//! case has any more.
//!
//! An entry may also say `intermittent: [pass, fail]`: the case is known to end either way (a
//! platform's own race, say), the gate accepts any status listed there, and the run reports the
//! case as intermittent instead of failing. When it ends with the entry's `status`, its
//! fingerprint must still match.
//!
//! ```
//! use taro_conformance::run::gate::{Baseline, Finding, judge};
//! let baseline = Baseline::parse("adapter: x\nexpected: []\n", "x.yaml".as_ref()).unwrap();
//! assert!(judge(&[], &baseline, &Default::default()).is_empty());
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::FileError;
use crate::outcome::CaseResult;
use crate::verdict::Status;

/// Where baselines live, relative to the repository root.
pub const BASELINES_DIR: &str = "reports/baselines";

/// The default baseline file of an adapter.
pub fn default_path(adapter: &str) -> PathBuf {
    Path::new(BASELINES_DIR).join(format!("{adapter}.yaml"))
}

/// The committed baseline (`reports/baselines/NAME.yaml`) of each adapter named that has one,
/// by name, each read once.
pub fn committed_baselines<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<std::collections::BTreeMap<String, Baseline>, FileError> {
    let mut baselines = std::collections::BTreeMap::new();
    for name in names {
        let path = default_path(name);
        if !baselines.contains_key(name) && path.is_file() {
            baselines.insert(name.to_string(), Baseline::load(&path)?);
        }
    }
    Ok(baselines)
}

/// The cases known not to pass on one adapter.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The adapter's name.
    pub adapter: String,
    /// One entry per case that does not pass.
    #[serde(default)]
    pub expected: Vec<Expected>,
}

/// A case known not to pass.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// The case id.
    pub id: String,
    /// Its expected status (`fail`, `error`, `crash`, `timeout`, `skipped`).
    pub status: Status,
    /// Why: what the implementation does instead, and where that comes from.
    pub reason: String,
    /// How it fails: 16 hex digits, stable from run to run while the behaviour is.
    pub fingerprint: String,
    /// What did not hold when the entry was written (ports and elapsed times left out), to show
    /// beside what does not hold now when the case fails differently.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<String>,
    /// The statuses the case is known to end with, run to run, when it is not deterministic on
    /// this adapter (empty: it always ends with `status`). Lists `status` and at least one other.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intermittent: Vec<Status>,
}

impl Expected {
    /// Whether the gate accepts `status` from this case without looking further: a listed
    /// intermittent status other than the entry's own (whose fingerprint is still checked).
    fn tolerates(&self, status: Status) -> bool {
        status != self.status && self.intermittent.contains(&status)
    }
}

impl Baseline {
    /// A baseline that lists nothing: every case must pass or not apply.
    pub fn empty(adapter: &str) -> Baseline {
        Baseline {
            adapter: adapter.to_string(),
            expected: Vec::new(),
        }
    }

    /// Reads a baseline file; errors name the file with line and column.
    pub fn load(path: &Path) -> Result<Baseline, FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
        Baseline::parse(&text, path)
    }

    /// Parses baseline text; errors name `path` with line and column.
    ///
    /// ```
    /// use taro_conformance::run::gate::Baseline;
    /// let text = "adapter: x\nexpected:\n- id: a.b\n  status: fail\n  reason: r\n  fingerprint: f\n  intermittent: [fail]\n";
    /// let error = Baseline::parse(text, "x.yaml".as_ref()).unwrap_err();
    /// assert!(error.to_string().contains("x.yaml:3"), "{error}");
    /// ```
    pub fn parse(text: &str, path: &Path) -> Result<Baseline, FileError> {
        let baseline: Baseline = crate::spec::parse_yaml(text, path)?;
        for entry in &baseline.expected {
            if let Some(problem) = intermittent_problem(entry) {
                let line = text
                    .lines()
                    .position(|l| l.trim_start_matches(['-', ' ']) == format!("id: {}", entry.id))
                    .map_or(1, |i| i as u64 + 1);
                return Err(
                    FileError::new(path, format!("`{}`: {problem}", entry.id)).at_line(line)
                );
            }
        }
        Ok(baseline)
    }

    /// The entries by id.
    pub fn by_id(&self) -> BTreeMap<&str, &Expected> {
        self.expected.iter().map(|e| (e.id.as_str(), e)).collect()
    }
}

/// What is wrong with an entry's `intermittent` list, if anything.
fn intermittent_problem(entry: &Expected) -> Option<String> {
    let list = &entry.intermittent;
    if list.is_empty() {
        return None;
    }
    let distinct: BTreeSet<Status> = list.iter().copied().collect();
    if distinct.len() != list.len() {
        return Some("`intermittent` lists a status twice".into());
    }
    if !list.contains(&entry.status) {
        return Some(format!(
            "`intermittent` must list the entry's own status `{}`",
            entry.status
        ));
    }
    if list.len() < 2 {
        return Some(
            "`intermittent` lists the statuses the case ends with run to run: two or more".into(),
        );
    }
    None
}

/// One way a run differs from its baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A case not in the baseline did not pass.
    UnexpectedFailure {
        /// The case.
        id: String,
        /// How it ended.
        status: Status,
    },
    /// A case in the baseline passes now: take it out.
    UnexpectedPass {
        /// The case.
        id: String,
    },
    /// A listed case ended with another status than listed.
    StatusChanged {
        /// The case.
        id: String,
        /// The status the baseline lists.
        expected: Status,
        /// The status it ended with.
        got: Status,
    },
    /// A listed case still fails, but differently.
    FailsDifferently {
        /// The case.
        id: String,
        /// The fingerprint the baseline lists.
        expected: String,
        /// The fingerprint now.
        got: String,
        /// What did not hold when the baseline was written (empty: not recorded).
        was: Vec<String>,
        /// What does not hold now.
        now: Vec<String>,
    },
    /// A listed id names no case of the suite.
    Stale {
        /// The id listed.
        id: String,
    },
}

impl Finding {
    /// The case id the finding is about.
    pub fn id(&self) -> &str {
        match self {
            Finding::UnexpectedFailure { id, .. }
            | Finding::UnexpectedPass { id }
            | Finding::StatusChanged { id, .. }
            | Finding::FailsDifferently { id, .. }
            | Finding::Stale { id } => id,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::UnexpectedFailure { id, status } => {
                write!(f, "unexpected {status}: {id} is not in the baseline")
            }
            Finding::UnexpectedPass { id } => {
                write!(
                    f,
                    "unexpected pass: {id} is in the baseline but passes now (remove it)"
                )
            }
            Finding::StatusChanged { id, expected, got } => {
                write!(f, "status changed: {id} was {expected}, is {got}")
            }
            Finding::FailsDifferently {
                id,
                expected,
                got,
                was,
                now,
            } => {
                write!(
                    f,
                    "still failing, but differently: {id} (fingerprint {expected} in the baseline, {got} now)"
                )?;
                if was.is_empty() {
                    write!(
                        f,
                        "\n      was: (not recorded in the baseline: `baseline update` records it)"
                    )?;
                }
                for line in was {
                    write!(f, "\n      was: {line}")?;
                }
                for line in now {
                    write!(f, "\n      now: {line}")?;
                }
                Ok(())
            }
            Finding::Stale { id } => write!(f, "stale entry: {id} names no case of the suite"),
        }
    }
}

/// Compares a run with a baseline. `suite_ids` are every case id of the suite (selected or
/// not), to tell a stale entry from one that was merely filtered out.
pub fn judge(
    results: &[CaseResult],
    baseline: &Baseline,
    suite_ids: &BTreeSet<String>,
) -> Vec<Finding> {
    let listed = baseline.by_id();
    let mut findings = Vec::new();
    let mut sorted: Vec<&CaseResult> = results.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for result in sorted {
        let id = result.id.clone();
        match listed.get(result.id.as_str()) {
            None if result.status.is_as_expected() => {}
            None => findings.push(Finding::UnexpectedFailure {
                id,
                status: result.status,
            }),
            Some(entry) if entry.tolerates(result.status) => {}
            Some(_) if result.status == Status::Pass => {
                findings.push(Finding::UnexpectedPass { id })
            }
            Some(entry) if entry.status != result.status => findings.push(Finding::StatusChanged {
                id,
                expected: entry.status,
                got: result.status,
            }),
            Some(entry) => {
                let got = result.fingerprint();
                if entry.fingerprint != got {
                    findings.push(Finding::FailsDifferently {
                        id,
                        expected: entry.fingerprint.clone(),
                        got,
                        was: entry.mismatches.clone(),
                        now: result.what_failed(),
                    });
                }
            }
        }
    }
    for entry in &baseline.expected {
        if !suite_ids.contains(&entry.id) {
            findings.push(Finding::Stale {
                id: entry.id.clone(),
            });
        }
    }
    findings
}

/// The cases of a run that the baseline lists as intermittent and that ended with one of their
/// listed statuses, by id, with the status they ended with: accepted, and worth saying so.
pub fn intermittent(results: &[CaseResult], baseline: &Baseline) -> BTreeMap<String, Status> {
    let listed = baseline.by_id();
    results
        .iter()
        .filter(|r| {
            listed
                .get(r.id.as_str())
                .is_some_and(|e| e.intermittent.contains(&r.status))
        })
        .map(|r| (r.id.clone(), r.status))
        .collect()
}

/// Rewrites the baseline file at `path` from a run, keeping the reasons already written there;
/// returns how many cases it lists.
pub fn update_file(path: &Path, adapter: &str, results: &[CaseResult]) -> Result<usize, FileError> {
    let old = path.is_file().then(|| Baseline::load(path)).transpose()?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| FileError::unwritable(dir, &e))?;
    }
    let baseline = updated_baseline(adapter, results, old.as_ref());
    std::fs::write(path, render(&baseline)).map_err(|e| FileError::unwritable(path, &e))?;
    Ok(baseline.expected.len())
}

/// The baseline a run calls for, as file text: every case that did not pass (not-applicable
/// cases are not listed), keeping the reasons of `old` and marking new entries for a reason. An
/// entry of `old` that is intermittent stays: as it was when the case passed, with this run's
/// status (added to its list) and fingerprint when it did not.
pub fn updated(adapter: &str, results: &[CaseResult], old: Option<&Baseline>) -> String {
    render(&updated_baseline(adapter, results, old))
}

fn updated_baseline(adapter: &str, results: &[CaseResult], old: Option<&Baseline>) -> Baseline {
    let old: BTreeMap<&str, &Expected> = old.map(Baseline::by_id).unwrap_or_default();
    let mut kept: Vec<&CaseResult> = results
        .iter()
        .filter(|r| {
            !r.status.is_as_expected()
                || old
                    .get(r.id.as_str())
                    .is_some_and(|e| e.intermittent.contains(&r.status))
        })
        .collect();
    kept.sort_by(|a, b| a.id.cmp(&b.id));
    let entry = |result: &CaseResult| {
        let previous = old.get(result.id.as_str());
        if let Some(previous) = previous.filter(|_| result.status.is_as_expected()) {
            return (*previous).clone();
        }
        let mut intermittent = previous.map(|e| e.intermittent.clone()).unwrap_or_default();
        if !intermittent.is_empty() && !intermittent.contains(&result.status) {
            intermittent.push(result.status);
        }
        Expected {
            id: result.id.clone(),
            status: result.status,
            reason: previous
                .map_or(
                    "TODO: say what the implementation does instead, and where that comes from",
                    |e| e.reason.as_str(),
                )
                .to_string(),
            fingerprint: result.fingerprint(),
            mismatches: result.what_failed(),
            intermittent,
        }
    };
    Baseline {
        adapter: adapter.to_string(),
        expected: kept.into_iter().map(entry).collect(),
    }
}

/// A baseline as file text, under a comment that says how the gate reads it.
fn render(baseline: &Baseline) -> String {
    let adapter = &baseline.adapter;
    let header = format!(
        "# Cases known not to pass on `{adapter}`, with why. The gate (`taro-conformance run`)\n\
         # fails on any other failure, on a listed case that passes or fails differently, and on a\n\
         # listed id that no case has. Rewrite with `taro-conformance baseline update --adapter {adapter}`;\n\
         # reasons are kept.\n"
    );
    header + &serde_saphyr::to_string(baseline).expect("a baseline serializes")
}

#[cfg(test)]
mod tests;
