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

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::process::{ChildStdin, ChildStdout, Command};
use tokio::sync::{Semaphore, oneshot};

use super::lines::{LineRead, read_line_bounded};
use super::protocol::{
    Answer, PROTOCOL_VERSION, Ready, Reply, RunnerMessage, read_answer, read_ready,
};
use super::stderr::{self, StderrTail};
use super::{Adapter, AdapterError, AdapterInfo, Outcome, RenderedCase, Report, Violation};
use crate::observe::ClientObservation;
use crate::spec::capability::Capability;

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
    /// Environment variables set for it (besides ours).
    pub env: Vec<(String, String)>,
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
    slots: Semaphore,
    next_seq: AtomicU64,
    state: tokio::sync::Mutex<State>,
}

struct State {
    current: Option<Arc<Running>>,
    restarts: usize,
}

/// One running instance of the program.
struct Running {
    stdin: tokio::sync::Mutex<ChildStdin>,
    child: Mutex<tokio::process::Child>,
    shared: Arc<Shared>,
    /// The process group the program leads, with everything it started (a browser, say).
    group: Option<u32>,
}

impl Drop for Running {
    // Whatever ends the run (a stop, a restart, an interrupt, a panic), nothing the adapter
    // started outlives it.
    fn drop(&mut self) {
        self.kill_group();
    }
}

/// What the stdout and stderr readers share with the runs.
#[derive(Default)]
struct Shared {
    pending: Mutex<HashMap<u64, Pending>>,
    answered: Mutex<HashSet<u64>>,
    /// Runs whose case timed out: their answer may still come, late, and costs nothing else.
    abandoned: Mutex<HashSet<u64>>,
    stderr: Mutex<StderrTail>,
    dead: AtomicBool,
}

struct Pending {
    answer: oneshot::Sender<Outcome>,
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

impl Running {
    async fn send(&self, message: &RunnerMessage) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(message).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut stdin = self.stdin.lock().await;
        stdin.write_all(&line).await?;
        stdin.flush().await
    }

    fn kill(&self) {
        self.shared.dead.store(true, Ordering::SeqCst);
        let _ = self.child.lock().expect("not poisoned").start_kill();
        self.kill_group();
    }

    /// How the program exited, if it has.
    fn exit_status(&self) -> Option<String> {
        let mut child = self.child.lock().expect("not poisoned");
        child.try_wait().ok().flatten().map(|s| s.to_string())
    }

    /// Kills the program's process group: what it started dies with it.
    fn kill_group(&self) {
        #[cfg(unix)]
        if let Some(group) = self
            .group
            .and_then(|g| i32::try_from(g).ok())
            .filter(|g| *g > 1)
        {
            // SAFETY: kill(2) with a negative pid signals that process group; it touches no
            // memory of ours. A group that is gone already gives ESRCH, which is fine.
            unsafe {
                libc::kill(-group, libc::SIGKILL);
            }
        }
    }

    fn report(&self, outcome: Outcome, stderr_from: u64) -> Report {
        let stderr = self.shared.stderr.lock().expect("not poisoned");
        Report {
            outcome,
            stderr: stderr.since(stderr_from),
        }
    }
}

impl Shared {
    /// Ends every case in flight with `outcome` (a copy each).
    fn fail_all(&self, outcome: impl Fn() -> Outcome) {
        let pending: Vec<Pending> = self
            .pending
            .lock()
            .expect("not poisoned")
            .drain()
            .map(|(_, p)| p)
            .collect();
        for p in pending {
            let _ = p.answer.send(outcome());
        }
    }

    fn stderr_tail(&self, lines: usize) -> String {
        self.stderr.lock().expect("not poisoned").tail(lines)
    }
}

/// Starts the program, sends `start` and reads its `ready`.
async fn spawn(launch: &Launch) -> Result<(Running, Ready), AdapterError> {
    let name = launch.name.clone();
    let mut child = Command::new(&launch.program)
        .args(&launch.args)
        .envs(launch.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&launch.dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        // Its own process group, so that stopping it stops whatever it started too (see
        // `Running::kill_group`); the harness relays interrupts to it.
        .process_group(0)
        .spawn()
        .map_err(|e| AdapterError::CannotStart {
            name: name.clone(),
            command: format!("{} {}", launch.program, launch.args.join(" ")),
            dir: launch.dir.clone(),
            reason: e.to_string(),
        })?;
    let shared = Arc::new(Shared::default());
    let stdin = child.stdin.take().expect("piped");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let stderr = child.stderr.take().expect("piped");
    let log = shared.clone();
    tokio::spawn(async move {
        // Read for as long as the adapter lives, whatever it writes: a reader that stopped
        // would leave it to die of a broken pipe.
        let mut reader = BufReader::new(stderr);
        let mut line = Vec::new();
        loop {
            match read_line_bounded(&mut reader, stderr::MAX_LINE, true, &mut line).await {
                Ok(LineRead::Eof) | Err(_) => break,
                Ok(read) => log
                    .stderr
                    .lock()
                    .expect("not poisoned")
                    .push(&line, read == LineRead::Cut),
            }
        }
    });
    let group = child.id();
    let running = Running {
        group,
        stdin: tokio::sync::Mutex::new(stdin),
        child: Mutex::new(child),
        shared: shared.clone(),
    };
    let sent = running
        .send(&RunnerMessage::Start {
            protocol: PROTOCOL_VERSION,
        })
        .await;
    if let Err(error) = sent {
        // Most likely it has exited already: say how, with what it wrote.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let reason = error.to_string();
        let status = running.exit_status();
        running.kill();
        return Err(match status {
            Some(status) => AdapterError::ExitedBeforeReady {
                name,
                status: Some(status),
                stderr: shared.stderr_tail(20),
            },
            None => AdapterError::Io {
                name,
                what: "cannot send `start`".into(),
                reason,
                stderr: shared.stderr_tail(20),
            },
        });
    }
    let mut first = Vec::new();
    let read = tokio::time::timeout(
        launch.start_timeout,
        read_line_bounded(&mut stdout, MAX_PROTOCOL_LINE, false, &mut first),
    )
    .await;
    // On failure: stop the program, and take its stderr for the message.
    let stop = || {
        running.kill();
        shared.stderr_tail(20)
    };
    match read {
        Err(_) => {
            return Err(AdapterError::NoReady {
                name,
                waited: launch.start_timeout,
                stderr: stop(),
            });
        }
        Ok(Err(e)) => {
            return Err(AdapterError::Io {
                name,
                what: "cannot read its answer to `start`".into(),
                reason: e.to_string(),
                stderr: stop(),
            });
        }
        Ok(Ok(LineRead::Eof)) => {
            // Give stderr a moment to arrive so the message can show it.
            tokio::time::sleep(Duration::from_millis(100)).await;
            return Err(AdapterError::ExitedBeforeReady {
                name,
                status: running.exit_status(),
                stderr: stop(),
            });
        }
        Ok(Ok(_)) => {}
    }
    let ready = match read_ready(&first) {
        Ok(ready) => ready,
        Err(problem) => {
            return Err(AdapterError::NotReady {
                name,
                answer: crate::value::brief(&serde_json::Value::String(
                    String::from_utf8_lossy(&first).trim().to_string(),
                )),
                problem,
                stderr: stop(),
            });
        }
    };
    if ready.protocol != PROTOCOL_VERSION {
        return Err(AdapterError::ProtocolMismatch {
            name,
            speaks: ready.protocol,
            expected: PROTOCOL_VERSION,
            stderr: stop(),
        });
    }
    if let Err(error) = info_from(&name, &ready) {
        stop();
        return Err(error);
    }
    tokio::spawn(read_answers(stdout, shared));
    Ok((running, ready))
}

fn info_from(name: &str, ready: &Ready) -> Result<AdapterInfo, AdapterError> {
    let capabilities = ready
        .capabilities
        .iter()
        .map(|c| {
            Capability::from_name(c).ok_or_else(|| AdapterError::UnknownCapability {
                name: name.to_string(),
                capability: c.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(AdapterInfo {
        name: ready.name.clone(),
        version: ready.version.clone(),
        platform: ready.platform.clone(),
        runtime: ready.runtime.clone(),
        capabilities,
    })
}

/// Reads answers until the program's stdout closes. Lines already buffered together are read
/// as one batch before anything is delivered, so an answer written twice in one go is caught.
async fn read_answers(mut stdout: BufReader<ChildStdout>, shared: Arc<Shared>) {
    let mut line = Vec::new();
    loop {
        let mut batch = Vec::new();
        let mut cut =
            match read_line_bounded(&mut stdout, MAX_PROTOCOL_LINE, false, &mut line).await {
                Ok(LineRead::Eof) | Err(_) => break,
                Ok(read) => {
                    batch.push(std::mem::take(&mut line));
                    read == LineRead::Cut
                }
            };
        while !cut && stdout.buffer().contains(&b'\n') {
            match read_line_bounded(&mut stdout, MAX_PROTOCOL_LINE, false, &mut line).await {
                Ok(LineRead::Eof) | Err(_) => break,
                Ok(read) => {
                    cut = read == LineRead::Cut;
                    batch.push(std::mem::take(&mut line));
                }
            }
        }
        let delivered = if cut {
            Err(Violation::LineTooLong {
                limit: MAX_PROTOCOL_LINE,
            })
        } else {
            deliver(&batch, &shared)
        };
        if let Err(violation) = delivered {
            shared.dead.store(true, Ordering::SeqCst);
            shared.fail_all(|| Outcome::ProtocolViolation(violation.clone()));
            return;
        }
    }
    // stdout closed: the program exited (or closed it, which is as bad).
    shared.dead.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(50)).await; // let the last stderr lines land
    let tail = shared.stderr_tail(20);
    shared.fail_all(|| {
        Outcome::Crashed(if tail.is_empty() {
            "the adapter exited while running this case".into()
        } else {
            format!("the adapter exited while running this case; its stderr ends:\n{tail}")
        })
    });
}

/// Hands each answer of a batch to its case. What can be blamed on one case (a wrongly typed
/// field, a second answer) costs that case only; the violation returned cannot be, and ends
/// every case in flight.
fn deliver(batch: &[Vec<u8>], shared: &Shared) -> Result<(), Violation> {
    let mut answers: Vec<Answer> = Vec::new();
    for raw in batch {
        answers.extend(read_answer(raw)?);
    }
    let mut seen = HashSet::new();
    let mut twice = HashSet::new();
    for (seq, _) in &answers {
        if !seen.insert(*seq) {
            twice.insert(*seq);
        }
    }
    for (seq, reply) in answers {
        let pending = shared.pending.lock().expect("not poisoned").remove(&seq);
        let Some(pending) = pending else {
            if twice.contains(&seq) {
                continue; // its case was already told below
            }
            let already = shared.answered.lock().expect("not poisoned").contains(&seq);
            if already {
                // Its case is over and judged: say so where a reader of the run will look.
                let note = Violation::AnsweredAgain { seq };
                shared.stderr.lock().expect("not poisoned").push(
                    format!("[taro-conformance] protocol violation: {note} (ignored)").as_bytes(),
                    false,
                );
                continue;
            }
            if shared.abandoned.lock().expect("not poisoned").remove(&seq) {
                // Its case already timed out: a slow answer is that case's business alone.
                shared.stderr.lock().expect("not poisoned").push(
                    format!(
                        "[taro-conformance] seq {seq} answered after its case timed out (ignored)"
                    )
                    .as_bytes(),
                    false,
                );
                continue;
            }
            return Err(Violation::NotInFlight { seq });
        };
        shared.answered.lock().expect("not poisoned").insert(seq);
        let outcome = match reply {
            _ if twice.contains(&seq) => {
                Outcome::ProtocolViolation(Violation::AnsweredTwice { seq })
            }
            Err(violation) => Outcome::ProtocolViolation(violation),
            Ok(reply) => outcome_of(reply),
        };
        let _ = pending.answer.send(outcome);
    }
    Ok(())
}

/// The outcome an answer stands for; it must carry exactly one of its three parts.
fn outcome_of(reply: Reply) -> Outcome {
    match (reply.result, reply.skipped, reply.errored) {
        (Some(result), None, None) => Outcome::Observed(ClientObservation::from(result)),
        (None, Some(skipped), None) => Outcome::Skipped(skipped.reason),
        (None, None, Some(errored)) => Outcome::Errored(errored.message),
        _ => Outcome::ProtocolViolation(Violation::NotExactlyOne { seq: reply.seq }),
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
