//! The commands that read run logs: `report` (the matrix and the pages made from it) and `diff`.

use std::path::{Path, PathBuf};

use clap::Args;
use taro_conformance::error::{EXIT_FAILED, Error, FileError};
use taro_conformance::report::diff::diff as compare;
use taro_conformance::report::doubt::DOUBTS_PATH;
use taro_conformance::report::{Reports, Stale, github, links};
use taro_conformance::run::log::RunLog;
use taro_conformance::spec::Suite;

use super::{Outcome, exit_for_specs, load_suite};

/// `report`.
#[derive(Args)]
pub struct ReportArgs {
    /// A run log; give one per adapter column, in column order.
    #[arg(long = "log", required = true)]
    logs: Vec<PathBuf>,
    /// Where to write matrix.md, matrix.json and the support page (support.md, support.zh-CN.md).
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Where documentation and field reports disagree: the cells to mark ❓.
    #[arg(long, default_value = DOUBTS_PATH)]
    doubts: PathBuf,
    /// Write nothing: fail when the rows (cases and statuses) of OUT/matrix.json, or the support
    /// pages, differ from these logs' (the adapters' versions may differ, the evidence may not).
    #[arg(long)]
    check: bool,
    /// Also write OUT/matrix.html, the matrix as one page to open in a browser (with `--check`:
    /// also fail when it is missing, made by another template, or shows other rows).
    #[arg(long)]
    html: bool,
}

/// `diff`.
#[derive(Args)]
pub struct DiffArgs {
    /// The old run's log, or a directory of its logs (the slices of a partitioned run).
    old: PathBuf,
    /// The new run's log, or a directory of its logs.
    new: PathBuf,
    /// Print JSON (for tools) instead of Markdown.
    #[arg(long)]
    json: bool,
    /// Head the Markdown with TITLE (`### TITLE`, the sections one level down), to sit as one
    /// section of a job summary that has others.
    #[arg(long, value_name = "TITLE")]
    title: Option<String>,
}

/// Writes the matrix from run logs, or checks the committed one.
pub fn report(args: ReportArgs) -> Outcome {
    let suite = load_suite(&args.specs);
    let reports = reports_of(&suite, &args.logs, &args.doubts)?;
    github::append_summary(&github::matrix_summary(&reports.matrix))?;
    if !args.check {
        write(reports, &suite, &args.out, args.html)?;
        return Ok(exit_for_specs(&suite, 0));
    }
    let stale = reports.stale(&args.out, args.html)?;
    if !stale.is_empty() {
        let logs: Vec<String> = args
            .logs
            .iter()
            .map(|l| format!("--log {}", l.display()))
            .collect();
        let again = format!(
            "regenerate with `taro-conformance report {}{} --out {}` and commit",
            logs.join(" "),
            if args.html { " --html" } else { "" },
            args.out.display()
        );
        let (unexplained, explained): (Vec<&Stale>, Vec<&Stale>) =
            stale.iter().partition(|s| s.why.is_none());
        if !unexplained.is_empty() {
            let paths: Vec<String> = unexplained
                .iter()
                .map(|s| s.path.display().to_string())
                .collect();
            errln!("error: {} stale: {again}", paths.join(", "));
        }
        for why in explained.iter().filter_map(|s| s.why.as_ref()) {
            errln!("error: {why}: {again}");
        }
        return Ok(EXIT_FAILED);
    }
    outln!(
        "{} and the support pages are current ({} cases, {} adapters)",
        args.out.join("matrix.json").display(),
        reports.matrix.rows.len(),
        reports.columns.len()
    );
    if args.html {
        outln!(
            "{} is current (the same rows; its traffic is not compared)",
            args.out.join(links::FILE).display()
        );
    }
    Ok(exit_for_specs(&suite, 0))
}

/// The reports of a set of run logs, with a warning printed for whatever reading them left out.
pub(super) fn reports_of(suite: &Suite, logs: &[PathBuf], doubts: &Path) -> Result<Reports, Error> {
    let reports = Reports::from_logs(suite, logs, doubts)?;
    for warning in &reports.warnings {
        errln!("warning: {warning}");
    }
    Ok(reports)
}

/// Writes the reports into `out` (with `html`, matrix.html too), saying what it wrote.
pub(super) fn write(reports: Reports, suite: &Suite, out: &Path, html: bool) -> Result<(), Error> {
    let (adapters, cases) = (reports.columns.len(), reports.matrix.rows.len());
    let written = reports.write(suite, out, html)?;
    let [md, json] = &written.matrix;
    let pages: Vec<String> = written
        .support
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    outln!(
        "wrote {}, {} and {} ({adapters} adapters, {cases} cases)",
        md.display(),
        json.display(),
        pages.join(", "),
    );
    if let Some(page) = &written.html {
        outln!("wrote {}", page.display());
    }
    Ok(())
}

/// Compares two runs; exits 1 when a case that passed does not now.
pub fn diff(args: DiffArgs) -> Outcome {
    let old = read_side(&args.old)?;
    let new = read_side(&args.new)?;
    let diff = compare(&old, &new);
    let markdown = diff.markdown_titled(args.title.as_deref());
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&diff).expect("a diff serializes")
        );
    } else {
        out!("{markdown}");
    }
    github::append_summary(&markdown)?;
    Ok(if diff.broke() { EXIT_FAILED } else { 0 })
}

/// One side of a diff: a log, or every `*.jsonl` in a directory merged (one adapter@version).
fn read_side(path: &Path) -> Result<RunLog, Error> {
    if !path.is_dir() {
        let log = RunLog::read(path)?;
        for left_out in &log.left_out {
            errln!("warning: {left_out}");
        }
        return Ok(log);
    }
    let mut logs: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| FileError::unreadable(path, &e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    logs.sort();
    if logs.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no *.jsonl run log in it",
            path.display()
        )));
    }
    let merged = RunLog::merge(&logs)?;
    for warning in &merged.warnings {
        errln!("warning: {warning}");
    }
    Ok(merged.log)
}
