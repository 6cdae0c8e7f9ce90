//! `run`: the suite on one adapter or several, its summary, its gate, and what it writes beside
//! (JUnit, annotations, the matrix).

use std::path::{Path, PathBuf};

use clap::Args;
use taro_conformance::adapter;
use taro_conformance::error::{Error, FileError};
use taro_conformance::report::{junit, summary};
use taro_conformance::run::cases as runner;
use taro_conformance::run::{self, BaselineChoice, Run, RunReport};
use taro_conformance::spec::{LoadedCase, Suite};

mod end;

use end::{print_one, print_several};

use super::progress::Bars;
use super::{Outcome, Select, block_on, exit_for_specs};

/// `run`.
#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    select: Select,
    /// The adapter: `reference` (the default), a name under adapters/, or a path to a manifest
    /// (`NAME@VERSION` for another version set up beside the pinned one). Repeat it to run
    /// several adapters at once, in one process.
    #[arg(long = "adapter", value_name = "NAME")]
    adapters: Vec<String>,
    /// Every adapter that is set up (the reference, and each manifest under adapters/ whose
    /// setup has run), at once, in one process.
    #[arg(long, conflicts_with = "adapters")]
    all: bool,
    /// How many cases run at once on each adapter, and, with several adapters, across them all
    /// (a case moving megabytes takes a quarter of those slots, and its adapter to itself).
    #[arg(long, default_value_t = runner::default_jobs())]
    jobs: usize,
    /// How a browser adapter's pages are kept apart between cases: `pooled` lets a worker page
    /// keep its origin across cases when the adapter asks for it and proves the page clean;
    /// `per-case` gives every case fresh origins, so every page navigates.
    #[arg(long, value_enum, default_value = "pooled")]
    isolation: runner::Isolation,
    /// Where to write the JSON-lines run log (default: target/conformance/ADAPTER.jsonl; with
    /// several adapters, each writes its default).
    #[arg(long, conflicts_with = "log_dir")]
    log: Option<PathBuf>,
    /// Write each adapter's log into DIR instead of target/conformance (as NAME.jsonl).
    #[arg(long, value_name = "DIR")]
    log_dir: Option<PathBuf>,
    /// The baseline to judge the run against (default: reports/baselines/ADAPTER.yaml, when it
    /// exists).
    #[arg(long, conflicts_with = "no_baseline")]
    baseline: Option<PathBuf>,
    /// Judge without a baseline: every case must pass or not apply.
    #[arg(long)]
    no_baseline: bool,
    /// Also write the results as JUnit XML to FILE, red exactly where the gate is.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Run again, up to N times, each case the gate found something about; one the gate then
    /// accepts is reported as flaky (in the summary and in JUnit), and the gate passes on it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    retry_unexpected: usize,
    /// Run the selected cases N times (the adapter started afresh each time) and list every
    /// case whose status or fingerprint varied; exit 1 if any did. Run K of N writes
    /// NAME.run-K.jsonl beside the log; the log holds the last run.
    #[arg(long, value_name = "N")]
    repeat: Option<usize>,
    /// Print each finding as a CI annotation on its case's spec line (`github`: workflow
    /// commands; the default in GitHub Actions), or none (`none`).
    #[arg(long, value_enum)]
    annotations: Option<Annotations>,
    /// Write nothing into GitHub's job summary (`GITHUB_STEP_SUMMARY`): for a run whose findings
    /// are not the job's to report, such as the pinned release run beside a build under test.
    #[arg(long)]
    no_job_summary: bool,
    /// Also write into DIR what `report --html` writes for the logs this run wrote: the matrix
    /// (matrix.md, matrix.json, matrix.html) and the support pages.
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
}

impl RunArgs {
    /// The adapters named (`reference` when none is), or every one set up with `--all`.
    fn adapters(&self) -> Vec<String> {
        if self.all {
            let (names, errors) = adapter::manifest::set_up();
            for error in errors {
                errln!("warning: {error} (that adapter is left out)");
            }
            return names;
        }
        if self.adapters.is_empty() {
            return vec![adapter::REFERENCE.to_string()];
        }
        let mut names = self.adapters.clone();
        let mut seen = std::collections::BTreeSet::new();
        names.retain(|n| seen.insert(n.clone()));
        names
    }

    /// Where `adapter`'s log goes.
    fn log_of(&self, adapter: &str) -> PathBuf {
        let default = run::default_log(adapter);
        match (&self.log, &self.log_dir) {
            (Some(log), _) => log.clone(),
            (None, Some(dir)) => dir.join(default.file_name().expect("a log has a file name")),
            (None, None) => default,
        }
    }

    fn baseline_choice(&self) -> BaselineChoice {
        match (&self.baseline, self.no_baseline) {
            (_, true) => BaselineChoice::None,
            (Some(path), _) => BaselineChoice::File(path.clone()),
            (None, false) => BaselineChoice::Default,
        }
    }

    /// A run for each adapter; several share one scheduler, so that the cases in flight across
    /// them stay within `--jobs`.
    fn runs(&self, adapters: &[String]) -> Vec<Run> {
        let scheduler = (adapters.len() > 1).then(|| runner::Scheduler::shared_by(self.jobs));
        adapters
            .iter()
            .map(|adapter| {
                let run = Run::new(adapter)
                    .jobs(self.jobs)
                    .isolation(self.isolation)
                    .log_to(self.log_of(adapter))
                    .baseline(self.baseline_choice())
                    .partition(self.select.partition);
                match &scheduler {
                    Some(scheduler) => run.scheduler(scheduler.clone()),
                    None => run,
                }
            })
            .collect()
    }
}

/// The annotation formats.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Annotations {
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
    /// None, even in GitHub Actions.
    None,
}

/// Runs the suite on one adapter or several (in one process, sharing one scheduler), prints
/// the summary and each gate's findings.
pub fn run(args: RunArgs) -> Outcome {
    if args.jobs == 0 {
        return Err(Error::Usage("--jobs must be at least 1".into()));
    }
    let adapters = args.adapters();
    let (suite, selected) = args.select.load()?;
    let several = adapters.len() > 1;
    if several {
        for (given, option) in [
            (args.log.is_some(), "--log FILE"),
            (args.baseline.is_some(), "--baseline FILE"),
        ] {
            if given {
                return Err(Error::Usage(format!(
                    "{option} is for one adapter; with several, each writes NAME.jsonl (in --log-dir, default target/conformance) and is judged against its own baseline"
                )));
            }
        }
    }
    let runs = args.runs(&adapters);
    if let Some(times) = args.repeat {
        return super::repeat::repeat(&runs, &suite, &selected, times);
    }
    if several {
        errln!(
            "running {} cases on {} adapters at once, {} cases in flight at most",
            selected.len(),
            adapters.len(),
            args.jobs
        );
    }
    let mut reports = Vec::new();
    let mut unusable = Vec::new();
    for ((adapter, outcome), pipeline) in adapters
        .iter()
        .zip(execute_each(&runs, &suite, &selected)?)
        .zip(&runs)
    {
        match outcome {
            Ok(mut report) => {
                if args.retry_unexpected > 0 && !report.judgement.passed() {
                    report = block_on(pipeline.retry_unexpected(
                        &suite,
                        report,
                        args.retry_unexpected,
                    ))??;
                }
                reports.push((adapter.clone(), report));
            }
            // One adapter that cannot run is the command's error; among several, it is one line.
            Err(error) if !several => return Err(error),
            Err(error) => unusable.push((adapter.clone(), error)),
        }
    }
    if let Some(path) = &args.junit {
        write_junit(path, &suite, &reports)?;
    }
    let code = if several {
        print_several(&args, &suite, &adapters, &reports, &unusable)?
    } else {
        print_one(&args, &suite, &reports[0])?
    };
    Ok(exit_for_specs(&suite, code))
}

/// Runs each pipeline on the selection, at once, with a progress bar each.
pub(super) fn execute_each(
    pipelines: &[Run],
    suite: &Suite,
    selected: &[LoadedCase],
) -> Result<Vec<Result<RunReport, Error>>, Error> {
    let names: Vec<String> = pipelines.iter().map(|p| p.adapter().to_string()).collect();
    let bars = Bars::new(&names, selected.len());
    let reports = block_on(run::execute_all(pipelines, suite, selected, |i| {
        bars.callback(i)
    }))?;
    for (i, report) in reports.iter().enumerate() {
        let message = match report {
            Ok(report) => summary::counts(report.results.iter().map(|r| r.status)),
            Err(_) => "could not run".into(),
        };
        bars.finish(i, message);
    }
    Ok(reports)
}

/// Writes the JUnit XML of one or several adapters' runs: a testsuite each.
fn write_junit(path: &Path, suite: &Suite, reports: &[(String, RunReport)]) -> Result<(), Error> {
    let classnames = suite
        .cases
        .iter()
        .map(|c| (c.case.id.clone(), c.area(&suite.root)))
        .collect();
    let suites: Vec<junit::Suite> = reports
        .iter()
        .map(|(adapter, report)| junit::Suite {
            name: format!("{}@{}", report.adapter.name, report.adapter.version),
            adapter: adapter.clone(),
            results: &report.results,
            judgement: &report.judgement,
            classnames: &classnames,
            flaky: &report.flaky,
        })
        .collect();
    let xml = junit::xml("taro-conformance", &suites);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| FileError::unwritable(dir, &e))?;
    }
    std::fs::write(path, xml).map_err(|e| FileError::unwritable(path, &e))?;
    Ok(())
}

/// Executes a run, showing progress on a terminal.
pub(super) fn execute(
    pipeline: &Run,
    suite: &Suite,
    selected: &[LoadedCase],
) -> Result<RunReport, Error> {
    execute_each(std::slice::from_ref(pipeline), suite, selected)?
        .pop()
        .expect("one report per pipeline")
}
