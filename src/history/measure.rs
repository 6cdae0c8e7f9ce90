//! Measuring releases for the history: set each release up beside the pinned one, run the
//! whole suite on it, record the results; then run again every case whose behaviour changed
//! between two releases, on both of them, so that a change the history reports is one that
//! repeats (a case that flaps is marked unstable instead).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures::StreamExt;

use super::{History, Observed, Record, Results, stable_between};
use crate::adapter::manifest::{self, Manifest, VersionSetup};
use crate::adapter::setup_output::SetupOutput;
use crate::error::Error;
use crate::run::{BaselineChoice, Run};
use crate::spec::{LoadedCase, Suite};

/// What to measure.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The adapters, each of a Taro package that lists its versions.
    pub adapters: Vec<String>,
    /// The first release (stable releases from it on).
    pub from: String,
    /// The last release, if not the newest.
    pub to: Option<String>,
    /// How many releases are set up and run at once.
    pub jobs: usize,
    /// Measure again releases already measured (those that could not run are always tried
    /// again).
    pub again: bool,
    /// Keep each release's install (by default only its bundle is kept).
    pub keep_installs: bool,
    /// The repository root (records under `reports/history/`, logs under `target/`).
    pub root: PathBuf,
}

/// What the measuring is doing, for a progress display.
#[derive(Debug)]
pub enum Event<'a> {
    /// An adapter's releases are listed.
    Listed {
        /// The adapter.
        adapter: &'a str,
        /// Its package's stable releases in the range.
        releases: usize,
        /// How many of them will be measured now.
        to_measure: usize,
    },
    /// A release was measured.
    Measured {
        /// The adapter.
        adapter: &'a str,
        /// The release.
        release: &'a str,
        /// Its results.
        results: &'a Results,
        /// How long its setup and run took.
        took: Duration,
    },
    /// A release could not run.
    NotRun {
        /// The adapter.
        adapter: &'a str,
        /// The release.
        release: &'a str,
        /// Why.
        why: &'a str,
    },
    /// Changed cases are being run again on a release.
    Confirming {
        /// The adapter.
        adapter: &'a str,
        /// The release.
        release: &'a str,
        /// How many cases.
        cases: usize,
    },
    /// A case's runs on a release disagreed.
    Unstable {
        /// The adapter.
        adapter: &'a str,
        /// The release.
        release: &'a str,
        /// The case.
        case: &'a str,
    },
}

/// One adapter being measured.
struct Subject {
    /// As `--adapter` gave it: a name, or a manifest's path.
    given: String,
    manifest: Manifest,
    record: Record,
    path: PathBuf,
}

/// The run log of one release's run.
fn log_path(root: &Path, adapter: &str, release: &str) -> PathBuf {
    root.join("target/conformance/history")
        .join(format!("{adapter}@{release}.jsonl"))
}

/// Sets `release` up (quietly; pruned unless asked not to) and runs `cases` on it; `given`
/// names the adapter as `--adapter` did.
async fn run_release(
    given: &str,
    manifest: &Manifest,
    release: &str,
    suite: &Suite,
    cases: &[LoadedCase],
    keep_installs: bool,
    log: Option<PathBuf>,
) -> Result<(Results, String), Error> {
    let setup = {
        let manifest = manifest.clone();
        let release = release.to_string();
        tokio::task::spawn_blocking(move || {
            manifest.set_up_version_with(
                &release,
                &VersionSetup {
                    source: None,
                    output: SetupOutput::Kept,
                    prune: !keep_installs,
                },
            )
        })
    };
    setup
        .await
        .map_err(|e| Error::Setup(format!("the setup stopped: {e}")))??;
    let mut run = Run::new(&format!("{given}@{release}")).baseline(BaselineChoice::None);
    if let Some(log) = log {
        run = run.log_to(log);
    }
    let report = run.execute(suite, cases, |_| {}).await?;
    let results = report
        .results
        .iter()
        .map(|r| (r.id.clone(), Observed::of(r)))
        .collect();
    Ok((results, report.adapter.runtime))
}

/// Measures the releases `plan` names that are not recorded yet (or all, with `again`),
/// writing each adapter's record as each release finishes, then confirms every change. Returns
/// the records.
pub async fn measure(
    suite: &Suite,
    plan: &Plan,
    mut progress: impl FnMut(Event<'_>),
) -> Result<Vec<Record>, Error> {
    let mut subjects = Vec::new();
    let mut work: Vec<(usize, String)> = Vec::new();
    for adapter in &plan.adapters {
        let manifest = manifest::find(adapter)?;
        let Some(package) = manifest.package.clone() else {
            return Err(Error::Usage(format!(
                "adapter `{adapter}` names no `package` in its manifest: it has no releases to measure"
            )));
        };
        let path = Record::path(&plan.root, &manifest.name);
        let record = if path.exists() {
            Record::read(&path)?
        } else {
            Record::new(&manifest.name, &package)
        };
        let to = plan
            .to
            .as_deref()
            .map(|to| {
                semver::Version::parse(to)
                    .map_err(|e| Error::Usage(format!("`{to}` is not a version: {e}")))
            })
            .transpose()?;
        let from = semver::Version::parse(&plan.from).ok();
        let releases = stable_between(&manifest.published_versions()?, from.as_ref(), to.as_ref());
        let to_measure: Vec<String> = releases
            .iter()
            // A release that could not run is tried again: the adapter may have learnt how.
            .filter(|r| plan.again || record.results(r).is_none())
            .cloned()
            .collect();
        progress(Event::Listed {
            adapter: &manifest.name,
            releases: releases.len(),
            to_measure: to_measure.len(),
        });
        work.extend(to_measure.into_iter().map(|r| (subjects.len(), r)));
        subjects.push(Subject {
            given: adapter.clone(),
            manifest,
            record,
            path,
        });
    }
    // Interleaved across adapters, so that the releases running at once are of different
    // packages (their installs and their runs load the machine differently).
    let mut turn: BTreeMap<usize, usize> = BTreeMap::new();
    let mut keyed: Vec<((usize, usize), (usize, String))> = work
        .into_iter()
        .map(|(subject, release)| {
            let nth = turn.entry(subject).or_default();
            *nth += 1;
            ((*nth, subject), (subject, release))
        })
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    let work: Vec<(usize, String)> = keyed.into_iter().map(|(_, item)| item).collect();
    let mut measured: BTreeSet<(usize, String)> = BTreeSet::new();
    // The runs read the manifests; the loop below writes the records.
    let manifests: Vec<(String, Manifest)> = subjects
        .iter()
        .map(|s| (s.given.clone(), s.manifest.clone()))
        .collect();
    let manifests = &manifests;
    let mut runs = futures::stream::iter(work)
        .map(|(subject, release)| async move {
            let started = Instant::now();
            let (given, manifest) = &manifests[subject];
            let log = log_path(&plan.root, &manifest.name, &release);
            let outcome = run_release(
                given,
                manifest,
                &release,
                suite,
                &suite.cases,
                plan.keep_installs,
                Some(log),
            )
            .await;
            (subject, release, outcome, started.elapsed())
        })
        .buffer_unordered(plan.jobs.max(1));
    // Each record is written as each release finishes: an interrupted history keeps them.
    while let Some((subject, release, outcome, took)) = runs.next().await {
        let Subject {
            record,
            path,
            manifest,
            ..
        } = &mut subjects[subject];
        match &outcome {
            Ok((results, runtime)) => {
                record.measured(&release, &suite.spec_hash, results.clone());
                record.runtime = runtime.clone();
                progress(Event::Measured {
                    adapter: &manifest.name,
                    release: &release,
                    results,
                    took,
                });
            }
            Err(error) => {
                let why = error.to_string();
                record.could_not_run(&release, &why);
                progress(Event::NotRun {
                    adapter: &manifest.name,
                    release: &release,
                    why: &why,
                });
            }
        }
        record.write(path)?;
        if outcome.is_ok() {
            measured.insert((subject, release));
        }
    }
    drop(runs);
    for (index, subject) in subjects.iter_mut().enumerate() {
        confirm(suite, index, subject, &measured, &mut progress).await?;
    }
    Ok(subjects.into_iter().map(|s| s.record).collect())
}

/// Runs again, on both releases, every case that changed between two consecutive releases
/// where either release was measured just now; a third run settles a disagreement, and the
/// case is marked unstable there.
async fn confirm(
    suite: &Suite,
    index: usize,
    subject: &mut Subject,
    measured: &BTreeSet<(usize, String)>,
    progress: &mut impl FnMut(Event<'_>),
) -> Result<(), Error> {
    let history = History::of(std::slice::from_ref(&subject.record));
    let mut to_check: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for change in &history.adapters[0].changes {
        for release in [&change.after, &change.release] {
            if measured.contains(&(index, release.clone())) {
                to_check
                    .entry(release.clone())
                    .or_default()
                    .insert(change.case.clone());
            }
        }
    }
    for (release, cases) in to_check {
        let Some(recorded) = subject.record.results(&release).cloned() else {
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
            let (given, manifest) = (&subject.given, &subject.manifest);
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
            .filter(|c| {
                let id = &c.case.id;
                !second
                    .get(id)
                    .zip(recorded.get(id))
                    .is_some_and(|(a, b)| a.same_as(b))
            })
            .cloned()
            .collect();
        if disagreeing.is_empty() {
            continue;
        }
        let third = again(disagreeing.clone()).await?;
        let mut settled = recorded.clone();
        for case in &disagreeing {
            let id = &case.case.id;
            let runs: Vec<&Observed> = [recorded.get(id), second.get(id), third.get(id)]
                .into_iter()
                .flatten()
                .collect();
            // What two of the three runs saw; with no two alike, the first.
            let majority = runs
                .iter()
                .find(|a| runs.iter().filter(|b| a.same_as(b)).count() >= 2)
                .or(runs.first())
                .map(|o| (*o).clone());
            if let Some(mut observed) = majority {
                observed.unstable = true;
                settled.insert(id.clone(), observed);
            }
            progress(Event::Unstable {
                adapter: &subject.manifest.name,
                release: &release,
                case: id,
            });
        }
        let suite_of = subject
            .record
            .suites()
            .get(release.as_str())
            .map(|s| s.to_string())
            .unwrap_or_else(|| suite.spec_hash.clone());
        subject.record.measured(&release, &suite_of, settled);
        subject.record.write(&subject.path)?;
    }
    Ok(())
}

/// Sets `release` of `adapter` up if it is not yet, and runs the whole suite on it: what
/// `history --verify` compares with the record.
pub async fn rerun(suite: &Suite, adapter: &str, release: &str) -> Result<Results, Error> {
    let manifest = manifest::find(adapter)?;
    run_release(adapter, &manifest, release, suite, &suite.cases, true, None)
        .await
        .map(|(results, _)| results)
}
