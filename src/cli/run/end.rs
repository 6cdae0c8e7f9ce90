//! How a run ends on the terminal: every case's line (one adapter) or a heading each (several),
//! the gates' findings with the command that reruns each, and annotations for CI.

use std::path::PathBuf;

use taro_conformance::error::Error;
use taro_conformance::report::doubt::DOUBTS_PATH;
use taro_conformance::report::{github, summary};
use taro_conformance::run::{self, RunReport, gate};
use taro_conformance::spec::Suite;

use super::{Annotations, RunArgs};
use crate::cli::Outcome;

/// The end of a run on one adapter: every case's line, the gate, and the pages `--report` asks
/// for.
pub(super) fn print_one(args: &RunArgs, suite: &Suite, entry: &(String, RunReport)) -> Outcome {
    let (adapter, report) = entry;
    out!(
        "{}",
        summary::render(
            &report.results,
            adapter,
            report.judgement.baseline.is_some()
        )
    );
    annotate(args, suite, std::slice::from_ref(entry));
    job_summary(args, &github::run_summary(adapter, report))?;
    print_gate(adapter, report, false);
    if let (Some(dir), Some(log)) = (&args.report, &report.log) {
        let reports =
            crate::cli::report::reports_of(suite, std::slice::from_ref(log), DOUBTS_PATH.as_ref())?;
        crate::cli::report::write(reports, suite, dir, true)?;
    }
    Ok(run::exit_code(suite, &report.judgement))
}

/// The end of a run on several adapters: a heading and the gate of each, those that could not
/// run, the matrix when `--report` (or a job summary) wants it, and one line for them all.
pub(super) fn print_several(
    args: &RunArgs,
    suite: &Suite,
    adapters: &[String],
    reports: &[(String, RunReport)],
    unusable: &[(String, Error)],
) -> Outcome {
    annotate(args, suite, reports);
    let mut code = 0;
    for (adapter, report) in reports {
        outln!(
            "\n== `{adapter}` ({} {}, {}): {} cases: {}",
            report.adapter.name,
            report.adapter.version,
            report.adapter.runtime,
            report.results.len(),
            summary::counts(report.results.iter().map(|r| r.status))
        );
        print_gate(adapter, report, true);
        job_summary(args, &github::run_summary(adapter, report))?;
        code = code.max(run::exit_code(suite, &report.judgement));
    }
    for (adapter, error) in unusable {
        outln!("\n== `{adapter}`: could not run");
        crate::cli::print_error(error);
        code = code.max(error.exit_code());
    }
    let logs: Vec<PathBuf> = reports.iter().filter_map(|(_, r)| r.log.clone()).collect();
    // The logs are read back once, and only when the matrix is wanted.
    let summary = github::summary_file().is_some() && !args.no_job_summary;
    if !logs.is_empty() && (args.report.is_some() || summary) {
        let built = crate::cli::report::reports_of(suite, &logs, DOUBTS_PATH.as_ref())?;
        job_summary(args, &github::matrix_summary(&built.matrix))?;
        if let Some(dir) = &args.report {
            crate::cli::report::write(built, suite, dir, true)?;
        }
    }
    outln!(
        "\n{} adapter(s): {} gate(s) passed, {} failed, {} could not run",
        adapters.len(),
        reports.iter().filter(|(_, r)| r.judgement.passed()).count(),
        reports
            .iter()
            .filter(|(_, r)| !r.judgement.passed())
            .count(),
        unusable.len()
    );
    Ok(code)
}

/// Appends `markdown` to the job summary, unless `--no-job-summary`.
fn job_summary(args: &RunArgs, markdown: &str) -> Result<(), Error> {
    if args.no_job_summary {
        return Ok(());
    }
    github::append_summary(markdown)?;
    Ok(())
}

/// Prints the annotations of every run, when asked to or in GitHub Actions: as many as GitHub
/// shows, then one notice for the rest.
fn annotate(args: &RunArgs, suite: &Suite, reports: &[(String, RunReport)]) {
    let wanted = match args.annotations {
        Some(Annotations::Github) => true,
        Some(Annotations::None) => false,
        None => github::in_actions(),
    };
    if !wanted {
        return;
    }
    let mut lines = Vec::new();
    // Bad spec files were annotated as they loaded when in Actions.
    if !github::in_actions() {
        lines.extend(github::spec_annotations(suite));
    }
    for (adapter, report) in reports {
        lines.extend(github::run_annotations(suite, adapter, report));
    }
    let logs: Vec<String> = reports
        .iter()
        .filter_map(|(_, r)| r.log.as_ref().map(|l| l.display().to_string()))
        .collect();
    let full_list = match logs.as_slice() {
        [] => "this step's log (under `gate:`)".to_string(),
        logs => format!(
            "this step's log (under `gate:`),{} the run log ({})",
            if args.no_job_summary {
                ""
            } else {
                " the job summary,"
            },
            logs.join(", ")
        ),
    };
    for line in github::within_limit(lines, &full_list) {
        crate::cli::annotation(&line);
    }
}

/// The end of one adapter's run: its flaky and intermittent cases, its log, and the gate (with
/// the command that reruns each finding's case, when no summary above gave it).
fn print_gate(adapter: &str, report: &RunReport, reruns: bool) {
    let judgement = &report.judgement;
    for flaky in &report.flaky {
        outln!(
            "flaky: {} was {} at first; run {} was as the gate expects",
            flaky.first.id,
            flaky.first.status,
            flaky.accepted_on
        );
    }
    for note in judgement.intermittent_notes() {
        outln!("{note}");
    }
    if let Some(log) = &report.log {
        outln!("run log: {}", log.display());
    }
    let Some(path) = &judgement.baseline else {
        return;
    };
    if judgement.passed() {
        outln!(
            "gate: ok against {} ({} known divergence(s))",
            path.display(),
            judgement.listed
        );
        return;
    }
    outln!(
        "gate: {} finding(s) against {}:",
        judgement.findings.len(),
        path.display()
    );
    for finding in &judgement.findings {
        outln!("  {finding}");
        if reruns && !matches!(finding, gate::Finding::Stale { .. }) {
            outln!(
                "      rerun: {}",
                taro_conformance::report::links::rerun_command(adapter, finding.id())
            );
        }
    }
    // One cause behind many findings (a broken default, a missing function) is said once.
    let found: std::collections::BTreeSet<&str> =
        judgement.findings.iter().map(|f| f.id()).collect();
    let shared = taro_conformance::outcome::shared_causes(
        report
            .results
            .iter()
            .filter(|r| found.contains(r.id.as_str())),
    );
    for (cause, ids) in shared {
        outln!("  {} of these cases: {cause}", ids.len());
    }
    match taro_conformance::adapter::manifest::split_version(adapter) {
        (pinned, Some(label)) => outln!(
            "  (`{adapter}` is judged against `{pinned}`'s baseline, the pinned release's: a \
             finding is what @{label} changes. If the change is intended, that baseline changes \
             with the release that ships it: `taro-conformance baseline update --adapter {pinned}` \
             once that release is pinned; this run never writes it)"
        ),
        (_, None) => outln!(
            "  (after a deliberate change: taro-conformance baseline update --adapter {adapter})"
        ),
    }
}
