//! What the command-line tests share: the repository root, running the binary there, a good
//! spec file, and the example adapter's method cases logged.

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod builds;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the command line's default run logs go when a test runs it: never
/// `target/conformance/` itself, which holds the logs of a person's own runs (`report` reads
/// them).
pub fn test_logs() -> PathBuf {
    root().join("target/conformance/cargo-test/cli")
}

/// `taro-conformance`, its default run logs sent to [`test_logs`]: every test runs the binary
/// through this (`tests/integration/test_logs.rs` checks that none names it otherwise).
pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_taro-conformance"));
    command.env(taro_conformance::run::LOG_DIR_ENV, test_logs());
    command
}

/// Runs `taro-conformance ARGS` from the repository root: its exit code, stdout then stderr.
pub fn cli(args: &[&str]) -> (i32, String) {
    let mut command = binary();
    command.args(args);
    output(command)
}

/// Runs `taro-conformance ARGS` in `dir`: its exit code, stdout then stderr.
pub fn cli_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut command = binary();
    command.args(args);
    output_in(command, dir)
}

/// Runs `taro-conformance ARGS` from the repository root with no GitHub Actions variables but
/// those in `env` (so a test is the same inside CI and out): exit code, stdout then stderr.
pub fn cli_env(args: &[&str], env: &[(&str, &Path)]) -> (i32, String) {
    let mut command = binary();
    command
        .args(args)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY");
    for (name, value) in env {
        command.env(name, value);
    }
    output(command)
}

/// Runs a command from the repository root: its exit code, stdout then stderr.
pub fn output(command: Command) -> (i32, String) {
    output_in(command, &root())
}

/// Runs a command in `dir`: its exit code, stdout then stderr.
pub fn output_in(mut command: Command, dir: &Path) -> (i32, String) {
    let out = command.current_dir(dir).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Runs `taro-conformance ARGS` from the repository root: its exit code, stdout and stderr, apart.
pub fn cli_streams(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_taro-conformance"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The method cases, where example-node has its two known divergences, logged to `log`.
pub fn run_methods_logged(log: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "run",
        "--adapter",
        "example-node",
        "--filter",
        "method.",
        "--log",
        log.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    cli(&args)
}

/// A spec file of one case, `good.one`, that loads cleanly (and, required, expects nothing that
/// could fail).
pub const GOOD: &str = r#"
cases:
  - id: good.one
    summary: fine
    contract: [METHOD-1]
    level: required
    call: { url: "http://127.0.0.1:9/" }
    expect: {}
"#;

/// Writes the manifest `path` of an adapter named `name` that runs
/// `node tests/adapters/SCRIPT ARG`, with `rest` (more manifest lines) after; returns `path`.
pub fn script_adapter(path: &Path, name: &str, script: &str, arg: &str, rest: &str) -> PathBuf {
    let script = root().join("tests/adapters").join(script);
    std::fs::write(
        path,
        format!(
            "name = {name:?}\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"node\", {:?}, {arg:?}]\n{rest}",
            script.display().to_string()
        ),
    )
    .unwrap();
    path.to_path_buf()
}

/// Writes `DIR/adapter.toml` for `tests/adapters/misbehave.js` started as `versioned:SPEC` (a
/// package of versions: see that script), named `name`, with `rest` (more manifest lines)
/// after; returns the manifest's path.
pub fn versioned_adapter(dir: &std::path::Path, name: &str, spec: &str, rest: &str) -> PathBuf {
    script_adapter(
        &dir.join("adapter.toml"),
        name,
        "misbehave.js",
        &format!("versioned:{spec}"),
        rest,
    )
}

/// The `conformance` test target's binary, built beside this one (the newest). `cargo test`
/// builds every test target before running any; `cargo test --test integration` builds only this one,
/// so a binary older than the sources it is built from is refused rather than trusted.
pub fn conformance_binary() -> PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    let binary = std::fs::read_dir(&deps)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_none()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("conformance-"))
        })
        .max_by_key(|p| modified(p))
        .expect("the conformance test binary is built: run `cargo test` (every target)");
    let built = modified(&binary).unwrap();
    // The library it is built from (the command line's files are not part of it).
    let sources = walkdir::WalkDir::new(root().join("src"))
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| !p.starts_with(root().join("src/cli")) && !p.ends_with("src/main.rs"))
        .chain([
            root().join("tests/conformance.rs"),
            root().join("Cargo.lock"),
        ]);
    for source in sources {
        assert!(
            modified(&source).is_none_or(|m| m <= built),
            "{} is older than {}: build it first (`cargo test --test conformance --no-run`, or `cargo test` for every target)",
            binary.display(),
            source.display()
        );
    }
    binary
}

/// Runs a page check of `tests/html/` (`check.js`, `history.js`) on `expect`, written to a file
/// for it; panics with its output when a check fails, else returns it.
pub fn page_check(script: &str, expect: &serde_json::Value) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("expect.json");
    std::fs::write(&file, expect.to_string()).unwrap();
    let mut command = Command::new("node");
    command
        .arg(root().join("tests/html").join(script))
        .arg(&file);
    let (code, text) = output(command);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("FAIL"), "{text}");
    text
}
