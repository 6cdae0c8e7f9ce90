//! The expectation language as spec authors meet it: a bad matcher is a load error at its own
//! line, and lint still refuses a case whose expectations cannot fail.

use std::path::Path;

use rstest::rstest;
use serde_json::Value;
use taro_conformance::check::lint::lint;
use taro_conformance::expect::Matcher;
use taro_conformance::spec::contract::{Contract, ContractDoc};
use taro_conformance::spec::{self, Suite};

/// A spec file with one case whose `expect` is `expect` (indented to sit under the case).
fn spec_file(expect: &str) -> String {
    format!(
        "cases:\n  - id: a.b\n    summary: s\n    contract: [METHOD-1]\n    level: required\n    origins: {{ api: {{ stubs: [{{ response: {{ status: 200 }} }}] }} }}\n    call: {{ url: \"{{{{origin.api}}}}/x\" }}\n    expect:\n{expect}"
    )
}

/// Writes `text` as `name` into a fresh directory and loads that directory.
fn load(name: &str, text: &str) -> (tempfile::TempDir, Suite) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let suite = spec::load_dir(dir.path());
    (dir, suite)
}

#[rstest]
#[case::bad_regex(
    "      client:\n        value:\n          errMsg: { $regex: \"(\" }\n",
    11,
    "expect.client.value.errMsg: `$regex` is not a valid regular expression: unclosed group"
)]
#[case::unknown_type(
    "      client:\n        settled: resolved\n        value: { data: { $type: widget } }\n",
    11,
    "expect.client.value.data: unknown `$type` `widget` (known: string, number, boolean, null, object, array, arraybuffer, bytes, undefined, error, headers, function)"
)]
#[case::unknown_operator(
    "      wire:\n        api:\n          requests:\n            - headers:\n                x-a: { $startWith: a }\n",
    13,
    "headers.x-a: unknown matcher `$startWith`, did you mean `$startsWith`? (known: $eq, $type,"
)]
#[case::misspelt_operator_in_a_value(
    "      client:\n        value:\n          errMsg: {$startWith: \"request:fail\"}\n",
    11,
    "expect.client.value.errMsg: unknown matcher `$startWith`, did you mean `$startsWith`? (known: $eq, $type,"
)]
#[case::misspelt_operator_in_a_callback_arg(
    "      client:\n        callbackArgs:\n          fail: { errMsg: { $startWith: \"request:fail\" } }\n",
    11,
    "expect.client.callbackArgs.fail.errMsg: unknown matcher `$startWith`, did you mean `$startsWith`?"
)]
#[case::misspelt_operator_in_a_body(
    "      wire: { api: { requests: [{ body: { $jsn: {} } }] } }\n",
    9,
    "body: unknown matcher `$jsn`, did you mean `$json`?"
)]
#[case::misspelt_type(
    "      client: { value: { data: { $type: arraybufer } } }\n",
    9,
    "expect.client.value.data: unknown `$type` `arraybufer`, did you mean `arraybuffer`?"
)]
#[case::fields_of_a_string(
    "      client: { value: { data: { $type: string, length: 2 } } }\n",
    9,
    "expect.client.value.data: plain key `length` beside `$type: string` names no field: a value of type string has none"
)]
#[case::wrong_kind_in_a_callback_arg(
    "      client:\n        callbackArgs:\n          fail: { errMsg: { $length: many } }\n",
    11,
    "expect.client.callbackArgs.fail.errMsg: `$length` takes a non-negative integer"
)]
#[case::plain_key_without_type(
    "      client: { value: { $present: true, data: 1 } }\n",
    9,
    "expect.client.value: plain key `data` beside matchers needs a `$type`"
)]
fn bad_matchers_are_load_errors_at_their_line(
    #[case] expect: &str,
    #[case] line: u64,
    #[case] words: &str,
) {
    let (_dir, suite) = load("bad.yaml", &spec_file(expect));
    assert!(suite.cases.is_empty());
    assert_eq!(suite.errors.len(), 1, "{:?}", suite.errors);
    let error = &suite.errors[0];
    assert!(error.file.ends_with("bad.yaml"), "{error}");
    assert_eq!(error.line, Some(line), "{error}");
    assert!(error.column.is_some(), "{error}");
    let text = error.to_string();
    assert!(text.contains(&format!("bad.yaml:{line}:")), "{text}");
    assert!(text.contains(&format!(": case `a.b`: {words}")), "{text}");
}

/// A file of two cases that does not load names the case the error is in; an error outside
/// the cases names none.
#[rstest]
#[case::first_case(0, "case `a.one`: unknown field `sumary`")]
#[case::second_case(1, "case `a.two`: unknown field `sumary`")]
#[case::top_level(2, ": unknown field `extra`")]
fn load_errors_name_their_case(#[case] broken: usize, #[case] words: &str) {
    let mut cases: Vec<String> = ["a.one", "a.two"]
        .iter()
        .map(|id| format!("  - id: {id}\n    summary: s\n    contract: [METHOD-1]\n    level: required\n    call: {{ url: \"http://127.0.0.1:9/\" }}\n    expect: {{ client: {{ settled: rejected }} }}\n"))
        .collect();
    let mut text = format!("cases:\n{}", cases.concat());
    if broken < 2 {
        cases[broken] = cases[broken].replace("summary", "sumary");
        text = format!("cases:\n{}", cases.concat());
    } else {
        text.push_str("extra: 1\n");
    }
    let (_dir, suite) = load("bad.yaml", &text);
    assert_eq!(suite.errors.len(), 1, "{:?}", suite.errors);
    let message = suite.errors[0].to_string();
    assert!(message.contains(words), "{message}");
    assert_eq!(broken < 2, message.contains("case `"), "{message}");
}

/// `$contains` on a string asks for a substring: judged, never a panic.
#[rstest]
#[case::substring("request:fail", true)]
#[case::not_a_substring("request:ok", false)]
fn contains_on_a_string_is_a_substring(#[case] part: &str, #[case] holds: bool) {
    let matcher = Matcher::parse(&serde_json::json!({"errMsg": {"$contains": part}}), "v").unwrap();
    let mut found = Vec::new();
    let observed = serde_json::json!({"errMsg": "x request:fail y"});
    matcher.check(Some(&observed), "client.value", &mut found);
    assert_eq!(found.is_empty(), holds, "{found:?}");
    if !holds {
        assert_eq!(found[0].path, "client.value.errMsg");
        assert_eq!(found[0].expected, format!("a string containing \"{part}\""));
    }
}

#[test]
fn query_null_still_means_no_question_mark() {
    let expect = "      wire: { api: { requests: [{ query: null }, { path: /x }] } }\n";
    let (_dir, suite) = load("ok.yaml", &spec_file(expect));
    assert!(suite.errors.is_empty(), "{:?}", suite.errors);
    let requests = &suite.cases[0].case.expect.wire["api"].requests;
    assert!(matches!(
        requests[0].query,
        Some(Matcher::Scalar(Value::Null))
    ));
    assert!(requests[1].query.is_none());
}

#[test]
fn a_case_serializes_its_expectations_as_written() {
    let expect = "      client: { value: { errMsg: { $startsWith: x }, $type: error }, trace: [a, { $regex: b }] }\n";
    let (_dir, suite) = load("ok.yaml", &spec_file(expect));
    let client = serde_json::to_value(&suite.cases[0].case.expect.client).unwrap();
    assert_eq!(
        client["value"].to_string(),
        r#"{"errMsg":{"$startsWith":"x"},"$type":"error"}"#
    );
    assert_eq!(client["trace"].to_string(), r#"["a",{"$regex":"b"}]"#);
}

/// Lint's problems for one spec file of a required case citing METHOD-1.
fn lint_problems(expect: &str) -> Vec<String> {
    let (dir, suite) = load("one.yaml", &spec_file(expect));
    assert!(suite.errors.is_empty(), "{:?}", suite.errors);
    let clauses = dir.path().join("clauses.yaml");
    std::fs::write(
        &clauses,
        "clauses:\n  - { id: METHOD-1, level: required, title: t }\n",
    )
    .unwrap();
    let contract = Contract::load(Path::new(&clauses)).unwrap();
    let doc = ContractDoc::parse("### METHOD-1 (required)\n", Path::new("contract.md")).unwrap();
    lint(&suite, &contract, &doc)
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[rstest]
#[case::nothing("      {}\n")]
#[case::every_field_empty(
    "      wire: { api: { requests: [] } }\n      client: { callbackArgs: {}, value: null, trace: ~ }\n"
)]
fn lint_refuses_expectations_that_cannot_fail(#[case] expect: &str) {
    let problems = lint_problems(expect);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("case `a.b` is required but expects nothing that could fail")),
        "{problems:?}"
    );
}

#[rstest]
#[case::an_empty_request("      wire: { api: { requests: [{}] } }\n")]
#[case::a_callback_arg("      client: { callbackArgs: { success: {} } }\n")]
#[case::a_value("      client: { value: { $absent: true } }\n")]
fn lint_accepts_expectations_that_can_fail(#[case] expect: &str) {
    assert_eq!(lint_problems(expect), Vec::<String>::new());
}
