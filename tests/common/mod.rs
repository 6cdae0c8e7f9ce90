//! What the command-line tests share: the repository root, and running the binary there.

// Each test file compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `taro-conformance ARGS` from the repository root: its exit code, stdout then stderr.
pub fn cli(args: &[&str]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_taro-conformance"));
    command.args(args);
    output(command)
}

/// Runs a command from the repository root: its exit code, stdout then stderr.
pub fn output(mut command: Command) -> (i32, String) {
    let out = command.current_dir(root()).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Writes `DIR/adapter.toml` for `tests/adapters/misbehave.js` started as `versioned:SPEC` (a
/// package of versions: see that script), named `name`, with `rest` (more manifest lines)
/// after; returns the manifest's path.
pub fn versioned_adapter(dir: &std::path::Path, name: &str, spec: &str, rest: &str) -> PathBuf {
    let script = root().join("tests/adapters/misbehave.js");
    let path = dir.join("adapter.toml");
    std::fs::write(
        &path,
        format!(
            "name = {name:?}\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"node\", {:?}, \"versioned:{spec}\"]\n{rest}",
            script.display().to_string()
        ),
    )
    .unwrap();
    path
}
