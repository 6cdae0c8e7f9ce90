//! Measuring releases for the history: set each release up beside the pinned one, run the
//! whole suite on it, record the results; then run again every case whose behaviour changed
//! between two releases, on both of them (`confirm`), so that a change the history reports is
//! one that repeats (a case that flaps is marked unstable instead). With a partition, only one
//! slice of the releases ([`super::partition`]).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use futures::StreamExt;

use super::confirm::{self, confirm};
use super::record::release_order;
use super::{Event, Observed, Record, Results, partition, stable_between};
use crate::adapter::manifest::{self, Manifest, VersionSetup};
use crate::adapter::setup_output::SetupOutput;
use crate::error::Error;
use crate::run::{BaselineChoice, Run};
use crate::spec::select::Partition;
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
    /// Only this slice of the releases to measure, into records of its own.
    pub partition: Option<Partition>,
    /// Where a slice's records go (default: [`partition::default_dir`] under `root`).
    pub slice_dir: Option<PathBuf>,
}

/// A release to run: its subject's index, the release, and whether it is this run's to record
/// (else it is beside the slice's block).
type Work = (usize, String, bool);

/// One adapter being measured.
struct Subject {
    /// As `--adapter` gave it: a name, or a manifest's path.
    given: String,
    manifest: Manifest,
    /// What this run writes: the adapter's whole record, or its slice's.
    record: Record,
    path: PathBuf,
    /// With a partition: the whole record as it was.
    whole: Option<Record>,
    /// How many stable releases are in the range.
    releases: usize,
    /// The releases to measure (every slice's), in version order.
    to_measure: Vec<String>,
    /// This run's part of them.
    own: Range<usize>,
}

impl Subject {
    fn confirming(&self) -> confirm::Subject<'_> {
        confirm::Subject {
            given: &self.given,
            manifest: &self.manifest,
        }
    }

    /// The release measured beside the block, walking from `at` (one way): `Some` when it is
    /// another slice's (to be measured here too), `None` when it is recorded already (or there
    /// is none).
    fn beside(&self, at: &str, forward: bool) -> Option<String> {
        let whole = self.whole.as_ref()?;
        let mut releases: Vec<&str> = whole
            .releases()
            .into_iter()
            .map(|(r, _)| r)
            .chain(self.to_measure.iter().map(String::as_str))
            .collect();
        releases.sort_by(|a, b| release_order(a, b));
        releases.dedup();
        let index = releases.iter().position(|r| *r == at)?;
        let next = if forward {
            releases.get(index + 1)
        } else {
            index.checked_sub(1).and_then(|i| releases.get(i))
        }?;
        self.to_measure
            .iter()
            .any(|r| r == next)
            .then(|| next.to_string())
    }
}

/// The run log of one release's run.
fn log_path(root: &Path, adapter: &str, release: &str) -> PathBuf {
    root.join("target/conformance/history")
        .join(format!("{adapter}@{release}.jsonl"))
}

/// Sets `release` up (quietly; pruned unless asked not to) and runs `cases` on it; `given`
/// names the adapter as `--adapter` did.
pub(super) async fn run_release(
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

/// Every adapter of `plan`, its record and its releases to measure (each a whole run's).
fn subjects(plan: &Plan) -> Result<Vec<Subject>, Error> {
    let mut subjects = Vec::new();
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
        subjects.push(Subject {
            given: adapter.clone(),
            releases: releases.len(),
            own: 0..to_measure.len(),
            to_measure,
            path,
            whole: None,
            record,
            manifest,
        });
    }
    Ok(subjects)
}

/// How many releases a whole run of `plan` would measure, per adapter (by its name).
pub fn to_measure(plan: &Plan) -> Result<Vec<(String, usize)>, Error> {
    Ok(subjects(plan)?
        .into_iter()
        .map(|s| (s.manifest.name, s.to_measure.len()))
        .collect())
}

/// Measures the releases `plan` names that are not recorded yet (or all, with `again`; with a
/// partition, its slice of them), writing each adapter's record as each release finishes, then
/// confirms every change. Returns the records written.
pub async fn measure(
    suite: &Suite,
    plan: &Plan,
    mut progress: impl FnMut(Event<'_>),
) -> Result<Vec<Record>, Error> {
    let mut subjects = subjects(plan)?;
    if plan.partition.is_none() {
        for subject in &subjects {
            progress(Event::Listed {
                adapter: &subject.manifest.name,
                releases: subject.releases,
                to_measure: subject.to_measure.len(),
                in_slice: None,
            });
        }
    }
    if let Some(slice) = plan.partition {
        let lengths: Vec<usize> = subjects.iter().map(|s| s.to_measure.len()).collect();
        let dir = match &plan.slice_dir {
            Some(dir) => dir.clone(),
            None => plan.root.join(partition::default_dir(slice)),
        };
        for (subject, own) in subjects.iter_mut().zip(partition::blocks(&lengths, slice)) {
            progress(Event::Listed {
                adapter: &subject.manifest.name,
                releases: subject.releases,
                to_measure: subject.to_measure.len(),
                in_slice: Some(own.len()),
            });
            let mut record = Record::new(&subject.record.adapter, &subject.record.package);
            record.partition = Some(slice);
            subject.whole = Some(std::mem::replace(&mut subject.record, record));
            subject.path = dir.join(format!("{}.json", subject.manifest.name));
            subject.own = own;
        }
    }
    // This run's releases, and with a partition the first release beside each block.
    let mut work: Vec<Work> = Vec::new();
    for (index, subject) in subjects.iter().enumerate() {
        let own = &subject.to_measure[subject.own.clone()];
        work.extend(own.iter().map(|r| (index, r.clone(), true)));
        if let (Some(first), Some(last)) = (own.first(), own.last()) {
            for beside in [subject.beside(first, false), subject.beside(last, true)] {
                work.extend(beside.map(|r| (index, r, false)));
            }
        }
    }
    // Interleaved across adapters, so that the releases running at once are of different
    // packages (their installs and their runs load the machine differently).
    let mut turn: BTreeMap<usize, usize> = BTreeMap::new();
    let mut keyed: Vec<((usize, usize), Work)> = work
        .into_iter()
        .map(|item| {
            let nth = turn.entry(item.0).or_default();
            *nth += 1;
            ((*nth, item.0), item)
        })
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    let work: Vec<Work> = keyed.into_iter().map(|(_, item)| item).collect();
    let mut measured: Vec<BTreeSet<String>> = vec![BTreeSet::new(); subjects.len()];
    let mut besides: BTreeMap<(usize, String), Result<Results, String>> = BTreeMap::new();
    // The runs read the manifests; the loop below writes the records.
    let manifests: Vec<(String, Manifest)> = subjects
        .iter()
        .map(|s| (s.given.clone(), s.manifest.clone()))
        .collect();
    let manifests = &manifests;
    let mut runs = futures::stream::iter(work)
        .map(|(subject, release, own)| async move {
            let started = Instant::now();
            let (given, manifest) = &manifests[subject];
            let log = own.then(|| log_path(&plan.root, &manifest.name, &release));
            let outcome = run_release(
                given,
                manifest,
                &release,
                suite,
                &suite.cases,
                plan.keep_installs,
                log,
            )
            .await;
            (subject, release, own, outcome, started.elapsed())
        })
        .buffer_unordered(plan.jobs.max(1));
    // Each record is written as each release finishes: an interrupted history keeps them.
    while let Some((subject, release, own, outcome, took)) = runs.next().await {
        let Subject {
            record,
            path,
            manifest,
            ..
        } = &mut subjects[subject];
        if !own {
            progress(Event::Beside {
                adapter: &manifest.name,
                release: &release,
                ran: outcome.is_ok(),
            });
            let outcome = outcome.map(|(r, _)| r).map_err(|e| e.to_string());
            besides.insert((subject, release), outcome);
            continue;
        }
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
            measured[subject].insert(release);
        }
    }
    drop(runs);
    for (index, subject) in subjects.iter_mut().enumerate() {
        let measured = &measured[index];
        if subject.whole.is_none() {
            let path = subject.path.clone();
            let confirming = confirm::Subject {
                given: &subject.given,
                manifest: &subject.manifest,
            };
            confirm(
                suite,
                confirming,
                &mut subject.record,
                measured,
                Some(&path),
                &mut progress,
            )
            .await?;
            continue;
        }
        let mut view =
            around_slice(suite, index, subject, &mut besides, plan, &mut progress).await?;
        confirm(
            suite,
            subject.confirming(),
            &mut view,
            measured,
            None,
            &mut progress,
        )
        .await?;
        for release in measured {
            let (Some(results), Some(of)) = (
                view.results(release),
                view.suites().get(release.as_str()).copied(),
            ) else {
                continue;
            };
            subject.record.measured(release, of, results.clone());
        }
        subject.record.write(&subject.path)?;
    }
    Ok(subjects.into_iter().map(|s| s.record).collect())
}

/// The whole record as a whole run would have it around the slice's block: what was recorded,
/// the slice's releases, and the releases beside the block (each way, the first that runs).
async fn around_slice(
    suite: &Suite,
    index: usize,
    subject: &Subject,
    besides: &mut BTreeMap<(usize, String), Result<Results, String>>,
    plan: &Plan,
    progress: &mut impl FnMut(Event<'_>),
) -> Result<Record, Error> {
    let mut view = subject.whole.clone().expect("a slice");
    view.overlay(&subject.record);
    let own = &subject.to_measure[subject.own.clone()];
    let (Some(first), Some(last)) = (own.first(), own.last()) else {
        return Ok(view);
    };
    for (edge, forward) in [(first, false), (last, true)] {
        let mut at = edge.clone();
        while let Some(release) = subject.beside(&at, forward) {
            let outcome = match besides.remove(&(index, release.clone())) {
                Some(outcome) => outcome,
                None => {
                    let outcome = run_release(
                        &subject.given,
                        &subject.manifest,
                        &release,
                        suite,
                        &suite.cases,
                        plan.keep_installs,
                        None,
                    )
                    .await
                    .map(|(r, _)| r)
                    .map_err(|e| e.to_string());
                    progress(Event::Beside {
                        adapter: &subject.manifest.name,
                        release: &release,
                        ran: outcome.is_ok(),
                    });
                    outcome
                }
            };
            match outcome {
                Ok(results) => {
                    view.measured(&release, &suite.spec_hash, results);
                    break;
                }
                Err(why) => view.could_not_run(&release, &why),
            }
            at = release;
        }
    }
    Ok(view)
}

/// Sets `release` of `adapter` up if it is not yet, and runs the whole suite on it: what
/// `history --verify` compares with the record.
pub async fn rerun(suite: &Suite, adapter: &str, release: &str) -> Result<Results, Error> {
    let manifest = manifest::find(adapter)?;
    run_release(adapter, &manifest, release, suite, &suite.cases, true, None)
        .await
        .map(|(results, _)| results)
}
