//! One running instance of an adapter program: its stdin, its process (and process group, killed
//! with it), and what the runs share with the tasks reading its output (the cases in flight,
//! those answered or abandoned, its stderr's tail, whether it died).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::AsyncWriteExt;
use tokio::process::ChildStdin;
use tokio::sync::oneshot;

use crate::adapter::protocol::RunnerMessage;
use crate::adapter::stderr::StderrTail;
use crate::adapter::{Outcome, Report};

/// One running instance of the program.
pub(super) struct Running {
    pub(super) stdin: tokio::sync::Mutex<ChildStdin>,
    pub(super) child: Mutex<tokio::process::Child>,
    pub(super) shared: Arc<Shared>,
    /// The process group the program leads, with everything it started (a browser, say).
    pub(super) group: Option<u32>,
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
pub(super) struct Shared {
    pub(super) pending: Mutex<HashMap<u64, Pending>>,
    pub(super) answered: Mutex<HashSet<u64>>,
    /// Runs whose case timed out: their answer may still come, late, and costs nothing else.
    pub(super) abandoned: Mutex<HashSet<u64>>,
    pub(super) stderr: Mutex<StderrTail>,
    pub(super) dead: AtomicBool,
}

/// A case in flight: where its answer goes.
pub(super) struct Pending {
    pub(super) answer: oneshot::Sender<Outcome>,
}

impl Running {
    pub(super) async fn send(&self, message: &RunnerMessage) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(message).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut stdin = self.stdin.lock().await;
        stdin.write_all(&line).await?;
        stdin.flush().await
    }

    pub(super) fn kill(&self) {
        self.shared.dead.store(true, Ordering::SeqCst);
        let _ = self.child.lock().expect("not poisoned").start_kill();
        self.kill_group();
    }

    /// How the program exited, if it has.
    pub(super) fn exit_status(&self) -> Option<String> {
        let mut child = self.child.lock().expect("not poisoned");
        child.try_wait().ok().flatten().map(|s| s.to_string())
    }

    /// Kills the program's process group: what it started dies with it.
    pub(super) fn kill_group(&self) {
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

    pub(super) fn report(&self, outcome: Outcome, stderr_from: u64) -> Report {
        let stderr = self.shared.stderr.lock().expect("not poisoned");
        Report {
            outcome,
            stderr: stderr.since(stderr_from),
        }
    }
}

impl Shared {
    /// Ends every case in flight with `outcome` (a copy each).
    pub(super) fn fail_all(&self, outcome: impl Fn() -> Outcome) {
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

    pub(super) fn stderr_tail(&self, lines: usize) -> String {
        self.stderr.lock().expect("not poisoned").tail(lines)
    }
}
