//! `run` with several adapters at once: one process, a log and a gate each, and the same matrix
//! rows as one run per adapter; an adapter that cannot start costs only itself.

use crate::common;

use common::cli;

const SUBSET: &str = "method.";

fn matrix(dir: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("matrix.json")).unwrap();
    let mut matrix: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Which run came first is not a property of the results.
    for adapter in matrix["adapters"].as_array_mut().unwrap() {
        adapter.as_object_mut().unwrap().remove("started");
    }
    matrix
}

#[test]
fn several_adapters_in_one_run_make_the_rows_of_one_run_each() {
    let dir = tempfile::tempdir().unwrap();
    let path = |p: &str| dir.path().join(p).to_str().unwrap().to_string();
    let (code, out) = cli(&[
        "run",
        "--adapter",
        "reference",
        "--adapter",
        "example-node",
        "--filter",
        SUBSET,
        "--log-dir",
        &path("together"),
        "--report",
        &path("together-report"),
        "--junit",
        &path("together.xml"),
    ]);
    assert_eq!(code, 0, "{out}");
    for part in [
        "on 2 adapters at once",
        "== `reference` (reference 0.1.0",
        "== `example-node` (example-node 1.0.0",
        "gate: ok against reports/baselines/example-node.yaml (2 known divergence(s))",
        "2 adapter(s): 2 gate(s) passed, 0 failed, 0 could not run",
    ] {
        assert!(out.contains(part), "missing `{part}`:\n{out}");
    }
    let junit = std::fs::read_to_string(path("together.xml")).unwrap();
    assert_eq!(junit.matches("<testsuite ").count(), 2, "{junit}");

    // `run --report DIR` writes what `report --html` writes for the same logs.
    let (code, out) = cli(&[
        "report",
        "--html",
        "--log",
        &path("together/reference.jsonl"),
        "--log",
        &path("together/example-node.jsonl"),
        "--out",
        &path("together-logs-report"),
    ]);
    assert_eq!(code, 0, "{out}");
    for file in [
        "matrix.md",
        "matrix.json",
        "matrix.html",
        "support.md",
        "support.zh-CN.md",
    ] {
        let written = std::fs::read_to_string(dir.path().join("together-report").join(file));
        let reported = std::fs::read_to_string(dir.path().join("together-logs-report").join(file));
        assert!(written.is_ok(), "run --report wrote no {file}");
        assert_eq!(written.unwrap(), reported.unwrap(), "{file} differs");
    }

    let mut logs = Vec::new();
    for adapter in ["reference", "example-node"] {
        let log = path(&format!("alone/{adapter}.jsonl"));
        let (code, out) = cli(&[
            "run",
            "--adapter",
            adapter,
            "--filter",
            SUBSET,
            "--log",
            &log,
        ]);
        assert_eq!(code, 0, "{out}");
        logs.push("--log".to_string());
        logs.push(log);
    }
    let mut args: Vec<&str> = vec!["report", "--out"];
    let alone_report = path("alone-report");
    args.push(&alone_report);
    args.extend(logs.iter().map(String::as_str));
    let (code, out) = cli(&args);
    assert_eq!(code, 0, "{out}");
    let together = matrix(&dir.path().join("together-report"));
    assert_eq!(together, matrix(&dir.path().join("alone-report")));
    let (_, listed) = cli(&["list", "--filter", SUBSET]);
    let run_rows = together["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["statuses"].as_object().unwrap().len() == 2)
        .count();
    assert_eq!(
        run_rows,
        listed.lines().count(),
        "a row with both columns per case run"
    );
}

#[test]
fn an_adapter_that_cannot_start_costs_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("adapter.toml");
    std::fs::write(
        &manifest,
        "name = \"absent\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"/nonexistent/program\"]\n",
    )
    .unwrap();
    let (code, out) = cli(&[
        "run",
        "--adapter",
        manifest.to_str().unwrap(),
        "--adapter",
        "reference",
        "--filter",
        SUBSET,
        "--log-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("could not run") && out.contains("/nonexistent/program"),
        "{out}"
    );
    assert!(
        out.contains("2 adapter(s): 1 gate(s) passed, 0 failed, 1 could not run"),
        "{out}"
    );
    let log = std::fs::read_to_string(dir.path().join("reference.jsonl")).unwrap();
    assert!(log.lines().count() > 2, "{log}");
}

#[test]
fn options_for_one_adapter_are_refused_with_several() {
    for option in [["--log", "x.jsonl"], ["--baseline", "b.yaml"]] {
        let (code, out) = cli(&[
            "run",
            "--adapter",
            "reference",
            "--adapter",
            "example-node",
            option[0],
            option[1],
        ]);
        assert_eq!(code, 2, "{out}");
        assert!(
            out.contains(&format!("{} ", option[0])) && out.contains("is for one adapter"),
            "{out}"
        );
    }
}

#[test]
fn repeat_runs_every_adapter_again_and_judges_each_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out) = cli(&[
        "run",
        "--adapter",
        "reference",
        "--adapter",
        "example-node",
        "--filter",
        SUBSET,
        "--log-dir",
        dir.path().to_str().unwrap(),
        "--repeat",
        "2",
    ]);
    assert_eq!(code, 0, "{out}");
    for adapter in ["reference", "example-node"] {
        let line =
            format!("case(s) on `{adapter}`, 2 runs: every case ended the same way every time");
        assert!(out.contains(&line), "missing `{line}`:\n{out}");
    }
}

#[test]
fn the_conformance_target_runs_several_adapters_naming_each_test_adapter_and_case() {
    let mut command = std::process::Command::new(common::conformance_binary());
    command
        .env("TARO_CONFORMANCE_ADAPTER", "reference,example-node")
        .arg(SUBSET);
    let (code, out) = common::output(command);
    assert_eq!(code, 0, "{out}");
    for name in [
        "reference::method.get",
        "example-node::method.get",
        "example-node::method.trace",
    ] {
        assert!(
            out.contains(&format!("test {name} ")),
            "missing `{name}`:\n{out}"
        );
    }
    // One test selected by its whole name runs on its adapter only.
    let mut command = std::process::Command::new(common::conformance_binary());
    command
        .env("TARO_CONFORMANCE_ADAPTER", "reference,example-node")
        .args(["--exact", "example-node::method.trace"]);
    let (code, out) = common::output(command);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 passed"), "{out}");
    // One baseline file cannot be several adapters'.
    let mut command = std::process::Command::new(common::conformance_binary());
    command
        .env("TARO_CONFORMANCE_ADAPTER", "example-node,reference")
        .env("TARO_CONFORMANCE_BASELINE", "/dev/null")
        .arg(SUBSET);
    let (code, out) = common::output(command);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("names one adapter's baseline"), "{out}");
}
