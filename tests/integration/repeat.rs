//! Flake control. `run --repeat N`: every case whose status or fingerprint varies over N runs is
//! listed, and the run exits 1; a stable selection exits 0. `run --retry-unexpected N`: a case
//! the gate finds something about runs again, and one the gate then accepts is flaky.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{cli, conformance_binary, output};

/// An adapter whose first process started on 1.2.0 answers every case the other way (a flap);
/// later ones, and every other version below 9.0.0, do not.
fn flappy(dir: &std::path::Path) -> std::path::PathBuf {
    common::versioned_adapter(dir, "flappy", "9.0.0:1.2.0", "setup_version = \"true\"\n")
}

#[test]
fn a_case_that_varies_is_listed_and_a_stable_one_is_not() {
    // The first process started on 1.2.0 answers every case the other way (a flap), later ones
    // do not: run 1 differs from runs 2 and 3.
    let dir = tempfile::tempdir().unwrap();
    let manifest = flappy(dir.path());
    let adapter = format!("{}@1.2.0", manifest.display());
    let log = dir.path().join("run.jsonl");
    let (code, out) = cli(&[
        "run",
        "--adapter",
        &adapter,
        "--filter",
        "method.get",
        "--exact",
        "--no-baseline",
        "--repeat",
        "3",
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("1 of 1 case(s) on `"), "{out}");
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("method.get: "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("×2") && line.contains("×1"), "{line}");
    // Each way it ended is shown as it looked, not only by its fingerprint, with the log of the
    // first run that ended so: every run keeps its log (the last one, the log named).
    let run_1 = dir.path().join("run.run-1.jsonl");
    assert!(
        out.lines().any(|l| l.trim_start().starts_with("fail (")
            && l.contains("expected")
            && l.contains(&format!("(run 1: {})", run_1.display()))),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.trim_start().starts_with("fail (")
            && l.contains(&format!(
                "(run 2: {})",
                dir.path().join("run.run-2.jsonl").display()
            ))),
        "{out}"
    );
    let (_, diffed) = cli(&["diff", run_1.to_str().unwrap(), log.to_str().unwrap()]);
    assert!(
        diffed.contains("1 failing differently") && diffed.contains("`method.get`: fail → fail"),
        "{diffed}"
    );
    assert!(!dir.path().join("run.run-3.jsonl").exists());

    let (code, out) = cli(&[
        "run",
        "--filter",
        "method.get",
        "--exact",
        "--repeat",
        "3",
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 case(s) on `reference`, 3 runs: every case ended the same way every time"),
        "{out}"
    );
    let (code, out) = cli(&["run", "--repeat", "1"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--repeat takes 2 or more runs"), "{out}");
}

/// A flappy adapter in `dir`, and beside it the baseline of how method.get fails when it does not
/// flap (1.3.0 never does): `dir/baseline.yaml`.
fn flappy_with_steady_baseline(dir: &Path) -> PathBuf {
    let manifest = flappy(dir);
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let (code, out) = cli(&[
        "run",
        "--adapter",
        &format!("{}@1.3.0", manifest.display()),
        "--filter",
        "method.get",
        "--exact",
        "--no-baseline",
        "--log",
        &path("steady.jsonl"),
    ]);
    assert_eq!(code, 1, "{out}");
    let (code, out) = cli(&[
        "baseline",
        "update",
        "--from-log",
        &path("steady.jsonl"),
        "--baseline",
        &path("baseline.yaml"),
    ]);
    assert_eq!(code, 0, "{out}");
    manifest
}

#[test]
fn retry_unexpected_accepts_a_flap_as_flaky_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = flappy_with_steady_baseline(dir.path());
    let at = |version: &str| format!("{}@{version}", manifest.display());
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    // 1.2.0's first process answers the other way: without retries, the gate finds it.
    let run = |retries: &str| {
        cli(&[
            "run",
            "--adapter",
            &at("1.2.0"),
            "--filter",
            "method.get",
            "--exact",
            "--baseline",
            &path("baseline.yaml"),
            "--retry-unexpected",
            retries,
            "--log",
            &path("run.jsonl"),
            "--junit",
            &path("junit.xml"),
        ])
    };
    let (code, out) = run("1");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("flaky: method.get was fail at first; run 2 was as the gate expects"),
        "{out}"
    );
    assert!(out.contains("gate: ok"), "{out}");
    let junit = std::fs::read_to_string(path("junit.xml")).unwrap();
    assert!(junit.contains("<flakyFailure"), "{junit}");
    assert!(!junit.contains("<failure"), "{junit}");
    // The log ends with the accepted result: the matrix and diff read that one.
    let log = std::fs::read_to_string(path("run.jsonl")).unwrap();
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("\"id\":\"method.get\""))
            .count(),
        2,
        "{log}"
    );
    let (code, out) = cli(&["diff", &path("steady.jsonl"), &path("run.jsonl")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 unchanged"), "{out}");

    // Without retries (a fresh directory: a fresh flap), the gate finds it.
    let dir = tempfile::tempdir().unwrap();
    let manifest = flappy(dir.path());
    let (code, out) = cli(&[
        "run",
        "--adapter",
        &format!("{}@1.2.0", manifest.display()),
        "--filter",
        "method.get",
        "--exact",
        "--baseline",
        &path("baseline.yaml"),
        "--log",
        &path("again.jsonl"),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("still failing, but differently: method.get"),
        "{out}"
    );
}

#[test]
fn the_conformance_tests_retry_unexpected_cases_when_told_and_name_the_flaky_ones() {
    // Each call has a directory of its own: a fresh flap.
    let conformance = |retries: Option<&str>| {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let manifest = flappy_with_steady_baseline(dir);
        let mut command = Command::new(conformance_binary());
        command
            .args(["--exact", "method.get"])
            .env(
                "TARO_CONFORMANCE_ADAPTER",
                format!("{}@1.2.0", manifest.display()),
            )
            .env("TARO_CONFORMANCE_BASELINE", dir.join("baseline.yaml"))
            // The snapshot of a temporary adapter is written beside it, never compared.
            .env("TARO_CONFORMANCE_SNAPSHOTS", dir.join("snapshots"))
            .env("INSTA_UPDATE", "always")
            .env_remove("TARO_CONFORMANCE_RETRY_UNEXPECTED");
        if let Some(retries) = retries {
            command.env("TARO_CONFORMANCE_RETRY_UNEXPECTED", retries);
        }
        output(command)
    };
    // The first process on 1.2.0 answers the other way; the retry's process does not.
    let (code, out) = conformance(Some("1"));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("::method.get was fail at first; run 2 was as the gate expects"),
        "{out}"
    );
    // Without retries, its test fails.
    let (code, out) = conformance(None);
    assert_eq!(code, 101, "{out}");
    assert!(
        out.contains("still failing, but differently: method.get"),
        "{out}"
    );
    let (code, out) = conformance(Some("once"));
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("TARO_CONFORMANCE_RETRY_UNEXPECTED is \"once\""),
        "{out}"
    );
}
