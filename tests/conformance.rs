//! One test per spec case, named by its id, against the adapter named by
//! `TARO_CONFORMANCE_ADAPTER` (default `reference`), judged against that adapter's baseline
//! (`reports/baselines/NAME.yaml`) when it has one, as `run` does.
//!
//! `cargo test --test conformance -- data.query` selects cases as libtest does. The selected
//! cases run concurrently first (so the suite takes about as long as its slowest case), then each
//! test reports its own verdict and compares the redacted observation with its snapshot under
//! `tests/snapshots/<adapter>/`. With `CI=true`, a missing or changed snapshot fails; locally,
//! `INSTA_UPDATE=always cargo test --test conformance` accepts new ones.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use taro_conformance::adapter;
use taro_conformance::gate::{self, Baseline};
use taro_conformance::runner::{CaseResult, RunOptions, run_all};
use taro_conformance::snapshot::redact;
use taro_conformance::spec::{self, LoadedCase};
use taro_conformance::verdict::Status;

fn main() {
    let args = Arguments::from_args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let adapter_name =
        std::env::var("TARO_CONFORMANCE_ADAPTER").unwrap_or_else(|_| "reference".into());
    let suite = spec::load_dir(&root.join("specs"));

    let mut trials: Vec<Trial> = suite
        .errors
        .iter()
        .map(|error| {
            let message = error.to_string();
            let name = format!("spec-file::{}", error.file.display());
            Trial::test(name, move || Err(message.into()))
        })
        .collect();

    // Listing (libtest's `--list`, as nextest does first) runs nothing.
    let selected: Vec<&LoadedCase> = suite
        .cases
        .iter()
        .filter(|c| !args.list && is_selected(&args, &c.case.id))
        .collect();
    let results = if selected.is_empty() {
        HashMap::new()
    } else {
        match run_selected(&adapter_name, &selected) {
            Ok(results) => results,
            Err(message) => {
                trials.push(Trial::test("adapter::start", move || Err(message.into())));
                libtest_mimic::run(&args, trials).exit();
            }
        }
    };
    let baseline = Arc::new(load_baseline(&root, &adapter_name));

    let snapshot_dir = root.join("tests/snapshots").join(&adapter_name);
    for loaded in &suite.cases {
        let id = loaded.case.id.clone();
        let result = results.get(&id).cloned();
        let dir = snapshot_dir.clone();
        let location = format!("{}:{}", loaded.file.display(), loaded.line);
        let adapter_name = adapter_name.clone();
        let baseline = baseline.clone();
        let ignored = result
            .as_ref()
            .is_some_and(|r| r.status == Status::NotApplicable);
        let trial = Trial::test(id, move || match result {
            Some(result) => judge(result, &baseline, &dir, &location, &adapter_name),
            // Not selected: libtest-mimic filters it out before running it.
            None => Ok(()),
        });
        trials.push(trial.with_ignored_flag(ignored));
    }
    libtest_mimic::run(&args, trials).exit();
}

/// Mirrors libtest's selection: a name filter (substring, or whole name with `--exact`) and
/// `--skip` patterns.
fn is_selected(args: &Arguments, id: &str) -> bool {
    let matches = |pattern: &str| {
        if args.exact {
            id == pattern
        } else {
            id.contains(pattern)
        }
    };
    args.filter.as_deref().is_none_or(matches) && !args.skip.iter().any(|s| matches(s))
}

fn run_selected(
    adapter_name: &str,
    selected: &[&LoadedCase],
) -> Result<HashMap<String, CaseResult>, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    let cases = selected.iter().map(|c| c.case.clone()).collect();
    runtime.block_on(async {
        let adapter = adapter::open(adapter_name).await?;
        let results = run_all(adapter.clone(), cases, &RunOptions::default(), |_| {}).await;
        adapter.stop().await;
        Ok(results.into_iter().map(|r| (r.id.clone(), r)).collect())
    })
}

/// The adapter's baseline, when it has one; an unreadable baseline is an error of every case.
fn load_baseline(root: &Path, adapter: &str) -> Result<Option<Baseline>, String> {
    let path = root.join(gate::default_path(adapter));
    path.is_file().then(|| Baseline::load(&path)).transpose()
}

fn judge(
    result: CaseResult,
    baseline: &Result<Option<Baseline>, String>,
    snapshot_dir: &Path,
    location: &str,
    adapter: &str,
) -> Result<(), Failed> {
    let rerun = format!(
        "case at {location}\nrerun: TARO_CONFORMANCE_ADAPTER={adapter} cargo test --test conformance -- --exact {}",
        result.id
    );
    let baseline = baseline
        .as_ref()
        .map_err(|message| Failed::from(message.clone()))?;
    let listed = baseline
        .as_ref()
        .and_then(|b| b.expected.iter().find(|e| e.id == result.id));
    match (result.status, listed) {
        (Status::NotApplicable, None) => return Ok(()),
        (Status::Pass, None) => {}
        (Status::Pass, Some(_)) => {
            return Err(format!(
                "unexpected pass: the baseline lists {} but it passes now\n{rerun}",
                result.id
            )
            .into());
        }
        (Status::Fail, None) => {
            let lines: Vec<String> = result.mismatches.iter().map(|m| format!("  {m}")).collect();
            return Err(format!(
                "{} expectation(s) did not hold:\n{}\n{rerun}",
                lines.len(),
                lines.join("\n")
            )
            .into());
        }
        (other, None) => {
            let detail = result.detail.clone().unwrap_or_default();
            let stderr = result
                .stderr
                .clone()
                .map(|s| format!("\nstderr:\n{s}"))
                .unwrap_or_default();
            return Err(format!("{other}: {detail}{stderr}\n{rerun}").into());
        }
        (got, Some(entry)) if got != entry.status => {
            return Err(format!(
                "status changed: the baseline says {}, the case is {got}\n{rerun}",
                entry.status
            )
            .into());
        }
        (_, Some(entry)) => {
            let now = gate::fingerprint(&result);
            if now != entry.fingerprint {
                let lines: Vec<String> =
                    result.mismatches.iter().map(|m| format!("  {m}")).collect();
                return Err(format!(
                    "still failing, but differently (fingerprint {} in the baseline, {now} now):\n{}\n{rerun}",
                    entry.fingerprint,
                    lines.join("\n")
                )
                .into());
            }
        }
    }
    if result.observation.is_none() {
        return Ok(());
    }
    let record = serde_json::json!({
        "status": result.status,
        "observation": result.observation,
        "mismatches": result.mismatches.iter().map(|m| m.stable_text()).collect::<Vec<_>>(),
    });
    let redacted = redact(&record, &result.origins);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshot_dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let id = result.id.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        settings.bind(|| insta::assert_json_snapshot!(id, redacted));
    }))
    .map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "snapshot assertion failed".into());
        Failed::from(format!("{message}\n{rerun}"))
    })
}
