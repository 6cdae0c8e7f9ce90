//! `run --junit FILE`: read back by a JUnit consumer other than the writer (Python's standard
//! XML parser, reading it the way CI test-report views do), it has one testcase per case and
//! is red exactly where the gate is.

use crate::common;

use std::collections::BTreeSet;
use std::process::Command;

use common::{cli, output};

/// What a JUnit consumer sees: testcases, the names of failed and errored ones, skipped ones,
/// and the output of one testcase.
fn consume(xml: &std::path::Path, show: &str) -> serde_json::Value {
    let script = r#"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall('./testsuite/testcase')
named = lambda tag: sorted(c.get('name') for c in cases if c.find(tag) is not None)
shown = [c for c in cases if c.get('name') == sys.argv[2]]
print(json.dumps({
    'suites': [s.get('name') for s in root.findall('./testsuite')],
    'tests': len(cases),
    'declared': int(root.get('tests')),
    'failures': named('failure'),
    'errors': named('error'),
    'skipped': len(named('skipped')),
    'classname': shown[0].get('classname') if shown else None,
    'out': (shown[0].findtext('system-out') or '') if shown else None,
    'failure': ((shown[0].find('failure').get('message') or '') + '\n' + (shown[0].findtext('failure') or '')) if shown and shown[0].find('failure') is not None else None,
}))
"#;
    let mut python = Command::new("python3");
    python.arg("-c").arg(script).arg(xml).arg(show);
    let (code, out) = output(python);
    assert_eq!(code, 0, "python3 could not read the JUnit file: {out}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn junit_is_red_exactly_where_the_gate_is() {
    let dir = tempfile::tempdir().unwrap();
    // example-node's baseline without `method.trace` (an unexpected failure now) and with an
    // entry no case has (stale).
    let baseline =
        std::fs::read_to_string(common::root().join("reports/baselines/example-node.yaml"))
            .unwrap();
    let trace = baseline.find("- id: method.trace\n").unwrap();
    let edited = format!(
        "{}- id: gone.case\n  status: fail\n  reason: a case since removed\n  fingerprint: \"0000000000000000\"\n",
        &baseline[..trace]
    );
    let path = dir.path().join("baseline.yaml");
    std::fs::write(&path, edited).unwrap();
    let xml = dir.path().join("junit.xml");
    let (code, out) = cli(&[
        "run",
        "--adapter",
        "example-node",
        "--baseline",
        path.to_str().unwrap(),
        "--junit",
        xml.to_str().unwrap(),
        "--log",
        dir.path().join("run.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}");
    let gate: BTreeSet<String> = out
        .lines()
        .skip_while(|l| !l.starts_with("gate: "))
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with("(after a deliberate change"))
        .filter_map(|l| l.trim().split(": ").nth(1))
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect();
    assert_eq!(
        gate,
        BTreeSet::from(["method.trace".into(), "gone.case".into()]),
        "{out}"
    );

    let (_, listed) = cli(&["list"]);
    let cases = listed.lines().count();
    let seen = consume(&xml, "method.trace");
    assert_eq!(seen["suites"], serde_json::json!(["example-node@1.0.0"]));
    assert_eq!(
        seen["tests"],
        cases + 1,
        "one testcase per case, and the stale entry"
    );
    assert_eq!(seen["declared"], seen["tests"]);
    let red: BTreeSet<String> = seen["failures"]
        .as_array()
        .unwrap()
        .iter()
        .chain(seen["errors"].as_array().unwrap())
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(red, gate, "red exactly where the gate is");
    assert!(
        seen["skipped"].as_u64().unwrap() > 0,
        "not-applicable cases are skipped"
    );
    assert_eq!(seen["classname"], "method/methods");
    let failure = seen["failure"].as_str().unwrap();
    assert!(
        failure.contains("unexpected fail: method.trace is not in the baseline"),
        "{failure}"
    );
    assert!(
        failure.contains(
            "expected resolved at client.settled, got rejected (errMsg \"request:fail 'TRACE' \
             HTTP method is unsupported.\") [METHOD-2]"
        ),
        "{failure}"
    );
    assert!(
        failure.contains(
            "rerun: cargo run -- run --adapter example-node --exact --filter method.trace"
        ),
        "{failure}"
    );
    // A failure the baseline expects is green, and says so.
    let known = consume(&xml, "method.connect");
    let said = known["out"].as_str().unwrap();
    assert!(
        said.starts_with("fail as the baseline expects: Node's fetch (undici) refuses CONNECT"),
        "{said}"
    );
    assert!(known["failure"].is_null());
}
