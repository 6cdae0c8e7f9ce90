//! Errors: one located error for everything read from a file, and the error a command ends on.
//!
//! A spec file, an adapter manifest, a baseline, a run log and the contract all fail the same
//! way: a [`FileError`] names the file, the line and column when known, says what is wrong, and
//! keeps the source snippet the parser drew (shown on a terminal, left out of logs).
//!
//! ```
//! use taro_conformance::error::FileError;
//! let error = FileError::new("specs/data/get.yaml", "unknown field `bdy`").at(12, 7);
//! assert_eq!(error.to_string(), "specs/data/get.yaml:12:7: unknown field `bdy`");
//! ```

use std::fmt;

mod adapter;
mod file;

pub use adapter::{AdapterError, Violation};
pub use file::FileError;

/// Why a command could not do its work. Each kind has its exit code ([`Error::exit_code`]).
#[derive(Debug)]
pub enum Error {
    /// A file could not be read, parsed or written.
    File(FileError),
    /// Several files could not be used (the spec files of a suite, say).
    Files(Vec<FileError>),
    /// The adapter could not be opened or used.
    Adapter(AdapterError),
    /// An option or argument is not usable.
    Usage(String),
    /// The adapter's setup command ran and failed, or left it not set up.
    Setup(String),
    /// The command was stopped from outside, by this signal.
    Interrupted(Signal),
}

/// A signal that stops a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM (a CI cancel, `timeout`).
    Terminate,
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        })
    }
}

impl Error {
    /// The process exit code this error ends a command with: 2 for what the user has to fix
    /// before anything can run (bad input, an adapter that cannot start), 1 for a setup command
    /// that ran and failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::File(_) | Error::Files(_) | Error::Adapter(_) | Error::Usage(_) => EXIT_UNUSABLE,
            Error::Setup(_) => EXIT_FAILED,
            // 128 + the signal's number, as a shell reports a command the signal ended.
            Error::Interrupted(Signal::Interrupt) => 130,
            Error::Interrupted(Signal::Terminate) => 143,
        }
    }
}

/// Exit code of a run whose cases did not all go as expected (or whose gate found something).
pub const EXIT_FAILED: u8 = 1;

/// Exit code of a command that could not use its input: a usage, spec or adapter-start error.
pub const EXIT_UNUSABLE: u8 = 2;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::File(e) => e.fmt(f),
            Error::Files(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                f.write_str(&lines.join("\n"))
            }
            Error::Adapter(e) => e.fmt(f),
            Error::Usage(message) | Error::Setup(message) => f.write_str(message),
            Error::Interrupted(signal) => write!(
                f,
                "interrupted by {signal}: the adapters were stopped; a run log keeps the cases that finished"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<FileError> for Error {
    fn from(error: FileError) -> Self {
        Error::File(error)
    }
}

impl From<AdapterError> for Error {
    fn from(error: AdapterError) -> Self {
        Error::Adapter(error)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn a_yaml_error_keeps_its_place_its_message_and_its_snippet() {
        let error = serde_saphyr::from_str::<serde_json::Value>("a: [1, 2\nb: 3\n")
            .expect_err("an unclosed flow sequence");
        let located = FileError::from_yaml(Path::new("specs/x.yaml"), "a: [1, 2\nb: 3\n", &error);
        assert!(located.line.is_some(), "{located:?}");
        assert!(
            !located.message.starts_with("error:") && !located.message.starts_with("line "),
            "{located:?}"
        );
        let shown = located.to_string();
        assert!(shown.starts_with("specs/x.yaml:"), "{shown}");
        assert!(
            !shown.contains('\n'),
            "the one-line form has no snippet: {shown}"
        );
        assert!(
            located.with_snippet().lines().count() > 1,
            "on a terminal the snippet follows: {located:?}"
        );
    }

    #[test]
    fn every_kind_of_error_has_its_exit_code() {
        assert_eq!(Error::Usage("x".into()).exit_code(), EXIT_UNUSABLE);
        assert_eq!(
            Error::File(FileError::new("f", "m")).exit_code(),
            EXIT_UNUSABLE
        );
        assert_eq!(Error::Setup("x".into()).exit_code(), EXIT_FAILED);
    }
}
