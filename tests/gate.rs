//! The CI gate end to end, through the command line, on the example adapter and its baseline.

use std::path::{Path, PathBuf};
use std::process::Command;

use rstest::rstest;

mod common;

use common::{cli, conformance_binary, output, root};

/// The method cases, where example-node has its two known divergences, logged to `log`.
fn run_methods_logged(log: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "run",
        "--adapter",
        "example-node",
        "--filter",
        "method.",
        "--log",
        log.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    cli(&args)
}

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

/// The two ways a run is gated: `taro-conformance run`, and `cargo test --test conformance`
/// (whose binary is run here directly). Both must report every finding.
#[derive(Debug, Clone, Copy)]
enum Gate {
    Run,
    CargoTest,
}

impl Gate {
    /// The exit code of a gate that found something: `run`'s 1, libtest's 101.
    fn failed(self) -> i32 {
        match self {
            Gate::Run => 1,
            Gate::CargoTest => 101,
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
fn the_committed_baseline_passes_the_gate(#[case] gate: Gate) {
    let (code, out) = gated(gate, "example-node", "method.", &committed_baseline());
    assert_eq!(code, 0, "{out}");
    match gate {
        Gate::Run => assert!(out.contains("gate: ok against"), "{out}"),
        Gate::CargoTest => assert!(out.contains("0 failed"), "{out}"),
    }
}

#[rstest]
#[case::run(Gate::Run)]
#[case::cargo_test(Gate::CargoTest)]
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

#[test]
fn report_writes_a_matrix_with_a_column_per_log() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.jsonl");
    let example = dir.path().join("example.jsonl");
    assert_eq!(
        cli(&[
            "run",
            "--filter",
            "method.",
            "--log",
            reference.to_str().unwrap()
        ])
        .0,
        0
    );
    assert_eq!(run_methods_logged(&example, &[]).0, 0);
    let out = dir.path().join("out");
    let (code, text) = cli(&[
        "report",
        "--log",
        reference.to_str().unwrap(),
        "--log",
        example.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{text}");
    let md = std::fs::read_to_string(out.join("matrix.md")).unwrap();
    assert!(
        md.contains("| reference |") && md.contains("| example-node |"),
        "{md}"
    );
    let trace = md.lines().find(|l| l.contains("`method.trace`")).unwrap();
    assert!(trace.ends_with("| ✅ | ❌ |"), "{trace}");
    assert!(
        md.contains("| method/methods | 10 | 10/10 | 8/10 |"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("matrix.json")).unwrap()).unwrap();
    assert_eq!(json["adapters"].as_array().unwrap().len(), 2);
}

#[test]
fn report_html_writes_one_page_that_check_holds_to_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("example.jsonl");
    assert_eq!(run_methods_logged(&log, &[]).0, 0);
    let out = dir.path().join("out");
    let report = |extra: &[&str]| {
        let mut args = vec![
            "report",
            "--html",
            "--log",
            log.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        cli(&args)
    };
    let (code, text) = report(&[]);
    assert_eq!(code, 0, "{text}");
    let page_path = out.join("matrix.html");
    let page = std::fs::read_to_string(&page_path).unwrap();
    // Self-contained: no external script, style or image.
    for outside in [" src=", "<link", "@import", "url("] {
        assert!(!page.contains(outside), "the page refers to {outside}");
    }
    assert!(
        page.contains("data-id=\"method.trace\""),
        "no row for method.trace"
    );
    let data =
        taro_conformance::report::html::embedded_data(&page).expect("the page embeds its data");
    let trace = &data.cells["example-node"]["method.trace"];
    assert_eq!(trace.status.as_str(), "fail");
    assert!(
        trace
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("refuses TRACE"),
        "{trace:?}"
    );
    assert_eq!(
        data.columns[0].repro.replace("{case}", "method.trace"),
        "taro-conformance repro method.trace --adapter example-node"
    );
    // The same logs give the same bytes.
    assert_eq!(report(&[]).0, 0);
    assert_eq!(std::fs::read_to_string(&page_path).unwrap(), page);

    let (code, text) = report(&["--check"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("matrix.html is current"), "{text}");
    // A page that shows another status for one cell is stale.
    let tampered = page.replacen("\"status\":\"fail\"", "\"status\":\"pass\"", 1);
    assert_ne!(tampered, page);
    std::fs::write(&page_path, tampered).unwrap();
    let (code, text) = report(&["--check"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("shows other rows than the logs make (first: `method.connect`)"),
        "{text}"
    );
    // So is a page made by another template, and a missing one.
    let hash = taro_conformance::report::html::template_hash();
    std::fs::write(&page_path, page.replace(&hash, "0000")).unwrap();
    let (code, text) = report(&["--check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("made by another template"), "{text}");
    std::fs::remove_file(&page_path).unwrap();
    let (code, text) = report(&["--check"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("matrix.html does not exist"), "{text}");
    // Without --html, --check looks at matrix.json only.
    let (code, text) = cli(&[
        "report",
        "--check",
        "--log",
        log.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn repro_prints_the_call_the_stubs_the_traffic_and_the_verdict() {
    let (code, out) = cli(&["repro", "method.trace", "--adapter", "example-node"]);
    assert_eq!(code, 1, "{out}");
    for part in [
        "const task = Taro.request(",
        "\"method\": \"TRACE\"",
        "== origins",
        "== what each origin received",
        "== what the caller got",
        "== verdict: fail",
        "expected 1 request(s) at wire.api.count",
    ] {
        assert!(out.contains(part), "missing {part}:\n{out}");
    }
}

#[test]
fn smoke_says_whether_an_adapter_speaks_the_protocol() {
    let (code, out) = cli(&["smoke", "--adapter", "example-node"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("speaks protocol v1: yes"), "{out}");
}

#[test]
fn an_adapter_can_be_named_by_its_manifest_path() {
    let (code, out) = cli(&["smoke", "--adapter", "adapters/example-node/adapter.toml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("adapter `example-node`"), "{out}");
}

#[test]
fn an_unknown_adapter_is_a_usage_error_listing_the_known_ones() {
    let (code, out) = cli(&["run", "--adapter", "no-such-platform"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("unknown adapter `no-such-platform`") && out.contains("example-node"),
        "{out}"
    );
}

#[test]
fn adapters_lists_the_built_in_and_every_manifest() {
    let (code, out) = cli(&["adapters"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("reference") && out.contains("example-node"),
        "{out}"
    );
}

#[test]
fn report_gives_two_versions_of_one_adapter_two_columns_that_differ_where_the_logs_do() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.jsonl");
    assert_eq!(run_methods_logged(&new, &[]).0, 0);
    // The same adapter at an older version, where TRACE still worked.
    let text = std::fs::read_to_string(&new).unwrap();
    let old_text: String = text
        .lines()
        .map(|line| {
            if line.starts_with("{\"type\":\"header\"") {
                line.replace("\"version\":\"1.0.0\"", "\"version\":\"0.9.0\"")
            } else if line.contains("\"id\":\"method.trace\"") {
                let mut case: serde_json::Value = serde_json::from_str(line).unwrap();
                case["status"] = "pass".into();
                case["mismatches"] = serde_json::json!([]);
                case.to_string()
            } else {
                line.to_string()
            }
        })
        .map(|line| line + "\n")
        .collect();
    let old = dir.path().join("old.jsonl");
    std::fs::write(&old, old_text).unwrap();
    let out = dir.path().join("out");
    let (code, text) = cli(&[
        "report",
        "--log",
        old.to_str().unwrap(),
        "--log",
        new.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{text}");
    let md = std::fs::read_to_string(out.join("matrix.md")).unwrap();
    assert!(
        md.contains("| example-node@0.9.0 | 0.9.0 |")
            && md.contains("| example-node@1.0.0 | 1.0.0 |"),
        "{md}"
    );
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| `method.")).collect();
    assert_eq!(rows.len(), 10, "{md}");
    for row in rows {
        let cells: Vec<&str> = row.trim_end_matches(" |").rsplitn(3, " | ").collect();
        let (new_cell, old_cell) = (cells[0], cells[1]);
        if row.contains("`method.trace`") {
            assert_eq!((old_cell, new_cell), ("✅", "❌"), "{row}");
        } else {
            assert_eq!(old_cell, new_cell, "{row}");
        }
    }
}

/// A run log with each case line edited by `edit` (which returns `None` to drop the line).
fn edited_log(text: &str, edit: impl Fn(serde_json::Value) -> Option<serde_json::Value>) -> String {
    text.lines()
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            if value["type"] == "case" {
                edit(value)
            } else {
                Some(value)
            }
        })
        .map(|v| v.to_string() + "\n")
        .collect()
}

#[test]
fn diff_names_every_kind_of_change_with_both_sides_and_exits_1_on_a_break() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.jsonl");
    assert_eq!(run_methods_logged(&old, &[]).0, 0);
    let text = std::fs::read_to_string(&old).unwrap();
    let new_text = edited_log(&text, |mut case| {
        match case["id"].as_str().unwrap() {
            // Fixed: TRACE works now.
            "method.trace" => {
                case["status"] = "pass".into();
                case["mismatches"] = serde_json::json!([]);
            }
            // Failing differently: CONNECT fails another way.
            "method.connect" => {
                case["mismatches"][0]["got"] = "7".into();
            }
            // Broken: GET fails now.
            "method.get" => {
                case["status"] = "fail".into();
                case["mismatches"] = serde_json::json!([{"path": "client.settled", "expected": "resolved", "got": "rejected", "contract": ["METHOD-2"]}]);
            }
            // Removed.
            "method.put" => return None,
            _ => {}
        }
        Some(case)
    });
    // New: a case only the new run has.
    let post = text
        .lines()
        .find(|l| l.contains("\"id\":\"method.post\""))
        .unwrap();
    let new_text =
        new_text + &post.replace("\"id\":\"method.post\"", "\"id\":\"method.patch\"") + "\n";
    let new = dir.path().join("new.jsonl");
    std::fs::write(&new, new_text).unwrap();
    let (code, out) = cli(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    for part in [
        "1 fixed · 1 broken · 1 failing differently · 1 new · 1 removed · 6 unchanged",
        "- `method.get`: passed, now fail\n  - expected resolved at client.settled, got rejected [METHOD-2]",
        "- `method.connect`: fail → fail\n  - before: expected 1 request(s) at wire.api.count, got 0 [METHOD-2]",
        "  - now: expected 1 request(s) at wire.api.count, got 7 [METHOD-2]",
        "- `method.trace`: was fail, passes now",
        "## New\n\n- `method.patch`: pass",
        "## Removed\n\n- `method.put`: was pass",
    ] {
        assert!(out.contains(part), "missing {part:?}:\n{out}");
    }
    let (code, json) = cli(&[
        "diff",
        old.to_str().unwrap(),
        old.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{json}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["changes"], serde_json::json!([]));
    assert_eq!(json["unchanged"], 10);
}

#[test]
fn an_adapter_of_no_package_runs_only_its_pinned_version() {
    let (code, out) = cli(&[
        "run",
        "--adapter",
        "example-node@0.9.0",
        "--filter",
        "method.get",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("adapter `example-node` runs only its pinned version"),
        "{out}"
    );
    let (code, out) = cli(&["setup", "example-node", "--taro", "0.9.0"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("runs only its pinned version"), "{out}");
}

#[test]
fn a_version_that_is_not_one_is_refused_before_any_shell_sees_it() {
    let (code, out) = cli(&["setup", "taro-h5-jsdom", "--taro", "4.0.12; touch /tmp/x"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is not a version"), "{out}");
}

#[test]
fn a_version_not_set_up_says_how_to_set_it_up() {
    let (code, out) = cli(&["smoke", "--adapter", "taro-h5-jsdom@0.0.1"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("run `taro-conformance setup taro-h5-jsdom --taro 0.0.1`"),
        "{out}"
    );
}

#[test]
fn bisect_finds_the_first_release_where_a_case_changes() {
    // A package whose case starts failing in 1.5.0; "installing" a version makes a file.
    let dir = tempfile::tempdir().unwrap();
    let adapter = common::versioned_adapter(
        dir.path(),
        "versioned",
        "1.5.0",
        r#"setup_version = "touch installed-{taro}"
ready_version = ["installed-{taro}"]
list_versions = "echo '[\"0.9.0\", \"1.0.0\", \"1.1.0\", \"1.2.0\", \"1.3.0-beta.1\", \"1.4.0\", \"1.5.0\", \"1.6.0\", \"2.0.0\"]'"
"#,
    );
    let (code, out) = cli(&[
        "bisect",
        "method.get",
        "--adapter",
        adapter.to_str().unwrap(),
        "--good",
        "1.0.0",
        "--bad",
        "2.0.0",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("`method.get` changes first in 1.5.0 (after 1.4.0)"),
        "{out}"
    );
    assert!(
        out.contains("expected resolved at client.settled, got rejected"),
        "{out}"
    );
    // 1.0.0 and 2.0.0, then at most three more of the six releases between them.
    let runs: usize = out
        .lines()
        .find_map(|l| l.split("found in ").nth(1))
        .and_then(|l| l.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(runs <= 5, "{out}");
    assert!(
        !dir.path().join("installed-1.3.0-beta.1").exists(),
        "pre-releases are skipped"
    );
}

#[test]
fn report_writes_the_support_page_with_marks_linked_to_their_evidence_and_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("rn.jsonl");
    assert_eq!(run_methods_logged(&log, &[]).0, 0);
    // The example adapter's log, as if React Native's: the page has columns for Taro's platforms.
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(
        &log,
        text.replacen("\"platform\":\"node\"", "\"platform\":\"rn\"", 1),
    )
    .unwrap();
    let out = dir.path().join("out");
    let report = |extra: &[&str]| {
        let mut args = vec!["report", "--log", log.to_str().unwrap(), "--out"];
        args.push(out.to_str().unwrap());
        args.extend_from_slice(extra);
        cli(&args)
    };
    let (code, text) = report(&[]);
    assert_eq!(code, 0, "{text}");
    let page = std::fs::read_to_string(out.join("support.md")).unwrap();
    // A row for every option, result field and task method of the contract's tables.
    let contract =
        taro_conformance::spec::contract::Contract::load(&root().join("specs/contract.yaml"))
            .unwrap();
    for field in contract.fields() {
        assert!(
            page.contains(&format!("| `{}` | ", field.name)),
            "no row for {}:\n{page}",
            field.name
        );
    }
    assert!(page.contains("| Option | React Native 1.0.0 |"), "{page}");
    // `method`: 7 of its 9 required and recommended cases pass on Node (TRACE and CONNECT are
    // refused); the informational one does not count.
    let row = page
        .lines()
        .find(|l| l.starts_with("| `method` |"))
        .unwrap();
    assert_eq!(
        row,
        "| `method` | [◐ 7/9](#ev-option-method-example-node) |"
    );
    // The mark's anchor holds the divergence, its reason and the link to its traffic.
    let evidence = page
        .split("<a id=\"ev-option-method-example-node\"></a>")
        .nth(1)
        .unwrap();
    let trace = evidence
        .lines()
        .find(|l| l.contains("`method.trace`"))
        .unwrap();
    assert!(
        trace.contains(
            "(matrix.html#example-node/method.trace) fail: Node's fetch (undici) refuses TRACE"
        ),
        "{trace}"
    );
    // A row no case of the run measured.
    let row = page.lines().find(|l| l.starts_with("| `abort` |")).unwrap();
    assert_eq!(row, "| `abort` | [?](#ev-task-abort-example-node) |");
    let zh = std::fs::read_to_string(out.join("support.zh-CN.md")).unwrap();
    assert!(zh.contains("# Taro.request 在各平台上的实测支持度"), "{zh}");
    assert!(
        zh.contains("| `method` | [◐ 7/9](#ev-option-method-example-node) |"),
        "{zh}"
    );

    let (code, text) = report(&["--check"]);
    assert_eq!(code, 0, "{text}");
    // A hand edit makes the page stale, and the check names it.
    std::fs::write(out.join("support.zh-CN.md"), zh.replace("◐", "✔")).unwrap();
    let (code, text) = report(&["--check"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("{} stale", out.join("support.zh-CN.md").display())),
        "{text}"
    );
}

#[test]
fn a_doubt_marks_its_cells_in_the_matrix_and_the_support_page_with_its_reports() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("jd.jsonl");
    assert_eq!(run_methods_logged(&log, &[]).0, 0);
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(
        &log,
        text.replacen("\"platform\":\"node\"", "\"platform\":\"jd\"", 1),
    )
    .unwrap();
    let doubts = dir.path().join("doubts.yaml");
    std::fs::write(
        &doubts,
        "doubts:
  - id: trace-on-the-client
    adapters: [example-node]
    cases: [method.trace]
    docs: The docs list TRACE.
    field: A report says the client refuses it.
    refs: [https://example.com/report]
  - id: elsewhere
    adapters: [taro-weapp]
    cases: [method.get]
    docs: d
    field: f
    refs: [https://example.com/other]
",
    )
    .unwrap();
    let out = dir.path().join("out");
    let (code, text) = cli(&[
        "report",
        "--log",
        log.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--doubts",
        doubts.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{text}");
    let md = std::fs::read_to_string(out.join("matrix.md")).unwrap();
    let trace = md.lines().find(|l| l.contains("`method.trace`")).unwrap();
    assert!(
        trace.ends_with("| ❌ [❓](#doubt-trace-on-the-client) |"),
        "{trace}"
    );
    let get = md.lines().find(|l| l.contains("`method.get`")).unwrap();
    assert!(
        get.ends_with("| ✅ |"),
        "a doubt about another adapter: {get}"
    );
    assert!(
        md.contains("### <a id=\"doubt-trace-on-the-client\"></a>trace-on-the-client")
            && md.contains("- reports: <https://example.com/report>")
            && md.contains("- cells: `method.trace` on example-node")
            && !md.contains("elsewhere"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("matrix.json")).unwrap()).unwrap();
    let row = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "method.trace")
        .unwrap();
    assert_eq!(
        row["doubts"],
        serde_json::json!({"example-node": ["trace-on-the-client"]})
    );
    let page = std::fs::read_to_string(out.join("support.md")).unwrap();
    let method = page
        .lines()
        .find(|l| l.starts_with("| `method` |"))
        .unwrap();
    assert_eq!(
        method,
        "| `method` | [◐ 7/9 ❓](#ev-option-method-example-node) |"
    );
    assert!(
        page.contains("  - ❓ the documentation and field reports about the real client disagree: [trace-on-the-client](matrix.md#doubt-trace-on-the-client)"),
        "{page}"
    );
}
