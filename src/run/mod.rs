//! The run pipeline: open an adapter, run the selected cases on it while the log is written,
//! stop it, and judge the results against its baseline.
//!
//! Everything that runs the suite goes through [`Run`]: the `run` and `baseline update`
//! commands, `cargo test`'s conformance target, and whatever embeds the harness. It returns
//! data and prints nothing; progress arrives through a callback.
//!
//! ```no_run
//! # async fn demo() -> Result<(), taro_conformance::error::Error> {
//! use taro_conformance::run::{Progress, Run};
//! use taro_conformance::spec;
//! let suite = spec::load_dir("specs".as_ref());
//! let report = Run::new("reference")
//!     .log_to("target/conformance/reference.jsonl")
//!     .execute(&suite, &suite.cases, |progress| {
//!         if let Progress::Finished { result, .. } = progress {
//!             println!("{} {}", result.status, result.id);
//!         }
//!     })
//!     .await?;
//! assert!(report.judgement.passed(), "{:?}", report.judgement.findings);
//! # Ok(()) }
//! ```

pub mod cases;
pub mod gate;
mod judgement;
pub mod log;
mod repeat;

pub use judgement::Judgement;
pub use repeat::{Variation, variations};

use std::path::{Path, PathBuf};

use crate::adapter::{self, AdapterInfo};
use crate::error::{Error, FileError};
use crate::outcome::CaseResult;
use crate::spec::select::Partition;
use crate::spec::{LoadedCase, Suite};
use cases::RunOptions;
use gate::Baseline;
use log::{Footer, Header, Line, LogWriter, SuiteInfo};

/// Where run logs go unless told otherwise (and unless [`LOG_DIR_ENV`] names another folder).
pub const LOG_DIR: &str = "target/conformance";

/// The environment variable that names the folder of the default run logs instead of
/// [`LOG_DIR`]: the harness's own tests set it, so that they never overwrite the logs of a
/// person's runs.
pub const LOG_DIR_ENV: &str = "TARO_CONFORMANCE_LOG_DIR";

/// The folder of the default run logs: [`LOG_DIR_ENV`]'s, else [`LOG_DIR`].
pub fn log_dir() -> PathBuf {
    std::env::var_os(LOG_DIR_ENV)
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| PathBuf::from(LOG_DIR), PathBuf::from)
}

/// The default run log of an `--adapter` value: `target/conformance/NAME.jsonl` (in
/// [`log_dir`]), where NAME is the adapter's name: its manifest's `name` (however the manifest
/// is given), or, when no manifest can be read, the value itself (the directory of a manifest
/// path).
///
/// ```
/// use taro_conformance::run::default_log;
/// assert_eq!(default_log("reference"), std::path::Path::new("target/conformance/reference.jsonl"));
/// assert_eq!(default_log("adapters/x/adapter.toml"), std::path::Path::new("target/conformance/x.jsonl"));
/// assert_eq!(default_log("x@4.0.12"), std::path::Path::new("target/conformance/x@4.0.12.jsonl"));
/// ```
pub fn default_log(adapter: &str) -> PathBuf {
    let name = crate::adapter::manifest::name_of(adapter).unwrap_or_else(|| {
        let (adapter, version) = crate::adapter::manifest::split_version(adapter);
        let version = version.map(|v| format!("@{v}")).unwrap_or_default();
        let given = Path::new(adapter);
        let name = if given.file_name().is_some_and(|f| f == "adapter.toml") {
            given.parent().and_then(Path::file_name)
        } else {
            given.file_stem()
        }
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| adapter.to_string());
        format!("{name}{version}")
    });
    log_dir().join(format!("{}.jsonl", name.replace(['/', '\\'], "_")))
}

/// Which baseline a run is judged against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BaselineChoice {
    /// The adapter's own, `reports/baselines/NAME.yaml`, when it exists; none otherwise.
    #[default]
    Default,
    /// This file.
    File(PathBuf),
    /// None: every case must pass or not apply.
    None,
}

impl BaselineChoice {
    /// The baseline file this choice names for the adapter called `adapter`, read; `None` when
    /// the run is judged without one.
    pub fn load(&self, adapter: &str) -> Result<Option<(PathBuf, Baseline)>, Error> {
        let path = match self {
            BaselineChoice::None => return Ok(None),
            BaselineChoice::File(path) => path.clone(),
            BaselineChoice::Default => {
                let path = gate::default_path(adapter);
                if !path.is_file() {
                    return Ok(None);
                }
                path
            }
        };
        let baseline = Baseline::load(&path)?;
        Ok(Some((path, baseline)))
    }
}

/// One run of the suite on one adapter, to be configured and then [executed](Run::execute).
#[derive(Debug, Clone)]
pub struct Run {
    adapter: String,
    options: RunOptions,
    log: Option<PathBuf>,
    baseline: BaselineChoice,
    partition: Option<Partition>,
}

/// What a run tells its caller while it goes.
#[derive(Debug)]
pub enum Progress<'a> {
    /// The adapter is open and the log started.
    Started {
        /// The adapter, as it described itself.
        adapter: &'a AdapterInfo,
        /// How many cases will run.
        cases: usize,
        /// How many run at once.
        at_once: usize,
    },
    /// A case finished (and is in the log).
    Finished {
        /// How many have finished.
        done: usize,
        /// How many there are.
        total: usize,
        /// Its result.
        result: &'a CaseResult,
    },
    /// A line could not be written to the log; the run goes on.
    LogFailed(&'a FileError),
    /// Something about the adapter is worth a warning (its `ready` names it otherwise than its
    /// manifest, say); the run goes on. Sent right after [`Progress::Started`].
    Warning(&'a str),
}

/// What a run found.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The adapter, as it described itself.
    pub adapter: AdapterInfo,
    /// One result per case, in the order they finished.
    pub results: Vec<CaseResult>,
    /// The log written, if any.
    pub log: Option<PathBuf>,
    /// The first failure to write the log, if any (the run went on).
    pub log_error: Option<FileError>,
    /// The results judged against the baseline.
    pub judgement: Judgement,
    /// The cases that were unexpected at first and accepted by the gate when run again (see
    /// [`Run::retry_unexpected`]); their accepted results are in `results`.
    pub flaky: Vec<Flaky>,
}

/// A case the gate found something about, which it accepted when the case ran again.
#[derive(Debug, Clone)]
pub struct Flaky {
    /// What the case did first.
    pub first: CaseResult,
    /// Which run of it the gate accepted (2: the first retry).
    pub accepted_on: usize,
}

impl Run {
    /// A run on the adapter an `--adapter` value names (`reference`, a name under `adapters/`,
    /// or a manifest path), with default options, no log and the adapter's default baseline.
    pub fn new(adapter: &str) -> Run {
        Run {
            adapter: adapter.to_string(),
            options: RunOptions::default(),
            log: None,
            baseline: BaselineChoice::Default,
            partition: None,
        }
    }

    /// Records in the log that the cases are slice `partition` of the selection (the caller
    /// chose them): `report` and `diff` then tell a missing slice from a missing case.
    pub fn partition(mut self, partition: Option<Partition>) -> Run {
        self.partition = partition;
        self
    }

    /// How many cases run at once (at least 1; the adapter may allow fewer).
    pub fn jobs(mut self, jobs: usize) -> Run {
        self.options.jobs = jobs.max(1);
        self
    }

    /// How pages are kept apart between cases (see [`cases::Isolation`]).
    pub fn isolation(mut self, isolation: cases::Isolation) -> Run {
        self.options.isolation = isolation;
        self
    }

    /// Shares `scheduler`'s slots with the other runs that hold it (see [`execute_all`]).
    pub fn scheduler(mut self, scheduler: cases::Scheduler) -> Run {
        self.options.scheduler = Some(scheduler);
        self
    }

    /// The `--adapter` value it runs on.
    pub fn adapter(&self) -> &str {
        &self.adapter
    }

    /// Writes the run log to this file (its directory is created).
    pub fn log_to(mut self, path: impl Into<PathBuf>) -> Run {
        self.log = Some(path.into());
        self
    }

    /// The file the run log goes to, if any.
    pub fn log(&self) -> Option<&Path> {
        self.log.as_deref()
    }

    /// Judges against this baseline.
    pub fn baseline(mut self, choice: BaselineChoice) -> Run {
        self.baseline = choice;
        self
    }

    /// Opens the adapter, runs `cases` (of `suite`) on it, writing the log as each finishes,
    /// stops it, and judges the results. Fails before any case runs when the adapter cannot be
    /// opened, its baseline cannot be read (a named one is read before the adapter starts), or
    /// the log cannot be created.
    pub async fn execute(
        &self,
        suite: &Suite,
        cases: &[LoadedCase],
        mut on_progress: impl FnMut(Progress<'_>),
    ) -> Result<RunReport, Error> {
        let opening = self
            .options
            .scheduler
            .as_ref()
            .map(cases::Scheduler::opening);
        // A named baseline is read before the adapter starts (a browser takes seconds); the
        // adapter's own is found by the name it gives, once it is open.
        let named = match &self.baseline {
            BaselineChoice::File(_) => Some(self.baseline.load("")?),
            BaselineChoice::Default | BaselineChoice::None => None,
        };
        let adapter = adapter::open(&self.adapter).await?;
        let info = adapter.info().clone();
        let prepared = match named {
            Some(baseline) => Ok(baseline),
            None => self.baseline.load(&info.name),
        }
        .and_then(|baseline| Ok((baseline, self.open_log()?)));
        let (baseline, mut log) = match prepared {
            Ok(prepared) => prepared,
            Err(error) => {
                adapter.stop().await;
                return Err(error);
            }
        };
        let mut log_error = None;
        let header = Header {
            format: crate::run::log::FORMAT,
            harness: env!("CARGO_PKG_VERSION").to_string(),
            adapter: info.clone(),
            suite: SuiteInfo {
                cases: cases.len(),
                spec_hash: suite.spec_hash.clone(),
            },
            started: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            partition: self.partition,
        };
        write(&mut log, &Line::Header(header), &mut log_error);
        if let Some(opening) = opening {
            opening.opened().await;
        }
        let total = cases.len();
        on_progress(Progress::Started {
            adapter: &info,
            cases: total,
            at_once: self
                .options
                .jobs
                .min(adapter.concurrency().unwrap_or(usize::MAX)),
        });
        for warning in adapter.warnings() {
            on_progress(Progress::Warning(&warning));
        }
        let mut done = 0;
        let to_run = cases.iter().map(|c| c.case.clone()).collect();
        // Dropped before it ends (an interrupt), this future drops the adapter, which kills
        // its process group; the log keeps every case that finished, in whole lines.
        let results = cases::run_all(adapter.clone(), to_run, &self.options, |result| {
            done += 1;
            let had_error = log_error.is_some();
            write(
                &mut log,
                &Line::Case(Box::new(result.clone())),
                &mut log_error,
            );
            if let Some(error) = log_error.as_ref().filter(|_| !had_error) {
                on_progress(Progress::LogFailed(error));
            }
            on_progress(Progress::Finished {
                done,
                total,
                result,
            });
        })
        .await;
        adapter.stop().await;
        let footer = Footer::from_statuses(results.iter().map(|r| r.status));
        write(&mut log, &Line::Footer(footer), &mut log_error);
        let judgement = Judgement::new(&results, baseline, suite);
        Ok(RunReport {
            adapter: info,
            results,
            log: log.map(|(path, _)| path),
            log_error,
            judgement,
            flaky: Vec::new(),
        })
    }

    fn open_log(&self) -> Result<Option<OpenLog>, Error> {
        let Some(path) = &self.log else {
            return Ok(None);
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| FileError::unwritable(dir, &e))?;
        }
        let file = std::fs::File::create(path).map_err(|e| FileError::unwritable(path, &e))?;
        Ok(Some((path.clone(), LogWriter::new(file))))
    }
}

/// A log being written, with its path (for messages).
type OpenLog = (PathBuf, LogWriter<std::fs::File>);

/// Writes one line to the log, keeping the first failure; a run never stops for its log.
fn write(log: &mut Option<OpenLog>, line: &Line, failed: &mut Option<FileError>) {
    if let Some((path, writer)) = log
        && let Err(e) = writer.write(line)
        && failed.is_none()
    {
        *failed = Some(FileError::unwritable(path, &e));
    }
}

/// Runs several adapters at once in this process, each its own [`Run`] (its own log, baseline
/// and gate), started together and sharing whatever [`cases::Scheduler`] the runs were given.
/// `progress(i)` makes the progress callback of `runs[i]`. An adapter that cannot be opened
/// costs only its own run: its error stands in its place, and the others run on.
pub async fn execute_all<P>(
    runs: &[Run],
    suite: &Suite,
    cases: &[LoadedCase],
    progress: impl Fn(usize) -> P,
) -> Vec<Result<RunReport, Error>>
where
    P: FnMut(Progress<'_>),
{
    // Runs that share one scheduler start their cases together (see cases::Scheduler).
    let shared: Vec<&cases::Scheduler> = runs
        .iter()
        .filter_map(|r| r.options.scheduler.as_ref())
        .collect();
    if let Some(scheduler) = shared.first()
        && shared.len() == runs.len()
        && shared.iter().all(|s| s.is(scheduler))
    {
        scheduler.expect_runs(runs.len());
    }
    futures::future::join_all(
        runs.iter()
            .enumerate()
            .map(|(i, run)| run.execute(suite, cases, progress(i))),
    )
    .await
}

/// The exit code of a finished run: 2 when spec files had errors (whatever the cases did), 1
/// when the gate found something, 0 otherwise.
pub fn exit_code(suite: &Suite, judgement: &Judgement) -> u8 {
    if !suite.errors.is_empty() {
        crate::error::EXIT_UNUSABLE
    } else if judgement.passed() {
        0
    } else {
        crate::error::EXIT_FAILED
    }
}
