//! Benchmarks that print figures (never timed tests): the harness's own cost per case on the
//! reference adapter, the protocol's round trip with a null adapter, and the suite's wall time
//! against the longest deliberate delay in it.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::adapter::process::{Launch, ProcessAdapter};
use crate::adapter::reference::ReferenceAdapter;
use crate::adapter::{Adapter, RenderedCase};
use crate::runner::{RunOptions, run_all, run_case};
use crate::spec::{self, Case, load_str};

/// A case with no deliberate delay: one GET answered at once.
const QUICK: &str = r#"
cases:
  - id: bench.quick
    summary: one GET answered at once
    contract: [CALL-1]
    level: required
    origins: { api: { stubs: [{ response: { status: 200, jsonBody: { ok: true } } }] } }
    call: { url: "{{origin.api}}/b" }
    expect: { client: { settled: resolved } }
"#;

/// Runs every benchmark and prints its figures.
pub async fn run(iterations: usize) -> ExitCode {
    let iterations = iterations.max(10);
    println!("taro-conformance bench ({iterations} iterations per figure)\n");

    let quick = load_str("bench".as_ref(), QUICK)
        .expect("valid")
        .remove(0)
        .case;
    let reference = ReferenceAdapter::new();
    let mut overhead = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        let result = run_case(&reference, &quick, &RunOptions::default()).await;
        let total = started.elapsed();
        let client = result.observation.map(|o| o.client.elapsed_ms).unwrap_or(0);
        // What the case cost beyond the call itself: origins, rendering, judging.
        overhead.push(total.saturating_sub(Duration::from_millis(client)));
    }
    print_figure(
        "per-case harness overhead, reference, no-delay case",
        &mut overhead,
        "target < 2 ms",
    );

    match null_adapter().await {
        Ok(adapter) => {
            let case = RenderedCase {
                id: "bench.null".into(),
                call: serde_json::json!({"url": "http://127.0.0.1:9/"}),
                before: Vec::new(),
                actions: Vec::new(),
                page: None,
                interceptors: Vec::new(),
                clean_interceptors: false,
                deadline: Duration::from_secs(5),
            };
            let mut round_trips = Vec::with_capacity(iterations);
            for _ in 0..iterations {
                let started = Instant::now();
                let report = adapter.run(&case).await;
                round_trips.push(started.elapsed());
                if !matches!(report.outcome, crate::adapter::Outcome::Observed(_)) {
                    println!(
                        "protocol round trip: the null adapter did not answer: {:?}",
                        report.outcome
                    );
                    return ExitCode::from(1);
                }
            }
            adapter.stop().await;
            print_figure(
                "protocol round trip, null adapter (node)",
                &mut round_trips,
                "target < 1 ms",
            );
        }
        Err(message) => println!("protocol round trip: not measured ({message})"),
    }

    let suite = spec::load_dir("specs".as_ref());
    let cases: Vec<Case> = suite.cases.iter().map(|c| c.case.clone()).collect();
    let longest = cases.iter().map(longest_delay).max().unwrap_or(0);
    let adapter: Arc<dyn Adapter> = Arc::new(ReferenceAdapter::new());
    let started = Instant::now();
    let results = run_all(adapter, cases, &RunOptions::default(), |_| {}).await;
    let wall = started.elapsed();
    let slowest = results.iter().map(|r| r.elapsed_ms).max().unwrap_or(0);
    println!(
        "suite wall time, reference: {:.2} s for {} cases; longest deliberate delay {:.2} s; slowest case {:.2} s; target: within about 1 s of the longest delay",
        wall.as_secs_f64(),
        results.len(),
        longest as f64 / 1000.0,
        slowest as f64 / 1000.0
    );
    ExitCode::SUCCESS
}

/// The longest delay a case's stubs hold a reply back (fixed delays and slow bodies).
pub fn longest_delay(case: &Case) -> u64 {
    case.origins
        .values()
        .flat_map(|o| &o.stubs)
        .flat_map(|s| s.response.iter().chain(s.responses.iter().flatten()))
        .map(|r| {
            r.fixed_delay_milliseconds.unwrap_or(0)
                + r.chunked_dribble_delay
                    .map(|d| d.total_duration)
                    .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
}

async fn null_adapter() -> Result<ProcessAdapter, String> {
    let script = std::path::Path::new("tests/adapters/misbehave.js");
    if !script.is_file() {
        return Err(format!(
            "{} not found: run from the repository root",
            script.display()
        ));
    }
    ProcessAdapter::start(Launch::new(
        "null",
        "node",
        ["tests/adapters/misbehave.js", "null"],
        ".",
    ))
    .await
}

fn print_figure(what: &str, samples: &mut [Duration], target: &str) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{what}: median {:.3} ms, p95 {:.3} ms ({target})",
        at(0.5).as_secs_f64() * 1000.0,
        at(0.95).as_secs_f64() * 1000.0
    );
}
