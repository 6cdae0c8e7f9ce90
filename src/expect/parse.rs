//! JSON to [`Matcher`]: every operator known, every argument of its kind, checked once.

use std::fmt;

use serde_json::{Map, Value};

use super::{Condition, Matcher, Operator, ValueType};
use crate::value::decode_base64;

/// What is wrong with a matcher, and where inside the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatcherError {
    /// Where, as a dotted path (`expect.client.value.errMsg`); empty at the root.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for MatcherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for MatcherError {}

impl Matcher {
    /// Parses an expected value written at `path` (used in errors, not in the result).
    ///
    /// ```
    /// use serde_json::json;
    /// use taro_conformance::expect::Matcher;
    /// let error = Matcher::parse(&json!({"$type": "widget"}), "expect.client.value").unwrap_err();
    /// assert!(error.to_string().starts_with("expect.client.value: unknown `$type` `widget` (known: string, "));
    /// ```
    pub fn parse(value: &Value, path: &str) -> Result<Matcher, MatcherError> {
        match value {
            Value::Object(map) if map.keys().any(|k| k.starts_with('$')) => operators(map, path),
            Value::Object(map) => Ok(Matcher::Object(fields(map, path)?)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| Matcher::parse(item, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()
                .map(Matcher::Array),
            scalar => Ok(Matcher::Scalar(scalar.clone())),
        }
    }
}

/// The plain keys of an object, each parsed as a matcher.
fn fields(map: &Map<String, Value>, path: &str) -> Result<Vec<(String, Matcher)>, MatcherError> {
    map.iter()
        .filter(|(key, _)| !key.starts_with('$'))
        .map(|(key, value)| Ok((key.clone(), Matcher::parse(value, &join(path, key))?)))
        .collect()
}

fn operators(map: &Map<String, Value>, path: &str) -> Result<Matcher, MatcherError> {
    if !map.contains_key(Operator::Type.name())
        && let Some(key) = map.keys().find(|k| !k.starts_with('$'))
    {
        return Err(error(
            path,
            format!("plain key `{key}` beside matchers needs a `$type`"),
        ));
    }
    let conditions = map
        .iter()
        .filter(|(key, _)| key.starts_with('$'))
        .map(|(key, arg)| {
            let operator = Operator::from_name(key).ok_or_else(|| {
                let guess = did_you_mean(Operator::closest(key).map(Operator::name));
                let known = Operator::known();
                error(
                    path,
                    format!("unknown matcher `{key}`{guess} (known: {known})"),
                )
            })?;
            condition(operator, arg, map, path)
        })
        .collect::<Result<_, _>>()?;
    Ok(Matcher::Operators {
        conditions,
        raw: map.clone(),
    })
}

/// The condition `operator: arg` of the matcher object `map` at `path`.
fn condition(
    operator: Operator,
    arg: &Value,
    map: &Map<String, Value>,
    path: &str,
) -> Result<Condition, MatcherError> {
    let wrong_kind = |what: &str| error(path, format!("`{operator}` takes {what}"));
    let string = || {
        arg.as_str()
            .map(str::to_string)
            .ok_or_else(|| wrong_kind("a string"))
    };
    let boolean = || arg.as_bool().ok_or_else(|| wrong_kind("`true` or `false`"));
    Ok(match operator {
        Operator::Eq => Condition::Eq(arg.clone()),
        Operator::Type => {
            let known = ValueType::known();
            let name = arg
                .as_str()
                .ok_or_else(|| wrong_kind(&format!("a type name (known: {known})")))?;
            let name = ValueType::from_name(name).ok_or_else(|| {
                let guess = did_you_mean(ValueType::closest(name).map(ValueType::name));
                error(
                    path,
                    format!("unknown `$type` `{name}`{guess} (known: {known})"),
                )
            })?;
            let fields = fields(map, path)?;
            // A value of these types has no fields: keys beside them would go unjudged.
            let bare = [
                ValueType::String,
                ValueType::Number,
                ValueType::Boolean,
                ValueType::Null,
                ValueType::Array,
            ];
            if let Some((key, _)) = fields.first().filter(|_| bare.contains(&name)) {
                return Err(error(
                    path,
                    format!(
                        "plain key `{key}` beside `$type: {name}` names no field: a value of type {name} has none"
                    ),
                ));
            }
            Condition::Type { name, fields }
        }
        Operator::Absent => Condition::Absent(boolean()?),
        Operator::Present => Condition::Present(boolean()?),
        Operator::StartsWith => Condition::StartsWith(string()?),
        Operator::Contains => Condition::Contains(string()?),
        Operator::Regex => {
            let pattern = string()?;
            let regex = regex::Regex::new(&pattern).map_err(|err| {
                error(
                    path,
                    format!(
                        "`{operator}` is not a valid regular expression: {}",
                        condensed(&err)
                    ),
                )
            })?;
            Condition::Regex(regex)
        }
        Operator::Json => Condition::Json(arg.clone()),
        Operator::Base64 => {
            let text = string().map_err(|_| wrong_kind("base64 text"))?;
            let bytes = decode_base64(&text)
                .map_err(|err| error(path, format!("`{operator}` is not valid base64: {err}")))?;
            Condition::Base64 { text, bytes }
        }
        Operator::Sha256 => {
            let hex = arg
                .as_str()
                .filter(|h| h.len() == 64 && h.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')))
                .ok_or_else(|| wrong_kind("64 lower-case hex digits"))?;
            Condition::Sha256(hex.to_string())
        }
        Operator::Length => Condition::Length(
            arg.as_u64()
                .ok_or_else(|| wrong_kind("a non-negative integer"))?,
        ),
        Operator::AnyOf => {
            let options = arg
                .as_array()
                .ok_or_else(|| wrong_kind("a list of matchers"))?;
            let at = join(path, operator.name());
            Condition::AnyOf {
                options: options
                    .iter()
                    .enumerate()
                    .map(|(i, m)| Matcher::parse(m, &format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
                raw: arg.clone(),
            }
        }
        Operator::Not => Condition::Not {
            matcher: Box::new(Matcher::parse(arg, &join(path, operator.name()))?),
            raw: arg.clone(),
        },
    })
}

/// The regex crate's message without the pattern it repeats: its last line
/// (`unclosed group`), which names the problem.
fn condensed(err: &regex::Error) -> String {
    let text = err.to_string();
    let last = text.lines().rev().find(|l| !l.trim().is_empty());
    let last = last.unwrap_or(&text).trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// `, did you mean `NAME`?` when there is a likely name, or nothing.
fn did_you_mean(name: Option<&str>) -> String {
    name.map(|n| format!(", did you mean `{n}`?"))
        .unwrap_or_default()
}

fn error(path: &str, message: String) -> MatcherError {
    MatcherError {
        path: path.to_string(),
        message,
    }
}

/// `path.key`, or `key` at the root.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
