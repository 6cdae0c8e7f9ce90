//! The page's data: one row per documented option, result field and task method, one column
//! per platform adapter of the matrix, and in each cell the mark, the counts, the cases that did
//! not pass with the baselines' reasons and the doubts; built from the contract's tables, the
//! suite and the matrix.

use std::collections::BTreeMap;

use serde::Serialize;

use super::mark::{Mark, mark};
use crate::adapter::AdapterInfo;
use crate::adapter::platforms::{self, Platform};
use crate::error::FileError;
use crate::report::matrix::{Matrix, Row};
use crate::run::gate::{self, Baseline};
use crate::spec::contract::{Contract, Field};
use crate::spec::{Level, Suite};
use crate::verdict::Status;

/// Which table of the docs page a row belongs to (in the page's order: `as usize` indexes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Table {
    /// The options every platform documents.
    Option,
    /// The options only H5 documents.
    H5Option,
    /// The fields of the success result.
    Result,
    /// The methods of the returned task.
    Task,
}

/// A platform adapter's column.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// The matrix's column label (`taro-rn`, or `taro-rn@3.6.40` beside another version).
    pub label: String,
    /// The platform's name, English.
    pub platform: String,
    /// The platform's name, Chinese.
    pub platform_zh: String,
    /// What the column's heading shows beside the platform's name when two columns share it.
    pub qualifier: Option<String>,
    /// Who ran: adapter, Taro version, runtime.
    pub adapter: AdapterInfo,
}

/// A case of a cell that did not pass.
#[derive(Debug, Clone, Serialize)]
pub struct Divergence {
    /// The case id.
    pub case: String,
    /// How it ended.
    pub status: Status,
    /// The baseline's reason, when the adapter's baseline lists the case.
    pub reason: Option<String>,
}

/// One cell: a row on one column.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// The column's label.
    pub column: String,
    /// The mark.
    pub mark: Mark,
    /// How many measured cases passed.
    pub passed: usize,
    /// How many cases were measured (neither not applicable nor skipped nor absent).
    pub measured: usize,
    /// The measured cases that did not pass.
    pub divergences: Vec<Divergence>,
    /// The doubts about the cell's cases on its column (`reports/doubts.yaml`): their ids, each once.
    pub doubts: Vec<String>,
}

/// One row: an option, a result field or a task method.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// Its name, as the docs write it.
    pub name: String,
    /// Its table.
    pub table: Table,
    /// The clauses about it.
    pub clauses: Vec<String>,
    /// The required and recommended cases citing those clauses.
    pub cases: Vec<String>,
    /// One cell per column.
    pub cells: Vec<Cell>,
}

/// The whole page.
#[derive(Debug, Clone, Serialize)]
pub struct Support {
    /// The platform adapters, in the docs' platform order.
    pub columns: Vec<Column>,
    /// Every row, table by table.
    pub lines: Vec<Line>,
}

/// The baselines' reasons, by adapter name and case id.
pub type Reasons = BTreeMap<String, BTreeMap<String, String>>;

/// Reads the committed baseline of every adapter of the matrix that has one.
pub fn reasons(matrix: &Matrix) -> Result<Reasons, FileError> {
    let names = matrix.adapters.iter().map(|a| a.name.as_str());
    Ok(reasons_of(&gate::committed_baselines(names)?))
}

/// The reasons of baselines already read, by adapter name and case id.
pub fn reasons_of(baselines: &BTreeMap<String, Baseline>) -> Reasons {
    baselines
        .iter()
        .map(|(name, baseline)| {
            let by_case = baseline
                .expected
                .iter()
                .map(|e| (e.id.clone(), e.reason.clone()))
                .collect();
            (name.clone(), by_case)
        })
        .collect()
}

/// Builds the page from the contract's tables, the suite and the matrix.
pub fn build(contract: &Contract, suite: &Suite, matrix: &Matrix, reasons: &Reasons) -> Support {
    let columns = columns(matrix);
    let rows: BTreeMap<&str, &Row> = matrix.rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let tables = [
        (
            Table::Option,
            contract
                .options
                .iter()
                .filter(|f| !f.h5)
                .collect::<Vec<_>>(),
        ),
        (
            Table::H5Option,
            contract.options.iter().filter(|f| f.h5).collect(),
        ),
        (Table::Result, contract.results.iter().collect()),
        (Table::Task, contract.task.iter().collect()),
    ];
    let lines = tables
        .into_iter()
        .flat_map(|(table, fields)| fields.into_iter().map(move |f| (table, f)))
        .map(|(table, field)| line(table, field, suite, &rows, &columns, reasons))
        .collect();
    Support { columns, lines }
}

/// The platform adapters' columns, in the docs' platform order, each platform's in matrix order.
fn columns(matrix: &Matrix) -> Vec<Column> {
    let mut columns = Vec::new();
    for platform in page_platforms(matrix) {
        let of_platform: Vec<(&AdapterInfo, &String)> = matrix
            .adapters
            .iter()
            .zip(&matrix.columns)
            .filter(|(a, _)| a.platform == platform.id)
            .collect();
        let shared = of_platform.len() > 1;
        for (adapter, label) in of_platform {
            columns.push(Column {
                label: label.clone(),
                platform: platform.en.clone(),
                platform_zh: platform.zh.clone(),
                qualifier: shared.then(|| label.clone()),
                adapter: adapter.clone(),
            });
        }
    }
    columns
}

/// The platforms of the matrix's adapters that the page has a column for, in the platform
/// table's order (`adapters/platforms.toml`): Taro's, and any the table does not know (after
/// the known ones, labelled with their ids), never the reference's or plain Node's.
pub fn page_platforms(matrix: &Matrix) -> Vec<Platform> {
    let mut found: Vec<Platform> = Vec::new();
    for adapter in &matrix.adapters {
        if !found.iter().any(|p| p.id == adapter.platform) {
            found.push(Platform::of(&adapter.platform));
        }
    }
    found.retain(|p| p.taro);
    // A stable sort: unknown platforms keep the matrix's order, after every known one.
    found.sort_by_key(|p| platforms::rank(&p.id));
    found
}

/// The platforms of the matrix that the platform table does not know: each still has a column,
/// labelled with its id; the caller warns of them.
pub fn unknown_platforms(matrix: &Matrix) -> Vec<String> {
    page_platforms(matrix)
        .into_iter()
        .filter(|p| !p.known)
        .map(|p| p.id)
        .collect()
}

fn line(
    table: Table,
    field: &Field,
    suite: &Suite,
    rows: &BTreeMap<&str, &Row>,
    columns: &[Column],
    reasons: &Reasons,
) -> Line {
    let cases: Vec<String> = suite
        .cases
        .iter()
        .filter(|c| c.case.level != Level::Informational)
        .filter(|c| c.case.contract.iter().any(|id| field.clauses.contains(id)))
        .map(|c| c.case.id.clone())
        .collect();
    let cells = columns
        .iter()
        .map(|column| {
            let ended: Vec<(&String, Status)> = cases
                .iter()
                .filter_map(|id| {
                    let status = rows.get(id.as_str())?.statuses.get(&column.label)?;
                    Some((id, *status))
                })
                .collect();
            let statuses: Vec<Status> = ended.iter().map(|(_, s)| *s).collect();
            let measured: Vec<&(&String, Status)> = ended
                .iter()
                .filter(|(_, s)| !matches!(s, Status::NotApplicable | Status::Skipped))
                .collect();
            let own = reasons.get(&column.adapter.name);
            Cell {
                column: column.label.clone(),
                mark: mark(&statuses),
                passed: measured.iter().filter(|(_, s)| *s == Status::Pass).count(),
                measured: measured.len(),
                divergences: measured
                    .iter()
                    .filter(|(_, s)| *s != Status::Pass)
                    .map(|(id, status)| Divergence {
                        case: (*id).clone(),
                        status: *status,
                        reason: own.and_then(|r| r.get(*id)).cloned(),
                    })
                    .collect(),
                doubts: measured
                    .iter()
                    .filter_map(|(id, _)| rows.get(id.as_str())?.doubts.get(&column.label))
                    .flatten()
                    .fold(Vec::new(), |mut ids, id| {
                        if !ids.contains(id) {
                            ids.push(id.clone());
                        }
                        ids
                    }),
            }
        })
        .collect();
    Line {
        name: field.name.clone(),
        table,
        clauses: field.clauses.clone(),
        cases,
        cells,
    }
}
