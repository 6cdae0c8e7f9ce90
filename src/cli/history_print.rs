//! What `history` prints while it measures, and `history --merge`.

use std::path::{Path, PathBuf};

use taro_conformance::error::Error;
use taro_conformance::history::{self, Event, Plan};
use taro_conformance::spec::select::Partition;

use super::Outcome;
use taro_conformance::report::summary;

/// `history --merge DIRS`: the slices' records merged into the whole ones.
pub(super) fn merge(root: &Path, dirs: &[PathBuf]) -> Result<(), Error> {
    let merged = history::partition::merge(root, dirs)?;
    for (path, record) in &merged.records {
        outln!(
            "merged {}: {} releases measured, {} could not run",
            path.display(),
            record.releases().len(),
            record.not_run.len()
        );
    }
    for (adapter, missing) in &merged.missing {
        let slices: Vec<String> = missing.iter().map(ToString::to_string).collect();
        errln!(
            "warning: no record of slice {} of `{adapter}`: its releases are not measured yet",
            slices.join(", ")
        );
    }
    Ok(())
}

/// Prints what the measuring is doing.
pub(super) fn print_event(event: &Event<'_>, count: &mut usize) {
    match event {
        Event::Listed {
            adapter,
            releases,
            to_measure,
            in_slice: None,
        } => errln!("{adapter}: {releases} stable release(s), {to_measure} to measure"),
        Event::Listed {
            adapter,
            releases,
            to_measure,
            in_slice: Some(own),
        } => errln!(
            "{adapter}: {releases} stable release(s), {to_measure} to measure, {own} in this slice"
        ),
        Event::Beside {
            adapter,
            release,
            ran,
        } => errln!(
            "  {adapter}@{release}: measured beside the slice, to confirm its edge ({}; not recorded)",
            if *ran { "ran" } else { "could not run" }
        ),
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

/// `history --plan JOBS`: the matrix of jobs, one per adapter and slice, as one line of JSON.
pub(super) fn plan(plan: &Plan, jobs: usize, weights: &[(String, usize)]) -> Outcome {
    if jobs == 0 {
        return Err(Error::Usage(
            "--plan takes a number of jobs, at least 1".into(),
        ));
    }
    let counts = history::to_measure(plan)?;
    for (name, _) in weights {
        if !counts.iter().any(|(adapter, _)| adapter == name) {
            errln!(
                "warning: --weight {name}=…: `{name}` is not measured here; the weight is left unused"
            );
        }
    }
    let sizes: Vec<usize> = counts.iter().map(|(_, n)| *n).collect();
    let weight: Vec<usize> = counts
        .iter()
        .map(|(adapter, _)| {
            weights
                .iter()
                .rfind(|(name, _)| name == adapter)
                .map_or(1, |(_, w)| *w)
        })
        .collect();
    let shares = history::partition::share(&sizes, &weight, jobs);
    let mut matrix = Vec::new();
    for ((adapter, releases), count) in counts.iter().zip(shares) {
        for index in 1..=count {
            let slice = Partition {
                index: index as u32,
                count: count as u32,
            };
            let block = &history::partition::blocks(&[*releases], slice)[0];
            matrix.push(serde_json::json!({
                "adapter": adapter,
                "slice": slice.to_string(),
                "name": format!("{adapter}-{index}-of-{count}"),
                "releases": block.len(),
            }));
        }
    }
    for (adapter, releases) in &counts {
        errln!("{adapter}: {releases} release(s) to measure");
    }
    outln!("{}", serde_json::Value::Array(matrix));
    Ok(0)
}

/// `--weight NAME=X`: what one release of adapter NAME costs, against 1 for the others.
pub(super) fn weight(text: &str) -> Result<(String, usize), String> {
    let refuse =
        || format!("`{text}`: not NAME=X, X a whole number from 1 (say taro-h5-chromium=3)");
    let (name, weight) = text.split_once('=').ok_or_else(refuse)?;
    match weight.trim().parse::<usize>() {
        Ok(weight) if weight >= 1 && !name.is_empty() => Ok((name.to_string(), weight)),
        _ => Err(refuse()),
    }
}
