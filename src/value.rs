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

/// A short, one-line rendering of a value for messages (long strings are cut).
pub fn brief(value: &Value) -> String {
    const MAX: usize = 160;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        text
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}… ({} chars)", text.chars().count())
    }
}
