//! Lint: every spec file valid, every cited clause known, every clause cited, every
//! required or recommended case able to fail. (Duplicate ids are load errors.)

use std::collections::BTreeMap;

use crate::contract::Contract;
use crate::spec::{CanFail, Level, Suite};

/// What lint found.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    /// Problems, each naming where (`file:line:column: …`).
    pub problems: Vec<String>,
    /// For each clause id, how many cases cite it.
    pub coverage: BTreeMap<String, usize>,
}

impl LintReport {
    /// Clauses no case cites.
    pub fn uncovered(&self) -> Vec<&str> {
        self.coverage
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// Whether lint passes.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Lints a loaded suite against the clause list.
pub fn lint(suite: &Suite, contract: &Contract) -> LintReport {
    let mut report = LintReport {
        problems: suite.errors.iter().map(ToString::to_string).collect(),
        coverage: contract.clauses.iter().map(|c| (c.id.clone(), 0)).collect(),
    };
    for loaded in &suite.cases {
        if loaded.case.level != Level::Informational && !loaded.case.expect.can_fail() {
            report.problems.push(format!(
                "{}:{}: case `{}` is {} but expects nothing that could fail",
                loaded.file.display(),
                loaded.line,
                loaded.case.id,
                loaded.case.level.as_str()
            ));
        }
        for id in &loaded.case.contract {
            match report.coverage.get_mut(id) {
                Some(n) => *n += 1,
                None => report.problems.push(format!(
                    "{}:{}: case `{}` cites `{id}`, which is not a clause of specs/contract.yaml",
                    loaded.file.display(),
                    loaded.line,
                    loaded.case.id
                )),
            }
        }
    }
    for field in contract.options.iter().chain(&contract.results) {
        for id in field
            .clauses
            .iter()
            .filter(|id| !report.coverage.contains_key(*id))
        {
            report.problems.push(format!(
                "specs/contract.yaml: `{}` names `{id}`, which is not a clause",
                field.name
            ));
        }
    }
    let uncovered: Vec<String> = report.uncovered().into_iter().map(String::from).collect();
    for id in uncovered {
        report
            .problems
            .push(format!("clause `{id}` is cited by no case"));
    }
    report
}
