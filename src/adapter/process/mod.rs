//! Process adapters: any program that speaks protocol v1 ([`super::protocol`]) on its stdin
//! and stdout.
//!
//! The runner starts the program, replays `start` whenever it has to start it again, and keeps
//! every case safe from every other: each run has a deadline; a program that dies, hangs, prints
//! something that is not protocol JSON, answers a `seq` that is not in flight, or answers one
//! twice gets the cases it was running marked `crash`, `timeout` or `error` (with its stderr),
//! and is started again for the next case, up to [`MAX_RESTARTS`] times.
//!
//! ```no_run
//! # async fn demo() -> Result<(), taro_conformance::adapter::AdapterError> {
//! use taro_conformance::adapter::process::{Launch, ProcessAdapter};
//! let launch = Launch::new("example-node", "node", ["adapter.js"], "adapters/example-node");
//! let adapter = ProcessAdapter::start(launch).await?; // `start` → `ready`
//! # Ok(()) }
//! ```

mod readers;
mod running;
mod spawn;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::sync::{Semaphore, oneshot};

use self::running::{Pending, Running};
use self::spawn::{info_from, spawn};
use super::protocol::RunnerMessage;
use super::{Adapter, AdapterError, AdapterInfo, Outcome, RenderedCase, Report};

/// How many times a run may start an adapter again before giving up on it.
pub const MAX_RESTARTS: usize = 5;

/// How long past a case's deadline an adapter may take to answer (the runner's own grace is
/// longer, so the adapter's timeout is the one that fires and can restart it).
pub const ANSWER_GRACE: Duration = Duration::from_millis(2000);

/// The longest protocol line an adapter may print: past it, the line is a violation, never
/// buffered whole.
pub const MAX_PROTOCOL_LINE: usize = 32 * 1024 * 1024;

/// How to start an adapter program.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The adapter's name (for messages before it has said its own).
    pub name: String,
    /// The program.
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// The directory it runs in.
    pub dir: PathBuf,
    /// How long it may take to answer `start`.
    pub start_timeout: Duration,
    /// Environment variables set for it.
    pub env: Vec<(String, String)>,
    /// The variables of the runner's environment it gets besides those of the allow-list (see
    /// [`crate::adapter::env`]): its manifest's `env`.
    pub named_env: Vec<String>,
}

impl Launch {
    /// A launch with the default start timeout (30 s).
    pub fn new<S: Into<String>>(
        name: &str,
        program: &str,
        args: impl IntoIterator<Item = S>,
        dir: impl Into<PathBuf>,
    ) -> Launch {
        Launch {
            name: name.to_string(),
            program: program.to_string(),
            args: args.into_iter().map(Into::into).collect(),
            dir: dir.into(),
            start_timeout: Duration::from_secs(30),
            env: Vec::new(),
            named_env: Vec::new(),
        }
    }
}

/// An adapter program, started and ready.
pub struct ProcessAdapter {
    launch: Launch,
    info: AdapterInfo,
    /// What is worth a warning about it (see [`ProcessAdapter::name_as`]).
    warnings: Vec<String>,
    concurrency: usize,
    page_origins: usize,
    slots: Semaphore,
    next_seq: AtomicU64,
    state: tokio::sync::Mutex<State>,
}

struct State {
    current: Option<Arc<Running>>,
    restarts: usize,
}

/// A case sent: the program it went to, its seq, where its answer comes, and where its stderr
/// starts.
type Sent = (Arc<Running>, u64, oneshot::Receiver<Outcome>, u64);

/// Why a case was not sent.
enum NotSent {
    /// The program was dead, or died as the case was written (with where its stderr starts,
    /// and why).
    Dead(Arc<Running>, u64, String),
    /// No program could be started.
    NoAdapter(String),
}

impl ProcessAdapter {
    /// Starts the program and waits for its answer to `start`.
    pub async fn start(launch: Launch) -> Result<ProcessAdapter, AdapterError> {
        let (running, ready) = spawn(&launch).await?;
        let info = info_from(&launch.name, &ready)?;
        Ok(ProcessAdapter {
            concurrency: ready.concurrency.max(1),
            page_origins: ready.page_origins.min(ready.concurrency),
            slots: Semaphore::new(ready.concurrency.max(1)),
            launch,
            info,
            warnings: Vec::new(),
            next_seq: AtomicU64::new(1),
            state: tokio::sync::Mutex::new(State {
                current: Some(Arc::new(running)),
                restarts: 0,
            }),
        })
    }

    /// Names it `name` (its manifest's) whatever its `ready` said; a `ready` that said another
    /// name is warned about, naming both.
    pub fn name_as(&mut self, name: &str) {
        if self.info.name != name {
            let said = std::mem::replace(&mut self.info.name, name.to_string());
            self.warnings.push(format!(
                "adapter `{name}` calls itself `{said}` in its `ready` message: it is named \
                 `{name}`, its manifest's name, everywhere (run log, summary, baseline); make its \
                 `ready` say `{name}`"
            ));
        }
    }

    /// The running instance, started again if the last one died (bounded).
    async fn running(&self) -> Result<Arc<Running>, String> {
        // (A string: it becomes the `errored` detail of the case that asked.)
        let mut state = self.state.lock().await;
        if let Some(current) = &state.current
            && !current.shared.dead.load(Ordering::SeqCst)
        {
            return Ok(current.clone());
        }
        if state.restarts >= MAX_RESTARTS {
            return Err(format!(
                "the adapter was started again {MAX_RESTARTS} times and is not started any more"
            ));
        }
        state.restarts += 1;
        let (running, _ready) = spawn(&self.launch).await.map_err(|e| e.to_string())?;
        let running = Arc::new(running);
        state.current = Some(running.clone());
        Ok(running)
    }

    /// Sends a case to the running program, registered for its answer.
    async fn send_case(&self, case: &RenderedCase) -> Result<Sent, NotSent> {
        let running = self.running().await.map_err(NotSent::NoAdapter)?;
        let seq = self.next_seq.fetch_add(1, Ordering::SeqCst);
        let (answer, answered) = oneshot::channel();
        let stderr_from = running.shared.stderr.lock().expect("not poisoned").mark();
        running
            .shared
            .pending
            .lock()
            .expect("not poisoned")
            .insert(seq, Pending { answer });
        let unregister = |running: &Running| {
            running
                .shared
                .pending
                .lock()
                .expect("not poisoned")
                .remove(&seq)
                .is_some()
        };
        // The program may have died between `running()` and registering: then nobody will
        // answer this seq.
        if running.shared.dead.load(Ordering::SeqCst) && unregister(&running) {
            let why = "the adapter exited before this case was sent".to_string();
            return Err(NotSent::Dead(running, stderr_from, why));
        }
        let message = RunnerMessage::Run {
            seq,
            case: Box::new(case.clone()),
        };
        if let Err(err) = running.send(&message).await {
            unregister(&running);
            running.kill();
            let why = format!("cannot write to the adapter: {err}");
            return Err(NotSent::Dead(running, stderr_from, why));
        }
        Ok((running, seq, answered, stderr_from))
    }

    async fn run_case(&self, case: &RenderedCase) -> Report {
        let _slot = self
            .slots
            .acquire()
            .await
            .expect("the semaphore is never closed");
        // A case that never reached the program (it died, or was killed for another case's
        // fault, just before) is sent once more, to the program started again: it costs
        // nothing.
        let mut tries = 0;
        let (running, seq, answered, stderr_from) = loop {
            tries += 1;
            match self.send_case(case).await {
                Ok(sent) => break sent,
                Err(NotSent::Dead(running, stderr_from, why)) if tries == 2 => {
                    return running.report(Outcome::Crashed(why), stderr_from);
                }
                Err(NotSent::Dead(..)) => continue,
                Err(NotSent::NoAdapter(message)) => return Outcome::Errored(message).into(),
            }
        };
        match tokio::time::timeout(case.deadline + ANSWER_GRACE, answered).await {
            Ok(Ok(outcome)) => running.report(outcome, stderr_from),
            Ok(Err(_)) => running.report(
                Outcome::Crashed("the adapter stopped before answering".into()),
                stderr_from,
            ),
            Err(_) => {
                let alone = {
                    let mut pending = running.shared.pending.lock().expect("not poisoned");
                    pending.remove(&seq);
                    running
                        .shared
                        .abandoned
                        .lock()
                        .expect("not poisoned")
                        .insert(seq);
                    pending.is_empty()
                };
                // A hung adapter answers nothing more: once no other case waits on it, start
                // it again for the next one.
                if alone {
                    running.kill();
                }
                running.report(Outcome::TimedOut, stderr_from)
            }
        }
    }
}

impl Adapter for ProcessAdapter {
    fn info(&self) -> &AdapterInfo {
        &self.info
    }

    fn run<'a>(&'a self, case: &'a RenderedCase) -> BoxFuture<'a, Report> {
        self.run_case(case).boxed()
    }

    fn concurrency(&self) -> Option<usize> {
        Some(self.concurrency)
    }

    fn page_origins(&self) -> usize {
        self.page_origins
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    fn stop(&self) -> BoxFuture<'_, ()> {
        async move {
            let current = self.state.lock().await.current.take();
            if let Some(running) = current {
                let _ = running.send(&RunnerMessage::Stop).await;
                let exited = {
                    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
                    loop {
                        let done = running.child.lock().expect("not poisoned").try_wait();
                        match done {
                            Ok(Some(_)) | Err(_) => break true,
                            Ok(None) if tokio::time::Instant::now() > deadline => break false,
                            Ok(None) => tokio::time::sleep(Duration::from_millis(20)).await,
                        }
                    }
                };
                if !exited {
                    running.kill();
                }
                // The program is gone; whatever it started goes with it.
                running.kill_group();
            }
        }
        .boxed()
    }
}
