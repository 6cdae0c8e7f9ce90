//! The adapter kit's own node:test suite (`adapters/lib/test/`): `versions.js` setting up a local
//! build that is data, not trusted (a package name out of `node_modules`, a symbolic link, a
//! version that is not one line, tarballs' extraction folders), all or nothing, and named by
//! what it holds (every package from DIR hashed; git's commit, `+dirty`, only for a checkout); a
//! bundle made with another harness refused (`harness-stamp.test.js`).
//! It makes a project of its own in a temporary folder and needs nothing but node, tar and git,
//! so no set-up.

use std::process::Command;

#[test]
fn local_builds_stay_in_their_folder() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/adapters/lib");
    let output = Command::new("node")
        .args(["--test", "test/"])
        .current_dir(dir)
        .output()
        .expect("node must be on PATH to test the adapter kit");
    assert!(
        output.status.success(),
        "node --test test/ failed in {dir}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
