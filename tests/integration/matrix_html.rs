//! The HTML matrix in a real browser: `tests/html/check.js` opens a `matrix.html` in headless
//! Chromium (playwright-core, as `taro-conformance setup taro-h5-chromium` installs it) and checks
//! that every case has a row, that the filters hide rows and columns, that a click on a cell and
//! the fragment `#COLUMN/CASE` open its details (the traffic and the reason), that crafted
//! fragments (bad percent-encoding, `constructor` and `__proto__`, selector metacharacters, a
//! megabyte long) open nothing and throw nothing, and that the console stays clean. Ignored by default (it needs Chromium and that npm project); `.ci/run` runs it:
//!
//! ```sh
//! cargo test --test integration -- --ignored matrix_html::
//! ```

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{cli, root};
use serde_json::{Value, json};
use taro_conformance::run::gate::{Baseline, default_path};

/// Where `setup taro-h5-chromium` installs playwright-core.
fn playwright() -> PathBuf {
    let path = root().join("adapters/taro-h5/node_modules/playwright-core");
    assert!(
        path.is_dir(),
        "{} is missing: run `taro-conformance setup taro-h5-chromium` first",
        path.display()
    );
    path
}

/// What check.js expects of the page made from `matrix_json` (the `matrix.json` written beside
/// it), computed from that file and the baselines, not from the page.
fn expectations(page: &Path, matrix_json: &Path, screenshot: &Path) -> Value {
    let matrix: Value =
        serde_json::from_str(&std::fs::read_to_string(matrix_json).unwrap()).unwrap();
    let columns: Vec<&str> = matrix["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let adapters: Vec<&str> = matrix["adapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    let rows = matrix["rows"].as_array().unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut areas: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        *areas.entry(row["area"].as_str().unwrap()).or_default() += 1;
    }
    let (area, count) = areas.into_iter().next().unwrap();
    let docs = rows
        .iter()
        .filter(|r| {
            r["level"] != "informational"
                && r["statuses"]
                    .as_object()
                    .unwrap()
                    .values()
                    .any(|s| s != "pass" && s != "not-applicable")
        })
        .count();
    // A failing cell whose adapter's baseline gives a reason.
    let baselines: Vec<Option<Baseline>> = adapters
        .iter()
        .map(|name| {
            let path = root().join(default_path(name));
            path.is_file().then(|| Baseline::load(&path).unwrap())
        })
        .collect();
    let (column, id, reason) = rows
        .iter()
        .find_map(|row| {
            let id = row["id"].as_str().unwrap();
            columns
                .iter()
                .zip(&baselines)
                .find_map(|(label, baseline)| {
                    if row["statuses"][*label] != "fail" {
                        return None;
                    }
                    let entry = baseline.as_ref()?.expected.iter().find(|e| e.id == id)?;
                    Some((*label, id, entry.reason.clone()))
                })
        })
        .expect("a failing cell with a baseline reason");
    let platform = columns.iter().position(|c| *c == column).unwrap();
    let hash_column = if columns.contains(&"taro-rn") {
        "taro-rn"
    } else {
        columns[0]
    };
    let hash_id = ids.iter().find(|i| **i != id).unwrap();
    json!({
        "page": page,
        "playwright": playwright(),
        "screenshot": screenshot,
        "ids": ids,
        "area": {"name": area, "count": count},
        "docs": docs,
        "platform": platform.to_string(),
        "click": {"column": column, "id": id, "reason": reason, "wire": "\"count\""},
        "hash": {"column": hash_column, "id": hash_id},
    })
}

/// Runs check.js on the expectations; panics with its output when a check fails.
fn check_in_chromium(expect: &Value) -> String {
    common::page_check("check.js", expect)
}

#[test]
#[ignore = "needs Chromium and `taro-conformance setup taro-h5-chromium`"]
fn the_committed_matrix_works_in_chromium() {
    let screenshot = root().join("target/matrix.png");
    std::fs::create_dir_all(screenshot.parent().unwrap()).unwrap();
    let mut expect = expectations(
        &root().join("reports/matrix.html"),
        &root().join("reports/matrix.json"),
        &screenshot,
    );
    // The cell the support page's first divergence links to is the one opened by its address.
    let support = std::fs::read_to_string(root().join("reports/support.md")).unwrap();
    let link = support
        .split("(matrix.html#")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("support.md links to a cell of matrix.html");
    let (column, id) = link.split_once('/').unwrap();
    expect["hash"] = json!({"column": column.replace("%20", " "), "id": id});
    expect["support"] = json!(true);
    expect["native"] = json!({
        "column": "taro-weapp",
        "id": "native.put.arraybuffer-data-as-given",
        "text": "\"$type\": \"arraybuffer\"",
    });
    let text = check_in_chromium(&expect);
    assert!(text.contains(&format!("ok opening #{link}")), "{text}");
    assert!(text.contains("ok a support mark opens"), "{text}");
    assert!(text.contains("ok every case has a row"), "{text}");
    assert!(
        text.contains("shows what the layer passed the native API"),
        "{text}"
    );
    assert!(
        screenshot.is_file(),
        "no screenshot at {}",
        screenshot.display()
    );
}

#[test]
#[ignore = "needs Chromium and `taro-conformance setup taro-h5-chromium`"]
fn a_matrix_written_from_two_runs_works_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let mut logs = Vec::new();
    for adapter in ["reference", "example-node"] {
        let log = dir.path().join(format!("{adapter}.jsonl"));
        let (_, text) = cli(&[
            "run",
            "--adapter",
            adapter,
            "--filter",
            "method.",
            "--filter",
            "abort.",
            "--log",
            log.to_str().unwrap(),
        ]);
        assert!(log.is_file(), "{text}");
        logs.push(log);
    }
    let out = dir.path().join("out");
    let (code, text) = cli(&[
        "report",
        "--html",
        "--log",
        logs[0].to_str().unwrap(),
        "--log",
        logs[1].to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{text}");
    let expect = expectations(
        &out.join("matrix.html"),
        &out.join("matrix.json"),
        &dir.path().join("matrix.png"),
    );
    // example-node refuses CONNECT and TRACE (its baseline says why): the cell the check clicks.
    assert_eq!(expect["click"]["column"], "example-node");
    assert_eq!(expect["click"]["id"], "method.connect");
    check_in_chromium(&expect);
}
