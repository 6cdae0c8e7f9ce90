//! Hostile input costs only itself: each numbered defect of the robustness probe, reproduced
//! through the command line, with the harness now refusing the input where it is written (or
//! containing it to the one case it concerns) while everything else still runs. This file holds
//! the defects of what is written (specs, filters); those of runs, logs and adapters are in
//! `tests/integration/robustness_runs.rs`.
//!
//! | defect | where it is shown |
//! |---|---|
//! | 1 huge `generatedBody`, 5 replies HTTP cannot carry, 8 endless deadline | `defect_1_…`, `defect_5_…`, `defect_8_…` here |
//! | 2 one bad line fails every case in flight | `tests/integration/misbehaving_adapters.rs`: `a_fault_blamed_on_one_case_costs_that_case_only`, `a_fault_no_case_can_be_blamed_for_…` |
//! | 3 unbounded adapter output | `tests/integration/misbehaving_adapters.rs`: `a_flood_of_stderr_is_kept_to_a_bounded_tail_per_case`, `…line_too_long`; memory: `taro-conformance bench` |
//! | 4 a non-UTF-8 byte on stderr kills the adapter | `tests/integration/misbehaving_adapters.rs`: `a_byte_that_is_not_utf8_on_stderr_costs_nothing_and_is_kept` |
//! | 6 absurd `concurrency` in `ready` | `tests/integration/misbehaving_adapters.rs`: `a_ready_line_that_is_wrong_names_its_field` |
//! | 7 log written a token at a time, 9 orphaned adapters, 14 late baseline errors | `defect_7_…`, `defect_9_…`, `defect_14_…` in `tests/integration/robustness_runs.rs` |
//! | 10 glob panics, 11 unclear spec errors, 12 duplicate ids, 13 malformed placeholders | `defect_10_…` to `defect_13_…` here |
//! | 15 minor messages | `defect_15_…` here (spec files, lint) and in `tests/integration/robustness_runs.rs` (adapters, `repro`, `report`) |
//!
//! The second probe's defects:
//!
//! | defect | where it is shown |
//! |---|---|
//! | 1 an adapter's or a log's own name chooses the baseline read and the file written | `tests/integration/trust_names.rs`, `tests/integration/adapter_naming.rs`, `tests/integration/labelled_baseline.rs` |
//! | 2 a local build's package name escapes `versions/` | `adapters/lib/test/versions.test.js` (run by `tests/integration/kit.rs`) |
//! | 3 workflow commands through everything printed but the annotations | `tests/integration/hostile_output.rs`, `tests/integration/neutralisers.rs` |
//! | 4 blank stderr lines free in its budget | `src/adapter/stderr.rs`: `empty_lines_count_against_the_budget`; memory: `taro-conformance bench` |
//! | 5 answers and log lines amplified a hundredfold, a 100 MB log aborts `report` | `src/value/elide/tests.rs`, `src/observe.rs`, `src/run/log/tests.rs`; `tests/integration/report.rs`: `report_leaves_out_a_line_too_long_…`; `tests/integration/diff.rs`: `diff_leaves_out_a_line_too_long_…`; memory: `taro-conformance bench` |
//! | 6 a lone surrogate in one answer errs every case in flight | `tests/integration/misbehaving_adapters.rs`: `a_lone_surrogate_in_an_answer_is_read_as_a_replacement_character`, `a_fault_blamed_on_one_case_costs_that_case_only` (a line not JSON or not UTF-8 further on) |
//! | 7 U+FFFE and U+FFFF make the JUnit file unparseable | `tests/integration/hostile_output.rs`, `tests/integration/neutralisers.rs` |
//! | (low) `javascript:` links from the doubts file; Markdown and HTML injection; terminal escapes | `tests/integration/hostile_output.rs`, `tests/integration/neutralisers.rs` |
//! | (low) extraction folders left behind; symlinked package entries | `adapters/lib/test/versions.test.js` |
//! | (low) adapters inherit the runner's file-command variables | `tests/integration/adapters_cli.rs`: `an_adapter_and_its_setup_get_the_allow_listed_environment_…` |
//! | (low) alias amplification inside the YAML budget | `src/spec/limits.rs`: `aliases_are_read_while_what_they_expand_to_stays_within_its_limit` |
//! | (low) `verify --since` miscounts cases: quoted paths, tree-ish revisions | `tests/integration/verify_since.rs` |
//! | (low, cosmetic) crafted fragments throw in the page | `tests/html/check.js` (37 crafted fragments, on load and on a hashchange; run by `tests/integration/matrix_html.rs`, which needs Chromium) |
//! | (low) `dts --dts FILE`: memory in proportion to its `{` | `src/check/dts/mod.rs`: `what_a_file_holds_is_bounded_and_a_bound_crossed_is_located`; `tests/integration/dts.rs`: `dts_refuses_a_deeply_nested_or_huge_file_…`; `tests/integration/properties.rs`: the `.d.ts` reader |
//! | 3, the rest: `setup`'s output (npm's, install scripts', the build's) printed raw | `tests/integration/hostile_setup.rs`; `src/adapter/setup_output.rs` |
//! | (informational) `gate.yml` keeps the checkout's credentials | `persist-credentials: false` on every checkout, checked by `tests/integration/gate_workflow.rs` |
//!
//! No panic is reachable from input at all: `tests/integration/properties.rs`.

use crate::common;

use common::{cli, root};

/// A witness case, fine in every way: it must still run beside a bad file.
const WITNESS: &str = r#"cases:
  - id: witness.refused
    summary: a refused connection fails
    contract: [FAIL-1]
    level: required
    origins: { down: { refuseConnections: true } }
    call: { url: "{{origin.down}}/w", retryTimes: 0 }
    expect: { client: { settled: rejected } }
"#;

/// A specs directory holding the witness and `bad` (as `bad.yaml`).
fn specs_with(bad: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("witness.yaml"), WITNESS).unwrap();
    std::fs::write(dir.path().join("bad.yaml"), bad).unwrap();
    dir
}

/// One case whose origin `api` answers with `response` (YAML flow mapping), plus `extra` case
/// fields.
fn case_with_reply(response: &str, extra: &str) -> String {
    format!(
        r#"cases:
  - id: zz.bad
    summary: s
    contract: [CALL-1]
    level: required
    origins:
      api: {{ stubs: [{{ response: {response} }}] }}
    call: {{ url: "{{{{origin.api}}}}/s" }}
{extra}    expect:
      client: {{ settled: resolved }}
"#
    )
}

/// `lint` refuses the bad file at its case's line, naming `words`; `run` exits 2 after running
/// the witness, whose result is in the log with a footer.
fn refused_where_written(bad: &str, words: &str) {
    let dir = specs_with(bad);
    let specs = dir.path().to_str().unwrap();
    let (code, out) = cli(&["lint", "--specs", specs]);
    assert_eq!(code, 1, "{out}");
    let bad_file = dir.path().join("bad.yaml");
    let located = format!("{}:", bad_file.display());
    assert!(
        out.lines()
            .any(|l| l.contains(&located) && l.contains(words)),
        "no located `{words}`:\n{out}"
    );
    let log = dir.path().join("run.jsonl");
    let (code, out) = cli(&[
        "run",
        "--no-baseline",
        "--specs",
        specs,
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(
        log.contains("\"id\":\"witness.refused\",\"status\":\"pass\""),
        "{log}"
    );
    assert!(
        log.lines().last().unwrap().contains("\"type\":\"footer\""),
        "{log}"
    );
}

#[test]
fn defect_1_a_huge_generated_body_is_refused_where_written() {
    let bad = case_with_reply(
        r#"{ status: 200, generatedBody: { pattern: "ab", length: 1000000000000 } }"#,
        "",
    );
    refused_where_written(&bad, "`generatedBody.length` is 1000000000000: at most");
}

#[test]
fn defect_5_replies_http_cannot_carry_are_refused_where_written() {
    refused_where_written(
        &case_with_reply("{ status: 0, body: ok }", ""),
        "`status` is 0: an HTTP status is 100 to 599",
    );
    refused_where_written(
        &case_with_reply(
            r#"{ status: 200, headers: { "bad name": v }, body: ok }"#,
            "",
        ),
        "header name \"bad name\" is not an HTTP token",
    );
    refused_where_written(
        &case_with_reply(r#"{ status: 200, headers: { x-a: "v\nx" }, body: ok }"#, ""),
        "the value of header `x-a` has a byte HTTP does not allow",
    );
}

#[test]
fn defect_8_a_deadline_past_its_limit_is_refused_where_written() {
    refused_where_written(
        &case_with_reply("{ fault: NO_RESPONSE }", "    deadlineMs: 86400000\n"),
        "`deadlineMs` is 86400000: at most 60000 ms",
    );
}

#[test]
fn the_limits_are_stated_in_the_spec_format_chapter() {
    let chapter = std::fs::read_to_string(root().join("docs/spec-format.md")).unwrap();
    let module = std::fs::read_to_string(root().join("src/spec/limits.rs")).unwrap();
    let table: Vec<&str> = module
        .lines()
        .filter_map(|l| l.strip_prefix("//! | "))
        .collect();
    assert!(table.len() > 2, "{module}");
    for row in table {
        assert!(
            chapter.contains(&format!("| {row}")),
            "docs/spec-format.md lacks the limit row `| {row}`"
        );
    }
}

#[test]
fn defect_10_a_filter_that_cannot_be_a_glob_is_a_usage_error() {
    let probe = format!("*{}b{}", "{a,".repeat(125), "}".repeat(125));
    let deep = format!("*{}b{}", "{a,".repeat(9), "}".repeat(9));
    for (pattern, words) in [
        (probe.as_str(), "longer than 256 characters"),
        (deep.as_str(), "nested 9 deep"),
        ("{a,b", "not a glob"),
        ("method.[", "not a glob"),
    ] {
        let (code, out) = cli(&["list", "--filter", pattern]);
        assert_eq!(code, 2, "{pattern}: {out}");
        assert!(
            out.contains(words) && !out.contains("panicked"),
            "{pattern}: {out}"
        );
    }
    let (code, out) = cli(&["list", "--filter", "method.{get,post}"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["method.get", "method.post"]
    );
}

#[test]
fn defect_13_malformed_placeholders_are_refused_where_written() {
    for (url, words) in [
        ("{{origin.}}/b", "`{{origin.}}/b` is not a placeholder"),
        (
            "{{ origin.api }/b",
            "`{{ origin.api }/b` is not a placeholder",
        ),
        (
            "{{origin.api.x}}/b",
            "`{{origin.api.x}}/b` is not a placeholder",
        ),
        (
            "{{origin.ap i}}/b",
            "`{{origin.ap i}}/b` is not a placeholder",
        ),
    ] {
        let bad = case_with_reply("{ status: 200 }", "").replace("{{origin.api}}/s", url);
        refused_where_written(&bad, words);
    }
    let in_key = case_with_reply("{ status: 200 }", "").replace(
        "call: { url: \"{{origin.api}}/s\" }",
        "call: { url: \"{{origin.api}}/s\", header: { \"x-{{origin.api}}\": v } }",
    );
    refused_where_written(&in_key, "the key `x-{{origin.api}}` has a placeholder");
}

#[test]
fn defect_13_an_unknown_type_name_is_refused_where_written() {
    let bad = case_with_reply("{ status: 200 }", "").replace(
        "client: { settled: resolved }",
        "client: { value: { $type: widget } }",
    );
    refused_where_written(&bad, "unknown `$type` `widget`");
}

#[test]
fn defect_12_a_duplicate_id_in_a_new_file_is_blamed_there_and_the_original_kept() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("z-original.yaml");
    std::fs::write(&original, WITNESS).unwrap();
    // Written long ago: the original. The newcomer sorts first by path.
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    std::fs::File::options()
        .write(true)
        .open(&original)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();
    let newcomer = dir.path().join("a-new.yaml");
    std::fs::write(
        &newcomer,
        WITNESS.replace("a refused connection fails", "the newcomer"),
    )
    .unwrap();
    let suite = taro_conformance::spec::load_dir(dir.path());
    assert_eq!(suite.cases.len(), 1);
    assert_eq!(suite.cases[0].file, original, "the original is kept");
    let error = suite.errors[0].to_string();
    assert!(
        error.starts_with(&format!("{}:2:", newcomer.display()))
            && error.contains(&format!("{}:2 has it already", original.display())),
        "{error}"
    );
}

/// The probe's type-error table: each message names the key and says what a spec expects there.
#[rstest::rstest]
#[case::list_expected("contract: [CALL-1]", "contract: 42", "`contract`: expected a list")]
#[case::number_expected(
    "level: required",
    "level: required\n    deadlineMs: [1, 2]",
    "`deadlineMs`: expected a single value"
)]
#[case::negative_delay(
    "level: required",
    "level: required\n    deadlineMs: -1",
    "`deadlineMs`: expected a whole number, 0 or more"
)]
#[case::null_id("id: zz.bad", "id: null", "`id`: expected text, not null")]
#[case::list_for_a_name(
    "level: required",
    "level: [1, 2]",
    "`level`: expected one of its names"
)]
#[case::unknown_name(
    "level: required",
    "level: teleport",
    "`level`: `teleport` is not one of required, recommended, informational"
)]
#[case::duplicate_key("summary: s", "summary: s\n    summary: t", "`summary` is given twice")]
#[case::missing_field("    summary: s\n", "", "`summary` is missing")]
fn defect_11_type_errors_name_the_key_and_the_expected_kind(
    #[case] from: &str,
    #[case] to: &str,
    #[case] words: &str,
) {
    let bad = case_with_reply("{ status: 200 }", "").replacen(from, to, 1);
    assert_ne!(bad, case_with_reply("{ status: 200 }", ""));
    let dir = specs_with(&bad);
    let (code, out) = cli(&["list", "--specs", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    let bad_file = format!("{}:", dir.path().join("bad.yaml").display());
    assert!(
        out.lines()
            .any(|l| l.contains(&bad_file) && l.contains(words)),
        "no `{words}`:\n{out}"
    );
    assert!(
        out.contains("witness.refused"),
        "the witness is still listed: {out}"
    );
}

#[test]
fn defect_11_a_byte_that_is_not_utf8_is_located() {
    let bad = case_with_reply("{ status: 200 }", "").replace("summary: s", "summary: s \u{1} x");
    let bytes = bad.replace('\u{1}', "\u{0}").into_bytes();
    let bytes: Vec<u8> = bytes
        .into_iter()
        .map(|b| if b == 0 { 0xff } else { b })
        .collect();
    let dir = specs_with("cases: []\n");
    std::fs::write(dir.path().join("bad.yaml"), bytes).unwrap();
    let (code, out) = cli(&["list", "--specs", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!(
            "{}:3:16: byte 0xff is not UTF-8",
            dir.path().join("bad.yaml").display()
        )),
        "{out}"
    );
}

#[test]
fn defect_11_two_documents_in_one_file_are_explained() {
    let bad = format!("{WITNESS}---\n{WITNESS}");
    let dir = specs_with(&bad);
    let (code, out) = cli(&["list", "--specs", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("a spec file holds one YAML document"), "{out}");
}

#[test]
fn defect_15_no_spec_files_is_not_called_other_files_used() {
    let (code, out) = cli(&["list", "--specs", "/nonexistent/specs"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no case could be loaded"), "{out}");
    assert!(!out.contains("the other files were used"), "{out}");
}

#[test]
fn defect_15_lint_names_the_contract_it_was_given() {
    let dir = specs_with(WITNESS);
    let contract = dir.path().join("clauses.yaml");
    std::fs::write(
        &contract,
        "clauses:\n  - { id: FAIL-1, level: required, title: t }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        WITNESS
            .replace("FAIL-1", "NOPE-1")
            .replace("witness.refused", "witness.other"),
    )
    .unwrap();
    let (code, out) = cli(&[
        "lint",
        "--specs",
        dir.path().to_str().unwrap(),
        "--contract",
        contract.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "cites `NOPE-1`, which is not a clause of {}",
            contract.display()
        )),
        "{out}"
    );
}
