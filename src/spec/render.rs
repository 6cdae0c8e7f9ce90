//! Rendering a case's call: `{{origin.NAME}}` placeholders become the origins' base URLs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::model::{Action, Case};

static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{\s*origin\.([A-Za-z0-9_-]+)\s*\}\}").expect("valid regex"));

/// Collects the origin names that `value` refers to, anywhere inside it.
pub fn placeholders(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::String(s) => {
            for cap in PLACEHOLDER.captures_iter(s) {
                out.insert(cap[1].to_string());
            }
        }
        Value::Array(items) => items.iter().for_each(|v| placeholders(v, out)),
        Value::Object(map) => map.values().for_each(|v| placeholders(v, out)),
        _ => {}
    }
}

/// Every `{{` inside `value` that does not open a well-formed `{{origin.NAME}}`, and every key
/// with a `{{` in it (keys are not rendered), in words: such text would reach the adapter
/// literally.
///
/// ```
/// # use serde_json::json;
/// let mut problems = Vec::new();
/// taro_conformance::spec::malformed_placeholders(&json!({"url": "{{origin.}}/b", "ok": "{{origin.api}}"}), &mut problems);
/// assert_eq!(problems, ["`{{origin.}}/b` is not a placeholder: write `{{origin.NAME}}`"]);
/// ```
pub fn malformed_placeholders(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            let good: Vec<usize> = PLACEHOLDER.find_iter(s).map(|m| m.start()).collect();
            for (at, _) in s.match_indices("{{") {
                // A `{{` inside a good placeholder's span (as in `{{{`) is not a second one.
                if !good.contains(&at)
                    && !PLACEHOLDER
                        .find_iter(s)
                        .any(|m| m.start() < at && at < m.end())
                {
                    let shown: String = s[at..].chars().take(40).collect();
                    out.push(format!(
                        "`{shown}` is not a placeholder: write `{{{{origin.NAME}}}}`"
                    ));
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| malformed_placeholders(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                if key.contains("{{") {
                    out.push(format!(
                        "the key `{key}` has a placeholder: only values are filled in"
                    ));
                }
                malformed_placeholders(v, out);
            }
        }
        _ => {}
    }
}

/// Replaces every `{{origin.NAME}}` inside `value` with `base_urls[NAME]`.
///
/// ```
/// # use std::collections::BTreeMap;
/// # use serde_json::json;
/// let urls = BTreeMap::from([("api".to_string(), "http://127.0.0.1:4000".to_string())]);
/// let call = json!({"url": "{{origin.api}}/x", "backup": ["{{ origin.api }}/y"]});
/// let rendered = taro_conformance::spec::render(&call, &urls);
/// assert_eq!(rendered, json!({"url": "http://127.0.0.1:4000/x", "backup": ["http://127.0.0.1:4000/y"]}));
/// ```
pub fn render(value: &Value, base_urls: &BTreeMap<String, String>) -> Value {
    match value {
        Value::String(s) => Value::String(
            PLACEHOLDER
                .replace_all(s, |cap: &regex::Captures| {
                    base_urls
                        .get(&cap[1])
                        .cloned()
                        .unwrap_or_else(|| cap[0].to_string())
                })
                .into_owned(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| render(v, base_urls)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), render(v, base_urls)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The case's call as JavaScript, its origins' placeholders filled in from `origins` (those not
/// given stay `{{origin.NAME}}`): the `before` calls, the call, its actions, and what it logs.
///
/// ```
/// let case: taro_conformance::spec::Case = serde_json::from_value(serde_json::json!({
///     "id": "a.b", "summary": "s", "contract": ["CALL-1"], "level": "required",
///     "call": {"url": "{{origin.api}}/x"}, "expect": {}
/// })).unwrap();
/// let js = taro_conformance::spec::call_js(&case, &Default::default());
/// assert!(js.starts_with("const task = Taro.request({\n  \"url\": \"{{origin.api}}/x\"\n})\n"), "{js}");
/// ```
pub fn call_js(case: &Case, origins: &BTreeMap<String, String>) -> String {
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let mut out = String::new();
    for before in &case.before {
        let _ = writeln!(
            out,
            "await Taro.request({}).catch(() => {{}})",
            pretty(&render(before, origins))
        );
    }
    let call = pretty(&render(&case.call, origins));
    let _ = writeln!(out, "const task = Taro.request({call})");
    for action in &case.actions {
        match action {
            Action::Abort { after_ms } => {
                let _ = writeln!(out, "setTimeout(() => task.abort(), {after_ms})");
            }
        }
    }
    let _ = writeln!(
        out,
        "task.then(res => console.log('resolved', res), err => console.log('rejected', err))"
    );
    out
}
