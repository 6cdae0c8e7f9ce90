//! The commands about the suite itself: `list`, `lint`, `docs`, `schema`.

use std::path::PathBuf;

use clap::Args;
use taro_conformance::contract::{CONTRACT_DOC_PATH, CONTRACT_PATH, Contract, ContractDoc};
use taro_conformance::{adapter, docs, lint as linter, schemas, spec};

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
        println!("{}", case.case.id);
    }
    Ok(exit_for_specs(&suite, 0))
}

/// Lints the suite against the contract and prints the clause coverage.
pub fn lint(args: ContractArgs) -> Outcome {
    let contract = Contract::load(&args.contract)?;
    let doc = ContractDoc::load(&args.contract_doc)?;
    let suite = spec::load_dir(&args.select.specs);
    let mut report = linter::lint(&suite, &contract, &doc);
    let doubts =
        taro_conformance::doubt::Doubts::load(taro_conformance::doubt::DOUBTS_PATH.as_ref())?;
    report.problems.extend(doubts.check(&suite));
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
        Ok(0)
    } else {
        println!("lint: {} problem(s)", report.problems.len());
        Ok(1)
    }
}

/// Prints the docs page's tables, regenerated.
pub fn docs(args: ContractArgs) -> Outcome {
    let contract = Contract::load(&args.contract)?;
    let suite = load_suite(&args.select.specs);
    print!("{}", docs::render(&contract, &suite));
    Ok(exit_for_specs(&suite, 0))
}

/// Prints the spec schema, or writes the protocol's.
pub fn schema(args: SchemaArgs) -> Outcome {
    let written = match (args.protocol, args.outputs) {
        (Some(dir), _) => adapter::protocol::write_schemas(&dir)?,
        (None, Some(dir)) => schemas::write(&dir, schemas::outputs())?,
        (None, None) => {
            print!("{}", spec::schema::schema_json());
            Vec::new()
        }
    };
    for path in written {
        println!("wrote {}", path.display());
    }
    Ok(0)
}
