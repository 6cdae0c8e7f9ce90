//! Tests of the harness itself: the spec loader's errors, the committed schema, verdicts on
//! deliberately wrong expectations, the fault sockets, and the command line's exit codes.

use std::path::{Path, PathBuf};

use rstest::rstest;
use taro_conformance::CaseResult;
use taro_conformance::adapter::reference::ReferenceAdapter;
use taro_conformance::run::cases::{RunOptions, run_case};
use taro_conformance::spec::{self, load_str};
use taro_conformance::verdict::Status;

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads one case from YAML text and runs it on the reference adapter.
fn run_yaml(yaml: &str) -> CaseResult {
    let cases = load_str(Path::new("inline.yaml"), yaml).expect("the test's YAML is valid");
    let case = cases.into_iter().next().expect("one case").case;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let adapter = ReferenceAdapter::new();
        tokio::spawn(async move { run_case(&adapter, &case, &RunOptions::default()).await })
            .await
            .unwrap()
    })
}

#[test]
fn committed_schema_is_current() {
    let committed = std::fs::read_to_string(root().join(spec::schema::SCHEMA_PATH)).unwrap();
    assert!(
        committed == spec::schema::schema_json(),
        "specs/schema.json is stale: run `cargo run -- schema > specs/schema.json` and commit it"
    );
}

#[test]
fn every_spec_file_points_editors_at_the_schema() {
    let suite = spec::load_dir(&root().join("specs"));
    let mut files: Vec<&PathBuf> = suite.cases.iter().map(|c| &c.file).collect();
    files.dedup();
    for file in files {
        let first = std::fs::read_to_string(file).unwrap();
        let first = first.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("# yaml-language-server: $schema=") && first.ends_with("schema.json"),
            "{} should start with `# yaml-language-server: $schema=…/schema.json`",
            file.display()
        );
    }
}

#[test]
fn the_suite_loads_cleanly() {
    let suite = spec::load_dir(&root().join("specs"));
    let errors: Vec<String> = suite.errors.iter().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(suite.cases.len() >= 60, "only {} cases", suite.cases.len());
}

const GOOD: &str = r#"
cases:
  - id: good.one
    summary: fine
    contract: [METHOD-1]
    level: required
    call: { url: "http://127.0.0.1:9/" }
    expect: {}
"#;

#[rstest]
#[case::typo_key(
    "cases:\n  - id: a.b\n    summary: s\n    contract: [X-1]\n    level: required\n    call: {}\n    expcet: {}\n",
    7,
    "unknown field `expcet`"
)]
#[case::wrong_type(
    "cases:\n  - id: a.b\n    summary: s\n    contract: [X-1]\n    level: required\n    deadlineMs: soon\n    call: {}\n    expect: {}\n",
    6,
    "`deadlineMs`: expected a whole number, 0 or more"
)]
#[case::unknown_level(
    "cases:\n  - id: a.b\n    summary: s\n    contract: [X-1]\n    level: mandatory\n    call: {}\n    expect: {}\n",
    5,
    "mandatory"
)]
#[case::unknown_capability(
    "cases:\n  - id: a.b\n    summary: s\n    contract: [X-1]\n    level: required\n    requires: [teleport]\n    call: {}\n    expect: {}\n",
    6,
    "teleport"
)]
fn loader_errors_name_line_and_column(#[case] yaml: &str, #[case] line: u64, #[case] words: &str) {
    let errors = load_str(Path::new("specs/bad.yaml"), yaml).unwrap_err();
    let error = &errors[0];
    assert_eq!(error.line, Some(line), "{error}");
    assert!(error.column.is_some(), "{error}");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("specs/bad.yaml:{line}:")),
        "{text}"
    );
    assert!(text.contains(words), "{text}");
}

#[rstest]
#[case::unknown_origin("call: { url: \"{{origin.nope}}/x\" }", "has no `nope`")]
#[case::unknown_callback(
    "call: { url: \"http://127.0.0.1:9/\" }\n    expect: { client: { callbacks: [sucess] } }",
    "`sucess` is no callback"
)]
#[case::plain_http_ref(
    "refs: [\"http://github.com/NervJS/taro/issues/3222\"]\n    call: { url: \"http://127.0.0.1:9/\" }",
    "`refs`: `http://github.com/NervJS/taro/issues/3222` is a http URL"
)]
#[case::ref_not_a_url(
    "refs: [\"#3222\"]\n    call: { url: \"http://127.0.0.1:9/\" }",
    "`refs`: `#3222` is no URL"
)]
fn semantic_errors_name_the_case(#[case] tail: &str, #[case] words: &str) {
    let yaml = format!(
        "cases:\n  - id: a.b\n    summary: s\n    contract: [X-1]\n    level: required\n    {tail}\n{}",
        if tail.contains("expect") {
            ""
        } else {
            "    expect: {}\n"
        }
    );
    let errors = load_str(Path::new("x.yaml"), &yaml).unwrap_err();
    let text = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("x.yaml:2:"), "{text}");
    assert!(text.contains("case `a.b`"), "{text}");
    assert!(text.contains(words), "{text}");
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.yaml"), GOOD).unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "cases:\n  - id: x\n    sumary: typo\n",
    )
    .unwrap();
    let suite = spec::load_dir(dir.path());
    assert_eq!(suite.cases.len(), 1);
    assert_eq!(suite.cases[0].case.id, "good.one");
    assert_eq!(suite.errors.len(), 1);
    assert!(suite.errors[0].file.ends_with("bad.yaml"));
}

#[test]
fn duplicate_ids_are_reported_and_the_first_kept() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), GOOD).unwrap();
    std::fs::write(dir.path().join("b.yaml"), GOOD).unwrap();
    let suite = spec::load_dir(dir.path());
    assert_eq!(suite.cases.len(), 1);
    assert!(
        suite.errors[0]
            .to_string()
            .contains("duplicate case id `good.one`")
    );
}

/// A real case with a deliberately wrong expectation: the mismatch must say what was expected,
/// where, and what came instead, with the clause it breaks.
#[rstest]
#[case::space_as_plus(
    r#"call: { url: "{{origin.api}}/q", data: { v: "a b" } }
    expect: { wire: { api: { requests: [{ query: "v=a+b" }] } } }"#,
    r#"expected "v=a+b" at wire.api.requests[0].query, got "v=a%20b" [DATA-1]"#
)]
#[case::status(
    r#"call: { url: "{{origin.api}}/q" }
    expect: { client: { value: { statusCode: 201 } } }"#,
    "expected 201 at client.value.statusCode, got 200 [DATA-1]"
)]
#[case::settled(
    r#"call: { url: "{{origin.api}}/q" }
    expect: { client: { settled: rejected, callbacks: [fail, complete] } }"#,
    "expected rejected at client.settled, got resolved [DATA-1]"
)]
#[case::callbacks(
    r#"call: { url: "{{origin.api}}/q" }
    expect: { client: { callbacks: [complete, success] } }"#,
    "expected [complete, success] at client.callbacks, got [success, complete] [DATA-1]"
)]
#[case::json_body(
    r#"call: { url: "{{origin.api}}/q", method: POST, data: { a: 1 } }
    expect: { wire: { api: { requests: [{ body: { $json: { a: "1" } } }] } } }"#,
    r#"expected the JSON text of {"a":"1"} at wire.api.requests[0].body, got "{\"a\":1}" [DATA-1]"#
)]
fn wrong_expectations_give_the_right_mismatch(#[case] tail: &str, #[case] mismatch: &str) {
    let yaml = format!(
        "cases:\n  - id: wrong.on.purpose\n    summary: s\n    contract: [DATA-1]\n    level: required\n    origins:\n      api: {{ stubs: [{{ response: {{ status: 200, body: ok }} }}] }}\n    {tail}\n"
    );
    let result = run_yaml(&yaml);
    assert_eq!(result.status, Status::Fail, "{result:#?}");
    let got: Vec<String> = result.mismatches.iter().map(ToString::to_string).collect();
    assert!(got.contains(&mismatch.to_string()), "{got:#?}");
}

#[test]
fn informational_cases_record_but_never_fail() {
    let yaml = r#"
cases:
  - id: info.only
    summary: s
    contract: [RES-7]
    level: informational
    origins: { api: { stubs: [{ response: { status: 200, body: ok } }] } }
    call: { url: "{{origin.api}}/" }
    expect: { client: { settled: rejected } }
"#;
    let result = run_yaml(yaml);
    assert_eq!(result.status, Status::Pass);
    assert_eq!(result.mismatches.len(), 1);
}

/// Every fault the raw-socket origin makes ends the call in a rejection, never a hang, and the
/// request is recorded first.
#[rstest]
#[case::reset("CONNECTION_RESET_BY_PEER")]
#[case::closed("EMPTY_RESPONSE")]
#[case::garbage("RANDOM_DATA_THEN_CLOSE")]
#[case::truncated("TRUNCATED_BODY")]
fn fault_sockets_fail_the_call(#[case] fault: &str) {
    let yaml = format!(
        r#"
cases:
  - id: fault.check
    summary: s
    contract: [FAIL-1]
    level: required
    origins: {{ api: {{ stubs: [{{ response: {{ fault: {fault} }} }}] }} }}
    call: {{ url: "{{{{origin.api}}}}/f", dataType: text, retryTimes: 0 }}
    expect:
      wire: {{ api: {{ count: 1, requests: [{{ method: GET, path: /f }}] }} }}
      client: {{ settled: rejected, callbacks: [fail, complete], elapsedMs: {{ max: 1900 }} }}
"#
    );
    let result = run_yaml(&yaml);
    assert_eq!(result.status, Status::Pass, "{:#?}", result.mismatches);
}

#[test]
fn refused_origin_records_nothing_and_fails_fast() {
    let yaml = r#"
cases:
  - id: refused.check
    summary: s
    contract: [FAIL-1]
    level: required
    origins: { down: { refuseConnections: true } }
    call: { url: "{{origin.down}}/" }
    expect:
      wire: { down: { count: 0 } }
      client: { settled: rejected, elapsedMs: { max: 1000 } }
"#;
    assert_eq!(run_yaml(yaml).status, Status::Pass);
}

#[test]
fn sequences_answer_each_attempt_in_turn() {
    let yaml = r#"
cases:
  - id: sequence.check
    summary: s
    contract: [RES-2]
    level: required
    origins:
      api: { stubs: [{ responses: [{ status: 500 }, { status: 201 }] }] }
    call: { url: "{{origin.api}}/" }
    expect: { client: { value: { statusCode: 500 } } }
"#;
    assert_eq!(run_yaml(yaml).status, Status::Pass);
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = common::binary()
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
        stdout.contains("expected resolved at client.settled, got rejected [FAIL-1]"),
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

#[test]
fn cli_lint_covers_every_clause() {
    let (code, stdout, stderr) = cli(&["lint"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("45/45 clauses covered (100%)"), "{stdout}");
}

#[test]
fn lint_fails_when_a_clause_loses_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("one.yaml"), GOOD).unwrap();
    let contract = dir.path().join("clauses.yaml");
    std::fs::write(
        &contract,
        "clauses:\n  - { id: METHOD-1, level: required, title: t }\n  - { id: METHOD-2, level: required, title: t }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = cli(&[
        "lint",
        "--specs",
        dir.path().to_str().unwrap(),
        "--contract",
        contract.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("clause `METHOD-2` is cited by no case"),
        "{stderr}"
    );
    assert!(stdout.contains("1/2 clauses covered (50%)"), "{stdout}");
}

/// `lint --logs`: a failing case whose only mismatch lies at a path the real contract gives to
/// clauses it does not cite is reported at its line, and the exit code says so; citing an
/// owner makes it clean.
#[test]
fn lint_logs_finds_a_case_blaming_a_clause_it_does_not_cite() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.jsonl");
    let write = |cites: &str| {
        let header = r#"{"type":"header","adapter":{"name":"x","version":"1","platform":"h5","runtime":"r","capabilities":[]},"suite":{"cases":1,"spec_hash":"h"},"started":"2026-01-01T00:00:00Z"}"#;
        let case = format!(
            r#"{{"type":"case","id":"response.status.404-is-success","status":"fail","level":"recommended","contract":[{cites}],"elapsed_ms":1,"observation":null,"mismatches":[{{"path":"client.value.data","expected":"\"missing\"","got":"null","contract":[{cites}]}}]}}"#
        );
        std::fs::write(&log, format!("{header}\n{case}\n")).unwrap();
    };
    write(r#""RES-2""#);
    let (code, stdout, stderr) = cli(&["lint", "--logs", log.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let want = format!(
        "error: {}:2: `response.status.404-is-success` on x@1 cites RES-2 but fails only where other clauses own: client.value.data (RES-3, RES-4,",
        log.display()
    );
    assert!(stderr.contains(&want), "{stderr}");
    assert!(
        stdout.contains("1 run log(s): 1 case(s) failing only where"),
        "{stdout}"
    );
    write(r#""RES-2","RES-4""#);
    let (code, stdout, stderr) = cli(&["lint", "--logs", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 run log(s): 0 case(s)"), "{stdout}");
    let (code, _, stderr) = cli(&["lint", "--logs", "no/such.jsonl"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no/such.jsonl: cannot read"), "{stderr}");
}

/// The real suite without the cases of one clause: lint must fail and name that clause.
#[test]
fn lint_fails_when_the_store_cases_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let specs = root().join("specs");
    for entry in walkdir::WalkDir::new(&specs).into_iter().flatten() {
        let rel = entry.path().strip_prefix(&specs).unwrap();
        let target = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if rel != Path::new("h5/store.yaml") {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let (code, stdout, stderr) = cli(&["lint", "--specs", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("clause `H5-STORE-1` is cited by no case"),
        "{stderr}"
    );
    assert!(stdout.contains("44/45 clauses covered"), "{stdout}");
}

#[test]
fn lint_fails_on_a_required_case_that_cannot_fail() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("one.yaml"), GOOD).unwrap();
    let (code, _, stderr) = cli(&["lint", "--specs", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("case `good.one` is required but expects nothing that could fail"),
        "{stderr}"
    );
}

/// Lint with the real specs and an edited copy of one of the two contract files.
fn lint_with_edited_contract(yaml: bool, edit: impl FnOnce(String) -> String) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let (flag, file) = if yaml {
        ("--contract", "specs/contract.yaml")
    } else {
        ("--contract-doc", "docs/contract.md")
    };
    let edited = dir.path().join(Path::new(file).file_name().unwrap());
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    std::fs::write(&edited, edit(text)).unwrap();
    let (code, stdout, stderr) = cli(&["lint", flag, edited.to_str().unwrap()]);
    (code, format!("{stdout}{stderr}"))
}

#[test]
fn lint_fails_on_a_clause_the_contract_text_states_but_the_list_lacks() {
    let (code, out) = lint_with_edited_contract(false, |text| {
        text + "\n### CALL-9 (required)\n\nA clause written here only.\n"
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("contract.md:") && out.contains("clause `CALL-9` is not in"),
        "{out}"
    );
}

#[test]
fn lint_fails_on_a_listed_clause_the_contract_text_does_not_state() {
    let (code, out) = lint_with_edited_contract(true, |text| {
        text.replace(
            "clauses:\n",
            "clauses:\n  - { id: CALL-9, level: required, title: \"listed here only\" }\n",
        )
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("clause `CALL-9` has no `### CALL-9 (required)` section"),
        "{out}"
    );
}

#[test]
fn lint_fails_when_the_two_contract_files_disagree_on_a_level() {
    let (code, out) = lint_with_edited_contract(false, |text| {
        text.replace("### METHOD-3 (informational)", "### METHOD-3 (required)")
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("clause `METHOD-3` is required here but informational in"),
        "{out}"
    );
}

#[test]
fn lint_refuses_a_clause_heading_it_cannot_read() {
    let (code, out) = lint_with_edited_contract(false, |text| {
        text.replace("### METHOD-3 (informational)", "### METHOD-3 informational")
    });
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("must name one clause as `### ID (level)`"),
        "{out}"
    );
}

#[test]
fn docs_prints_every_option_with_the_cases_that_check_it() {
    let (code, stdout, stderr) = cli(&["docs"]);
    assert_eq!(code, 0, "{stderr}");
    for option in [
        "url",
        "data",
        "method",
        "jsonp",
        "mode",
        "timeout",
        "retryTimes",
        "storeCheck",
    ] {
        assert!(
            stdout.contains(&format!("| `{option}` |")),
            "no row for {option}:\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("**no case**"),
        "an option no case checks:\n{stdout}"
    );
    // The English page shows the timeout's description on `mode`'s row; ours does not.
    let mode = stdout
        .lines()
        .find(|l| l.starts_with("| `mode` |"))
        .unwrap();
    assert!(
        mode.contains("`same-origin`") && mode.contains("cross-origin"),
        "{mode}"
    );
    assert!(!mode.contains("timeout"), "{mode}");
}

#[test]
fn committed_protocol_schemas_are_current() {
    for (file, text) in taro_conformance::adapter::protocol::schemas() {
        let path = root().join("docs/protocol").join(file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is stale: run `cargo run -- schema --protocol docs/protocol` and commit it",
            path.display()
        );
    }
}
