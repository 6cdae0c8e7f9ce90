//! The example adapter's encoders agree with the shared harness's: `adapters/example-node/test/`
//! (node:test) feeds `adapter.js`'s `toWire`/`fromWire` and `adapters/lib/harness.js`'s the same
//! values — errors with own properties, ArrayBuffers and errors from another realm, Headers,
//! undefined and functions anywhere — and checks they give the same protocol JSON. The example is
//! the adapter newcomers copy, so it must report values as the Taro adapters do. It uses nothing
//! but Node's own modules, so no set-up is needed.

use std::process::Command;

#[test]
fn example_adapter_encodes_values_as_the_harness_does() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/adapters/example-node");
    let output = Command::new("node")
        .args(["--test", "test/"])
        .current_dir(dir)
        .output()
        .expect("node must be on PATH to test the example adapter's encoders");
    assert!(
        output.status.success(),
        "node --test test/ failed in {dir}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
