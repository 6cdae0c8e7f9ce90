//! Process adapters that misbehave: each fault ends its own case with the right status (and
//! what the adapter printed), the adapter is started again, and the other cases still finish.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rstest::rstest;
use taro_conformance::CaseResult;
use taro_conformance::adapter::process::{Launch, ProcessAdapter};
use taro_conformance::adapter::{Adapter, AdapterError};
use taro_conformance::run::cases::{RunOptions, run_all};
use taro_conformance::spec::{Case, load_str};
use taro_conformance::verdict::Status;

/// Five cases the misbehaving adapter answers `resolved` (the stubs are never asked).
fn cases() -> Vec<Case> {
    numbered_cases(5)
}

/// `n` cases the misbehaving adapter answers `resolved`.
fn numbered_cases(n: usize) -> Vec<Case> {
    let yaml: String = (1..=n)
        .map(|i| {
            format!(
                "  - id: iso.case-{i}\n    summary: s\n    contract: [CALL-1]\n    level: required\n    call: {{ url: \"http://127.0.0.1:9/\" }}\n    deadlineMs: 1500\n    expect: {{ client: {{ settled: resolved }} }}\n"
            )
        })
        .collect();
    load_str("iso.yaml".as_ref(), &format!("cases:\n{yaml}"))
        .unwrap()
        .into_iter()
        .map(|c| c.case)
        .collect()
}

fn launch(mode: &str) -> Launch {
    launch_with(&[mode])
}

/// The misbehaving adapter with these arguments (mode, then how late the others are answered,
/// then its concurrency).
fn launch_with(args: &[&str]) -> Launch {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/adapters/misbehave.js");
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.insert(0, script.to_string_lossy().into_owned());
    let mut launch = Launch::new("misbehave", "node", args, ".");
    launch.start_timeout = Duration::from_millis(1500);
    launch
}

fn run(mode: &str) -> BTreeMap<String, CaseResult> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let adapter: Arc<dyn Adapter> =
            Arc::new(ProcessAdapter::start(launch(mode)).await.unwrap());
        let options = RunOptions {
            jobs: 1, // one at a time, so the faulty case is the only one in flight
            grace: Duration::from_millis(3000),
            ..RunOptions::default()
        };
        let results = run_all(adapter.clone(), cases(), &options, |_| {}).await;
        adapter.stop().await;
        results.into_iter().map(|r| (r.id.clone(), r)).collect()
    })
}

#[rstest]
#[case::crash_mid_case("crash-on:case-3", Status::Crash, "about to crash on iso.case-3")]
#[case::hang("hang-on:case-3", Status::Timeout, "no answer")]
#[case::garbage_line("garbage-on:case-3", Status::Error, "this is not json")]
#[case::wrong_seq("wrong-seq-on:case-3", Status::Error, "not in flight")]
#[case::answers_twice("twice-on:case-3", Status::Error, "twice")]
fn a_fault_marks_its_case_and_the_others_finish(
    #[case] mode: &str,
    #[case] status: Status,
    #[case] words: &str,
) {
    let results = run(mode);
    assert_eq!(results.len(), 5, "every case has a result");
    let faulty = &results["iso.case-3"];
    assert_eq!(faulty.status, status, "{faulty:#?}");
    let said = format!("{:?} {:?}", faulty.detail(), faulty.stderr);
    assert!(said.contains(words), "{said}");
    for (id, result) in results.iter().filter(|(id, _)| *id != "iso.case-3") {
        assert_eq!(result.status, Status::Pass, "{id}: {result:#?}");
    }
}

#[test]
fn a_late_answer_to_a_timed_out_case_costs_that_case_only() {
    // case-3 may take 100 ms (+ the adapter's answer grace) and is answered at 2 400 ms, after
    // it timed out; the others, answered at 2 800 ms within their 1 500 ms + grace, are still in
    // flight then, and pass.
    let mut cases = numbered_cases(5);
    cases[2].deadline_ms = Some(100);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let results = runtime.block_on(async {
        let adapter: Arc<dyn Adapter> = Arc::new(
            ProcessAdapter::start(launch_with(&["late-on:case-3:2400", "2800", "8"]))
                .await
                .unwrap(),
        );
        let options = RunOptions {
            jobs: 5,
            ..RunOptions::default()
        };
        let results = run_all(adapter.clone(), cases, &options, |_| {}).await;
        adapter.stop().await;
        results
    });
    for result in &results {
        let expected = if result.id == "iso.case-3" {
            Status::Timeout
        } else {
            Status::Pass
        };
        assert_eq!(result.status, expected, "{result:#?}");
    }
}

#[test]
fn an_adapter_that_exits_early_is_started_again() {
    // It exits on its third run: that case crashed; the adapter is started again (`start`
    // replayed) and the next two cases pass in its second life.
    let results = run("exit-early:3");
    assert_eq!(results.len(), 5);
    assert_eq!(
        results["iso.case-3"].status,
        Status::Crash,
        "{:#?}",
        results["iso.case-3"]
    );
    for id in ["iso.case-1", "iso.case-2", "iso.case-4", "iso.case-5"] {
        assert_eq!(results[id].status, Status::Pass, "{id}: {:#?}", results[id]);
    }
}

#[test]
fn stderr_is_kept_with_the_case_that_wrote_it() {
    let results = run("crash-on:case-2");
    let stderr = results["iso.case-2"].stderr.clone().unwrap_or_default();
    assert!(
        stderr.contains("about to crash on iso.case-2"),
        "{:#?}",
        results["iso.case-2"]
    );
    assert!(
        results["iso.case-1"].stderr.is_none(),
        "{:#?}",
        results["iso.case-1"]
    );
}

#[test]
fn a_slow_start_within_its_limit_works() {
    let results = run("slow-start:300");
    assert!(results.values().all(|r| r.status == Status::Pass));
}

#[test]
fn a_start_slower_than_its_limit_is_a_clear_error() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let error = runtime
        .block_on(ProcessAdapter::start(launch("slow-start:5000")))
        .err()
        .expect("the start times out");
    assert!(
        matches!(error, AdapterError::NoReady { ref name, waited, .. }
            if name == "misbehave" && waited.as_millis() == 1500),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("no answer to `start` within 1500 ms"),
        "{error}"
    );
}

#[test]
fn a_program_that_cannot_start_is_a_clear_error() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let launch = Launch::new("nothing", "/nonexistent/program", Vec::<String>::new(), ".");
    let error = runtime
        .block_on(ProcessAdapter::start(launch))
        .err()
        .expect("no program");
    assert!(
        matches!(error, AdapterError::CannotStart { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("cannot start `/nonexistent/program"),
        "{error}"
    );
}

/// Sixteen cases at once on an adapter that runs sixteen at once and answers all but the
/// targeted case 300 ms late: when the fault happens, fifteen bystanders are in flight.
fn run_crowded(mode: &str) -> BTreeMap<String, CaseResult> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let adapter: Arc<dyn Adapter> = Arc::new(
            ProcessAdapter::start(launch_with(&[mode, "300", "16"]))
                .await
                .unwrap(),
        );
        let options = RunOptions {
            jobs: 16,
            grace: Duration::from_millis(3000),
            ..RunOptions::default()
        };
        let results = run_all(adapter.clone(), numbered_cases(16), &options, |_| {}).await;
        adapter.stop().await;
        results.into_iter().map(|r| (r.id.clone(), r)).collect()
    })
}

/// What the faulty case said, and the bystanders' statuses.
fn crowded(mode: &str) -> (CaseResult, Vec<(String, Status)>) {
    let mut results = run_crowded(mode);
    assert_eq!(results.len(), 16, "every case has a result");
    let faulty = results.remove("iso.case-3").unwrap();
    let others = results.into_iter().map(|(id, r)| (id, r.status)).collect();
    (faulty, others)
}

#[rstest]
#[case::wrongly_typed_field(
    "wrong-type-on:case-3",
    "has a wrong `result.elapsedMs`: invalid type: floating point `1.5`, expected u64"
)]
#[case::answered_twice_in_one_write("twice-on:case-3", "answered seq")]
#[case::an_answer_that_is_not_json_further_on("broken-answer-on:case-3", "not protocol JSON")]
#[case::an_answer_that_is_not_utf8("bad-utf8-answer-on:case-3", "not UTF-8")]
fn a_fault_blamed_on_one_case_costs_that_case_only(#[case] mode: &str, #[case] words: &str) {
    let (faulty, others) = crowded(mode);
    assert_eq!(faulty.status, Status::Error, "{faulty:#?}");
    let said = faulty.detail().unwrap_or_default();
    assert!(said.contains(words), "{said}");
    for (id, status) in others {
        assert_eq!(status, Status::Pass, "bystander {id}");
    }
}

#[test]
fn a_lone_surrogate_in_an_answer_is_read_as_a_replacement_character() {
    let (faulty, others) = crowded("surrogate-on:case-3");
    assert_eq!(faulty.status, Status::Pass, "{faulty:#?}");
    let value = faulty.observation.unwrap().client.value;
    assert_eq!(value, Some(serde_json::json!("\u{fffd}")));
    for (id, status) in others {
        assert_eq!(status, Status::Pass, "bystander {id}");
    }
}

#[test]
fn a_second_answer_later_costs_nothing_and_is_noted() {
    let (faulty, others) = crowded("again-on:case-3");
    assert_eq!(faulty.status, Status::Pass, "{faulty:#?}");
    for (id, status) in others {
        assert_eq!(status, Status::Pass, "bystander {id}");
    }
}

#[rstest]
#[case::not_json("garbage-on:case-3", "not protocol JSON")]
#[case::not_utf8("bad-utf8-on:case-3", "not UTF-8")]
#[case::unknown_seq("wrong-seq-on:case-3", "not in flight")]
#[case::line_too_long("long-line-on:case-3:40", "longer than")]
fn a_fault_no_case_can_be_blamed_for_ends_the_cases_in_flight_and_says_what_it_was(
    #[case] mode: &str,
    #[case] words: &str,
) {
    let (faulty, others) = crowded(mode);
    assert_eq!(faulty.status, Status::Error, "{faulty:#?}");
    let said = faulty.detail().unwrap_or_default();
    assert!(said.contains(words), "{said}");
    assert!(!said.contains("exited"), "the adapter did not exit: {said}");
    // The stream cannot be trusted past such a line: the cases in flight end with it.
    assert!(
        others
            .iter()
            .all(|(_, s)| *s == Status::Error || *s == Status::Pass),
        "{others:?}"
    );
}

#[test]
fn a_byte_that_is_not_utf8_on_stderr_costs_nothing_and_is_kept() {
    let mut results = run_crowded("stderr-bad-utf8-on:case-3");
    let faulty = results.remove("iso.case-3").unwrap();
    assert_eq!(faulty.status, Status::Pass, "{faulty:#?}");
    let stderr = faulty.stderr.as_deref().unwrap_or_default();
    assert!(
        stderr.contains("a\u{fffd}") && stderr.contains("still writing"),
        "{faulty:#?}"
    );
    for (id, result) in results {
        assert_eq!(result.status, Status::Pass, "bystander {id}: {result:#?}");
    }
}

#[test]
fn a_flood_of_stderr_is_kept_to_a_bounded_tail_per_case() {
    let results = run_crowded("stderr-flood-on:case-3:20");
    for (id, result) in &results {
        assert_eq!(result.status, Status::Pass, "{id}: {:?}", result.problem);
        let kept = result.stderr.as_deref().map_or(0, str::len);
        assert!(kept <= 64 * 1024 + 40, "{id} keeps {kept} bytes of stderr");
    }
}

#[rstest]
#[case::absurd_concurrency(
    "ready-concurrency:4611686018427387904",
    "`concurrency` is 4611686018427387904: it must be 1 to 256"
)]
#[case::zero_concurrency("ready-concurrency:0", "`concurrency` is 0")]
#[case::wrongly_typed_field("ready-wrong-type", "`concurrency`: invalid type: string \"4\"")]
fn a_ready_line_that_is_wrong_names_its_field(#[case] mode: &str, #[case] words: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let error = runtime
        .block_on(ProcessAdapter::start(launch(mode)))
        .err()
        .expect("the ready line is refused");
    assert!(matches!(error, AdapterError::NotReady { .. }), "{error:?}");
    assert!(error.to_string().contains(words), "{error}");
}
