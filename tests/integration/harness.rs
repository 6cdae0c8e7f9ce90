//! Tests of the harness itself, in process: the spec loader's errors, the committed schemas,
//! verdicts on deliberately wrong expectations, and the fault sockets.

use std::path::{Path, PathBuf};

use rstest::rstest;
use taro_conformance::CaseResult;
use taro_conformance::adapter::reference::ReferenceAdapter;
use taro_conformance::run::cases::{RunOptions, run_case};
use taro_conformance::spec::{self, load_str};
use taro_conformance::verdict::Status;

use crate::common;

use common::{GOOD, root};

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
#[case::interceptors_not_required(
    "laterInterceptors: [{ record: x }]\n    call: { url: \"http://127.0.0.1:9/\" }",
    "must add `interceptors` to `requires`"
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
