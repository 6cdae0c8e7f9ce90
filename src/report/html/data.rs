//! The data the page embeds and its script reads ([`PageData`]): the columns, every case once,
//! each cell's status, mismatches, reason and doubts, and the observations they share stored
//! once; and [`data`], which builds it from the suite, the logs' columns, the matrix and the
//! [`Sources`] (clauses and baselines).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::VALUE_LIMIT;
use super::cut::{cut, cut_str, terse};
use crate::error::FileError;
use crate::outcome::CaseResult;
use crate::outcome::redact;
use crate::report::doubt::Doubt;
use crate::report::matrix::{Column, Matrix};
use crate::report::sink::link_target;
use crate::run::gate::{self, Baseline};
use crate::spec::contract::Contract;
use crate::spec::{Level, Suite};
use crate::verdict::Status;

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
    /// Its interceptors added after the earlier calls, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub later_interceptors: Option<Value>,
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
    /// What Taro's layer passed the native request API, where the adapter reports it: an index
    /// into [`PageData::values`] (and left out of `client`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<usize>,
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

/// The data the page embeds, read by its script (and by [`is_current`](super::is_current)).
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
            let later_interceptors = (!case.later_interceptors.is_empty())
                .then(|| serde_json::to_value(&case.later_interceptors).unwrap_or_default());
            (
                case.id.clone(),
                PageCase {
                    area: loaded.area(&suite.root),
                    level: case.level,
                    summary: case.summary.clone(),
                    source: format!("{}:{}", loaded.file.display(), loaded.line),
                    refs: links(case.refs.iter().map(|r| r.url())),
                    clauses,
                    call: crate::spec::call_js(case, &BTreeMap::new()),
                    stubs: cut(&stubs, VALUE_LIMIT),
                    page,
                    interceptors,
                    later_interceptors,
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
        doubts: matrix
            .doubts
            .iter()
            .map(|d| Doubt {
                refs: links(d.refs.iter().map(String::as_str)),
                ..d.clone()
            })
            .collect(),
    }
}

/// The references the page may link to: the script makes each one a link ([`link_target`]).
fn links<'a>(refs: impl Iterator<Item = &'a str>) -> Vec<String> {
    refs.filter_map(link_target).map(str::to_string).collect()
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
    let (wire, client, native) = match &result.observation {
        Some(observation) => {
            let mut client = observation.client.clone();
            let native = client.native.take();
            (
                Some(values.add(clean(
                    &serde_json::to_value(&observation.wire).unwrap_or_default(),
                ))),
                Some(values.add(clean(&serde_json::to_value(&client).unwrap_or_default()))),
                native.map(|n| values.add(clean(n.as_ref()))),
            )
        }
        None => (None, None, None),
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
        native,
        stderr: result
            .stderr
            .as_deref()
            .filter(|s| !passed && !s.trim().is_empty())
            .map(cut_str),
        doubts: Vec::new(),
    }
}
