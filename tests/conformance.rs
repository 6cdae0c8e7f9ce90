//! One test per spec case, named by its id, against the adapter named by
//! `TARO_CONFORMANCE_ADAPTER` (default `reference`; several, separated by commas, run at once and
//! name each test `ADAPTER::ID`), judged by the same gate as `run`: against
//! that adapter's baseline (`reports/baselines/NAME.yaml`) when it has one, or against the file
//! `TARO_CONFORMANCE_BASELINE` names.
//!
//! `cargo test --test conformance -- data.query` selects cases as libtest does. The selected
//! cases run concurrently first through the library's run pipeline (which writes its log to
//! `target/conformance/cargo-test/NAME.jsonl`), then each test reports the gate's findings about
//! its case and compares the redacted observation with its snapshot under
//! `tests/snapshots/<adapter>/` (named by the adapter's name; `TARO_CONFORMANCE_SNAPSHOTS` names
//! another folder than `tests/snapshots`). A baseline entry that names no case is a failing test
//! named by that id. With `CI=true`, a missing or changed snapshot fails; locally,
//! `INSTA_UPDATE=always cargo test --test conformance` accepts new ones. An adapter with no
//! snapshots folder at all runs nothing: one message names the command that writes its first
//! snapshots, `taro-conformance snapshots --adapter NAME` (this target, accepting them).
//!
//! `TARO_CONFORMANCE_RETRY_UNEXPECTED=N` is `run --retry-unexpected N` (CI sets 1): a case the
//! gate finds something about runs again, up to N times; when the gate accepts a later run, that
//! run is the one its test judges, and the case is listed as flaky on stderr.
//!
//! `TARO_CONFORMANCE_FROM_LOGS=DIR` runs nothing: each adapter's results are read from the run
//! log `DIR/NAME.jsonl` that `run` wrote (CI's gate run, `run --all --log-dir DIR`), judged
//! against the baseline again and checked against the snapshots, so that CI runs the suite once.
//! The log must hold every selected case, from these spec files and not a slice of them; when
//! `run --retry-unexpected` appended a case's accepted run, that run is the one judged.
//!
//! A failing test's message quotes what the adapter said, shown as the command line shows it
//! (`report::sink::printed`); the lines printed here otherwise are the harness's own words.
#![allow(clippy::disallowed_macros)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use taro_conformance::CaseResult;
use taro_conformance::outcome::redact;
use taro_conformance::report::sink::printed;
use taro_conformance::run::cases::Scheduler;
use taro_conformance::run::gate::Finding;
use taro_conformance::run::log::RunLog;
use taro_conformance::run::{BaselineChoice, Judgement, Run, default_log, execute_all};
use taro_conformance::spec::{self, LoadedCase};
use taro_conformance::tools::snapshots;
use taro_conformance::verdict::Status;

fn main() {
    let args = Arguments::from_args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let named = std::env::var(snapshots::ADAPTER_ENV).unwrap_or_else(|_| "reference".into());
    let mut adapters: Vec<String> = named
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect();
    adapters.dedup();
    let several = adapters.len() > 1;
    let choice = match std::env::var_os("TARO_CONFORMANCE_BASELINE") {
        Some(path) => BaselineChoice::File(path.into()),
        None => BaselineChoice::Default,
    };
    let retries = match std::env::var("TARO_CONFORMANCE_RETRY_UNEXPECTED") {
        Ok(n) => n.trim().parse::<usize>().unwrap_or_else(|_| {
            eprintln!(
                "error: TARO_CONFORMANCE_RETRY_UNEXPECTED is {n:?}: a number of retries, such as 1"
            );
            std::process::exit(2)
        }),
        Err(_) => 0,
    };
    // An adapter never snapshotted: one message, rather than a failure per case.
    if !args.list && !snapshots::writing() {
        for adapter in &adapters {
            let dir = snapshots::dir_of(&root, adapter);
            if !dir.is_dir() {
                eprintln!("error: {}", snapshots::missing(adapter, &dir));
                std::process::exit(2);
            }
        }
    }
    let from_logs = std::env::var_os(FROM_LOGS_ENV).map(PathBuf::from);
    // The spec hash covers the files' paths too: loaded from the root as `run` loads them, so that
    // a log `run` wrote there has this suite's hash.
    let suite = match &from_logs {
        Some(_) => {
            std::env::set_current_dir(&root).expect("the crate's root is a folder");
            spec::load_dir("specs".as_ref())
        }
        None => spec::load_dir(&root.join("specs")),
    };

    let mut trials: Vec<Trial> = suite
        .errors
        .iter()
        .map(|error| {
            let message = error.to_string();
            let name = format!("spec-file::{}", error.file.display());
            Trial::test(name, move || Err(message.into()))
        })
        .collect();
    if several && choice != BaselineChoice::Default {
        eprintln!(
            "error: TARO_CONFORMANCE_BASELINE names one adapter's baseline; TARO_CONFORMANCE_ADAPTER names {}",
            adapters.len()
        );
        std::process::exit(2);
    }

    // Listing (libtest's `--list`, as nextest does first) runs nothing.
    let selected: Vec<LoadedCase> = suite
        .cases
        .iter()
        .filter(|c| {
            let names: Vec<String> = if several {
                adapters
                    .iter()
                    .map(|a| format!("{a}::{}", c.case.id))
                    .collect()
            } else {
                vec![c.case.id.clone()]
            };
            !args.list && is_selected(&args, &names)
        })
        .cloned()
        .collect();
    let judged: Vec<Result<(Vec<CaseResult>, Judgement), String>> =
        if let Some(dir) = from_logs.as_ref().filter(|_| !args.list) {
            // A log that cannot be judged stops everything: a failing test could be filtered out.
            adapters
                .iter()
                .map(
                    |adapter| match from_log(dir, adapter, &suite, &selected, &choice) {
                        Ok(judged) => Ok(judged),
                        Err(message) => {
                            eprintln!("error: {message}");
                            std::process::exit(2)
                        }
                    },
                )
                .collect()
        } else if selected.is_empty() {
            // Nothing to run: each baseline is still judged, for its stale entries.
            adapters
                .iter()
                .map(|adapter| {
                    choice
                        .load(adapter)
                        .map(|baseline| (Vec::new(), Judgement::new(&[], baseline, &suite)))
                        .map_err(|e| e.to_string())
                })
                .collect()
        } else {
            // Several adapters run at once, sharing one scheduler, as `run` runs them.
            let scheduler = Scheduler::shared_by(taro_conformance::run::cases::default_jobs());
            let runs: Vec<Run> = adapters
                .iter()
                .map(|adapter| {
                    // NAME.jsonl, named as `run` names its logs (by the manifest's name).
                    let log = root.join("target/conformance/cargo-test").join(
                        taro_conformance::run::default_log(adapter)
                            .file_name()
                            .expect("a log has a file name"),
                    );
                    let run = Run::new(adapter).log_to(log).baseline(choice.clone());
                    if several {
                        run.scheduler(scheduler.clone())
                    } else {
                        run
                    }
                })
                .collect();
            block_on(async {
                let reports = execute_all(&runs, &suite, &selected, |_| |_| {}).await;
                let mut judged = Vec::new();
                for ((adapter, run), report) in adapters.iter().zip(&runs).zip(reports) {
                    let report = match report {
                        Ok(report) if retries > 0 && !report.judgement.passed() => {
                            run.retry_unexpected(&suite, report, retries).await
                        }
                        report => report,
                    };
                    judged.push(report.map_err(|e| e.to_string()).map(|report| {
                    for flaky in &report.flaky {
                        eprintln!(
                            "flaky: {adapter}::{} was {} at first; run {} was as the gate expects",
                            flaky.first.id, flaky.first.status, flaky.accepted_on
                        );
                    }
                    (report.results, report.judgement)
                }));
                }
                judged
            })
        };
    for (adapter, judged) in adapters.iter().zip(judged) {
        // With several adapters, each test is named ADAPTER::ID.
        let name = |id: &str| {
            if several {
                format!("{adapter}::{id}")
            } else {
                id.to_string()
            }
        };
        let (results, judgement) = match judged {
            Ok(judged) => judged,
            Err(message) => {
                trials.push(Trial::test(name("adapter::start"), move || {
                    Err(message.into())
                }));
                continue;
            }
        };
        let judgement = Arc::new(judgement);
        for finding in &judgement.findings {
            if let Finding::Stale { id } = finding {
                let message = finding.to_string();
                trials.push(Trial::test(name(id), move || Err(message.into())));
            }
        }
        let snapshot_dir = snapshots::dir_of(&root, adapter);
        let mut results: HashMap<String, CaseResult> =
            results.into_iter().map(|r| (r.id.clone(), r)).collect();
        for loaded in &suite.cases {
            let id = loaded.case.id.clone();
            let result = results.remove(&id);
            let context = Context {
                snapshots: snapshot_dir.clone(),
                rerun: format!(
                    "case at {}:{}\nrerun: TARO_CONFORMANCE_ADAPTER={adapter} cargo test --test conformance -- --exact {id}",
                    loaded.file.display(),
                    loaded.line
                ),
                judgement: judgement.clone(),
            };
            let ignored = result
                .as_ref()
                .is_some_and(|r| r.status == Status::NotApplicable);
            let trial = Trial::test(name(&id), move || match result {
                Some(result) => check(result, &context),
                // Not selected: libtest-mimic filters it out before running it.
                None => Ok(()),
            });
            trials.push(trial.with_ignored_flag(ignored));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

/// The environment variable that names the folder of run logs to judge instead of running.
const FROM_LOGS_ENV: &str = "TARO_CONFORMANCE_FROM_LOGS";

/// `adapter`'s selected results as its run log in `dir` holds them, judged against its baseline.
fn from_log(
    dir: &Path,
    adapter: &str,
    suite: &spec::Suite,
    selected: &[LoadedCase],
    choice: &BaselineChoice,
) -> Result<(Vec<CaseResult>, Judgement), String> {
    let name = default_log(adapter);
    let path = dir.join(name.file_name().expect("a log has a file name"));
    let log = RunLog::read(&path).map_err(|e| format!("{FROM_LOGS_ENV}: {e}"))?;
    let whence = |why: String| format!("{FROM_LOGS_ENV}: {}: {why}", path.display());
    // A log of other specs, or of a slice, would judge cases it never ran.
    if log.header.suite.spec_hash != suite.spec_hash {
        return Err(whence(
            "written from other spec files than these: run the suite again".into(),
        ));
    }
    if let Some(partition) = log.header.partition {
        return Err(whence(format!(
            "holds slice {partition} of the suite, not all of it"
        )));
    }
    if let Some(cut) = &log.cut {
        return Err(whence(format!("cut short ({cut})")));
    }
    let mut logged = log.results;
    let mut results = Vec::new();
    let mut missing = Vec::new();
    for case in selected {
        match logged.remove(&case.case.id) {
            Some(result) => results.push(result),
            None => missing.push(case.case.id.as_str()),
        }
    }
    if !missing.is_empty() {
        return Err(whence(format!(
            "{} selected case(s) not in it: {}",
            missing.len(),
            missing.join(", ")
        )));
    }
    let baseline = choice.load(adapter).map_err(|e| e.to_string())?;
    let judgement = Judgement::new(&results, baseline, suite);
    Ok((results, judgement))
}

/// Mirrors libtest's selection: a name filter (substring, or whole name with `--exact`) and
/// `--skip` patterns, on the names a case's tests have (`ID`, or `ADAPTER::ID` for each of
/// several adapters). A case runs on every adapter when any of its names is selected; libtest
/// then keeps only the selected tests.
fn is_selected(args: &Arguments, names: &[String]) -> bool {
    let matches = |pattern: &str| {
        names.iter().any(|name| {
            if args.exact {
                name == pattern
            } else {
                name.contains(pattern)
            }
        })
    };
    args.filter.as_deref().is_none_or(matches) && !args.skip.iter().any(|s| matches(s))
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
        .block_on(future)
}

/// What every case's test needs besides its result.
struct Context {
    snapshots: PathBuf,
    rerun: String,
    judgement: Arc<Judgement>,
}

/// A case's test: the gate's findings about it, then its snapshot.
fn check(result: CaseResult, context: &Context) -> Result<(), Failed> {
    let findings: Vec<String> = context
        .judgement
        .about(&result.id)
        .map(|f| f.to_string())
        .collect();
    if !findings.is_empty() {
        let mut message = findings.join("\n");
        for mismatch in &result.mismatches {
            message.push_str(&format!("\n  {mismatch}"));
        }
        if let Some(detail) = result.detail() {
            message.push_str(&format!("\n{detail}"));
        }
        if let Some(stderr) = &result.stderr {
            message.push_str(&format!("\nstderr:\n{stderr}"));
        }
        return Err(printed(&format!("{message}\n{}", context.rerun)).into());
    }
    if result.observation.is_none() {
        return Ok(());
    }
    compare_snapshot(&result, &context.snapshots)
        .map_err(|m| printed(&format!("{m}\n{}", context.rerun)).into())
}

/// The redacted observation against its insta snapshot.
fn compare_snapshot(result: &CaseResult, dir: &Path) -> Result<(), String> {
    let record = serde_json::json!({
        "status": result.status,
        "observation": result.observation,
        "mismatches": result.mismatches.iter().map(|m| m.stable_text()).collect::<Vec<_>>(),
    });
    let redacted = redact(&record, &result.origins);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let id = result.id.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        settings.bind(|| insta::assert_json_snapshot!(id, redacted));
    }))
    .map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "snapshot assertion failed".into())
    })
}
