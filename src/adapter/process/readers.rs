//! The tasks that read a running program's output for as long as it lives: its stderr into the
//! tail that cases' reports quote, and its stdout's answers, each handed to the case waiting on
//! its `seq` (or, for what no single case can be blamed for, ending every case in flight).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::io::BufReader;
use tokio::process::{ChildStderr, ChildStdout};

use super::MAX_PROTOCOL_LINE;
use super::running::Shared;
use crate::adapter::lines::{LineRead, read_line_bounded};
use crate::adapter::protocol::{Answer, Reply, read_answer};
use crate::adapter::stderr;
use crate::adapter::{Outcome, Violation};
use crate::observe::ClientObservation;

/// Reads the program's stderr into the tail the runs quote, for as long as the program lives,
/// whatever it writes: a reader that stopped would leave it to die of a broken pipe.
pub(super) async fn read_stderr(stderr: ChildStderr, log: Arc<Shared>) {
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
}

/// Reads answers until the program's stdout closes. Lines already buffered together are read
/// as one batch before anything is delivered, so an answer written twice in one go is caught.
pub(super) async fn read_answers(mut stdout: BufReader<ChildStdout>, shared: Arc<Shared>) {
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
