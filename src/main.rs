//! The `taro-conformance` command line: a thin layer over the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use taro_conformance::adapter::{self, Adapter};
use taro_conformance::contract::{CONTRACT_PATH, Contract};
use taro_conformance::runlog::{Footer, Header, Line, LogWriter, SuiteInfo};
use taro_conformance::runner::{self, RunOptions};
use taro_conformance::spec::{self, LoadedCase, Suite};
use taro_conformance::{docs, lint, summary};

/// Exit code for a usage, spec or adapter-start error.
const USAGE_ERROR: u8 = 2;

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
    /// Run the suite against an adapter and print a summary.
    Run(RunArgs),
    /// Print the ids of the cases, one per line.
    List {
        #[command(flatten)]
        select: Select,
    },
    /// Validate every spec file and check that every contract clause is cited.
    Lint {
        #[command(flatten)]
        select: Select,
        /// The clause list.
        #[arg(long, default_value = CONTRACT_PATH)]
        contract: PathBuf,
    },
    /// Print the option and result tables of the docs page, regenerated from the contract and
    /// the specs, with the cases that check each row.
    Docs {
        #[command(flatten)]
        select: Select,
        /// The clause list.
        #[arg(long, default_value = CONTRACT_PATH)]
        contract: PathBuf,
    },
    /// Print the JSON Schema of the spec format.
    Schema,
}

#[derive(Args)]
struct Select {
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Only cases whose id contains PATTERN (or matches it, when it has `*`, `?` or `[`).
    /// Repeatable: a case matching any pattern is selected.
    #[arg(long = "filter", value_name = "PATTERN")]
    filters: Vec<String>,
    /// Patterns must match the whole id.
    #[arg(long)]
    exact: bool,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    select: Select,
    /// The adapter to run the suite against.
    #[arg(long, default_value = "reference")]
    adapter: String,
    /// How many cases run at once.
    #[arg(long, default_value_t = runner::default_jobs())]
    jobs: usize,
    /// Where to write the JSON-lines run log (default: target/conformance/ADAPTER.jsonl).
    #[arg(long)]
    log: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run(args),
        Command::List { select } => list(&select),
        Command::Lint { select, contract } => lint_cmd(&select, &contract),
        Command::Docs { select, contract } => docs_cmd(&select, &contract),
        Command::Schema => {
            print!("{}", spec::schema::schema_json());
            ExitCode::SUCCESS
        }
    }
}

/// Loads the suite, prints every spec error, and keeps the selected cases.
fn load(select: &Select) -> Result<(Suite, Vec<LoadedCase>), String> {
    let suite = spec::load_dir(&select.specs);
    for error in &suite.errors {
        eprintln!("error: {error}");
    }
    let matcher = Filter::new(&select.filters, select.exact)?;
    let selected = suite
        .cases
        .iter()
        .filter(|c| matcher.selects(&c.case.id))
        .cloned()
        .collect();
    Ok((suite, selected))
}

fn list(select: &Select) -> ExitCode {
    let (suite, selected) = match load(select) {
        Ok(loaded) => loaded,
        Err(message) => return usage_error(&message),
    };
    for case in &selected {
        println!("{}", case.case.id);
    }
    exit_for_specs(&suite, ExitCode::SUCCESS)
}

fn lint_cmd(select: &Select, contract_path: &Path) -> ExitCode {
    let contract = match Contract::load(contract_path) {
        Ok(contract) => contract,
        Err(message) => return usage_error(&message),
    };
    let suite = spec::load_dir(&select.specs);
    let report = lint::lint(&suite, &contract);
    for problem in &report.problems {
        eprintln!("error: {problem}");
    }
    let covered = report.coverage.values().filter(|n| **n > 0).count();
    let total = report.coverage.len();
    println!(
        "{} cases in {} clauses; {covered}/{total} clauses covered ({}%)",
        suite.cases.len(),
        total,
        (covered * 100).checked_div(total).unwrap_or(100)
    );
    if report.is_clean() {
        println!("lint: ok");
        ExitCode::SUCCESS
    } else {
        println!("lint: {} problem(s)", report.problems.len());
        ExitCode::from(1)
    }
}

fn docs_cmd(select: &Select, contract_path: &Path) -> ExitCode {
    let contract = match Contract::load(contract_path) {
        Ok(contract) => contract,
        Err(message) => return usage_error(&message),
    };
    let suite = spec::load_dir(&select.specs);
    for error in &suite.errors {
        eprintln!("error: {error}");
    }
    print!("{}", docs::render(&contract, &suite));
    exit_for_specs(&suite, ExitCode::SUCCESS)
}

fn run(args: RunArgs) -> ExitCode {
    let (suite, selected) = match load(&args.select) {
        Ok(loaded) => loaded,
        Err(message) => return usage_error(&message),
    };
    if args.jobs == 0 {
        return usage_error("--jobs must be at least 1");
    }
    let adapter = match adapter::by_name(&args.adapter) {
        Ok(adapter) => adapter,
        Err(message) => return usage_error(&message),
    };
    let log_path = args
        .log
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("target/conformance/{}.jsonl", args.adapter)));
    let mut log = match open_log(&log_path) {
        Ok(log) => log,
        Err(message) => return usage_error(&message),
    };
    let header = Header {
        adapter: adapter.info().clone(),
        suite: SuiteInfo {
            cases: selected.len(),
            spec_hash: suite.spec_hash.clone(),
        },
        started: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
    };
    if let Err(err) = log.write(&Line::Header(header)) {
        return usage_error(&format!("{}: cannot write: {err}", log_path.display()));
    }
    let options = RunOptions {
        jobs: args.jobs,
        ..RunOptions::default()
    };
    let results = run_with_progress(adapter.clone(), &selected, &options, &mut log);
    let footer = Footer::from_statuses(results.iter().map(|r| r.status));
    let _ = log.write(&Line::Footer(footer));
    print!("{}", summary::render(&results, &adapter.info().name));
    println!("run log: {}", log_path.display());
    let code = if summary::all_as_expected(&results) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    exit_for_specs(&suite, code)
}

fn run_with_progress(
    adapter: std::sync::Arc<dyn Adapter>,
    selected: &[LoadedCase],
    options: &RunOptions,
    log: &mut LogWriter<std::fs::File>,
) -> Vec<runner::CaseResult> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    let total = selected.len();
    let tty = std::io::stderr().is_terminal();
    let mut done = 0;
    let cases = selected.iter().map(|c| c.case.clone()).collect();
    let name = adapter.info().name.clone();
    eprintln!(
        "running {total} cases on `{name}` ({} at once)",
        options.jobs
    );
    let results = runtime.block_on(runner::run_all(adapter, cases, options, |result| {
        done += 1;
        if let Err(err) = log.case(result) {
            eprintln!("warning: cannot write the run log: {err}");
        }
        if tty {
            eprint!("\r\x1b[2K[{done}/{total}] {} {}", result.status, result.id);
        }
    }));
    if tty {
        eprintln!();
    }
    results
}

fn open_log(path: &Path) -> Result<LogWriter<std::fs::File>, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    }
    let file = std::fs::File::create(path)
        .map_err(|e| format!("{}: cannot create: {e}", path.display()))?;
    Ok(LogWriter::new(file))
}

/// Spec errors turn any outcome into exit code 2, after everything else has run.
fn exit_for_specs(suite: &Suite, code: ExitCode) -> ExitCode {
    if suite.errors.is_empty() {
        code
    } else {
        eprintln!(
            "error: {} problem(s) in spec files (above); the other files were used",
            suite.errors.len()
        );
        ExitCode::from(USAGE_ERROR)
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(USAGE_ERROR)
}

/// Case selection by substring or glob.
struct Filter {
    patterns: Vec<Pattern>,
}

enum Pattern {
    Text(String),
    Glob(globset::GlobMatcher),
}

impl Filter {
    fn new(patterns: &[String], exact: bool) -> Result<Filter, String> {
        let patterns = patterns
            .iter()
            .map(|p| {
                if exact || p.contains(['*', '?', '[']) {
                    globset::Glob::new(p)
                        .map(|g| Pattern::Glob(g.compile_matcher()))
                        .map_err(|e| format!("--filter {p}: {e}"))
                } else {
                    Ok(Pattern::Text(p.clone()))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Filter { patterns })
    }

    fn selects(&self, id: &str) -> bool {
        self.patterns.is_empty()
            || self.patterns.iter().any(|p| match p {
                Pattern::Text(t) => id.contains(t.as_str()),
                Pattern::Glob(g) => g.is_match(id),
            })
    }
}
