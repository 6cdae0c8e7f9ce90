//! JavaScript values carried as JSON.
//!
//! Plain JSON stands for itself. What JSON cannot carry is a tagged object with a `$type`:
//!
//! | JavaScript              | JSON                                                 |
//! |-------------------------|------------------------------------------------------|
//! | `ArrayBuffer`           | `{"$type": "arraybuffer", "base64": "AAE="}`         |
//! | `undefined`             | `{"$type": "undefined"}`                             |
//! | an `Error`              | `{"$type": "error", "name": "TypeError", "message": "…"}` |
//! | a `Headers` object      | `{"$type": "headers", "entries": [["a", "1"]]}`      |
//!
//! Raw bytes that are not UTF-8 (a request body on the wire) are `{"$type": "bytes", "base64": …}`.
//!
//! ```
//! use serde_json::json;
//! use taro_conformance::value::{arraybuffer, type_name};
//! assert_eq!(type_name(&arraybuffer(&[0, 1])), "arraybuffer");
//! assert_eq!(type_name(&json!({"a": 1})), "object");
//! ```

pub mod decode;
pub mod elide;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

/// Decodes standard base64 (with padding).
pub fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    STANDARD.decode(text.trim())
}

/// SHA-256 of `bytes`, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Encodes standard base64 (with padding).
pub fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// An `ArrayBuffer` holding `bytes`.
pub fn arraybuffer(bytes: &[u8]) -> Value {
    json!({"$type": "arraybuffer", "base64": encode_base64(bytes)})
}

/// `undefined`.
pub fn undefined() -> Value {
    json!({"$type": "undefined"})
}

/// Bytes as they crossed the wire: a string when they are UTF-8, tagged base64 otherwise.
pub fn wire_bytes(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(text) => Value::String(text.to_string()),
        Err(_) => json!({"$type": "bytes", "base64": encode_base64(bytes)}),
    }
}

/// The `$type` tag of a tagged value, if it is one.
pub fn tag(value: &Value) -> Option<&str> {
    value.as_object()?.get("$type")?.as_str()
}

/// The bytes of an `arraybuffer` or `bytes` value, or of a string's UTF-8.
pub fn bytes_of(value: &Value) -> Option<Vec<u8>> {
    match (tag(value), value) {
        (Some("arraybuffer" | "bytes"), _) => decode_base64(value.get("base64")?.as_str()?).ok(),
        (None, Value::String(s)) => Some(s.as_bytes().to_vec()),
        _ => None,
    }
}

/// The JavaScript-ish type name of a value: `string`, `number`, `boolean`, `null`,
/// `object`, `array`, or the tag of a tagged value (`arraybuffer`, `undefined`, …).
pub fn type_name(value: &Value) -> &str {
    if let Some(t) = tag(value) {
        return t;
    }
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Equality as JavaScript's structured values see it: numbers compare by value
/// (`1` equals `1.0`), everything else structurally.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A short, one-line rendering of a value for messages (long strings are cut): its JSON, or its
/// first 160 characters and how many it has. A large value is counted as it is written, not
/// written out whole.
pub fn brief(value: &Value) -> String {
    const MAX: usize = 160;
    let mut kept = Brief {
        head: Vec::new(),
        chars: 0,
    };
    serde_json::to_writer(&mut kept, value).expect("a value serializes");
    // Whole characters: the JSON is UTF-8, and the head holds MAX of them at least.
    let text = String::from_utf8_lossy(&kept.head);
    if kept.chars <= MAX {
        text.into_owned()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}… ({} chars)", kept.chars)
    }
}

/// What [`brief`] keeps of a value's JSON: its first bytes, and how many characters it has.
struct Brief {
    head: Vec<u8>,
    chars: usize,
}

impl std::io::Write for Brief {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // A character starts at every byte that does not continue one.
        self.chars += buf.iter().filter(|b| (**b & 0xC0) != 0x80).count();
        // Four bytes a character at most, and one more character to cut at.
        let room = (161 * 4usize).saturating_sub(self.head.len());
        self.head.extend_from_slice(&buf[..buf.len().min(room)]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `brief` said when it wrote the whole JSON out first.
    fn written_out(value: &Value) -> String {
        let text = value.to_string();
        if text.chars().count() <= 160 {
            text
        } else {
            let cut: String = text.chars().take(160).collect();
            format!("{cut}… ({} chars)", text.chars().count())
        }
    }

    #[test]
    fn brief_says_what_writing_the_value_out_says() {
        for value in [
            json!(null),
            json!("short"),
            json!("é".repeat(159)),
            json!("é".repeat(158)),
            json!("日本語".repeat(100)),
            json!("🎉".repeat(500)),
            json!({"a": [1, 2, 3], "b": "\n\u{1}".repeat(50)}),
            json!(vec![0; 1_000_000]),
        ] {
            assert_eq!(brief(&value), written_out(&value));
        }
    }
}
