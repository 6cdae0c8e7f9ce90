//! Snapshots: an observation with what varies between runs redacted, byte-stable run to run.
//!
//! Origin addresses become `[origin.NAME]`, `date` headers `[date]`, elapsed times go, and
//! strings longer than 4 KiB become their length and SHA-256.
//!
//! ```
//! # use std::collections::BTreeMap;
//! use serde_json::json;
//! use taro_conformance::snapshot::redact;
//! let origins = BTreeMap::from([("api".to_string(), "http://127.0.0.1:4123".to_string())]);
//! let v = redact(&json!({"url": "http://127.0.0.1:4123/x", "elapsed_ms": 7}), &origins);
//! assert_eq!(v, json!({"url": "http://[origin.api]/x"}));
//! ```

use std::collections::BTreeMap;

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::value::sha256_hex;

/// Strings longer than this are replaced by a digest.
const LONG: usize = 4096;

static LOOPBACK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"127\.0\.0\.1:\d+").expect("valid regex"));

/// Redacts a JSON value given the case's origins (name → base URL).
pub fn redact(value: &Value, origins: &BTreeMap<String, String>) -> Value {
    let hosts: BTreeMap<String, String> = origins
        .iter()
        .map(|(name, url)| {
            let host = url.trim_start_matches("http://").to_string();
            (host, format!("[origin.{name}]"))
        })
        .collect();
    walk(value, &hosts)
}

fn walk(value: &Value, hosts: &BTreeMap<String, String>) -> Value {
    match value {
        Value::String(s) => Value::String(redact_string(s, hosts)),
        Value::Array(items) => Value::Array(items.iter().map(|v| walk(v, hosts)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != "elapsed_ms")
                .map(|(k, v)| {
                    let v = if k.eq_ignore_ascii_case("date") && v.is_string() {
                        Value::String("[date]".into())
                    } else {
                        walk(v, hosts)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn redact_string(s: &str, hosts: &BTreeMap<String, String>) -> String {
    if s.len() > LONG {
        return format!("[{} bytes, sha256 {}]", s.len(), sha256_hex(s.as_bytes()));
    }
    LOOPBACK
        .replace_all(s, |cap: &regex::Captures| {
            hosts
                .get(&cap[0])
                .cloned()
                .unwrap_or_else(|| "[loopback]".into())
        })
        .into_owned()
}
