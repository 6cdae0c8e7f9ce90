//! The run log: JSON lines, the one source of truth for reports and the gate.
//!
//! First a [`Header`], then one line per case ([`crate::outcome::CaseResult`] with
//! `"type": "case"`) written as each case finishes, last a [`Footer`]. Because lines are
//! flushed as they come, an interrupted run keeps every case it finished.
//!
//! ```
//! use taro_conformance::run::log::Footer;
//! let footer = Footer::from_statuses([taro_conformance::verdict::Status::Pass]);
//! assert_eq!(footer.counts["pass"], 1);
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::adapter::AdapterInfo;
use crate::error::FileError;
use crate::outcome::CaseResult;
use crate::spec::select::Partition;
use crate::verdict::Status;

/// The first line.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Header {
    /// The log's format version ([`FORMAT`]); logs written before it was recorded read as 1.
    #[serde(default = "first_format")]
    pub format: u32,
    /// The version of the harness that wrote it (absent in logs written before it was recorded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub harness: String,
    /// Who ran.
    pub adapter: AdapterInfo,
    /// Which suite.
    pub suite: SuiteInfo,
    /// When the run started (RFC 3339, UTC).
    pub started: String,
    /// The slice of the suite the run took (`run --partition K/N`), if only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<Partition>,
}

/// The run log format this harness writes: raised when a line changes in a way an older
/// reader would misread.
pub const FORMAT: u32 = 1;

fn first_format() -> u32 {
    1
}

/// The suite a run used.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SuiteInfo {
    /// How many cases were selected.
    pub cases: usize,
    /// SHA-256 of the spec files.
    pub spec_hash: String,
}

/// The last line.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
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

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Writes and flushes one line, whole: serialized first, then written at once, so an
    /// interrupted run leaves complete lines.
    pub fn write(&mut self, line: &Line) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec(line).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        self.out.write_all(&bytes)?;
        self.out.flush()
    }

    /// Writes one case line.
    pub fn case(&mut self, result: &CaseResult) -> std::io::Result<()> {
        self.write(&Line::Case(Box::new(result.clone())))
    }
}

/// A log read back.
#[derive(Debug, Default)]
pub struct ReadLog {
    /// Every line that parsed.
    pub lines: Vec<Line>,
    /// Lines that do not parse, each with the log's path and its line number.
    pub errors: Vec<FileError>,
    /// A last line cut short (the run was interrupted while writing it): left out, not an
    /// error.
    pub cut: Option<FileError>,
}

/// Reads a log back.
pub fn read(text: &str, path: &Path) -> ReadLog {
    let mut log = ReadLog::default();
    let count = text.lines().count();
    for (i, raw) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match serde_json::from_str::<Line>(raw) {
            Ok(line) => log.lines.push(line),
            Err(err) => {
                let error =
                    FileError::new(path, err.to_string()).at(i as u64 + 1, err.column() as u64);
                // Lines are written whole, each ending in a newline: only the last can be cut.
                if i + 1 == count && !text.ends_with('\n') && err.is_eof() {
                    log.cut = Some(error);
                } else {
                    log.errors.push(error);
                }
            }
        }
    }
    log
}

/// A whole run, read back from its log file.
#[derive(Debug, Clone)]
pub struct RunLog {
    /// Its header: who ran, which suite, when.
    pub header: Header,
    /// Every case's result, by id.
    pub results: BTreeMap<String, CaseResult>,
    /// A last line cut short by an interrupted run, left out.
    pub cut: Option<FileError>,
}

impl RunLog {
    /// Reads a run log. A line that does not parse, a second header (two runs in one file) or
    /// no header at all is an error naming the file; a cut last line is not.
    pub fn read(path: &Path) -> Result<RunLog, FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
        let log = read(&text, path);
        if let Some(first) = log.errors.into_iter().next() {
            return Err(first);
        }
        let mut header = None;
        let mut results = BTreeMap::new();
        for line in log.lines {
            match line {
                Line::Header(h) if header.is_some() => {
                    return Err(FileError::new(
                        path,
                        format!(
                            "a second header (adapter `{}`): a log holds one run; give each run its own log",
                            h.adapter.name
                        ),
                    ));
                }
                Line::Header(h) => header = Some(h),
                Line::Case(case) => {
                    results.insert(case.id.clone(), *case);
                }
                Line::Footer(_) => {}
            }
        }
        let header = header.ok_or_else(|| FileError::new(path, "no header line"))?;
        // A log is data, maybe from another machine: the name it gives keys baselines and
        // columns, so it must be a plain name.
        crate::adapter::name::check_name(&header.adapter.name).map_err(|why| {
            FileError::new(path, format!("its header's adapter: {why}")).at_line(1)
        })?;
        if header.format > FORMAT {
            return Err(FileError::new(
                path,
                format!(
                    "written in run log format {} (by taro-conformance {}); this one reads format {FORMAT} and older: update it",
                    header.format, header.harness
                ),
            )
            .at_line(1));
        }
        Ok(RunLog {
            header,
            results,
            cut: log.cut,
        })
    }
}

/// Several logs of one adapter@version (slices of one run, or runs of different cases) read
/// as one, with what the reader should be told: slices missing, cases run twice.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The logs as one: the first header (without a partition when the slices are whole), every
    /// result (a case in two logs: the later one).
    pub log: RunLog,
    /// What is worth a warning.
    pub warnings: Vec<String>,
}

/// The slices `partitions` leave out: of every `N` some log was sliced by, the `K/N` no log
/// was. A log that was not sliced covers everything.
///
/// ```
/// use taro_conformance::run::log::missing_slices;
/// let p = |s: &str| Some(s.parse().unwrap());
/// assert_eq!(missing_slices(&[p("1/3"), p("3/3")]).iter().map(ToString::to_string).collect::<Vec<_>>(), ["2/3"]);
/// assert!(missing_slices(&[p("1/3"), None]).is_empty());
/// ```
pub fn missing_slices(partitions: &[Option<Partition>]) -> Vec<Partition> {
    if partitions.iter().any(Option::is_none) {
        return Vec::new();
    }
    let seen: BTreeSet<Partition> = partitions.iter().flatten().copied().collect();
    let counts: BTreeSet<u32> = seen.iter().map(|p| p.count).collect();
    counts
        .into_iter()
        .flat_map(|count| (1..=count).map(move |index| Partition { index, count }))
        .filter(|p| !seen.contains(p))
        .collect()
}

impl RunLog {
    /// The name a log's column goes by: `adapter@version`.
    pub fn label(&self) -> String {
        format!(
            "{}@{}",
            self.header.adapter.name, self.header.adapter.version
        )
    }

    /// Reads several logs of one adapter@version as one; logs of different adapters or
    /// versions are an error naming both.
    pub fn merge(paths: &[std::path::PathBuf]) -> Result<Merged, crate::error::Error> {
        let logs = paths
            .iter()
            .map(|p| Ok((p.clone(), RunLog::read(p)?)))
            .collect::<Result<Vec<_>, FileError>>()?;
        RunLog::merge_read(logs)
    }

    /// [`RunLog::merge`] of logs already read, each with its path (for messages).
    pub fn merge_read(
        logs: Vec<(std::path::PathBuf, RunLog)>,
    ) -> Result<Merged, crate::error::Error> {
        let mut logs = logs.into_iter();
        let (first_path, mut merged) = logs
            .next()
            .ok_or_else(|| crate::error::Error::Usage("no run log given".into()))?;
        let mut partitions = vec![merged.header.partition];
        let mut warnings = Vec::new();
        for (path, log) in logs {
            if log.label() != merged.label()
                || log.header.adapter.runtime != merged.header.adapter.runtime
            {
                return Err(crate::error::Error::Usage(format!(
                    "{} is a run of `{}` ({}) and {} of `{}` ({}): merge only logs of one adapter@version on one runtime",
                    first_path.display(),
                    merged.label(),
                    merged.header.adapter.runtime,
                    path.display(),
                    log.label(),
                    log.header.adapter.runtime
                )));
            }
            partitions.push(log.header.partition);
            for (id, result) in log.results {
                if merged.results.insert(id.clone(), result).is_some() {
                    warnings.push(format!(
                        "{}: `{id}` is in two logs; {} is kept",
                        merged.label(),
                        path.display()
                    ));
                }
            }
            if merged.cut.is_none() {
                merged.cut = log.cut;
            }
        }
        let missing = missing_slices(&partitions);
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
            warnings.push(format!(
                "{}: slice(s) {} missing: their cases are not in the result",
                merged.label(),
                names.join(", ")
            ));
        } else if partitions.len() > 1 {
            merged.header.partition = None;
        }
        Ok(Merged {
            log: merged,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_of_a_newer_format_is_refused_by_name_and_an_old_one_reads_as_format_1() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jsonl");
        let header = r#"{"type":"header","adapter":{"name":"a","version":"1","platform":"p","runtime":"r","capabilities":[]},"suite":{"cases":0,"spec_hash":""},"started":"2026-01-01T00:00:00Z"}"#;
        std::fs::write(&path, format!("{header}\n")).unwrap();
        let old = RunLog::read(&path).unwrap();
        assert_eq!((old.header.format, old.header.harness.as_str()), (1, ""));
        let newer = header.replace(
            r#""type":"header","#,
            r#""type":"header","format":2,"harness":"9.0.0","#,
        );
        std::fs::write(&path, format!("{newer}\n")).unwrap();
        let error = RunLog::read(&path).unwrap_err().to_string();
        assert!(
            error.contains("run.jsonl:1: written in run log format 2 (by taro-conformance 9.0.0)"),
            "{error}"
        );
    }
}
