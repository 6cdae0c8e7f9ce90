//! Every expectation field accepting the observation below and refusing it, with the mismatch
//! at its path.

use std::path::Path;

use rstest::rstest;
use serde_json::json;

use super::*;
use crate::observe::{CallbackCall, ClientObservation, OriginTraffic};
use crate::spec::{Settled, load_str};

/// The case with this `expect` (YAML, indented under the case), citing DATA-1.
fn case(expect: &str) -> Case {
    let yaml = format!(
        "cases:\n  - id: a.b\n    summary: s\n    contract: [DATA-1, DATA-2]\n    level: required\n    origins: {{ api: {{ stubs: [{{ response: {{ status: 200 }} }}] }}, cdn: {{ refuseConnections: true }} }}\n    call: {{ url: \"{{{{origin.api}}}}/x\" }}\n    expect:\n{expect}\n"
    );
    let mut cases = load_str(Path::new("t.yaml"), &yaml).expect("a valid case");
    cases.remove(0).case
}

fn request(method: &str, path: &str, query: Option<&str>, body: Value) -> WireRequest {
    WireRequest {
        method: method.into(),
        path: path.into(),
        query: query.map(String::from),
        headers: [("content-type", "text/plain"), ("x-token", "t1")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body,
    }
}

/// Two requests reached `api` (none `cdn`); the call resolved after 100 ms with success then
/// complete.
fn observation() -> Observation {
    let value = json!({
        "statusCode": 200,
        "data": "ok",
        "header": {"content-type": "text/plain"},
        "errMsg": "request:ok"
    });
    let mut client = ClientObservation::new(Settled::Resolved, Some(value.clone()), 100);
    client.callbacks = vec![
        CallbackCall {
            name: "success".into(),
            arg: json!({"statusCode": 200, "data": "ok"}),
        },
        CallbackCall {
            name: "complete".into(),
            arg: json!({"statusCode": 200, "data": "done"}),
        },
    ];
    client.task_methods = Some(vec!["abort".into(), "then".into()]);
    client.trace = Some(vec!["outer:in".into(), "outer:out".into()]);
    let requests = vec![
        request("GET", "/x", Some("a=%27b%27"), json!("")),
        request("POST", "/y", None, json!("{\"a\":1}")),
    ];
    let traffic = OriginTraffic {
        count: requests.len(),
        requests,
    };
    Observation {
        wire: [("api".to_string(), traffic)].into_iter().collect(),
        client,
    }
}

fn mismatches(expect: &str, observation: &Observation) -> Vec<String> {
    judge(&case(expect), observation)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Each field, written to hold for [`observation`], then to fail it: the one mismatch it gives.
#[rstest]
#[case::count("wire: { api: { count: 2 } }", "")]
#[case::count_wrong(
    "wire: { api: { count: 1 } }",
    "expected 1 request(s) at wire.api.count, got 2"
)]
#[case::count_of_a_silent_origin("wire: { cdn: { count: 0 } }", "")]
#[case::count_of_a_silent_origin_wrong(
    "wire: { cdn: { count: 1 } }",
    "expected 1 request(s) at wire.cdn.count, got 0"
)]
#[case::requests_fewer("wire: { api: { requests: [{}] } }", "")]
#[case::requests_more(
    "wire: { api: { requests: [{}, {}, {}] } }",
    "expected a request at wire.api.requests[2], got only 2 request(s)"
)]
#[case::requests_from_a_silent_origin(
    "wire: { cdn: { requests: [{}] } }",
    "expected a request at wire.cdn.requests[0], got only 0 request(s)"
)]
#[case::method("wire: { api: { requests: [{ method: GET }, { method: POST }] } }", "")]
#[case::method_wrong(
    "wire: { api: { requests: [{}, { method: PUT }] } }",
    r#"expected "PUT" at wire.api.requests[1].method, got "POST""#
)]
#[case::method_case(
    "wire: { api: { requests: [{ method: get }] } }",
    r#"expected "get" at wire.api.requests[0].method, got "GET""#
)]
#[case::path("wire: { api: { requests: [{ path: /x }, { path: /y }] } }", "")]
#[case::path_wrong(
    "wire: { api: { requests: [{ path: /y }] } }",
    r#"expected "/y" at wire.api.requests[0].path, got "/x""#
)]
#[case::query_normalized("wire: { api: { requests: [{ query: \"a='b'\" }] } }", "")]
#[case::query_wrong(
    "wire: { api: { requests: [{ query: a=b }] } }",
    r#"expected "a=b" at wire.api.requests[0].query, got "a=%27b%27""#
)]
#[case::query_none_sent(
    "wire: { api: { requests: [{}, { query: a=1 }] } }",
    r#"expected "a=1" at wire.api.requests[1].query, got nothing"#
)]
#[case::query_null("wire: { api: { requests: [{}, { query: null }] } }", "")]
#[case::query_null_but_sent(
    "wire: { api: { requests: [{ query: null }] } }",
    r#"expected no `?` in the URL at wire.api.requests[0].query, got "a=%27b%27""#
)]
#[case::query_matcher(
    "wire: { api: { requests: [{ query: { $startsWith: \"a=\" } }] } }",
    ""
)]
#[case::query_matcher_wrong(
    "wire: { api: { requests: [{ query: { $startsWith: \"b=\" } }] } }",
    r#"expected a string starting with "b=" at wire.api.requests[0].query, got "a=%27b%27""#
)]
#[case::query_matcher_none_sent(
    "wire: { api: { requests: [{}, { query: { $absent: true } }] } }",
    ""
)]
#[case::header(
    "wire: { api: { requests: [{ headers: { X-Token: t1, content-type: text/plain } }] } }",
    ""
)]
#[case::header_wrong(
    "wire: { api: { requests: [{ headers: { X-Token: t2 } }] } }",
    r#"expected "t2" at wire.api.requests[0].headers.x-token, got "t1""#
)]
#[case::header_absent(
    "wire: { api: { requests: [{ headers: { cookie: { $absent: true } } }] } }",
    ""
)]
#[case::header_absent_but_sent(
    "wire: { api: { requests: [{ headers: { Content-Type: { $absent: true } } }] } }",
    r#"expected nothing (absent) at wire.api.requests[0].headers.content-type, got "text/plain""#
)]
#[case::header_missing(
    "wire: { api: { requests: [{ headers: { cookie: a } }] } }",
    r#"expected "a" at wire.api.requests[0].headers.cookie, got nothing"#
)]
#[case::body(
    "wire: { api: { requests: [{ body: \"\" }, { body: { $json: { a: 1 } } }] } }",
    ""
)]
#[case::body_wrong(
    "wire: { api: { requests: [{}, { body: { $json: { a: 2 } } }] } }",
    r#"expected the JSON text of {"a":2} at wire.api.requests[1].body, got "{\"a\":1}""#
)]
#[case::settled("client: { settled: resolved }", "")]
#[case::settled_wrong(
    "client: { settled: rejected }",
    "expected rejected at client.settled, got resolved"
)]
#[case::value(
    "client: { value: { statusCode: 200, errMsg: { $startsWith: \"request:\" } } }",
    ""
)]
#[case::value_status(
    "client: { value: { statusCode: 201 } }",
    "expected 201 at client.value.statusCode, got 200"
)]
#[case::value_data("client: { value: { data: { $eq: ok } } }", "")]
#[case::value_data_wrong(
    "client: { value: { data: { $length: 3 } } }",
    r#"expected length 3 at client.value.data, got "ok""#
)]
#[case::value_header(
    "client: { value: { header: { content-type: { $startsWith: text/ } } } }",
    ""
)]
#[case::value_header_wrong(
    "client: { value: { header: { content-type: { $contains: json } } } }",
    r#"expected a string containing "json" at client.value.header.content-type, got "text/plain""#
)]
#[case::value_header_missing(
    "client: { value: { header: { x-token: t1 } } }",
    r#"expected "t1" at client.value.header.x-token, got nothing"#
)]
#[case::value_not_an_array("client: { value: [] }", r#"expected an array of 0 at client.value, got {"statusCode":200,"data":"ok","header":{"content-type":"text/plain"},"errMsg":"request:ok"}"#)]
#[case::value_err_msg(
    "client: { value: { errMsg: { $startsWith: \"request:fail\" } } }",
    r#"expected a string starting with "request:fail" at client.value.errMsg, got "request:ok""#
)]
#[case::callbacks("client: { callbacks: [success, complete] }", "")]
#[case::callbacks_order(
    "client: { callbacks: [complete, success] }",
    "expected [complete, success] at client.callbacks, got [success, complete]"
)]
#[case::callbacks_fewer(
    "client: { callbacks: [success] }",
    "expected [success] at client.callbacks, got [success, complete]"
)]
#[case::callbacks_none(
    "client: { callbacks: [] }",
    "expected [] at client.callbacks, got [success, complete]"
)]
#[case::success_arg("client: { callbackArgs: { success: { data: ok } } }", "")]
#[case::success_arg_wrong(
    "client: { callbackArgs: { success: { data: done } } }",
    r#"expected "done" at client.callbacks.success.data, got "ok""#
)]
#[case::complete_arg("client: { callbackArgs: { complete: { data: done } } }", "")]
#[case::complete_arg_wrong(
    "client: { callbackArgs: { complete: { data: ok } } }",
    r#"expected "ok" at client.callbacks.complete.data, got "done""#
)]
#[case::fail_arg_absent("client: { callbackArgs: { fail: { $absent: true } } }", "")]
#[case::fail_arg_missing(
    "client: { callbackArgs: { fail: { errMsg: { $startsWith: \"request:fail\" } } } }",
    "expected an object at client.callbacks.fail, got nothing"
)]
#[case::trace("client: { trace: [outer:in, outer:out] }", "")]
#[case::trace_wrong(
    "client: { trace: [outer:in, outer:in] }",
    r#"expected "outer:in" at client.trace[1], got "outer:out""#
)]
#[case::task_methods("client: { taskMethods: { $contains: abort } }", "")]
#[case::task_methods_wrong("client: { taskMethods: { $contains: onHeadersReceived } }", r#"expected an array containing "onHeadersReceived" at client.taskMethods, got ["abort","then"]"#)]
#[case::elapsed_within("client: { elapsedMs: { min: 50, max: 150 } }", "")]
#[case::elapsed_at_min("client: { elapsedMs: { min: 100 } }", "")]
#[case::elapsed_at_max("client: { elapsedMs: { max: 100 } }", "")]
#[case::elapsed_below_min(
    "client: { elapsedMs: { min: 101 } }",
    "expected between 101 and … ms at client.elapsedMs, got 100 ms"
)]
#[case::elapsed_above_max(
    "client: { elapsedMs: { max: 99 } }",
    "expected between … and 99 ms at client.elapsedMs, got 100 ms"
)]
#[case::elapsed_outside_both(
    "client: { elapsedMs: { min: 200, max: 300 } }",
    "expected between 200 and 300 ms at client.elapsedMs, got 100 ms"
)]
#[case::elapsed_open("client: { elapsedMs: {} }", "")]
fn each_field_accepts_and_refuses(#[case] expect: &str, #[case] mismatch: &str) {
    let want: Vec<String> = if mismatch.is_empty() {
        vec![]
    } else {
        vec![format!("{mismatch} [DATA-1, DATA-2]")]
    };
    assert_eq!(mismatches(&format!("      {expect}"), &observation()), want);
}

#[rstest]
#[case::same_queries_as_same(false, ["a=1", "a=1"], "")]
#[case::same_queries_as_distinct(true, ["a=1", "a=1"], r#"expected every query different at wire.api.distinctQueries, got ["a=1","a=1"]"#)]
#[case::distinct_queries_as_distinct(true, ["a=1", "a=2"], "")]
#[case::distinct_queries_as_same(false, ["a=1", "a=2"], r#"expected every query the same at wire.api.distinctQueries, got ["a=1","a=2"]"#)]
fn distinct_queries(#[case] distinct: bool, #[case] queries: [&str; 2], #[case] mismatch: &str) {
    let mut seen = observation();
    let requests = &mut seen.wire.get_mut("api").unwrap().requests;
    for (request, query) in requests.iter_mut().zip(queries) {
        request.query = Some(query.into());
    }
    let found = mismatches(
        &format!("      wire: {{ api: {{ distinctQueries: {distinct} }} }}"),
        &seen,
    );
    let want: Vec<String> = [mismatch]
        .iter()
        .filter(|m| !m.is_empty())
        .map(|m| format!("{m} [DATA-1, DATA-2]"))
        .collect();
    assert_eq!(found, want);
}

/// A request without a query and one with an empty query differ; so do three requests of which
/// only two share a query.
#[rstest]
#[case::none_and_empty(&[None, Some("")], true, true)]
#[case::two_of_three_alike(&[Some("a"), Some("b"), Some("a")], true, false)]
#[case::two_of_three_alike_as_same(&[Some("a"), Some("b"), Some("a")], false, false)]
#[case::one_request(&[Some("a")], true, true)]
#[case::one_request_as_same(&[Some("a")], false, true)]
#[case::none_as_same(&[], false, true)]
fn distinct_queries_count_each_request(
    #[case] queries: &[Option<&str>],
    #[case] distinct: bool,
    #[case] holds: bool,
) {
    let mut seen = observation();
    seen.wire.get_mut("api").unwrap().requests = queries
        .iter()
        .map(|q| request("GET", "/", *q, json!("")))
        .collect();
    let found = mismatches(
        &format!("      wire: {{ api: {{ distinctQueries: {distinct} }} }}"),
        &seen,
    );
    assert_eq!(found.is_empty(), holds, "{found:?}");
}

/// Each callback's argument is its own: with `fail` called instead of `success`, the expectation
/// on `success` finds nothing, and a callback called twice is a mismatch even when its first
/// argument is as expected.
#[test]
fn callback_args_read_the_named_callback_only_once() {
    let mut seen = observation();
    seen.client.callbacks[0].name = "fail".into();
    assert_eq!(
        mismatches(
            "      client: { callbackArgs: { success: { data: ok } } }",
            &seen
        ),
        ["expected an object at client.callbacks.success, got nothing [DATA-1, DATA-2]"]
    );
    let mut seen = observation();
    let again = CallbackCall {
        name: "success".into(),
        arg: json!({"statusCode": 500, "data": "other"}),
    };
    seen.client.callbacks.push(again.clone());
    assert_eq!(
        mismatches(
            "      client: { callbackArgs: { success: { data: ok } } }",
            &seen
        ),
        ["expected one call at client.callbacks.success, got 2 calls [DATA-1, DATA-2]"]
    );
    seen.client.callbacks.push(again);
    assert_eq!(
        mismatches(
            "      client: { callbackArgs: { success: { data: ok } } }",
            &seen
        ),
        ["expected one call at client.callbacks.success, got 3 calls [DATA-1, DATA-2]"]
    );
    // `complete` was called once: its expectation is not troubled by the doubled `success`.
    assert_eq!(
        mismatches(
            "      client: { callbackArgs: { complete: { data: done } } }",
            &seen
        ),
        Vec::<String>::new()
    );
}

/// Expectations on several fields report every failure, wire before client, in field order.
#[test]
fn every_failure_is_reported_in_order() {
    let expect = "      wire: { api: { count: 3, requests: [{ method: PUT, path: /z }] } }\n      client: { settled: rejected, value: { statusCode: 500 }, callbacks: [fail], elapsedMs: { max: 1 } }";
    let paths: Vec<String> = judge(&case(expect), &observation())
        .into_iter()
        .map(|m| m.path)
        .collect();
    assert_eq!(
        paths,
        [
            "wire.api.count",
            "wire.api.requests[0].method",
            "wire.api.requests[0].path",
            "client.settled",
            "client.value.statusCode",
            "client.callbacks",
            "client.elapsedMs"
        ]
    );
}

#[test]
fn mismatches_carry_the_case_clauses() {
    let found = judge(&case("      client: { settled: rejected }"), &observation());
    assert_eq!(found[0].contract, ["DATA-1", "DATA-2"]);
}

#[rstest]
#[case::pass_required(Level::Required, false, Status::Pass)]
#[case::fail_required(Level::Required, true, Status::Fail)]
#[case::fail_recommended(Level::Recommended, true, Status::Fail)]
#[case::informational_never_fails(Level::Informational, true, Status::Pass)]
fn statuses(#[case] level: Level, #[case] mismatched: bool, #[case] status: Status) {
    let mismatch = Mismatch {
        path: "client.settled".into(),
        expected: "rejected".into(),
        got: "resolved".into(),
        contract: vec![],
    };
    let found = if mismatched { vec![mismatch] } else { vec![] };
    assert_eq!(status_for(level, &found), status);
}

#[test]
fn status_names_and_expectedness() {
    let names: Vec<String> = Status::ALL.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "pass",
            "fail",
            "not-applicable",
            "skipped",
            "error",
            "crash",
            "timeout"
        ]
    );
    let as_expected: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| s.is_as_expected())
        .collect();
    assert_eq!(as_expected, [Status::Pass, Status::NotApplicable]);
}

#[rstest]
#[case::elapsed(
    "client.elapsedMs",
    "123 ms",
    "expected between … and 99 ms at client.elapsedMs, got [elapsed] [DATA-1]"
)]
#[case::other(
    "client.settled",
    "resolved",
    "expected between … and 99 ms at client.settled, got resolved [DATA-1]"
)]
fn stable_text_hides_only_the_elapsed_time(
    #[case] path: &str,
    #[case] got: &str,
    #[case] text: &str,
) {
    let mismatch = Mismatch {
        path: path.into(),
        expected: "between … and 99 ms".into(),
        got: got.into(),
        contract: vec!["DATA-1".into()],
    };
    assert_eq!(mismatch.stable_text(), text);
    assert_eq!(mismatch.got, got);
}

#[rstest]
#[case::quote("a='b'", "a=%27b%27")]
#[case::space("a=b c", "a=b%20c")]
#[case::kept("a=%20&b", "a=%20&b")]
#[case::empty("", "")]
fn queries_normalize_as_urls_do(#[case] query: &str, #[case] normal: &str) {
    assert_eq!(normalize_query(query), normal);
}

/// A string of base64 text where bytes are expected: both sides print the same text, so the
/// expectation names the types; the observed words, which the fingerprint reads, are unchanged.
#[test]
fn a_mismatch_whose_sides_print_alike_names_their_types() {
    let mut seen = observation();
    seen.client.value = Some(json!({"statusCode": 200, "data": "eyJhIjoxfQ=="}));
    let found = judge(
        &case("      client: { value: { data: { $base64: \"eyJhIjoxfQ==\" } } }"),
        &seen,
    );
    assert_eq!(
        found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "expected the bytes (base64) \"eyJhIjoxfQ==\" (bytes, not a string) at client.value.data, got \"eyJhIjoxfQ==\" [DATA-1, DATA-2]"
        ]
    );
    assert_eq!(found[0].stable_got(), "\"eyJhIjoxfQ==\"");
}
