//! JUnit XML, for CI systems' test-report views: one `<testsuite>` per adapter@version, one
//! `<testcase>` per case, red exactly where the gate is.
//!
//! A case that fails as its baseline says is a passing testcase whose output gives the
//! baseline's reason; a case the gate finds something about is a `<failure>` (a failure) or an
//! `<error>` (error, crash, timeout) with the mismatches, the stderr tail and the command that
//! reruns it; not-applicable and skipped cases are `<skipped>`. A stale baseline entry is a
//! failing testcase of its own, named by the entry's id.
//!
//! ```
//! use taro_conformance::report::junit::{Suite, report};
//! use taro_conformance::run::Judgement;
//! let empty = Judgement::new(&[], None, &Default::default());
//! let xml = report("taro-conformance", &[Suite { name: "reference".into(), adapter: "reference".into(), results: &[], judgement: &empty, classnames: &Default::default(), flaky: &[] }])
//!     .to_string()
//!     .unwrap();
//! assert!(xml.contains(r#"<testsuite name="reference" tests="0""#));
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestRerun, TestSuite};

use crate::outcome::CaseResult;
use crate::report::links::rerun_command;
use crate::report::sink;
use crate::run::gate::Finding;
use crate::run::{Flaky, Judgement};
use crate::verdict::Status;

/// One adapter's run, as a JUnit test suite.
#[derive(Debug, Clone)]
pub struct Suite<'a> {
    /// The adapter and the version it ran (`taro-rn@4.2.0`): the test suite's name.
    pub name: String,
    /// The adapter as `--adapter` named it: what the rerun commands say.
    pub adapter: String,
    /// Its results.
    pub results: &'a [CaseResult],
    /// The results judged against its baseline.
    pub judgement: &'a Judgement,
    /// Each case's area (its spec file under the specs root, `data/query-string`), by id: the
    /// testcase's classname.
    pub classnames: &'a BTreeMap<String, String>,
    /// The cases accepted only when run again: passing testcases with a flaky run.
    pub flaky: &'a [Flaky],
}

/// The JUnit XML document of some runs, every character one XML allows ([`sink::xml_chars`]:
/// quick-junit drops most controls but keeps U+FFFE and U+FFFF, which no XML parser reads).
pub fn xml(name: &str, suites: &[Suite<'_>]) -> String {
    let xml = report(name, suites)
        .to_string()
        .expect("a JUnit report serializes");
    sink::xml_chars(&xml).into_owned()
}

/// The JUnit report of some runs.
pub fn report(name: &str, suites: &[Suite<'_>]) -> Report {
    let mut report = Report::new(name);
    for suite in suites {
        report.add_test_suite(test_suite(suite));
    }
    report
}

fn test_suite(suite: &Suite<'_>) -> TestSuite {
    let mut out = TestSuite::new(suite.name.as_str());
    let mut results: Vec<&CaseResult> = suite.results.iter().collect();
    results.sort_by(|a, b| a.id.cmp(&b.id));
    for result in results {
        out.add_test_case(test_case(suite, result));
    }
    let ran: BTreeSet<&str> = suite.results.iter().map(|r| r.id.as_str()).collect();
    for finding in &suite.judgement.findings {
        if let Finding::Stale { id } = finding
            && !ran.contains(id.as_str())
        {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(finding.to_string())
                .set_type("stale baseline entry");
            let mut case = TestCase::new(id.as_str(), status);
            case.set_classname("baseline");
            out.add_test_case(case);
        }
    }
    out
}

fn test_case(suite: &Suite<'_>, result: &CaseResult) -> TestCase {
    let findings: Vec<&Finding> = suite.judgement.about(&result.id).collect();
    let rerun = rerun_command(&suite.adapter, &result.id);
    let status = match result.status {
        Status::NotApplicable | Status::Skipped => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(result.detail().unwrap_or_else(|| result.status.to_string()));
            status
        }
        _ if findings.is_empty() => {
            let mut status = TestCaseStatus::success();
            for flaky in suite.flaky.iter().filter(|f| f.first.id == result.id) {
                let mut rerun = TestRerun::new(kind(flaky.first.status));
                rerun
                    .set_type(flaky.first.status.to_string())
                    .set_message(format!(
                        "{} at first; run {} was as the gate expects",
                        flaky.first.status, flaky.accepted_on
                    ))
                    .set_description(description(
                        &flaky.first,
                        &rerun_command(&suite.adapter, &result.id),
                    ));
                status.add_rerun(rerun);
            }
            status
        }
        Status::Pass | Status::Fail | Status::Error | Status::Crash | Status::Timeout => {
            let mut status = TestCaseStatus::non_success(kind(result.status));
            status
                .set_message(findings_text(&findings))
                .set_type(result.status.to_string())
                .set_description(description(result, &rerun));
            status
        }
    };
    let mut case = TestCase::new(result.id.as_str(), status);
    case.set_classname(suite.classnames.get(&result.id).map_or("", String::as_str))
        .set_time(Duration::from_millis(result.elapsed_ms));
    if let Some(note) = suite.judgement.intermittent_note(&result.id) {
        case.set_system_out(format!("{note}\n{}", description(result, &rerun)));
    } else if findings.is_empty()
        && !matches!(
            result.status,
            Status::Pass | Status::NotApplicable | Status::Skipped
        )
        && let Some(reason) = suite.judgement.reasons.get(&result.id)
    {
        case.set_system_out(format!(
            "{} as the baseline expects: {reason}\n{}",
            result.status,
            description(result, &rerun)
        ));
    }
    if let Some(stderr) = &result.stderr {
        case.set_system_err(stderr.as_str());
    }
    case
}

/// A case that did not end as expected: a `<failure>` when it was judged, an `<error>` when it
/// could not be (error, crash, timeout).
fn kind(status: Status) -> NonSuccessKind {
    match status {
        Status::Error | Status::Crash | Status::Timeout => NonSuccessKind::Error,
        _ => NonSuccessKind::Failure,
    }
}

fn findings_text(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The mismatches, why it was not judged, and the command that reruns it.
fn description(result: &CaseResult, rerun: &str) -> String {
    let mut lines: Vec<String> = result.mismatches.iter().map(ToString::to_string).collect();
    if let Some(detail) = result.detail() {
        lines.push(detail);
    }
    lines.push(format!("rerun: {rerun}"));
    lines.join("\n")
}
