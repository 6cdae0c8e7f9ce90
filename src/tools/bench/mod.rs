//! Benchmarks that print figures (never timed tests): the harness's own cost per case on the
//! reference adapter, the protocol's round trip with a null adapter, the suite's wall time
//! against the longest deliberate delay in it, its peak memory on large inputs ([`memory`]), and
//! with the adapters set up, whole runs as processes ([`whole`]): every adapter in one run
//! against the slowest alone, its CPU, and the Chromium suite against its floor.

pub mod memory;
pub mod whole;

use std::time::{Duration, Instant};

use crate::adapter::process::{Launch, ProcessAdapter};
use crate::adapter::reference::ReferenceAdapter;
use crate::adapter::{Adapter, AdapterError, REFERENCE, RenderedCase};
use crate::run::cases::{RunOptions, run_case};
use crate::run::{BaselineChoice, Run};
use crate::spec::{self, load_str};

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

/// An adapter that times its inner adapter's runs, so that what the harness adds around them
/// can be told apart.
struct Timed<A> {
    inner: A,
    last: std::sync::Mutex<Duration>,
}

impl<A: Adapter> Timed<A> {
    fn new(inner: A) -> Timed<A> {
        Timed {
            inner,
            last: std::sync::Mutex::default(),
        }
    }

    /// How long the last run took inside the inner adapter.
    fn last_run(&self) -> Duration {
        *self.last.lock().expect("never poisoned")
    }
}

impl<A: Adapter> Adapter for Timed<A> {
    fn info(&self) -> &crate::adapter::AdapterInfo {
        self.inner.info()
    }

    fn run<'a>(
        &'a self,
        case: &'a RenderedCase,
    ) -> futures::future::BoxFuture<'a, crate::adapter::Report> {
        Box::pin(async move {
            let started = Instant::now();
            let report = self.inner.run(case).await;
            *self.last.lock().expect("never poisoned") = started.elapsed();
            report
        })
    }
}

/// A timing, as measured over many iterations.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What was measured.
    pub what: &'static str,
    /// The median.
    pub median: Duration,
    /// The 95th percentile.
    pub p95: Duration,
    /// What it should be.
    pub target: &'static str,
}

impl Figure {
    fn new(what: &'static str, samples: &mut [Duration], target: &'static str) -> Figure {
        samples.sort();
        let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
        Figure {
            what,
            median: at(0.5),
            p95: at(0.95),
            target,
        }
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: median {:.3} ms, p95 {:.3} ms ({})",
            self.what,
            self.median.as_secs_f64() * 1000.0,
            self.p95.as_secs_f64() * 1000.0,
            self.target
        )
    }
}

/// The suite's wall time on the reference adapter.
#[derive(Debug, Clone, PartialEq)]
pub struct SuiteTime {
    /// Wall time of the whole suite.
    pub wall: Duration,
    /// How many cases ran.
    pub cases: usize,
    /// The longest delay a stub holds a reply back, in ms.
    pub longest_delay_ms: u64,
    /// The slowest case, in ms.
    pub slowest_ms: u64,
}

impl std::fmt::Display for SuiteTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "suite wall time, reference: {:.2} s for {} cases; longest deliberate delay {:.2} s; slowest case {:.2} s; target: within about 1 s of the longest delay",
            self.wall.as_secs_f64(),
            self.cases,
            self.longest_delay_ms as f64 / 1000.0,
            self.slowest_ms as f64 / 1000.0
        )
    }
}

/// Every figure of one benchmark run.
#[derive(Debug, Clone)]
pub struct Figures {
    /// Iterations per timing.
    pub iterations: usize,
    /// What a case costs the harness beyond the adapter's own run, on the reference adapter.
    pub overhead: Figure,
    /// The protocol's round trip with a null adapter, or why it was not measured.
    pub round_trip: Result<Figure, NotMeasured>,
    /// The harness's peak memory once an adapter has flooded its stderr, or why it was not
    /// measured.
    pub flood: Result<FloodMemory, NotMeasured>,
    /// The suite's wall time.
    pub suite: SuiteTime,
    /// The harness's peak memory on large inputs, or why it was not measured.
    pub peaks: Result<Vec<memory::PeakMemory>, NotMeasured>,
}

/// The harness's memory while an adapter writes [`FLOOD_MB`] MB to stderr during one case.
#[derive(Debug, Clone, PartialEq)]
pub struct FloodMemory {
    /// The process's peak resident memory so far (VmHWM), in MB.
    pub peak_mb: f64,
    /// How much stderr the case kept, in bytes.
    pub kept_bytes: usize,
}

/// How much the flooding adapter writes to stderr, in MB.
pub const FLOOD_MB: usize = 250;

impl std::fmt::Display for FloodMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "harness peak memory (VmHWM) after an adapter wrote {FLOOD_MB} MB to stderr: {:.0} MB, {} bytes kept with the case (target < 200 MB)",
            self.peak_mb, self.kept_bytes
        )
    }
}

/// Why the protocol's round trip was not measured.
#[derive(Debug, Clone)]
pub enum NotMeasured {
    /// The null adapter's program is not there (the bench runs from the repository root).
    NoNullAdapter(std::path::PathBuf),
    /// It could not be started.
    CannotStart(AdapterError),
    /// It did not answer a case with a result.
    NoAnswer(String),
    /// What the figure needs is not there (a file, `/proc`).
    Unavailable(String),
}

impl std::fmt::Display for NotMeasured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotMeasured::NoNullAdapter(path) => {
                write!(
                    f,
                    "{} not found: run from the repository root",
                    path.display()
                )
            }
            NotMeasured::CannotStart(error) => error.fmt(f),
            NotMeasured::NoAnswer(outcome) => {
                write!(f, "the null adapter did not answer: {outcome}")
            }
            NotMeasured::Unavailable(why) => f.write_str(why),
        }
    }
}

/// Runs every benchmark (at least 10 iterations per timing) and returns its figures.
pub async fn run(iterations: usize) -> Figures {
    let iterations = iterations.max(10);
    let quick = load_str("bench".as_ref(), QUICK)
        .expect("valid")
        .remove(0)
        .case;
    let reference = Timed::new(ReferenceAdapter::new());
    let mut overhead = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        run_case(&reference, &quick, &RunOptions::default()).await;
        let total = started.elapsed();
        // What the case cost beyond the adapter's own run: origins, rendering, judging. (The
        // client's elapsed time, in whole milliseconds, is too coarse to subtract.)
        overhead.push(total.saturating_sub(reference.last_run()));
    }
    let overhead = Figure::new(
        "per-case harness overhead, reference, no-delay case",
        &mut overhead,
        "target ≤ 0.5 ms",
    );
    let round_trip = round_trip(iterations).await;
    let flood = flood().await;

    let suite = spec::load_dir("specs".as_ref());
    let longest = suite
        .cases
        .iter()
        .map(|c| c.case.longest_delay_ms())
        .max()
        .unwrap_or(0);
    let started = Instant::now();
    // The whole pipeline, as `run` does it (no log: the figure is the suite's, not the disk's).
    let results = Run::new(REFERENCE)
        .baseline(BaselineChoice::None)
        .execute(&suite, &suite.cases, |_| {})
        .await
        .expect("the built-in adapter opens, and no baseline or log is read")
        .results;
    let suite = SuiteTime {
        wall: started.elapsed(),
        cases: results.len(),
        longest_delay_ms: longest,
        slowest_ms: results.iter().map(|r| r.elapsed_ms).max().unwrap_or(0),
    };
    let peaks = memory::peaks().await;
    Figures {
        iterations,
        overhead,
        round_trip,
        flood,
        suite,
        peaks,
    }
}

/// The protocol's round trip: a trivial case sent to a null adapter and answered.
async fn round_trip(iterations: usize) -> Result<Figure, NotMeasured> {
    let adapter = null_adapter().await?;
    let case = null_case();
    let mut round_trips = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        let report = adapter.run(&case).await;
        round_trips.push(started.elapsed());
        if !matches!(report.outcome, crate::adapter::Outcome::Observed(_)) {
            adapter.stop().await;
            return Err(NotMeasured::NoAnswer(format!("{:?}", report.outcome)));
        }
    }
    adapter.stop().await;
    Ok(Figure::new(
        "protocol round trip, null adapter (node)",
        &mut round_trips,
        "target < 1 ms",
    ))
}

/// The browser adapter, whose suite is compared with its floor.
pub const BROWSER_ADAPTER: &str = "taro-h5-chromium";

/// One case on an adapter that writes [`FLOOD_MB`] MB to stderr while running it; then the
/// process's peak memory.
async fn flood() -> Result<FloodMemory, NotMeasured> {
    let adapter = misbehaving(&format!("stderr-flood-on:bench.flood:{FLOOD_MB}")).await?;
    let mut case = null_case();
    case.id = "bench.flood".into();
    case.deadline = Duration::from_secs(60);
    let report = adapter.run(&case).await;
    adapter.stop().await;
    if !matches!(report.outcome, crate::adapter::Outcome::Observed(_)) {
        return Err(NotMeasured::NoAnswer(format!("{:?}", report.outcome)));
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| NotMeasured::NoAnswer("no VmHWM in /proc/self/status".into()))?;
    Ok(FloodMemory {
        peak_mb: peak_kb / 1024.0,
        kept_bytes: report.stderr.iter().map(|l| l.len() + 1).sum(),
    })
}

/// A trivial case for the misbehaving adapter.
fn null_case() -> RenderedCase {
    RenderedCase {
        id: "bench.null".into(),
        call: serde_json::json!({"url": "http://127.0.0.1:9/"}),
        before: Vec::new(),
        actions: Vec::new(),
        page: None,
        interceptors: Vec::new(),
        clean_interceptors: false,
        later_interceptors: Vec::new(),
        deadline: Duration::from_secs(5),
    }
}

/// The null adapter of the tests (answers every case at once), run from the repository root.
async fn null_adapter() -> Result<ProcessAdapter, NotMeasured> {
    misbehaving("null").await
}

/// The tests' misbehaving adapter in this mode, run from the repository root.
async fn misbehaving(mode: &str) -> Result<ProcessAdapter, NotMeasured> {
    let script = std::path::Path::new("tests/adapters/misbehave.js");
    if !script.is_file() {
        return Err(NotMeasured::NoNullAdapter(script.to_path_buf()));
    }
    ProcessAdapter::start(Launch::new(
        mode,
        "node",
        ["tests/adapters/misbehave.js", mode],
        ".",
    ))
    .await
    .map_err(NotMeasured::CannotStart)
}
