//! What was measured: each release's [`Observed`] result of each case, and an adapter's
//! [`Record`] (`reports/history/ADAPTER.json`) with consecutive releases that behave the same
//! stored once, read, written and updated release by release; and the stable releases in
//! version order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use semver::Version;
use serde::{Deserialize, Serialize};

use super::{DEFAULT_ADAPTERS, RECORDS_DIR};
use crate::error::FileError;
use crate::outcome::CaseResult;
use crate::spec::select::Partition;
use crate::verdict::Status;

/// A test's observation: `status` with `fingerprint`, and one mismatch named after it.
#[cfg(test)]
pub(crate) fn seen(status: Status, fingerprint: &str) -> Observed {
    Observed {
        status,
        fingerprint: fingerprint.into(),
        mismatches: vec![format!("m {fingerprint}")],
        unstable: false,
    }
}

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
    /// The slice of the releases this record holds (`history --partition K/N`); none in a
    /// whole record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<Partition>,
}

/// Stable releases in version order; anything that is not a version sorts first.
pub(super) fn release_order(a: &str, b: &str) -> std::cmp::Ordering {
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
            partition: None,
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

    /// Records what `other` holds, release by release, over what this one holds of them (a
    /// slice's record over the whole one); its runtime too, if it has one.
    pub fn overlay(&mut self, other: &Record) {
        for (release, stretch) in other.measurements() {
            self.measured(release, &stretch.suite, stretch.results.clone());
        }
        for not_run in &other.not_run {
            self.could_not_run(&not_run.release, &not_run.why);
        }
        if !other.runtime.is_empty() {
            self.runtime = other.runtime.clone();
        }
    }

    /// Every release it holds, measured or not, in version order.
    pub fn all_releases(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .stretches
            .iter()
            .flat_map(|s| s.releases.iter().map(String::as_str))
            .chain(self.not_run.iter().map(|n| n.release.as_str()))
            .collect();
        all.sort_by(|a, b| release_order(a, b));
        all
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
