//! The reusable gate (`.github/workflows/gate.yml`): its header's caller is complete and calls
//! it as it is, every job has a timeout and keeps no credentials, and the job summary its steps
//! write for a clean pull request starts with the pull request's verdict (the run it is
//! compared with writes none), then what the pull request changes.

use crate::common;

use std::path::Path;

use common::{output, root};
use serde_json::Value;

const WORKFLOW: &str = ".github/workflows/gate.yml";

fn workflow_text() -> String {
    std::fs::read_to_string(root().join(WORKFLOW)).unwrap()
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The steps of the gate's `gate` job.
fn gate_steps(workflow: &Value) -> Vec<Value> {
    workflow["jobs"]["gate"]["steps"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn every_job_has_a_timeout_and_every_checkout_keeps_no_credentials() {
    let workflow = yaml(&workflow_text());
    let jobs = workflow["jobs"].as_object().unwrap();
    assert!(jobs.contains_key("build"), "the harness is built once");
    for (name, job) in jobs {
        assert!(job["timeout-minutes"].is_u64(), "job {name}: {job}");
        for step in job["steps"].as_array().unwrap() {
            let uses = step["uses"].as_str().unwrap_or_default();
            if uses.starts_with("actions/checkout@") {
                assert_eq!(step["with"]["persist-credentials"], false, "job {name}");
            }
        }
    }
    // The gate's jobs download the harness rather than build it.
    let runs: String = gate_steps(&workflow)
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(!runs.contains("cargo build"), "{runs}");
}

#[test]
fn the_header_calls_the_workflow_with_every_input_it_requires() {
    let text = workflow_text();
    let start = text.find("A complete caller").unwrap();
    let example: String = text[start..]
        .lines()
        .skip(3)
        .take_while(|l| *l != "#")
        .map(|l| l.strip_prefix("# ").unwrap_or_default().to_string() + "\n")
        .collect();
    let caller = yaml(&example);
    let pack = caller["jobs"]["pack"]["steps"].to_string();
    for part in ["pnpm build", "npm pack", "actions/upload-artifact@"] {
        assert!(pack.contains(part), "{part}: {pack}");
    }
    let call = &caller["jobs"]["conformance"];
    assert_eq!(call["needs"], "pack");
    let uses = call["uses"].as_str().unwrap();
    let (path, reference) = uses.split_once('@').unwrap();
    assert!(path.ends_with("/.github/workflows/gate.yml"), "{uses}");
    assert_eq!(
        call["with"]["conformance-ref"], reference,
        "the same ref twice"
    );

    let workflow = yaml(&text);
    let inputs = workflow["on"]["workflow_call"]["inputs"]
        .as_object()
        .unwrap();
    let given = call["with"].as_object().unwrap();
    for (name, input) in inputs {
        if input["required"] == true {
            assert!(given.contains_key(name), "the example leaves out {name}");
        }
    }
    assert!(given.keys().all(|k| inputs.contains_key(k)), "{given:?}");
}

/// Runs `taro-conformance ARGS` as a workflow step does, its job summary in `summary`.
fn step(args: &[&str], summary: &Path) -> (i32, String) {
    let mut command = common::binary();
    command
        .args(args)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", summary);
    output(command)
}

#[test]
fn a_clean_pull_requests_summary_starts_with_its_verdict() {
    // The step the pull request is compared with keeps out of the summary and the annotations.
    let workflow = yaml(&workflow_text());
    let steps = gate_steps(&workflow);
    let position = |name: &str| {
        steps
            .iter()
            .position(|s| s["name"].as_str().is_some_and(|n| n.starts_with(name)))
            .unwrap_or_else(|| panic!("no step {name}"))
    };
    let side = steps[position("The side compared with")]["run"].to_string();
    for flag in ["--no-baseline --no-job-summary", "--annotations none"] {
        assert!(side.contains(flag), "{flag}: {side}");
    }
    let order = [
        position("The side compared with"),
        position("The pull request's build"),
        position("What this pull request changes"),
        position("Reproduce locally"),
    ];
    assert!(order.is_sorted(), "{order:?}");

    // Those steps, on a build that behaves as the one it is compared with.
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let (side, pr) = (dir.path().join("side.jsonl"), dir.path().join("pr.jsonl"));
    let (side, pr) = (side.to_str().unwrap(), pr.to_str().unwrap());
    let filter = ["--filter", "method."];
    let (code, out) = step(
        &[
            &[
                "run",
                "--no-baseline",
                "--no-job-summary",
                "--annotations",
                "none",
            ][..],
            &filter,
            &["--log", side],
        ]
        .concat(),
        &summary,
    );
    assert_eq!(code, 0, "{out}");
    assert!(!summary.exists(), "the compared run writes no summary");
    let (code, out) = step(&[&["run"][..], &filter, &["--log", pr]].concat(), &summary);
    assert_eq!(code, 0, "{out}");
    let title = "What this pull request changes";
    let (code, out) = step(&["diff", side, pr, "--title", title], &summary);
    assert_eq!(code, 0, "{out}");

    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("### `reference`: ✅ gate passed\n"),
        "{text}"
    );
    let diff = text
        .find(&format!("### {title}\n"))
        .expect("the diff's section");
    assert!(text[diff..].contains("0 broken"), "{text}");
    assert!(!text.contains("finding(s)"), "{text}");
}
