//! `baseline update`: the cases known not to pass on an adapter, written from a run.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use taro_conformance::adapter::{self, manifest};
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
        /// Write a labelled run's baseline (NAME@VERSION: another release or a local build) into
        /// the file `--baseline` names; without it such a run is refused, and it never writes the
        /// pinned adapter's file.
        #[arg(long)]
        labelled: bool,
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
        labelled,
        select,
    } = action;
    // A labelled run (NAME@VERSION, or a log of one) is judged against the pinned NAME's
    // baseline; writing its failures there would make a regression the expected behaviour.
    let label = manifest::split_version(&adapter)
        .1
        .map(str::to_string)
        .or_else(|| {
            let stem = from_log
                .as_ref()?
                .file_stem()?
                .to_string_lossy()
                .into_owned();
            stem.rsplit_once('@').map(|(_, label)| label.to_string())
        });
    if let Some(label) = &label {
        if !labelled {
            return Err(Error::Usage(format!(
                "`@{label}` is a labelled run: it is judged against the pinned adapter's baseline, \
                 which changes only with the release that ships the change (`baseline update` on \
                 the pinned adapter, once that release is pinned); to keep this run's failures in \
                 a file of their own, add --labelled --baseline FILE"
            )));
        }
        let Some(file) = &baseline else {
            return Err(Error::Usage(
                "--labelled writes only into the file --baseline names, never the pinned \
                 adapter's"
                    .into(),
            ));
        };
        let given = manifest::split_version(&adapter).0;
        let pinned = manifest::name_of(given).unwrap_or_else(|| given.to_string());
        if from_log.is_none() && same_file(file, &gate::default_path(&pinned)) {
            return Err(Error::Usage(format!(
                "{} is the pinned `{pinned}`'s baseline: a labelled run never writes it",
                file.display()
            )));
        }
    }
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
    if label.is_some() && same_file(&path, &gate::default_path(&name)) {
        return Err(Error::Usage(format!(
            "{} is the pinned `{name}`'s baseline: a labelled run never writes it",
            path.display()
        )));
    }
    let listed = gate::update_file(&path, &name, &results)?;
    outln!(
        "wrote {} ({listed} case(s) that do not pass)",
        path.display()
    );
    Ok(0)
}

/// Whether two paths name one file (the second need not exist yet).
fn same_file(a: &Path, b: &Path) -> bool {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => absolute(a) == absolute(b),
    }
}
