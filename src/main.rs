//! The `taro-conformance` command line: parses the arguments, moves to the repository root, and
//! hands each command to its module under `src/cli/`, which calls the library and prints.

#[macro_use]
mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    Bisect(cli::bisect::BisectArgs),
    /// Measure every stable release of the Taro packages and write the behaviour history
    /// (reports/history.md, history.json, history.html).
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
    let outcome = match cli::here::parse_at_root::<Cli>().command {
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
        Command::Bisect(args) => cli::bisect::bisect(args),
        Command::Verify(args) => cli::repeat::verify(args),
        Command::Repro(args) => cli::adapters::repro(args),
        Command::Bench(args) => cli::bench::bench(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => ExitCode::from(cli::print_error(&error)),
    }
}
