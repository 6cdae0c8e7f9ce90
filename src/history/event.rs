//! What measuring the history is doing, for a progress display.

use std::time::Duration;

use super::Results;

/// What the measuring is doing, for a progress display.
#[derive(Debug)]
pub enum Event<'a> {
    /// An adapter's releases are listed.
    Listed {
        /// The adapter.
        adapter: &'a str,
        /// Its package's stable releases in the range.
        releases: usize,
        /// How many of them will be measured now.
        to_measure: usize,
        /// With a partition: how many of those are this slice's.
        in_slice: Option<usize>,
    },
    /// A release beside the slice's block (another slice's) was measured, for confirming the
    /// changes at the block's edge; it is not recorded.
    Beside {
        /// The adapter.
        adapter: &'a str,
        /// The release.
        release: &'a str,
        /// Whether it ran (if not, the next one is measured).
        ran: bool,
    },
    /// A release was measured.
    Measured {
        /// The adapter.
        adapter: &'a str,
        /// The release.
        release: &'a str,
        /// Its results.
        results: &'a Results,
        /// How long its setup and run took.
        took: Duration,
    },
    /// A release could not run.
    NotRun {
        /// The adapter.
        adapter: &'a str,
        /// The release.
        release: &'a str,
        /// Why.
        why: &'a str,
    },
    /// Changed cases are being run again on a release.
    Confirming {
        /// The adapter.
        adapter: &'a str,
        /// The release.
        release: &'a str,
        /// How many cases.
        cases: usize,
    },
    /// A case's runs on a release disagreed.
    Unstable {
        /// The adapter.
        adapter: &'a str,
        /// The release.
        release: &'a str,
        /// The case.
        case: &'a str,
    },
}
