//! The support matrix: run logs of several adapters side by side, per behaviour, from evidence.
//!
//! `matrix.md` opens with a table per area (pass counts per adapter), then one row per case
//! grouped by area, one column per adapter: ✅ pass, ❌ fail, ➖ not applicable, ⚠️ error,
//! crash or timeout, ⏭️ skipped, ℹ️ an informational case where the platform differs from the
//! suggested behaviour, blank when the adapter's run did not include the case.
//! `matrix.json` holds the same data.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::adapter::AdapterInfo;
use crate::error::FileError;
use crate::outcome::CaseResult;
use crate::report::doubt::{Doubt, Doubts};
use crate::report::sink::{md_cell, md_code, md_code_cell, md_link_target, md_text};
use crate::run::log::RunLog;
use crate::spec::{Level, Suite};
use crate::verdict::Status;

/// One adapter's run, read back from its log.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Column {
    /// Who ran.
    pub adapter: AdapterInfo,
    /// When.
    pub started: String,
    /// Results by case id.
    pub results: BTreeMap<String, Status>,
    /// The informational cases whose observation differs from the suggested expectation.
    pub differs: BTreeSet<String>,
    /// Each case's whole result, as logged (for the HTML matrix's details).
    #[serde(skip)]
    #[schemars(skip)]
    pub logged: BTreeMap<String, CaseResult>,
    /// The log's last line, cut short by an interrupted run and left out.
    #[serde(skip)]
    pub cut: Option<FileError>,
}

/// Reads one run log into a column; errors name the file and line.
pub fn read_column(path: &Path) -> Result<Column, FileError> {
    Ok(column(RunLog::read(path)?))
}

/// Reads run logs into columns, one per adapter@version: the logs of one (the slices of a
/// partitioned run, say) are merged into its column. Returns the columns, in the order their
/// first logs were given, and what to warn of (missing slices, cases in two logs).
pub fn read_columns(paths: &[PathBuf]) -> Result<(Vec<Column>, Vec<String>), crate::error::Error> {
    // The logs of each adapter@version (and runtime), in the order their first log was given.
    type Group = ((String, String), Vec<(PathBuf, RunLog)>);
    let mut groups: Vec<Group> = Vec::new();
    for path in paths {
        let log = RunLog::read(path)?;
        let label = (log.label(), log.header.adapter.runtime.clone());
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, group)) => group.push((path.clone(), log)),
            None => groups.push((label, vec![(path.clone(), log)])),
        }
    }
    let mut columns = Vec::new();
    let mut warnings = Vec::new();
    for (_, group) in groups {
        let merged = RunLog::merge_read(group)?;
        warnings.extend(merged.warnings);
        columns.push(column(merged.log));
    }
    Ok((columns, warnings))
}

/// A run's column.
fn column(log: RunLog) -> Column {
    let differs = log
        .results
        .values()
        .filter(|r| r.level == Level::Informational && !r.mismatches.is_empty())
        .map(|r| r.id.clone())
        .collect();
    Column {
        adapter: log.header.adapter,
        started: log.header.started,
        results: log
            .results
            .iter()
            .map(|(id, r)| (id.clone(), r.status))
            .collect(),
        differs,
        logged: log.results,
        cut: log.cut,
    }
}

impl Column {
    /// The case ids of this log that no case of `suite` has (a log of another suite, or of
    /// renamed cases): the matrix leaves them out.
    pub fn unknown_ids<'a>(&'a self, suite: &Suite) -> Vec<&'a str> {
        self.results
            .keys()
            .filter(|id| !suite.cases.iter().any(|c| &c.case.id == *id))
            .map(String::as_str)
            .collect()
    }
}

/// A row of the matrix.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Row {
    /// Case id.
    pub id: String,
    /// Its area (spec file).
    pub area: String,
    /// Its level.
    pub level: Level,
    /// The clauses it checks.
    pub contract: Vec<String>,
    /// What it checks.
    pub summary: String,
    /// Issues and pull requests where the behaviour was reported (the case's `refs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// Status per column (absent: not in that run).
    pub statuses: BTreeMap<String, Status>,
    /// For informational cases: the columns whose behaviour differs from the suggestion.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub differs: BTreeSet<String>,
    /// The columns whose result stands on a model that field reports put in doubt, with the
    /// ids of the doubts (`reports/doubts.yaml`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub doubts: BTreeMap<String, Vec<String>>,
}

/// The whole matrix, as `matrix.json` holds it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Matrix {
    /// The adapters, in the order given.
    pub adapters: Vec<AdapterInfo>,
    /// Each adapter's column name, in the same order (see [`labels`]).
    pub columns: Vec<String>,
    /// One row per case of the suite.
    pub rows: Vec<Row>,
    /// The doubts that mark a cell of this matrix.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<Doubt>,
}

/// The name of each column: the adapter's name, or `name@version` where two logs are of one
/// adapter (two versions side by side), or `name@version (runtime)` where even those agree.
///
/// ```
/// # use taro_conformance::adapter::AdapterInfo;
/// let info = |name: &str, version: &str| AdapterInfo {
///     name: name.into(), version: version.into(), platform: "p".into(), runtime: "r".into(), capabilities: vec![],
/// };
/// let labels = taro_conformance::report::matrix::labels(&[info("a", "1"), info("b", "1"), info("b", "2")]);
/// assert_eq!(labels, ["a", "b@1", "b@2"]);
/// ```
pub fn labels(adapters: &[AdapterInfo]) -> Vec<String> {
    let count = |key: &dyn Fn(&AdapterInfo) -> String, a: &AdapterInfo| {
        adapters.iter().filter(|b| key(b) == key(a)).count()
    };
    let by_name = |a: &AdapterInfo| a.name.clone();
    let by_version = |a: &AdapterInfo| format!("{}@{}", a.name, a.version);
    adapters
        .iter()
        .map(|a| {
            if count(&by_name, a) == 1 {
                by_name(a)
            } else if count(&by_version, a) == 1 {
                by_version(a)
            } else {
                format!("{} ({})", by_version(a), a.runtime)
            }
        })
        .collect()
}

/// Builds the matrix from the suite and the adapters' columns.
pub fn matrix(suite: &Suite, columns: &[Column]) -> Matrix {
    let adapters: Vec<AdapterInfo> = columns.iter().map(|c| c.adapter.clone()).collect();
    let labels = labels(&adapters);
    let rows = suite
        .cases
        .iter()
        .map(|loaded| Row {
            id: loaded.case.id.clone(),
            area: loaded.area(&suite.root),
            level: loaded.case.level,
            contract: loaded.case.contract.clone(),
            summary: loaded.case.summary.clone(),
            refs: loaded
                .case
                .refs
                .iter()
                .map(|r| r.url().to_string())
                .collect(),
            statuses: columns
                .iter()
                .zip(&labels)
                .filter_map(|(c, label)| {
                    c.results.get(&loaded.case.id).map(|s| (label.clone(), *s))
                })
                .collect(),
            differs: columns
                .iter()
                .zip(&labels)
                .filter(|(c, _)| c.differs.contains(&loaded.case.id))
                .map(|(_, label)| label.clone())
                .collect(),
            doubts: BTreeMap::new(),
        })
        .collect();
    Matrix {
        adapters,
        columns: labels,
        rows,
        doubts: Vec::new(),
    }
}

/// Marks the cells that `doubts` concern, and keeps the doubts that mark one.
pub fn mark_doubts(matrix: &mut Matrix, doubts: &Doubts) {
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for row in &mut matrix.rows {
        for (adapter, label) in matrix.adapters.iter().zip(&matrix.columns) {
            if !row.statuses.contains_key(label) {
                continue;
            }
            let ids: Vec<String> = doubts
                .of(&adapter.name, &row.id)
                .into_iter()
                .map(|d| d.id.clone())
                .collect();
            if !ids.is_empty() {
                used.extend(
                    doubts
                        .doubts
                        .iter()
                        .filter(|d| ids.contains(&d.id))
                        .map(|d| d.id.as_str()),
                );
                row.doubts.insert(label.clone(), ids);
            }
        }
    }
    matrix.doubts = doubts
        .doubts
        .iter()
        .filter(|d| used.contains(d.id.as_str()))
        .cloned()
        .collect();
}

fn cell(status: Option<&Status>) -> &'static str {
    match status {
        Some(Status::Pass) => "✅",
        Some(Status::Fail) => "❌",
        Some(Status::NotApplicable) => "➖",
        Some(Status::Skipped) => "⏭️",
        Some(Status::Error | Status::Crash | Status::Timeout) => "⚠️",
        None => "",
    }
}

/// `matrix.md`.
pub fn markdown(matrix: &Matrix) -> String {
    let mut out = String::from("# Taro.request support matrix\n\n");
    out.push_str(
        "Generated by `taro-conformance report` from run logs. ✅ pass · ❌ fail · ➖ not applicable \
         (the adapter lacks a capability the case needs) · ⚠️ error, crash or timeout · ⏭️ skipped · \
         ℹ️ informational case (the docs leave it open) where the platform differs from the \
         suggested behaviour; informational cases never fail.\n\n",
    );
    out.push_str("| adapter | version | platform | runtime |\n|---|---|---|---|\n");
    for (a, label) in matrix.adapters.iter().zip(&matrix.columns) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md_cell(label),
            md_cell(&a.version),
            md_cell(&a.platform),
            md_cell(&a.runtime)
        );
    }
    let names: Vec<&str> = matrix.columns.iter().map(String::as_str).collect();
    let heads: Vec<_> = names.iter().map(|n| md_cell(n)).collect();
    let mut areas: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in &matrix.rows {
        areas.entry(row.area.as_str()).or_default().push(row);
    }
    out.push_str("\n## Summary per area\n\nPassing cases of those that apply to each adapter.\n\n");
    let _ = writeln!(out, "| area | cases | {} |", heads.join(" | "));
    let _ = writeln!(out, "|---|---|{}", "---|".repeat(names.len()));
    for (area, rows) in &areas {
        let cells: Vec<String> = names
            .iter()
            .map(|name| {
                let applicable: Vec<&Status> = rows
                    .iter()
                    .filter_map(|r| r.statuses.get(*name))
                    .filter(|s| !matches!(s, Status::NotApplicable | Status::Skipped))
                    .collect();
                let passed = applicable.iter().filter(|s| ***s == Status::Pass).count();
                if applicable.is_empty() {
                    "➖".to_string()
                } else {
                    format!("{passed}/{}", applicable.len())
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md_cell(area),
            rows.len(),
            cells.join(" | ")
        );
    }
    for (area, rows) in &areas {
        let _ = writeln!(out, "\n## {}\n", md_text(area));
        let _ = writeln!(out, "| case | clauses | level | {} |", heads.join(" | "));
        let _ = writeln!(out, "|---|---|---|{}", "---|".repeat(names.len()));
        for row in rows {
            let cells: Vec<String> = names
                .iter()
                .map(|n| {
                    let shown = if row.differs.contains(*n) {
                        "ℹ️"
                    } else {
                        cell(row.statuses.get(*n))
                    };
                    match row.doubts.get(*n) {
                        Some(ids) => format!("{shown} [❓](#doubt-{})", ids[0]),
                        None => shown.to_string(),
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} {}{} | {} | {} | {} |",
                md_code_cell(&row.id),
                md_cell(&row.summary),
                ref_links(&row.refs),
                md_cell(&row.contract.join(", ")),
                row.level.as_str(),
                cells.join(" | ")
            );
        }
    }
    doubts_section(&mut out, matrix);
    out
}

/// The doubts, each with what the docs and the field say and the cells it marks.
fn doubts_section(out: &mut String, matrix: &Matrix) {
    if matrix.doubts.is_empty() {
        return;
    }
    out.push_str(
        "\n## Doubts\n\nA ❓ marks a cell whose result stands on a model of a closed client \
         where the vendor's documentation and field reports about the real client disagree.\n",
    );
    for doubt in &matrix.doubts {
        let cells: Vec<String> = matrix
            .rows
            .iter()
            .flat_map(|row| {
                row.doubts
                    .iter()
                    .filter(|(_, ids)| ids.contains(&doubt.id))
                    .map(move |(column, _)| format!("{} on {}", md_code(&row.id), md_text(column)))
            })
            .collect();
        let refs: Vec<String> = doubt
            .refs
            .iter()
            .filter_map(|r| md_link_target(r).map(|r| format!("<{r}>")))
            .collect();
        let _ = writeln!(
            out,
            "\n### <a id=\"doubt-{id}\"></a>{id}\n\n- docs: {}\n- field: {}",
            md_text(doubt.docs.trim()),
            md_text(doubt.field.trim()),
            id = doubt.id
        );
        if !doubt.model.trim().is_empty() {
            let _ = writeln!(out, "- model: {}", md_text(doubt.model.trim()));
        }
        let _ = writeln!(
            out,
            "- reports: {}\n- cells: {}",
            refs.join(", "),
            cells.join(", ")
        );
    }
}

/// A case's refs as Markdown links after its summary (` — [#3222](…), [#9415](…)`), or nothing.
///
/// ```
/// let refs = ["https://github.com/NervJS/taro/pull/9415".to_string()];
/// assert_eq!(
///     taro_conformance::report::matrix::ref_links(&refs),
///     " — [#9415](https://github.com/NervJS/taro/pull/9415)"
/// );
/// assert_eq!(taro_conformance::report::matrix::ref_links(&[]), "");
/// ```
pub fn ref_links(refs: &[String]) -> String {
    if refs.is_empty() {
        return String::new();
    }
    let links: Vec<String> = refs
        .iter()
        .filter_map(|r| {
            Some(format!(
                "[{}]({})",
                md_text(&ref_label(r)),
                md_link_target(r)?
            ))
        })
        .collect();
    if links.is_empty() {
        return String::new();
    }
    format!(" — {}", links.join(", "))
}

/// A short name for a ref: `#N` for an issue or pull request on GitHub (`owner/repo#N` when the
/// repository is not Taro's), else the URL without its scheme.
///
/// ```
/// use taro_conformance::report::matrix::ref_label;
/// assert_eq!(ref_label("https://github.com/NervJS/taro/issues/3222"), "#3222");
/// assert_eq!(ref_label("https://github.com/NervJS/taro-docs/pull/235"), "NervJS/taro-docs#235");
/// assert_eq!(ref_label("https://example.com/a"), "example.com/a");
/// ```
pub fn ref_label(reference: &str) -> String {
    let rest = reference.strip_prefix("https://").unwrap_or(reference);
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        ["github.com", owner, repo, "issues" | "pull", number]
            if number.chars().all(|c| c.is_ascii_digit()) =>
        {
            if *owner == "NervJS" && *repo == "taro" {
                format!("#{number}")
            } else {
                format!("{owner}/{repo}#{number}")
            }
        }
        _ => rest.to_string(),
    }
}

/// Writes `matrix.md` and `matrix.json` into `out` (created if need be); returns their paths.
pub fn write(matrix: &Matrix, out: &Path) -> Result<[PathBuf; 2], FileError> {
    std::fs::create_dir_all(out).map_err(|e| FileError::unwritable(out, &e))?;
    let md = out.join("matrix.md");
    let json = out.join("matrix.json");
    std::fs::write(&md, markdown(matrix)).map_err(|e| FileError::unwritable(&md, &e))?;
    let mut text = serde_json::to_string_pretty(matrix).expect("the matrix serializes");
    text.push('\n');
    std::fs::write(&json, text).map_err(|e| FileError::unwritable(&json, &e))?;
    Ok([md, json])
}

/// Reads a `matrix.json`.
pub fn read(path: &Path) -> Result<Matrix, FileError> {
    let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
    serde_json::from_str(&text)
        .map_err(|e| FileError::new(path, e.to_string()).at(e.line() as u64, e.column() as u64))
}

/// The columns of the committed `OUT/matrix.json`: each label with its adapter.
pub fn committed_columns(out: &Path) -> Result<Vec<(String, AdapterInfo)>, FileError> {
    let committed = read(&out.join("matrix.json"))?;
    Ok(committed
        .columns
        .into_iter()
        .zip(committed.adapters)
        .collect())
}

/// Whether the committed `OUT/matrix.json` holds the same rows (cases and statuses) as
/// `matrix`: the adapters' versions and the run dates may differ, the evidence may not.
pub fn is_current(matrix: &Matrix, out: &Path) -> Result<bool, FileError> {
    let path = out.join("matrix.json");
    let text = std::fs::read_to_string(&path).map_err(|e| FileError::unreadable(&path, &e))?;
    let committed: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| FileError::new(&path, e.to_string()).at(e.line() as u64, e.column() as u64))?;
    let now = serde_json::to_value(matrix).expect("the matrix serializes");
    Ok(committed["rows"] == now["rows"])
}

#[cfg(test)]
mod tests;
