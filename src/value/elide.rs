//! Values bounded in bytes whatever their shape: a value past a size is kept as a note,
//! `{"$type": "elided", "of": KIND, "length": BYTES, "sha256": HEX}`, where KIND is `string`,
//! `arraybuffer`, `bytes`, `array` or `object`.
//!
//! - [`decode`](super::decode::bounded) reads JSON text into a value whose decoded size (what it takes in memory) stays
//!   within a budget: an array or object that would pass it is read through and kept as a note,
//!   as is a string. Fifteen million small numbers take half a gigabyte as a tree, and 30 MB as
//!   text: the budget bounds the first, a line cap only the second.
//! - [`compact`] keeps a value small for a log: strings and buffers over a limit become notes, and
//!   so do arrays and objects whose JSON, with those notes inside, is still over four times it.
//!
//! For a string or buffer, `length` counts its bytes and `sha256` digests them. For an array or
//! object, `length` counts the bytes of its JSON and `sha256` digests its JSON as far as it was
//! kept (what inside it was elided first counts as its note): it tells such values apart.
//!
//! ```
//! use serde_json::json;
//! use taro_conformance::value::{decode, elide};
//! let big = format!("[{}0]", "0,".repeat(100_000));
//! let value = decode::bounded(&big, 64 * 1024).unwrap();
//! assert_eq!(value["$type"], "elided");
//! assert_eq!(value["of"], "array");
//! assert_eq!(value["length"], big.len());
//! assert!(elide::decoded_size(&value) < 64 * 1024);
//! let small = decode::bounded(r#"{"a": [1, "x"]}"#, 64 * 1024).unwrap();
//! assert_eq!(small, json!({"a": [1, "x"]}));
//! ```

use std::io::Write;

use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

/// What one value of the tree takes in place (in its parent's array, say).
pub(super) const NODE: usize = std::mem::size_of::<Value>();
/// What one member of an object takes besides its key's bytes and its value: the map's entry
/// (hash, key, value) and its index.
pub(super) const ENTRY: usize =
    std::mem::size_of::<(u64, String, Value)>() + std::mem::size_of::<usize>();

/// The note that stands for a value left out: what it was, its size in bytes, and a digest.
///
/// ```
/// let note = taro_conformance::value::elide::elided("string", 10, "ab");
/// assert_eq!(note.to_string(), r#"{"$type":"elided","of":"string","length":10,"sha256":"ab"}"#);
/// ```
pub fn elided(of: &str, length: usize, sha256: &str) -> Value {
    serde_json::json!({
        "$type": "elided",
        "of": of,
        "length": length,
        "sha256": sha256,
    })
}

/// About the memory a value takes once decoded: each value's place, its strings' and keys' bytes,
/// each member's entry. Arrays' spare capacity is not counted (what [`bounded`](super::decode::bounded)
/// keeps has little).
pub fn decoded_size(value: &Value) -> usize {
    NODE + match value {
        Value::String(s) => s.len(),
        Value::Array(items) => items.iter().map(decoded_size).sum(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| ENTRY + k.len() + decoded_size(v))
            .sum(),
        _ => 0,
    }
}

/// Keeps a value small for a log: strings and buffers (`arraybuffer`, `bytes`) over `limit`
/// bytes become notes, then arrays and objects whose JSON is still over [`CONTAINER_FACTOR`]
/// times `limit` (see the [module](self)). What is within is kept as it is.
///
/// ```
/// use serde_json::json;
/// use taro_conformance::value::elide::compact;
/// let value = json!({"status": 200, "data": (0..100).collect::<Vec<_>>()});
/// let small = compact(&value, 64);
/// assert_eq!(small["status"], 200);
/// assert_eq!(small["data"]["of"], "array");
/// assert_eq!(small["data"]["length"], value["data"].to_string().len());
/// ```
pub fn compact(value: &Value, limit: usize) -> Value {
    compacted(value, limit).value
}

/// A value as [`compact`] keeps it, with the length of its JSON before and after.
struct Compacted {
    value: Value,
    /// The length of the kept value's JSON.
    kept: usize,
    /// The length of the whole value's JSON.
    whole: usize,
}

fn compacted(value: &Value, limit: usize) -> Compacted {
    let note = |of: &str, bytes: &[u8], whole: usize| {
        let value = elided(of, bytes.len(), &crate::value::sha256_hex(bytes));
        Compacted {
            kept: json_len(&value),
            value,
            whole,
        }
    };
    match value {
        Value::String(s) if s.len() > limit => note("string", s.as_bytes(), json_len(value)),
        Value::Object(map) => {
            if let Some(kind @ ("arraybuffer" | "bytes")) = crate::value::tag(value)
                && map
                    .get("base64")
                    .and_then(Value::as_str)
                    .is_some_and(|b| b.len() > limit)
            {
                let bytes = crate::value::bytes_of(value).unwrap_or_default();
                return note(kind, &bytes, json_len(value));
            }
            // `{`, and a comma between members.
            let mut kept = 1 + map.len().saturating_sub(1);
            let mut whole = kept;
            let members: Map<String, Value> = map
                .iter()
                .map(|(k, v)| {
                    let member = compacted(v, limit);
                    let key = json_len(k) + 1;
                    kept += key + member.kept;
                    whole += key + member.whole;
                    (k.clone(), member.value)
                })
                .collect();
            container(Value::Object(members), kept + 1, whole + 1, "object", limit)
        }
        Value::Array(items) => {
            let mut kept = 1 + items.len().saturating_sub(1);
            let mut whole = kept;
            let items: Vec<Value> = items
                .iter()
                .map(|v| {
                    let item = compacted(v, limit);
                    kept += item.kept;
                    whole += item.whole;
                    item.value
                })
                .collect();
            container(Value::Array(items), kept + 1, whole + 1, "array", limit)
        }
        other => {
            let len = json_len(other);
            Compacted {
                value: other.clone(),
                kept: len,
                whole: len,
            }
        }
    }
}

/// How many times the limit of a string an array or object may take: room for a few strings at
/// the limit beside each other (a response's data and its headers, say).
pub const CONTAINER_FACTOR: usize = 4;

/// A compacted array or object, kept when its JSON is within [`CONTAINER_FACTOR`] times
/// `limit`, else its note.
fn container(value: Value, kept: usize, whole: usize, of: &str, limit: usize) -> Compacted {
    if kept <= limit.saturating_mul(CONTAINER_FACTOR) {
        return Compacted { value, kept, whole };
    }
    let mut digest = Digested::default();
    digest.put(&value);
    let note = digest.note_of(of, whole);
    Compacted {
        kept: json_len(&note),
        value: note,
        whole,
    }
}

/// `text`, or when it is longer than `limit` bytes, its first ones and how long it was.
///
/// ```
/// use taro_conformance::value::elide::cut;
/// assert_eq!(cut("abcdef", 3), "abc… (6 bytes)");
/// assert_eq!(cut("é", 1), "… (2 bytes)");
/// assert_eq!(cut("abc", 3), "abc");
/// ```
pub fn cut(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

/// The length of a value's JSON, counted as it is written.
pub fn json_len(value: &(impl serde::Serialize + ?Sized)) -> usize {
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, value).expect("a value serializes");
    counter.0
}

/// Counts the bytes written to it.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The length and SHA-256 of JSON written to it.
#[derive(Default)]
pub(super) struct Digested {
    sha: Sha256,
    pub(super) len: usize,
}

impl Write for Digested {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.sha.update(buf);
        self.len += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Digested {
    pub(super) fn write(&mut self, bytes: &[u8]) {
        Write::write_all(self, bytes).expect("digesting cannot fail");
    }

    pub(super) fn put(&mut self, value: &impl serde::Serialize) {
        serde_json::to_writer(&mut *self, value).expect("a value serializes");
    }

    /// `[` and the items kept so far.
    pub(super) fn put_seq(&mut self, items: &[Value]) {
        self.write(b"[");
        for (i, item) in items.iter().enumerate() {
            self.put_item(item, i > 0);
        }
    }

    pub(super) fn put_item(&mut self, item: &Value, comma: bool) {
        if comma {
            self.write(b",");
        }
        self.put(item);
    }

    /// `{` and the members kept so far.
    pub(super) fn put_map(&mut self, members: &Map<String, Value>) {
        self.write(b"{");
        for (i, (key, value)) in members.iter().enumerate() {
            self.put_member(key, value, i > 0);
        }
    }

    pub(super) fn put_member(&mut self, key: &str, value: &Value, comma: bool) {
        if comma {
            self.write(b",");
        }
        self.put(&key);
        self.write(b":");
        self.put(value);
    }

    /// The note of a value of this JSON.
    pub(super) fn note(self, of: &str) -> Value {
        let length = self.len;
        self.note_of(of, length)
    }

    /// The note of a value `length` bytes long whose JSON, as kept, this digested.
    pub(super) fn note_of(self, of: &str, length: usize) -> Value {
        let hex: String = self
            .sha
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        elided(of, length, &hex)
    }
}

#[cfg(test)]
mod tests;
