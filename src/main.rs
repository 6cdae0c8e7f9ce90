//! The `taro-conformance` command line: a thin layer over the library.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use taro_conformance::adapter::{self, Adapter, manifest};
use taro_conformance::contract::{CONTRACT_PATH, Contract};
use taro_conformance::gate::{self, Baseline};
use taro_conformance::runlog::{Footer, Header, Line, LogWriter, SuiteInfo};
use taro_conformance::runner::{self, CaseResult, RunOptions};
use taro_conformance::spec::{self, LoadedCase, Suite};
use taro_conformance::{bench, docs, lint, report, repro, smoke, summary};

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
    /// Run the suite against an adapter, print a summary, and judge it against the adapter's
    /// baseline when it has one.
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
    /// Print the JSON Schema of the spec format, or write the protocol's message schemas.
    Schema {
        /// Write the JSON Schemas of protocol v1's messages into this directory instead.
        #[arg(long, value_name = "DIR")]
        protocol: Option<PathBuf>,
    },
    /// List the adapters (built in, and every adapters/*/adapter.toml) and whether each is set up.
    Adapters,
    /// Set an adapter up: run its manifest's setup command in its directory.
    Setup {
        /// The adapter's name or manifest path.
        adapter: String,
    },
    /// Check that an adapter speaks the protocol: start it and run a few trivial cases.
    Smoke {
        /// The adapter's name or manifest path.
        #[arg(long, default_value = adapter::REFERENCE)]
        adapter: String,
    },
    /// Baselines: the cases known not to pass on an adapter.
    Baseline {
        #[command(subcommand)]
        action: BaselineAction,
    },
    /// Write the support matrix (matrix.md, matrix.json) from run logs.
    Report {
        /// A run log; give one per adapter column, in column order.
        #[arg(long = "log", required = true)]
        logs: Vec<PathBuf>,
        /// Where to write matrix.md and matrix.json.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
        /// Directory holding the spec files.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Write nothing: fail when the rows (cases and statuses) of OUT/matrix.json differ from
        /// these logs' (the adapters' versions may differ, the evidence may not).
        #[arg(long)]
        check: bool,
    },
    /// Run one case and print everything needed to reproduce it by hand.
    Repro {
        /// The case id.
        case: String,
        /// The adapter's name or manifest path.
        #[arg(long, default_value = adapter::REFERENCE)]
        adapter: String,
        /// Directory holding the spec files.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
    },
    /// Measure the harness: per-case overhead, protocol round trip, suite wall time.
    Bench {
        /// How many runs per measurement.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
    },
}

#[derive(Subcommand)]
enum BaselineAction {
    /// Run the suite and rewrite the adapter's baseline from it, keeping the reasons written.
    Update {
        /// The adapter's name or manifest path.
        #[arg(long, default_value = adapter::REFERENCE)]
        adapter: String,
        /// The baseline file (default: reports/baselines/NAME.yaml).
        #[arg(long)]
        baseline: Option<PathBuf>,
        #[command(flatten)]
        select: Select,
    },
}

#[derive(Args, Clone)]
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
    /// The adapter: `reference`, a name under adapters/, or a path to a manifest.
    #[arg(long, default_value = adapter::REFERENCE)]
    adapter: String,
    /// How many cases run at once.
    #[arg(long, default_value_t = runner::default_jobs())]
    jobs: usize,
    /// Where to write the JSON-lines run log (default: target/conformance/ADAPTER.jsonl).
    #[arg(long)]
    log: Option<PathBuf>,
    /// The baseline to judge the run against (default: reports/baselines/ADAPTER.yaml, when it
    /// exists).
    #[arg(long, conflicts_with = "no_baseline")]
    baseline: Option<PathBuf>,
    /// Judge without a baseline: every case must pass or not apply.
    #[arg(long)]
    no_baseline: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run(args),
        Command::List { select } => list(&select),
        Command::Lint { select, contract } => lint_cmd(&select, &contract),
        Command::Docs { select, contract } => docs_cmd(&select, &contract),
        Command::Schema { protocol: None } => {
            print!("{}", spec::schema::schema_json());
            ExitCode::SUCCESS
        }
        Command::Schema {
            protocol: Some(dir),
        } => {
            for (file, text) in adapter::protocol::schemas() {
                let path = dir.join(file);
                if let Err(e) =
                    std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&path, text))
                {
                    return usage_error(&format!("{}: cannot write: {e}", path.display()));
                }
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Command::Adapters => adapters_cmd(),
        Command::Setup { adapter } => setup_cmd(&adapter),
        Command::Smoke { adapter } => block_on(smoke_cmd(&adapter)),
        Command::Baseline {
            action:
                BaselineAction::Update {
                    adapter,
                    baseline,
                    select,
                },
        } => baseline_update(&adapter, baseline, &select),
        Command::Report {
            logs,
            out,
            specs,
            check,
        } => report_cmd(&logs, &out, &specs, check),
        Command::Repro {
            case,
            adapter,
            specs,
        } => block_on(repro_cmd(&case, &adapter, &specs)),
        Command::Bench { iterations } => block_on(bench::run(iterations)),
    }
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
        .block_on(future)
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

/// Runs the selected cases on an adapter, writing the log as results come.
async fn run_suite(
    adapter_name: &str,
    selected: &[LoadedCase],
    suite: &Suite,
    jobs: usize,
    log_path: &Path,
) -> Result<(Arc<dyn Adapter>, Vec<CaseResult>), String> {
    let adapter = adapter::open(adapter_name).await?;
    let mut log = open_log(log_path)?;
    let header = Header {
        adapter: adapter.info().clone(),
        suite: SuiteInfo {
            cases: selected.len(),
            spec_hash: suite.spec_hash.clone(),
        },
        started: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
    };
    log.write(&Line::Header(header))
        .map_err(|e| format!("{}: cannot write: {e}", log_path.display()))?;
    let options = RunOptions {
        jobs,
        ..RunOptions::default()
    };
    let total = selected.len();
    let tty = std::io::stderr().is_terminal();
    let mut done = 0;
    let cases = selected.iter().map(|c| c.case.clone()).collect();
    let info = adapter.info();
    eprintln!(
        "running {total} cases on `{}` {} ({}, {}), {} at once",
        info.name,
        info.version,
        info.platform,
        info.runtime,
        options
            .jobs
            .min(adapter.concurrency().unwrap_or(usize::MAX))
    );
    let results = runner::run_all(adapter.clone(), cases, &options, |result| {
        done += 1;
        if let Err(err) = log.case(result) {
            eprintln!("warning: cannot write the run log: {err}");
        }
        if tty {
            eprint!("\r\x1b[2K[{done}/{total}] {} {}", result.status, result.id);
        }
    })
    .await;
    if tty {
        eprintln!();
    }
    adapter.stop().await;
    let footer = Footer::from_statuses(results.iter().map(|r| r.status));
    let _ = log.write(&Line::Footer(footer));
    Ok((adapter, results))
}

fn run(args: RunArgs) -> ExitCode {
    let (suite, selected) = match load(&args.select) {
        Ok(loaded) => loaded,
        Err(message) => return usage_error(&message),
    };
    if args.jobs == 0 {
        return usage_error("--jobs must be at least 1");
    }
    let log_path = args
        .log
        .clone()
        .unwrap_or_else(|| default_log(&args.adapter));
    let outcome = block_on(run_suite(
        &args.adapter,
        &selected,
        &suite,
        args.jobs,
        &log_path,
    ));
    let (adapter, results) = match outcome {
        Ok(done) => done,
        Err(message) => return usage_error(&message),
    };
    let name = adapter.info().name.clone();
    let baseline_path = match (&args.baseline, args.no_baseline) {
        (_, true) => None,
        (Some(path), _) => Some(path.clone()),
        (None, false) => Some(gate::default_path(&name)).filter(|p| p.is_file()),
    };
    print!(
        "{}",
        summary::render(&results, &args.adapter, baseline_path.is_some())
    );
    println!("run log: {}", log_path.display());
    let code = match baseline_path {
        None if summary::all_as_expected(&results) => ExitCode::SUCCESS,
        None => ExitCode::from(1),
        Some(path) => {
            let baseline = match Baseline::load(&path) {
                Ok(baseline) => baseline,
                Err(message) => return usage_error(&message),
            };
            let ids: BTreeSet<String> = suite.cases.iter().map(|c| c.case.id.clone()).collect();
            let findings = gate::judge(&results, &baseline, &ids);
            if findings.is_empty() {
                println!(
                    "gate: ok against {} ({} known divergence(s))",
                    path.display(),
                    baseline.expected.len()
                );
                ExitCode::SUCCESS
            } else {
                println!(
                    "gate: {} finding(s) against {}:",
                    findings.len(),
                    path.display()
                );
                for finding in &findings {
                    println!("  {finding}");
                }
                println!(
                    "  (after a deliberate change: taro-conformance baseline update --adapter {})",
                    args.adapter
                );
                ExitCode::from(1)
            }
        }
    };
    exit_for_specs(&suite, code)
}

fn default_log(adapter: &str) -> PathBuf {
    let name = Path::new(adapter)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| s != "adapter")
        .unwrap_or_else(|| adapter.replace(['/', '\\'], "_"));
    PathBuf::from(format!("target/conformance/{name}.jsonl"))
}

fn baseline_update(adapter_name: &str, path: Option<PathBuf>, select: &Select) -> ExitCode {
    let (suite, selected) = match load(select) {
        Ok(loaded) => loaded,
        Err(message) => return usage_error(&message),
    };
    if !suite.errors.is_empty() {
        return usage_error("fix the spec files first: a baseline is written from the whole suite");
    }
    let log_path = default_log(adapter_name);
    let jobs = runner::default_jobs();
    let (adapter, results) =
        match block_on(run_suite(adapter_name, &selected, &suite, jobs, &log_path)) {
            Ok(done) => done,
            Err(message) => return usage_error(&message),
        };
    let name = adapter.info().name.clone();
    let path = path.unwrap_or_else(|| gate::default_path(&name));
    let old = path.is_file().then(|| Baseline::load(&path)).transpose();
    let old = match old {
        Ok(old) => old,
        Err(message) => return usage_error(&message),
    };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let text = gate::updated(&name, &results, old.as_ref());
    if let Err(err) = std::fs::write(&path, text) {
        return usage_error(&format!("{}: cannot write: {err}", path.display()));
    }
    let listed = results
        .iter()
        .filter(|r| !r.status.is_as_expected())
        .count();
    println!(
        "wrote {} ({listed} case(s) that do not pass)",
        path.display()
    );
    ExitCode::SUCCESS
}

fn adapters_cmd() -> ExitCode {
    println!(
        "{:<20} {:<10} {:<8} description",
        "name", "platform", "set up"
    );
    println!(
        "{:<20} {:<10} {:<8} the contract in Rust (reqwest), built in",
        adapter::REFERENCE,
        "reference",
        "yes"
    );
    let mut code = ExitCode::SUCCESS;
    for manifest in manifest::all() {
        match manifest {
            Ok(m) => {
                let ready = if m.is_set_up() { "yes" } else { "no" };
                println!(
                    "{:<20} {:<10} {:<8} {}",
                    m.name, m.platform, ready, m.description
                );
            }
            Err(message) => {
                eprintln!("error: {message}");
                code = ExitCode::from(USAGE_ERROR);
            }
        }
    }
    code
}

fn setup_cmd(name: &str) -> ExitCode {
    if name == adapter::REFERENCE {
        println!("`reference` is built in: nothing to set up");
        return ExitCode::SUCCESS;
    }
    let manifest = match manifest::find(name) {
        Ok(m) => m,
        Err(message) => return usage_error(&message),
    };
    if !manifest.setup.trim().is_empty() {
        println!(
            "setting up `{}`: {} (in {})",
            manifest.name,
            manifest.setup,
            manifest.dir.display()
        );
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(&manifest.setup)
            .current_dir(&manifest.dir)
            .status();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!(
                    "error: the setup command of `{}` failed ({s})",
                    manifest.name
                );
                return ExitCode::from(1);
            }
            Err(e) => return usage_error(&format!("cannot run the setup command: {e}")),
        }
    }
    if manifest.is_set_up() {
        println!("`{}` is set up", manifest.name);
        ExitCode::SUCCESS
    } else {
        let missing: Vec<&String> = manifest
            .ready
            .iter()
            .filter(|p| !manifest.dir.join(p).exists())
            .collect();
        eprintln!(
            "error: `{}` is still not set up: missing {missing:?}",
            manifest.name
        );
        ExitCode::from(1)
    }
}

async fn smoke_cmd(name: &str) -> ExitCode {
    let adapter = match adapter::open(name).await {
        Ok(adapter) => adapter,
        Err(message) => return usage_error(&message),
    };
    let report = smoke::check(adapter.clone()).await;
    adapter.stop().await;
    print!("{}", report.text);
    if report.speaks_protocol {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn report_cmd(logs: &[PathBuf], out: &Path, specs: &Path, check: bool) -> ExitCode {
    let suite = spec::load_dir(specs);
    for error in &suite.errors {
        eprintln!("error: {error}");
    }
    let mut columns = Vec::new();
    for log in logs {
        match report::read_column(log) {
            Ok(column) => columns.push(column),
            Err(message) => return usage_error(&message),
        }
    }
    let matrix = report::matrix(&suite, &columns);
    if check {
        let path = out.join("matrix.json");
        let committed = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))
            .and_then(|text| {
                serde_json::from_str::<serde_json::Value>(&text)
                    .map_err(|e| format!("{}: {e}", path.display()))
            });
        let committed = match committed {
            Ok(value) => value,
            Err(message) => return usage_error(&message),
        };
        let now = serde_json::to_value(&matrix).expect("the matrix serializes");
        if committed["rows"] == now["rows"] {
            println!(
                "{} is current ({} cases, {} adapters)",
                path.display(),
                matrix.rows.len(),
                columns.len()
            );
            return exit_for_specs(&suite, ExitCode::SUCCESS);
        }
        eprintln!(
            "error: {} is stale: regenerate it with `taro-conformance report {} --out {}` and commit it",
            path.display(),
            logs.iter()
                .map(|l| format!("--log {}", l.display()))
                .collect::<Vec<_>>()
                .join(" "),
            out.display()
        );
        return ExitCode::from(1);
    }
    if let Err(e) = std::fs::create_dir_all(out) {
        return usage_error(&format!("{}: cannot create: {e}", out.display()));
    }
    let md = out.join("matrix.md");
    let json = out.join("matrix.json");
    let written = std::fs::write(&md, report::markdown(&matrix)).and_then(|_| {
        let mut text = serde_json::to_string_pretty(&matrix).expect("the matrix serializes");
        text.push('\n');
        std::fs::write(&json, text)
    });
    if let Err(e) = written {
        return usage_error(&format!("cannot write the matrix: {e}"));
    }
    println!(
        "wrote {} and {} ({} adapters, {} cases)",
        md.display(),
        json.display(),
        columns.len(),
        matrix.rows.len()
    );
    exit_for_specs(&suite, ExitCode::SUCCESS)
}

async fn repro_cmd(id: &str, adapter_name: &str, specs: &Path) -> ExitCode {
    let suite = spec::load_dir(specs);
    let Some(loaded) = suite.cases.iter().find(|c| c.case.id == id) else {
        let near: Vec<&str> = suite
            .cases
            .iter()
            .map(|c| c.case.id.as_str())
            .filter(|c| c.contains(id) || id.contains(*c))
            .take(5)
            .collect();
        return usage_error(&format!(
            "no case `{id}` in {} (similar: {near:?})",
            specs.display()
        ));
    };
    let adapter = match adapter::open(adapter_name).await {
        Ok(adapter) => adapter,
        Err(message) => return usage_error(&message),
    };
    let (text, result) = repro::run(adapter.as_ref(), loaded).await;
    adapter.stop().await;
    print!("{text}");
    if result.status.is_as_expected() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
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
