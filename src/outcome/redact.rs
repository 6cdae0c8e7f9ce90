//! Snapshots: an observation with what varies between runs redacted, byte-stable run to run.
//!
//! Origin addresses become `[origin.NAME]`, `date` headers `[date]`, browser identification
//! headers (`user-agent`, `sec-ch-ua*`) `[browser]`, JSONP callback names and cache-busting
//! timestamps (`__jsonp1732…`, `_=1732…`) placeholders, elapsed times go, and strings longer than
//! 4 KiB become their length and SHA-256.
//!
//! ```
//! # use std::collections::BTreeMap;
//! use serde_json::json;
//! use taro_conformance::outcome::redact;
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

/// An HTTP date wherever it appears (a Headers object's entries, a mismatch's text).
static HTTP_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")
        .expect("valid regex")
});

/// jsonp-retry names callbacks `__jsonp<timestamp>` and busts caches with `_=<timestamp>`.
static JSONP_CALLBACK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"__jsonp\d+").expect("valid regex"));
static CACHE_BUSTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[?&])_=\d{6,}").expect("valid regex"));

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
                    let lower = k.to_ascii_lowercase();
                    let v = if lower == "date" && v.is_string() {
                        Value::String("[date]".into())
                    } else if (lower == "user-agent" || lower.starts_with("sec-ch-ua"))
                        && v.is_string()
                    {
                        Value::String("[browser]".into())
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
    let s = LOOPBACK.replace_all(s, |cap: &regex::Captures| {
        hosts
            .get(&cap[0])
            .cloned()
            .unwrap_or_else(|| "[loopback]".into())
    });
    let s = HTTP_DATE.replace_all(&s, "[date]");
    let s = JSONP_CALLBACK.replace_all(&s, "__jsonp[n]");
    CACHE_BUSTER
        .replace_all(&s, "${1}_=[timestamp]")
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_what_varies_between_runs() {
        let origins = BTreeMap::from([("api".to_string(), "http://127.0.0.1:4123".to_string())]);
        let observed = json!({
            "query": "q=1&callback=__jsonp1795264703188&_=1795264703189",
            "entries": [["date", "Sat, 21 Nov 2026 13:40:01 GMT"]],
            "headers": {"user-agent": "HeadlessChrome/156", "sec-ch-ua": "\"Chromium\";v=\"156\"", "date": "Sat"},
            "url": "http://127.0.0.1:4123/x", "other": "http://127.0.0.1:9999/y", "elapsed_ms": 3,
        });
        assert_eq!(
            redact(&observed, &origins),
            json!({
                "query": "q=1&callback=__jsonp[n]&_=[timestamp]",
                "entries": [["date", "[date]"]],
                "headers": {"user-agent": "[browser]", "sec-ch-ua": "[browser]", "date": "[date]"},
                "url": "http://[origin.api]/x", "other": "http://[loopback]/y",
            })
        );
    }
}
