//! One cause behind many failures is said once: a build whose `Taro.request` is missing fails
//! every case the same way, and the gate says what was thrown and for how many cases.

use crate::common;

use common::{cli, script_adapter};

#[test]
fn the_gate_says_what_was_thrown_and_how_many_cases_it_broke() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = script_adapter(
        &dir.path().join("adapter.toml"),
        "missing-request",
        "misbehave.js",
        "threw",
        "",
    );
    let baseline = dir.path().join("baseline.yaml");
    std::fs::write(&baseline, "adapter: missing-request\nexpected: []\n").unwrap();
    let (code, out) = cli(&[
        "run",
        "--adapter",
        manifest.to_str().unwrap(),
        "--filter",
        "method.",
        "--baseline",
        baseline.to_str().unwrap(),
        "--log",
        dir.path().join("run.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("got threw (TypeError: Taro.request is not a function)"),
        "each mismatch says what was thrown: {out}"
    );
    let grouped = out
        .lines()
        .find(|l| {
            l.contains(" of these cases: got threw (TypeError: Taro.request is not a function)")
        })
        .unwrap_or_else(|| panic!("no line groups the findings by their cause:\n{out}"));
    let count: usize = grouped.trim().split(' ').next().unwrap().parse().unwrap();
    let findings = out
        .lines()
        .filter(|l| l.trim_start().starts_with("unexpected fail: "))
        .count();
    assert!(
        count > 1 && count <= findings,
        "{grouped} of {findings} findings:\n{out}"
    );
}
