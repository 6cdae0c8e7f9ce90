//! `bench`: what the harness costs, in figures.

use clap::Args;
use taro_conformance::tools::bench;

use super::{Outcome, block_on, load_suite};

/// `bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// How many runs per measurement.
    #[arg(long, default_value_t = 200)]
    iterations: usize,
    /// Leave out the figures that run every set-up adapter (about two minutes a round).
    #[arg(long)]
    no_adapters: bool,
    /// How many rounds of whole runs (each adapter alone, then all at once), for medians.
    #[arg(long, default_value_t = 1)]
    rounds: usize,
    /// Also time `run` of the same adapters in DIR, a checkout of another commit, built and
    /// set up, in each round: this run's CPU against that one's.
    #[arg(long, value_name = "DIR")]
    against: Option<std::path::PathBuf>,
}

/// Measures the harness and prints its figures.
pub fn bench(args: BenchArgs) -> Outcome {
    outln!(
        "taro-conformance bench ({} iterations per figure)\n",
        args.iterations.max(10)
    );
    // The figures are the harness's own; an unoptimized build's are not the ones the targets mean.
    if cfg!(debug_assertions) {
        errln!(
            "warning: this is a dev build, whose harness is unoptimized: its figures are not the \
             ones the README quotes (`cargo run --release -- bench` measures those)\n"
        );
    }
    let figures = block_on(bench::run(args.iterations))?;
    outln!("{}", figures.overhead);
    match &figures.round_trip {
        Ok(figure) => outln!("{figure}"),
        Err(why) => outln!("protocol round trip: not measured ({why})"),
    }
    match &figures.flood {
        Ok(flood) => outln!("{flood}"),
        Err(why) => outln!("memory under a stderr flood: not measured ({why})"),
    }
    outln!("{}", figures.suite);
    match &figures.peaks {
        Ok(peaks) => peaks.iter().for_each(|peak| outln!("{peak}")),
        Err(why) => outln!("peak memory on large inputs: not measured ({why})"),
    }
    outln!("{}", bench::whole::last_ci_run());
    if args.no_adapters {
        return Ok(0);
    }
    let (adapters, _) = taro_conformance::adapter::manifest::set_up();
    if adapters.len() < 2 {
        outln!("whole matrix: not measured (no adapter is set up besides the reference)");
        return Ok(0);
    }
    errln!(
        "running the suite on {} adapters one after another, then all at once, as processes ({} round(s))…",
        adapters.len(),
        args.rounds.max(1)
    );
    let suite = load_suite("specs".as_ref());
    let whole = block_on(bench::whole::measure(
        &suite,
        &adapters,
        args.rounds,
        args.against.as_deref(),
    ))?;
    match whole {
        Ok(whole) => outln!("{whole}"),
        Err(why) => outln!("whole runs: not measured ({why})"),
    }
    Ok(0)
}
