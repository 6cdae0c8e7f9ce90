//! `history`: measure every stable release of the Taro packages, and write the behaviour
//! history (reports/history.md, history.json) from the records.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use taro_conformance::adapter::setup_output::SetupOutput;
use taro_conformance::error::{EXIT_FAILED, Error};
use taro_conformance::history::{self, Event, History, Plan, Record};
use taro_conformance::report::summary;

use taro_conformance::history::bisect;

use super::{Outcome, block_on, load_suite};

/// `history`.
#[derive(Args)]
pub struct HistoryArgs {
    /// The adapters to measure (repeatable; default: taro-h5-jsdom, taro-rn, taro-weapp,
    /// taro-alipay, taro-harmony-hybrid, taro-harmony-ets).
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
    /// Measure nothing: write the history from the records alone.
    #[arg(long, conflicts_with_all = ["check", "verify"])]
    offline: bool,
    /// Measure nothing: exit 1 unless history.md and history.json say what the records say.
    #[arg(long, conflicts_with = "verify")]
    check: bool,
    /// Run the suite on one recorded release (NAME@VERSION, set up beforehand or now) and
    /// exit 1 where it disagrees with its record.
    #[arg(long, value_name = "NAME@VERSION")]
    verify: Option<String>,
    /// Where history.md and history.json go.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
}

/// Runs `history`.
pub fn history(args: HistoryArgs) -> Outcome {
    let root = Path::new("");
    if let Some(target) = &args.verify {
        return verify(&args, target);
    }
    if args.check {
        let built = built(root)?;
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
            "error: {} or history.json is stale: regenerate them with `taro-conformance history --offline` and commit them",
            args.out.join("history.md").display()
        );
        return Ok(EXIT_FAILED);
    }
    if !args.offline {
        if args.jobs == 0 {
            return Err(Error::Usage("--jobs must be at least 1".into()));
        }
        let suite = load_suite(&args.specs);
        if !suite.errors.is_empty() {
            return Err(Error::Usage(
                "the history records the whole suite: fix the spec files above first".into(),
            ));
        }
        let plan = Plan {
            adapters: if args.adapters.is_empty() {
                history::DEFAULT_ADAPTERS.map(String::from).into()
            } else {
                args.adapters.clone()
            },
            from: args.from.clone(),
            to: args.to.clone(),
            jobs: args.jobs,
            again: args.again,
            keep_installs: args.keep_installs,
            root: root.to_path_buf(),
        };
        let started = Instant::now();
        let mut count = 0;
        block_on(history::measure(&suite, &plan, |event| {
            print_event(&event, &mut count)
        }))??;
        errln!(
            "history: {count} release(s) measured in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }
    let built = built(root)?;
    let [md, json] = history::write(&built, &args.out)?;
    outln!("wrote {} and {}", md.display(), json.display());
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

/// The history of every record under `root`, with its notes; a note that explains no change is
/// a warning.
fn built(root: &Path) -> Result<History, Error> {
    let (built, unmatched) =
        History::of(&history::all_records(root)?).with_notes(&history::read_notes(root)?);
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

fn print_event(event: &Event<'_>, count: &mut usize) {
    match event {
        Event::Listed {
            adapter,
            releases,
            to_measure,
        } => errln!("{adapter}: {releases} stable release(s), {to_measure} to measure"),
        Event::Measured {
            adapter,
            release,
            results,
            took,
        } => {
            *count += 1;
            errln!(
                "  {adapter}@{release}: {} ({:.1} s)",
                summary::counts(results.values().map(|o| o.status)),
                took.as_secs_f64()
            );
        }
        Event::NotRun {
            adapter,
            release,
            why,
        } => errln!("  {adapter}@{release}: could not run: {why}"),
        Event::Confirming {
            adapter,
            release,
            cases,
        } => errln!("  {adapter}@{release}: running {cases} changed case(s) again"),
        Event::Unstable {
            adapter,
            release,
            case,
        } => errln!("  {adapter}@{release}: `{case}` is unstable: its runs disagreed"),
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
