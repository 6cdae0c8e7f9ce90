use super::*;
use crate::spec::Level;
use crate::verdict::Mismatch;

/// A result of case `id` that ended `status`, with one mismatch at `path` when it failed.
fn result(id: &str, status: Status, path: &str) -> CaseResult {
    CaseResult {
        id: id.into(),
        status,
        level: Level::Required,
        contract: vec!["CALL-1".into()],
        elapsed_ms: 1,
        origins: Default::default(),
        observation: None,
        mismatches: (status == Status::Fail)
            .then(|| Mismatch {
                path: path.into(),
                expected: "1".into(),
                got: "2".into(),
                contract: vec!["CALL-1".into()],
                reason: None,
            })
            .into_iter()
            .collect(),
        problem: None,
        stderr: None,
    }
}

/// An entry for `of`, as `baseline update` writes it, with a reason of its own.
fn entry(of: &CaseResult, intermittent: &[Status]) -> Expected {
    Expected {
        id: of.id.clone(),
        status: of.status,
        reason: format!("why {}", of.id),
        fingerprint: of.fingerprint(),
        mismatches: of.what_failed(),
        intermittent: intermittent.to_vec(),
    }
}

fn baseline(entries: Vec<Expected>) -> Baseline {
    Baseline {
        adapter: "a".into(),
        expected: entries,
    }
}

fn ids(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn unlisted_cases_that_pass_or_do_not_apply_are_no_finding_and_others_are_unexpected() {
    let results = [
        result("c.timeout", Status::Timeout, ""),
        result("a.pass", Status::Pass, ""),
        result("b.na", Status::NotApplicable, ""),
        result("b.fail", Status::Fail, "x"),
    ];
    let all = ids(&["a.pass", "b.na", "b.fail", "c.timeout"]);
    assert_eq!(
        judge(&results, &Baseline::empty("a"), &all),
        [
            // By id, whatever the order of the results.
            Finding::UnexpectedFailure {
                id: "b.fail".into(),
                status: Status::Fail
            },
            Finding::UnexpectedFailure {
                id: "c.timeout".into(),
                status: Status::Timeout
            },
        ]
    );
}

#[test]
fn a_listed_case_is_judged_by_its_status_then_its_fingerprint() {
    let failing = result("a.fail", Status::Fail, "x");
    let erring = result("b.error", Status::Error, "");
    let listed = baseline(vec![entry(&failing, &[]), entry(&erring, &[])]);
    let all = ids(&["a.fail", "b.error"]);
    // As listed: nothing.
    assert_eq!(judge(&[failing.clone(), erring.clone()], &listed, &all), []);
    // Passing now, another status, another mismatch.
    let differently = result("a.fail", Status::Fail, "y");
    let found = judge(
        &[differently.clone(), result("b.error", Status::Pass, "")],
        &listed,
        &all,
    );
    assert_eq!(
        found,
        [
            Finding::FailsDifferently {
                id: "a.fail".into(),
                expected: failing.fingerprint(),
                got: differently.fingerprint(),
                was: failing.what_failed(),
                now: differently.what_failed(),
            },
            Finding::UnexpectedPass {
                id: "b.error".into()
            },
        ]
    );
    assert_eq!(
        judge(&[result("a.fail", Status::Timeout, "")], &listed, &all),
        [Finding::StatusChanged {
            id: "a.fail".into(),
            expected: Status::Fail,
            got: Status::Timeout
        }]
    );
}

#[test]
fn a_listed_id_that_no_case_of_the_suite_has_is_stale_even_if_not_run() {
    let listed = baseline(vec![
        entry(&result("gone", Status::Fail, "x"), &[]),
        entry(&result("filtered.out", Status::Fail, "x"), &[]),
    ]);
    assert_eq!(
        judge(&[], &listed, &ids(&["filtered.out"])),
        [Finding::Stale { id: "gone".into() }]
    );
}

#[test]
fn an_intermittent_entry_accepts_its_other_statuses_and_checks_its_own_fingerprint() {
    let failing = result("a.flaky", Status::Fail, "x");
    let listed = baseline(vec![entry(&failing, &[Status::Fail, Status::Pass])]);
    let all = ids(&["a.flaky"]);
    assert_eq!(
        judge(&[result("a.flaky", Status::Pass, "")], &listed, &all),
        []
    );
    assert_eq!(judge(&[failing], &listed, &all), []);
    let found = judge(&[result("a.flaky", Status::Fail, "y")], &listed, &all);
    assert!(
        matches!(&found[..], [Finding::FailsDifferently { .. }]),
        "{found:?}"
    );
    let found = judge(&[result("a.flaky", Status::Crash, "")], &listed, &all);
    assert!(
        matches!(
            &found[..],
            [Finding::StatusChanged {
                got: Status::Crash,
                ..
            }]
        ),
        "{found:?}"
    );
}

#[test]
fn the_intermittent_cases_are_those_that_ended_with_a_listed_status() {
    let listed = baseline(vec![
        entry(
            &result("a.flaky", Status::Fail, "x"),
            &[Status::Fail, Status::Pass],
        ),
        entry(
            &result("b.flaky", Status::Timeout, ""),
            &[Status::Timeout, Status::Pass],
        ),
        entry(&result("c.steady", Status::Fail, "x"), &[]),
    ]);
    let results = [
        result("a.flaky", Status::Pass, ""),
        result("b.flaky", Status::Crash, ""),
        result("c.steady", Status::Fail, "x"),
        result("d.unlisted", Status::Pass, ""),
    ];
    assert_eq!(
        intermittent(&results, &listed),
        BTreeMap::from([("a.flaky".to_string(), Status::Pass)])
    );
}

#[test]
fn an_intermittent_list_must_hold_the_entry_s_status_and_another_once_each() {
    let text = |list: &str| {
        format!(
            "adapter: x\nexpected:\n- id: a.ok\n  status: fail\n  reason: r\n  fingerprint: f\n\
             - id: b.case\n  status: fail\n  reason: r\n  fingerprint: f\n  intermittent: {list}\n"
        )
    };
    let parsed = Baseline::parse(&text("[fail, pass]"), "x.yaml".as_ref()).unwrap();
    assert_eq!(
        parsed.expected[1].intermittent,
        [Status::Fail, Status::Pass]
    );
    assert!(Baseline::parse(&text("[]"), "x.yaml".as_ref()).is_ok());
    for (list, says) in [
        (
            "[fail, pass, fail]",
            "`b.case`: `intermittent` lists a status twice",
        ),
        (
            "[pass, error]",
            "`b.case`: `intermittent` must list the entry's own status `fail`",
        ),
        (
            "[fail]",
            "`b.case`: `intermittent` lists the statuses the case ends with run to run: two or more",
        ),
    ] {
        let error = Baseline::parse(&text(list), "x.yaml".as_ref())
            .unwrap_err()
            .to_string();
        assert_eq!(error, format!("x.yaml:7: {says}"), "{list}");
    }
}

#[test]
fn each_finding_names_its_case_and_says_what_to_do() {
    let findings = [
        Finding::UnexpectedFailure {
            id: "a".into(),
            status: Status::Crash,
        },
        Finding::UnexpectedPass { id: "b".into() },
        Finding::StatusChanged {
            id: "c".into(),
            expected: Status::Fail,
            got: Status::Error,
        },
        Finding::FailsDifferently {
            id: "d".into(),
            expected: "e1".into(),
            got: "e2".into(),
            was: vec!["w".into()],
            now: vec!["n1".into(), "n2".into()],
        },
        Finding::FailsDifferently {
            id: "e".into(),
            expected: "e1".into(),
            got: "e2".into(),
            was: vec![],
            now: vec![],
        },
        Finding::Stale { id: "f".into() },
    ];
    let ids: Vec<&str> = findings.iter().map(Finding::id).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
    let text: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "unexpected crash: a is not in the baseline",
            "unexpected pass: b is in the baseline but passes now (remove it)",
            "status changed: c was fail, is error",
            "still failing, but differently: d (fingerprint e1 in the baseline, e2 now)\n      was: w\n      now: n1\n      now: n2",
            "still failing, but differently: e (fingerprint e1 in the baseline, e2 now)\n      was: (not recorded in the baseline: `baseline update` records it)",
            "stale entry: f names no case of the suite",
        ]
    );
}

#[test]
fn an_update_lists_what_did_not_pass_by_id_keeping_reasons_and_intermittent_entries() {
    let kept = result("b.kept", Status::Fail, "x");
    let flaky = result("c.flaky", Status::Fail, "x");
    let old = baseline(vec![
        entry(&kept, &[]),
        entry(&flaky, &[Status::Fail, Status::Pass]),
        entry(&result("d.fixed", Status::Fail, "x"), &[]),
    ]);
    let results = [
        result("e.new", Status::Timeout, ""),
        result("b.kept", Status::Fail, "y"),
        result("c.flaky", Status::Pass, ""),
        result("d.fixed", Status::Pass, ""),
        result("a.na", Status::NotApplicable, ""),
    ];
    let new = updated_baseline("a", &results, Some(&old));
    assert_eq!(new.adapter, "a");
    let listed: Vec<(&str, Status, &str)> = new
        .expected
        .iter()
        .map(|e| (e.id.as_str(), e.status, e.reason.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("b.kept", Status::Fail, "why b.kept"),
            ("c.flaky", Status::Fail, "why c.flaky"),
            (
                "e.new",
                Status::Timeout,
                "TODO: say what the implementation does instead, and where that comes from"
            ),
        ]
    );
    // This run's fingerprint for a case still failing; an intermittent entry that passed as it was.
    assert_eq!(new.expected[0].fingerprint, results[1].fingerprint());
    assert_eq!(new.expected[0].mismatches, results[1].what_failed());
    let json = |e: &Expected| serde_json::to_value(e).unwrap();
    assert_eq!(json(&new.expected[1]), json(&old.expected[1]));
    assert!(new.expected[2].intermittent.is_empty());
    assert!(
        updated_baseline("a", &results, None).expected[0]
            .reason
            .starts_with("TODO")
    );
}

#[test]
fn an_intermittent_entry_that_ends_another_way_gains_that_status_once() {
    let flaky = result("a.flaky", Status::Fail, "x");
    let old = baseline(vec![entry(&flaky, &[Status::Fail, Status::Pass])]);
    let timeout = updated_baseline("a", &[result("a.flaky", Status::Timeout, "")], Some(&old));
    assert_eq!(timeout.expected[0].status, Status::Timeout);
    assert_eq!(
        timeout.expected[0].intermittent,
        [Status::Fail, Status::Pass, Status::Timeout]
    );
    let again = updated_baseline("a", &[result("a.flaky", Status::Fail, "y")], Some(&old));
    assert_eq!(again.expected[0].intermittent, [Status::Fail, Status::Pass]);
    assert_eq!(
        again.expected[0].fingerprint,
        result("a.flaky", Status::Fail, "y").fingerprint()
    );
}

#[test]
fn an_updated_file_reads_back_says_how_the_gate_reads_it_and_keeps_its_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new/dir/a.yaml");
    let results = [
        result("a.fail", Status::Fail, "x"),
        result("b.pass", Status::Pass, ""),
    ];
    assert_eq!(update_file(&path, "a", &results).unwrap(), 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# Cases known not to pass on `a`, with why."),
        "{text}"
    );
    assert!(
        text.contains("`taro-conformance baseline update --adapter a`"),
        "{text}"
    );
    assert_eq!(text, updated("a", &results, None));
    let edited = text.replace("TODO: say what", "Because. TODO: say what");
    std::fs::write(&path, edited).unwrap();
    let more = [
        result("a.fail", Status::Fail, "x"),
        result("b.pass", Status::Crash, ""),
    ];
    assert_eq!(update_file(&path, "a", &more).unwrap(), 2);
    let read = Baseline::load(&path).unwrap();
    assert!(read.by_id()["a.fail"].reason.starts_with("Because."));
    assert!(read.by_id()["b.pass"].reason.starts_with("TODO"));
    let error = Baseline::load(&dir.path().join("none.yaml")).unwrap_err();
    assert!(error.to_string().contains("none.yaml"), "{error}");
}

#[test]
fn the_committed_baselines_are_read_once_each_and_an_adapter_without_one_has_none() {
    assert_eq!(
        default_path("example-node"),
        Path::new("reports/baselines/example-node.yaml")
    );
    let read = committed_baselines(["example-node", "no-such-adapter", "example-node"]).unwrap();
    assert_eq!(read.keys().collect::<Vec<_>>(), ["example-node"]);
    assert_eq!(read["example-node"].adapter, "example-node");
    assert!(!read["example-node"].expected.is_empty());
}

#[test]
fn an_empty_baseline_names_its_adapter_and_lists_nothing() {
    let empty = Baseline::empty("taro-rn");
    assert_eq!(empty.adapter, "taro-rn");
    assert!(empty.expected.is_empty() && empty.by_id().is_empty());
}
