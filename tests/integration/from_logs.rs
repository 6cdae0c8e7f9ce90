//! `TARO_CONFORMANCE_FROM_LOGS`: the conformance tests judging a log `run` wrote instead of
//! running the suite (as `.ci/run` does after its gate run). A changed observation still fails
//! its snapshot, and a log that cannot stand for the selected cases stops the target, naming it
//! and why (a failing test of its own could be filtered out). (Each
//! gate finding through this mode: `tests/integration/gate.rs`.)

use std::path::Path;
use std::process::Command;

use crate::common;

use common::{cli, conformance_binary, output};

/// `run` on the reference adapter, its log in `dir/reference.jsonl`, with `extra` arguments.
fn logged(dir: &Path, extra: &[&str]) -> std::path::PathBuf {
    let log = dir.join("reference.jsonl");
    let mut args = vec!["run", "--log", log.to_str().unwrap()];
    args.extend(extra);
    let (code, out) = cli(&args);
    assert_eq!(code, 0, "{out}");
    log
}

/// The conformance tests on the reference adapter, judging the logs in `dir`.
fn judged(dir: &Path, filter: &[&str]) -> (i32, String) {
    let mut command = Command::new(conformance_binary());
    command
        .args(filter)
        .env("TARO_CONFORMANCE_ADAPTER", "reference")
        .env("TARO_CONFORMANCE_FROM_LOGS", dir)
        // A changed snapshot fails and nothing is written beside it.
        .env("CI", "true")
        .env("INSTA_UPDATE", "no")
        .env_remove("INSTA_FORCE_PASS")
        .env_remove("TARO_CONFORMANCE_SNAPSHOTS");
    output(command)
}

/// Edits the log's text.
fn edit(log: &Path, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(log).unwrap();
    let changed = change(text.clone());
    assert_ne!(text, changed, "the edit changes the log");
    std::fs::write(log, changed).unwrap();
}

#[test]
fn a_logged_case_passes_and_a_changed_observation_fails_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let log = logged(dir.path(), &["--filter", "method.get", "--exact"]);
    let (code, out) = judged(dir.path(), &["--exact", "method.get"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 passed; 0 failed"), "{out}");

    // The origin saw a PUT: the gate does not look again, the snapshot does.
    edit(&log, |text| {
        text.replacen(r#""method":"GET""#, r#""method":"PUT""#, 1)
    });
    let (code, out) = judged(dir.path(), &["--exact", "method.get"]);
    assert_eq!(code, 101, "{out}");
    assert!(
        out.contains("---- method.get ----") && out.contains("snapshot assertion for 'method.get'"),
        "{out}"
    );
}

#[test]
fn a_log_that_cannot_stand_for_the_selected_cases_is_refused_by_name() {
    let refused = |dir: &Path, filter: &[&str], why: &str| {
        let (code, out) = judged(dir, filter);
        assert_eq!(code, 2, "{out}");
        assert!(
            out.contains("error: TARO_CONFORMANCE_FROM_LOGS: ") && out.contains(why),
            "missing `{why}`:\n{out}"
        );
    };

    // One case logged, several selected.
    let dir = tempfile::tempdir().unwrap();
    let log = logged(dir.path(), &["--filter", "method.get", "--exact"]);
    refused(dir.path(), &["method."], "selected case(s) not in it: ");
    // Written from other spec files.
    edit(&log, |text| {
        let at = text.find(r#""spec_hash":""#).unwrap() + r#""spec_hash":""#.len();
        let mut text = text;
        text.replace_range(at..at + 8, "00000000");
        text
    });
    refused(
        dir.path(),
        &["--exact", "method.get"],
        "written from other spec files",
    );

    // One slice of the selection.
    let dir = tempfile::tempdir().unwrap();
    logged(dir.path(), &["--filter", "method.", "--partition", "1/2"]);
    refused(dir.path(), &["method."], "holds slice 1/2 of the suite");
}
