use super::*;
use crate::outcome::Problem;
use crate::run::log::{Header, SuiteInfo};
use crate::verdict::Mismatch;

/// A result of case `id`: `status`, with a mismatch whose observed value is `got` when given,
/// and the adapter's error `problem` when given.
fn result(
    id: &str,
    status: Status,
    level: Level,
    got: Option<&str>,
    problem: Option<&str>,
) -> CaseResult {
    CaseResult {
        id: id.into(),
        status,
        level,
        contract: vec!["C-1".into()],
        elapsed_ms: 1,
        origins: Default::default(),
        observation: None,
        mismatches: got
            .map(|got| Mismatch {
                path: "client.value".into(),
                expected: "1".into(),
                got: got.into(),
                contract: vec!["C-1".into()],
                reason: None,
            })
            .into_iter()
            .collect(),
        problem: problem.map(|message| Problem::Errored {
            message: message.into(),
        }),
        stderr: None,
    }
}

fn pass(id: &str) -> CaseResult {
    result(id, Status::Pass, Level::Required, None, None)
}

fn fail(id: &str, got: &str) -> CaseResult {
    result(id, Status::Fail, Level::Required, Some(got), None)
}

fn erred(id: &str, why: &str) -> CaseResult {
    result(id, Status::Error, Level::Required, None, Some(why))
}

fn not_applicable(id: &str, lacks: Vec<Capability>) -> CaseResult {
    CaseResult {
        problem: Some(Problem::NotApplicable { lacks }),
        ..result(id, Status::NotApplicable, Level::Required, None, None)
    }
}

fn log(version: &str, results: Vec<CaseResult>) -> RunLog {
    RunLog {
        header: Header {
            format: 1,
            harness: String::new(),
            adapter: AdapterInfo {
                name: "a".into(),
                version: version.into(),
                platform: "p".into(),
                runtime: "r".into(),
                capabilities: Vec::new(),
            },
            suite: SuiteInfo {
                cases: results.len(),
                spec_hash: String::new(),
            },
            started: String::new(),
            partition: None,
        },
        results: results.into_iter().map(|r| (r.id.clone(), r)).collect(),
        cut: None,
        left_out: Vec::new(),
    }
}

fn lines(of: &CaseResult) -> Vec<String> {
    of.what_failed()
}

#[test]
fn each_kind_of_change_with_both_sides_and_what_stayed_the_same() {
    let informational =
        |id: &str, got: Option<&str>| result(id, Status::Pass, Level::Informational, got, None);
    // A required case that passes both times is the same, whatever its mismatches say.
    let odd_pass = result(
        "s.pass-with-mismatch",
        Status::Pass,
        Level::Required,
        Some("2"),
        None,
    );
    let lacks = vec![Capability::ALL[0]];
    let old = log(
        "1",
        vec![
            fail("a.fixed", "2"),
            pass("b.broken"),
            fail("c.differently", "2"),
            fail("d.status", "2"),
            not_applicable("e.now-applicable", vec![]),
            pass("f.no-longer-applicable"),
            informational("g.informational", Some("2")),
            informational("h.informational-same", Some("2")),
            pass("i.removed"),
            pass("k.same"),
            fail("l.same-failure", "2"),
            not_applicable("m.never-applicable", vec![]),
            pass("s.pass-with-mismatch"),
            erred("t.erred", "boom"),
        ],
    );
    let new = log(
        "2",
        vec![
            pass("a.fixed"),
            fail("b.broken", "3"),
            fail("c.differently", "3"),
            erred("d.status", "boom"),
            fail("e.now-applicable", "3"),
            not_applicable("f.no-longer-applicable", lacks.clone()),
            informational("g.informational", None),
            informational("h.informational-same", Some("2")),
            pass("j.new"),
            pass("k.same"),
            fail("l.same-failure", "2"),
            not_applicable("m.never-applicable", vec![]),
            odd_pass.clone(),
            erred("t.erred", "boom"),
        ],
    );
    let diff = diff(&old, &new);
    assert_eq!((diff.old.as_str(), diff.new.as_str()), ("a@1", "a@2"));
    let (o, n) = (&old.results, &new.results);
    assert_eq!(
        diff.changes,
        [
            Change::Fixed {
                id: "a.fixed".into(),
                was: Status::Fail,
                mismatches: lines(&o["a.fixed"]),
            },
            Change::Broken {
                id: "b.broken".into(),
                now: Status::Fail,
                mismatches: lines(&n["b.broken"]),
            },
            Change::FailsDifferently {
                id: "c.differently".into(),
                was: Status::Fail,
                now: Status::Fail,
                before: lines(&o["c.differently"]),
                after: lines(&n["c.differently"]),
            },
            Change::FailsDifferently {
                id: "d.status".into(),
                was: Status::Fail,
                now: Status::Error,
                before: lines(&o["d.status"]),
                after: vec!["boom".into()],
            },
            Change::NowApplicable {
                id: "e.now-applicable".into(),
                now: Status::Fail,
                mismatches: lines(&n["e.now-applicable"]),
            },
            Change::NoLongerApplicable {
                id: "f.no-longer-applicable".into(),
                was: Status::Pass,
                lacks,
            },
            Change::InformationalChanged {
                id: "g.informational".into(),
                before: lines(&o["g.informational"]),
                after: vec![],
            },
            Change::Removed {
                id: "i.removed".into(),
                was: Status::Pass,
            },
            Change::New {
                id: "j.new".into(),
                now: Status::Pass,
            },
        ]
    );
    assert_eq!(diff.unchanged, 6);
    assert!(diff.broke());
    assert!(!lines(&odd_pass).is_empty());
}

#[test]
fn a_case_that_stops_applying_without_saying_what_it_lacks_lacks_nothing_named() {
    let old = log("1", vec![pass("a")]);
    let new = log(
        "2",
        vec![result(
            "a",
            Status::NotApplicable,
            Level::Required,
            None,
            None,
        )],
    );
    let diff = diff(&old, &new);
    assert_eq!(
        diff.changes,
        [Change::NoLongerApplicable {
            id: "a".into(),
            was: Status::Pass,
            lacks: vec![]
        }]
    );
    assert!(!diff.broke(), "a case that stops applying is not broken");
    assert!(
        diff.markdown()
            .contains("- `a`: was pass, now not applicable\n"),
        "{}",
        diff.markdown()
    );
}

#[test]
fn changes_of_one_kind_that_share_a_cause_are_grouped_by_the_side_that_says_why() {
    let old = log(
        "1",
        vec![
            erred("a.fixed", "old default"),
            erred("b.fixed", "old default"),
            pass("c.broken"),
            pass("d.broken"),
            pass("e.broken-alone"),
            erred("f.removed", "old default"),
            erred("g.removed", "old default"),
        ],
    );
    let new = log(
        "2",
        vec![
            pass("a.fixed"),
            pass("b.fixed"),
            erred("c.broken", "new default"),
            erred("d.broken", "new default"),
            erred("e.broken-alone", "other"),
            erred("h.new", "new default"),
            erred("i.new", "new default"),
        ],
    );
    let diff = diff(&old, &new);
    let shared = |section: &str, cause: &str, ids: &[&str]| SharedCause {
        section: section.into(),
        cause: cause.into(),
        ids: ids.iter().map(|id| id.to_string()).collect(),
    };
    assert_eq!(
        diff.shared,
        [
            shared("Broken", "new default", &["c.broken", "d.broken"]),
            shared("Fixed", "old default", &["a.fixed", "b.fixed"]),
        ]
    );
    let md = diff.markdown();
    assert!(
        md.contains("## Broken\n\n- 2 cases: new default\n  - `c.broken` · `d.broken`\n- `e.broken-alone`: passed, now error\n  - other\n"),
        "{md}"
    );
    assert!(
        md.contains("## Fixed\n\n- 2 cases: old default\n  - `a.fixed` · `b.fixed`\n\n## New"),
        "{md}"
    );
}
