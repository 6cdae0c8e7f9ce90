//! `diff` tells a case that stopped or started applying from one that broke or was fixed: a
//! not-applicable case did not run, so it neither passes nor fails.

use crate::common;

use std::path::Path;

use common::cli;
use serde_json::{Value, json};

/// The method cases on the reference adapter (all pass), logged to `log`.
fn logged_methods(log: &Path) -> String {
    let (code, out) = cli(&["run", "--filter", "method.", "--log", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    std::fs::read_to_string(log).unwrap()
}

/// The log `text` with each case whose id `edits` names given that status (and, for
/// `not-applicable`, no observation and the problem the runner writes; for `fail`, a mismatch).
fn with_statuses(text: &str, edits: &[(&str, &str)]) -> String {
    text.lines()
        .map(|line| {
            let mut value: Value = serde_json::from_str(line).unwrap();
            let edit = edits
                .iter()
                .find(|(id, _)| value["type"] == "case" && value["id"] == *id);
            if let Some((_, status)) = edit {
                value["status"] = (*status).into();
                match *status {
                    "not-applicable" => {
                        value["observation"] = Value::Null;
                        value["mismatches"] = json!([]);
                        value["problem"] = json!({"kind": "not-applicable", "lacks": ["abort"]});
                    }
                    "fail" => {
                        value["mismatches"] = json!([{"path": "client.settled", "expected": "resolved", "got": "rejected", "contract": ["METHOD-2"]}]);
                    }
                    _ => {}
                }
            }
            value.to_string() + "\n"
        })
        .collect()
}

#[test]
fn applicability_changes_are_their_own_kind_never_fixed_broken_or_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let text = logged_methods(&dir.path().join("run.jsonl"));
    let old = dir.path().join("old.jsonl");
    let new = dir.path().join("new.jsonl");
    std::fs::write(
        &old,
        with_statuses(
            &text,
            &[
                ("method.head", "not-applicable"),
                ("method.post", "not-applicable"),
                ("method.put", "not-applicable"),
            ],
        ),
    )
    .unwrap();
    std::fs::write(
        &new,
        with_statuses(
            &text,
            &[
                // Passed, and does not run now.
                ("method.get", "not-applicable"),
                // Did not run, and runs now: passing, failing.
                ("method.post", "fail"),
                // Did not run either side.
                ("method.put", "not-applicable"),
            ],
        ),
    )
    .unwrap();
    let (code, out) = cli(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    // No case that passed fails now: a case that failed on its first run is no break.
    assert_eq!(code, 0, "{out}");
    for part in [
        "0 fixed · 0 broken · 0 failing differently · 2 now applicable · 1 no longer applicable · 0 new · 0 removed · 7 unchanged",
        "## No longer applicable\n\n- `method.get`: was pass, now not applicable (the adapter lacks abort)",
        "## Now applicable\n\n",
        "- `method.head`: was not applicable, now pass",
        "- `method.post`: was not applicable, now fail\n  - expected resolved at client.settled, got rejected [METHOD-2]",
    ] {
        assert!(out.contains(part), "missing {part:?}:\n{out}");
    }
    assert!(
        !out.contains("## Fixed") && !out.contains("## Broken"),
        "{out}"
    );

    let (code, json) = cli(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{json}");
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["unchanged"], 7, "{json:#}");
    let changes = json["changes"].as_array().unwrap();
    let kinds: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| (c["change"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("no-longer-applicable", "method.get"),
            ("now-applicable", "method.head"),
            ("now-applicable", "method.post"),
        ],
        "{json:#}"
    );
    assert_eq!(changes[0]["was"], "pass");
    assert_eq!(changes[0]["lacks"], json!(["abort"]));
    assert_eq!(changes[2]["now"], "fail");
    assert_eq!(
        changes[2]["mismatches"],
        json!(["expected resolved at client.settled, got rejected [METHOD-2]"])
    );
}

#[test]
fn only_a_case_that_passed_and_fails_now_makes_diff_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let text = logged_methods(&dir.path().join("run.jsonl"));
    let old = dir.path().join("old.jsonl");
    let new = dir.path().join("new.jsonl");
    std::fs::write(&old, &text).unwrap();
    std::fs::write(&new, with_statuses(&text, &[("method.get", "fail")])).unwrap();
    let (code, out) = cli(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "0 fixed · 1 broken · 0 failing differently · 0 new · 0 removed · 9 unchanged"
        ),
        "{out}"
    );
}
