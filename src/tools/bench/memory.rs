//! The harness's peak memory on inputs made large in the shape that costs most once decoded:
//! small numbers, fifteen million of them in a 30 MB answer, fifty million in a 100 MB run log
//! line, and a 100 MB log of a hundred 1 MB lines. Each is measured in this process from a peak
//! reset first (`/proc/self/clear_refs`), so it is its own: the resident memory it starts from
//! (what earlier figures left allocated) and the most it reached.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{NotMeasured, misbehaving};
use crate::adapter::Adapter;
use crate::run::cases::{RunOptions, run_case};
use crate::run::log::{Footer, Header, Line, LogWriter, SuiteInfo};

/// How many numbers the large answer holds: 30 MB of JSON, within the 32 MiB a protocol line may
/// be.
pub const ANSWER_NUMBERS: usize = 15_000_000;

/// How many numbers the large log line holds: 100 MB of JSON.
pub const LOG_NUMBERS: usize = 50 * 1024 * 1024;

/// The case the large inputs answer.
const CASE: &str = r#"
cases:
  - id: bench.large
    summary: a call whose answer is as large as an answer may be
    contract: [CALL-1]
    level: required
    call: { url: "http://127.0.0.1:9/" }
    deadlineMs: 30000
    expect: { client: { settled: resolved } }
"#;

/// The harness's peak memory on one large input.
#[derive(Debug, Clone, PartialEq)]
pub struct PeakMemory {
    /// What was measured.
    pub what: String,
    /// The input's size, in bytes.
    pub input: u64,
    /// The resident memory it started from, in bytes.
    pub before: u64,
    /// The most resident memory reached, in bytes.
    pub peak: u64,
    /// How it ended, in words.
    pub outcome: String,
}

impl std::fmt::Display for PeakMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = |bytes: u64| bytes as f64 / 1e6;
        write!(
            f,
            "harness peak memory, {}: {:.0} MB for {:.0} MB in ({:.1}×; target ≤ 5×), from {:.0} MB; {}",
            self.what,
            mb(self.peak),
            mb(self.input),
            self.peak as f64 / self.input.max(1) as f64,
            mb(self.before),
            self.outcome
        )
    }
}

/// Every peak: a 30 MB answer run as a case and logged, then a 100 MB log of one line and one of
/// a hundred lines each reported (matrix, support pages and the HTML page). The files go to a
/// folder of the system's temporary directory, removed after.
pub async fn peaks() -> Result<Vec<PeakMemory>, NotMeasured> {
    let dir = std::env::temp_dir().join(format!("taro-conformance-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    let measured = measure(&dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    measured
}

async fn measure(dir: &Path) -> Result<Vec<PeakMemory>, NotMeasured> {
    let loaded = crate::spec::load_str("bench.yaml".as_ref(), CASE).expect("valid");
    let case = loaded[0].case.clone();
    let mut figures = Vec::new();

    // The answer: decoded, judged, compacted and logged as `run` does.
    let adapter = misbehaving(&format!("big-array:{ANSWER_NUMBERS}")).await?;
    let input = 2 * ANSWER_NUMBERS as u64;
    let before = reset_peak()?;
    let options = RunOptions {
        default_deadline: Duration::from_secs(30),
        ..RunOptions::default()
    };
    let result = run_case(&adapter, &case, &options).await;
    let log = dir.join("answer.jsonl");
    let file = std::fs::File::create(&log).map_err(|e| io(&log, e))?;
    let mut writer = LogWriter::new(std::io::BufWriter::new(file));
    writer.case(&result).map_err(|e| io(&log, e))?;
    drop(writer);
    let peak = peak_now()?;
    let info = adapter.info().clone();
    adapter.stop().await;
    let value = result
        .observation
        .as_ref()
        .and_then(|o| o.client.value.as_ref())
        .map(crate::value::brief)
        .unwrap_or_default();
    let written = std::fs::metadata(&log).map_or(0, |m| m.len());
    figures.push(PeakMemory {
        what: format!("a case answered with {ANSWER_NUMBERS} numbers, run and logged"),
        input,
        before,
        peak,
        outcome: format!(
            "the case: {}, its value {value}; its log line {written} bytes",
            result.status
        ),
    });

    // The logs: the case's line with the numbers as its value.
    let header = Line::Header(Header {
        format: crate::run::log::FORMAT,
        harness: "bench".into(),
        adapter: info,
        suite: SuiteInfo {
            cases: 1,
            spec_hash: String::new(),
        },
        started: "2026-01-01T00:00:00Z".into(),
        partition: None,
    });
    let mut line = result.clone();
    if let Some(observation) = &mut line.observation {
        observation.client.value = Some(serde_json::json!("NUMBERS"));
    }
    let case_line = serde_json::to_string(&Line::Case(Box::new(line))).expect("serializes");
    let suite = crate::spec::Suite {
        root: dir.to_path_buf(),
        cases: loaded,
        ..crate::spec::Suite::default()
    };
    for (what, lines, numbers) in [
        ("a 100 MB run log of one line, reported", 1, LOG_NUMBERS),
        (
            "a 100 MB run log of a hundred lines, reported",
            100,
            LOG_NUMBERS / 100,
        ),
    ] {
        let log = dir.join("large.jsonl");
        let input = write_log(&log, &header, &case_line, lines, numbers)?;
        let before = reset_peak()?;
        let reports = crate::report::Reports::from_logs(
            &suite,
            std::slice::from_ref(&log),
            crate::report::doubt::DOUBTS_PATH.as_ref(),
        )
        .map_err(|e| NotMeasured::Unavailable(e.to_string()))?;
        let warnings = reports.warnings.len();
        let out = dir.join("out");
        reports
            .write(&suite, &out, true)
            .map_err(|e| NotMeasured::Unavailable(e.to_string()))?;
        let peak = peak_now()?;
        let page = std::fs::metadata(out.join(crate::report::links::FILE)).map_or(0, |m| m.len());
        figures.push(PeakMemory {
            what: what.into(),
            input,
            before,
            peak,
            outcome: format!("{warnings} warning(s); matrix.html {page} bytes"),
        });
    }
    Ok(figures)
}

/// Writes a log of `lines` copies of `case_line`, each with `numbers` numbers as its value;
/// returns its size.
fn write_log(
    path: &PathBuf,
    header: &Line,
    case_line: &str,
    lines: usize,
    numbers: usize,
) -> Result<u64, NotMeasured> {
    let (head, tail) = case_line
        .split_once("\"NUMBERS\"")
        .expect("the value is in the line");
    let file = std::fs::File::create(path).map_err(|e| io(path, e))?;
    let mut out = std::io::BufWriter::new(file);
    let mut write = || -> std::io::Result<()> {
        writeln!(
            out,
            "{}",
            serde_json::to_string(header).expect("serializes")
        )?;
        let chunk = "0,".repeat(1 << 16);
        for _ in 0..lines {
            out.write_all(head.as_bytes())?;
            out.write_all(b"[")?;
            let mut left = numbers - 1;
            while left > 0 {
                let n = left.min(1 << 16);
                out.write_all(&chunk.as_bytes()[..2 * n])?;
                left -= n;
            }
            out.write_all(b"0]")?;
            out.write_all(tail.as_bytes())?;
            out.write_all(b"\n")?;
        }
        let footer = Line::Footer(Footer::from_statuses([]));
        writeln!(
            out,
            "{}",
            serde_json::to_string(&footer).expect("serializes")
        )?;
        out.flush()
    };
    write().map_err(|e| io(path, e))?;
    Ok(std::fs::metadata(path).map_or(0, |m| m.len()))
}

/// Resets this process's peak resident memory to what it holds now; returns that, in bytes.
fn reset_peak() -> Result<u64, NotMeasured> {
    std::fs::write("/proc/self/clear_refs", "5").map_err(|e| {
        NotMeasured::Unavailable(format!(
            "cannot reset the peak memory (/proc/self/clear_refs): {e}"
        ))
    })?;
    status("VmRSS:")
}

/// This process's peak resident memory since the last reset, in bytes.
fn peak_now() -> Result<u64, NotMeasured> {
    status("VmHWM:")
}

/// A figure of `/proc/self/status`, in bytes.
fn status(field: &str) -> Result<u64, NotMeasured> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .ok_or_else(|| NotMeasured::Unavailable(format!("no {field} in /proc/self/status")))
}

fn io(path: &Path, error: std::io::Error) -> NotMeasured {
    NotMeasured::Unavailable(format!("{}: {error}", path.display()))
}
