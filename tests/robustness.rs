//! Hostile input costs only itself: each numbered defect of the robustness probe, reproduced
//! through the command line, with the harness now refusing the input where it is written (or
//! containing it to the one case it concerns) while everything else still runs.
//!
//! | defect | where it is shown |
//! |---|---|
//! | 1 huge `generatedBody`, 5 replies HTTP cannot carry, 8 endless deadline | `defect_1_…`, `defect_5_…`, `defect_8_…` here |
//! | 2 one bad line fails every case in flight | `tests/isolation.rs`: `a_fault_blamed_on_one_case_costs_that_case_only`, `a_fault_no_case_can_be_blamed_for_…` |
//! | 3 unbounded adapter output | `tests/isolation.rs`: `a_flood_of_stderr_is_kept_to_a_bounded_tail_per_case`, `…line_too_long`; memory: `taro-conformance bench` |
//! | 4 a non-UTF-8 byte on stderr kills the adapter | `tests/isolation.rs`: `a_byte_that_is_not_utf8_on_stderr_costs_nothing_and_is_kept` |
//! | 6 absurd `concurrency` in `ready` | `tests/isolation.rs`: `a_ready_line_that_is_wrong_names_its_field` |
//! | 7 log written a token at a time, 9 orphaned adapters, 10 glob panics, 11 unclear spec errors, 12 duplicate ids, 13 malformed placeholders, 14 late baseline errors, 15 minor messages | `defect_7_…` to `defect_15_…` here |
//!
//! No panic is reachable from input at all: `tests/properties.rs`.

mod common;

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
fn the_limits_are_stated_in_the_readme() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let module = std::fs::read_to_string(root().join("src/spec/limits.rs")).unwrap();
    let table: Vec<&str> = module
        .lines()
        .filter_map(|l| l.strip_prefix("//! | "))
        .collect();
    assert!(table.len() > 2, "{module}");
    for row in table {
        assert!(
            readme.contains(&format!("| {row}")),
            "README lacks the limit row `| {row}`"
        );
    }
}

#[test]
fn defect_7_a_log_cut_in_its_last_line_is_read_up_to_it_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.jsonl");
    let (code, out) = cli(&["run", "--filter", "method.", "--log", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(&log).unwrap();
    // Cut the log inside its last case line, as an interrupt during a write would.
    let last_case = text.rfind("{\"type\":\"case\"").unwrap();
    std::fs::write(&log, &text[..last_case + 40]).unwrap();
    let out_dir = dir.path().join("out");
    let (code, out) = cli(&[
        "report",
        "--log",
        log.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning:") && out.contains("cut short"),
        "{out}"
    );
    let md = std::fs::read_to_string(out_dir.join("matrix.md")).unwrap();
    assert!(md.contains("`method.connect`"), "{md}");
}

#[test]
fn defect_7_each_log_line_is_written_whole() {
    use taro_conformance::run::log::{Footer, Line, LogWriter};
    /// Counts the writes it is given.
    struct Counting(Vec<usize>);
    impl std::io::Write for Counting {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.push(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut writer = LogWriter::new(Counting(Vec::new()));
    let footer = Footer::from_statuses([taro_conformance::verdict::Status::Pass]);
    writer.write(&Line::Footer(footer)).unwrap();
    let writes = writer.into_inner().0;
    assert_eq!(writes.len(), 1, "{writes:?}");
}

#[test]
fn defect_14_a_bad_baseline_is_refused_before_the_adapter_starts() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("bad.yaml");
    std::fs::write(&baseline, "adapter: x\nexpected:\n  - { id: a }\n").unwrap();
    let log = dir.path().join("run.jsonl");
    // An adapter that cannot start at all: a baseline read first is the only error there is.
    let manifest = dir.path().join("adapter.toml");
    std::fs::write(
        &manifest,
        "name = \"never\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"/nonexistent/program\"]\n",
    )
    .unwrap();
    let (code, out) = cli(&[
        "run",
        "--adapter",
        manifest.to_str().unwrap(),
        "--baseline",
        baseline.to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!("{}:3:", baseline.display())) && out.contains("is missing"),
        "{out}"
    );
    assert!(!out.contains("cannot start"), "{out}");
    assert!(!log.exists());
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

/// Whether a process is alive (a zombie, waiting for its parent to read its status, is not).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .next()?
                .to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}

#[rstest::rstest]
#[case::sigint(libc::SIGINT, 130)]
#[case::sigterm(libc::SIGTERM, 143)]
fn defect_9_a_signal_to_the_harness_alone_stops_its_adapter(
    #[case] signal: i32,
    #[case] code: i32,
) {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("adapter.pid");
    let script = root().join("tests/adapters/misbehave.js");
    let manifest = dir.path().join("adapter.toml");
    std::fs::write(
        &manifest,
        format!(
            "name = \"linger\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"node\", {:?}, {:?}]\n",
            script.display().to_string(),
            format!("linger:{}", pid_file.display())
        ),
    )
    .unwrap();
    let log = dir.path().join("run.jsonl");
    let mut harness = common::binary()
        .args(["run", "--no-baseline", "--filter", "method.", "--adapter"])
        .arg(&manifest)
        .arg("--log")
        .arg(&log)
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !pid_file.exists() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let adapter: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(alive(adapter), "the adapter runs");
    // To the harness alone, as a CI cancel or `timeout` sends it.
    // SAFETY: kill(2) on the harness's pid; no memory is touched.
    unsafe { libc::kill(harness.id() as i32, signal) };
    let status = harness.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(harness.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(code), "{stderr}");
    assert!(stderr.contains("interrupted by"), "{stderr}");
    let gone = std::time::Instant::now();
    while alive(adapter) && gone.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        !alive(adapter),
        "the adapter {adapter} outlived the harness"
    );
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.starts_with("{\"type\":\"header\""), "{log}");
    assert!(log.ends_with('\n'), "whole lines only: {log}");
}

/// A manifest in a temporary directory.
fn manifest(toml: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("adapter.toml");
    std::fs::write(&path, toml).unwrap();
    let path = path.to_str().unwrap().to_string();
    (dir, path)
}

#[test]
fn defect_15_an_adapter_that_exits_at_once_says_how_and_what_it_wrote() {
    let (_dir, path) = manifest(
        "name = \"dying\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"sh\", \"-c\", \"echo dying >&2; exit 3\"]\n",
    );
    let (code, out) = cli(&["smoke", "--adapter", &path]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("it exited before answering `start` (exit status: 3)")
            && out.contains("dying"),
        "{out}"
    );
}

#[test]
fn defect_15_an_adapter_not_set_up_without_a_setup_command_says_so() {
    let (_dir, path) = manifest(
        "name = \"unready\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"node\"]\nready = [\"nothing-here\"]\n",
    );
    let (code, out) = cli(&["smoke", "--adapter", &path]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("[\"nothing-here\"] are missing") && out.contains("no setup command"),
        "{out}"
    );
    assert!(!out.contains("it runs ``"), "{out}");
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

#[test]
fn defect_15_repro_of_an_empty_id_suggests_nothing() {
    let (code, out) = cli(&["repro", ""]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("(similar: [])"), "{out}");
}

#[test]
fn defect_15_report_refuses_two_runs_in_one_log_and_names_unknown_ids() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.jsonl");
    let (code, out) = cli(&[
        "run",
        "--filter",
        "method.get",
        "--exact",
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let one = std::fs::read_to_string(&log).unwrap();
    let out_dir = dir.path().join("out");
    let report = |log: &std::path::Path| {
        cli(&[
            "report",
            "--log",
            log.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
    };
    let twice = dir.path().join("twice.jsonl");
    std::fs::write(&twice, format!("{one}{one}")).unwrap();
    let (code, out) = report(&twice);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("a second header"), "{out}");
    let renamed = dir.path().join("renamed.jsonl");
    std::fs::write(
        &renamed,
        one.replace("\"id\":\"method.get\"", "\"id\":\"method.gone\""),
    )
    .unwrap();
    let (code, out) = report(&renamed);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 case(s) the suite does not have, left out: method.gone"),
        "{out}"
    );
}
