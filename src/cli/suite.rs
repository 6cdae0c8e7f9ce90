//! The commands about the suite itself: `list`, `lint`, `docs`, `schema`.

use std::path::PathBuf;

use clap::Args;
use taro_conformance::check::blame::Ownership;
use taro_conformance::check::{docs, lint as linter};
use taro_conformance::report::schemas;
use taro_conformance::spec::contract::{CONTRACT_DOC_PATH, CONTRACT_PATH, Contract, ContractDoc};
use taro_conformance::{adapter, spec};

use super::{Outcome, Select, exit_for_specs, load_suite};

/// `list`.
#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    select: Select,
}

/// `lint` and `docs`: the suite and the clause list.
#[derive(Args)]
pub struct ContractArgs {
    #[command(flatten)]
    select: Select,
    /// The clause list.
    #[arg(long, default_value = CONTRACT_PATH)]
    contract: PathBuf,
    /// The contract's text, whose clauses must be those of the list (lint only).
    #[arg(long, default_value = CONTRACT_DOC_PATH)]
    contract_doc: PathBuf,
}

/// `lint`: the suite and the clause list, and run logs to check for misblames.
#[derive(Args)]
pub struct LintArgs {
    #[command(flatten)]
    contract: ContractArgs,
    /// Run logs to check too: a failing case whose every mismatch lies at paths owned (`owns:`
    /// in the clause list) only by clauses it does not cite blames the wrong clause.
    #[arg(long, value_name = "LOG", num_args = 1..)]
    logs: Vec<PathBuf>,
}

/// `schema`.
#[derive(Args)]
pub struct SchemaArgs {
    /// Write the JSON Schemas of protocol v1's messages into this directory instead.
    #[arg(long, value_name = "DIR", conflicts_with = "outputs")]
    protocol: Option<PathBuf>,
    /// Write the JSON Schemas of the harness's outputs (run log lines, matrix.json, the diff
    /// JSON, baselines) into this directory instead.
    #[arg(long, value_name = "DIR")]
    outputs: Option<PathBuf>,
}

/// Prints the selected case ids.
pub fn list(args: ListArgs) -> Outcome {
    let (suite, selected) = args.select.load()?;
    for case in &selected {
        outln!("{}", case.case.id);
    }
    Ok(exit_for_specs(&suite, 0))
}

/// Lints the suite against the contract and prints the clause coverage; with `--logs`, also
/// prints every misblame in the logs.
pub fn lint(args: LintArgs) -> Outcome {
    let LintArgs {
        contract: args,
        logs,
    } = args;
    let contract = Contract::load(&args.contract)?;
    let doc = ContractDoc::load(&args.contract_doc)?;
    let suite = spec::load_dir(&args.select.specs);
    let mut report = linter::lint(&suite, &contract, &doc);
    let doubts = taro_conformance::report::doubt::Doubts::load(
        taro_conformance::report::doubt::DOUBTS_PATH.as_ref(),
    )?;
    report.problems.extend(doubts.check(&suite));
    for problem in &report.problems {
        errln!("error: {problem}");
    }
    let covered = report.coverage.values().filter(|n| **n > 0).count();
    let total = report.coverage.len();
    outln!(
        "{} cases in {} clauses; {covered}/{total} clauses covered ({}%)",
        suite.cases.len(),
        total,
        (covered * 100).checked_div(total).unwrap_or(100)
    );
    let mut problems = report.problems.len();
    if !logs.is_empty() {
        problems += misblames(&contract, &logs)?;
    }
    if problems == 0 {
        outln!("lint: ok");
        Ok(0)
    } else {
        outln!("lint: {problems} problem(s)");
        Ok(1)
    }
}

/// Prints each misblame in the logs and a line of counts; returns how many there were.
fn misblames(
    contract: &Contract,
    logs: &[PathBuf],
) -> Result<usize, taro_conformance::error::Error> {
    let ownership = Ownership::of(contract)?;
    let mut found = 0;
    for log in logs {
        for misblame in ownership.check_log(log)? {
            errln!("error: {misblame}");
            found += 1;
        }
    }
    outln!(
        "{} run log(s): {found} case(s) failing only where clauses they do not cite own the paths",
        logs.len()
    );
    Ok(found)
}

/// Prints the docs page's tables, regenerated.
pub fn docs(args: ContractArgs) -> Outcome {
    let contract = Contract::load(&args.contract)?;
    let suite = load_suite(&args.select.specs);
    out!("{}", docs::render(&contract, &suite));
    Ok(exit_for_specs(&suite, 0))
}

/// Prints the spec schema, or writes the protocol's.
pub fn schema(args: SchemaArgs) -> Outcome {
    let written = match (args.protocol, args.outputs) {
        (Some(dir), _) => adapter::protocol::write_schemas(&dir)?,
        (None, Some(dir)) => taro_conformance::json_schema::write(&dir, schemas::outputs())?,
        (None, None) => {
            out!("{}", spec::schema::schema_json());
            Vec::new()
        }
    };
    for path in written {
        outln!("wrote {}", path.display());
    }
    Ok(0)
}
