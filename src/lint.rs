//! Lint: every spec file valid, every cited clause known, every clause cited, every
//! required or recommended case able to fail, and the contract's text and clause list in step.
//! (Duplicate ids are load errors.)

use std::collections::BTreeMap;

use crate::contract::{Contract, ContractDoc};
use crate::error::FileError;
use crate::spec::{CanFail, Level, Suite};

/// What lint found.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    /// Problems, each naming its file and, when known, line and column.
    pub problems: Vec<FileError>,
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

/// Lints a loaded suite against the clause list and the contract's text.
pub fn lint(suite: &Suite, contract: &Contract, doc: &ContractDoc) -> LintReport {
    let mut report = LintReport {
        problems: suite.errors.clone(),
        coverage: contract.clauses.iter().map(|c| (c.id.clone(), 0)).collect(),
    };
    let list = contract.path.display().to_string();
    for loaded in &suite.cases {
        let at = |message: String| FileError::new(&loaded.file, message).at_line(loaded.line);
        if loaded.case.level != Level::Informational && !loaded.case.expect.can_fail() {
            report.problems.push(at(format!(
                "case `{}` is {} but expects nothing that could fail",
                loaded.case.id,
                loaded.case.level.as_str()
            )));
        }
        for id in &loaded.case.contract {
            match report.coverage.get_mut(id) {
                Some(n) => *n += 1,
                None => report.problems.push(at(format!(
                    "case `{}` cites `{id}`, which is not a clause of {list}",
                    loaded.case.id
                ))),
            }
        }
    }
    for field in contract.options.iter().chain(&contract.results) {
        for id in field
            .clauses
            .iter()
            .filter(|id| !report.coverage.contains_key(*id))
        {
            report.problems.push(FileError::new(
                &contract.path,
                format!("`{}` names `{id}`, which is not a clause", field.name),
            ));
        }
    }
    let uncovered: Vec<String> = report.uncovered().into_iter().map(String::from).collect();
    for id in uncovered {
        report.problems.push(FileError::new(
            &contract.path,
            format!("clause `{id}` is cited by no case"),
        ));
    }
    report.problems.extend(compare_doc(contract, doc));
    report
}

/// Every clause of the list must be a clause of the text, at the same level, and the other way
/// round.
fn compare_doc(contract: &Contract, doc: &ContractDoc) -> Vec<FileError> {
    let mut problems = Vec::new();
    let list = contract.path.display();
    for clause in &doc.clauses {
        let at = || FileError::new(&doc.path, String::new()).at_line(clause.line);
        match contract.clause(&clause.id) {
            None => problems.push(FileError {
                message: format!("clause `{}` is not in {list}: add it there too", clause.id),
                ..at()
            }),
            Some(listed) if listed.level != clause.level => problems.push(FileError {
                message: format!(
                    "clause `{}` is {} here but {} in {list}",
                    clause.id,
                    clause.level.as_str(),
                    listed.level.as_str()
                ),
                ..at()
            }),
            Some(_) => {}
        }
    }
    for clause in &contract.clauses {
        if !doc.clauses.iter().any(|c| c.id == clause.id) {
            problems.push(FileError::new(
                &contract.path,
                format!(
                    "clause `{}` has no `### {} ({})` section in {}: state it there",
                    clause.id,
                    clause.id,
                    clause.level.as_str(),
                    doc.path.display()
                ),
            ));
        }
    }
    problems
}
