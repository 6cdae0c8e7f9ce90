//! What the page keeps of a value: strings longer than the limit cut (saying how long they
//! were), and a spec's values without the fields they leave unset.

use serde_json::Value;

use super::VALUE_LIMIT;

/// `value` with every string longer than `limit` characters cut, saying how long it was.
///
/// ```
/// use serde_json::json;
/// let cut = taro_conformance::report::html::cut(&json!({"body": "x".repeat(10)}), 4);
/// assert_eq!(cut, json!({"body": "xxxx… [cut in this page: 10 characters in all]"}));
/// ```
pub fn cut(value: &Value, limit: usize) -> Value {
    match value {
        Value::String(s) => Value::String(cut_to(s, limit)),
        Value::Array(items) => Value::Array(items.iter().map(|v| cut(v, limit)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), cut(v, limit)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A spec value without the fields it leaves unset (`null`, `{}`, `[]`, `false`), as it was
/// written.
pub(super) fn terse(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), terse(v)))
                .filter(|(_, v)| match v {
                    Value::Null | Value::Bool(false) => false,
                    Value::Object(m) => !m.is_empty(),
                    Value::Array(a) => !a.is_empty(),
                    _ => true,
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(terse).collect()),
        other => other.clone(),
    }
}

pub(super) fn cut_to(s: &str, limit: usize) -> String {
    let length = s.chars().count();
    if length <= limit {
        return s.to_string();
    }
    let kept: String = s.chars().take(limit).collect();
    format!("{kept}… [cut in this page: {length} characters in all]")
}

pub(super) fn cut_str(s: &str) -> String {
    cut_to(s, VALUE_LIMIT)
}
