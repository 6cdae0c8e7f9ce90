//! Adapters through the command line: `repro` of one case, `smoke`, naming an adapter (by its
//! name or its manifest's path, and an unknown one), and the `adapters` list.

use crate::common;

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

#[test]
fn an_adapter_and_its_setup_get_the_allow_listed_environment_and_what_their_manifest_names() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    std::fs::create_dir(&specs).unwrap();
    std::fs::write(specs.join("good.yaml"), common::GOOD).unwrap();
    let manifest = dir.path().join("adapter.toml");
    let seen = dir.path().join("seen.txt");
    for (named, token) in [("", None), ("env = [\"GITHUB_TOKEN\"]\n", Some("t0k3n"))] {
        let rest = format!(
            "setup = \"echo ${{GITHUB_ENV-unset}} ${{GITHUB_TOKEN-unset}} > seen.txt\"\n{named}"
        );
        common::script_adapter(&manifest, "envs", "misbehave.js", "env-report", &rest);
        let command = |args: &[&str]| {
            let mut command = common::binary();
            command
                .args(args)
                .env("GITHUB_ENV", dir.path().join("github-env"))
                .env("GITHUB_TOKEN", "t0k3n");
            common::output(command)
        };
        let log = dir.path().join("run.jsonl");
        let (code, out) = command(&[
            "run",
            "--adapter",
            manifest.to_str().unwrap(),
            "--specs",
            specs.to_str().unwrap(),
            "--no-baseline",
            "--log",
            log.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{out}");
        let text = std::fs::read_to_string(&log).unwrap();
        let case: serde_json::Value =
            serde_json::from_str(text.lines().find(|l| l.contains("good.one")).unwrap()).unwrap();
        let value = &case["observation"]["client"]["value"];
        assert_eq!(value["GITHUB_ENV"], serde_json::Value::Null, "{named}");
        assert_eq!(value["GITHUB_TOKEN"], serde_json::json!(token), "{named}");
        assert_eq!(value["PATH"], true, "{named}");

        let (code, out) = command(&["setup", manifest.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}");
        let said = std::fs::read_to_string(&seen).unwrap();
        assert_eq!(said.trim(), format!("unset {}", token.unwrap_or("unset")));
    }
}

#[test]
fn a_manifest_env_entry_that_is_not_a_variable_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("adapter.toml");
    common::script_adapter(
        &manifest,
        "envs",
        "misbehave.js",
        "null",
        "env = [\"A=B\"]\n",
    );
    let (code, out) = cli(&["smoke", "--adapter", manifest.to_str().unwrap()]);
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("`env`: \"A=B\" is not a variable name"),
        "{out}"
    );
}
