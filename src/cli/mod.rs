//! The commands, one file per group; each parses nothing itself (clap did), calls the library,
//! prints what it returns, and answers an exit code or an [`Error`].
//!
//! Everything a command prints goes through [`out!`], [`outln!`] and [`errln!`]: the text as
//! [`sink::printed`] makes it, so that nothing an adapter, a package, a log or a spec puts in it
//! can move a terminal's cursor or start a workflow command in a CI log. The standard print
//! macros are refused elsewhere (`clippy.toml`); the annotations the harness means as workflow
//! commands are printed by [`annotation`].

/// `print!`, through [`sink::printed`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*))
    };
}

/// `println!`, through [`sink::printed`].
macro_rules! outln {
    () => {
        $crate::cli::write_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!`, through [`sink::printed`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub mod adapters;
pub mod baseline;
pub mod bench;
pub mod bisect;
pub mod dts;
pub mod here;
pub mod history;
mod history_print;
pub mod progress;
pub mod repeat;
pub mod report;
pub mod run;
pub mod suite;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use taro_conformance::error::{EXIT_UNUSABLE, Error, FileError, Signal};
use taro_conformance::report::{github, sink};
use taro_conformance::spec::select::{Partition, Selection};
use taro_conformance::spec::{self, LoadedCase, Suite};

/// What a command ends with: an exit code, or the error that stopped it.
pub type Outcome = Result<u8, Error>;

/// Case selection, shared by the commands that take cases.
#[derive(Args, Clone)]
pub struct Select {
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    pub specs: PathBuf,
    /// Only cases whose id contains PATTERN (or matches it, when it has `*`, `?`, `[` or `{`).
    /// Repeatable: a case matching any pattern is selected.
    #[arg(long = "filter", value_name = "PATTERN")]
    pub filters: Vec<String>,
    /// Patterns must match the whole id.
    #[arg(long)]
    pub exact: bool,
    /// Only slice K of N of the selected cases (by a hash of the id: stable across machines),
    /// for N jobs that run the suite between them.
    #[arg(long, value_name = "K/N")]
    pub partition: Option<Partition>,
}

impl Select {
    /// Loads the suite, prints every spec error, and keeps the selected cases.
    pub fn load(&self) -> Result<(Suite, Vec<LoadedCase>), Error> {
        let selection = Selection::new(&self.filters, self.exact)?;
        let suite = load_suite(&self.specs);
        let selected = suite
            .cases
            .iter()
            .filter(|c| selection.selects(&c.case.id))
            .filter(|c| self.partition.is_none_or(|p| p.selects(&c.case.id)))
            .cloned()
            .collect();
        Ok((suite, selected))
    }
}

/// Loads every spec file under `dir`, printing the errors of the files that cannot be used.
pub fn load_suite(dir: &std::path::Path) -> Suite {
    let suite = spec::load_dir(dir);
    for error in &suite.errors {
        errln!("error: {}", located(error));
    }
    // In GitHub Actions, each bad file is also an annotation on its line.
    if github::in_actions() {
        for line in github::spec_annotations(&suite) {
            annotation(&line);
        }
    }
    suite
}

/// Prints `text` on stdout as [`sink::printed`] makes it ([`out!`], [`outln!`]).
#[allow(clippy::disallowed_macros)]
pub fn write_out(text: std::fmt::Arguments<'_>) {
    print!("{}", sink::printed(&text.to_string()));
}

/// Prints `text` on stderr as [`sink::printed`] makes it ([`errln!`]).
#[allow(clippy::disallowed_macros)]
pub fn write_err(text: std::fmt::Arguments<'_>) {
    eprint!("{}", sink::printed(&text.to_string()));
}

/// Prints one workflow command the harness means (`::error …`), as it is: its data and
/// properties are encoded by [`github::annotation`].
#[allow(clippy::disallowed_macros)]
pub fn annotation(line: &str) {
    println!("{line}");
}

/// Spec errors turn any outcome into exit code 2, after everything else has run.
pub fn exit_for_specs(suite: &Suite, code: u8) -> u8 {
    if suite.errors.is_empty() {
        code
    } else {
        let rest = if suite.cases.is_empty() {
            "no case could be loaded"
        } else {
            "the other files were used"
        };
        errln!(
            "error: {} problem(s) in spec files (above); {rest}",
            suite.errors.len()
        );
        EXIT_UNUSABLE
    }
}

/// Prints an error and answers its exit code.
pub fn print_error(error: &Error) -> u8 {
    match error {
        Error::File(e) => errln!("error: {}", located(e)),
        Error::Files(errors) => errors.iter().for_each(|e| errln!("error: {}", located(e))),
        other => errln!("error: {other}"),
    }
    error.exit_code()
}

/// A located error, with the source snippet when a person is reading.
fn located(error: &FileError) -> String {
    if std::io::stderr().is_terminal() {
        error.with_snippet()
    } else {
        error.to_string()
    }
}

/// Runs a future to completion on a fresh multi-threaded runtime, unless SIGINT or SIGTERM
/// comes first: then the future is dropped, and with it every adapter it opened (each one's
/// process group is killed), and the command ends as [`Error::Interrupted`]. A run log keeps the
/// cases that finished, in whole lines, and no footer.
pub fn block_on<T>(future: impl std::future::Future<Output = T>) -> Result<T, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    let outcome = runtime.block_on(async {
        tokio::select! {
            value = future => Ok(value),
            signal = interrupted() => Err(Error::Interrupted(signal)),
        }
    });
    // Cases still in flight hold the adapter too: ending their tasks drops it.
    runtime.shutdown_timeout(std::time::Duration::from_secs(3));
    outcome
}

/// The first SIGINT or SIGTERM received.
async fn interrupted() -> Signal {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = int.recv() => Signal::Interrupt,
        _ = term.recv() => Signal::Terminate,
    }
}
