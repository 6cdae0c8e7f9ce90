//! The expectation language: expected values in spec cases, parsed once into [`Matcher`]s.
//!
//! An expected value is plain JSON to compare, or a matcher object whose keys start with `$`:
//!
//! | expected                          | holds when the observed value …                         |
//! |-----------------------------------|---------------------------------------------------------|
//! | a scalar                          | equals it (numbers by value, types distinct)            |
//! | an object without `$` keys        | is an object (or an error) with at least those keys, each matching |
//! | an array                          | is an array of the same length, element by element      |
//! | `{$eq: v}`                        | equals `v` exactly (no extra keys allowed)              |
//! | `{$type: t, …}`                   | has type `t` (a [`ValueType`]: `string number boolean null object array arraybuffer bytes undefined error headers function`); other keys match as in an object |
//! | `{$absent: true}`                 | is missing or `undefined`                               |
//! | `{$present: true}`                | is there and not `undefined`                            |
//! | `{$startsWith: s}` / `{$contains: s}` / `{$regex: r}` | is a string that does so (`$contains`: has `s` as a substring; on an array: has an element equal to `s`) |
//! | `{$json: v}`                      | is a string whose JSON parse equals `v` exactly         |
//! | `{$base64: b}`                    | has exactly the bytes `b` (string, bytes or arraybuffer) |
//! | `{$sha256: hex}`                  | has bytes (string, bytes or arraybuffer) whose SHA-256 is `hex` (lower case) |
//! | `{$length: n}`                    | is a string, array or buffer of `n` chars/items/bytes   |
//! | `{$anyOf: [m, …]}`                | matches one of them                                     |
//! | `{$not: m}`                       | does not match `m`                                      |
//!
//! Several operators in one object must all hold. Plain keys beside operators need a `$type`.
//!
//! A spec file's expectations deserialize straight into matchers, so a bad matcher is a load
//! error at its line; [`Matcher::check`] then compares observations, naming each
//! [`Difference`].
//!
//! ```
//! use serde_json::json;
//! use taro_conformance::expect::Matcher;
//! let matcher = Matcher::parse(&json!({"errMsg": {"$startsWith": "request:fail"}}), "value").unwrap();
//! let mut problems = Vec::new();
//! matcher.check(Some(&json!({"errMsg": "request:ok"})), "value", &mut problems);
//! assert_eq!(problems[0].path, "value.errMsg");
//!
//! let error = Matcher::parse(&json!({"errMsg": {"$regex": "("}}), "value").unwrap_err();
//! assert_eq!(error.path, "value.errMsg");
//! ```

mod check;
pub(crate) mod de;
mod names;
mod parse;

use serde_json::{Map, Value};

pub use check::Difference;
pub use names::{Operator, ValueType};
pub use parse::MatcherError;

/// An expected value, parsed: what an observed value is compared with.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A string, number, boolean or null: the observed value equals it.
    Scalar(Value),
    /// An object without `$` keys: the observed object has at least these keys, each matching,
    /// in the order written.
    Object(Vec<(String, Matcher)>),
    /// An array: the observed array has as many items, each matching.
    Array(Vec<Matcher>),
    /// An object with `$` keys: every condition holds.
    Operators {
        /// One per `$`-operator, in the order written.
        conditions: Vec<Condition>,
        /// The object as written, to give it back unchanged.
        raw: Map<String, Value>,
    },
}

/// One `$`-operator of a matcher object, with its argument parsed.
#[derive(Debug, Clone)]
pub enum Condition {
    /// `$eq`: equals this exactly.
    Eq(Value),
    /// `$type`: has this type, and the plain keys beside it match the value's fields.
    Type {
        /// The type.
        name: ValueType,
        /// The plain keys of the matcher object, in the order written.
        fields: Vec<(String, Matcher)>,
    },
    /// `$absent`: with `true`, missing or `undefined` (`false` asks nothing).
    Absent(bool),
    /// `$present`: with `true`, there and not `undefined` (`false` asks nothing).
    Present(bool),
    /// `$startsWith`: a string starting with this.
    StartsWith(String),
    /// `$contains`: a string containing this, or an array with an element equal to it.
    Contains(String),
    /// `$regex`: a string this matches.
    Regex(regex::Regex),
    /// `$json`: a string whose JSON parse equals this exactly.
    Json(Value),
    /// `$base64`: exactly these bytes.
    Base64 {
        /// The base64 text as written.
        text: String,
        /// The bytes it decodes to.
        bytes: Vec<u8>,
    },
    /// `$sha256`: bytes with this SHA-256 (lower-case hex).
    Sha256(String),
    /// `$length`: this many chars, items or bytes.
    Length(u64),
    /// `$anyOf`: one of these matches.
    AnyOf {
        /// The alternatives.
        options: Vec<Matcher>,
        /// The list as written, for messages.
        raw: Value,
    },
    /// `$not`: this does not match.
    Not {
        /// The matcher that must not hold.
        matcher: Box<Matcher>,
        /// The matcher as written, for messages.
        raw: Value,
    },
}

impl Condition {
    /// The operator this condition was written with.
    pub fn operator(&self) -> Operator {
        match self {
            Condition::Eq(_) => Operator::Eq,
            Condition::Type { .. } => Operator::Type,
            Condition::Absent(_) => Operator::Absent,
            Condition::Present(_) => Operator::Present,
            Condition::StartsWith(_) => Operator::StartsWith,
            Condition::Contains(_) => Operator::Contains,
            Condition::Regex(_) => Operator::Regex,
            Condition::Json(_) => Operator::Json,
            Condition::Base64 { .. } => Operator::Base64,
            Condition::Sha256(_) => Operator::Sha256,
            Condition::Length(_) => Operator::Length,
            Condition::AnyOf { .. } => Operator::AnyOf,
            Condition::Not { .. } => Operator::Not,
        }
    }
}

impl Matcher {
    /// The matcher as it was written.
    pub fn to_json(&self) -> Value {
        match self {
            Matcher::Scalar(value) => value.clone(),
            Matcher::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, m)| (key.clone(), m.to_json()))
                    .collect(),
            ),
            Matcher::Array(items) => Value::Array(items.iter().map(Matcher::to_json).collect()),
            Matcher::Operators { raw, .. } => Value::Object(raw.clone()),
        }
    }

    /// Whether this is an object (plain, or a matcher object's plain keys) that names `key`.
    pub fn names_key(&self, key: &str) -> bool {
        match self {
            Matcher::Object(entries) => entries.iter().any(|(k, _)| k == key),
            Matcher::Operators { raw, .. } => raw.contains_key(key),
            Matcher::Scalar(_) | Matcher::Array(_) => false,
        }
    }
}

#[cfg(test)]
mod tests;
