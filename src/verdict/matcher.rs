//! Expected values: plain JSON to compare, or matcher objects whose keys start with `$`.
//!
//! | expected                          | holds when the observed value …                         |
//! |-----------------------------------|---------------------------------------------------------|
//! | a scalar                          | equals it (numbers by value, types distinct)            |
//! | an object without `$` keys        | is an object (or an error) with at least those keys, each matching |
//! | an array                          | is an array of the same length, element by element      |
//! | `{$eq: v}`                        | equals `v` exactly (no extra keys allowed)              |
//! | `{$type: t, …}`                   | has type `t` (see [`crate::value::type_name`]); other keys match as in an object |
//! | `{$absent: true}`                 | is missing or `undefined`                               |
//! | `{$present: true}`                | is there and not `undefined`                            |
//! | `{$startsWith: s}` / `{$contains: s}` / `{$regex: r}` | is a string that does so (`$contains` on an array: has an element equal to `s`) |
//! | `{$json: v}`                      | is a string whose JSON parse equals `v` exactly         |
//! | `{$base64: b}`                    | has exactly the bytes `b` (string, bytes or arraybuffer) |
//! | `{$length: n}`                    | is a string, array or buffer of `n` chars/items/bytes   |
//! | `{$anyOf: [m, …]}`                | matches one of them                                     |
//! | `{$not: m}`                       | does not match `m`                                      |
//!
//! Several operators in one object must all hold.
//!
//! ```
//! use serde_json::json;
//! use taro_conformance::verdict::matcher::check;
//! let mut problems = Vec::new();
//! check(&json!({"errMsg": {"$startsWith": "request:fail"}}), Some(&json!({"errMsg": "request:ok"})), "value", &mut problems);
//! assert_eq!(problems[0].path, "value.errMsg");
//! ```

use serde_json::{Map, Value};

use crate::value::{brief, bytes_of, decode_base64, same, sha256_hex, tag, type_name};

/// One difference between an expected and an observed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// Where, as a dotted path (`client.value.header.content-type`).
    pub path: String,
    /// What was expected, in words.
    pub expected: String,
    /// What was there instead, in words.
    pub got: String,
}

/// The operators a matcher object may use.
pub const OPERATORS: [&str; 13] = [
    "$eq",
    "$type",
    "$absent",
    "$present",
    "$startsWith",
    "$contains",
    "$regex",
    "$json",
    "$base64",
    "$length",
    "$anyOf",
    "$not",
    "$sha256",
];

/// Checks `observed` (None: missing) against `expected`, pushing each difference found.
pub fn check(expected: &Value, observed: Option<&Value>, path: &str, out: &mut Vec<Difference>) {
    match expected {
        Value::Object(map) if is_matcher(map) => check_operators(map, observed, path, out),
        Value::Object(map) => {
            // An error is an object too: `{errMsg: …}` matches an Error carrying `errMsg`.
            let Some(Value::Object(got)) =
                observed.filter(|v| matches!(tag(v), None | Some("error")))
            else {
                return out.push(diff(path, "an object", observed));
            };
            for (key, want) in map {
                check(want, got.get(key), &join(path, key), out);
            }
        }
        Value::Array(items) => {
            let Some(Value::Array(got)) = observed else {
                return out.push(diff(
                    path,
                    &format!("an array of {}", items.len()),
                    observed,
                ));
            };
            if got.len() != items.len() {
                return out.push(Difference {
                    path: path.to_string(),
                    expected: format!("{} items", items.len()),
                    got: format!("{} items: {}", got.len(), brief(&Value::Array(got.clone()))),
                });
            }
            for (i, (want, have)) in items.iter().zip(got).enumerate() {
                check(want, Some(have), &format!("{path}[{i}]"), out);
            }
        }
        scalar => {
            if !observed.is_some_and(|o| same(scalar, o)) {
                out.push(diff(path, &brief(scalar), observed));
            }
        }
    }
}

/// Whether a map is a matcher (any key starting with `$`) rather than a plain object.
pub fn is_matcher(map: &Map<String, Value>) -> bool {
    map.keys().any(|k| k.starts_with('$'))
}

fn check_operators(
    map: &Map<String, Value>,
    observed: Option<&Value>,
    path: &str,
    out: &mut Vec<Difference>,
) {
    let present = observed.filter(|v| tag(v) != Some("undefined"));
    for (op, arg) in map {
        match op.as_str() {
            "$eq" if !observed.is_some_and(|o| same(arg, o)) => {
                out.push(diff(path, &format!("exactly {}", brief(arg)), observed));
            }
            "$type" => {
                let want = arg.as_str().unwrap_or_default();
                let got = observed.map(type_name).unwrap_or("missing");
                if got != want {
                    out.push(diff(path, &format!("a value of type {want}"), observed));
                } else if let Some(Value::Object(have)) = observed {
                    // The remaining plain keys describe the tagged value's fields.
                    for (key, want) in map.iter().filter(|(k, _)| !k.starts_with('$')) {
                        check(want, have.get(key), &join(path, key), out);
                    }
                }
            }
            "$absent" if arg.as_bool() == Some(true) && present.is_some() => {
                out.push(diff(path, "nothing (absent)", observed));
            }
            "$present" if arg.as_bool() == Some(true) && present.is_none() => {
                out.push(diff(path, "a value", observed));
            }
            "$contains" if observed.is_some_and(Value::is_array) => {
                let items = observed.and_then(Value::as_array).expect("checked");
                if !items.iter().any(|item| same(arg, item)) {
                    out.push(diff(
                        path,
                        &format!("an array containing {}", brief(arg)),
                        observed,
                    ));
                }
            }
            "$startsWith" | "$contains" | "$regex" => {
                let want = arg.as_str().unwrap_or_default();
                let ok = observed
                    .and_then(Value::as_str)
                    .is_some_and(|s| match op.as_str() {
                        "$startsWith" => s.starts_with(want),
                        "$contains" => s.contains(want),
                        _ => regex::Regex::new(want).is_ok_and(|re| re.is_match(s)),
                    });
                if !ok {
                    let words = match op.as_str() {
                        "$startsWith" => "a string starting with",
                        "$contains" => "a string containing",
                        _ => "a string matching",
                    };
                    out.push(diff(path, &format!("{words} {}", brief(arg)), observed));
                }
            }
            "$json" => {
                let parsed = observed
                    .and_then(Value::as_str)
                    .and_then(|s| serde_json::from_str::<Value>(s).ok());
                if !parsed.as_ref().is_some_and(|p| same(arg, p)) {
                    out.push(diff(
                        path,
                        &format!("the JSON text of {}", brief(arg)),
                        observed,
                    ));
                }
            }
            "$base64" => {
                let want = arg.as_str().and_then(|b| decode_base64(b).ok());
                let got = observed.and_then(bytes_of);
                if want.is_none() || want != got {
                    out.push(diff(
                        path,
                        &format!("the bytes (base64) {}", brief(arg)),
                        observed,
                    ));
                }
            }
            "$sha256" => {
                let got = observed.and_then(bytes_of).map(|b| sha256_hex(&b));
                if got.as_deref() != arg.as_str() {
                    out.push(diff(
                        path,
                        &format!("bytes with SHA-256 {}", brief(arg)),
                        observed,
                    ));
                }
            }
            "$length" => {
                let got = observed.and_then(|o| match o {
                    Value::String(s) => Some(s.chars().count()),
                    Value::Array(a) => Some(a.len()),
                    other => bytes_of(other).map(|b| b.len()),
                });
                if got.map(|g| g as u64) != arg.as_u64() {
                    out.push(diff(path, &format!("length {arg}"), observed));
                }
            }
            "$anyOf" => {
                let options = arg.as_array().cloned().unwrap_or_default();
                let ok = options.iter().any(|m| {
                    let mut scratch = Vec::new();
                    check(m, observed, path, &mut scratch);
                    scratch.is_empty()
                });
                if !ok {
                    out.push(diff(path, &format!("any of {}", brief(arg)), observed));
                }
            }
            "$not" => {
                let mut scratch = Vec::new();
                check(arg, observed, path, &mut scratch);
                if scratch.is_empty() {
                    out.push(diff(path, &format!("not {}", brief(arg)), observed));
                }
            }
            // Operators that held, and plain keys (handled by `$type`); the loader rejects
            // unknown operators.
            _ => {}
        }
    }
}

/// Problems with a matcher's own shape (unknown operators, wrong argument types), for the
/// spec loader; `path` says where in the case it is.
pub fn lint_matcher(expected: &Value, path: &str, out: &mut Vec<String>) {
    match expected {
        Value::Object(map) if is_matcher(map) => {
            for (key, arg) in map {
                if key.starts_with('$') && !OPERATORS.contains(&key.as_str()) {
                    out.push(format!(
                        "{path}: unknown matcher `{key}` (known: {})",
                        OPERATORS.join(", ")
                    ));
                }
                let wrong = match key.as_str() {
                    "$type" | "$startsWith" | "$base64" | "$sha256" => !arg.is_string(),
                    "$regex" => arg.as_str().is_none_or(|r| regex::Regex::new(r).is_err()),
                    "$absent" | "$present" => !arg.is_boolean(),
                    "$length" => !arg.is_u64(),
                    "$anyOf" => !arg.is_array(),
                    _ => false,
                };
                if wrong {
                    out.push(format!("{path}: `{key}` has an argument of the wrong kind"));
                }
                if !key.starts_with('$') && !map.contains_key("$type") {
                    out.push(format!(
                        "{path}: plain key `{key}` beside matchers needs a `$type`"
                    ));
                }
                match key.as_str() {
                    "$anyOf" => arg.as_array().into_iter().flatten().for_each(|m| {
                        lint_matcher(m, path, out);
                    }),
                    "$not" => lint_matcher(arg, path, out),
                    k if !k.starts_with('$') => lint_matcher(arg, &join(path, k), out),
                    _ => {}
                }
            }
        }
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| lint_matcher(v, &join(path, k), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| lint_matcher(v, &format!("{path}[{i}]"), out)),
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn diff(path: &str, expected: &str, observed: Option<&Value>) -> Difference {
    Difference {
        path: path.to_string(),
        expected: expected.to_string(),
        got: observed.map(brief).unwrap_or_else(|| "nothing".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    fn holds(expected: Value, observed: Option<Value>) -> bool {
        let mut out = Vec::new();
        check(&expected, observed.as_ref(), "v", &mut out);
        out.is_empty()
    }

    #[rstest]
    #[case::number_by_value(json!(1), json!(1.0), true)]
    #[case::types_distinct(json!(1), json!("1"), false)]
    #[case::object_subset(json!({"a": 1}), json!({"a": 1, "b": 2}), true)]
    #[case::object_missing_key(json!({"c": 1}), json!({"a": 1}), false)]
    #[case::array_same_length(json!([1, 2]), json!([1, 2]), true)]
    #[case::array_longer(json!([1]), json!([1, 2]), false)]
    #[case::eq_rejects_extra_keys(json!({"$eq": {"a": 1}}), json!({"a": 1, "b": 2}), false)]
    #[case::type_arraybuffer(json!({"$type": "arraybuffer"}), json!({"$type": "arraybuffer", "base64": ""}), true)]
    #[case::type_string_is_not_number(json!({"$type": "number"}), json!("42"), false)]
    #[case::starts_with(json!({"$startsWith": "request:fail"}), json!("request:fail x"), true)]
    #[case::starts_with_wrong(json!({"$startsWith": "request:fail"}), json!("request:ok"), false)]
    #[case::contains_in_array(json!({"$contains": "abort"}), json!(["abort", "then"]), true)]
    #[case::regex(json!({"$regex": "^a=\\d+$"}), json!("a=12"), true)]
    #[case::json_text(json!({"$json": {"a": [1]}}), json!("{\"a\": [1]}"), true)]
    #[case::json_text_differs(json!({"$json": {"a": [1]}}), json!("{\"a\": [2]}"), false)]
    #[case::base64_bytes(json!({"$base64": "AP8="}), json!({"$type": "bytes", "base64": "AP8="}), true)]
    #[case::base64_of_text(json!({"$base64": "aGk="}), json!("hi"), true)]
    #[case::length_of_buffer(json!({"$length": 2}), json!({"$type": "arraybuffer", "base64": "AP8="}), true)]
    #[case::any_of(json!({"$anyOf": [1, "x"]}), json!("x"), true)]
    #[case::not(json!({"$not": {"$eq": "a"}}), json!("b"), true)]
    #[case::not_holds_when_equal(json!({"$not": {"$eq": "a"}}), json!("a"), false)]
    fn matches_as_documented(#[case] expected: Value, #[case] observed: Value, #[case] ok: bool) {
        assert_eq!(holds(expected, Some(observed)), ok);
    }

    #[test]
    fn absent_and_present() {
        assert!(holds(json!({"$absent": true}), None));
        assert!(holds(
            json!({"$absent": true}),
            Some(json!({"$type": "undefined"}))
        ));
        assert!(!holds(json!({"$absent": true}), Some(json!(""))));
        assert!(!holds(json!({"$present": true}), None));
    }

    #[test]
    fn differences_name_the_path() {
        let mut out = Vec::new();
        check(
            &json!({"a": {"b": [1, 2]}}),
            Some(&json!({"a": {"b": [1, 3]}})),
            "client.value",
            &mut out,
        );
        assert_eq!(
            out,
            vec![Difference {
                path: "client.value.a.b[1]".into(),
                expected: "2".into(),
                got: "3".into()
            }]
        );
    }

    #[rstest]
    #[case::unknown_operator(json!({"$startWith": "x"}), "unknown matcher `$startWith`")]
    #[case::bad_regex(json!({"$regex": "("}), "`$regex` has an argument of the wrong kind")]
    #[case::plain_key_without_type(json!({"$present": true, "a": 1}), "needs a `$type`")]
    fn lint_explains_bad_matchers(#[case] matcher: Value, #[case] words: &str) {
        let mut out = Vec::new();
        lint_matcher(&matcher, "expect.client.value", &mut out);
        assert!(out.iter().any(|p| p.contains(words)), "{out:?}");
    }
}
