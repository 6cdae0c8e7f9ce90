//! The CI gate end to end, through the command line, on the example adapter and its baseline.

use std::path::{Path, PathBuf};
use std::process::Command;

use rstest::rstest;

use crate::common;

use common::{cli, conformance_binary, output, root};

/// The committed example-node baseline, edited, in a temporary file.
fn edited_baseline(edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let text = std::fs::read_to_string(root().join("reports/baselines/example-node.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.yaml");
    std::fs::write(&path, edit(text)).unwrap();
    (dir, path)
}

/// The baseline without the entry of one case.
fn baseline_without(id: &str) -> (tempfile::TempDir, PathBuf) {
    edited_baseline(|text| {
        let mut kept = Vec::new();
        let mut skipping = false;
        for line in text.lines() {
            if line.starts_with("- id: ") {
                skipping = line == format!("- id: {id}");
            }
            if !skipping {
                kept.push(line);
            }
        }
        kept.join("\n") + "\n"
    })
}

/// The ways a run is gated: `taro-conformance run`, and `cargo test --test conformance` (whose
/// binary is run here directly), running the cases or judging a log `run` wrote (as CI does,
/// `TARO_CONFORMANCE_FROM_LOGS`). Each must report every finding.
#[derive(Debug, Clone, Copy)]
enum Gate {
    Run,
    CargoTest,
    FromLog,
}

impl Gate {
    /// The exit code of a gate that found something: `run`'s 1, libtest's 101.
    fn failed(self) -> i32 {
        match self {
            Gate::Run => 1,
            Gate::CargoTest | Gate::FromLog => 101,
        }
    }
}

/// Runs the cases `filter` selects on `adapter`, judged against `baseline`, through `gate`.
fn gated(gate: Gate, adapter: &str, filter: &str, baseline: &Path) -> (i32, String) {
    match gate {
        Gate::Run => {
            let dir = tempfile::tempdir().unwrap();
            let log = dir.path().join("run.jsonl");
            cli(&[
                "run",
                "--adapter",
                adapter,
                "--filter",
                filter,
                "--log",
                log.to_str().unwrap(),
                "--baseline",
                baseline.to_str().unwrap(),
            ])
        }
        Gate::CargoTest => {
            let mut command = Command::new(conformance_binary());
            command
                .arg(filter)
                .env("TARO_CONFORMANCE_ADAPTER", adapter)
                .env("TARO_CONFORMANCE_BASELINE", baseline);
            output(command)
        }
        Gate::FromLog => {
            let dir = tempfile::tempdir().unwrap();
            let log = dir.path().join(format!("{adapter}.jsonl"));
            let (code, out) = cli(&[
                "run",
                "--adapter",
                adapter,
                "--filter",
                filter,
                "--log",
                log.to_str().unwrap(),
                "--no-baseline",
            ]);
            // Failing cases fail the run; the log is what counts here.
            assert!(log.is_file(), "{code}: {out}");
            let mut command = Command::new(conformance_binary());
            command
                .arg(filter)
                .env("TARO_CONFORMANCE_ADAPTER", adapter)
                .env("TARO_CONFORMANCE_BASELINE", baseline)
                .env("TARO_CONFORMANCE_FROM_LOGS", dir.path());
            output(command)
        }
    }
}

/// The gate fails, saying `finding`.
fn assert_finds(gate: Gate, adapter: &str, filter: &str, baseline: &Path, finding: &str) {
    let (code, out) = gated(gate, adapter, filter, baseline);
    assert_eq!(code, gate.failed(), "{out}");
    assert!(out.contains(finding), "missing `{finding}`:\n{out}");
}

fn committed_baseline() -> PathBuf {
    root().join("reports/baselines/example-node.yaml")
}

#[rstest]
#[case::run(Gate::Run)]
#[case::cargo_test(Gate::CargoTest)]
#[case::from_log(Gate::FromLog)]
fn the_committed_baseline_passes_the_gate(#[case] gate: Gate) {
    let (code, out) = gated(gate, "example-node", "method.", &committed_baseline());
    assert_eq!(code, 0, "{out}");
    match gate {
        Gate::Run => assert!(out.contains("gate: ok against"), "{out}"),
        Gate::CargoTest | Gate::FromLog => assert!(out.contains("0 failed"), "{out}"),
    }
}

#[rstest]
#[case::run(Gate::Run)]
#[case::cargo_test(Gate::CargoTest)]
#[case::from_log(Gate::FromLog)]
fn an_entry_edited_away_fails_the_gate_naming_the_case(#[case] gate: Gate) {
    let (_dir, path) = baseline_without("method.trace");
    assert_finds(
        gate,
        "example-node",
        "method.",
        &path,
        "unexpected fail: method.trace is not in the baseline",
    );
}

#[rstest]
#[case::run(Gate::Run)]
#[case::cargo_test(Gate::CargoTest)]
#[case::from_log(Gate::FromLog)]
fn a_listed_id_that_no_case_has_is_stale(#[case] gate: Gate) {
    let (_dir, path) = edited_baseline(|text| {
        text.replace("- id: method.trace\n", "- id: method.trace-was-renamed\n")
    });
    assert_finds(
        gate,
        "example-node",
        "method.",
        &path,
        "stale entry: method.trace-was-renamed names no case of the suite",
    );
}

/// The whole conformance target, unfiltered, as CI runs it: a stale entry fails it by name.
#[test]
fn a_stale_entry_fails_the_whole_conformance_target() {
    let (_dir, path) = edited_baseline(|text| {
        text.replace("- id: method.trace\n", "- id: method.trace-was-renamed\n")
    });
    let out = Command::new(conformance_binary())
        .env("TARO_CONFORMANCE_ADAPTER", "example-node")
        .env("TARO_CONFORMANCE_BASELINE", &path)
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(101), "{text}");
    assert!(
        text.contains("---- method.trace-was-renamed ----")
            && text.contains("stale entry: method.trace-was-renamed names no case of the suite"),
        "{text}"
    );
}

#[rstest]
#[case::run(Gate::Run)]
#[case::cargo_test(Gate::CargoTest)]
#[case::from_log(Gate::FromLog)]
fn a_changed_fingerprint_is_still_failing_but_differently(#[case] gate: Gate) {
    // The entry as it was written when CONNECT failed another way.
    let (_dir, path) = edited_baseline(|mut text| {
        let start = text.find("fingerprint: ").unwrap() + "fingerprint: ".len();
        text.replace_range(start..start + 16, "0000000000000000");
        text.replacen(
            "expected 1 request(s) at wire.api.count, got 0 [METHOD-2]",
            "expected 1 request(s) at wire.api.count, got 2 [METHOD-2]",
            1,
        )
    });
    let (code, out) = gated(gate, "example-node", "method.", &path);
    assert_eq!(code, gate.failed(), "{out}");
    for part in [
        "still failing, but differently: method.connect",
        "was: expected 1 request(s) at wire.api.count, got 2 [METHOD-2]",
        "now: expected 1 request(s) at wire.api.count, got 0 [METHOD-2]",
    ] {
        assert!(out.contains(part), "missing `{part}`:\n{out}");
    }
}

#[rstest]
#[case::run(Gate::Run)]
#[case::cargo_test(Gate::CargoTest)]
#[case::from_log(Gate::FromLog)]
fn a_listed_case_with_another_status_is_a_changed_status(#[case] gate: Gate) {
    let (_dir, path) = edited_baseline(|text| text.replacen("status: fail", "status: error", 1));
    assert_finds(
        gate,
        "example-node",
        "method.",
        &path,
        "status changed: method.connect was error, is fail",
    );
}

#[rstest]
#[case::run(Gate::Run)]
#[case::cargo_test(Gate::CargoTest)]
#[case::from_log(Gate::FromLog)]
fn a_listed_case_that_passes_is_an_unexpected_pass(#[case] gate: Gate) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.yaml");
    std::fs::write(
        &path,
        "adapter: reference\nexpected:\n  - { id: method.get, status: fail, reason: r, fingerprint: \"0\" }\n",
    )
    .unwrap();
    assert_finds(
        gate,
        "reference",
        "method.get",
        &path,
        "unexpected pass: method.get",
    );
}

/// A baseline for the reference adapter whose one entry says `method.get` is intermittent.
fn intermittent_baseline(statuses: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.yaml");
    std::fs::write(
        &path,
        format!(
            "adapter: reference\nexpected:\n- id: method.get\n  status: fail\n  reason: races its own timer\n  fingerprint: \"0\"\n  intermittent: [{statuses}]\n"
        ),
    )
    .unwrap();
    (dir, path)
}

#[rstest]
#[case::run(Gate::Run)]
#[case::cargo_test(Gate::CargoTest)]
fn an_intermittent_entry_accepts_each_status_it_lists(#[case] gate: Gate) {
    let (_dir, path) = intermittent_baseline("pass, fail");
    let (code, out) = gated(gate, "reference", "method.get", &path);
    assert_eq!(code, 0, "{out}");
    if let Gate::Run = gate {
        assert!(
            out.contains("intermittent: method.get ended pass this time, which the baseline allows: races its own timer"),
            "{out}"
        );
    }
    // Failing, the same entry still holds its fingerprint to account.
    let (_dir, path) = edited_baseline(|text| {
        text.replacen(
            "  mismatches:\n",
            "  intermittent: [fail, pass]\n  mismatches:\n",
            1,
        )
    });
    let (code, out) = gated(gate, "example-node", "method.", &path);
    assert_eq!(code, 0, "{out}");
    let (_dir, path) = edited_baseline(|text| {
        let start = text.find("fingerprint: ").unwrap() + "fingerprint: ".len();
        let text = text.replacen(
            "  mismatches:\n",
            "  intermittent: [fail, pass]\n  mismatches:\n",
            1,
        );
        let mut text = text;
        text.replace_range(start..start + 16, "0000000000000000");
        text
    });
    assert_finds(
        gate,
        "example-node",
        "method.",
        &path,
        "still failing, but differently: method.connect",
    );
}

#[rstest]
#[case::run(Gate::Run)]
#[case::cargo_test(Gate::CargoTest)]
fn an_intermittent_entry_refuses_a_status_it_does_not_list(#[case] gate: Gate) {
    let (_dir, path) = intermittent_baseline("fail, timeout");
    assert_finds(
        gate,
        "reference",
        "method.get",
        &path,
        "unexpected pass: method.get",
    );
}

#[rstest]
#[case::one("fail", "two or more")]
#[case::without_its_status("pass, timeout", "must list the entry's own status `fail`")]
#[case::twice("fail, pass, fail", "lists a status twice")]
fn a_wrong_intermittent_list_is_refused_at_its_entry(#[case] statuses: &str, #[case] says: &str) {
    let (_dir, path) = intermittent_baseline(statuses);
    let (code, out) = gated(Gate::Run, "reference", "method.get", &path);
    assert_eq!(code, 2, "{out}");
    let at = format!("{}:3", path.display());
    assert!(
        out.contains(&at) && out.contains(says),
        "missing `{at}` or `{says}`:\n{out}"
    );
}

#[test]
fn baseline_update_keeps_an_intermittent_entry_that_passed() {
    let (_dir, path) = intermittent_baseline("pass, fail");
    let (code, out) = cli(&[
        "baseline",
        "update",
        "--adapter",
        "reference",
        "--filter",
        "method.get",
        "--baseline",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("- id: method.get")
            && text.contains("races its own timer")
            && text.contains("intermittent:"),
        "{text}"
    );
}

#[test]
fn baseline_update_keeps_the_reasons_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.yaml");
    std::fs::copy(root().join("reports/baselines/example-node.yaml"), &path).unwrap();
    let (code, out) = cli(&[
        "baseline",
        "update",
        "--adapter",
        "example-node",
        "--filter",
        "method.",
        "--baseline",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("refuses TRACE"), "{text}");
    assert!(!text.contains("TODO"), "{text}");
    assert!(Path::new(&path).is_file());
}
