//! The support page for app developers: the docs' tables turned into evidence. One row per
//! documented option, result field and task method (`specs/contract.yaml`), one column per
//! platform adapter of the matrix with the Taro version it measured, and in each cell a mark
//! made from the row's cases on that adapter:
//!
//! - ✔ every measured case of the row's clauses passes;
//! - ◐ some do: each divergence is listed with the baseline's reason;
//! - ✘ none does;
//! - — not offered: the adapter lacks the capability every such case needs;
//! - ? no case measured it (no case cites the row's clauses, or the run left them out).
//!
//! Only required and recommended cases count: informational ones never claim support. Each mark
//! links to its evidence (the cases, and for ◐ and ✘ every divergence with its reason), and each
//! divergence links to the case's details in `matrix.html` (its traffic, what the caller got, the
//! mismatches and the command that reproduces it): two clicks from a mark to the traffic.
//!
//! The page is written in English (`support.md`) and Chinese (`support.zh-CN.md`); the reasons
//! are the baselines' own words (English).
//!
//! ```
//! use taro_conformance::report::support::{Mark, mark};
//! use taro_conformance::verdict::Status;
//! assert_eq!(mark(&[Status::Pass, Status::Pass]), Mark::Full);
//! assert_eq!(mark(&[Status::Pass, Status::Fail]), Mark::Partial);
//! assert_eq!(mark(&[Status::Timeout]), Mark::None);
//! assert_eq!(mark(&[Status::NotApplicable]), Mark::NotOffered);
//! assert_eq!(mark(&[]), Mark::Unmeasured);
//! ```

mod mark;
mod markdown;
mod page;

pub use mark::{Mark, mark, mark_of_counts};
pub use markdown::markdown;
pub use page::{
    Cell, Column, Divergence, Line, Reasons, Support, Table, build, page_platforms, reasons,
    reasons_of, unknown_platforms,
};

use std::path::{Path, PathBuf};

use crate::error::FileError;
use crate::spec::contract::Contract;

/// The files the page is written to, under the report directory: English, then Chinese.
pub const FILES: [&str; 2] = ["support.md", "support.zh-CN.md"];

/// Writes `support.md` and `support.zh-CN.md` into `out`; returns their paths.
pub fn write(
    support: &Support,
    contract: &Contract,
    out: &Path,
) -> Result<Vec<PathBuf>, FileError> {
    std::fs::create_dir_all(out).map_err(|e| FileError::unwritable(out, &e))?;
    let mut written = Vec::new();
    for (file, zh) in FILES.into_iter().zip([false, true]) {
        let path = out.join(file);
        std::fs::write(&path, markdown(support, contract, zh))
            .map_err(|e| FileError::unwritable(&path, &e))?;
        written.push(path);
    }
    Ok(written)
}

/// The pages of `out` that differ from what `support` gives, with the adapters' versions and
/// runtimes taken from the committed `matrix.json` (they may differ from run to run, the
/// evidence may not).
pub fn stale(
    support: &Support,
    contract: &Contract,
    out: &Path,
) -> Result<Vec<PathBuf>, FileError> {
    let committed = crate::report::matrix::committed_columns(out)?;
    let mut support = support.clone();
    for column in &mut support.columns {
        if let Some((_, a)) = committed.iter().find(|(label, _)| *label == column.label) {
            column.adapter.version = a.version.clone();
            column.adapter.runtime = a.runtime.clone();
        }
    }
    let mut stale = Vec::new();
    for (file, zh) in FILES.into_iter().zip([false, true]) {
        let path = out.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if text != markdown(&support, contract, zh) {
            stale.push(path);
        }
    }
    Ok(stale)
}
