//! `run --repeat` and `verify`: the same cases run again and again, and every case that ended
//! differently from one run to the next.

use std::path::PathBuf;

use clap::Args;
use taro_conformance::adapter;
use taro_conformance::error::{EXIT_FAILED, Error};
use taro_conformance::run::cases as runner;
use taro_conformance::run::{self, BaselineChoice, Run};
use taro_conformance::spec::{LoadedCase, Suite};

use super::run::execute_each;
use super::{Outcome, exit_for_specs};

/// `verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The adapter to run the cases on.
    #[arg(long, default_value = adapter::REFERENCE)]
    adapter: String,
    /// The commit whose spec files are the "before" (default: the last commit): `HEAD~1`, a
    /// branch, a tag or an id; not a range or a tree.
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
    let since = format!(
        "{} ({})",
        args.since,
        changes.commit.get(..12).unwrap_or(&changes.commit)
    );
    if changes.is_empty() {
        outln!(
            "no case is new or changed since {since} under {}",
            args.specs.display()
        );
        return Ok(exit_for_specs(&suite, 0));
    }
    outln!(
        "{} new and {} changed case(s) since {since}: {}",
        changes.new.len(),
        changes.changed.len(),
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

/// `run --repeat N`: the selection N times on each adapter, then every case that varied.
pub(super) fn repeat(
    pipelines: &[Run],
    suite: &Suite,
    selected: &[LoadedCase],
    times: usize,
) -> Outcome {
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
        errln!("run {n}/{times}: {differ} case(s) differ from run 1");
    }
    let mut code = 0;
    for (pipeline, runs) in pipelines.iter().zip(&runs) {
        let adapter = pipeline.adapter();
        let varied = run::variations(runs);
        if varied.is_empty() {
            outln!(
                "{} case(s) on `{adapter}`, {times} runs: every case ended the same way every time",
                selected.len()
            );
            continue;
        }
        code = EXIT_FAILED;
        outln!(
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
            outln!("  {}: {}", variation.id, outcomes.join(", "));
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
                outln!("    {status} ({fingerprint}){log}{said}");
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
