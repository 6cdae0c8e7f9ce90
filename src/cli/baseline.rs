//! `baseline update`: the cases known not to pass on an adapter, written from a run.

use std::path::PathBuf;

use clap::Subcommand;
use taro_conformance::adapter;
use taro_conformance::error::Error;
use taro_conformance::run::gate;
use taro_conformance::run::log::RunLog;
use taro_conformance::run::{self, BaselineChoice, Run};

use super::run::execute;
use super::{Outcome, Select};

/// `baseline …`.
#[derive(Subcommand)]
pub enum BaselineAction {
    /// Run the suite and rewrite the adapter's baseline from it, keeping the reasons written.
    Update {
        /// The adapter's name or manifest path.
        #[arg(long, default_value = adapter::REFERENCE)]
        adapter: String,
        /// The baseline file (default: reports/baselines/NAME.yaml).
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Take the results from this run log instead of running the suite (the log must be of
        /// the whole suite).
        #[arg(long, value_name = "FILE")]
        from_log: Option<PathBuf>,
        #[command(flatten)]
        select: Select,
    },
}

/// Runs the suite and rewrites the adapter's baseline from it.
pub fn baseline(action: BaselineAction) -> Outcome {
    let BaselineAction::Update {
        adapter,
        baseline,
        from_log,
        select,
    } = action;
    let (name, results) = match from_log {
        Some(log) => {
            let run = RunLog::read(&log)?;
            (run.header.adapter.name, run.results.into_values().collect())
        }
        None => {
            let (suite, selected) = select.load()?;
            if !suite.errors.is_empty() {
                return Err(Error::Usage(
                    "fix the spec files first: a baseline is written from the whole suite".into(),
                ));
            }
            let pipeline = Run::new(&adapter)
                .log_to(run::default_log(&adapter))
                .baseline(BaselineChoice::None);
            let report = execute(&pipeline, &suite, &selected)?;
            (report.adapter.name, report.results)
        }
    };
    let path = baseline.unwrap_or_else(|| gate::default_path(&name));
    let listed = gate::update_file(&path, &name, &results)?;
    outln!(
        "wrote {} ({listed} case(s) that do not pass)",
        path.display()
    );
    Ok(0)
}
