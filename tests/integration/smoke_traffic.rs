//! `smoke` fails an adapter whose requests never leave: a well-formed answer to a case that
//! expects its origin to be called is not enough when the origin received nothing.

use crate::common;

use common::{cli, script_adapter};

#[test]
fn smoke_fails_when_a_case_that_expects_traffic_reached_no_origin() {
    let dir = tempfile::tempdir().unwrap();
    // `null`: every case answered at once, `resolved`, and no request sent.
    let manifest = script_adapter(
        &dir.path().join("adapter.toml"),
        "silent",
        "misbehave.js",
        "null",
        "",
    );
    let (code, out) = cli(&["smoke", "--adapter", manifest.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    for id in ["smoke.get-json", "smoke.post-json"] {
        let line = out
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("no line for {id}:\n{out}"));
        assert!(
            line.trim_start().starts_with("FAIL")
                && line.contains("the request never reached the origin `api`"),
            "{line}\n{out}"
        );
    }
    // The refused connection expects no traffic: nothing to reach.
    let refused = out.lines().find(|l| l.contains("smoke.refused")).unwrap();
    assert!(refused.trim_start().starts_with("ok"), "{out}");
    assert!(
        out.contains("requests reach the origins: no") && !out.contains("speaks protocol v1: no"),
        "{out}"
    );
}

#[test]
fn smoke_passes_an_adapter_whose_requests_arrive() {
    let (code, out) = cli(&["smoke"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("speaks protocol v1: yes") && out.contains("requests reach the origins: yes"),
        "{out}"
    );
}
