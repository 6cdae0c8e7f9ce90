//! `diff` through the command line: every kind of change between two run logs, with both sides.

use crate::common;

use common::{cli, run_methods_logged};

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
fn diff_leaves_out_a_line_too_long_with_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.jsonl");
    assert_eq!(run_methods_logged(&old, &[]).0, 0);
    let text = std::fs::read_to_string(&old).unwrap();
    // 5 MB of small numbers as `method.get`'s value: longer than a log line may be.
    let numbers = serde_json::to_string(&vec![0; 2_500_000]).unwrap();
    let new_text = edited_log(&text, |mut case| {
        if case["id"] == "method.get" {
            case["observation"]["client"]["value"] = "VALUE".into();
        }
        Some(case)
    })
    .replace("\"VALUE\"", &numbers);
    let new = dir.path().join("new.jsonl");
    std::fs::write(&new, new_text).unwrap();
    let (_, out) = cli(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    let warning = format!("warning: {}:", new.display());
    assert!(
        out.contains(&warning) && out.contains("case `method.get`: a line of 5000"),
        "{out}"
    );
    assert!(out.contains("## Removed\n\n- `method.get`"), "{out}");
}
