//! The tests never overwrite the run logs of a person's runs under `target/conformance/`: every
//! test runs the binary through `tests/common` (`common::binary`), which sends the default run
//! logs to a folder of their own (`common::test_logs`) through the variable the library honours
//! (`run::LOG_DIR_ENV`).

use crate::common;

use common::{cli, root, test_logs};

#[test]
fn no_test_runs_the_binary_but_through_common() {
    // Spelled in two, so that this file does not find itself.
    let binary = concat!("CARGO_BIN_EXE_", "taro-conformance");
    let common = root().join("tests/common/mod.rs");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root().join("tests"))
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || path == common {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.contains(binary) {
                found.push(format!("{}:{}", path.display(), i + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "run the binary with `common::binary()` (its default run logs go to {}), not by its path:\n{}",
        test_logs().display(),
        found.join("\n")
    );
}

#[test]
fn a_run_without_a_log_named_writes_into_the_tests_own_folder() {
    let (code, out) = cli(&["run", "--filter", "method.get", "--exact"]);
    assert_eq!(code, 0, "{out}");
    let log = test_logs().join("reference.jsonl");
    assert!(
        out.contains(&format!("run log: {}\n", log.display())),
        "{out}"
    );
}
