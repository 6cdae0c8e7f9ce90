//! The `taro-conformance` command line: parses the arguments, moves to the repository root, and
//! hands each command to its module under `src/cli/`, which calls the library and prints.

#[macro_use]
mod cli;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PathBufValueParser, StringValueParser, TypedValueParser, ValueParser};
use clap::parser::ValueSource;
use clap::{Arg, CommandFactory, FromArgMatches, Parser, Subcommand};
use taro_conformance::adapter::manifest::split_version;
use taro_conformance::error::EXIT_UNUSABLE;
use taro_conformance::spec::root;

#[derive(Parser)]
#[command(
    name = "taro-conformance",
    version,
    about = "Conformance harness for Taro.request"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the suite against an adapter, print a summary, and judge it against the adapter's
    /// baseline when it has one.
    Run(cli::run::RunArgs),
    /// Print the ids of the cases, one per line.
    List(cli::suite::ListArgs),
    /// Validate every spec file and check that every contract clause is cited; with `--logs`,
    /// also find failing cases that blame clauses they do not cite.
    Lint(cli::suite::LintArgs),
    /// Print the option and result tables of the docs page, regenerated from the contract and
    /// the specs, with the cases that check each row.
    Docs(cli::suite::ContractArgs),
    /// Print the JSON Schema of the spec format, or write the protocol's message schemas.
    Schema(cli::suite::SchemaArgs),
    /// List the adapters (built in, and every adapters/*/adapter.toml) and whether each is set up.
    Adapters(cli::adapters::ListArgs),
    /// Make a new adapter from a template (`adapter new NAME --kind node|taro-package`).
    Adapter {
        #[command(subcommand)]
        action: cli::adapters::AdapterAction,
    },
    /// Set an adapter up: run its manifest's setup command in its directory.
    Setup(cli::adapters::SetupArgs),
    /// Check that an adapter speaks the protocol: start it and run a few trivial cases.
    Smoke(cli::adapters::SmokeArgs),
    /// Write an adapter's snapshots (tests/snapshots/NAME/): run the conformance tests on it,
    /// taking what each case observes as its snapshot.
    Snapshots(cli::adapters::SnapshotsArgs),
    /// Baselines: the cases known not to pass on an adapter.
    Baseline {
        #[command(subcommand)]
        action: cli::baseline::BaselineAction,
    },
    /// Write the support matrix (matrix.md, matrix.json) from run logs.
    Report(cli::report::ReportArgs),
    /// Compare the `@supported` and `@default` tags of Taro.request's type definitions with the
    /// evidence and the docs page (reports/docs-check.md), or print a patch that corrects them.
    Dts(cli::dts::DtsArgs),
    /// Run each case that is new or changed since a git revision (the last commit) several
    /// times, and fail if any ends differently from one run to the next: the check a case passes
    /// before it is added.
    Verify(cli::repeat::VerifyArgs),
    /// Find the first release of an adapter's package where a case's behaviour changes.
    Bisect(cli::history::BisectArgs),
    /// Measure every stable release of the Taro packages and write the behaviour history
    /// (reports/history.md, history.json).
    History(cli::history::HistoryArgs),
    /// Compare two run logs: cases fixed, broken, failing differently, now or no longer
    /// applicable, new and removed.
    Diff(cli::report::DiffArgs),
    /// Run one case and print everything needed to reproduce it by hand.
    Repro(cli::adapters::ReproArgs),
    /// Measure the harness: per-case overhead, protocol round trip, suite wall time.
    Bench(cli::bench::BenchArgs),
}

fn main() -> ExitCode {
    let outcome = match parse_at_root().command {
        Command::Run(args) => cli::run::run(args),
        Command::List(args) => cli::suite::list(args),
        Command::Lint(args) => cli::suite::lint(args),
        Command::Docs(args) => cli::suite::docs(args),
        Command::Schema(args) => cli::suite::schema(args),
        Command::Adapters(args) => cli::adapters::list(args),
        Command::Adapter { action } => cli::adapters::adapter(action),
        Command::Setup(args) => cli::adapters::setup(args),
        Command::Smoke(args) => cli::adapters::smoke(args),
        Command::Snapshots(args) => cli::adapters::snapshots(args),
        Command::Baseline { action } => cli::baseline::baseline(action),
        Command::Report(args) => cli::report::report(args),
        Command::Diff(args) => cli::report::diff(args),
        Command::Dts(args) => cli::dts::dts(args),
        Command::History(args) => cli::history::history(args),
        Command::Bisect(args) => cli::history::bisect(args),
        Command::Verify(args) => cli::repeat::verify(args),
        Command::Repro(args) => cli::adapters::repro(args),
        Command::Bench(args) => cli::bench::bench(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => ExitCode::from(cli::print_error(&error)),
    }
}

/// Parses the arguments and, started in a folder below the repository root, moves to the root:
/// every default path (the specs, the adapters, the baselines, the run logs) is relative to it.
/// The paths given on the command line keep meaning what they meant where it was started: they
/// are made absolute first. Outside any repository, nothing moves.
fn parse_at_root() -> Cli {
    let Ok(here) = std::env::current_dir() else {
        return Cli::parse();
    };
    let root = match root::find(&here) {
        Some(root) if root != here => root,
        _ => return Cli::parse(),
    };
    let matches = from_here(Cli::command(), &here).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Err(error) = std::env::set_current_dir(&root) {
        errln!(
            "error: cannot move to the repository root {}: {error}",
            root.display()
        );
        std::process::exit(EXIT_UNUSABLE.into());
    }
    cli
}

/// `command` with every path argument, and every adapter or package value that names an
/// existing file or folder, made absolute against `here` when given on the command line
/// (defaults stay relative to the root).
fn from_here(command: clap::Command, here: &Path) -> clap::Command {
    let command = command.mut_args(|arg| from_here_arg(arg, here));
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    names.iter().fold(command, |command, name| {
        command.mut_subcommand(name, |sub| from_here(sub, here))
    })
}

fn from_here_arg(arg: Arg, here: &Path) -> Arg {
    let here = here.to_path_buf();
    let parser = arg.get_value_parser().type_id();
    if parser == ValueParser::path_buf().type_id() {
        arg.value_parser(PathFromHere(here))
    } else if parser != ValueParser::string().type_id() {
        arg
    } else if ["adapter", "adapters"].contains(&arg.get_id().as_str()) {
        // `--adapter NAME | MANIFEST[@VERSION]`: a path when it names a manifest here.
        let manifest = |p: &Path| p.is_file() || p.join("adapter.toml").is_file();
        arg.value_parser(NameOrPathFromHere(here, manifest))
    } else if arg.get_id() == "taro" {
        // `setup --taro VERSION | PATH`: a path when it names something here.
        arg.value_parser(NameOrPathFromHere(here, Path::exists))
    } else {
        arg
    }
}

/// A path argument, made absolute against the folder the command was started in.
#[derive(Clone)]
struct PathFromHere(PathBuf);

impl TypedValueParser for PathFromHere {
    type Value = PathBuf;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<PathBuf, clap::Error> {
        self.parse_ref_(cmd, arg, value, ValueSource::CommandLine)
    }

    fn parse_ref_(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
        source: ValueSource,
    ) -> Result<PathBuf, clap::Error> {
        let path = PathBufValueParser::new().parse_ref(cmd, arg, value)?;
        Ok(match source {
            ValueSource::DefaultValue => path,
            _ => self.0.join(path),
        })
    }
}

/// An adapter's name or manifest path (with `@VERSION`), or a version or a package's folder:
/// made absolute against the folder the command was started in when it is a path there (as the
/// function says), else (a name, a version) kept.
#[derive(Clone)]
struct NameOrPathFromHere(PathBuf, fn(&Path) -> bool);

impl TypedValueParser for NameOrPathFromHere {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        self.parse_ref_(cmd, arg, value, ValueSource::CommandLine)
    }

    fn parse_ref_(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
        source: ValueSource,
    ) -> Result<String, clap::Error> {
        let text = StringValueParser::new().parse_ref(cmd, arg, value)?;
        let (name, version) = split_version(&text);
        let path = self.0.join(name);
        let is_path = source != ValueSource::DefaultValue
            && name != taro_conformance::adapter::REFERENCE
            && (self.1)(&path);
        Ok(match (is_path, version) {
            (false, _) => text,
            (true, None) => path.display().to_string(),
            (true, Some(version)) => format!("{}@{version}", path.display()),
        })
    }
}
