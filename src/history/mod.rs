//! The behaviour history: how every stable release of a Taro package did on the suite, and
//! the releases where a case's behaviour changed.
//!
//! Each adapter's measurements are kept in `reports/history/ADAPTER.json` (a [`Record`]:
//! every release's results, consecutive releases that behave the same stored once); the
//! history itself ([`History`]: `reports/history.md` and `history.json`) is computed from
//! those records alone, so a check can regenerate it without running anything.
//!
//! ```
//! use taro_conformance::history::{History, Observed, Record};
//! use taro_conformance::verdict::Status;
//! let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
//! let pass = Observed { status: Status::Pass, fingerprint: "a".into(), ..Observed::default() };
//! let fail = Observed { status: Status::Fail, fingerprint: "b".into(), ..Observed::default() };
//! record.measured("3.4.3", "s", [("data.json".to_string(), fail)].into());
//! record.measured("3.4.10", "s", [("data.json".to_string(), pass)].into());
//! let history = History::of(&[record]);
//! let change = &history.adapters[0].changes[0];
//! assert_eq!((change.case.as_str(), change.release.as_str()), ("data.json", "3.4.10"));
//! ```

pub mod bisect;
mod measure;

pub use measure::{Event, Plan, measure, rerun};

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use semver::Version;
use serde::{Deserialize, Serialize};

use crate::error::FileError;
use crate::outcome::CaseResult;
use crate::verdict::Status;

/// Where the records live, relative to the repository root.
pub const RECORDS_DIR: &str = "reports/history";

/// The adapters the history covers unless told otherwise: one per package it follows.
pub const DEFAULT_ADAPTERS: [&str; 4] = ["taro-h5-jsdom", "taro-rn", "taro-weapp", "taro-alipay"];

/// The first release the history covers unless told otherwise.
pub const DEFAULT_FROM: &str = "3.0.0";

/// How one release did on one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observed {
    /// The case's status.
    pub status: Status,
    /// Its fingerprint (as the gate computes it).
    pub fingerprint: String,
    /// What did not hold (empty when it passed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<String>,
    /// Runs of this case on this release disagreed; this is what most of them saw.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unstable: bool,
}

impl Default for Observed {
    fn default() -> Observed {
        Observed {
            status: Status::Pass,
            fingerprint: String::new(),
            mismatches: Vec::new(),
            unstable: false,
        }
    }
}

impl Observed {
    /// What a case's result says.
    pub fn of(result: &CaseResult) -> Observed {
        Observed {
            status: result.status,
            fingerprint: result.fingerprint(),
            mismatches: result.what_failed(),
            unstable: false,
        }
    }

    /// Whether two observations are the same behaviour (status and fingerprint).
    pub fn same_as(&self, other: &Observed) -> bool {
        self.status == other.status && self.fingerprint == other.fingerprint
    }
}

/// Every case's observation on one release, by case id.
pub type Results = BTreeMap<String, Observed>;

/// Releases in a row that behaved the same, stored once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stretch {
    /// The releases, in version order.
    pub releases: Vec<String>,
    /// The suite they were measured on (its spec hash, as run logs give it).
    pub suite: String,
    /// What each of them did.
    pub results: Results,
}

/// A release that could not be measured, and why (one line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotRun {
    /// The release.
    pub release: String,
    /// Why.
    pub why: String,
}

/// One adapter's measurements, as `reports/history/ADAPTER.json` holds them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The adapter.
    pub adapter: String,
    /// The package whose releases it ran.
    pub package: String,
    /// What ran the bundle (the adapter's runtime, as its last run reported it).
    #[serde(default)]
    pub runtime: String,
    /// The releases measured, grouped.
    pub stretches: Vec<Stretch>,
    /// The releases that could not run.
    #[serde(default)]
    pub not_run: Vec<NotRun>,
}

/// Stable releases in version order; anything that is not a version sorts first.
fn release_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (Version::parse(a), Version::parse(b)) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        (Err(_), Ok(_)) => std::cmp::Ordering::Less,
        (Ok(_), Err(_)) => std::cmp::Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// The stable releases of `all` from `from` on (pre-releases left out), in version order.
pub fn stable_from(all: &[String], from: &str) -> Vec<String> {
    stable_between(all, Version::parse(from).ok().as_ref(), None)
}

/// The stable releases of `all` from `from` to `to` (both included; an end that is `None` is
/// open), pre-releases left out, in version order.
pub fn stable_between(all: &[String], from: Option<&Version>, to: Option<&Version>) -> Vec<String> {
    let mut found: Vec<Version> = all
        .iter()
        .filter_map(|v| Version::parse(v).ok())
        .filter(|v| v.pre.is_empty())
        .filter(|v| from.is_none_or(|from| v >= from) && to.is_none_or(|to| v <= to))
        .collect();
    found.sort();
    found.dedup();
    found.iter().map(ToString::to_string).collect()
}

impl Record {
    /// An empty record.
    pub fn new(adapter: &str, package: &str) -> Record {
        Record {
            adapter: adapter.into(),
            package: package.into(),
            runtime: String::new(),
            stretches: Vec::new(),
            not_run: Vec::new(),
        }
    }

    /// Where the record of `adapter` lives under `root`.
    pub fn path(root: &Path, adapter: &str) -> PathBuf {
        root.join(RECORDS_DIR).join(format!("{adapter}.json"))
    }

    /// Reads a record.
    pub fn read(path: &Path) -> Result<Record, FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
        serde_json::from_str(&text).map_err(|e| {
            FileError::new(path, format!("not a history record: {e}"))
                .at(e.line() as u64, e.column() as u64)
        })
    }

    /// Writes it (whole, through a temporary file: an interrupted write leaves the old one).
    pub fn write(&self, path: &Path) -> Result<(), FileError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| FileError::unwritable(dir, &e))?;
        }
        let text = serde_json::to_string_pretty(self).expect("a record serializes") + "\n";
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, text).map_err(|e| FileError::unwritable(&partial, &e))?;
        std::fs::rename(&partial, path).map_err(|e| FileError::unwritable(path, &e))
    }

    /// Every measured release with its results, in version order.
    pub fn releases(&self) -> Vec<(&str, &Results)> {
        self.measurements()
            .into_iter()
            .map(|(r, s)| (r, &s.results))
            .collect()
    }

    /// Every measured release with its stretch, in version order.
    fn measurements(&self) -> Vec<(&str, &Stretch)> {
        let mut all: Vec<(&str, &Stretch)> = self
            .stretches
            .iter()
            .flat_map(|s| s.releases.iter().map(move |r| (r.as_str(), s)))
            .collect();
        all.sort_by(|a, b| release_order(a.0, b.0));
        all
    }

    /// The suite each release was measured on, by release.
    pub fn suites(&self) -> BTreeMap<&str, &str> {
        self.measurements()
            .into_iter()
            .map(|(r, s)| (r, s.suite.as_str()))
            .collect()
    }

    /// Every release but `release`, as (release, suite, results).
    fn all_but(&self, release: &str) -> Vec<(String, String, Results)> {
        self.measurements()
            .into_iter()
            .filter(|(r, _)| *r != release)
            .map(|(r, s)| (r.to_string(), s.suite.clone(), s.results.clone()))
            .collect()
    }

    /// Whether `release` was measured or found unable to run.
    pub fn has(&self, release: &str) -> bool {
        self.stretches
            .iter()
            .any(|s| s.releases.iter().any(|r| r == release))
            || self.not_run.iter().any(|n| n.release == release)
    }

    /// The results of a measured release.
    pub fn results(&self, release: &str) -> Option<&Results> {
        self.stretches
            .iter()
            .find(|s| s.releases.iter().any(|r| r == release))
            .map(|s| &s.results)
    }

    /// Records what `release` did on the suite whose spec hash is `suite` (replacing anything
    /// recorded of it).
    pub fn measured(&mut self, release: &str, suite: &str, results: Results) {
        let mut all = self.all_but(release);
        self.not_run.retain(|n| n.release != release);
        all.push((release.to_string(), suite.to_string(), results));
        all.sort_by(|a, b| release_order(&a.0, &b.0));
        self.stretches = regroup(all);
    }

    /// Records that `release` could not run, and why.
    pub fn could_not_run(&mut self, release: &str, why: &str) {
        self.stretches = regroup(self.all_but(release));
        self.not_run.retain(|n| n.release != release);
        self.not_run.push(NotRun {
            release: release.into(),
            why: why.lines().next().unwrap_or_default().into(),
        });
        self.not_run
            .sort_by(|a, b| release_order(&a.release, &b.release));
    }
}

/// Consecutive releases with equal results, in one stretch each.
fn regroup(releases: Vec<(String, String, Results)>) -> Vec<Stretch> {
    let mut stretches: Vec<Stretch> = Vec::new();
    for (release, suite, results) in releases {
        match stretches.last_mut() {
            Some(last) if last.results == results && last.suite == suite => {
                last.releases.push(release)
            }
            _ => stretches.push(Stretch {
                releases: vec![release],
                suite,
                results,
            }),
        }
    }
    stretches
}

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

/// A changelog entry or pull request that explains a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Documented {
    /// What it says, in one line.
    pub why: String,
    /// Where it says so.
    pub link: String,
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
    /// What the changelog or pull request says, in one line.
    pub why: String,
    /// Where.
    pub link: String,
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
}

/// The history of every adapter recorded: what `reports/history.md` and `history.json` say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// Per adapter, in the order given.
    pub adapters: Vec<AdapterHistory>,
}

impl History {
    /// The history the records say.
    pub fn of(records: &[Record]) -> History {
        History {
            adapters: records.iter().map(adapter_history).collect(),
        }
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

    /// The Markdown form (`history.md`).
    pub fn markdown(&self) -> String {
        let mut out = String::from("# How `Taro.request` behaved in each release\n\n");
        out.push_str(
            "Every stable release of each package was run on the whole suite; each row is a case whose status or \
             mismatches changed between two consecutive releases, with what it did before and after and the \
             releases each behaviour held for. Generated by `taro-conformance history` from `reports/history/*.json` \
             (see the README); do not edit.\n",
        );
        for adapter in &self.adapters {
            write_adapter(&mut out, adapter);
        }
        out
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
    }
}

/// A table cell: one line, with the characters Markdown tables treat specially escaped.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn side_text(side: &Side) -> String {
    let span = if side.from == side.to {
        side.from.clone()
    } else {
        format!("{}–{}", side.from, side.to)
    };
    let what = if side.observed.mismatches.is_empty() {
        side.observed.status.to_string()
    } else {
        format!(
            "{}: {}",
            side.observed.status,
            side.observed
                .mismatches
                .iter()
                .map(|m| cell(m))
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    let unstable = if side.observed.unstable {
        " (unstable: re-runs disagreed)"
    } else {
        ""
    };
    format!("**{span}** {what}{unstable}")
}

fn write_adapter(out: &mut String, adapter: &AdapterHistory) {
    let _ = write!(out, "\n## {} on `{}`\n\n", adapter.package, adapter.adapter);
    if !adapter.runtime.is_empty() {
        let _ = writeln!(out, "Runtime: {}.\n", adapter.runtime);
    }
    match (adapter.measured.first(), adapter.measured.last()) {
        (Some(first), Some(last)) => {
            let _ = writeln!(
                out,
                "{} releases measured, {first} to {last}: {}.\n",
                adapter.measured.len(),
                adapter.measured.join(", ")
            );
        }
        _ => out.push_str("No release measured yet.\n\n"),
    }
    if !adapter.not_run.is_empty() {
        let _ = writeln!(out, "Could not run ({}):\n", adapter.not_run.len());
        for not_run in &adapter.not_run {
            let _ = writeln!(out, "- {}: {}", not_run.release, cell(&not_run.why));
        }
        out.push('\n');
    }
    if adapter.changes.is_empty() {
        out.push_str("No case changed between consecutive releases.\n");
        return;
    }
    let _ = writeln!(
        out,
        "{} changes in {} releases.\n",
        adapter.changes.len(),
        {
            let mut releases: Vec<&str> =
                adapter.changes.iter().map(|c| c.release.as_str()).collect();
            releases.dedup();
            releases.len()
        }
    );
    out.push_str("| release | case | before | from this release |\n|---|---|---|---|\n");
    for change in &adapter.changes {
        let documented = change
            .documented
            .as_ref()
            .map(|d| format!("<br>[{}]({})", cell(&d.why), d.link))
            .unwrap_or_default();
        // A fingerprint is the status, how the call settled and the mismatches: with the first
        // and last the same, the call settled differently.
        let settled = if change.was.observed.status == change.now.observed.status
            && change.was.observed.mismatches == change.now.observed.mismatches
        {
            " (the same expectations hold or fail, but the call settled differently: resolved, rejected, threw or pending)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| {} (after {}){documented} | `{}` | {} | {}{settled} |",
            change.release,
            change.after,
            change.case,
            side_text(&change.was),
            side_text(&change.now)
        );
    }
}

/// Reads the records of `adapters` under `root` (an adapter with none yet has an empty one).
pub fn read_records(root: &Path, adapters: &[(String, String)]) -> Result<Vec<Record>, FileError> {
    adapters
        .iter()
        .map(|(adapter, package)| {
            let path = Record::path(root, adapter);
            if path.exists() {
                Record::read(&path)
            } else {
                Ok(Record::new(adapter, package))
            }
        })
        .collect()
}

/// Every record under `root`'s `reports/history/`, by file name.
pub fn all_records(root: &Path) -> Result<Vec<Record>, FileError> {
    let dir = root.join(RECORDS_DIR);
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(FileError::unreadable(&dir, &e)),
    };
    // The default adapters first, in their order; any other after, by name.
    paths.sort_by_key(|p| {
        let name = p
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let rank = DEFAULT_ADAPTERS
            .iter()
            .position(|a| *a == name)
            .unwrap_or(usize::MAX);
        (rank, name)
    });
    paths.iter().map(|p| Record::read(p)).collect()
}

/// Writes `history.md` and `history.json` into `out`; returns their paths.
pub fn write(history: &History, out: &Path) -> Result<[PathBuf; 2], FileError> {
    std::fs::create_dir_all(out).map_err(|e| FileError::unwritable(out, &e))?;
    let md = out.join("history.md");
    let json = out.join("history.json");
    std::fs::write(&md, history.markdown()).map_err(|e| FileError::unwritable(&md, &e))?;
    std::fs::write(&json, history.json()).map_err(|e| FileError::unwritable(&json, &e))?;
    Ok([md, json])
}

/// Whether `history.md` and `history.json` in `out` say exactly what `history` says.
pub fn is_current(history: &History, out: &Path) -> bool {
    let read = |name: &str| std::fs::read_to_string(out.join(name)).ok();
    read("history.md").as_deref() == Some(history.markdown().as_str())
        && read("history.json").as_deref() == Some(history.json().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(status: Status, fingerprint: &str) -> Observed {
        Observed {
            status,
            fingerprint: fingerprint.into(),
            mismatches: if status == Status::Pass {
                vec![]
            } else {
                vec![format!("mismatch {fingerprint}")]
            },
            unstable: false,
        }
    }

    fn results(cases: &[(&str, Status, &str)]) -> Results {
        cases
            .iter()
            .map(|(id, status, fp)| (id.to_string(), seen(*status, fp)))
            .collect()
    }

    #[test]
    fn equal_releases_in_a_row_are_stored_once_and_read_back_in_version_order() {
        let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
        let old = results(&[("a", Status::Fail, "1")]);
        let new = results(&[("a", Status::Pass, "2")]);
        // Measured out of order, as concurrent runs finish.
        record.measured("3.10.0", "s", new.clone());
        record.measured("3.2.0", "s", old.clone());
        record.measured("3.9.0", "s", old.clone());
        record.could_not_run("3.1.0", "no bundle\nmore");
        assert_eq!(record.stretches.len(), 2);
        assert_eq!(record.stretches[0].releases, ["3.2.0", "3.9.0"]);
        assert_eq!(record.stretches[1].releases, ["3.10.0"]);
        assert_eq!(record.not_run[0].why, "no bundle");
        assert!(record.has("3.1.0") && record.has("3.9.0") && !record.has("3.3.0"));
        // Measuring a release that could not run replaces its entry.
        record.measured("3.1.0", "s", old);
        assert!(record.not_run.is_empty());
        assert_eq!(record.stretches[0].releases, ["3.1.0", "3.2.0", "3.9.0"]);
    }

    #[test]
    fn a_change_names_its_release_and_the_runs_on_both_sides() {
        let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
        record.measured(
            "1.0.0",
            "s",
            results(&[("a", Status::Fail, "1"), ("b", Status::Pass, "p")]),
        );
        record.measured(
            "1.1.0",
            "s",
            results(&[("a", Status::Fail, "1"), ("b", Status::Pass, "p")]),
        );
        record.measured(
            "1.2.0",
            "s",
            results(&[("a", Status::Fail, "2"), ("b", Status::Pass, "p")]),
        );
        record.measured(
            "1.3.0",
            "s",
            results(&[("a", Status::Fail, "2"), ("b", Status::Fail, "x")]),
        );
        record.measured(
            "2.0.0",
            "s",
            results(&[
                ("a", Status::Pass, "3"),
                ("b", Status::Fail, "x"),
                ("c", Status::Pass, "n"),
            ]),
        );
        let history = History::of(&[record]);
        let changes: Vec<(&str, &str, &str, &str, &str, &str)> = history.adapters[0]
            .changes
            .iter()
            .map(|c| {
                (
                    c.case.as_str(),
                    c.release.as_str(),
                    c.was.from.as_str(),
                    c.was.to.as_str(),
                    c.now.from.as_str(),
                    c.now.to.as_str(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                ("a", "1.2.0", "1.0.0", "1.1.0", "1.2.0", "1.3.0"),
                ("b", "1.3.0", "1.0.0", "1.2.0", "1.3.0", "2.0.0"),
                ("a", "2.0.0", "1.2.0", "1.3.0", "2.0.0", "2.0.0"),
            ]
        );
        let md = history.markdown();
        assert!(md.contains("| 1.2.0 (after 1.1.0) | `a` | **1.0.0–1.1.0** fail: mismatch 1 | **1.2.0–1.3.0** fail: mismatch 2 |"), "{md}");
        assert!(md.contains("5 releases measured, 1.0.0 to 2.0.0"), "{md}");
    }

    #[test]
    fn stable_releases_from_a_version_in_version_order() {
        let all: Vec<String> = ["3.0.0-beta.1", "2.2.0", "3.10.1", "3.2.0", "3.0.2"]
            .map(String::from)
            .into();
        assert_eq!(stable_from(&all, "3.0.0"), ["3.0.2", "3.2.0", "3.10.1"]);
    }

    #[test]
    fn a_record_survives_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut record = Record::new("taro-weapp", "@tarojs/plugin-platform-weapp");
        record.measured("3.1.0", "s", results(&[("a", Status::Fail, "1")]));
        let path = Record::path(dir.path(), "taro-weapp");
        record.write(&path).unwrap();
        assert_eq!(Record::read(&path).unwrap(), record);
        std::fs::write(&path, "{\"adapter\": 1}").unwrap();
        let error = Record::read(&path).unwrap_err().to_string();
        assert!(
            error.contains("taro-weapp.json:1:") && error.contains("not a history record"),
            "{error}"
        );
    }

    #[test]
    fn a_note_explains_its_change_and_one_that_explains_none_is_returned() {
        let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
        record.measured("1.0.0", "s", results(&[("a", Status::Fail, "1")]));
        record.measured("1.1.0", "s", results(&[("a", Status::Pass, "2")]));
        let note = |release: &str| Note {
            adapter: "taro-rn".into(),
            case: "a".into(),
            release: release.into(),
            why: "fix(rn): charset | parse".into(),
            link: "https://example.invalid/pull/1".into(),
        };
        let (history, unmatched) =
            History::of(&[record]).with_notes(&[note("1.1.0"), note("1.0.0")]);
        assert_eq!(unmatched, [note("1.0.0")]);
        let md = history.markdown();
        assert!(
            md.contains("| 1.1.0 (after 1.0.0)<br>[fix(rn): charset \\| parse](https://example.invalid/pull/1) | `a` |"),
            "{md}"
        );
        assert!(history.json().contains("\"documented\""));
    }
}
