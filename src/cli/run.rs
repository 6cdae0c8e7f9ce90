//! The commands that run the suite: `run` and `baseline update`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use taro_conformance::error::{EXIT_FAILED, Error, FileError};
use taro_conformance::run::{self, BaselineChoice, Progress, Run, RunReport};
use taro_conformance::runlog::RunLog;
use taro_conformance::spec::{LoadedCase, Suite};
use taro_conformance::{adapter, bisect, gate, github, junit, runner, summary};

use super::{Outcome, Select, block_on, exit_for_specs};

/// `run`.
#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    select: Select,
    /// The adapter: `reference`, a name under adapters/, or a path to a manifest.
    #[arg(long, default_value = adapter::REFERENCE)]
    adapter: String,
    /// How many cases run at once.
    #[arg(long, default_value_t = runner::default_jobs())]
    jobs: usize,
    /// Where to write the JSON-lines run log (default: target/conformance/ADAPTER.jsonl).
    #[arg(long)]
    log: Option<PathBuf>,
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
    /// case whose status or fingerprint varied; exit 1 if any did. The log holds the last run.
    #[arg(long, value_name = "N")]
    repeat: Option<usize>,
    /// Print each finding as a CI annotation on its case's spec line (`github`: workflow
    /// commands; the default in GitHub Actions).
    #[arg(long, value_enum)]
    annotations: Option<Annotations>,
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
    /// Where to write the last run's log (default: target/conformance/ADAPTER.verify.jsonl).
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
    let changes = taro_conformance::verify::changed_since(&suite, &args.since)?;
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
    repeat(&pipeline, &suite, &selected, &args.adapter, args.times)
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

/// Runs the suite, prints the summary and the gate's findings.
pub fn run(args: RunArgs) -> Outcome {
    if args.jobs == 0 {
        return Err(Error::Usage("--jobs must be at least 1".into()));
    }
    let (suite, selected) = args.select.load()?;
    let choice = match (args.baseline, args.no_baseline) {
        (_, true) => BaselineChoice::None,
        (Some(path), _) => BaselineChoice::File(path),
        (None, false) => BaselineChoice::Default,
    };
    let log = args.log.unwrap_or_else(|| run::default_log(&args.adapter));
    let pipeline = Run::new(&args.adapter)
        .jobs(args.jobs)
        .log_to(&log)
        .baseline(choice)
        .partition(args.select.partition);
    if let Some(times) = args.repeat {
        return repeat(&pipeline, &suite, &selected, &args.adapter, times);
    }
    let mut report = execute(&pipeline, &suite, &selected)?;
    if args.retry_unexpected > 0 && !report.judgement.passed() {
        report = block_on(pipeline.retry_unexpected(&suite, report, args.retry_unexpected))??;
    }
    if let Some(path) = &args.junit {
        write_junit(path, &args.adapter, &suite, &report)?;
    }
    let judgement = &report.judgement;
    print!(
        "{}",
        summary::render(&report.results, &args.adapter, judgement.baseline.is_some())
    );
    if args.annotations == Some(Annotations::Github) || github::in_actions() {
        // Bad spec files were annotated as they loaded when in Actions.
        if !github::in_actions() {
            github::spec_annotations(&suite)
                .iter()
                .for_each(|l| println!("{l}"));
        }
        for line in github::run_annotations(&suite, &args.adapter, &report) {
            println!("{line}");
        }
    }
    github::append_summary(&github::run_summary(&args.adapter, &report))?;
    for flaky in &report.flaky {
        println!(
            "flaky: {} was {} at first; run {} was as the gate expects",
            flaky.first.id, flaky.first.status, flaky.accepted_on
        );
    }
    for note in judgement.intermittent_notes() {
        println!("{note}");
    }
    println!("run log: {}", log.display());
    if let Some(path) = &judgement.baseline {
        if judgement.passed() {
            println!(
                "gate: ok against {} ({} known divergence(s))",
                path.display(),
                judgement.listed
            );
        } else {
            println!(
                "gate: {} finding(s) against {}:",
                judgement.findings.len(),
                path.display()
            );
            for finding in &judgement.findings {
                println!("  {finding}");
            }
            println!(
                "  (after a deliberate change: taro-conformance baseline update --adapter {})",
                args.adapter
            );
        }
    }
    Ok(exit_for_specs(&suite, run::exit_code(&suite, judgement)))
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

/// `run --repeat N`: the selection N times, then every case that varied.
fn repeat(
    pipeline: &Run,
    suite: &Suite,
    selected: &[LoadedCase],
    adapter: &str,
    times: usize,
) -> Outcome {
    if times < 2 {
        return Err(Error::Usage("--repeat takes 2 or more runs".into()));
    }
    let mut runs = Vec::new();
    for n in 1..=times {
        let report = execute(pipeline, suite, selected)?;
        let varied = run::variations(&[
            runs.first().cloned().unwrap_or_default(),
            report.results.clone(),
        ]);
        eprintln!(
            "run {n}/{times}: {} case(s) differ from run 1",
            varied.len()
        );
        runs.push(report.results);
    }
    let varied = run::variations(&runs);
    if varied.is_empty() {
        println!(
            "{} case(s) on `{adapter}`, {times} runs: every case ended the same way every time",
            selected.len()
        );
        return Ok(exit_for_specs(suite, 0));
    }
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
    }
    Ok(exit_for_specs(suite, EXIT_FAILED))
}

/// Writes a run's JUnit XML.
fn write_junit(path: &Path, adapter: &str, suite: &Suite, report: &RunReport) -> Result<(), Error> {
    let classnames = suite
        .cases
        .iter()
        .map(|c| (c.case.id.clone(), c.area(&suite.root)))
        .collect();
    let xml = junit::report(
        "taro-conformance",
        &[junit::Suite {
            name: format!("{}@{}", report.adapter.name, report.adapter.version),
            adapter: adapter.to_string(),
            results: &report.results,
            judgement: &report.judgement,
            classnames: &classnames,
            flaky: &report.flaky,
        }],
    )
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
    let tty = std::io::stderr().is_terminal();
    let report = block_on(
        pipeline.execute(suite, selected, |progress| match progress {
            Progress::Started {
                adapter,
                cases,
                at_once,
            } => eprintln!(
                "running {cases} cases on `{}` {} ({}, {}), {at_once} at once",
                adapter.name, adapter.version, adapter.platform, adapter.runtime
            ),
            Progress::Finished {
                done,
                total,
                result,
            } if tty => eprint!("\r\x1b[2K[{done}/{total}] {} {}", result.status, result.id),
            Progress::Finished { .. } => {}
            Progress::LogFailed(error) => eprintln!("warning: cannot write the run log: {error}"),
        }),
    );
    if tty {
        eprintln!();
    }
    report?
}
