//! Snapshots: an observation with what varies between runs redacted, byte-stable run to run.
//!
//! Origin addresses become `[origin.NAME]`, `date` headers `[date]`, browser identification
//! headers (`user-agent`, `sec-ch-ua*`) `[browser]`, JSONP callback names and cache-busting
//! timestamps (`__jsonp1732…`, `_=1732…`) placeholders, elapsed times go, and strings longer than
//! 4 KiB become their length and SHA-256. A string spread into an object one character a key
//! (`Object.assign({}, url)` makes `{"0": "h", "1": "t", …}`) is redacted as that string, and
//! spread again.
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
        Value::Object(map) if spread(map).is_some() => {
            let (text, len) = spread(map).unwrap_or_default();
            let text = redact_string(&text, hosts);
            let chars = text
                .chars()
                .enumerate()
                .map(|(i, c)| (i.to_string(), Value::String(c.to_string())));
            let rest = map
                .iter()
                .skip(len)
                .map(|(k, v)| (k.clone(), walk(v, hosts)));
            Value::Object(chars.chain(rest).collect())
        }
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

/// The string an object's leading keys `"0"`, `"1"`, … spell, one character each, and how many
/// keys that is; `None` when it does not start so.
fn spread(map: &serde_json::Map<String, Value>) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut len = 0;
    for (i, (key, value)) in map.iter().enumerate() {
        let one = value.as_str().filter(|s| s.chars().count() == 1);
        match one {
            Some(c) if *key == i.to_string() => {
                text.push_str(c);
                len += 1;
            }
            _ => break,
        }
    }
    (len > 0).then_some((text, len))
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

    #[test]
    fn a_string_spread_into_an_object_is_redacted_as_that_string() {
        let origins = BTreeMap::from([("api".to_string(), "http://127.0.0.1:4123".to_string())]);
        let spread = |s: &str| -> serde_json::Map<String, Value> {
            s.chars()
                .enumerate()
                .map(|(i, c)| (i.to_string(), json!(c.to_string())))
                .collect()
        };
        let mut observed = spread("http://127.0.0.1:4123/s");
        observed.insert("method".into(), json!("GET"));
        let mut expected = spread("http://[origin.api]/s");
        expected.insert("method".into(), json!("GET"));
        assert_eq!(
            redact(&Value::Object(observed), &origins),
            Value::Object(expected)
        );
        let other = json!({"0": "ab", "1": "c"});
        assert_eq!(redact(&other, &origins), other);
    }
}
