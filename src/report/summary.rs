//! The end-of-run summary: counts per status and per level, then every case that needs a look.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::outcome::CaseResult;
use crate::report::links::rerun_command;
use crate::spec::Level;
use crate::verdict::Status;

/// Renders the summary of a run as text.
///
/// ```
/// let text = taro_conformance::report::summary::render(&[], "reference", false);
/// assert!(text.contains("0 cases"));
/// ```
///
/// With a baseline in play, the cases that do not pass are listed as "Not passing"; the gate
/// says which of them are known.
pub fn render(results: &[CaseResult], adapter: &str, with_baseline: bool) -> String {
    let mut out = String::new();
    let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
    let mut by_level: BTreeMap<Level, BTreeMap<Status, usize>> = BTreeMap::new();
    for r in results {
        *by_status.entry(r.status).or_default() += 1;
        *by_level
            .entry(r.level)
            .or_default()
            .entry(r.status)
            .or_default() += 1;
    }
    let mut sorted: Vec<&CaseResult> = results.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));

    let informational: Vec<&&CaseResult> = sorted
        .iter()
        .filter(|r| r.level == Level::Informational && !r.mismatches.is_empty())
        .collect();
    if !informational.is_empty() {
        let _ = writeln!(out, "\nInformational (recorded, never failed):");
        for r in informational {
            let _ = writeln!(out, "  {} differs from the suggested expectation:", r.id);
            for m in &r.mismatches {
                let _ = writeln!(out, "      {m}");
            }
        }
    }
    let needs_a_look: Vec<&&CaseResult> = sorted
        .iter()
        .filter(|r| !r.status.is_as_expected())
        .collect();
    if !needs_a_look.is_empty() {
        let heading = if with_baseline {
            "Not passing (the gate below says which are known)"
        } else {
            "Not as expected"
        };
        let _ = writeln!(out, "\n{heading}:");
        for r in needs_a_look {
            let _ = writeln!(
                out,
                "  {} {} ({})",
                r.status.as_str().to_uppercase(),
                r.id,
                r.level.as_str()
            );
            for m in &r.mismatches {
                let _ = writeln!(out, "      {m}");
            }
            if let Some(detail) = &r.detail() {
                for line in detail.lines().take(20) {
                    let _ = writeln!(out, "      {line}");
                }
            }
            if let Some(stderr) = r
                .stderr
                .as_ref()
                .filter(|_| r.status != crate::verdict::Status::Fail)
            {
                let _ = writeln!(out, "      stderr:");
                for line in stderr.lines().take(20) {
                    let _ = writeln!(out, "        {line}");
                }
            }
            let _ = writeln!(out, "      rerun: {}", rerun_command(adapter, &r.id));
        }
    }
    // The adapter's name, its manifest's, however it was given (its value is the rerun's).
    let name = crate::adapter::manifest::name_of(adapter).unwrap_or_else(|| adapter.to_string());
    let _ = writeln!(
        out,
        "\n{} cases on `{name}`: {}",
        results.len(),
        tally_text(&by_status)
    );
    for (level, m) in &by_level {
        let _ = writeln!(out, "  {:<14} {}", level.as_str(), tally_text(m));
    }
    out
}

/// Whether every case ended as it should without a baseline: nothing failed, errored,
/// crashed or timed out.
pub fn all_as_expected(results: &[CaseResult]) -> bool {
    results.iter().all(|r| r.status.is_as_expected())
}

/// How many of `statuses` ended each way, in report order: `3 pass, 1 fail`.
///
/// ```
/// use taro_conformance::verdict::Status;
/// let text = taro_conformance::report::summary::counts([Status::Fail, Status::Pass, Status::Pass]);
/// assert_eq!(text, "2 pass, 1 fail");
/// ```
pub fn counts(statuses: impl IntoIterator<Item = Status>) -> String {
    let mut tally: BTreeMap<Status, usize> = BTreeMap::new();
    for status in statuses {
        *tally.entry(status).or_default() += 1;
    }
    tally_text(&tally)
}

/// A tally of statuses as text, in report order.
fn tally_text(tally: &BTreeMap<Status, usize>) -> String {
    Status::ALL
        .iter()
        .filter_map(|s| tally.get(s).map(|n| format!("{n} {s}")))
        .collect::<Vec<_>>()
        .join(", ")
}
