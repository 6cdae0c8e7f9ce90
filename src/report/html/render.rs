//! The page rendered from the template: the per-area summary and the matrix's rows (each cell's
//! mark, link and title), the support section, and the data embedded for the script; and
//! writing it to `matrix.html`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{PageData, TEMPLATE, template_hash};
use crate::error::FileError;
use crate::report::links::{FILE, fragment};
use crate::report::matrix::{Matrix, Row, ref_label};
use crate::report::sink::link_target;
use crate::report::support::{Mark, Support, Table};
use crate::verdict::Status;

/// A row of the rendered table.
#[derive(Debug, Clone, Serialize)]
struct TableRow {
    id: String,
    level: &'static str,
    summary: String,
    refs: Vec<(String, String)>,
    contract: String,
    docs: bool,
    cells: Vec<TableCell>,
}

#[derive(Debug, Clone, Serialize)]
struct TableCell {
    href: String,
    status: &'static str,
    mark: &'static str,
    docs: bool,
    differs: bool,
    doubt: bool,
    title: String,
}

#[derive(Debug, Clone, Serialize)]
struct Area {
    name: String,
    cases: usize,
    /// Per column: passing of applicable, or `None` when none applies.
    counts: Vec<Option<(usize, usize)>>,
    rows: Vec<TableRow>,
}

/// The JSON of `data` made safe inside a `<script>` element (no `<`, `>` or `&` left).
pub fn script_json<T: Serialize>(data: &T) -> String {
    serde_json::to_string(data)
        .expect("the page data serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// One row of the support section: an option, result field or task method.
#[derive(Debug, Clone, Serialize)]
struct SupportRow {
    name: String,
    cells: Vec<SupportCell>,
}

/// One cell of the support section: the mark, and a link to the first case that did not pass.
#[derive(Debug, Clone, Serialize)]
struct SupportCell {
    mark: String,
    class: &'static str,
    href: Option<String>,
    title: String,
}

/// The support page's tables ([`crate::report::support`]), as the page shows them: each table's title
/// and rows, the columns' headings.
fn support_view(support: &Support) -> (Vec<String>, Vec<(String, Vec<SupportRow>)>) {
    let heads = support
        .columns
        .iter()
        .map(|c| format!("{} {}", c.platform, c.adapter.version))
        .collect();
    let titles = [
        "Options",
        "H5-only options",
        "Success result",
        "RequestTask",
    ];
    let tables = [Table::Option, Table::H5Option, Table::Result, Table::Task]
        .into_iter()
        .map(|table| {
            let rows = support
                .lines
                .iter()
                .filter(|l| l.table == table)
                .map(|line| SupportRow {
                    name: line.name.clone(),
                    cells: line.cells.iter().map(support_cell).collect(),
                })
                .collect();
            (titles[table as usize].to_string(), rows)
        })
        .collect();
    (heads, tables)
}

fn support_cell(cell: &crate::report::support::Cell) -> SupportCell {
    let counted = matches!(cell.mark, Mark::Full | Mark::Partial | Mark::None);
    let mut mark = if counted {
        format!("{} {}/{}", cell.mark.symbol(), cell.passed, cell.measured)
    } else {
        cell.mark.symbol().to_string()
    };
    if !cell.doubts.is_empty() {
        mark.push_str(" ?");
    }
    let class = match cell.mark {
        Mark::Full => "s-pass",
        Mark::Partial | Mark::None => "s-fail",
        _ => "s-not-applicable",
    };
    let title = cell
        .divergences
        .iter()
        .map(|d| format!("{} {}", d.case, d.status.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    SupportCell {
        mark,
        class,
        href: cell
            .divergences
            .first()
            .map(|d| fragment(&cell.column, &d.case)),
        title,
    }
}

/// Renders the page.
pub fn render(matrix: &Matrix, data: &PageData, support: &Support) -> String {
    let mut areas: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in &matrix.rows {
        areas.entry(row.area.as_str()).or_default().push(row);
    }
    let areas: Vec<Area> = areas
        .into_iter()
        .map(|(name, rows)| area(name, &rows, matrix, data))
        .collect();
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template("matrix.html", TEMPLATE)
        .expect("the matrix template parses");
    let template = env.get_template("matrix.html").expect("just added");
    let levels: BTreeSet<&str> = matrix.rows.iter().map(|r| r.level.as_str()).collect();
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let (support_heads, support_tables) = support_view(support);
    template
        .render(minijinja::context! {
            generator => format!("taro-conformance {}; template sha256 {}", env!("CARGO_PKG_VERSION"), template_hash()),
            columns => serde(&data.columns),
            areas => serde(&areas),
            levels => serde(&levels),
            statuses => serde(&statuses),
            case_count => matrix.rows.len(),
            limit => data.limit,
            data => minijinja::Value::from_safe_string(script_json(data)),
            support_heads => serde(&support_heads),
            support_tables => serde(&support_tables),
        })
        .expect("the matrix template renders")
}

fn area(name: &str, rows: &[&Row], matrix: &Matrix, data: &PageData) -> Area {
    let counts = matrix
        .columns
        .iter()
        .map(|label| {
            let applicable: Vec<&Status> = rows
                .iter()
                .filter_map(|r| r.statuses.get(label))
                .filter(|s| !matches!(s, Status::NotApplicable | Status::Skipped))
                .collect();
            let passed = applicable.iter().filter(|s| ***s == Status::Pass).count();
            (!applicable.is_empty()).then_some((passed, applicable.len()))
        })
        .collect();
    let table_rows = rows
        .iter()
        .map(|row| {
            let cells: Vec<TableCell> = matrix
                .columns
                .iter()
                .map(|label| {
                    let cell = data.cells.get(label).and_then(|c| c.get(&row.id));
                    let status = row.statuses.get(label);
                    let differs = row.differs.contains(label);
                    let doubt = row.doubts.contains_key(label);
                    TableCell {
                        href: fragment(label, &row.id),
                        status: status.map_or("absent", |s| s.as_str()),
                        mark: if differs { "i" } else { glyph(status) },
                        docs: cell.is_some_and(|c| c.docs),
                        differs,
                        doubt,
                        title: match status {
                            Some(s) if differs => {
                                format!("{label}: {s}, differs from the suggestion")
                            }
                            Some(s) => format!("{label}: {s}"),
                            None => format!("{label}: not in this run"),
                        } + if doubt {
                            " (in doubt: see its details)"
                        } else {
                            ""
                        },
                    }
                })
                .collect();
            TableRow {
                id: row.id.clone(),
                level: row.level.as_str(),
                summary: row.summary.clone(),
                refs: row
                    .refs
                    .iter()
                    .filter_map(|r| Some((ref_label(r), link_target(r)?.to_string())))
                    .collect(),
                contract: row.contract.join(", "),
                docs: cells.iter().any(|c| c.docs),
                cells,
            }
        })
        .collect();
    Area {
        name: name.to_string(),
        cases: rows.len(),
        counts,
        rows: table_rows,
    }
}

/// A status's mark in the page: plain characters that every font has (colour tells them apart
/// too); `matrix.md`'s emoji need a colour-emoji font.
fn glyph(status: Option<&Status>) -> &'static str {
    match status {
        Some(Status::Pass) => "✓",
        Some(Status::Fail) => "✗",
        Some(Status::NotApplicable) => "–",
        Some(Status::Skipped) => "»",
        Some(Status::Error | Status::Crash | Status::Timeout) => "!",
        None => "",
    }
}

fn serde<T: Serialize>(value: T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(value))
}

/// Writes `OUT/matrix.html`; returns its path.
pub fn write(
    matrix: &Matrix,
    data: &PageData,
    support: &Support,
    out: &Path,
) -> Result<PathBuf, FileError> {
    std::fs::create_dir_all(out).map_err(|e| FileError::unwritable(out, &e))?;
    let path = out.join(FILE);
    std::fs::write(&path, render(matrix, data, support))
        .map_err(|e| FileError::unwritable(&path, &e))?;
    Ok(path)
}
