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
use crate::adapter::protocol::{Answer, Reply, blame, read_answer};
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
        let delivered = answers_of(&batch, cut).and_then(|answers| deliver(answers, &shared));
        if let Err(violation) = delivered {
            shared.dead.store(true, Ordering::SeqCst);
            shared.fail_all(|| Outcome::ProtocolViolation(violation.clone()));
            return;
        }
        if cut {
            // The line was blamed on the run it names: the rest of it is read and dropped.
            let skipped = read_line_bounded(&mut stdout, 0, true, &mut line).await;
            if matches!(skipped, Ok(LineRead::Eof) | Err(_)) {
                break;
            }
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

/// The answers of a batch of lines, the last of them `cut` when it was longer than
/// [`MAX_PROTOCOL_LINE`]. What can be blamed on one case (a wrongly typed field, a line that is
/// wrong as a whole but starts as an answer to one run) costs that case only; the violation
/// returned cannot be, and ends every case in flight.
fn answers_of(batch: &[Vec<u8>], cut: bool) -> Result<Vec<Answer>, Violation> {
    let mut answers: Vec<Answer> = Vec::new();
    let whole = batch.len() - usize::from(cut);
    for raw in &batch[..whole] {
        answers.extend(read_answer(raw)?);
    }
    if let Some(raw) = batch.get(whole) {
        let too_long = Violation::LineTooLong {
            limit: MAX_PROTOCOL_LINE,
        };
        answers.extend(blame(raw, too_long)?);
    }
    Ok(answers)
}

/// Hands each answer to its case. A second answer to a case costs that case; an answer to a run
/// that is not in flight is the violation returned, which ends every case in flight.
fn deliver(answers: Vec<Answer>, shared: &Shared) -> Result<(), Violation> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_too_long_costs_the_run_it_starts_answering_only() {
        let answer = br#"{"seq":1,"result":{"settled":"resolved","elapsedMs":0}}"#.to_vec();
        let cut = br#"{"seq":2,"result":{"settled":"resolved","value":"xxxx"#.to_vec();
        let answers = answers_of(&[answer.clone(), cut], true).unwrap();
        assert_eq!(answers.len(), 2);
        assert!(answers[0].1.is_ok());
        assert!(matches!(
            answers[1],
            (2, Err(Violation::LineTooLong { .. }))
        ));
        let nameless = b"xxxxxxxx".to_vec();
        let error = answers_of(&[answer, nameless], true).unwrap_err();
        assert!(matches!(error, Violation::LineTooLong { .. }), "{error:?}");
    }
}
