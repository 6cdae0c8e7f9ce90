//! The runner: each case in its own task with its own origins and deadline, many at once.
//!
//! ```no_run
//! # async fn demo() {
//! use taro_conformance::run::cases as runner;
//! use taro_conformance::{adapter, spec};
//! let suite = spec::load_dir("specs".as_ref());
//! let adapter = adapter::open("reference").await.unwrap();
//! let cases = suite.cases.iter().map(|c| c.case.clone()).collect();
//! let results = runner::run_all(adapter, cases, &runner::RunOptions::default(), |result| {
//!     println!("{} {}", result.id, result.status); // streamed as each case finishes
//! }).await;
//! # }
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::future::Either;

use crate::adapter::{Adapter, Outcome, RenderedCase, RenderedPage};
use crate::mock::Origins;
use crate::mock::pool::PagePorts;
use crate::observe::Observation;
use crate::outcome::{CaseResult, Problem};
use crate::spec::{Case, render};
use crate::value::elide::cut;
use crate::verdict::{Status, judge, status_for};

/// Values longer than this (strings and buffers by their bytes, arrays and objects by their
/// JSON) are kept in results (and so in the run log) as their length and digest; cases are
/// judged on the whole value first. The suite's largest values are its bulk bodies, strings
/// and buffers of megabytes; no other value it observes comes near.
pub const LOG_VALUE_LIMIT: usize = 64 * 1024;

/// The most an observation takes in a result (and so in the run log), in bytes of JSON: past
/// it, values are kept as notes and lists keep their first entries (see
/// [`Observation::compacted`]). The suite's observations take a few kilobytes.
pub const LOG_OBSERVATION_LIMIT: usize = 1024 * 1024;

/// How a run is carried out.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How many cases run at once.
    pub jobs: usize,
    /// The deadline of a case that names none.
    pub default_deadline: Duration,
    /// How long past a case's deadline an adapter may take to report before it is `timeout`.
    pub grace: Duration,
    /// The slots this run shares with the runs of other adapters in the same process, if any:
    /// a case takes one before its origins start and its deadline runs.
    pub scheduler: Option<Scheduler>,
    /// Whether page origins may be kept across cases, for an adapter that asks for them.
    pub isolation: Isolation,
}

/// How a browser adapter's pages are kept apart between cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Isolation {
    /// An adapter that asks for page origins in `ready` gets that many long-lived loopback
    /// ports; each case's page origin is served on one of them (by a server of its own), so a
    /// worker page already there need not navigate.
    #[default]
    Pooled,
    /// Every origin of every case on a fresh port, whatever the adapter asks: each page
    /// navigates to its case's own origin.
    PerCase,
}

/// Slots for cases, shared by the runs of several adapters in one process, so that the cases
/// in flight, across every adapter, stay few enough for the machine: a CPU-heavy adapter then
/// cannot starve the timers of another's cases (whose deadlines run only once they hold a slot).
///
/// Two things keep the CPU those cases need from arriving all at once, which on a small
/// machine stretches the timing windows of whatever else is in flight:
/// - a case that moves megabytes ([`Case::bulk_bytes`]) takes a quarter of the slots, so at most
///   a few such cases run at once, with little beside them;
/// - each run that joins starts its cases at another point of the suite (a golden-ratio stride),
///   so the adapters are not all in the same heavy or timing-dependent stretch together;
/// - runs started together ([`Scheduler::expect_runs`]) start their cases once every adapter is
///   open (or failed to open): a browser's launch takes a core for seconds, and the first cases
///   of the adapters that were quicker would run their timers beside it.
///
/// ```
/// let scheduler = taro_conformance::run::cases::Scheduler::new(48);
/// assert_eq!(scheduler.slots(), 48);
/// ```
#[derive(Debug, Clone)]
pub struct Scheduler {
    slots: usize,
    semaphore: Arc<tokio::sync::Semaphore>,
    runs: Arc<std::sync::atomic::AtomicUsize>,
    /// How many of the runs started together are still opening their adapters.
    opening: Arc<tokio::sync::watch::Sender<usize>>,
}

/// A run's place among the runs started together: [`Opening::opened`] once its adapter is open,
/// and if it never is (an error, an interrupt), dropping it counts the same.
#[derive(Debug)]
pub struct Opening {
    opening: Option<Arc<tokio::sync::watch::Sender<usize>>>,
}

impl Opening {
    /// Counts this run as open, then waits until every run started together is.
    pub async fn opened(mut self) {
        if let Some(opening) = self.opening.take() {
            opening.send_modify(|n| *n = n.saturating_sub(1));
            let mut open = opening.subscribe();
            // The sender lives in `opening`, held here: the channel cannot close.
            let _ = open.wait_for(|n| *n == 0).await;
        }
    }
}

impl Drop for Opening {
    fn drop(&mut self) {
        if let Some(opening) = self.opening.take() {
            opening.send_modify(|n| *n = n.saturating_sub(1));
        }
    }
}

/// From this many generated bytes on, a case counts as bulk (see [`Scheduler`]).
pub const BULK_BYTES: usize = 1 << 20;

/// Whether `case` moves megabytes (see [`BULK_BYTES`]).
fn is_bulk(case: &Case) -> bool {
    case.bulk_bytes() >= BULK_BYTES
}

impl Scheduler {
    /// A scheduler with `slots` cases in flight at most (at least 1).
    pub fn new(slots: usize) -> Scheduler {
        let slots = slots.clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
        Scheduler {
            slots,
            semaphore: Arc::new(tokio::sync::Semaphore::new(slots)),
            runs: Arc::default(),
            opening: Arc::new(tokio::sync::watch::Sender::new(0)),
        }
    }

    /// The next `runs` runs that hold it start their cases together, once each has opened its
    /// adapter ([`Scheduler::opening`]).
    pub fn expect_runs(&self, runs: usize) {
        self.opening.send_replace(runs);
    }

    /// Whether `other` is this scheduler (a clone of it), not another with its own slots.
    pub fn is(&self, other: &Scheduler) -> bool {
        Arc::ptr_eq(&self.semaphore, &other.semaphore)
    }

    /// A run's place among those [expected](Scheduler::expect_runs), taken before it opens its
    /// adapter.
    pub fn opening(&self) -> Opening {
        Opening {
            opening: Some(self.opening.clone()),
        }
    }

    /// The scheduler several adapters share when each runs `jobs` cases at once: that many in
    /// flight across them all (the cases mostly wait, but a 2-core machine has no CPU to spare
    /// for more).
    pub fn shared_by(jobs: usize) -> Scheduler {
        Scheduler::new(jobs)
    }

    /// How many cases it lets run at once.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// How many slots `case` takes.
    ///
    /// ```
    /// let scheduler = taro_conformance::run::cases::Scheduler::new(32);
    /// let case = &taro_conformance::spec::load_str("x.yaml".as_ref(), "cases:\n- id: a.b\n  summary: s\n  contract: [RES-6]\n  level: required\n  origins: { api: { stubs: [{ response: { status: 200, generatedBody: { pattern: ab, length: 2097152 } } }] } }\n  call: { url: \"{{origin.api}}/\" }\n  expect: { client: { settled: resolved } }\n").unwrap()[0].case;
    /// assert_eq!(scheduler.weight(case), 8);
    /// ```
    pub fn weight(&self, case: &Case) -> u32 {
        if is_bulk(case) {
            (self.slots / 4).max(1) as u32
        } else {
            1
        }
    }

    /// Puts `cases` in the order this run takes them: the next run to join starts further on.
    fn stagger(&self, cases: &mut [Case]) {
        let run = self.runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if !cases.is_empty() {
            let start = (run as f64 * 0.618_034).fract() * cases.len() as f64;
            cases.rotate_left(start as usize % cases.len());
        }
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: default_jobs(),
            default_deadline: Duration::from_millis(5000),
            grace: Duration::from_millis(3000),
            scheduler: None,
            isolation: Isolation::default(),
        }
    }
}

/// Cases mostly wait on sockets and timers, so many run at once even on a small machine.
pub fn default_jobs() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores * 16).clamp(16, 64)
}

/// Runs every case, `options.jobs` at a time (or fewer, when the adapter runs fewer at once),
/// calling `on_result` as each one finishes; returns all results in completion order.
///
/// A case that moves megabytes ([`Case::bulk_bytes`]) runs alone on its adapter, and such cases
/// go first: an adapter of one JavaScript thread is busy for a while decoding and encoding its
/// body, and any case beside it would see its timers fire late.
pub async fn run_all(
    adapter: Arc<dyn Adapter>,
    mut cases: Vec<Case>,
    options: &RunOptions,
    mut on_result: impl FnMut(&CaseResult),
) -> Vec<CaseResult> {
    if let Some(scheduler) = &options.scheduler {
        scheduler.stagger(&mut cases);
    }
    // Stable: the other cases keep the order the scheduler gave them.
    cases.sort_by_key(|case| !is_bulk(case));
    let alone = Arc::new(tokio::sync::RwLock::new(()));
    let mut results = Vec::with_capacity(cases.len());
    let jobs = options
        .jobs
        .min(adapter.concurrency().unwrap_or(usize::MAX))
        .max(1);
    // No more ports than cases in flight; none if they cannot be bound (fresh origins then).
    let ports = match (options.isolation, adapter.page_origins().min(jobs)) {
        (Isolation::Pooled, wanted) if wanted > 0 => PagePorts::new(wanted).ok(),
        _ => None,
    };
    let mut stream = futures::stream::iter(cases)
        .map(|case| {
            let adapter = adapter.clone();
            let options = options.clone();
            let mut failed = CaseResult::new(&case);
            let alone = alone.clone();
            let ports = ports.clone();
            // Each case in its own task: a panic stays in it, and origins drop there.
            async move {
                // Held until the case ends: alone on the adapter, or beside the others.
                let turn = if is_bulk(&case) {
                    Either::Left(alone.write_owned().await)
                } else {
                    Either::Right(alone.read_owned().await)
                };
                let slot = match &options.scheduler {
                    Some(scheduler) => Some(
                        scheduler
                            .semaphore
                            .clone()
                            .acquire_many_owned(scheduler.weight(&case))
                            .await
                            .expect("the scheduler is never closed"),
                    ),
                    None => None,
                };
                let task = tokio::spawn(async move {
                    let result =
                        run_case_on(adapter.as_ref(), &case, &options, ports.as_ref()).await;
                    drop((slot, turn));
                    result
                });
                match task.await {
                    Ok(result) => result,
                    Err(join_error) => {
                        failed.problem = Some(Problem::HarnessFailed {
                            message: join_error.to_string(),
                        });
                        failed
                    }
                }
            }
        })
        .buffer_unordered(jobs);
    while let Some(result) = stream.next().await {
        on_result(&result);
        results.push(result);
    }
    results
}

/// Runs one case: starts its origins, renders and runs the call, collects the traffic, judges.
pub async fn run_case(adapter: &dyn Adapter, case: &Case, options: &RunOptions) -> CaseResult {
    run_case_on(adapter, case, options, None).await
}

/// The origin a case's page lives at, by name: the one its `page` names, otherwise the one its
/// call's url starts with (as adapters find it), when that origin can be served on a page port.
pub fn page_origin(case: &Case) -> Option<&str> {
    let name = match &case.page {
        Some(page) => page.origin.as_str(),
        None => {
            let url = case.call.as_str().or_else(|| case.call["url"].as_str())?;
            let rest = url.strip_prefix("{{origin.")?;
            &rest[..rest.find("}}")?]
        }
    };
    case.origins
        .get(name)
        .filter(|spec| crate::mock::poolable(spec))
        .map(|_| name)
}

/// As [`run_case`], the case's page origin ([`page_origin`]) served on a port of `ports` when
/// one is idle.
pub async fn run_case_on(
    adapter: &dyn Adapter,
    case: &Case,
    options: &RunOptions,
    ports: Option<&PagePorts>,
) -> CaseResult {
    let started = Instant::now();
    let mut result = CaseResult::new(case);
    let missing = adapter.info().missing(&case.requires);
    if !missing.is_empty() {
        result.status = Status::NotApplicable;
        result.problem = Some(Problem::NotApplicable { lacks: missing });
        return result;
    }
    let page = page_origin(case).and_then(|name| Some((name, ports?.lease()?)));
    let origins = match Origins::start_on(&case.origins, page).await {
        Ok(origins) => origins,
        Err(err) => {
            result.problem = Some(Problem::OriginsFailed {
                message: err.to_string(),
            });
            return result;
        }
    };
    let deadline = case
        .deadline_ms
        .map(Duration::from_millis)
        .unwrap_or(options.default_deadline);
    result.origins = origins.base_urls();
    let rendered = RenderedCase {
        id: case.id.clone(),
        call: render(&case.call, &result.origins),
        before: case
            .before
            .iter()
            .map(|c| render(c, &result.origins))
            .collect(),
        actions: case.actions.clone(),
        page: case
            .page
            .as_ref()
            .map(|p| RenderedPage::new(p, &result.origins)),
        interceptors: case.interceptors.clone(),
        clean_interceptors: case.clean_interceptors,
        later_interceptors: case.later_interceptors.clone(),
        deadline,
    };
    let report = tokio::time::timeout(deadline + options.grace, adapter.run(&rendered))
        .await
        .unwrap_or_else(|_| Outcome::TimedOut.into());
    if !report.stderr.is_empty() {
        result.stderr = Some(report.stderr.join("\n"));
    }
    let outcome = report.outcome;
    let wire = origins.traffic().await;
    origins.close().await;
    match outcome {
        Outcome::Observed(client) => {
            let observation = Observation { wire, client };
            result.mismatches = judge(case, &observation);
            result.status = status_for(case.level, &result.mismatches);
            result.observation =
                Some(observation.compacted(LOG_VALUE_LIMIT, LOG_OBSERVATION_LIMIT));
        }
        // What an adapter says in words is kept as long as a value is.
        Outcome::Skipped(reason) => {
            result.status = Status::Skipped;
            result.problem = Some(Problem::Skipped {
                reason: cut(&reason, LOG_VALUE_LIMIT),
            });
        }
        Outcome::Errored(message) => {
            result.status = Status::Error;
            result.problem = Some(Problem::Errored {
                message: cut(&message, LOG_VALUE_LIMIT),
            });
        }
        Outcome::ProtocolViolation(violation) => {
            result.status = Status::Error;
            result.problem = Some(Problem::ProtocolViolation { violation });
        }
        Outcome::Crashed(output) => {
            result.status = Status::Crash;
            result.problem = Some(Problem::Crashed { output });
        }
        Outcome::TimedOut => {
            result.status = Status::Timeout;
            result.problem = Some(Problem::TimedOut {
                deadline_ms: deadline.as_millis() as u64,
                grace_ms: options.grace.as_millis() as u64,
            });
        }
    }
    result.elapsed_ms = started.elapsed().as_millis() as u64;
    result
}
