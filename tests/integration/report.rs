//! `report` through the command line: the matrix (a column per log, and per version of one
//! adapter), the HTML page and what `--check` holds it to, the support pages and the doubts.

use crate::common;

use common::{cli, root, run_methods_logged};

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

/// A copy of `log` with the client value of case `id` replaced by `value` (JSON text).
fn with_value(log: &std::path::Path, id: &str, value: &str, to: &std::path::Path) {
    let text = std::fs::read_to_string(log).unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut parsed: serde_json::Value = serde_json::from_str(line).unwrap();
            if parsed["id"] != id {
                return line.to_string();
            }
            parsed["observation"]["client"]["value"] = serde_json::json!("VALUE");
            parsed.to_string().replace("\"VALUE\"", value)
        })
        .collect();
    std::fs::write(to, lines.join("\n") + "\n").unwrap();
}

#[test]
fn report_leaves_out_a_line_too_long_with_a_warning_and_bounds_a_large_one() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("example.jsonl");
    assert_eq!(run_methods_logged(&log, &[]).0, 0);
    // 5 MB of small numbers: longer than a log line may be.
    let big = dir.path().join("big.jsonl");
    let numbers = serde_json::to_string(&vec![0; 2_500_000]).unwrap();
    with_value(&log, "method.get", &numbers, &big);
    let out = dir.path().join("out");
    let (code, text) = cli(&[
        "report",
        "--log",
        big.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--html",
    ]);
    assert_eq!(code, 0, "{text}");
    let line = std::fs::read_to_string(&big)
        .unwrap()
        .lines()
        .position(|l| l.contains("\"id\":\"method.get\""))
        .unwrap()
        + 1;
    let warning = format!(
        "warning: {}:{line}: case `method.get`: a line of 5000",
        big.display()
    );
    assert!(
        text.contains(&warning) && text.contains("left out"),
        "{text}"
    );
    let json = std::fs::read_to_string(out.join("matrix.json")).unwrap();
    assert!(json.contains("method.post"), "the other cases are reported");

    // 1.2 MB: read, with the array kept as its note, on the page too.
    let large = dir.path().join("large.jsonl");
    let numbers = serde_json::to_string(&vec![0; 600_000]).unwrap();
    with_value(&log, "method.get", &numbers, &large);
    let (code, text) = cli(&[
        "report",
        "--log",
        large.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--html",
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("left out"), "{text}");
    let page = std::fs::read_to_string(out.join("matrix.html")).unwrap();
    assert!(page.len() < 2_000_000, "{}", page.len());
    assert!(page.contains("elided"), "the note is on the page");
}
