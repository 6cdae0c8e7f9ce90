//! The contract's clause list: `specs/contract.yaml`, the machine-readable copy of the clause
//! ids of `CONTRACT.md`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::FileError;
use crate::spec::Level;

/// Where the clause list lives, relative to the repository root.
pub const CONTRACT_PATH: &str = "specs/contract.yaml";

/// The clause list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Every clause, in the order of `CONTRACT.md`.
    pub clauses: Vec<Clause>,
    /// The option table of the documentation page, as the suite reads it.
    #[serde(default)]
    pub options: Vec<Field>,
    /// The fields of the success result.
    #[serde(default)]
    pub results: Vec<Field>,
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
    /// What it does.
    pub description: String,
}

/// One numbered clause.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// Its id (`DATA-1`).
    pub id: String,
    /// Its level in `CONTRACT.md`.
    pub level: Level,
    /// What it says, in one line.
    pub title: String,
}

impl Contract {
    /// Reads the clause list; the error names the file and, when known, line and column.
    pub fn load(path: &Path) -> Result<Contract, FileError> {
        crate::spec::read_yaml(path)
    }

    /// The clause with this id.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }
}
