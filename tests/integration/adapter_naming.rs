//! An adapter has one name, its manifest's `name`: the run log's file name, the log's header,
//! the summary and `smoke` all use it, however the adapter is given (`--adapter PATH`), and a
//! `ready` message that names it otherwise is warned about, naming both.

use crate::common;

use common::{cli, root, script_adapter};

/// A manifest named `my-adapter` in a folder named otherwise, whose program (`misbehave.js`)
/// calls itself `misbehave` in its `ready`.
fn misnamed(dir: &std::path::Path) -> std::path::PathBuf {
    let folder = dir.join("folder-name");
    std::fs::create_dir(&folder).unwrap();
    script_adapter(
        &folder.join("adapter.toml"),
        "my-adapter",
        "misbehave.js",
        "null",
        "",
    )
}

const WARNING: &str = "warning: adapter `my-adapter` calls itself `misbehave` in its `ready` \
                       message: it is named `my-adapter`, its manifest's name, everywhere";

#[test]
fn a_run_names_the_adapter_by_its_manifest_in_the_log_file_its_header_and_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = misnamed(dir.path());
    let logs = dir.path().join("logs");
    let (code, out) = cli(&[
        "run",
        "--adapter",
        manifest.to_str().unwrap(),
        "--filter",
        "method.get",
        "--exact",
        "--no-baseline",
        "--log-dir",
        logs.to_str().unwrap(),
    ]);
    // `misbehave.js` answers without sending anything: method.get fails.
    assert_eq!(code, 1, "{out}");
    let log = logs.join("my-adapter.jsonl");
    assert!(log.is_file(), "no {}:\n{out}", log.display());
    let header: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["adapter"]["name"], "my-adapter");
    // The progress line and the summary.
    assert!(out.contains("running 1 cases on `my-adapter`"), "{out}");
    assert!(out.contains("\n1 cases on `my-adapter`: 1 fail"), "{out}");
    assert!(out.contains(WARNING), "{out}");
    assert!(!out.contains("folder-name.jsonl"), "{out}");
}

#[test]
fn smoke_names_the_adapter_by_its_manifest_and_warns_of_the_other_name() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = misnamed(dir.path());
    let (_, out) = cli(&["smoke", "--adapter", manifest.to_str().unwrap()]);
    assert!(out.contains("adapter `my-adapter` null"), "{out}");
    assert!(out.contains(WARNING), "{out}");
}

#[test]
fn an_adapter_whose_ready_agrees_with_its_manifest_is_not_warned_about() {
    let manifest = root().join("adapters/example-node/adapter.toml");
    let (code, out) = cli(&["smoke", "--adapter", manifest.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("warning"), "{out}");
}
