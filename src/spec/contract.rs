//! The contract: `docs/contract.md` states each numbered clause in words, with where in the
//! Taro docs it comes from; `specs/contract.yaml` is its machine-readable list (ids, levels,
//! titles, and the docs page's option and result tables). `lint` keeps the two in step.
//!
//! ```
//! use taro_conformance::spec::contract::ContractDoc;
//! let doc = ContractDoc::parse("# C\n## CALL\n### CALL-1 (required)\nText.\n", "c.md".as_ref()).unwrap();
//! assert_eq!(doc.clauses[0].id, "CALL-1");
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::FileError;
use crate::spec::Level;

/// Where the clause list lives, relative to the repository root.
pub const CONTRACT_PATH: &str = "specs/contract.yaml";

/// Where the contract's text lives, relative to the repository root.
pub const CONTRACT_DOC_PATH: &str = "docs/contract.md";

/// The clause list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// The file it was read from (empty when parsed from text).
    #[serde(skip)]
    pub path: PathBuf,
    /// Every clause, in the order of `docs/contract.md`.
    pub clauses: Vec<Clause>,
    /// The option table of the documentation page, as the suite reads it.
    #[serde(default)]
    pub options: Vec<Field>,
    /// The fields of the success result.
    #[serde(default)]
    pub results: Vec<Field>,
    /// The methods of the task `Taro.request` returns (`RequestTask`).
    #[serde(default)]
    pub task: Vec<Field>,
}

/// One row of the option table or the result table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The property name.
    pub name: String,
    /// Its type, as the page writes it.
    #[serde(rename = "type")]
    pub ty: String,
    /// Its default, if it has one.
    #[serde(default)]
    pub default: Option<String>,
    /// Whether it must be given.
    #[serde(default)]
    pub required: bool,
    /// Whether only H5 documents it.
    #[serde(default)]
    pub h5: bool,
    /// The clauses about it.
    #[serde(default)]
    pub clauses: Vec<String>,
    /// The clause whose cases check its default (the call leaves it out), when one does.
    #[serde(default)]
    pub default_clause: Option<String>,
    /// What it does.
    pub description: String,
}

/// One numbered clause.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// Its id (`DATA-1`).
    pub id: String,
    /// Its level in `docs/contract.md`.
    pub level: Level,
    /// What it says, in one line.
    pub title: String,
    /// The options its own wording sets (`method` for "POST with …"): a case may set them and
    /// still try the clause as apps call it (see [`Contract::conditions`]).
    #[serde(default)]
    pub given: Vec<String>,
    /// The observation paths where a mismatch can be this clause's fault, as patterns
    /// ([`crate::check::blame::PathPattern`]); `lint --logs` finds the cases that fail only at paths
    /// owned by clauses they do not cite.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owns: Vec<String>,
}

impl Contract {
    /// Reads the clause list; the error names the file and, when known, line and column.
    pub fn load(path: &Path) -> Result<Contract, FileError> {
        let mut contract: Contract = crate::spec::read_yaml(path)?;
        contract.path = path.to_path_buf();
        Ok(contract)
    }

    /// Every row of the docs page's tables: the options, the result's fields, the task's methods.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.options.iter().chain(&self.results).chain(&self.task)
    }

    /// The contract with each row's clauses cut down to the one about its default (none when no
    /// clause is): its support page says whether the implementations follow the defaults.
    pub fn defaults(&self) -> Contract {
        let mut contract = self.clone();
        for field in contract
            .options
            .iter_mut()
            .chain(&mut contract.results)
            .chain(&mut contract.task)
        {
            field.clauses = field.default_clause.iter().cloned().collect();
        }
        contract
    }

    /// The options a case may set and still try `clause` under default conditions, as apps
    /// call it: the url and the callbacks, the options whose rows cite the clause, and the
    /// clause's `given`.
    pub fn conditions<'a>(&'a self, clause: &'a Clause) -> Vec<&'a str> {
        let mut options = vec!["url", "success", "fail", "complete"];
        options.extend(
            self.fields()
                .filter(|f| f.clauses.contains(&clause.id))
                .map(|f| f.name.as_str()),
        );
        options.extend(clause.given.iter().map(String::as_str));
        options
    }

    /// The clause with this id.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }
}

/// The clauses of `docs/contract.md`: one `### ID (level)` heading each.
#[derive(Debug, Clone)]
pub struct ContractDoc {
    /// The file.
    pub path: PathBuf,
    /// Every clause heading, in order.
    pub clauses: Vec<DocClause>,
}

/// A clause heading of `docs/contract.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocClause {
    /// Its id.
    pub id: String,
    /// Its level.
    pub level: Level,
    /// The heading's line (1-based).
    pub line: u64,
}

impl ContractDoc {
    /// Reads the document.
    pub fn load(path: &Path) -> Result<ContractDoc, FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
        ContractDoc::parse(&text, path)
    }

    /// Finds the clause headings; a `###` heading that is not `### ID (level)` is an error.
    pub fn parse(text: &str, path: &Path) -> Result<ContractDoc, FileError> {
        let mut clauses = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let Some(heading) = line.strip_prefix("### ") else {
                continue;
            };
            let at = i as u64 + 1;
            let parsed = heading
                .trim()
                .strip_suffix(')')
                .and_then(|h| h.split_once(" ("))
                .and_then(|(id, level)| Some((id, level_named(level)?)))
                .filter(|(id, _)| is_clause_id(id));
            let Some((id, level)) = parsed else {
                return Err(FileError::new(
                    path,
                    format!(
                        "a `###` heading must name one clause as `### ID (level)`, like `### CALL-1 (required)`; found `{line}`"
                    ),
                )
                .at(at, 1));
            };
            clauses.push(DocClause {
                id: id.to_string(),
                level,
                line: at,
            });
        }
        Ok(ContractDoc {
            path: path.to_path_buf(),
            clauses,
        })
    }
}

fn level_named(name: &str) -> Option<Level> {
    [Level::Required, Level::Recommended, Level::Informational]
        .into_iter()
        .find(|l| l.as_str() == name)
}

/// `DATA-1`, `H5-JSONP-2`: upper-case words and a number, joined by `-`.
fn is_clause_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
}
