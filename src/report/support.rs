//! The support page for app developers: the docs' tables turned into evidence. One row per
//! documented option, result field and task method (`specs/contract.yaml`), one column per
//! platform adapter of the matrix with the Taro version it measured, and in each cell a mark
//! made from the row's cases on that adapter:
//!
//! - ✔ every measured case of the row's clauses passes;
//! - ◐ some do: each divergence is listed with the baseline's reason;
//! - ✘ none does;
//! - — not offered: the adapter lacks the capability every such case needs;
//! - ? no case measured it (no case cites the row's clauses, or the run left them out).
//!
//! Only required and recommended cases count: informational ones never claim support. Each mark
//! links to its evidence (the cases, and for ◐ and ✘ every divergence with its reason), and each
//! divergence links to the case's details in `matrix.html` (its traffic, what the caller got, the
//! mismatches and the command that reproduces it): two clicks from a mark to the traffic.
//!
//! The page is written in English (`support.md`) and Chinese (`support.zh-CN.md`); the reasons
//! are the baselines' own words (English).
//!
//! ```
//! use taro_conformance::report::support::{Mark, mark};
//! use taro_conformance::verdict::Status;
//! assert_eq!(mark(&[Status::Pass, Status::Pass]), Mark::Full);
//! assert_eq!(mark(&[Status::Pass, Status::Fail]), Mark::Partial);
//! assert_eq!(mark(&[Status::Timeout]), Mark::None);
//! assert_eq!(mark(&[Status::NotApplicable]), Mark::NotOffered);
//! assert_eq!(mark(&[]), Mark::Unmeasured);
//! ```

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::adapter::AdapterInfo;
use crate::error::FileError;
use crate::report::links::case_link;
use crate::report::matrix::{Matrix, Row};
use crate::run::gate::{self, Baseline};
use crate::spec::contract::{Contract, Field};
use crate::spec::{Level, Suite};
use crate::verdict::Status;

/// The platforms the page has a column for, in the docs' order: id, English and Chinese names.
/// Adapters of other platforms (the reference, plain Node) are left out: they are not Taro.
pub const PLATFORMS: [(&str, &str, &str); 8] = [
    ("h5", "H5", "H5"),
    ("rn", "React Native", "React Native"),
    ("weapp", "WeChat", "微信小程序"),
    ("alipay", "Alipay", "支付宝小程序"),
    ("swan", "Baidu", "百度智能小程序"),
    ("tt", "ByteDance", "抖音小程序"),
    ("qq", "QQ", "QQ 小程序"),
    ("jd", "JD", "京东小程序"),
];

/// The files the page is written to, under the report directory: English, then Chinese.
pub const FILES: [&str; 2] = ["support.md", "support.zh-CN.md"];

/// What a cell says of one row on one adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// Every measured case passes.
    Full,
    /// Some measured cases pass, some do not.
    Partial,
    /// No measured case passes.
    None,
    /// Every case needs a capability the adapter lacks.
    NotOffered,
    /// No case was measured.
    Unmeasured,
}

impl Mark {
    /// The symbol the page shows.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Full => "✔",
            Mark::Partial => "◐",
            Mark::None => "✘",
            Mark::NotOffered => "—",
            Mark::Unmeasured => "?",
        }
    }
}

/// The mark of a cell whose cases ended with `statuses` (skipped cases are not measured).
pub fn mark(statuses: &[Status]) -> Mark {
    let measured: Vec<&Status> = statuses
        .iter()
        .filter(|s| !matches!(s, Status::NotApplicable | Status::Skipped))
        .collect();
    let passed = measured.iter().filter(|s| ***s == Status::Pass).count();
    mark_of_counts(
        passed,
        measured.len(),
        statuses.contains(&Status::NotApplicable),
    )
}

/// The mark of counts: `passed` of `measured` cases passed; `not_offered` when every case was
/// not applicable.
pub fn mark_of_counts(passed: usize, measured: usize, not_offered: bool) -> Mark {
    if measured == 0 {
        if not_offered {
            Mark::NotOffered
        } else {
            Mark::Unmeasured
        }
    } else if passed == measured {
        Mark::Full
    } else if passed == 0 {
        Mark::None
    } else {
        Mark::Partial
    }
}

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
    for (id, en, zh) in PLATFORMS {
        let of_platform: Vec<(&AdapterInfo, &String)> = matrix
            .adapters
            .iter()
            .zip(&matrix.columns)
            .filter(|(a, _)| a.platform == id)
            .collect();
        let shared = of_platform.len() > 1;
        for (adapter, label) in of_platform {
            columns.push(Column {
                label: label.clone(),
                platform: en.to_string(),
                platform_zh: zh.to_string(),
                qualifier: shared.then(|| label.clone()),
                adapter: adapter.clone(),
            });
        }
    }
    columns
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

/// The page's fixed words in one language.
struct Words {
    title: &'static str,
    intro: &'static str,
    legend: &'static str,
    columns_head: &'static str,
    models: &'static str,
    tables: [&'static str; 4],
    name_head: [&'static str; 4],
    evidence: &'static str,
    evidence_intro: &'static str,
    clauses: &'static str,
    cases: &'static str,
    no_case: &'static str,
    passed: &'static str,
    not_offered: &'static str,
    unmeasured: &'static str,
    unlisted: &'static str,
    doubt: &'static str,
}

const EN: Words = Words {
    title: "# Taro.request on each platform, measured",
    intro: "Generated by `taro-conformance report` from run logs and the baselines' reasons: \
            nothing here is typed by hand. The rows are the docs' tables (every option, every \
            field of the success result, the task's methods); the columns are the platforms, \
            each with the Taro version measured.",
    legend: "✔ every case of the row's clauses passes · ◐ some do · ✘ none does · — not offered \
             on that platform (every case needs a capability the platform lacks) · ? no case \
             measured it · ❓ for some of its cases the vendor's documentation and field reports \
             about the real client disagree (the model follows one of them). Each mark links to its evidence below: the cases behind it and, for ◐ \
             and ✘, every case that did not pass with the reason, linked to its traffic in \
             [matrix.html](matrix.html).",
    columns_head: "| column | adapter | Taro | what runs |\n|---|---|---|---|",
    models: "The mini-program columns (WeChat, Alipay, Baidu, ByteDance, QQ, JD) run Taro's own \
             layer over a model of each platform's native `request` written from the vendor's \
             documentation ([adapters/taro-mini/MODELS.md](../adapters/taro-mini/MODELS.md)), \
             not the vendor's client.",
    tables: [
        "Options",
        "H5-only options",
        "Success result",
        "RequestTask",
    ],
    name_head: ["Option", "Option", "Field", "Method"],
    evidence: "## Evidence",
    evidence_intro: "Per row: its clauses (their text is in [docs/contract.md](../docs/contract.md)), \
                     its cases, and each column's mark with the cases that did not pass.",
    clauses: "Clauses",
    cases: "Cases",
    no_case: "no required or recommended case cites these clauses",
    passed: "of the measured cases pass",
    not_offered: "not offered: every case needs a capability this platform lacks",
    unmeasured: "not measured",
    unlisted: "not in the adapter's baseline: an unexpected result",
    doubt: "the documentation and field reports about the real client disagree:",
};

const ZH: Words = Words {
    title: "# Taro.request 在各平台上的实测支持度",
    intro: "本页由 `taro-conformance report` 根据运行日志和基线中的原因生成，没有任何手写内容。\
            行即文档中的表格（每个参数、成功结果的每个字段、任务的方法）；列即各平台，并注明实测的 \
            Taro 版本。",
    legend: "✔ 该行条款的用例全部通过 · ◐ 部分通过 · ✘ 全部未通过 · — 该平台不提供（每个用例都需要\
             该平台没有的能力） · ? 没有用例测到 · ❓ 对部分用例，厂商文档与关于真实客户端的现场报告不一致\
             （模型依照其一）。每个标记都链接到下方的证据：背后的用例；对于 ◐ 和 \
             ✘，列出每个未通过的用例及其原因，并链接到 [matrix.html](matrix.html) 中该用例的请求与响应。\
             原因引自基线文件，为英文。",
    columns_head: "| 列 | 适配器 | Taro | 运行环境 |\n|---|---|---|---|",
    models: "小程序各列（微信、支付宝、百度、抖音、QQ、京东）运行的是 Taro 自己的一层，其下是依据各厂商\
             文档编写的原生 `request` 模型（[adapters/taro-mini/MODELS.md](../adapters/taro-mini/MODELS.md)），\
             而不是厂商的客户端。",
    tables: ["参数", "仅 H5 的参数", "成功结果", "RequestTask"],
    name_head: ["参数", "参数", "字段", "方法"],
    evidence: "## 证据",
    evidence_intro: "每一行：它的条款（条款全文见 [docs/contract.md](../docs/contract.md)）、它的用例，\
                     以及每列的标记和未通过的用例。",
    clauses: "条款",
    cases: "用例",
    no_case: "没有必需或推荐级别的用例引用这些条款",
    passed: "个实测用例通过",
    not_offered: "不提供：每个用例都需要该平台没有的能力",
    unmeasured: "未测",
    unlisted: "不在该适配器的基线中：意外的结果",
    doubt: "厂商文档与关于真实客户端的现场报告不一致：",
};

/// The page in Markdown: `zh` for the Chinese page, else the English one.
pub fn markdown(support: &Support, contract: &Contract, zh: bool) -> String {
    let words = if zh { &ZH } else { &EN };
    let heading = |column: &Column| {
        let name = if zh {
            &column.platform_zh
        } else {
            &column.platform
        };
        match &column.qualifier {
            Some(q) => format!("{name} ({q}) {}", column.adapter.version),
            None => format!("{name} {}", column.adapter.version),
        }
    };
    let mut out = format!("{}\n\n{}\n\n{}\n\n", words.title, words.intro, words.legend);
    let _ = writeln!(out, "{}", words.columns_head);
    for column in &support.columns {
        let a = &column.adapter;
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            heading(column),
            a.name,
            a.version,
            a.runtime.replace('|', "\\|")
        );
    }
    let _ = writeln!(out, "\n{}", words.models);
    let headings: Vec<String> = support.columns.iter().map(heading).collect();
    for table in [Table::Option, Table::H5Option, Table::Result, Table::Task] {
        let k = table as usize;
        let _ = writeln!(out, "\n## {}\n", words.tables[k]);
        let _ = writeln!(out, "| {} | {} |", words.name_head[k], headings.join(" | "));
        let _ = writeln!(out, "|---|{}", "---|".repeat(headings.len()));
        for line in support.lines.iter().filter(|l| l.table == table) {
            let cells: Vec<String> = line
                .cells
                .iter()
                .map(|cell| {
                    let mut shown = match cell.mark {
                        Mark::Full | Mark::Partial | Mark::None => {
                            format!("{} {}/{}", cell.mark.symbol(), cell.passed, cell.measured)
                        }
                        other => other.symbol().to_string(),
                    };
                    if !cell.doubts.is_empty() {
                        shown.push_str(" ❓");
                    }
                    format!(
                        "[{shown}](#{})",
                        anchor(line.table, &line.name, &cell.column)
                    )
                })
                .collect();
            let _ = writeln!(out, "| `{}` | {} |", line.name, cells.join(" | "));
        }
    }
    let _ = writeln!(out, "\n{}\n\n{}", words.evidence, words.evidence_intro);
    for line in &support.lines {
        evidence(&mut out, line, support, contract, words, &headings);
    }
    out
}

/// One row's evidence: clauses, cases, and every cell with its divergences.
fn evidence(
    out: &mut String,
    line: &Line,
    support: &Support,
    contract: &Contract,
    words: &Words,
    headings: &[String],
) {
    let _ = writeln!(
        out,
        "\n### `{}` ({})\n",
        line.name, words.tables[line.table as usize]
    );
    let clauses: Vec<String> = line
        .clauses
        .iter()
        .map(|id| match contract.clause(id) {
            Some(clause) => format!("{id} ({})", clause.title),
            None => id.clone(),
        })
        .collect();
    let _ = writeln!(out, "{}: {}.\n", words.clauses, clauses.join("; "));
    if line.cases.is_empty() {
        let _ = writeln!(out, "{}: {}.\n", words.cases, words.no_case);
    } else {
        let ids: Vec<String> = line.cases.iter().map(|id| format!("`{id}`")).collect();
        let _ = writeln!(out, "{}: {}.\n", words.cases, ids.join(", "));
    }
    for ((cell, column), heading) in line.cells.iter().zip(&support.columns).zip(headings) {
        let what = match cell.mark {
            Mark::NotOffered => words.not_offered.to_string(),
            Mark::Unmeasured => words.unmeasured.to_string(),
            _ => format!("{}/{} {}", cell.passed, cell.measured, words.passed),
        };
        let _ = writeln!(
            out,
            "- <a id=\"{}\"></a>**{heading}** {} {what}",
            anchor(line.table, &line.name, &cell.column),
            cell.mark.symbol()
        );
        for id in &cell.doubts {
            let _ = writeln!(out, "  - ❓ {} [{id}](matrix.md#doubt-{id})", words.doubt);
        }
        for d in &cell.divergences {
            let reason = d.reason.as_deref().unwrap_or(words.unlisted);
            let _ = writeln!(
                out,
                "  - [`{}`]({}) {}: {}",
                d.case,
                case_link(&column.label, &d.case),
                d.status.as_str(),
                one_line(reason)
            );
        }
    }
}

/// The in-page anchor of a cell's evidence (the table is part of it: the options and the
/// result both have a `data` and a `header`).
fn anchor(table: Table, name: &str, column: &str) -> String {
    let table = match table {
        Table::Option | Table::H5Option => "option",
        Table::Result => "result",
        Table::Task => "task",
    };
    let slug: String = format!("{table}-{name}-{column}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("ev-{slug}")
}

/// Text on one line, safe inside a list item.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes `support.md` and `support.zh-CN.md` into `out`; returns their paths.
pub fn write(
    support: &Support,
    contract: &Contract,
    out: &Path,
) -> Result<Vec<PathBuf>, FileError> {
    std::fs::create_dir_all(out).map_err(|e| FileError::unwritable(out, &e))?;
    let mut written = Vec::new();
    for (file, zh) in FILES.into_iter().zip([false, true]) {
        let path = out.join(file);
        std::fs::write(&path, markdown(support, contract, zh))
            .map_err(|e| FileError::unwritable(&path, &e))?;
        written.push(path);
    }
    Ok(written)
}

/// The pages of `out` that differ from what `support` gives, with the adapters' versions and
/// runtimes taken from the committed `matrix.json` (they may differ from run to run, the
/// evidence may not).
pub fn stale(
    support: &Support,
    contract: &Contract,
    out: &Path,
) -> Result<Vec<PathBuf>, FileError> {
    let committed = crate::report::matrix::committed_columns(out)?;
    let mut support = support.clone();
    for column in &mut support.columns {
        if let Some((_, a)) = committed.iter().find(|(label, _)| *label == column.label) {
            column.adapter.version = a.version.clone();
            column.adapter.runtime = a.runtime.clone();
        }
    }
    let mut stale = Vec::new();
    for (file, zh) in FILES.into_iter().zip([false, true]) {
        let path = out.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if text != markdown(&support, contract, zh) {
            stale.push(path);
        }
    }
    Ok(stale)
}
