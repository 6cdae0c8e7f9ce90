//! Starting an adapter program: the process in its own process group with its output read by
//! the reader tasks, `start` sent, and its first line read and checked as `ready` (the protocol
//! it speaks, the capabilities it names). Each way this can fail stops the program and says why,
//! with the end of what it wrote to stderr.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::BufReader;
use tokio::process::{ChildStdout, Command};

use super::readers::{read_answers, read_stderr};
use super::running::{Running, Shared};
use super::{Launch, MAX_PROTOCOL_LINE};
use crate::adapter::env::{self, Purpose};
use crate::adapter::lines::{LineRead, read_line_bounded};
use crate::adapter::protocol::{PROTOCOL_VERSION, Ready, RunnerMessage, read_ready};
use crate::adapter::{AdapterError, AdapterInfo};
use crate::spec::capability::Capability;

/// Starts the program, sends `start` and reads its `ready`.
pub(super) async fn spawn(launch: &Launch) -> Result<(Running, Ready), AdapterError> {
    let name = launch.name.clone();
    let mut child = command(launch)
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
    tokio::spawn(read_stderr(stderr, shared.clone()));
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
        return Err(start_not_sent(&running, name, error).await);
    }
    let first = first_line(launch, &running, &mut stdout).await?;
    let ready = ready_from(&name, &first, &running)?;
    tokio::spawn(read_answers(stdout, shared));
    Ok((running, ready))
}

/// The command that starts the program: in its directory, with its environment (the runner's
/// allow-listed and named variables, then its own), its three streams piped.
fn command(launch: &Launch) -> Command {
    let mut command = Command::new(&launch.program);
    command
        .args(&launch.args)
        .env_clear()
        .envs(env::passed(Purpose::Adapter, &launch.named_env))
        .envs(launch.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&launch.dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        // Its own process group, so that stopping it stops whatever it started too (see
        // `Running::kill_group`); the harness relays interrupts to it.
        .process_group(0);
    command
}

/// Why `start` could not be written (`error`), the program stopped.
async fn start_not_sent(running: &Running, name: String, error: std::io::Error) -> AdapterError {
    // Most likely it has exited already: say how, with what it wrote.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let reason = error.to_string();
    let status = running.exit_status();
    running.kill();
    match status {
        Some(status) => AdapterError::ExitedBeforeReady {
            name,
            status: Some(status),
            stderr: running.shared.stderr_tail(20),
        },
        None => AdapterError::Io {
            name,
            what: "cannot send `start`".into(),
            reason,
            stderr: running.shared.stderr_tail(20),
        },
    }
}

/// The program's first line on stdout, its answer to `start`, read within the launch's start
/// timeout; when there is none, the program is stopped.
async fn first_line(
    launch: &Launch,
    running: &Running,
    stdout: &mut BufReader<ChildStdout>,
) -> Result<Vec<u8>, AdapterError> {
    let name = launch.name.clone();
    let mut first = Vec::new();
    let read = tokio::time::timeout(
        launch.start_timeout,
        read_line_bounded(stdout, MAX_PROTOCOL_LINE, false, &mut first),
    )
    .await;
    match read {
        Err(_) => Err(AdapterError::NoReady {
            name,
            waited: launch.start_timeout,
            stderr: stop(running),
        }),
        Ok(Err(e)) => Err(AdapterError::Io {
            name,
            what: "cannot read its answer to `start`".into(),
            reason: e.to_string(),
            stderr: stop(running),
        }),
        Ok(Ok(LineRead::Eof)) => {
            // Give stderr a moment to arrive so the message can show it.
            tokio::time::sleep(Duration::from_millis(100)).await;
            Err(AdapterError::ExitedBeforeReady {
                name,
                status: running.exit_status(),
                stderr: stop(running),
            })
        }
        Ok(Ok(_)) => Ok(first),
    }
}

/// The `ready` that the first line says, when it is one, speaks this protocol and names only
/// known capabilities; otherwise the program is stopped.
fn ready_from(name: &str, first: &[u8], running: &Running) -> Result<Ready, AdapterError> {
    let ready = match read_ready(first) {
        Ok(ready) => ready,
        Err(problem) => {
            return Err(AdapterError::NotReady {
                name: name.to_string(),
                answer: crate::value::brief(&serde_json::Value::String(
                    String::from_utf8_lossy(first).trim().to_string(),
                )),
                problem,
                stderr: stop(running),
            });
        }
    };
    if ready.protocol != PROTOCOL_VERSION {
        return Err(AdapterError::ProtocolMismatch {
            name: name.to_string(),
            speaks: ready.protocol,
            expected: PROTOCOL_VERSION,
            stderr: stop(running),
        });
    }
    if let Err(error) = info_from(name, &ready) {
        stop(running);
        return Err(error);
    }
    Ok(ready)
}

/// Stops the program on a failure to start it; returns the end of its stderr for the message.
fn stop(running: &Running) -> String {
    running.kill();
    running.shared.stderr_tail(20)
}

/// What the adapter says of itself in its `ready`, its capabilities known.
pub(super) fn info_from(name: &str, ready: &Ready) -> Result<AdapterInfo, AdapterError> {
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
