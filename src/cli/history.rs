//! `history`: measure every stable release of the Taro packages, and write the behaviour
//! history (reports/history.md, history.json, history.html) from the records.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use taro_conformance::error::{EXIT_FAILED, Error};
use taro_conformance::history::{self, History, Plan, Record};
use taro_conformance::spec::select::Partition;

use super::{Outcome, block_on, history_print, load_suite};

/// `history`.
#[derive(Args)]
pub struct HistoryArgs {
    /// The adapters to measure (repeatable; default: every adapter whose manifest names its
    /// package, H5 in jsdom and in Chromium).
    #[arg(long = "adapter", value_name = "NAME")]
    adapters: Vec<String>,
    /// The first release.
    #[arg(long, default_value = history::DEFAULT_FROM)]
    from: String,
    /// The last release (default: the newest).
    #[arg(long)]
    to: Option<String>,
    /// How many releases are set up and run at once.
    #[arg(long, default_value_t = 3)]
    jobs: usize,
    /// Measure again the releases already measured (those that could not run always are).
    #[arg(long)]
    again: bool,
    /// Keep each release's install (by default only its bundle is kept).
    #[arg(long)]
    keep_installs: bool,
    /// Measure only slice K of N of the releases to measure (each adapter's in N runs of
    /// consecutive releases), into records of the slice's own, for `--merge`.
    #[arg(long, value_name = "K/N", conflicts_with_all = ["offline", "check", "verify"])]
    partition: Option<Partition>,
    /// Where `--partition` writes its records (default: target/history/slices/K-of-N).
    #[arg(long, value_name = "DIR", requires = "partition")]
    slice_dir: Option<PathBuf>,
    /// Measure nothing: merge the slices' records under each DIR into reports/history/, then
    /// write the history as `--offline` does.
    #[arg(long, value_name = "DIR", num_args = 1.., conflicts_with_all = ["offline", "check", "verify", "partition"])]
    merge: Vec<PathBuf>,
    /// Measure nothing: share JOBS jobs among the adapters by their releases to measure and
    /// print them as a CI matrix (JSON: adapter, slice K/N, name, releases).
    #[arg(long, value_name = "JOBS", conflicts_with_all = ["offline", "check", "verify", "partition", "merge"])]
    plan: Option<usize>,
    /// With `--plan`: one release of adapter NAME costs X times another's (repeatable).
    #[arg(long = "weight", value_name = "NAME=X", requires = "plan", value_parser = history_print::weight)]
    weights: Vec<(String, usize)>,
    /// Measure nothing: write the history from the records alone.
    #[arg(long, conflicts_with_all = ["check", "verify"])]
    offline: bool,
    /// Measure nothing: exit 1 unless history.md, .json and .html say what the records say.
    #[arg(long, conflicts_with = "verify")]
    check: bool,
    /// Run the suite on one recorded release (NAME@VERSION, set up beforehand or now) and
    /// exit 1 where it disagrees with its record.
    #[arg(long, value_name = "NAME@VERSION")]
    verify: Option<String>,
    /// Where history.md, history.json and history.html go.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
}

/// Runs `history`.
pub fn history(args: HistoryArgs) -> Outcome {
    let root = Path::new("");
    let adapters = if args.adapters.is_empty() {
        history::DEFAULT_ADAPTERS.map(String::from).into()
    } else {
        args.adapters.clone()
    };
    if let Some(jobs) = args.plan {
        return history_print::plan(&args_plan(&args, adapters, root), jobs, &args.weights);
    }
    if let Some(target) = &args.verify {
        return verify(&args, target);
    }
    if args.check {
        let built = built(root, &args.specs)?;
        if history::is_current(&built, &args.out) {
            outln!(
                "{} is current ({} adapters, {} releases)",
                args.out.join("history.md").display(),
                built.adapters.len(),
                built
                    .adapters
                    .iter()
                    .map(|a| a.measured.len())
                    .sum::<usize>()
            );
            return Ok(0);
        }
        errln!(
            "error: {}, history.json or history.html is stale: regenerate them with `taro-conformance history --offline` and commit them",
            args.out.join("history.md").display()
        );
        return Ok(EXIT_FAILED);
    }
    if !args.merge.is_empty() {
        history_print::merge(root, &args.merge)?;
    } else if !args.offline {
        if args.jobs == 0 {
            return Err(Error::Usage("--jobs must be at least 1".into()));
        }
        let suite = load_suite(&args.specs);
        if !suite.errors.is_empty() {
            return Err(Error::Usage(
                "the history records the whole suite: fix the spec files above first".into(),
            ));
        }
        let plan = args_plan(&args, adapters, root);
        let started = Instant::now();
        let mut count = 0;
        block_on(history::measure(&suite, &plan, |event| {
            history_print::print_event(&event, &mut count)
        }))??;
        errln!(
            "history: {count} release(s) measured in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        if let Some(slice) = args.partition {
            let dir = args
                .slice_dir
                .clone()
                .unwrap_or_else(|| history::partition::default_dir(slice));
            outln!(
                "slice {slice}: records in {}; `taro-conformance history --merge DIR...` merges the slices",
                dir.display()
            );
            return Ok(0);
        }
    }
    let built = built(root, &args.specs)?;
    let [md, ..] = history::write(&built, &args.out)?;
    outln!("wrote {}, history.json and history.html", md.display());
    for adapter in &built.adapters {
        outln!(
            "  {}: {} releases measured, {} could not run, {} changes",
            adapter.adapter,
            adapter.measured.len(),
            adapter.not_run.len(),
            adapter.changes.len()
        );
    }
    Ok(0)
}

/// The history of every record under `root`, with its notes and the levels of the cases in
/// `specs`; a note that explains no change is a warning.
fn built(root: &Path, specs: &Path) -> Result<History, Error> {
    let (built, unmatched) = History::of(&history::all_records(root)?)
        .with_levels(&taro_conformance::spec::load_dir(specs))
        .with_notes(&history::read_notes(root)?);
    for note in unmatched {
        errln!(
            "warning: {}: no change of `{}` in {} on `{}`: the note is left out",
            history::NOTES_FILE,
            note.case,
            note.release,
            note.adapter
        );
    }
    Ok(built)
}

/// What `args` ask to measure.
fn args_plan(args: &HistoryArgs, adapters: Vec<String>, root: &Path) -> Plan {
    Plan {
        adapters,
        from: args.from.clone(),
        to: args.to.clone(),
        jobs: args.jobs,
        again: args.again,
        keep_installs: args.keep_installs,
        root: root.to_path_buf(),
        partition: args.partition,
        slice_dir: args.slice_dir.clone(),
    }
}

/// `history --verify NAME@VERSION`.
fn verify(args: &HistoryArgs, target: &str) -> Outcome {
    let Some((adapter, release)) = target.split_once('@') else {
        return Err(Error::Usage(format!(
            "--verify takes NAME@VERSION (a recorded release), not `{target}`"
        )));
    };
    let name = taro_conformance::adapter::manifest::find(adapter)?.name;
    let path = Record::path(Path::new(""), &name);
    let record = Record::read(&path)?;
    let Some(recorded) = record.results(release) else {
        return Err(Error::Usage(format!(
            "{} has no measurement of {release}",
            path.display()
        )));
    };
    let suite = load_suite(&args.specs);
    let found = block_on(history::rerun(&suite, adapter, release))??;
    let mut differ = 0;
    for (id, was) in recorded {
        let Some(now) = found.get(id) else { continue };
        if !now.same_as(was) && !was.unstable {
            differ += 1;
            outln!(
                "  {id}: recorded {} ({}), now {} ({})",
                was.status,
                was.fingerprint,
                now.status,
                now.fingerprint
            );
            for line in &now.mismatches {
                outln!("    - {line}");
            }
        }
    }
    if differ == 0 {
        outln!(
            "{target}: all {} recorded case(s) behave as {} says",
            recorded.len(),
            path.display()
        );
        Ok(0)
    } else {
        outln!("{target}: {differ} case(s) differ from {}", path.display());
        Ok(EXIT_FAILED)
    }
}
