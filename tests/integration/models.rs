//! The adapters' native models on their own, each against a local server with node:test:
//! `adapters/taro-mini/test/` checks the documented behaviours of the mini-program models that the
//! suite's cases cannot reach through Taro's layer, and `adapters/taro-rn/test/` what the model of
//! React Native's Android networking module does that Taro RN never asks of it, and
//! `adapters/taro-harmony-hybrid/test/` what the HarmonyOS container's request and
//! `@ohos.net.http` do beyond what the plugin asks of them. The models use
//! nothing but Node's own modules, so no set-up is needed. `adapters/taro-mini/test/reuse.test.js`
//! also shows that an app reused for the next case keeps nothing of the previous one, for each
//! platform whose bundle is built (`taro-conformance setup taro-weapp`, …; it skips the others).

use std::process::Command;

/// Runs `node --test test/` in an adapter's directory and fails with its output.
fn node_tests_pass(dir: &str) {
    let output = Command::new("node")
        .args(["--test", "test/"])
        .current_dir(dir)
        .output()
        .expect("node must be on PATH to test the native models");
    assert!(
        output.status.success(),
        "node --test test/ failed in {dir}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn native_models_follow_their_documents() {
    node_tests_pass(concat!(env!("CARGO_MANIFEST_DIR"), "/adapters/taro-mini"));
}

#[test]
fn react_native_networking_model_follows_its_sources() {
    node_tests_pass(concat!(env!("CARGO_MANIFEST_DIR"), "/adapters/taro-rn"));
}

#[test]
fn harmony_hybrid_container_model_follows_its_sources() {
    node_tests_pass(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/adapters/taro-harmony-hybrid"
    ));
}
