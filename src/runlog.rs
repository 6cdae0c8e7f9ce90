//! The run log: JSON lines, the one source of truth for reports and the gate.
//!
//! First a [`Header`], then one line per case ([`crate::runner::CaseResult`] with
//! `"type": "case"`) written as each case finishes, last a [`Footer`]. Because lines are
//! flushed as they come, an interrupted run keeps every case it finished.
//!
//! ```
//! use taro_conformance::runlog::Footer;
//! let footer = Footer::from_statuses([taro_conformance::verdict::Status::Pass]);
//! assert_eq!(footer.counts["pass"], 1);
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::adapter::AdapterInfo;
use crate::error::FileError;
use crate::runner::CaseResult;
use crate::verdict::Status;

/// The first line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// Who ran.
    pub adapter: AdapterInfo,
    /// Which suite.
    pub suite: SuiteInfo,
    /// When the run started (RFC 3339, UTC).
    pub started: String,
}

/// The suite a run used.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SuiteInfo {
    /// How many cases were selected.
    pub cases: usize,
    /// SHA-256 of the spec files.
    pub spec_hash: String,
}

/// The last line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Footer {
    /// How many cases ended with each status (every status listed, zeros included).
    pub counts: BTreeMap<String, usize>,
}

impl Footer {
    /// Counts statuses.
    pub fn from_statuses(statuses: impl IntoIterator<Item = Status>) -> Footer {
        let mut counts: BTreeMap<String, usize> = Status::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), 0))
            .collect();
        for status in statuses {
            *counts.entry(status.as_str().to_string()).or_default() += 1;
        }
        Footer { counts }
    }
}

/// One line of the log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Line {
    /// The first line.
    Header(Header),
    /// One case.
    Case(Box<CaseResult>),
    /// The last line.
    Footer(Footer),
}

/// Writes log lines, flushing each so nothing finished is lost.
pub struct LogWriter<W: Write> {
    out: W,
}

impl<W: Write> LogWriter<W> {
    /// Wraps a writer.
    pub fn new(out: W) -> Self {
        LogWriter { out }
    }

    /// Writes and flushes one line.
    pub fn write(&mut self, line: &Line) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, line)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }

    /// Writes one case line.
    pub fn case(&mut self, result: &CaseResult) -> std::io::Result<()> {
        self.write(&Line::Case(Box::new(result.clone())))
    }
}

/// Reads a log back; lines that do not parse are reported with `path` and their line number.
pub fn read(text: &str, path: &Path) -> (Vec<Line>, Vec<FileError>) {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match serde_json::from_str::<Line>(raw) {
            Ok(line) => lines.push(line),
            Err(err) => errors
                .push(FileError::new(path, err.to_string()).at(i as u64 + 1, err.column() as u64)),
        }
    }
    (lines, errors)
}
