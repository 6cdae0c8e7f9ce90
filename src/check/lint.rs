//! Lint: every spec file valid, every cited clause known, every clause cited, every
//! required or recommended case able to fail and saying what each of its refs checks, every
//! `owns:` pattern of the clause list valid,
//! and the contract's text and clause list in step. (Misblames in run logs are [`crate::check::blame`]'s.)
//! (Duplicate ids are load errors.)

use std::collections::BTreeMap;

use crate::error::FileError;
use crate::spec::contract::{Contract, ContractDoc};
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

/// The required and recommended clauses whose every case sets an option the clause is not about
/// (a header or a dataType it does not need): none tries it as apps call it, and an
/// implementation that breaks it only under the defaults would pass.
fn untried_as_apps_call(suite: &Suite, contract: &Contract) -> Vec<FileError> {
    let mut problems = Vec::new();
    for clause in contract
        .clauses
        .iter()
        .filter(|c| c.level != Level::Informational)
    {
        let allowed = contract.conditions(clause);
        let extra = |call: &serde_json::Value| -> Vec<String> {
            call.as_object()
                .map(|o| {
                    o.keys()
                        .filter(|k| !allowed.contains(&k.as_str()))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        };
        let citing: Vec<_> = suite
            .cases
            .iter()
            .filter(|c| c.case.contract.contains(&clause.id))
            .collect();
        if citing.is_empty() || citing.iter().any(|c| extra(&c.case.call).is_empty()) {
            continue;
        }
        let sets: Vec<String> = citing
            .iter()
            .map(|c| format!("`{}` sets {}", c.case.id, extra(&c.case.call).join(", ")))
            .collect();
        problems.push(FileError::new(
            &contract.path,
            format!(
                "clause `{}` is never tried as apps call it: every case sets an option it is not \
                 about ({}); add a case that leaves them at their defaults, or list the options \
                 the clause's own wording sets in its `given`",
                clause.id,
                sets.join("; ")
            ),
        ));
    }
    problems
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
        if loaded.case.level != Level::Informational {
            for bare in loaded.case.refs.iter().filter(|r| r.checks().is_none()) {
                report.problems.push(at(format!(
                    "case `{}` is {}: its ref {} must say what the case checks of it \
                     (`{{url: …, checks: \"…\"}}`)",
                    loaded.case.id,
                    loaded.case.level.as_str(),
                    bare.url()
                )));
            }
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
    for field in contract.fields() {
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
        if let Some(id) = field
            .default_clause
            .as_ref()
            .filter(|id| !field.clauses.contains(*id))
        {
            report.problems.push(FileError::new(
                &contract.path,
                format!(
                    "`{}`: default_clause `{id}` is not one of its clauses",
                    field.name
                ),
            ));
        }
    }
    report
        .problems
        .extend(untried_as_apps_call(suite, contract));
    let uncovered: Vec<String> = report.uncovered().into_iter().map(String::from).collect();
    for id in uncovered {
        report.problems.push(FileError::new(
            &contract.path,
            format!("clause `{id}` is cited by no case"),
        ));
    }
    if let Err(problem) = crate::check::blame::Ownership::of(contract) {
        report.problems.push(problem);
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rstest::rstest;

    use super::*;
    use crate::spec::{load_str, parse_yaml};

    /// Three clauses, one of each level, each cited, each stated in the text; the option and
    /// result tables name two of them.
    const CLAUSES: &str = "clauses:
  - { id: A-1, level: required, title: t }
  - { id: A-2, level: recommended, title: t }
  - { id: A-3, level: informational, title: t }
options:
  - { name: url, type: string, description: d, clauses: [A-1] }
results:
  - { name: data, type: any, description: d, clauses: [A-2] }
task:
  - { name: abort, type: fn, description: d, clauses: [A-1, A-3], default_clause: A-1 }
";

    const DOC: &str =
        "# Contract\n\n### A-1 (required)\n\n### A-2 (recommended)\n\n### A-3 (informational)\n";

    const SPECS: &str = "cases:
  - id: a.one
    summary: s
    contract: [A-1]
    level: required
    call: { url: \"http://127.0.0.1:9/\" }
    expect: { client: { settled: rejected } }
  - id: a.two
    summary: s
    contract: [A-2, A-3]
    level: recommended
    call: { url: \"http://127.0.0.1:9/\" }
    expect: { client: { callbacks: [fail, complete] } }
  - id: a.three
    summary: s
    contract: [A-3]
    level: informational
    call: { url: \"http://127.0.0.1:9/\" }
    expect: {}
";

    /// Lint's problems, as text, for the three files after `edit` changed each.
    fn problems(edit: impl Fn(&str) -> String) -> Vec<String> {
        let mut contract: Contract = parse_yaml(&edit(CLAUSES), Path::new("clauses.yaml")).unwrap();
        contract.path = "clauses.yaml".into();
        let doc = ContractDoc::parse(&edit(DOC), Path::new("contract.md")).unwrap();
        let suite = Suite {
            cases: load_str(Path::new("s.yaml"), &edit(SPECS)).unwrap(),
            ..Suite::default()
        };
        let report = lint(&suite, &contract, &doc);
        assert_eq!(report.is_clean(), report.problems.is_empty());
        report.problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_consistent_files_are_clean() {
        assert_eq!(problems(str::to_string), Vec::<String>::new());
    }

    #[test]
    fn a_clause_whose_every_case_sets_an_option_it_is_not_about_is_never_tried_as_apps_call_it() {
        let with_data_type = |text: &str| {
            text.replace(
                "call: { url: \"http://127.0.0.1:9/\" }",
                "call: { url: \"http://127.0.0.1:9/\", dataType: text }",
            )
        };
        // A-3 is informational: only must be tried as apps call them.
        assert_eq!(
            problems(with_data_type),
            [
                "clauses.yaml: clause `A-1` is never tried as apps call it: every case sets an option it is not about (`a.one` sets dataType); add a case that leaves them at their defaults, or list the options the clause's own wording sets in its `given`",
                "clauses.yaml: clause `A-2` is never tried as apps call it: every case sets an option it is not about (`a.two` sets dataType); add a case that leaves them at their defaults, or list the options the clause's own wording sets in its `given`",
            ]
        );
        // An option the clause's wording sets, or one whose row cites the clause, is allowed.
        let given = |text: &str| {
            with_data_type(text)
                .replace("level: required, title: t }", "level: required, title: t, given: [dataType] }")
                .replace(
                    "- { name: data, type: any, description: d, clauses: [A-2] }",
                    "- { name: data, type: any, description: d, clauses: [A-2] }\n  - { name: dataType, type: string, description: d, clauses: [A-2] }",
                )
        };
        assert_eq!(problems(given), Vec::<String>::new());
    }

    /// Each rule, broken once by one edit: the one problem it reports.
    #[rstest]
    #[case::required_case_that_cannot_fail(
        "expect: { client: { settled: rejected } }",
        "expect: {}",
        "s.yaml:2: case `a.one` is required but expects nothing that could fail"
    )]
    #[case::recommended_case_that_cannot_fail(
        "expect: { client: { callbacks: [fail, complete] } }",
        "expect: { wire: {}, client: {} }",
        "s.yaml:8: case `a.two` is recommended but expects nothing that could fail"
    )]
    #[case::unknown_clause(
        "contract: [A-2, A-3]",
        "contract: [A-2, A-3, B-1]",
        "s.yaml:8: case `a.two` cites `B-1`, which is not a clause of clauses.yaml"
    )]
    #[case::uncited_clause(
        "contract: [A-2, A-3]",
        "contract: [A-3]",
        "clauses.yaml: clause `A-2` is cited by no case"
    )]
    #[case::option_names_no_clause(
        "description: d, clauses: [A-1]",
        "description: d, clauses: [A-1, A-9]",
        "clauses.yaml: `url` names `A-9`, which is not a clause"
    )]
    #[case::result_names_no_clause(
        "description: d, clauses: [A-2]",
        "description: d, clauses: [A-8]",
        "clauses.yaml: `data` names `A-8`, which is not a clause"
    )]
    #[case::default_clause_not_among_the_clauses(
        "description: d, clauses: [A-1]",
        "description: d, clauses: [A-1], default_clause: A-2",
        "clauses.yaml: `url`: default_clause `A-2` is not one of its clauses"
    )]
    #[case::text_states_an_unlisted_clause(
        "### A-3 (informational)\n",
        "### A-3 (informational)\n\n### A-4 (required)\n",
        "contract.md:9: clause `A-4` is not in clauses.yaml: add it there too"
    )]
    #[case::levels_disagree(
        "### A-2 (recommended)",
        "### A-2 (required)",
        "contract.md:5: clause `A-2` is required here but recommended in clauses.yaml"
    )]
    #[case::owns_a_bad_pattern(
        "id: A-2, level: recommended, title: t",
        "id: A-2, level: recommended, title: t, owns: [client.va*]",
        "clauses.yaml: clause `A-2` owns a path that is not a pattern: `client.va*`: `*` stands for a whole segment, not part of `va*`"
    )]
    #[case::listed_clause_not_stated(
        "\n### A-3 (informational)\n",
        "\n",
        "clauses.yaml: clause `A-3` has no `### A-3 (informational)` section in contract.md: state it there"
    )]
    fn each_rule_refuses(#[case] from: &str, #[case] to: &str, #[case] problem: &str) {
        assert_eq!(problems(|text| text.replacen(from, to, 1)), [problem]);
    }

    /// An informational case may expect nothing; a required one may expect anything at all.
    #[rstest]
    #[case::informational_expects_nothing("expect: {}", "expect: {}")]
    #[case::required_expects_one_request(
        "expect: { client: { settled: rejected } }",
        "expect: { wire: { api: { requests: [{}] } } }"
    )]
    fn each_rule_accepts(#[case] from: &str, #[case] to: &str) {
        let edit = |text: &str| {
            text.replacen(from, to, 1).replace(
                "call: { url: \"http://127.0.0.1:9/\" }\n    expect: { wire",
                "origins: { api: { refuseConnections: true } }\n    call: { url: \"http://127.0.0.1:9/\" }\n    expect: { wire",
            )
        };
        assert_eq!(problems(edit), Vec::<String>::new());
    }

    /// Load errors come first, as they were; coverage counts every citing case.
    #[test]
    fn load_errors_are_kept_and_coverage_counted() {
        let contract: Contract = parse_yaml(CLAUSES, Path::new("clauses.yaml")).unwrap();
        let doc = ContractDoc::parse(DOC, Path::new("contract.md")).unwrap();
        let suite = Suite {
            cases: load_str(Path::new("s.yaml"), SPECS).unwrap(),
            errors: vec![FileError::new("bad.yaml", "broken").at_line(3)],
            ..Suite::default()
        };
        let report = lint(&suite, &contract, &doc);
        let text: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["bad.yaml:3: broken"]);
        assert!(!report.is_clean());
        let counts: Vec<(&str, usize)> = report
            .coverage
            .iter()
            .map(|(id, n)| (id.as_str(), *n))
            .collect();
        assert_eq!(counts, [("A-1", 1), ("A-2", 1), ("A-3", 2)]);
        assert_eq!(report.uncovered(), Vec::<&str>::new());
    }

    #[test]
    fn uncovered_lists_the_clauses_no_case_cites() {
        let report = LintReport {
            problems: vec![],
            coverage: [("A-1", 0), ("A-2", 3), ("A-3", 0)]
                .into_iter()
                .map(|(id, n)| (id.to_string(), n))
                .collect(),
        };
        assert_eq!(report.uncovered(), ["A-1", "A-3"]);
        assert!(report.is_clean());
    }
}
