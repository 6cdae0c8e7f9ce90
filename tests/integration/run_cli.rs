//! `run` and `list` through the command line: the good files run beside a bad one, the exit
//! codes (2 for a bad file or a usage error, 1 for a failing case), the run log, and filters.

use rstest::rstest;

use crate::common;

use common::cli_streams as cli;

#[test]
fn cli_runs_the_good_files_and_exits_2_on_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"# yaml-language-server: $schema=x
cases:
  - id: good.refused
    summary: fine
    contract: [FAIL-1]
    level: required
    origins: { down: { refuseConnections: true } }
    call: { url: "{{origin.down}}/" }
    expect: { client: { settled: rejected } }
"#;
    std::fs::write(dir.path().join("good.yaml"), good).unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "cases:\n  - id: x\n    sumary: typo\n",
    )
    .unwrap();
    let log = dir.path().join("run.jsonl");
    let specs = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = cli(&["run", "--specs", specs, "--log", log.to_str().unwrap()]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("bad.yaml:3:5: case `x`: unknown field `sumary`"),
        "{stderr}"
    );
    assert!(
        stdout.contains("1 cases on `reference`: 1 pass"),
        "{stdout}"
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["type"], "header");
    assert_eq!(lines[0]["adapter"]["name"], "reference");
    assert_eq!(lines[0]["suite"]["cases"], 1);
    assert_eq!(lines[1]["type"], "case");
    assert_eq!(lines[1]["id"], "good.refused");
    assert_eq!(lines[1]["status"], "pass");
    assert_eq!(lines[2]["type"], "footer");
    assert_eq!(lines[2]["counts"]["pass"], 1);
}

#[test]
fn cli_exits_1_on_a_failing_case_and_names_the_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let failing = r#"
cases:
  - id: wrong.on.purpose
    summary: s
    contract: [FAIL-1]
    level: required
    origins: { down: { refuseConnections: true } }
    call: { url: "{{origin.down}}/" }
    expect: { client: { settled: resolved } }
"#;
    std::fs::write(dir.path().join("f.yaml"), failing).unwrap();
    let log = dir.path().join("run.jsonl");
    let (code, stdout, _) = cli(&[
        "run",
        "--specs",
        dir.path().to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "expected resolved at client.settled, got rejected (errMsg \"request:fail connect \
             error\") [FAIL-1]"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("--exact --filter wrong.on.purpose"),
        "{stdout}"
    );
}

#[rstest]
#[case::unknown_adapter(&["run", "--adapter", "nope"], "unknown adapter `nope`")]
#[case::zero_jobs(&["run", "--jobs", "0"], "--jobs must be at least 1")]
#[case::bad_option(&["run", "--frobnicate"], "--frobnicate")]
fn cli_usage_errors_exit_2(#[case] args: &[&str], #[case] words: &str) {
    let (code, _, stderr) = cli(args);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(words), "{stderr}");
}

#[test]
fn cli_writes_one_adapters_log_into_the_log_dir() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = cli(&[
        "run",
        "--exact",
        "--filter",
        "method.get",
        "--log-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let log = dir.path().join("reference.jsonl");
    assert!(log.exists(), "no {} after:\n{stdout}", log.display());
    assert!(
        stdout.contains(&format!("run log: {}", log.display())),
        "{stdout}"
    );
}

#[test]
fn cli_list_filters_by_substring_and_glob() {
    let (code, stdout, _) = cli(&["list", "--filter", "method."]);
    assert_eq!(code, 0);
    assert!(stdout.lines().all(|l| l.contains("method.")));
    assert!(stdout.lines().count() >= 9);
    let (_, exact, _) = cli(&["list", "--exact", "--filter", "method.get"]);
    assert_eq!(exact.trim(), "method.get");
    let (_, glob, _) = cli(&["list", "--filter", "data.*.post-js*"]);
    assert_eq!(glob.trim(), "data.body.post-json", "{glob}");
}
