//! A setup's output: npm's, the install scripts' of the packages it installs and the build's,
//! none of which the harness controls. It is never passed through raw: either it is kept (a
//! failure says why in one line) or each line goes, as it comes, to a function of the caller's,
//! which neutralises it before printing it (the command line prints through `report::sink`).

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, ExitStatus, Stdio};

/// Which of the setup's streams a line came on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Its standard output.
    Out,
    /// Its standard error.
    Err,
}

/// Where a setup's output goes.
#[derive(Clone, Copy, Default)]
pub enum SetupOutput<'a> {
    /// Kept to itself; a failure says why in one line.
    #[default]
    Kept,
    /// Each line, without its line end, to this function as soon as it is read.
    Lines(&'a (dyn Fn(Stream, &str) + Sync)),
}

impl std::fmt::Debug for SetupOutput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SetupOutput::Kept => "Kept",
            SetupOutput::Lines(_) => "Lines",
        })
    }
}

/// The longest piece of a line passed on at once: a longer line comes in pieces, so that no
/// line is held whole.
pub const MAX_PIECE: usize = 64 * 1024;

/// Runs `command` with its output piped, passing each line of both streams to `show` as it
/// comes; answers how it ended. What a setup uses, and any other program whose output the
/// harness passes on (the command line's `snapshots` runs `cargo test` so).
pub fn run_shown(
    command: &mut Command,
    show: &(dyn Fn(Stream, &str) + Sync),
) -> std::io::Result<ExitStatus> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    std::thread::scope(|scope| {
        if let Some(out) = stdout {
            scope.spawn(move || pass_on(out, Stream::Out, show));
        }
        if let Some(err) = stderr {
            scope.spawn(move || pass_on(err, Stream::Err, show));
        }
        child.wait()
    })
}

/// Reads `from` to its end, a line (or a [`MAX_PIECE`]) at a time, each to `show`.
fn pass_on(from: impl Read, stream: Stream, show: &(dyn Fn(Stream, &str) + Sync)) {
    let mut reader = BufReader::new(from);
    let mut line = Vec::new();
    loop {
        line.clear();
        match (&mut reader)
            .take(MAX_PIECE as u64)
            .read_until(b'\n', &mut line)
        {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        show(stream, &String::from_utf8_lossy(text));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn each_line_of_each_stream_is_passed_on_and_a_long_one_in_pieces() {
        let seen = Mutex::new(Vec::new());
        let show = |stream: Stream, line: &str| seen.lock().unwrap().push((stream, line.len()));
        let mut command = Command::new("sh");
        command.arg("-c").arg(format!(
            "printf 'a\\r\\nbb\\n'; printf 'ccc' >&2; head -c {} /dev/zero | tr '\\0' x",
            MAX_PIECE + 1
        ));
        let status = run_shown(&mut command, &show).unwrap();
        assert!(status.success());
        let mut seen = seen.into_inner().unwrap();
        seen.sort_by_key(|(stream, _)| *stream == Stream::Err);
        assert_eq!(
            seen,
            [
                (Stream::Out, 1),
                (Stream::Out, 2),
                (Stream::Out, MAX_PIECE),
                (Stream::Out, 1),
                (Stream::Err, 3)
            ]
        );
    }
}
