//! Adapters through the command line: `repro` of one case, `smoke`, naming an adapter (by its
//! name or its manifest's path, and an unknown one), and the `adapters` list.

mod common;

use common::cli;

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
