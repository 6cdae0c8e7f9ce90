//! The HTML matrix: `matrix.html`, one self-contained page (inline CSS and JavaScript, no
//! network) made from the same data as `matrix.md` and `matrix.json`, for a reader choosing a
//! platform.
//!
//! The page has the per-area summary, the matrix with filters (platform, area, level, status,
//! "differs from the docs"), and behind each cell the case's evidence: its summary, its clauses
//! with their text, the call as JavaScript, the stubs, what each origin received, what the caller
//! got, the mismatches, the baseline's reason and the command that reproduces it. A cell opens
//! from the URL fragment `#COLUMN/CASE` (the column's label, as in the matrix), so other reports
//! can link to it.
//!
//! Each case is stored once; each cell stores only what it adds, with the observations that
//! several cells share (after redacting ports, dates and browser names) stored once, and strings
//! longer than [`VALUE_LIMIT`] cut (the page says so). The same inputs give the same bytes.
//!
//! ```
//! let data = r#"{"columns":[],"cases":{},"cells":{}}"#;
//! let page = format!("<script type=\"application/json\" id=\"matrix-data\">{data}</script>");
//! assert!(taro_conformance::report::html::embedded_data(&page).is_some());
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::FileError;
use crate::outcome::CaseResult;
use crate::outcome::redact;
use crate::report::links::{FILE, fragment};
use crate::report::matrix::{Column, Matrix, Row, ref_label};
use crate::report::support::{Mark, Support, Table};
use crate::run::gate::{self, Baseline};
use crate::spec::contract::Contract;
use crate::spec::{Level, Suite};
use crate::verdict::Status;

/// The template (minijinja), compiled into the binary.
pub const TEMPLATE: &str = include_str!("../../../templates/matrix.html.j2");

/// Strings in observations, stubs and stderr longer than this many characters are cut in the
/// page (the run log keeps them, up to its own limit).
pub const VALUE_LIMIT: usize = 2048;

/// What the page needs besides the suite and the logs: the clauses' text and the baselines'
/// reasons.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The clause list (`specs/contract.yaml`), for each clause's text; `None` leaves it out.
    pub contract: Option<Contract>,
    /// Each column's adapter's baseline, by adapter name.
    pub baselines: BTreeMap<String, Baseline>,
}

impl Sources {
    /// The clause list `contract`, and the baseline of each column's adapter
    /// (`reports/baselines/NAME.yaml`, when it exists), as `run` judges against.
    pub fn load(contract: &Contract, columns: &[Column]) -> Result<Sources, FileError> {
        let names = columns.iter().map(|c| c.adapter.name.as_str());
        Ok(Sources {
            contract: Some(contract.clone()),
            baselines: gate::committed_baselines(names)?,
        })
    }
}

/// One column as the page shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PageColumn {
    /// Its label in the matrix (and in `#COLUMN/CASE`).
    pub label: String,
    /// The adapter's name.
    pub name: String,
    /// The implementation's version.
    pub version: String,
    /// The Taro platform.
    pub platform: String,
    /// What it ran on.
    pub runtime: String,
    /// When the run started (from the log).
    pub started: String,
    /// The command that reproduces a case on it, with `{case}` for the case id.
    pub repro: String,
}

/// One case, stored once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PageCase {
    /// Its area (spec file).
    pub area: String,
    /// Its level.
    pub level: Level,
    /// What it checks.
    pub summary: String,
    /// Its spec file and line.
    pub source: String,
    /// Where the behaviour was reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// The clauses it checks: id, level and text (empty when the contract was not read).
    pub clauses: Vec<PageClause>,
    /// The call as JavaScript (`{{origin.NAME}}` stands for an origin's address).
    pub call: String,
    /// Each origin's stubs.
    pub stubs: Value,
    /// The page the call runs in (browser cases), if the case says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<Value>,
    /// Its interceptors, outermost first, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interceptors: Option<Value>,
}

/// A clause with its text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PageClause {
    /// Its id.
    pub id: String,
    /// Its level in the contract (empty when unknown).
    #[serde(default)]
    pub level: String,
    /// What it says (empty when unknown).
    #[serde(default)]
    pub text: String,
}

/// What one cell adds to its case.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PageCell {
    /// The status.
    pub status: Status,
    /// An informational case where the platform differs from the suggestion.
    #[serde(default, skip_serializing_if = "is_false")]
    pub differs: bool,
    /// A required or recommended case that does not pass (and applies): the platform differs
    /// from the docs.
    #[serde(default, skip_serializing_if = "is_false")]
    pub docs: bool,
    /// Why it was not judged, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// What did not hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<String>,
    /// The baseline's reason, when the adapter's baseline lists the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The statuses the baseline allows from run to run, when it says the case is intermittent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intermittent: Vec<Status>,
    /// What each origin received: an index into [`PageData::values`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire: Option<usize>,
    /// What the caller got: an index into [`PageData::values`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<usize>,
    /// What the adapter wrote to stderr (cells that do not pass only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
    /// The doubts that mark this cell (ids into [`PageData::doubts`]): its result stands on a
    /// model that field reports contradict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// The data the page embeds, read by its script (and by [`is_current`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PageData {
    /// The columns, in order.
    pub columns: Vec<PageColumn>,
    /// Every case of the suite, by id.
    pub cases: BTreeMap<String, PageCase>,
    /// The cells, by column label, then case id (absent: not in that run).
    pub cells: BTreeMap<String, BTreeMap<String, PageCell>>,
    /// Observations that cells refer to, each stored once.
    #[serde(default)]
    pub values: Vec<Value>,
    /// The length past which strings were cut.
    #[serde(default)]
    pub limit: usize,
    /// The doubts that mark a cell (`reports/doubts.yaml`, as the matrix keeps them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<crate::report::doubt::Doubt>,
}

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

/// What the `--adapter` of a column's repro command is: the name, or `name@version` where the
/// matrix tells versions apart.
fn adapter_arg(label: &str, column: &Column) -> String {
    if label.contains('@') {
        format!("{}@{}", column.adapter.name, column.adapter.version)
    } else {
        column.adapter.name.clone()
    }
}

/// Builds the page's data from the suite, the columns (as [`crate::report::matrix::read_columns`] reads
/// them), the matrix made of them (for its doubts) and the sources.
pub fn data(suite: &Suite, columns: &[Column], matrix: &Matrix, sources: &Sources) -> PageData {
    let labels = crate::report::matrix::labels(
        &columns
            .iter()
            .map(|c| c.adapter.clone())
            .collect::<Vec<_>>(),
    );
    let page_columns = columns
        .iter()
        .zip(&labels)
        .map(|(c, label)| PageColumn {
            label: label.clone(),
            name: c.adapter.name.clone(),
            version: c.adapter.version.clone(),
            platform: c.adapter.platform.clone(),
            runtime: c.adapter.runtime.clone(),
            started: c.started.clone(),
            repro: crate::report::links::repro_command(&adapter_arg(label, c), "{case}"),
        })
        .collect();
    let cases = suite
        .cases
        .iter()
        .map(|loaded| {
            let case = &loaded.case;
            let clauses = case
                .contract
                .iter()
                .map(|id| {
                    let clause = sources.contract.as_ref().and_then(|c| c.clause(id));
                    PageClause {
                        id: id.clone(),
                        level: clause
                            .map(|c| c.level.as_str().to_string())
                            .unwrap_or_default(),
                        text: clause.map(|c| c.title.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            let stubs = terse(&serde_json::to_value(&case.origins).unwrap_or_default());
            let page = case
                .page
                .as_ref()
                .map(|p| serde_json::to_value(p).unwrap_or_default());
            let interceptors = (!case.interceptors.is_empty())
                .then(|| serde_json::to_value(&case.interceptors).unwrap_or_default());
            (
                case.id.clone(),
                PageCase {
                    area: loaded.area(&suite.root),
                    level: case.level,
                    summary: case.summary.clone(),
                    source: format!("{}:{}", loaded.file.display(), loaded.line),
                    refs: case.refs.clone(),
                    clauses,
                    call: crate::spec::call_js(case, &BTreeMap::new()),
                    stubs: cut(&stubs, VALUE_LIMIT),
                    page,
                    interceptors,
                },
            )
        })
        .collect::<BTreeMap<_, _>>();
    let mut values = Values::default();
    let mut cells = BTreeMap::new();
    for (column, label) in columns.iter().zip(&labels) {
        let baseline = sources
            .baselines
            .get(&column.adapter.name)
            .map(Baseline::by_id);
        let mut by_case = BTreeMap::new();
        for (id, result) in &column.logged {
            let Some(case) = cases.get(id) else { continue };
            let entry = baseline.as_ref().and_then(|b| b.get(id.as_str()));
            let mut cell = cell(result, case.level, entry.copied(), &mut values);
            cell.doubts = matrix
                .rows
                .iter()
                .find(|r| r.id == *id)
                .and_then(|r| r.doubts.get(label))
                .cloned()
                .unwrap_or_default();
            by_case.insert(id.clone(), cell);
        }
        cells.insert(label.clone(), by_case);
    }
    PageData {
        columns: page_columns,
        cases,
        cells,
        values: values.list,
        limit: VALUE_LIMIT,
        doubts: matrix.doubts.clone(),
    }
}

/// Observations stored once, by their text.
#[derive(Default)]
struct Values {
    list: Vec<Value>,
    index: BTreeMap<String, usize>,
}

impl Values {
    fn add(&mut self, value: Value) -> usize {
        let key = value.to_string();
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.list.push(value);
        self.index.insert(key, self.list.len() - 1);
        self.list.len() - 1
    }
}

fn cell(
    result: &CaseResult,
    level: Level,
    entry: Option<&gate::Expected>,
    values: &mut Values,
) -> PageCell {
    let origins = &result.origins;
    let clean = |v: &Value| cut(&redact(v, origins), VALUE_LIMIT);
    let text = |s: &str| redact(&Value::String(s.to_string()), origins);
    let passed = matches!(result.status, Status::Pass | Status::NotApplicable);
    let (wire, client) = match &result.observation {
        Some(observation) => (
            Some(values.add(clean(
                &serde_json::to_value(&observation.wire).unwrap_or_default(),
            ))),
            Some(values.add(clean(
                &serde_json::to_value(&observation.client).unwrap_or_default(),
            ))),
        ),
        None => (None, None),
    };
    PageCell {
        status: result.status,
        differs: level == Level::Informational && !result.mismatches.is_empty(),
        docs: level != Level::Informational && !passed,
        problem: result
            .detail()
            .map(|d| cut_str(text(&d).as_str().unwrap_or_default())),
        mismatches: result
            .mismatches
            .iter()
            .map(|m| {
                text(&m.to_string())
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect(),
        reason: entry.map(|e| e.reason.clone()),
        intermittent: entry.map(|e| e.intermittent.clone()).unwrap_or_default(),
        wire,
        client,
        stderr: result
            .stderr
            .as_deref()
            .filter(|s| !passed && !s.trim().is_empty())
            .map(cut_str),
        doubts: Vec::new(),
    }
}

/// `value` with every string longer than `limit` characters cut, saying how long it was.
///
/// ```
/// use serde_json::json;
/// let cut = taro_conformance::report::html::cut(&json!({"body": "x".repeat(10)}), 4);
/// assert_eq!(cut, json!({"body": "xxxx… [cut in this page: 10 characters in all]"}));
/// ```
pub fn cut(value: &Value, limit: usize) -> Value {
    match value {
        Value::String(s) => Value::String(cut_to(s, limit)),
        Value::Array(items) => Value::Array(items.iter().map(|v| cut(v, limit)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), cut(v, limit)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A spec value without the fields it leaves unset (`null`, `{}`, `[]`, `false`), as it was
/// written.
fn terse(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), terse(v)))
                .filter(|(_, v)| match v {
                    Value::Null | Value::Bool(false) => false,
                    Value::Object(m) => !m.is_empty(),
                    Value::Array(a) => !a.is_empty(),
                    _ => true,
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(terse).collect()),
        other => other.clone(),
    }
}

fn cut_to(s: &str, limit: usize) -> String {
    let length = s.chars().count();
    if length <= limit {
        return s.to_string();
    }
    let kept: String = s.chars().take(limit).collect();
    format!("{kept}… [cut in this page: {length} characters in all]")
}

fn cut_str(s: &str) -> String {
    cut_to(s, VALUE_LIMIT)
}

/// The JSON of `data` made safe inside a `<script>` element (no `<`, `>` or `&` left).
fn script_json(data: &PageData) -> String {
    serde_json::to_string(data)
        .expect("the page data serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// SHA-256 of the template, which the page records so that `report --check --html` notices a
/// page made by another template.
pub fn template_hash() -> String {
    crate::value::sha256_hex(TEMPLATE.as_bytes())
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
                refs: row.refs.iter().map(|r| (ref_label(r), r.clone())).collect(),
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

/// The data a page embeds, if it has any that parses.
pub fn embedded_data(page: &str) -> Option<PageData> {
    let open = "<script type=\"application/json\" id=\"matrix-data\">";
    let start = page.find(open)? + open.len();
    let end = start + page[start..].find("</script>")?;
    serde_json::from_str(&page[start..end]).ok()
}

/// Why the committed `OUT/matrix.html` is not current for `matrix`, or `None` when it is: it
/// must exist, be made by this template, and embed the same columns and rows (cases, their
/// clauses, levels, summaries and refs, and each cell's status) as `matrix.json` would hold.
/// The traffic, times and ports it shows vary from run to run and are not compared.
pub fn is_current(matrix: &Matrix, out: &Path) -> Result<Option<String>, FileError> {
    let path = out.join(FILE);
    if !path.is_file() {
        return Ok(Some(format!("{} does not exist", path.display())));
    }
    let page = std::fs::read_to_string(&path).map_err(|e| FileError::unreadable(&path, &e))?;
    if !page.contains(&template_hash()) {
        return Ok(Some(format!(
            "{} was made by another template",
            path.display()
        )));
    }
    let Some(data) = embedded_data(&page) else {
        return Ok(Some(format!(
            "{} embeds no matrix data that parses",
            path.display()
        )));
    };
    let labels: Vec<&String> = data.columns.iter().map(|c| &c.label).collect();
    if labels != matrix.columns.iter().collect::<Vec<_>>() {
        return Ok(Some(format!(
            "{} has the columns {labels:?}, the logs make {:?}",
            path.display(),
            matrix.columns
        )));
    }
    let rows = rows_of(&data);
    let now = serde_json::to_value(&matrix.rows).expect("rows serialize");
    let then = serde_json::to_value(&rows).expect("rows serialize");
    if now != then {
        let first = matrix
            .rows
            .iter()
            .find(|r| !rows.iter().any(|o| same_row(o, r)))
            .map_or_else(String::new, |r| format!(" (first: `{}`)", r.id));
        return Ok(Some(format!(
            "{} shows other rows than the logs make{first}",
            path.display()
        )));
    }
    Ok(None)
}

fn same_row(a: &Row, b: &Row) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

/// The matrix's rows as the page's data holds them.
fn rows_of(data: &PageData) -> Vec<Row> {
    data.cases
        .iter()
        .map(|(id, case)| Row {
            id: id.clone(),
            area: case.area.clone(),
            level: case.level,
            contract: case.clauses.iter().map(|c| c.id.clone()).collect(),
            summary: case.summary.clone(),
            refs: case.refs.clone(),
            statuses: data
                .columns
                .iter()
                .filter_map(|c| {
                    let cell = data.cells.get(&c.label)?.get(id)?;
                    Some((c.label.clone(), cell.status))
                })
                .collect(),
            differs: data
                .columns
                .iter()
                .filter(|c| {
                    data.cells
                        .get(&c.label)
                        .and_then(|cells| cells.get(id))
                        .is_some_and(|cell| cell.differs)
                })
                .map(|c| c.label.clone())
                .collect(),
            doubts: data
                .columns
                .iter()
                .filter_map(|c| {
                    let cell = data.cells.get(&c.label)?.get(id)?;
                    (!cell.doubts.is_empty()).then(|| (c.label.clone(), cell.doubts.clone()))
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_keeps_plain_labels_and_ids_readable_and_escapes_the_rest() {
        assert_eq!(
            fragment("taro-rn", "data.arraybuffer"),
            "#taro-rn/data.arraybuffer"
        );
        assert_eq!(fragment("a/b", "c#d"), "#a%2Fb/c%23d");
    }

    #[test]
    fn script_json_cannot_close_its_script_element() {
        let mut data = PageData {
            columns: vec![],
            cases: BTreeMap::new(),
            cells: BTreeMap::new(),
            values: vec![Value::String("</script><b>&".into())],
            limit: 1,
            doubts: vec![],
        };
        let text = script_json(&data);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: PageData = serde_json::from_str(&text).unwrap();
        assert_eq!(back, data);
        data.values.clear();
        assert!(script_json(&data).contains("\"values\":[]"));
    }

    #[test]
    fn stubs_show_what_the_spec_set() {
        let stubs = serde_json::json!({"api": {"stubs": [{"request": {"method": null, "headers": {}}, "response": {"status": 200, "body": "ok"}}], "refuseConnections": false}});
        assert_eq!(
            terse(&stubs),
            serde_json::json!({"api": {"stubs": [{"response": {"status": 200, "body": "ok"}}]}})
        );
    }

    #[test]
    fn long_strings_are_cut_and_short_ones_kept() {
        assert_eq!(cut_to("abc", 3), "abc");
        assert_eq!(
            cut_to("abcd", 3),
            "abc… [cut in this page: 4 characters in all]"
        );
        // Characters, not bytes: a multi-byte character is never split.
        assert_eq!(
            cut_to("ééé", 2),
            "éé… [cut in this page: 3 characters in all]"
        );
    }
}
