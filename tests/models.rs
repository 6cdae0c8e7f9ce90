//! The mini-program adapters' native models on their own: `adapters/taro-mini/test/` (node:test
//! against a local server) checks the documented behaviours that the suite's cases cannot reach
//! through Taro's layer. The models use nothing but Node's own modules, so no set-up is needed.

use std::process::Command;

#[test]
fn native_models_follow_their_documents() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/adapters/taro-mini");
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
