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
use std::io::{BufRead, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cases::{LOG_OBSERVATION_LIMIT, LOG_VALUE_LIMIT};
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

/// The longest line of a run log that is read: this harness writes a case in a few kilobytes,
/// and never much more than its observation's megabyte (see
/// [`super::cases::LOG_OBSERVATION_LIMIT`]) and its stderr's 64 KiB. A longer line is left out
/// with a warning, never held whole.
pub const MAX_LINE: usize = 4 * 1024 * 1024;

/// Lines up to this long are read as they are; a longer one (which this harness does not write)
/// is decoded within [`MAX_LINE_DECODED`] of memory first, so that its shape cannot make it
/// take a hundred times its bytes.
const PLAIN_LINE: usize = 1024 * 1024;

/// The most memory one long line may take once decoded (see [`crate::value::decode`]).
pub const MAX_LINE_DECODED: usize = 16 * 1024 * 1024;

/// A log read back.
#[derive(Debug, Default)]
pub struct ReadLog {
    /// Every line that parsed (a case's observation compacted as the run log keeps it).
    pub lines: Vec<Line>,
    /// Lines that do not parse, each with the log's path and its line number.
    pub errors: Vec<FileError>,
    /// A last line cut short (the run was interrupted while writing it): left out, not an
    /// error.
    pub cut: Option<FileError>,
    /// Lines left out because they are larger than this harness writes (longer than
    /// [`MAX_LINE`], or a long line that does not read once its values are bounded), each with
    /// the log's path, its line number and the case it names: a warning, not an error.
    pub left_out: Vec<FileError>,
}

/// One line of a log, read.
enum Parsed {
    Line(Box<Line>),
    /// It does not parse.
    Error(serde_json::Error),
    /// A long line that does not parse once its values are bounded: perhaps because they are.
    LeftOut(serde_json::Error),
}

fn parse(text: &str) -> Parsed {
    if text.len() <= PLAIN_LINE {
        return serde_json::from_str(text)
            .map_or_else(Parsed::Error, |l| Parsed::Line(Box::new(l)));
    }
    match crate::value::decode::bounded(text, MAX_LINE_DECODED) {
        Err(err) => Parsed::Error(err),
        Ok(value) => serde_json::from_value(value)
            .map_or_else(Parsed::LeftOut, |l| Parsed::Line(Box::new(l))),
    }
}

/// Reads one line into `raw` (cleared first), its newline included, keeping at most
/// [`MAX_LINE`] bytes: `None` at the end, else the length of the whole line when it was longer
/// (the rest read and dropped).
fn read_line(
    reader: &mut impl BufRead,
    raw: &mut Vec<u8>,
) -> std::io::Result<Option<Option<usize>>> {
    raw.clear();
    let mut length = 0;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok((length > 0).then(|| (length > MAX_LINE).then_some(length)));
        }
        let newline = memchr::memchr(b'\n', available);
        let take = newline.map_or(available.len(), |i| i + 1);
        let room = MAX_LINE.saturating_sub(raw.len());
        raw.extend_from_slice(&available[..take.min(room)]);
        length += take;
        reader.consume(take);
        if newline.is_some() {
            return Ok(Some((length > MAX_LINE).then_some(length)));
        }
    }
}

/// `case `ID`: ` for the case a line names in its first bytes, else nothing.
fn case_named(raw: &[u8]) -> String {
    let head = String::from_utf8_lossy(&raw[..raw.len().min(4096)]);
    CASE_ID
        .captures(&head)
        .map(|c| format!("case `{}`: ", &c[1]))
        .unwrap_or_default()
}

/// A case line's id, as the log writes it (after its `type`).
static CASE_ID: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"^\s*\{"type"\s*:\s*"case"\s*,\s*"id"\s*:\s*"([^"\\]{1,200})""#)
        .expect("valid regex")
});

/// Reads a log back from its text.
pub fn read(text: &str, path: &Path) -> ReadLog {
    read_from(text.as_bytes(), path).expect("reading memory cannot fail")
}

/// Reads a log back a line at a time, each line at most [`MAX_LINE`] bytes held.
pub fn read_from(reader: impl BufRead, path: &Path) -> std::io::Result<ReadLog> {
    let mut lines = Vec::new();
    let mut log = scan(reader, path, |line| lines.push(line))?;
    log.lines = lines;
    Ok(log)
}

/// Reads a log a line at a time, handing each line that parses to `on_line` as it comes (the
/// [`ReadLog`] returned has no lines).
fn scan(
    mut reader: impl BufRead,
    path: &Path,
    mut on_line: impl FnMut(Line),
) -> std::io::Result<ReadLog> {
    let mut log = ReadLog::default();
    let mut raw = Vec::new();
    for number in 1.. {
        let whole = match read_line(&mut reader, &mut raw)? {
            None => break,
            Some(whole) => whole,
        };
        let at = |message: String| FileError::new(path, message).at_line(number);
        if let Some(length) = whole.filter(|length| *length > MAX_LINE) {
            log.left_out.push(at(format!(
                "{}a line of {length} bytes, longer than the {MAX_LINE} a run log line may be \
                 (this harness writes a case in a few kilobytes): left out",
                case_named(&raw)
            )));
            continue;
        }
        let Ok(text) = std::str::from_utf8(&raw) else {
            log.errors.push(at("the line is not UTF-8".into()));
            continue;
        };
        let ended = text.ends_with('\n');
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        match parse(text) {
            Parsed::Line(line) => match *line {
                Line::Case(mut case) => {
                    // What a log holds of a case is no more than what this harness writes.
                    case.observation = case
                        .observation
                        .map(|o| o.compacted(LOG_VALUE_LIMIT, LOG_OBSERVATION_LIMIT));
                    on_line(Line::Case(case));
                }
                line => on_line(line),
            },
            Parsed::LeftOut(err) => log.left_out.push(at(format!(
                "{}a line of {} bytes that does not read once its values are bounded \
                 ({err}): left out",
                case_named(&raw),
                text.len()
            ))),
            Parsed::Error(err) => {
                let error = at(err.to_string()).at(number, err.column() as u64);
                // Lines are written whole, each ending in a newline: only the last can be cut.
                if !ended && err.is_eof() {
                    log.cut = Some(error);
                } else {
                    log.errors.push(error);
                }
            }
        }
    }
    Ok(log)
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
    /// Lines larger than this harness writes, left out (see [`ReadLog::left_out`]).
    pub left_out: Vec<FileError>,
}

impl RunLog {
    /// Reads a run log. A line that does not parse, a second header (two runs in one file) or
    /// no header at all is an error naming the file; a cut last line is not.
    pub fn read(path: &Path) -> Result<RunLog, FileError> {
        let file = std::fs::File::open(path).map_err(|e| FileError::unreadable(path, &e))?;
        let mut header = None;
        let mut second = None;
        let mut results = BTreeMap::new();
        let log = scan(std::io::BufReader::new(file), path, |line| match line {
            Line::Header(h) if header.is_some() => {
                second.get_or_insert(h.adapter.name);
            }
            Line::Header(h) => header = Some(h),
            Line::Case(case) => {
                results.insert(case.id.clone(), *case);
            }
            Line::Footer(_) => {}
        })
        .map_err(|e| FileError::unreadable(path, &e))?;
        if let Some(first) = log.errors.into_iter().next() {
            return Err(first);
        }
        if let Some(name) = second {
            return Err(FileError::new(
                path,
                format!(
                    "a second header (adapter `{name}`): a log holds one run; give each run its own log"
                ),
            ));
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
            left_out: log.left_out,
        })
    }
}

/// Several logs of one adapter@version (slices of one run, or runs of different cases) read
/// as one, with what the reader should be told: slices missing, cases run twice, lines left
/// out.
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
        let mut warnings: Vec<String> = merged.left_out.iter().map(ToString::to_string).collect();
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
            warnings.extend(log.left_out.iter().map(ToString::to_string));
            merged.left_out.extend(log.left_out);
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
mod tests;
