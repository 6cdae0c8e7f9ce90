//! The commands that read results or measure: `report`, `repro`, `bench`.

use std::path::{Path, PathBuf};

use clap::Args;
use taro_conformance::adapter;
use taro_conformance::error::{EXIT_FAILED, Error, FileError};
use taro_conformance::report::diff::diff as compare;
use taro_conformance::report::doubt::{DOUBTS_PATH, Doubts};
use taro_conformance::report::{github, html, matrix, support};
use taro_conformance::run::gate;
use taro_conformance::run::log::RunLog;
use taro_conformance::spec::Suite;
use taro_conformance::spec::contract::{CONTRACT_PATH, Contract};
use taro_conformance::tools::{bench, repro};

use super::{Outcome, block_on, exit_for_specs, load_suite};

/// `report`.
#[derive(Args)]
pub struct ReportArgs {
    /// A run log; give one per adapter column, in column order.
    #[arg(long = "log", required = true)]
    logs: Vec<PathBuf>,
    /// Where to write matrix.md, matrix.json and the support page (support.md, support.zh-CN.md).
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Where documentation and field reports disagree: the cells to mark ❓.
    #[arg(long, default_value = DOUBTS_PATH)]
    doubts: PathBuf,
    /// Write nothing: fail when the rows (cases and statuses) of OUT/matrix.json, or the support
    /// pages, differ from these logs' (the adapters' versions may differ, the evidence may not).
    #[arg(long)]
    check: bool,
    /// Also write OUT/matrix.html, the matrix as one page to open in a browser (with `--check`:
    /// also fail when it is missing, made by another template, or shows other rows).
    #[arg(long)]
    html: bool,
}

/// `diff`.
#[derive(Args)]
pub struct DiffArgs {
    /// The old run's log, or a directory of its logs (the slices of a partitioned run).
    old: PathBuf,
    /// The new run's log, or a directory of its logs.
    new: PathBuf,
    /// Print JSON (for tools) instead of Markdown.
    #[arg(long)]
    json: bool,
}

/// `repro`.
#[derive(Args)]
pub struct ReproArgs {
    /// The case id.
    case: String,
    /// The adapter's name or manifest path.
    #[arg(long, default_value = adapter::REFERENCE)]
    adapter: String,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
}

/// `bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// How many runs per measurement.
    #[arg(long, default_value_t = 200)]
    iterations: usize,
    /// Leave out the figures that run every set-up adapter (about a minute and a half).
    #[arg(long)]
    no_adapters: bool,
}

/// Writes the matrix from run logs, or checks the committed one.
pub fn report(args: ReportArgs) -> Outcome {
    let suite = load_suite(&args.specs);
    let built = Built::from_logs(&suite, &args.logs, &args.doubts)?;
    github::append_summary(&github::matrix_summary(&built.matrix))?;
    if args.check {
        let path = args.out.join("matrix.json");
        let mut stale = Vec::new();
        if !matrix::is_current(&built.matrix, &args.out)? {
            stale.push(path.clone());
        }
        stale.extend(support::stale(&built.page, &built.contract, &args.out)?);
        let html_stale = if args.html {
            html::is_current(&built.matrix, &args.out)?
        } else {
            None
        };
        if !stale.is_empty() || html_stale.is_some() {
            let logs: Vec<String> = args
                .logs
                .iter()
                .map(|l| format!("--log {}", l.display()))
                .collect();
            let again = format!(
                "regenerate with `taro-conformance report {}{} --out {}` and commit",
                logs.join(" "),
                if args.html { " --html" } else { "" },
                args.out.display()
            );
            if !stale.is_empty() {
                let stale: Vec<String> = stale.iter().map(|p| p.display().to_string()).collect();
                eprintln!("error: {} stale: {again}", stale.join(", "));
            }
            if let Some(why) = html_stale {
                eprintln!("error: {why}: {again}");
            }
            return Ok(EXIT_FAILED);
        }
        println!(
            "{} and the support pages are current ({} cases, {} adapters)",
            path.display(),
            built.matrix.rows.len(),
            built.columns.len()
        );
        if args.html {
            println!(
                "{} is current (the same rows; its traffic is not compared)",
                args.out
                    .join(taro_conformance::report::links::FILE)
                    .display()
            );
        }
        return Ok(exit_for_specs(&suite, 0));
    }
    built.write(&suite, &args.out, args.html)?;
    Ok(exit_for_specs(&suite, 0))
}

/// Everything `report` makes of a set of run logs, and `run --report` of the logs it wrote.
pub(super) struct Built {
    columns: Vec<matrix::Column>,
    /// The matrix, with the doubted cells marked.
    pub(super) matrix: matrix::Matrix,
    contract: Contract,
    baselines: std::collections::BTreeMap<String, gate::Baseline>,
    page: support::Support,
}

impl Built {
    /// Reads the logs (warning about what it leaves out) and builds the matrix and the support
    /// page from them.
    pub(super) fn from_logs(suite: &Suite, logs: &[PathBuf], doubts: &Path) -> Result<Self, Error> {
        let (columns, warnings) = matrix::read_columns(logs)?;
        for warning in warnings {
            eprintln!("warning: {warning}");
        }
        for column in &columns {
            if let Some(cut) = &column.cut {
                eprintln!(
                    "warning: {cut} (the last line, cut short by an interrupted run: left out)"
                );
            }
            let unknown = column.unknown_ids(suite);
            if !unknown.is_empty() {
                eprintln!(
                    "warning: `{}@{}`: {} case(s) the suite does not have, left out: {}",
                    column.adapter.name,
                    column.adapter.version,
                    unknown.len(),
                    unknown.join(", ")
                );
            }
        }
        let mut built = matrix::matrix(suite, &columns);
        matrix::mark_doubts(&mut built, &Doubts::load(doubts)?);
        let contract = Contract::load(CONTRACT_PATH.as_ref())?;
        let baselines = gate::committed_baselines(built.adapters.iter().map(|a| a.name.as_str()))?;
        let page = support::build(&contract, suite, &built, &support::reasons_of(&baselines));
        Ok(Built {
            columns,
            matrix: built,
            contract,
            baselines,
            page,
        })
    }

    /// Writes matrix.md, matrix.json and the support pages into `out`, and with `html`
    /// matrix.html, saying what it wrote.
    pub(super) fn write(self, suite: &Suite, out: &Path, html: bool) -> Result<(), Error> {
        let [md, json] = matrix::write(&self.matrix, out)?;
        let pages = support::write(&self.page, &self.contract, out)?;
        let pages: Vec<String> = pages.iter().map(|p| p.display().to_string()).collect();
        println!(
            "wrote {}, {} and {} ({} adapters, {} cases)",
            md.display(),
            json.display(),
            pages.join(", "),
            self.columns.len(),
            self.matrix.rows.len()
        );
        if html {
            let sources = html::Sources {
                contract: Some(self.contract),
                baselines: self.baselines,
            };
            let data = html::data(suite, &self.columns, &self.matrix, &sources);
            println!(
                "wrote {}",
                html::write(&self.matrix, &data, &self.page, out)?.display()
            );
        }
        Ok(())
    }
}

/// Compares two runs; exits 1 when a case that passed does not now.
pub fn diff(args: DiffArgs) -> Outcome {
    let old = read_side(&args.old)?;
    let new = read_side(&args.new)?;
    let diff = compare(&old, &new);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&diff).expect("a diff serializes")
        );
    } else {
        print!("{}", diff.markdown());
    }
    github::append_summary(&diff.markdown())?;
    Ok(if diff.broke() { EXIT_FAILED } else { 0 })
}

/// One side of a diff: a log, or every `*.jsonl` in a directory merged (one adapter@version).
fn read_side(path: &Path) -> Result<RunLog, Error> {
    if !path.is_dir() {
        return Ok(RunLog::read(path)?);
    }
    let mut logs: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| FileError::unreadable(path, &e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    logs.sort();
    if logs.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no *.jsonl run log in it",
            path.display()
        )));
    }
    let merged = RunLog::merge(&logs)?;
    for warning in &merged.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(merged.log)
}

/// Runs one case and prints how to reproduce it.
pub fn repro(args: ReproArgs) -> Outcome {
    let suite = taro_conformance::spec::load_dir(&args.specs);
    let loaded = suite.find(&args.case)?;
    let (text, result) = block_on(async {
        let adapter = adapter::open(&args.adapter).await?;
        let done = repro::run(adapter.as_ref(), loaded).await;
        adapter.stop().await;
        Ok::<_, Error>(done)
    })??;
    print!("{text}");
    Ok(if result.status.is_as_expected() {
        0
    } else {
        EXIT_FAILED
    })
}

/// Measures the harness and prints its figures.
pub fn bench(args: BenchArgs) -> Outcome {
    println!(
        "taro-conformance bench ({} iterations per figure)\n",
        args.iterations.max(10)
    );
    // The figures are the harness's own; an unoptimized build's are not the ones the targets mean.
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: this is a dev build, whose harness is unoptimized: its figures are not the \
             ones the README quotes (`cargo run --release -- bench` measures those)\n"
        );
    }
    let figures = block_on(bench::run(args.iterations))?;
    println!("{}", figures.overhead);
    match &figures.round_trip {
        Ok(figure) => println!("{figure}"),
        Err(why) => println!("protocol round trip: not measured ({why})"),
    }
    match &figures.flood {
        Ok(flood) => println!("{flood}"),
        Err(why) => println!("memory under a stderr flood: not measured ({why})"),
    }
    println!("{}", figures.suite);
    if args.no_adapters {
        return Ok(0);
    }
    let (adapters, _) = taro_conformance::adapter::manifest::set_up();
    if adapters.len() < 2 {
        println!("whole matrix: not measured (no adapter is set up besides the reference)");
        return Ok(0);
    }
    eprintln!(
        "running the suite on {} adapters one after another, then all at once…",
        adapters.len()
    );
    let suite = load_suite("specs".as_ref());
    let (matrix, floor) = block_on(bench::matrix(&suite, &adapters))??;
    println!("{matrix}");
    match floor {
        Some(floor) => println!("{floor}"),
        None => println!(
            "{} suite: not measured (not set up)",
            bench::BROWSER_ADAPTER
        ),
    }
    Ok(0)
}
