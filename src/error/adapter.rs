//! What an adapter can do wrong: fail to open ([`AdapterError`]) or break the protocol while
//! running a case ([`Violation`]).
//!
//! ```
//! use taro_conformance::adapter::Violation;
//! let v = Violation::NotInFlight { seq: 7 };
//! assert_eq!(v.to_string(), "the adapter answered seq 7, which is not in flight");
//! ```

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::FileError;

/// Why an adapter could not be opened. Every variant names the adapter; those about a started
/// program carry the end of its stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdapterError {
    /// No built-in adapter, manifest path or `adapters/NAME/adapter.toml` has this name.
    Unknown {
        /// The name given.
        name: String,
        /// The manifest looked for.
        looked_at: PathBuf,
        /// The adapters there are.
        available: Vec<String>,
        /// Whether it was looked for at a repository root (the folder holding
        /// `specs/contract.yaml` and `adapters/`); else the message says where to run.
        at_root: bool,
    },
    /// Its manifest is not valid.
    Manifest(FileError),
    /// Its `ready` paths are missing: its setup command has not run.
    NotSetUp {
        /// The adapter.
        name: String,
        /// The `ready` paths that are missing.
        missing: Vec<String>,
        /// Its setup command.
        setup: String,
        /// Where that runs.
        dir: PathBuf,
    },
    /// `NAME@VERSION` names an adapter that runs only its pinned version.
    NoVersions {
        /// The adapter.
        name: String,
    },
    /// Its program could not be started.
    CannotStart {
        /// The adapter.
        name: String,
        /// The command line.
        command: String,
        /// Where it was run.
        dir: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// Talking to the program failed before it answered `start`.
    Io {
        /// The adapter.
        name: String,
        /// What failed (`cannot send \`start\``).
        what: String,
        /// The reason.
        reason: String,
        /// The end of its stderr.
        stderr: String,
    },
    /// It did not answer `start` in time.
    NoReady {
        /// The adapter.
        name: String,
        /// How long it was given.
        waited: Duration,
        /// The end of its stderr.
        stderr: String,
    },
    /// It exited before answering `start`.
    ExitedBeforeReady {
        /// The adapter.
        name: String,
        /// How it exited (`exit status: 3`), when known.
        status: Option<String>,
        /// The end of its stderr.
        stderr: String,
    },
    /// It answered `start` with something other than a valid `ready` message.
    NotReady {
        /// The adapter.
        name: String,
        /// What it printed (shortened).
        answer: String,
        /// What is wrong with it, naming the field.
        problem: String,
        /// The end of its stderr.
        stderr: String,
    },
    /// It speaks another protocol version.
    ProtocolMismatch {
        /// The adapter.
        name: String,
        /// The version it speaks.
        speaks: u32,
        /// The version the runner speaks.
        expected: u32,
        /// The end of its stderr.
        stderr: String,
    },
    /// Its `ready` names a capability the runner does not know.
    UnknownCapability {
        /// The adapter.
        name: String,
        /// The capability named.
        capability: String,
    },
}

impl fmt::Display for AdapterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let with_stderr = |f: &mut fmt::Formatter<'_>, stderr: &str| {
            if stderr.is_empty() {
                Ok(())
            } else {
                write!(f, "\nits stderr:\n{stderr}")
            }
        };
        match self {
            AdapterError::Unknown {
                name,
                looked_at,
                available,
                at_root,
            } => {
                write!(
                    f,
                    "unknown adapter `{name}`: no {} (available: reference",
                    looked_at.display()
                )?;
                for known in available {
                    write!(f, ", {known}")?;
                }
                f.write_str(")")?;
                if !at_root {
                    f.write_str(
                        "; adapters/ and the harness's other paths are relative to the repository \
                         root (the folder holding specs/contract.yaml and adapters/), and neither \
                         this folder nor any above it is one: run there, or give the manifest's path",
                    )?;
                }
                Ok(())
            }
            AdapterError::Manifest(error) => error.fmt(f),
            AdapterError::NotSetUp {
                name,
                missing,
                setup,
                dir,
            } if setup.trim().is_empty() => write!(
                f,
                "adapter `{name}` is not set up: {missing:?} are missing in {}, and its manifest has no setup command to make them",
                dir.display()
            ),
            AdapterError::NotSetUp {
                name, setup, dir, ..
            } => write!(
                f,
                "adapter `{name}` is not set up: run `taro-conformance setup {name}` (it runs `{setup}` in {})",
                dir.display()
            ),
            AdapterError::NoVersions { name } => write!(
                f,
                "adapter `{name}` runs only its pinned version: its manifest has no `setup_version`"
            ),
            AdapterError::CannotStart {
                name,
                command,
                dir,
                reason,
            } => write!(
                f,
                "adapter `{name}`: cannot start `{command}` in {}: {reason}",
                dir.display()
            ),
            AdapterError::Io {
                name,
                what,
                reason,
                stderr,
            } => {
                write!(f, "adapter `{name}`: {what}: {reason}")?;
                with_stderr(f, stderr)
            }
            AdapterError::NoReady {
                name,
                waited,
                stderr,
            } => {
                write!(
                    f,
                    "adapter `{name}`: no answer to `start` within {} ms",
                    waited.as_millis()
                )?;
                with_stderr(f, stderr)
            }
            AdapterError::ExitedBeforeReady {
                name,
                status,
                stderr,
            } => {
                write!(f, "adapter `{name}`: it exited before answering `start`")?;
                if let Some(status) = status {
                    write!(f, " ({status})")?;
                }
                with_stderr(f, stderr)
            }
            AdapterError::NotReady {
                name,
                answer,
                problem,
                stderr,
            } => {
                write!(
                    f,
                    "adapter `{name}`: its answer to `start` is not a valid `ready` message ({problem}): {answer}"
                )?;
                with_stderr(f, stderr)
            }
            AdapterError::ProtocolMismatch {
                name,
                speaks,
                expected,
                stderr,
            } => {
                write!(
                    f,
                    "adapter `{name}`: it speaks protocol {speaks}, the runner speaks {expected}"
                )?;
                with_stderr(f, stderr)
            }
            AdapterError::UnknownCapability { name, capability } => write!(
                f,
                "adapter `{name}`: its `ready` names an unknown capability `{capability}`"
            ),
        }
    }
}

impl std::error::Error for AdapterError {}

/// How a running adapter broke protocol v1. The cases it concerns end as `error`; the program
/// is started again for the next case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Violation {
    /// A stdout line that does not parse as a protocol message.
    NotProtocolJson {
        /// The line (shortened).
        line: String,
        /// What the parser said: which field, what it expected.
        error: String,
    },
    /// A stdout line that is not UTF-8.
    NotUtf8 {
        /// Where the first invalid byte is.
        offset: usize,
    },
    /// A stdout line longer than the runner reads.
    LineTooLong {
        /// The limit, in bytes.
        limit: usize,
    },
    /// An answer to a run in flight, with a field that is wrong.
    BadAnswer {
        /// The run.
        seq: u64,
        /// The field (`result.elapsedMs`).
        field: String,
        /// What is wrong with it.
        error: String,
    },
    /// It sent `ready` again, unasked.
    ReadyAgain {
        /// The line (shortened).
        line: String,
    },
    /// It answered a seq twice in one write.
    AnsweredTwice {
        /// The seq.
        seq: u64,
    },
    /// It answered a seq it had already answered.
    AnsweredAgain {
        /// The seq.
        seq: u64,
    },
    /// It answered a seq that was never sent.
    NotInFlight {
        /// The seq.
        seq: u64,
    },
    /// An answer without exactly one of `result`, `skipped`, `errored`.
    NotExactlyOne {
        /// The seq.
        seq: u64,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::NotProtocolJson { line, error } => write!(
                f,
                "the adapter printed a line that is not protocol JSON (stdout is for protocol messages only; log to stderr): {line} ({error})"
            ),
            Violation::NotUtf8 { offset } => write!(
                f,
                "the adapter printed a line that is not UTF-8 (an invalid byte at offset {offset}); protocol lines are UTF-8 JSON"
            ),
            Violation::LineTooLong { limit } => write!(
                f,
                "the adapter printed a line longer than {limit} bytes, the most a protocol line may be"
            ),
            Violation::BadAnswer { seq, field, error } => {
                write!(f, "the answer to seq {seq} has a wrong `{field}`: {error}")
            }
            Violation::ReadyAgain { line } => {
                write!(f, "the adapter sent `ready` again, unasked: {line}")
            }
            Violation::AnsweredTwice { seq } => write!(f, "the adapter answered seq {seq} twice"),
            Violation::AnsweredAgain { seq } => {
                write!(f, "the adapter answered seq {seq} a second time")
            }
            Violation::NotInFlight { seq } => {
                write!(f, "the adapter answered seq {seq}, which is not in flight")
            }
            Violation::NotExactlyOne { seq } => write!(
                f,
                "the answer to seq {seq} must carry exactly one of `result`, `skipped`, `errored`"
            ),
        }
    }
}
