//! Evaluation: an observed value against a [`Matcher`], each difference in words.
//!
//! The words are part of the output (snapshots, baseline fingerprints): an operator's
//! expectation is worded from its argument as written (`crate::value::brief`). When both sides
//! would print alike (the text of base64 where its bytes were expected, an object where its JSON
//! text was), the expectation names the kind of value it wants and the kind it got; what was got
//! keeps its words, which the fingerprint of a failing case reads.

use serde_json::Value;

use super::parse::join;
use super::{Condition, Matcher};
use crate::value::{brief, bytes_of, same, sha256_hex, tag, type_name};

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

impl Matcher {
    /// Checks `observed` (None: missing) at `path`, pushing each difference found.
    pub fn check(&self, observed: Option<&Value>, path: &str, out: &mut Vec<Difference>) {
        match self {
            Matcher::Scalar(want) => {
                if !observed.is_some_and(|o| same(want, o)) {
                    let expected = told_apart(brief(want), &[a(type_name(want))], observed);
                    out.push(diff(path, &expected, observed));
                }
            }
            Matcher::Object(entries) => {
                // An error is an object too: `{errMsg: …}` matches an Error carrying `errMsg`.
                let Some(Value::Object(got)) =
                    observed.filter(|v| matches!(tag(v), None | Some("error")))
                else {
                    return out.push(diff(path, "an object", observed));
                };
                for (key, want) in entries {
                    want.check(got.get(key), &join(path, key), out);
                }
            }
            Matcher::Array(items) => {
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
                    want.check(Some(have), &format!("{path}[{i}]"), out);
                }
            }
            Matcher::Operators { conditions, .. } => {
                for condition in conditions {
                    condition.check(observed, path, out);
                }
            }
        }
    }

    /// Whether `observed` matches, differences aside.
    fn holds(&self, observed: Option<&Value>, path: &str) -> bool {
        let mut scratch = Vec::new();
        self.check(observed, path, &mut scratch);
        scratch.is_empty()
    }
}

impl Condition {
    /// Checks one operator, pushing a difference when it does not hold.
    fn check(&self, observed: Option<&Value>, path: &str, out: &mut Vec<Difference>) {
        if let Some(expected) = self.unmet(observed, path, out) {
            let expected = match self.wants() {
                Some(kinds) => told_apart(expected, &kinds, observed),
                None => expected,
            };
            out.push(diff(path, &expected, observed));
        }
    }

    /// The kinds of value the operator wants, when it wants some (`$not`, `$anyOf` and the
    /// like do not).
    fn wants(&self) -> Option<Vec<String>> {
        let kinds = |names: &[&str]| Some(names.iter().map(|n| a(n)).collect());
        match self {
            Condition::Eq(want) => kinds(&[type_name(want)]),
            Condition::Json(_) => kinds(&["string"]),
            Condition::Base64 { .. } | Condition::Sha256(_) => kinds(&["bytes"]),
            Condition::Length(_) => kinds(&["string", "array", "bytes"]),
            _ => None,
        }
    }

    /// What was expected, in words, when the operator does not hold (`$type` pushes its
    /// fields' differences itself). The words come from the argument as the spec wrote it.
    fn unmet(
        &self,
        observed: Option<&Value>,
        path: &str,
        out: &mut Vec<Difference>,
    ) -> Option<String> {
        let text = |s: &str| brief(&Value::String(s.to_string()));
        let string = observed.and_then(Value::as_str);
        match self {
            Condition::Eq(want) => {
                let holds = observed.is_some_and(|o| same(want, o));
                unless(holds, || format!("exactly {}", brief(want)))
            }
            Condition::Type { name, fields } => {
                if observed.map(type_name).unwrap_or("missing") != name.name() {
                    return Some(format!("a value of type {name}"));
                }
                // The plain keys describe the tagged value's fields.
                if let Some(Value::Object(have)) = observed {
                    for (key, want) in fields {
                        want.check(have.get(key), &join(path, key), out);
                    }
                }
                None
            }
            Condition::Absent(absent) => {
                let holds = !absent || present(observed).is_none();
                unless(holds, || "nothing (absent)".into())
            }
            Condition::Present(wanted) => {
                let holds = !wanted || present(observed).is_some();
                unless(holds, || "a value".into())
            }
            Condition::StartsWith(prefix) => {
                let holds = string.is_some_and(|s| s.starts_with(prefix.as_str()));
                unless(holds, || format!("a string starting with {}", text(prefix)))
            }
            Condition::Contains(part) => match observed {
                Some(Value::Array(items)) => {
                    let holds = items.iter().any(|i| i.as_str() == Some(part.as_str()));
                    unless(holds, || format!("an array containing {}", text(part)))
                }
                _ => {
                    let holds = string.is_some_and(|s| s.contains(part.as_str()));
                    unless(holds, || format!("a string containing {}", text(part)))
                }
            },
            Condition::Regex(regex) => {
                let holds = string.is_some_and(|s| regex.is_match(s));
                unless(holds, || {
                    format!("a string matching {}", text(regex.as_str()))
                })
            }
            Condition::Json(want) => {
                let parsed = string.and_then(|s| serde_json::from_str::<Value>(s).ok());
                let holds = parsed.is_some_and(|p| same(want, &p));
                unless(holds, || format!("the JSON text of {}", brief(want)))
            }
            Condition::Base64 { text: b64, bytes } => {
                let holds = observed.and_then(bytes_of).as_ref() == Some(bytes);
                unless(holds, || format!("the bytes (base64) {}", text(b64)))
            }
            Condition::Sha256(hex) => {
                let holds = observed
                    .and_then(bytes_of)
                    .is_some_and(|b| sha256_hex(&b) == *hex);
                unless(holds, || format!("bytes with SHA-256 {}", text(hex)))
            }
            Condition::Length(length) => {
                let got = observed.and_then(|o| match o {
                    Value::String(s) => Some(s.chars().count()),
                    Value::Array(a) => Some(a.len()),
                    other => bytes_of(other).map(|b| b.len()),
                });
                let holds = got.is_some_and(|g| g as u64 == *length);
                unless(holds, || format!("length {length}"))
            }
            Condition::AnyOf { options, raw } => {
                let holds = options.iter().any(|m| m.holds(observed, path));
                unless(holds, || format!("any of {}", brief(raw)))
            }
            Condition::Not { matcher, raw } => {
                let holds = !matcher.holds(observed, path);
                unless(holds, || format!("not {}", brief(raw)))
            }
        }
    }
}

/// `expected` with the kinds of both sides named, `(A STRING, not AN OBJECT)`, when the observed
/// value prints as the end of `expected` does and is of none of the `kinds` wanted.
fn told_apart(expected: String, kinds: &[String], observed: Option<&Value>) -> String {
    let Some(observed) = observed else {
        return expected;
    };
    let got = brief(observed);
    let alike = expected == got || expected.ends_with(&format!(" {got}"));
    let kind = a(type_name(observed));
    if !alike || kinds.contains(&kind) {
        return expected;
    }
    let wanted = match kinds {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        [] => return expected,
    };
    format!("{expected} ({wanted}, not {kind})")
}

/// A type name with its article: `a string`, `an object`, `null`, `bytes`.
fn a(type_name: &str) -> String {
    match type_name {
        "null" | "undefined" | "bytes" => type_name.to_string(),
        _ if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {type_name}"),
        _ => format!("a {type_name}"),
    }
}

/// The expectation's words, unless it holds.
fn unless(holds: bool, words: impl FnOnce() -> String) -> Option<String> {
    if holds { None } else { Some(words()) }
}

/// The observed value unless it is missing or `undefined`.
fn present(observed: Option<&Value>) -> Option<&Value> {
    observed.filter(|v| tag(v) != Some("undefined"))
}

fn diff(path: &str, expected: &str, observed: Option<&Value>) -> Difference {
    Difference {
        path: path.to_string(),
        expected: expected.to_string(),
        got: observed.map(brief).unwrap_or_else(|| "nothing".into()),
    }
}
