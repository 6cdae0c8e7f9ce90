//! Reading a protocol line leniently, for what a line that does not decode still says: the run it
//! answers (so that one wrong answer costs that run only), and its text with lone surrogate
//! escapes read as U+FFFD (`JSON.stringify` writes a string cut inside a surrogate pair that way).
//!
//! ```
//! use taro_conformance::adapter::lenient::{seq_of, without_lone_surrogates};
//! assert_eq!(seq_of(br#"{"seq":6,"result":{"value":"\ud83d"#), Some(6));
//! assert_eq!(seq_of(br#"{"result":{"seq":6}}"#), None);
//! assert_eq!(
//!     without_lone_surrogates(r#"{"a":"\ud83d!","b":"\ud83d\ude00"}"#).as_deref(),
//!     Some(r#"{"a":"\ufffd!","b":"\ud83d\ude00"}"#)
//! );
//! ```

/// The `seq` of the answer `line` starts, read leniently: the line is an object, perhaps cut
/// short or not JSON further on, with a `"seq"` member at its top level holding a whole number
/// before anything that stops the reading (a string that does not end, a bracket closing the
/// object). The first such member counts.
pub fn seq_of(line: &[u8]) -> Option<u64> {
    let mut at = skip_space(line, 0);
    if line.get(at) != Some(&b'{') {
        return None;
    }
    at += 1;
    let mut depth = 1usize;
    let mut expect_key = true;
    while let Some(&byte) = line.get(at) {
        match byte {
            b'"' => {
                let end = string_end(line, at)?;
                if depth == 1 && expect_key {
                    let colon = skip_space(line, end);
                    if line.get(colon) != Some(&b':') {
                        return None;
                    }
                    if &line[at + 1..end - 1] == b"seq" {
                        return number_at(line, skip_space(line, colon + 1));
                    }
                    expect_key = false;
                    at = colon + 1;
                } else {
                    at = end;
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
            }
            b',' if depth == 1 => expect_key = true,
            _ => {}
        }
        at += 1;
    }
    None
}

/// The first index at or after `at` that is not JSON whitespace.
fn skip_space(line: &[u8], mut at: usize) -> usize {
    while line
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        at += 1;
    }
    at
}

/// Where the string opening at `at` ends (the index after its closing quote), if it does.
fn string_end(line: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while let Some(&byte) = line.get(i) {
        match byte {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The whole number written at `at`, ending where the member does.
fn number_at(line: &[u8], at: usize) -> Option<u64> {
    let digits = line[at.min(line.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let after = skip_space(line, at + digits);
    if digits == 0 || !matches!(line.get(after), Some(b',' | b'}')) {
        return None;
    }
    std::str::from_utf8(&line[at..at + digits])
        .ok()?
        .parse()
        .ok()
}

/// `text` with every `\uXXXX` escape of a lone surrogate (one that is not a high surrogate
/// followed by a low one) written `\ufffd` instead, or `None` when it has none. Escapes are
/// found by their backslash, which JSON allows only inside strings; the text keeps its length.
pub fn without_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let escape = |at: usize| -> Option<u32> {
        let hex = bytes.get(at..at + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u32::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let mut fixed: Option<Vec<u8>> = None;
    let mut at = 0;
    while let Some(found) = bytes.get(at..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        at += found;
        let lone = match escape(at) {
            Some(0xD800..=0xDBFF) => match escape(at + 6) {
                Some(0xDC00..=0xDFFF) => {
                    at += 12;
                    continue;
                }
                _ => true,
            },
            Some(0xDC00..=0xDFFF) => true,
            Some(_) => false,
            // Another escape (`\\`, `\"`, `\n`, …): two bytes.
            None => {
                at += 2;
                continue;
            }
        };
        if lone {
            fixed.get_or_insert_with(|| bytes.to_vec())[at..at + 6].copy_from_slice(b"\\ufffd");
        }
        at += 6;
    }
    // Only ASCII was replaced by ASCII: still UTF-8.
    fixed.map(|bytes| String::from_utf8(bytes).expect("ASCII replaced by ASCII"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seq_of_a_line_is_read_as_far_as_it_goes() {
        assert_eq!(seq_of(br#" { "seq" : 12 , "result": oops"#), Some(12));
        assert_eq!(seq_of(br#"{"result":{"a":"}\"seq"},"seq":4}"#), Some(4));
        assert_eq!(
            seq_of(br#"{"result":[1,{"x":2}],"seq":5,"seq":6}"#),
            Some(5)
        );
        assert_eq!(seq_of(br#"{"errored":{"message":"a \"seq\": 9"}}"#), None);
        assert_eq!(seq_of(br#"{"seq":"7"}"#), None);
        assert_eq!(seq_of(br#"{"seq":7x}"#), None);
        assert_eq!(seq_of(br#"{"seq":99999999999999999999999}"#), None);
        assert_eq!(seq_of(br#"{"result":"never ends"#), None);
        assert_eq!(seq_of(b"this is not json"), None);
        assert_eq!(seq_of(br#"[{"seq":1}]"#), None);
        assert_eq!(seq_of(b""), None);
    }

    #[test]
    fn only_lone_surrogates_are_replaced() {
        let fix = |text: &str| without_lone_surrogates(text);
        assert_eq!(fix(r#""\ud83d\ude00 \n \\ud83d""#), None);
        assert_eq!(fix(r#""\uD83D""#).as_deref(), Some(r#""\ufffd""#));
        assert_eq!(
            fix(r#""\ude00\ud83d""#).as_deref(),
            Some(r#""\ufffd\ufffd""#)
        );
        assert_eq!(
            fix(r#""\ud83d\ud83d\ude00""#).as_deref(),
            Some(r#""\ufffd\ud83d\ude00""#)
        );
        assert_eq!(fix(r#""\ud83d"#).as_deref(), Some(r#""\ufffd"#));
        assert_eq!(fix(r#""end \"#), None);
        let decoded: String = serde_json::from_str(&fix(r#""a\udc00b""#).unwrap()).unwrap();
        assert_eq!(decoded, "a\u{fffd}b");
    }
}
