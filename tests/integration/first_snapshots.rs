//! A new adapter's first `cargo test --test conformance`: with no snapshots folder, it fails with
//! one message that names the command writing them (`taro-conformance snapshots --adapter
//! NAME`); that command runs the same target told to accept what it observes, after which the
//! conformance tests pass.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{conformance_binary, output, root};
use taro_conformance::tools::snapshots;

/// A copy of example-node named `fresh-adapter` (it has no snapshots), judged against
/// example-node's baseline, its snapshots under `dir/snapshots`.
struct Fresh {
    dir: tempfile::TempDir,
    manifest: String,
}

impl Fresh {
    fn new() -> Fresh {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("adapter.toml");
        std::fs::write(
            &manifest,
            format!(
                "name = \"fresh-adapter\"\nplatform = \"node\"\ndescription = \"d\"\nstart = [\"node\", {:?}]\n",
                root()
                    .join("adapters/example-node/adapter.js")
                    .display()
                    .to_string()
            ),
        )
        .unwrap();
        let manifest = manifest.to_str().unwrap().to_string();
        Fresh { dir, manifest }
    }

    fn snapshots(&self) -> std::path::PathBuf {
        self.dir.path().join("snapshots")
    }

    /// The conformance target on the method cases, with `env`; its exit code and output.
    fn conformance(&self, env: &[(&str, &str)]) -> (i32, String) {
        let mut command = Command::new(conformance_binary());
        command
            .args(["method."])
            .env(snapshots::ADAPTER_ENV, &self.manifest)
            .env(
                "TARO_CONFORMANCE_BASELINE",
                root().join("reports/baselines/example-node.yaml"),
            )
            .env(snapshots::DIR_ENV, self.snapshots())
            .env("CI", "true")
            .env_remove("INSTA_UPDATE");
        for (name, value) in env {
            command.env(name, value);
        }
        output(command)
    }
}

fn snap_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "snap"))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn an_adapter_with_no_snapshots_fails_once_naming_the_command_that_writes_them() {
    let fresh = Fresh::new();
    let (code, out) = fresh.conformance(&[]);
    assert_ne!(code, 0, "{out}");
    let command = format!("taro-conformance snapshots --adapter {}", fresh.manifest);
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{out}");
    assert!(
        errors[0].contains("adapter `") && errors[0].contains("has no snapshots yet"),
        "{out}"
    );
    assert!(
        errors[0].contains(&command)
            && errors[0].contains(
                &fresh
                    .snapshots()
                    .join("fresh-adapter")
                    .display()
                    .to_string()
            ),
        "{out}"
    );
    // No case ran, and insta said nothing.
    assert!(
        !out.contains("insta") && !out.contains("snapshot assertion"),
        "{out}"
    );
    assert_eq!(snap_files(&fresh.snapshots().join("fresh-adapter")), 0);
}

#[test]
fn the_command_writes_the_snapshots_that_the_conformance_tests_then_pass() {
    let fresh = Fresh::new();
    // What `taro-conformance snapshots` runs, on this target's binary (not through cargo).
    let writer = snapshots::command(&fresh.manifest);
    let env: Vec<(String, String)> = writer
        .get_envs()
        .filter_map(|(k, v)| Some((k.to_str()?.to_string(), v?.to_str()?.to_string())))
        .collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (code, out) = fresh.conformance(&env);
    assert_eq!(code, 0, "{out}");
    let written = fresh.snapshots().join("fresh-adapter");
    // The ten method cases, but the two example-node fails as its baseline says.
    assert!(snap_files(&written) >= 8, "{out}");
    let (code, out) = fresh.conformance(&[]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_snapshots_command_runs_the_conformance_target_accepting_what_it_observes() {
    // A `cargo` that says how it was run.
    let dir = tempfile::tempdir().unwrap();
    let cargo = dir.path().join("cargo");
    let said = dir.path().join("said");
    std::fs::write(
        &cargo,
        format!(
            "#!/bin/sh\necho \"$PWD|$*|$INSTA_UPDATE|$TARO_CONFORMANCE_ADAPTER\" > {:?}\n",
            said.display().to_string()
        ),
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&cargo)
        .status()
        .unwrap();
    let mut command = common::binary();
    command
        .args(["snapshots", "--adapter", "example-node"])
        .env("CARGO", &cargo);
    let (code, out) = output(command);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "INSTA_UPDATE=always TARO_CONFORMANCE_ADAPTER=example-node cargo test --test conformance"
        ),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&said).unwrap().trim(),
        format!(
            "{}|test --test conformance|always|example-node",
            root().display()
        )
    );
    // Without cargo, it says what it needs.
    let mut command = common::binary();
    command
        .args(["snapshots", "--adapter", "example-node"])
        .env("CARGO", dir.path().join("no-cargo-here"));
    let (code, out) = output(command);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("cannot run"), "{out}");
}
