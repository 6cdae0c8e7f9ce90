//! GitHub Actions: a Markdown job summary (appended to the file `GITHUB_STEP_SUMMARY` names)
//! and workflow-command annotations that point at the spec line of each case the gate found
//! something about, and at each bad spec file. GitHub shows ten error annotations a step and
//! drops the rest without a word, so past ten one notice says how many more there are.
//!
//! ```
//! use taro_conformance::report::github::annotation;
//! assert_eq!(
//!     annotation("specs/method/methods.yaml", 12, "taro-rn: method.get", "unexpected fail\nexpected 200"),
//!     "::error file=specs/method/methods.yaml,line=12,title=taro-rn%3A method.get::unexpected fail%0Aexpected 200"
//! );
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::io::Write as _;
use std::path::Path;

use crate::error::FileError;
use crate::outcome::shared_causes;
use crate::report::links::rerun_command;
use crate::report::matrix::Matrix;
use crate::report::sink::{self, md_cell, md_code, md_code_cell, md_text};
use crate::report::summary::counts;
use crate::run::RunReport;
use crate::spec::{Level, Suite};
use crate::verdict::Status;

/// How many error annotations GitHub shows for one step; it drops the rest silently.
pub const ANNOTATIONS_PER_STEP: usize = 10;

/// How many of a shared cause's cases the job summary names.
const NAMED_IDS: usize = 30;

/// The environment variable naming the job summary file.
pub const STEP_SUMMARY_ENV: &str = "GITHUB_STEP_SUMMARY";

/// Whether this process runs in GitHub Actions (`GITHUB_ACTIONS=true`).
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// Appends Markdown to the job summary, when `GITHUB_STEP_SUMMARY` names one.
pub fn append_summary(markdown: &str) -> Result<(), FileError> {
    let Some(path) = summary_file() else {
        return Ok(());
    };
    let path = Path::new(&path);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| FileError::unwritable(path, &e))?;
    file.write_all(markdown.as_bytes())
        .map_err(|e| FileError::unwritable(path, &e))
}

/// The job summary file, when the run is asked for one (`GITHUB_STEP_SUMMARY` set): a summary
/// that costs work to make is made only then.
pub fn summary_file() -> Option<std::ffi::OsString> {
    std::env::var_os(STEP_SUMMARY_ENV).filter(|p| !p.is_empty())
}

/// One `::error` workflow command (its data and properties escaped as GitHub reads them, and
/// then as any printed text is: [`sink::printed`]).
pub fn annotation(file: &str, line: u64, title: &str, message: &str) -> String {
    format!(
        "::error file={},line={line},title={}::{}",
        property(file),
        property(title),
        data(message)
    )
}

/// `errors` (`::error` lines) as GitHub shows them: all when they are few enough, else the
/// first [`ANNOTATIONS_PER_STEP`] and one notice saying how many more there are and where
/// `full_list` (words such as "this step's log") has them all.
///
/// ```
/// use taro_conformance::report::github::within_limit;
/// let errors: Vec<String> = (0..12).map(|i| format!("::error::{i}")).collect();
/// let shown = within_limit(errors, "this step's log");
/// assert_eq!(shown.len(), 11);
/// assert!(shown[10].starts_with("::notice title=2 more finding(s) not annotated::"));
/// ```
pub fn within_limit(mut errors: Vec<String>, full_list: &str) -> Vec<String> {
    if errors.len() <= ANNOTATIONS_PER_STEP {
        return errors;
    }
    let more = errors.len() - ANNOTATIONS_PER_STEP;
    errors.truncate(ANNOTATIONS_PER_STEP);
    errors.push(format!(
        "::notice title={}::{}",
        property(&format!("{more} more finding(s) not annotated")),
        data(&format!(
            "GitHub shows {ANNOTATIONS_PER_STEP} error annotations a step: the other {more} are in {full_list}"
        ))
    ));
    errors
}

/// A workflow command's data, escaped as GitHub reads it, and then as any printed text is.
fn data(s: &str) -> String {
    let encoded = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    sink::printed(&encoded).into_owned()
}

/// A workflow command's property, escaped as GitHub reads it.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The annotations of a run: one per case the gate found something about, at the case's `id`
/// line in its spec file (a stale baseline entry, which has no case, at the baseline file).
pub fn run_annotations(suite: &Suite, adapter: &str, report: &RunReport) -> Vec<String> {
    let located: BTreeMap<&str, (String, u64)> = suite
        .cases
        .iter()
        .map(|c| {
            (
                c.case.id.as_str(),
                (c.file.to_string_lossy().replace('\\', "/"), c.line),
            )
        })
        .collect();
    let results: BTreeMap<&str, _> = report.results.iter().map(|r| (r.id.as_str(), r)).collect();
    report
        .judgement
        .findings
        .iter()
        .map(|finding| {
            let id = finding.id();
            let mut message = finding.to_string();
            if let Some(result) = results.get(id) {
                for mismatch in &result.mismatches {
                    let _ = write!(message, "\n{mismatch}");
                }
                if let Some(detail) = result.detail() {
                    let _ = write!(message, "\n{}", detail.lines().next().unwrap_or_default());
                }
                let _ = write!(message, "\nrerun: {}", rerun_command(adapter, id));
            }
            let (file, line) = located.get(id).cloned().unwrap_or_else(|| {
                let baseline = report
                    .judgement
                    .baseline
                    .as_deref()
                    .unwrap_or(Path::new(""));
                (baseline.to_string_lossy().into_owned(), 1)
            });
            annotation(&file, line, &format!("{adapter}: {id}"), &message)
        })
        .collect()
}

/// The annotations of the spec files that could not be used.
pub fn spec_annotations(suite: &Suite) -> Vec<String> {
    suite
        .errors
        .iter()
        .map(|error| {
            annotation(
                &error.file.to_string_lossy(),
                error.line.unwrap_or(1),
                "bad spec file",
                &error.message,
            )
        })
        .collect()
}

/// The job summary of a run: counts per level, the gate's findings, the rerun commands.
pub fn run_summary(adapter: &str, report: &RunReport) -> String {
    let mut out = String::new();
    let judgement = &report.judgement;
    let verdict = match (&judgement.baseline, judgement.passed()) {
        (_, true) => "✅ gate passed".to_string(),
        (_, false) => format!("❌ {} finding(s)", judgement.findings.len()),
    };
    let name = crate::adapter::manifest::name_of(adapter).unwrap_or_else(|| adapter.to_string());
    let _ = writeln!(
        out,
        "### {}: {verdict}\n\n{} cases on {} {} ({}): {}\n",
        md_code(&name),
        report.results.len(),
        md_text(&report.adapter.name),
        md_text(&report.adapter.version),
        md_text(&report.adapter.runtime),
        counts(report.results.iter().map(|r| r.status))
    );
    out.push_str("| level | results |\n|---|---|\n");
    for level in [Level::Required, Level::Recommended, Level::Informational] {
        let of_level: Vec<Status> = report
            .results
            .iter()
            .filter(|r| r.level == level)
            .map(|r| r.status)
            .collect();
        if !of_level.is_empty() {
            let _ = writeln!(out, "| {} | {} |", level.as_str(), counts(of_level));
        }
    }
    if let Some(baseline) = &judgement.baseline {
        let _ = writeln!(
            out,
            "\nBaseline {}: {} known divergence(s).",
            md_code(&baseline.display().to_string()),
            judgement.listed
        );
    }
    for note in judgement.intermittent_notes() {
        let _ = writeln!(out, "\n{}", md_text(&note));
    }
    if !judgement.findings.is_empty() {
        out.push_str("\n| finding | rerun |\n|---|---|\n");
        // One row a cause that several findings share (a broken default can fail fifty cases
        // alike), then a row each for the rest.
        let found: BTreeSet<&str> = judgement.findings.iter().map(|f| f.id()).collect();
        let shared = shared_causes(
            report
                .results
                .iter()
                .filter(|r| found.contains(r.id.as_str())),
        );
        for (cause, ids) in &shared {
            let mut named: Vec<String> = ids
                .iter()
                .take(NAMED_IDS)
                .map(|id| md_code_cell(id))
                .collect();
            if ids.len() > NAMED_IDS {
                named.push(format!("and {} more", ids.len() - NAMED_IDS));
            }
            let _ = writeln!(
                out,
                "| **{} cases**: {}<br>{} | {} |",
                ids.len(),
                md_cell(cause),
                named.join(", "),
                md_code_cell(&rerun_command(adapter, &ids[0]))
            );
        }
        let grouped: BTreeSet<&str> = shared
            .iter()
            .flat_map(|(_, ids)| ids.iter().map(String::as_str))
            .collect();
        for finding in judgement
            .findings
            .iter()
            .filter(|f| !grouped.contains(f.id()))
        {
            let _ = writeln!(
                out,
                "| {} | {} |",
                md_cell(&finding.to_string()),
                md_code_cell(&rerun_command(adapter, finding.id()))
            );
        }
    }
    out.push('\n');
    out
}

/// The job summary of a matrix: each column's counts, and the rows where the columns differ
/// (at most 50).
pub fn matrix_summary(matrix: &Matrix) -> String {
    let mut out = String::from("### Support matrix\n\n| column | results |\n|---|---|\n");
    for column in &matrix.columns {
        let statuses = matrix
            .rows
            .iter()
            .filter_map(|r| r.statuses.get(column).copied());
        let _ = writeln!(out, "| {} | {} |", md_code_cell(column), counts(statuses));
    }
    let differing: Vec<_> = matrix
        .rows
        .iter()
        .filter(|r| {
            let mut statuses = r.statuses.values();
            statuses
                .next()
                .is_some_and(|first| statuses.any(|s| s != first))
        })
        .collect();
    if matrix.columns.len() > 1 && !differing.is_empty() {
        let _ = writeln!(
            out,
            "\n{} case(s) differ between columns{}:\n",
            differing.len(),
            if differing.len() > 50 {
                " (the first 50)"
            } else {
                ""
            }
        );
        let heads: Vec<_> = matrix.columns.iter().map(|c| md_cell(c)).collect();
        let _ = writeln!(out, "| case | {} |", heads.join(" | "));
        let _ = writeln!(out, "|---|{}", "---|".repeat(matrix.columns.len()));
        for row in differing.iter().take(50) {
            let cells: Vec<String> = matrix
                .columns
                .iter()
                .map(|c| row.statuses.get(c).map_or("—".into(), |s| s.to_string()))
                .collect();
            let _ = writeln!(out, "| {} | {} |", md_code_cell(&row.id), cells.join(" | "));
        }
    }
    out.push('\n');
    out
}
