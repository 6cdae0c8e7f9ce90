//! `diff` shows every change of behaviour: an informational case passes whatever it observes, so
//! a change there (a platform that now upper-cases a method, say) is listed in a section of its
//! own, and never fails the diff.

use crate::common;

use common::cli;

#[test]
fn an_informational_case_that_behaves_differently_is_listed_and_fails_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.jsonl");
    let (code, out) = cli(&[
        "run",
        "--filter",
        "method.",
        "--no-baseline",
        "--log",
        old.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    // The same run, but one informational case differed from the suggested behaviour.
    let text = std::fs::read_to_string(&old).unwrap();
    let mut changed = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
            if value["type"] == "case" && value["level"] == "informational" && changed == 0 {
                changed += 1;
                value["mismatches"] = serde_json::json!([{
                    "path": "wire.api.requests[0].method",
                    "expected": "\"GET\"",
                    "got": "\"get\"",
                    "contract": value["contract"].clone(),
                }]);
            }
            value.to_string()
        })
        .collect();
    assert_eq!(changed, 1, "the method cases have an informational one");
    let new = dir.path().join("new.jsonl");
    std::fs::write(&new, lines.join("\n") + "\n").unwrap();

    let (code, out) = cli(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(code, 0, "an informational change fails nothing: {out}");
    assert!(
        out.contains("1 informational behaving differently"),
        "{out}"
    );
    assert!(
        out.contains("## Informational: behaves differently"),
        "{out}"
    );
    assert!(out.contains("before: as the docs suggest"), "{out}");
    assert!(
        out.contains("now: expected \"GET\" at wire.api.requests[0].method, got \"get\""),
        "{out}"
    );

    let (code, json) = cli(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{json}");
    assert!(
        json.contains("\"change\": \"informational-changed\""),
        "{json}"
    );

    // Back the other way, it is listed again; and against itself, nothing is.
    let (_, back) = cli(&["diff", new.to_str().unwrap(), old.to_str().unwrap()]);
    assert!(back.contains("now: as the docs suggest"), "{back}");
    let (_, same) = cli(&["diff", old.to_str().unwrap(), old.to_str().unwrap()]);
    assert!(!same.contains("informational"), "{same}");
}
