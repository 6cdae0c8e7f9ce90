//! The history in slices, for N machines: `history --partition K/N` measures slice K of the
//! releases a whole run would measure and writes a record of its own ([`blocks`] says which),
//! and [`merge`] combines the slices' records with the whole ones.
//!
//! Each adapter's releases to measure (in version order) are cut into N blocks of consecutive
//! releases whose sizes differ by at most one; the larger blocks go round the slices, carrying
//! on from where the previous adapter's left off, so that the slices' totals differ by at most
//! one as well. Consecutive releases keep the confirmation of a change inside one slice; at a
//! block's two edges the slice measures the neighbouring release too (without recording it),
//! so that every change is confirmed as a whole run would confirm it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Record;
use crate::error::{Error, FileError};
use crate::spec::select::Partition;

/// Slice `partition`'s block of each adapter's releases to measure, given how many each has
/// (in the order the adapters are measured).
pub fn blocks(lengths: &[usize], partition: Partition) -> Vec<Range<usize>> {
    let n = partition.count as usize;
    let k = partition.index as usize - 1;
    let mut offset = 0;
    lengths
        .iter()
        .map(|&length| {
            let (size, larger) = (length / n, length % n);
            let first = offset;
            let block = |j: usize| size + usize::from((j + n - first) % n < larger);
            let start: usize = (0..k).map(block).sum();
            offset = (offset + larger) % n;
            start..start + block(k)
        })
        .collect()
}

/// Shares `jobs` among adapters that have `counts` releases to measure, each release costing
/// its adapter's `weight` (a browser's releases cost more than jsdom's): one job each (to an
/// adapter with any), then one at a time to the adapter whose jobs would each cost the most
/// (never more jobs than releases), so that the longest job is as short as the jobs allow. The
/// first adapter wins a tie.
pub fn share(counts: &[usize], weights: &[usize], jobs: usize) -> Vec<usize> {
    let mut shares: Vec<usize> = counts.iter().map(|&c| usize::from(c > 0)).collect();
    let each = |a: usize, jobs: usize| (counts[a] * weights[a]).div_ceil(jobs.max(1));
    while shares.iter().sum::<usize>() < jobs {
        let widest = (0..counts.len())
            .filter(|&a| shares[a] < counts[a])
            .max_by_key(|&a| (each(a, shares[a]), std::cmp::Reverse(a)));
        match widest {
            Some(a) => shares[a] += 1,
            None => break,
        }
    }
    shares
}

/// Where slice `partition`'s records go unless told otherwise, under the repository root.
pub fn default_dir(partition: Partition) -> PathBuf {
    PathBuf::from(format!(
        "target/history/slices/{}-of-{}",
        partition.index, partition.count
    ))
}

/// What [`merge`] did.
#[derive(Debug)]
pub struct Merged {
    /// Each adapter's whole record, merged (and its path).
    pub records: Vec<(PathBuf, Record)>,
    /// The slices no record was found of, per adapter.
    pub missing: Vec<(String, Vec<Partition>)>,
}

/// A slice's record, read.
struct Slice {
    path: PathBuf,
    text: String,
    record: Record,
    partition: Partition,
}

/// The line of `text` where `needle` first appears in quotes (1 if nowhere).
fn line_of(text: &str, needle: &str) -> u64 {
    let quoted = format!("\"{needle}\"");
    text.lines()
        .position(|l| l.contains(&quoted))
        .map_or(1, |i| i as u64 + 1)
}

/// Reads every slice record under `dirs` (`history --partition` writes them; every `.json`
/// file, at any depth) and merges each adapter's slices into its record under `root`
/// (`reports/history/ADAPTER.json`, the slices' releases replacing what it held of them), which
/// it writes. A release in two slices, slices measured on different suites, slices cut in
/// different numbers, and a record that is not a slice's are errors, located in the file that
/// says it.
pub fn merge(root: &Path, dirs: &[PathBuf]) -> Result<Merged, Error> {
    let mut slices: Vec<Slice> = Vec::new();
    for dir in dirs {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "--merge {}: not a directory of slice records",
                dir.display()
            )));
        }
        let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .map(walkdir::DirEntry::into_path)
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let text =
                std::fs::read_to_string(&path).map_err(|e| FileError::unreadable(&path, &e))?;
            let record = Record::read(&path)?;
            let Some(partition) = record.partition else {
                return Err(FileError::new(
                    &path,
                    "not a slice's record (no `partition`): `history --partition K/N` writes them",
                )
                .into());
            };
            slices.push(Slice {
                path,
                text,
                record,
                partition,
            });
        }
    }
    if slices.is_empty() {
        return Err(Error::Usage(
            "--merge: no slice record (ADAPTER.json) found in the directories given".into(),
        ));
    }
    slices.sort_by(|a, b| (&a.record.adapter, a.partition).cmp(&(&b.record.adapter, b.partition)));
    // One suite for every slice: they are one history's, measured from one commit.
    let mut suite: Option<(&str, &Path)> = None;
    for slice in &slices {
        for stretch in &slice.record.stretches {
            match suite {
                None => suite = Some((&stretch.suite, &slice.path)),
                Some((first, at)) if first != stretch.suite => {
                    return Err(FileError::new(
                        &slice.path,
                        format!(
                            "measured on the suite {}, but {} on {first}: the slices of one history are measured on one suite (run them from one commit)",
                            stretch.suite,
                            at.display()
                        ),
                    )
                    .at_line(line_of(&slice.text, &stretch.suite))
                    .into());
                }
                Some(_) => {}
            }
        }
    }
    let mut by_adapter: BTreeMap<&str, Vec<&Slice>> = BTreeMap::new();
    for slice in &slices {
        by_adapter
            .entry(slice.record.adapter.as_str())
            .or_default()
            .push(slice);
    }
    let mut merged = Merged {
        records: Vec::new(),
        missing: Vec::new(),
    };
    for (adapter, slices) in by_adapter {
        let path = Record::path(root, adapter);
        let mut whole = if path.exists() {
            Record::read(&path)?
        } else {
            Record::new(adapter, &slices[0].record.package)
        };
        let mut owner: BTreeMap<&str, &Slice> = BTreeMap::new();
        for slice in &slices {
            let located = |message: String, line: u64| -> Error {
                FileError::new(&slice.path, message).at_line(line).into()
            };
            if slice.record.package != whole.package {
                return Err(located(
                    format!(
                        "`{adapter}` measured `{}`, but {} records `{}`",
                        slice.record.package,
                        path.display(),
                        whole.package
                    ),
                    line_of(&slice.text, &slice.record.package),
                ));
            }
            let count = slices[0].partition.count;
            if slice.partition.count != count {
                return Err(located(
                    format!(
                        "slice {} of `{adapter}`, but {} is slice {}: the slices of one history are cut in one number",
                        slice.partition,
                        slices[0].path.display(),
                        slices[0].partition
                    ),
                    line_of(&slice.text, "partition"),
                ));
            }
            for release in slice.record.all_releases() {
                if let Some(first) = owner.insert(release, slice) {
                    return Err(located(
                        format!(
                            "`{adapter}` {release} is in slice {} ({}) as well: a release is measured by one slice",
                            first.partition,
                            first.path.display()
                        ),
                        line_of(&slice.text, release),
                    ));
                }
            }
            whole.overlay(&slice.record);
        }
        let seen: Vec<Partition> = slices.iter().map(|s| s.partition).collect();
        let count = seen[0].count;
        let missing: Vec<Partition> = (1..=count)
            .map(|index| Partition { index, count })
            .filter(|p| !seen.contains(p))
            .collect();
        if !missing.is_empty() {
            merged.missing.push((adapter.to_string(), missing));
        }
        whole.partition = None;
        merged.records.push((path, whole));
    }
    // Written once every slice is known good: a bad one leaves every record as it was.
    for (path, record) in &merged.records {
        record.write(path)?;
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_shared_so_that_the_longest_is_shortest() {
        assert_eq!(share(&[146, 33, 124, 118], &[1; 4], 16), [5, 2, 5, 4]);
        assert_eq!(share(&[146, 0, 2], &[1; 3], 16), [15, 0, 1]);
        assert_eq!(
            share(&[3, 5], &[1; 2], 1),
            [1, 1],
            "one each, however few the jobs"
        );
        assert_eq!(share(&[0, 0], &[1; 2], 4), [0, 0]);
        // A release three times as dear: three times the jobs.
        assert_eq!(share(&[30, 30], &[1, 3], 8), [2, 6]);
    }

    #[test]
    fn blocks_are_consecutive_cover_every_release_once_and_balance_the_slices() {
        let lengths = [33, 146, 124, 5, 0, 1];
        for count in 1..=17u32 {
            let slices: Vec<Vec<Range<usize>>> = (1..=count)
                .map(|index| blocks(&lengths, Partition { index, count }))
                .collect();
            for (a, &length) in lengths.iter().enumerate() {
                let mut next = 0;
                for slice in &slices {
                    assert_eq!(slice[a].start, next, "{count}: adapter {a}");
                    next = slice[a].end;
                    let size = slice[a].len();
                    assert!(size == length / count as usize || size == length / count as usize + 1);
                }
                assert_eq!(next, length);
            }
            let totals: Vec<usize> = slices
                .iter()
                .map(|s| s.iter().map(Range::len).sum())
                .collect();
            let (min, max) = (totals.iter().min().unwrap(), totals.iter().max().unwrap());
            assert!(max - min <= 1, "{count}: {totals:?}");
        }
    }
}

#[cfg(test)]
mod merge_tests;
