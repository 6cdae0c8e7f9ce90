//! An adapter's stderr, kept bounded by bytes: the most recent lines, each cut to a limit, read
//! lossily (bytes that are not UTF-8 become U+FFFD) for as long as the adapter lives.

use std::collections::VecDeque;

/// The most bytes of one stderr line kept.
pub const MAX_LINE: usize = 16 * 1024;
/// The most bytes of stderr kept for the adapter as a whole, each line counted with
/// [`LINE_OVERHEAD`].
pub const MAX_KEPT: usize = 1024 * 1024;
/// What a kept line costs besides its bytes (its `String` and its slot in the queue): counted, so
/// that empty lines are not free and a flood of them stays within [`MAX_KEPT`].
pub const LINE_OVERHEAD: usize = 64;
/// The most bytes of stderr a case's result carries (its tail).
pub const MAX_PER_CASE: usize = 64 * 1024;
/// The most lines of stderr a case's result carries.
pub const MAX_LINES_PER_CASE: usize = 40;

/// The recent stderr lines of one adapter process, numbered from its start.
#[derive(Debug, Default)]
pub struct StderrTail {
    lines: VecDeque<String>,
    bytes: usize,
    /// How many lines have been dropped from the front.
    dropped: u64,
}

impl StderrTail {
    /// The number the next line will get: a case notes it when it starts.
    pub fn mark(&self) -> u64 {
        self.dropped + self.lines.len() as u64
    }

    /// Keeps a line (its bytes as read, the newline stripped; `cut` when it was longer than
    /// [`MAX_LINE`]), dropping the oldest lines past [`MAX_KEPT`] (each counted as its bytes
    /// and [`LINE_OVERHEAD`]).
    pub fn push(&mut self, raw: &[u8], cut: bool) {
        let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let mut line = String::from_utf8_lossy(raw).into_owned();
        if cut {
            line.push_str(" … (line cut)");
        }
        self.bytes += line.len() + LINE_OVERHEAD;
        self.lines.push_back(line);
        while self.bytes > MAX_KEPT {
            let Some(old) = self.lines.pop_front() else {
                break;
            };
            self.bytes -= old.len() + LINE_OVERHEAD;
            self.dropped += 1;
        }
    }

    /// The lines since `mark`, at most [`MAX_LINES_PER_CASE`] and [`MAX_PER_CASE`] bytes (the
    /// latest ones).
    pub fn since(&self, mark: u64) -> Vec<String> {
        let first = mark.saturating_sub(self.dropped) as usize;
        let mut kept = Vec::new();
        let mut bytes = 0;
        for line in self.lines.iter().skip(first).rev() {
            if kept.len() == MAX_LINES_PER_CASE || bytes + line.len() > MAX_PER_CASE {
                break;
            }
            bytes += line.len();
            kept.push(line.clone());
        }
        kept.reverse();
        kept
    }

    /// The last `n` lines, joined (for messages about the adapter as a whole).
    pub fn tail(&self, n: usize) -> String {
        let skip = self.lines.len().saturating_sub(n);
        let lines: Vec<&str> = self.lines.iter().skip(skip).map(String::as_str).collect();
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_are_kept_lossily() {
        let mut tail = StderrTail::default();
        tail.push(b"a\xffb\n", false);
        assert_eq!(tail.since(0), vec!["a\u{fffd}b".to_string()]);
    }

    #[test]
    fn a_case_gets_the_lines_since_it_started_and_no_more_than_its_share() {
        let mut tail = StderrTail::default();
        tail.push(b"before", false);
        let mark = tail.mark();
        for i in 0..100 {
            tail.push(format!("line {i}").as_bytes(), false);
        }
        let mine = tail.since(mark);
        assert_eq!(mine.len(), MAX_LINES_PER_CASE);
        assert_eq!(mine.last().unwrap(), "line 99");
        let big = "x".repeat(MAX_LINE);
        let mark = tail.mark();
        for _ in 0..10 {
            tail.push(big.as_bytes(), false);
        }
        let bytes: usize = tail.since(mark).iter().map(String::len).sum();
        assert!(bytes <= MAX_PER_CASE, "{bytes}");
    }

    #[test]
    fn the_whole_is_bounded_and_old_lines_go_first() {
        let mut tail = StderrTail::default();
        let big = "y".repeat(MAX_LINE);
        for _ in 0..1000 {
            tail.push(big.as_bytes(), false);
        }
        assert!(tail.bytes <= MAX_KEPT);
        assert!(tail.since(0).len() <= MAX_LINES_PER_CASE);
        assert_eq!(tail.mark(), 1000);
    }

    #[test]
    fn empty_lines_count_against_the_budget() {
        let mut tail = StderrTail::default();
        let lines = 10 * MAX_KEPT / LINE_OVERHEAD;
        for _ in 0..lines {
            tail.push(b"\n", false);
        }
        assert!(tail.bytes <= MAX_KEPT, "{}", tail.bytes);
        assert_eq!(tail.lines.len(), MAX_KEPT / LINE_OVERHEAD);
        assert_eq!(tail.mark(), lines as u64);
        // A case still gets its last lines, however blank.
        assert_eq!(tail.since(0).len(), MAX_LINES_PER_CASE);
    }
}
