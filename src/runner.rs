//! The runner: each case in its own task with its own origins and deadline, many at once.
//!
//! ```no_run
//! # async fn demo() {
//! use taro_conformance::{adapter, runner, spec};
//! let suite = spec::load_dir("specs".as_ref());
//! let adapter = adapter::open("reference").await.unwrap();
//! let cases = suite.cases.iter().map(|c| c.case.clone()).collect();
//! let results = runner::run_all(adapter, cases, &runner::RunOptions::default(), |result| {
//!     println!("{} {}", result.id, result.status); // streamed as each case finishes
//! }).await;
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde::{Deserialize, Serialize};

use crate::adapter::{Adapter, Outcome, RenderedCase, RenderedPage, Violation};
use crate::capability::Capability;
use crate::mock::Origins;
use crate::observe::Observation;
use crate::spec::{Case, Level, render};
use crate::verdict::{Mismatch, Status, judge, status_for};

/// Strings and buffers longer than this are kept in results (and so in the run log) as their
/// length and digest; cases are judged on the whole value first.
pub const LOG_VALUE_LIMIT: usize = 64 * 1024;

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
}

/// Slots for cases, shared by the runs of several adapters in one process, so that the cases
/// in flight, across every adapter, stay few enough for the machine: a CPU-heavy adapter then
/// cannot starve the timers of another's cases (whose deadlines run only once they hold a slot).
///
/// ```
/// let scheduler = taro_conformance::runner::Scheduler::new(48);
/// assert_eq!(scheduler.slots(), 48);
/// ```
#[derive(Debug, Clone)]
pub struct Scheduler {
    slots: usize,
    semaphore: std::sync::Arc<tokio::sync::Semaphore>,
}

impl Scheduler {
    /// A scheduler with `slots` cases in flight at most (at least 1).
    pub fn new(slots: usize) -> Scheduler {
        let slots = slots.max(1);
        Scheduler {
            slots,
            semaphore: std::sync::Arc::new(tokio::sync::Semaphore::new(slots)),
        }
    }

    /// The scheduler several adapters share when each runs `jobs` cases at once: twice that
    /// many in flight across them all.
    pub fn shared_by(jobs: usize) -> Scheduler {
        Scheduler::new(jobs * 2)
    }

    /// How many cases it lets run at once.
    pub fn slots(&self) -> usize {
        self.slots
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: default_jobs(),
            default_deadline: Duration::from_millis(5000),
            grace: Duration::from_millis(3000),
            scheduler: None,
        }
    }
}

/// Cases mostly wait on sockets and timers, so many run at once even on a small machine.
pub fn default_jobs() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores * 16).clamp(16, 64)
}

/// The result of one case, as the run log records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// The verdict.
    pub status: Status,
    /// The case's level.
    pub level: Level,
    /// The clauses it checks.
    pub contract: Vec<String>,
    /// Wall time of the whole case (origins, call, judging), in ms.
    pub elapsed_ms: u64,
    /// Each origin's base URL in this run, by name (ports differ from run to run).
    #[serde(default)]
    pub origins: BTreeMap<String, String>,
    /// What was observed, when the adapter ran the call.
    pub observation: Option<Observation>,
    /// Expectations that did not hold (kept for informational cases too, which still pass).
    pub mismatches: Vec<Mismatch>,
    /// Why the case did not run or was not judged (error, crash, timeout, not applicable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
    /// What the adapter wrote to stderr while it ran this case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
}

impl CaseResult {
    /// A result with nothing observed yet: `error` until the case says otherwise.
    fn new(case: &Case) -> CaseResult {
        CaseResult {
            id: case.id.clone(),
            status: Status::Error,
            level: case.level,
            contract: case.contract.clone(),
            elapsed_ms: 0,
            origins: BTreeMap::new(),
            observation: None,
            mismatches: Vec::new(),
            problem: None,
            stderr: None,
        }
    }

    /// [`CaseResult::problem`] in words.
    pub fn detail(&self) -> Option<String> {
        self.problem.as_ref().map(ToString::to_string)
    }
}

/// Why a case has no judged observation.
///
/// ```
/// use taro_conformance::runner::Problem;
/// let p = Problem::TimedOut { deadline_ms: 5000, grace_ms: 3000 };
/// assert_eq!(p.to_string(), "no answer within 8000 ms (deadline 5000 ms + grace 3000 ms)");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Problem {
    /// The adapter lacks capabilities the case requires.
    NotApplicable {
        /// The capabilities it lacks.
        lacks: Vec<Capability>,
    },
    /// The adapter chose not to run the case.
    Skipped {
        /// Its reason.
        reason: String,
    },
    /// The case's mock origins could not start.
    OriginsFailed {
        /// Why.
        message: String,
    },
    /// The adapter said it could not run the case.
    Errored {
        /// What it said.
        message: String,
    },
    /// The adapter broke the protocol while running the case.
    ProtocolViolation {
        /// How.
        violation: Violation,
    },
    /// The adapter died while running the case.
    Crashed {
        /// What it left behind.
        output: String,
    },
    /// No answer by the deadline plus the grace period.
    TimedOut {
        /// The case's deadline.
        deadline_ms: u64,
        /// The grace period after it.
        grace_ms: u64,
    },
    /// The harness itself failed on the case (a panic in its task).
    HarnessFailed {
        /// What failed.
        message: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NotApplicable { lacks } => {
                let names: Vec<&str> = lacks.iter().map(|c| c.as_str()).collect();
                write!(f, "the adapter lacks {}", names.join(", "))
            }
            Problem::Skipped { reason } => f.write_str(reason),
            Problem::OriginsFailed { message } => {
                write!(f, "cannot start the mock origins: {message}")
            }
            Problem::Errored { message } => f.write_str(message),
            Problem::ProtocolViolation { violation } => {
                write!(f, "protocol violation: {violation}")
            }
            Problem::Crashed { output } => f.write_str(output),
            Problem::TimedOut {
                deadline_ms,
                grace_ms,
            } => write!(
                f,
                "no answer within {} ms (deadline {deadline_ms} ms + grace {grace_ms} ms)",
                deadline_ms + grace_ms
            ),
            Problem::HarnessFailed { message } => {
                write!(f, "the harness failed on this case: {message}")
            }
        }
    }
}

/// Runs every case, `options.jobs` at a time (or fewer, when the adapter runs fewer at once),
/// calling `on_result` as each one finishes; returns all results in completion order.
pub async fn run_all(
    adapter: Arc<dyn Adapter>,
    cases: Vec<Case>,
    options: &RunOptions,
    mut on_result: impl FnMut(&CaseResult),
) -> Vec<CaseResult> {
    let mut results = Vec::with_capacity(cases.len());
    let jobs = options
        .jobs
        .min(adapter.concurrency().unwrap_or(usize::MAX))
        .max(1);
    let mut stream = futures::stream::iter(cases)
        .map(|case| {
            let adapter = adapter.clone();
            let options = options.clone();
            let mut failed = CaseResult::new(&case);
            // Each case in its own task: a panic stays in it, and origins drop there.
            async move {
                let slot = match &options.scheduler {
                    Some(scheduler) => Some(
                        scheduler
                            .semaphore
                            .clone()
                            .acquire_owned()
                            .await
                            .expect("the scheduler is never closed"),
                    ),
                    None => None,
                };
                let task = tokio::spawn(async move {
                    let result = run_case(adapter.as_ref(), &case, &options).await;
                    drop(slot);
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
    let started = Instant::now();
    let mut result = CaseResult::new(case);
    let missing = adapter.info().missing(&case.requires);
    if !missing.is_empty() {
        result.status = Status::NotApplicable;
        result.problem = Some(Problem::NotApplicable { lacks: missing });
        return result;
    }
    let origins = match Origins::start(&case.origins).await {
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
    // wiremock's Drop blocks on a tokio lock; unconstrained keeps the co-op budget from
    // starving it.
    tokio::task::unconstrained(async move { drop(origins) }).await;
    match outcome {
        Outcome::Observed(client) => {
            let observation = Observation { wire, client };
            result.mismatches = judge(case, &observation);
            result.status = status_for(case.level, &result.mismatches);
            result.observation = Some(observation.compacted(LOG_VALUE_LIMIT));
        }
        Outcome::Skipped(reason) => {
            result.status = Status::Skipped;
            result.problem = Some(Problem::Skipped { reason });
        }
        Outcome::Errored(message) => {
            result.status = Status::Error;
            result.problem = Some(Problem::Errored { message });
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
