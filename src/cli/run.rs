//! The commands that run the suite: `run` and `baseline update`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use taro_conformance::adapter;
use taro_conformance::error::{EXIT_FAILED, Error, FileError};
use taro_conformance::history::bisect;
use taro_conformance::report::doubt::DOUBTS_PATH;
use taro_conformance::report::{github, junit, summary};
use taro_conformance::run::log::RunLog;
use taro_conformance::run::{self, BaselineChoice, Run, RunReport};
use taro_conformance::run::{cases as runner, gate};
use taro_conformance::spec::{LoadedCase, Suite};

use super::progress::Bars;
use super::report::Built;
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
    /// commands; the default in GitHub Actions).
    #[arg(long, value_enum)]
    annotations: Option<Annotations>,
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
                eprintln!("warning: {error} (that adapter is left out)");
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
}

/// The annotation formats.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Annotations {
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
}

/// `baseline …`.
#[derive(Subcommand)]
pub enum BaselineAction {
    /// Run the suite and rewrite the adapter's baseline from it, keeping the reasons written.
    Update {
        /// The adapter's name or manifest path.
        #[arg(long, default_value = adapter::REFERENCE)]
        adapter: String,
        /// The baseline file (default: reports/baselines/NAME.yaml).
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Take the results from this run log instead of running the suite (the log must be of
        /// the whole suite).
        #[arg(long, value_name = "FILE")]
        from_log: Option<PathBuf>,
        #[command(flatten)]
        select: Select,
    },
}

/// `verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The adapter to run the cases on.
    #[arg(long, default_value = adapter::REFERENCE)]
    adapter: String,
    /// The git revision whose spec files are the "before" (default: the last commit).
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    since: String,
    /// How many times each new or changed case runs.
    #[arg(long, value_name = "N", default_value_t = 10)]
    times: usize,
    /// How many cases run at once.
    #[arg(long, default_value_t = runner::default_jobs())]
    jobs: usize,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Where to write the last run's log (default: target/conformance/ADAPTER.verify.jsonl);
    /// run K writes ADAPTER.verify.run-K.jsonl beside it.
    #[arg(long)]
    log: Option<PathBuf>,
}

/// Runs the cases that are new or changed since a revision several times; fails if any ends
/// differently from one run to the next.
pub fn verify(args: VerifyArgs) -> Outcome {
    if args.jobs == 0 {
        return Err(Error::Usage("--jobs must be at least 1".into()));
    }
    if args.times < 2 {
        return Err(Error::Usage(
            "--times takes 2 or more: one run cannot vary".into(),
        ));
    }
    let suite = super::load_suite(&args.specs);
    let changes = taro_conformance::tools::verify::changed_since(&suite, &args.since)?;
    if changes.is_empty() {
        println!(
            "no case is new or changed since {} under {}",
            args.since,
            args.specs.display()
        );
        return Ok(exit_for_specs(&suite, 0));
    }
    println!(
        "{} new and {} changed case(s) since {}: {}",
        changes.new.len(),
        changes.changed.len(),
        args.since,
        changes.ids().collect::<Vec<_>>().join(", ")
    );
    let ids: std::collections::BTreeSet<&str> = changes.ids().collect();
    let selected: Vec<LoadedCase> = suite
        .cases
        .iter()
        .filter(|c| ids.contains(c.case.id.as_str()))
        .cloned()
        .collect();
    let pipeline = Run::new(&args.adapter)
        .jobs(args.jobs)
        .log_to(
            args.log
                .unwrap_or_else(|| run::default_log(&args.adapter).with_extension("verify.jsonl")),
        )
        .baseline(BaselineChoice::None);
    repeat(&[pipeline], &suite, &selected, args.times)
}

/// `bisect`.
#[derive(Args)]
pub struct BisectArgs {
    /// The case id.
    case: String,
    /// The adapter (of a Taro package that lists its versions).
    #[arg(long)]
    adapter: String,
    /// A release where the case behaves as it used to.
    #[arg(long)]
    good: String,
    /// A release where it behaves otherwise.
    #[arg(long)]
    bad: String,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
}

/// Finds the first release where a case's behaviour changes.
pub fn bisect(args: BisectArgs) -> Outcome {
    let suite = taro_conformance::spec::load_dir(&args.specs);
    let found = block_on(bisect::bisect(
        &args.adapter,
        &suite,
        &args.case,
        &args.good,
        &args.bad,
        |probe| {
            eprintln!(
                "  {}: {} (fingerprint {})",
                probe.version, probe.status, probe.fingerprint
            )
        },
    ))??;
    let show = |probe: &bisect::Probe| {
        println!("  {}: {}", probe.version, probe.status);
        for line in &probe.mismatches {
            println!("    - {line}");
        }
    };
    println!(
        "`{}` changes first in {} (after {}), found in {} run(s):",
        args.case,
        found.first_changed.version,
        found.last_before.version,
        found.probed.len()
    );
    show(&found.last_before);
    show(&found.first_changed);
    Ok(0)
}

/// Runs the suite on one adapter or several, prints the summary and the gate's findings.
pub fn run(args: RunArgs) -> Outcome {
    if args.jobs == 0 {
        return Err(Error::Usage("--jobs must be at least 1".into()));
    }
    let adapters = args.adapters();
    let (suite, selected) = args.select.load()?;
    if adapters.len() > 1 {
        return run_several(&args, &adapters, &suite, &selected);
    }
    let adapter = &adapters[0];
    let log = args.log_of(adapter);
    let pipeline = Run::new(adapter)
        .jobs(args.jobs)
        .log_to(&log)
        .baseline(args.baseline_choice())
        .partition(args.select.partition);
    if let Some(times) = args.repeat {
        return repeat(&[pipeline], &suite, &selected, times);
    }
    let mut report = execute(&pipeline, &suite, &selected)?;
    if args.retry_unexpected > 0 && !report.judgement.passed() {
        report = block_on(pipeline.retry_unexpected(&suite, report, args.retry_unexpected))??;
    }
    let reports = [(adapter.clone(), report)];
    if let Some(path) = &args.junit {
        write_junit(path, &suite, &reports)?;
    }
    let report = &reports[0].1;
    print!(
        "{}",
        summary::render(
            &report.results,
            adapter,
            report.judgement.baseline.is_some()
        )
    );
    annotate(&args, &suite, &reports);
    github::append_summary(&github::run_summary(adapter, report))?;
    print_gate(adapter, report, false);
    if let Some(dir) = &args.report {
        Built::from_logs(&suite, &[log], DOUBTS_PATH.as_ref())?.write(&suite, dir, true)?;
    }
    Ok(exit_for_specs(
        &suite,
        run::exit_code(&suite, &report.judgement),
    ))
}

/// `run` on several adapters at once: one process, one scheduler, a log and a gate each.
fn run_several(
    args: &RunArgs,
    adapters: &[String],
    suite: &Suite,
    selected: &[LoadedCase],
) -> Outcome {
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
    let scheduler = runner::Scheduler::shared_by(args.jobs);
    let runs: Vec<Run> = adapters
        .iter()
        .map(|adapter| {
            Run::new(adapter)
                .jobs(args.jobs)
                .log_to(args.log_of(adapter))
                .baseline(args.baseline_choice())
                .partition(args.select.partition)
                .scheduler(scheduler.clone())
        })
        .collect();
    if let Some(times) = args.repeat {
        return repeat(&runs, suite, selected, times);
    }
    eprintln!(
        "running {} cases on {} adapters at once, {} cases in flight at most",
        selected.len(),
        adapters.len(),
        scheduler.slots()
    );
    let outcomes = execute_each(&runs, suite, selected)?;
    let mut reports = Vec::new();
    let mut unusable = Vec::new();
    for ((i, outcome), pipeline) in outcomes.into_iter().enumerate().zip(&runs) {
        let adapter = adapters[i].clone();
        match outcome {
            Ok(mut report) => {
                if args.retry_unexpected > 0 && !report.judgement.passed() {
                    report =
                        block_on(pipeline.retry_unexpected(suite, report, args.retry_unexpected))??;
                }
                reports.push((adapter, report));
            }
            Err(error) => unusable.push((adapter, error)),
        }
    }
    if let Some(path) = &args.junit {
        write_junit(path, suite, &reports)?;
    }
    annotate(args, suite, &reports);
    let mut code = 0;
    for (adapter, report) in &reports {
        println!(
            "\n== `{adapter}` ({} {}, {}): {} cases: {}",
            report.adapter.name,
            report.adapter.version,
            report.adapter.runtime,
            report.results.len(),
            summary::counts(report.results.iter().map(|r| r.status))
        );
        print_gate(adapter, report, true);
        github::append_summary(&github::run_summary(adapter, report))?;
        code = code.max(run::exit_code(suite, &report.judgement));
    }
    for (adapter, error) in &unusable {
        println!("\n== `{adapter}`: could not run");
        super::print_error(error);
        code = code.max(error.exit_code());
    }
    let logs: Vec<PathBuf> = reports.iter().filter_map(|(_, r)| r.log.clone()).collect();
    // The logs are read back once, and only when the matrix is wanted.
    if !logs.is_empty() && (args.report.is_some() || github::summary_file().is_some()) {
        let built = Built::from_logs(suite, &logs, DOUBTS_PATH.as_ref())?;
        github::append_summary(&github::matrix_summary(&built.matrix))?;
        if let Some(dir) = &args.report {
            built.write(suite, dir, true)?;
        }
    }
    println!(
        "\n{} adapter(s): {} gate(s) passed, {} failed, {} could not run",
        adapters.len(),
        reports.iter().filter(|(_, r)| r.judgement.passed()).count(),
        reports
            .iter()
            .filter(|(_, r)| !r.judgement.passed())
            .count(),
        unusable.len()
    );
    Ok(exit_for_specs(suite, code))
}

/// Prints the annotations of every run, when asked to or in GitHub Actions.
fn annotate(args: &RunArgs, suite: &Suite, reports: &[(String, RunReport)]) {
    if args.annotations != Some(Annotations::Github) && !github::in_actions() {
        return;
    }
    // Bad spec files were annotated as they loaded when in Actions.
    if !github::in_actions() {
        github::spec_annotations(suite)
            .iter()
            .for_each(|l| println!("{l}"));
    }
    for (adapter, report) in reports {
        for line in github::run_annotations(suite, adapter, report) {
            println!("{line}");
        }
    }
}

/// The end of one adapter's run: its flaky and intermittent cases, its log, and the gate (with
/// the command that reruns each finding's case, when no summary above gave it).
fn print_gate(adapter: &str, report: &RunReport, reruns: bool) {
    let judgement = &report.judgement;
    for flaky in &report.flaky {
        println!(
            "flaky: {} was {} at first; run {} was as the gate expects",
            flaky.first.id, flaky.first.status, flaky.accepted_on
        );
    }
    for note in judgement.intermittent_notes() {
        println!("{note}");
    }
    if let Some(log) = &report.log {
        println!("run log: {}", log.display());
    }
    let Some(path) = &judgement.baseline else {
        return;
    };
    if judgement.passed() {
        println!(
            "gate: ok against {} ({} known divergence(s))",
            path.display(),
            judgement.listed
        );
        return;
    }
    println!(
        "gate: {} finding(s) against {}:",
        judgement.findings.len(),
        path.display()
    );
    for finding in &judgement.findings {
        println!("  {finding}");
        if reruns && !matches!(finding, gate::Finding::Stale { .. }) {
            println!(
                "      rerun: {}",
                taro_conformance::report::links::rerun_command(adapter, finding.id())
            );
        }
    }
    println!("  (after a deliberate change: taro-conformance baseline update --adapter {adapter})");
}

/// Runs the suite and rewrites the adapter's baseline from it.
pub fn baseline(action: BaselineAction) -> Outcome {
    let BaselineAction::Update {
        adapter,
        baseline,
        from_log,
        select,
    } = action;
    let (name, results) = match from_log {
        Some(log) => {
            let run = RunLog::read(&log)?;
            (run.header.adapter.name, run.results.into_values().collect())
        }
        None => {
            let (suite, selected) = select.load()?;
            if !suite.errors.is_empty() {
                return Err(Error::Usage(
                    "fix the spec files first: a baseline is written from the whole suite".into(),
                ));
            }
            let pipeline = Run::new(&adapter)
                .log_to(run::default_log(&adapter))
                .baseline(BaselineChoice::None);
            let report = execute(&pipeline, &suite, &selected)?;
            (report.adapter.name, report.results)
        }
    };
    let path = baseline.unwrap_or_else(|| gate::default_path(&name));
    let listed = gate::update_file(&path, &name, &results)?;
    println!(
        "wrote {} ({listed} case(s) that do not pass)",
        path.display()
    );
    Ok(0)
}

/// `run --repeat N`: the selection N times on each adapter, then every case that varied.
fn repeat(pipelines: &[Run], suite: &Suite, selected: &[LoadedCase], times: usize) -> Outcome {
    if times < 2 {
        return Err(Error::Usage("--repeat takes 2 or more runs".into()));
    }
    // Per adapter, each run's results.
    let mut runs: Vec<Vec<Vec<taro_conformance::CaseResult>>> = vec![Vec::new(); pipelines.len()];
    for n in 1..=times {
        let mut differ = 0;
        // Every run keeps its log, so that each way a case ended can be read whole: run K of N
        // writes NAME.run-K.jsonl beside the log, the last one the log itself.
        let this_run: Vec<Run> = pipelines
            .iter()
            .map(|p| match run_log(p, n, times) {
                Some(log) => p.clone().log_to(log),
                None => p.clone(),
            })
            .collect();
        for (i, report) in execute_each(&this_run, suite, selected)?
            .into_iter()
            .enumerate()
        {
            let report = report?;
            let first = runs[i].first().cloned().unwrap_or_default();
            differ += run::variations(&[first, report.results.clone()]).len();
            runs[i].push(report.results);
        }
        eprintln!("run {n}/{times}: {differ} case(s) differ from run 1");
    }
    let mut code = 0;
    for (pipeline, runs) in pipelines.iter().zip(&runs) {
        let adapter = pipeline.adapter();
        let varied = run::variations(runs);
        if varied.is_empty() {
            println!(
                "{} case(s) on `{adapter}`, {times} runs: every case ended the same way every time",
                selected.len()
            );
            continue;
        }
        code = EXIT_FAILED;
        println!(
            "{} of {} case(s) on `{adapter}` varied over {times} runs:",
            varied.len(),
            selected.len()
        );
        for variation in &varied {
            let outcomes: Vec<String> = variation
                .outcomes
                .iter()
                .map(|(status, fingerprint, n)| format!("{status} ({fingerprint}) ×{n}"))
                .collect();
            println!("  {}: {}", variation.id, outcomes.join(", "));
            // How each way it ended looked the first time, and the log of that run, so a flake
            // can be read, not rerun.
            for (status, fingerprint, _) in &variation.outcomes {
                let Some((n, example)) = runs.iter().enumerate().find_map(|(n, run)| {
                    run.iter()
                        .find(|r| r.id == variation.id && r.fingerprint() == *fingerprint)
                        .map(|r| (n + 1, r))
                }) else {
                    continue;
                };
                let said: Vec<String> = example
                    .detail()
                    .into_iter()
                    .chain(example.mismatches.iter().map(ToString::to_string))
                    .collect();
                let log = match run_log(pipeline, n, times) {
                    Some(log) => format!(" (run {n}: {})", log.display()),
                    None => format!(" (run {n})"),
                };
                let said = if said.is_empty() {
                    String::new()
                } else {
                    format!(": {}", said.join("; "))
                };
                println!("    {status} ({fingerprint}){log}{said}");
            }
        }
    }
    Ok(exit_for_specs(suite, code))
}

/// Where run `n` of `times` writes `pipeline`'s log, if it writes one: `NAME.run-N.jsonl` beside
/// the log, and the last run the log itself.
fn run_log(pipeline: &Run, n: usize, times: usize) -> Option<PathBuf> {
    let log = pipeline.log()?;
    if n == times {
        return Some(log.to_path_buf());
    }
    let stem = log.file_stem().unwrap_or_default().to_string_lossy();
    Some(log.with_file_name(format!("{stem}.run-{n}.jsonl")))
}

/// Runs each pipeline on the selection, at once, with a progress bar each.
fn execute_each(
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
    let xml = junit::report("taro-conformance", &suites)
        .to_string()
        .expect("a JUnit report serializes");
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| FileError::unwritable(dir, &e))?;
    }
    std::fs::write(path, xml).map_err(|e| FileError::unwritable(path, &e))?;
    Ok(())
}

/// Executes a run, showing progress on a terminal.
fn execute(pipeline: &Run, suite: &Suite, selected: &[LoadedCase]) -> Result<RunReport, Error> {
    execute_each(std::slice::from_ref(pipeline), suite, selected)?
        .pop()
        .expect("one report per pipeline")
}
