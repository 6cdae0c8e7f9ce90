//! Reading an adapter's output a line at a time without trusting it: a line longer than the
//! limit is cut (and the rest of it skipped), never buffered whole.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// What one bounded read found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRead {
    /// The stream ended before any byte.
    Eof,
    /// A whole line (its newline included, when it had one).
    Line,
    /// A line longer than the limit: its first bytes are kept.
    Cut,
}

/// Reads one line into `out` (cleared first), keeping at most `max` bytes. With `skip_rest`, the
/// rest of a cut line is read and dropped, so the next read starts at the next line; without it,
/// reading stops at the limit, the rest unread (the stream is given up on, or the rest skipped
/// by a read of `max` 0 with `skip_rest`).
pub async fn read_line_bounded<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    max: usize,
    skip_rest: bool,
    out: &mut Vec<u8>,
) -> std::io::Result<LineRead> {
    out.clear();
    let mut cut = false;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(match (cut, out.is_empty()) {
                (true, _) => LineRead::Cut,
                (false, true) => LineRead::Eof,
                (false, false) => LineRead::Line,
            });
        }
        let newline = memchr::memchr(b'\n', available);
        let take = newline.map_or(available.len(), |i| i + 1);
        let room = max.saturating_sub(out.len());
        if !cut && take > room && !skip_rest {
            // The rest stays unread: the caller may give the stream up, or skip the line.
            out.extend_from_slice(&available[..room]);
            reader.consume(room);
            return Ok(LineRead::Cut);
        }
        if !cut {
            out.extend_from_slice(&available[..take.min(room)]);
            cut = take > room;
        }
        reader.consume(take);
        match (newline, cut) {
            (Some(_), true) => return Ok(LineRead::Cut),
            (Some(_), false) => return Ok(LineRead::Line),
            (None, true) if !skip_rest => return Ok(LineRead::Cut),
            (None, _) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines(input: &[u8], max: usize, skip_rest: bool) -> Vec<(LineRead, Vec<u8>)> {
        let mut reader = tokio::io::BufReader::with_capacity(4, input);
        let mut out = Vec::new();
        let mut found = Vec::new();
        loop {
            let read = read_line_bounded(&mut reader, max, skip_rest, &mut out)
                .await
                .unwrap();
            found.push((read, out.clone()));
            if read == LineRead::Eof || (read == LineRead::Cut && !skip_rest) {
                return found;
            }
        }
    }

    #[tokio::test]
    async fn whole_lines_are_read_one_at_a_time() {
        let found = lines(b"ab\ncd\nef", 10, true).await;
        assert_eq!(
            found,
            vec![
                (LineRead::Line, b"ab\n".to_vec()),
                (LineRead::Line, b"cd\n".to_vec()),
                (LineRead::Line, b"ef".to_vec()),
                (LineRead::Eof, Vec::new()),
            ]
        );
    }

    #[tokio::test]
    async fn a_long_line_is_cut_and_its_rest_skipped() {
        let found = lines(b"abcdefghij\nok\n", 4, true).await;
        assert_eq!(found[0], (LineRead::Cut, b"abcd".to_vec()));
        assert_eq!(found[1], (LineRead::Line, b"ok\n".to_vec()));
    }

    #[tokio::test]
    async fn without_skipping_reading_stops_at_the_limit() {
        let found = lines(b"abcdefghij\nok\n", 4, false).await;
        assert_eq!(found, vec![(LineRead::Cut, b"abcd".to_vec())]);
    }

    #[tokio::test]
    async fn the_rest_of_a_line_cut_without_skipping_can_be_skipped_later() {
        for (input, max) in [
            (&b"abcdefghij\nok\n"[..], 4),
            (b"abcd\nok\n", 4),
            (b"ab\nok\n", 2),
        ] {
            let mut reader = tokio::io::BufReader::with_capacity(64, input);
            let mut out = Vec::new();
            let read = read_line_bounded(&mut reader, max, false, &mut out).await;
            assert_eq!((read.unwrap(), &out[..]), (LineRead::Cut, &input[..max]));
            let skipped = read_line_bounded(&mut reader, 0, true, &mut out).await;
            assert_eq!(skipped.unwrap(), LineRead::Cut);
            let next = read_line_bounded(&mut reader, 10, false, &mut out).await;
            assert_eq!((next.unwrap(), &out[..]), (LineRead::Line, &b"ok\n"[..]));
        }
    }
}
