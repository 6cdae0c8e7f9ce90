//! The JSON Schemas of the harness's outputs (`docs/schemas/`): current with the types that
//! write them, and satisfied by what a run writes — run logs, `matrix.json`, `diff --json` and
//! the committed baselines. `.ci/run` also validates every log it wrote (the ignored test).

use crate::common;

use std::path::Path;

use common::{cli, root};
use serde_json::Value;

/// The committed schema `file`, compiled.
fn validator(file: &str) -> jsonschema::Validator {
    let path = root().join("docs/schemas").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft7::new(&schema).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Panics naming `what` and every way `value` breaks the schema.
fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

/// Every line of a run log, against the run-log line schema.
fn assert_log_valid(log: &Path) {
    let lines = validator("run-log-line.schema.json");
    let text = std::fs::read_to_string(log).unwrap();
    assert!(text.lines().count() >= 2, "{} is empty", log.display());
    for (n, line) in text.lines().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_valid(&lines, &value, &format!("{}:{}", log.display(), n + 1));
    }
}

fn assert_json_file_valid(path: &Path, schema: &str) {
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_valid(&validator(schema), &value, &path.display().to_string());
}

#[test]
fn committed_output_schemas_are_current() {
    for (file, text) in taro_conformance::report::schemas::outputs() {
        let path = root().join("docs/schemas").join(file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is stale: run `cargo run -- schema --outputs docs/schemas` and commit it",
            path.display()
        );
    }
}

#[test]
fn what_a_run_writes_satisfies_the_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let log = |name: &str| dir.path().join(format!("{name}.jsonl"));
    // The reference passes; example-node fails two method cases, with mismatches; the misbehave
    // adapter crashes on one case, leaving a problem and a stderr tail in the log.
    let misbehave = dir.path().join("misbehave.toml");
    std::fs::write(
        &misbehave,
        format!(
            "name = \"misbehave\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"node\", {:?}, \"crash-on:method.get\"]\n",
            root().join("tests/adapters/misbehave.js").display().to_string()
        ),
    )
    .unwrap();
    for (adapter, name) in [
        ("reference", "reference"),
        ("example-node", "example-node"),
        (misbehave.to_str().unwrap(), "misbehave"),
    ] {
        let (code, out) = cli(&[
            "run",
            "--adapter",
            adapter,
            "--filter",
            "method.",
            "--no-baseline",
            "--log",
            log(name).to_str().unwrap(),
        ]);
        assert!(code == 0 || code == 1, "{out}");
        assert_log_valid(&log(name));
    }

    let reports = dir.path().join("reports");
    let (code, out) = cli(&[
        "report",
        "--log",
        log("reference").to_str().unwrap(),
        "--log",
        log("example-node").to_str().unwrap(),
        "--out",
        reports.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert_json_file_valid(&reports.join("matrix.json"), "matrix.schema.json");

    let (code, out) = cli(&[
        "diff",
        log("reference").to_str().unwrap(),
        log("example-node").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 1, "{out}");
    let json = out
        .find('{')
        .map(|start| &out[start..])
        .unwrap_or_else(|| panic!("{out}"));
    let value: Value = serde_json::Deserializer::from_str(json)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    assert!(
        value["changes"].as_array().is_some_and(|c| !c.is_empty()),
        "{value}"
    );
    assert_valid(&validator("diff.schema.json"), &value, "diff --json");
}

#[test]
fn every_committed_baseline_satisfies_the_schema() {
    let baselines = validator("baseline.schema.json");
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("reports/baselines")).unwrap() {
        let path = entry.unwrap().path();
        let value: Value =
            serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_valid(&baselines, &value, &path.display().to_string());
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} baselines");
}

#[test]
fn the_schemas_refuse_what_the_harness_would_not_write() {
    let lines = validator("run-log-line.schema.json");
    let case = serde_json::json!({
        "type": "case", "id": "a.b", "status": "pass", "level": "required", "contract": ["CALL-1"],
        "elapsed_ms": 3, "origins": {}, "observation": null, "mismatches": []
    });
    assert_valid(&lines, &case, "a whole case line");
    for (field, wrong) in [
        ("status", serde_json::json!("teleport")),
        ("elapsed_ms", serde_json::json!(-1)),
        ("type", serde_json::json!("trailer")),
        ("mismatches", serde_json::json!([{ "path": "x" }])),
    ] {
        let mut broken = case.clone();
        broken[field] = wrong;
        assert!(
            !lines.is_valid(&broken),
            "a case line with {field} = {}",
            broken[field]
        );
    }
    let mut missing = case.clone();
    missing.as_object_mut().unwrap().remove("id");
    assert!(!lines.is_valid(&missing), "a case line without its id");
    let baseline = serde_json::json!({"adapter": "x", "expected": [{"id": "a", "status": "fail", "reason": "r"}]});
    assert!(
        !validator("baseline.schema.json").is_valid(&baseline),
        "an entry without its fingerprint"
    );
}

/// The logs and matrices `.ci/run` wrote under target/conformance (run there, after the suite).
#[test]
#[ignore = "validates the outputs of a whole CI run: `.ci/run` runs it after writing them"]
fn the_outputs_of_a_ci_run_satisfy_the_schemas() {
    let dir = root().join("target/conformance");
    let mut logs = 0;
    for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        let path = entry.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl") => {
                assert_log_valid(path);
                logs += 1;
            }
            Some("json") if path.file_name().is_some_and(|n| n == "matrix.json") => {
                assert_json_file_valid(path, "matrix.schema.json")
            }
            _ => {}
        }
    }
    assert!(logs >= 11, "only {logs} run logs under {}", dir.display());
    assert_json_file_valid(&root().join("reports/matrix.json"), "matrix.schema.json");
}
