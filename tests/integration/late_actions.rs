//! An action due after the call settled (`abort()` after completion, ABORT-2) still runs before
//! the case is reported, and what it sets off is judged: in the harness every adapter of a Taro
//! package shares (`adapters/lib/harness.js`) and in the example adapter's. Before, both
//! reported at settlement, so `abort.after-completion` could not fail.

use crate::common;

use std::path::Path;

use common::{cli, root, script_adapter};

const CASE: &str = "abort.after-completion";
const LATE_CALLBACKS: &str = "got [success, complete, fail, complete] [ABORT-2]";

/// Runs `abort.after-completion` on the adapter whose manifest is at `manifest`.
fn run_case(manifest: &Path, log: &Path) -> (i32, String) {
    cli(&[
        "run",
        "--adapter",
        manifest.to_str().unwrap(),
        "--exact",
        "--filter",
        CASE,
        "--no-baseline",
        "--log",
        log.to_str().unwrap(),
    ])
}

fn shared_harness_adapter(dir: &Path, mode: &str) -> std::path::PathBuf {
    script_adapter(
        &dir.join(format!("{mode}.toml")),
        "late-abort",
        "late-abort.js",
        mode,
        "",
    )
}

#[test]
fn the_shared_harness_sees_callbacks_a_late_abort_sets_off() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.jsonl");
    let (code, out) = run_case(&shared_harness_adapter(dir.path(), "broken"), &log);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(LATE_CALLBACKS), "{out}");

    let (code, out) = run_case(&shared_harness_adapter(dir.path(), "correct"), &log);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn an_abort_that_throws_after_completion_fails_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.jsonl");
    let (code, out) = run_case(&shared_harness_adapter(dir.path(), "throwing"), &log);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("expected no exception from abort() at 1500 ms at client.actions, got")
            && out.contains("TypeError")
            && out.contains("[ABORT-2]"),
        "{out}"
    );
    // The callbacks were right: only the exception fails it.
    assert!(!out.contains("client.callbacks"), "{out}");
}

#[test]
fn the_example_adapter_sees_callbacks_a_late_abort_sets_off() {
    let dir = tempfile::tempdir().unwrap();
    let source = root().join("adapters/example-node");
    let adapter = std::fs::read_to_string(source.join("adapter.js")).unwrap();
    // The same bug, written into a copy of the example adapter.
    let sound = "  promise.abort = () => abort('abort')\n";
    assert!(
        adapter.contains(sound),
        "the example adapter's abort() moved"
    );
    let broken = adapter.replace(
        sound,
        "  promise.abort = () => {\n    abort('abort')\n    options.fail && options.fail({ errMsg: 'request:fail abort' })\n    options.complete && options.complete({ errMsg: 'request:fail abort' })\n  }\n",
    );
    std::fs::write(dir.path().join("adapter.js"), broken).unwrap();
    std::fs::copy(source.join("adapter.toml"), dir.path().join("adapter.toml")).unwrap();
    let log = dir.path().join("log.jsonl");

    let (code, out) = run_case(&dir.path().join("adapter.toml"), &log);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(LATE_CALLBACKS), "{out}");

    // And an abort() that throws after completion, in another copy.
    let throwing = adapter.replace(
        sound,
        "  promise.abort = () => {\n    throw new TypeError('the task is over')\n  }\n",
    );
    std::fs::write(dir.path().join("adapter.js"), throwing).unwrap();
    let (code, out) = run_case(&dir.path().join("adapter.toml"), &log);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("expected no exception from abort() at 1500 ms at client.actions")
            && out.contains("the task is over"),
        "{out}"
    );

    let (code, out) = run_case(&source.join("adapter.toml"), &log);
    assert_eq!(code, 0, "{out}");
}
