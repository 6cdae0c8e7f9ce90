//! `run --repeat N`: every case whose status or fingerprint varies over N runs is listed, and the
//! run exits 1; a stable selection exits 0.

mod common;

use common::cli;

#[test]
fn a_case_that_varies_is_listed_and_a_stable_one_is_not() {
    // The first process started on 1.2.0 answers every case the other way (a flap), later ones
    // do not: run 1 differs from runs 2 and 3.
    let dir = tempfile::tempdir().unwrap();
    let manifest = common::versioned_adapter(
        dir.path(),
        "flappy",
        "9.0.0:1.2.0",
        "setup_version = \"true\"\n",
    );
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
