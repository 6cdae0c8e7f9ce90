//! `bisect`: the first release where a case's behaviour changes.

use std::path::PathBuf;

use clap::Args;
use taro_conformance::adapter::setup_output::SetupOutput;
use taro_conformance::history::bisect;

use super::{Outcome, block_on};

/// `bisect`.
#[derive(Args)]
pub struct BisectArgs {
    /// The case id.
    case: String,
    /// The adapter (of a Taro package that lists its versions).
    #[arg(long)]
    adapter: String,
    /// A release where the case behaves as it used to.
    #[arg(long)]
    good: String,
    /// A release where it behaves otherwise.
    #[arg(long)]
    bad: String,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
}

/// Finds the first release where a case's behaviour changes.
pub fn bisect(args: BisectArgs) -> Outcome {
    let suite = taro_conformance::spec::load_dir(&args.specs);
    let found = block_on(bisect::bisect(
        &args.adapter,
        &suite,
        &args.case,
        &args.good,
        &args.bad,
        SetupOutput::Lines(&super::adapters::shown_line),
        |probe| {
            errln!(
                "  {}: {} (fingerprint {})",
                probe.version,
                probe.status,
                probe.fingerprint
            )
        },
    ))??;
    let show = |probe: &bisect::Probe| {
        outln!("  {}: {}", probe.version, probe.status);
        for line in &probe.mismatches {
            outln!("    - {line}");
        }
    };
    outln!(
        "`{}` changes first in {} (after {}), found in {} run(s):",
        args.case,
        found.first_changed.version,
        found.last_before.version,
        found.probed.len()
    );
    show(&found.last_before);
    show(&found.first_changed);
    Ok(0)
}
