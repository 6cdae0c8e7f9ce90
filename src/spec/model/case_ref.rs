//! A case's `refs`: where the behaviour was reported, and what of the report the case observes.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// One entry of a case's `refs`: an issue or pull request where the behaviour was reported.
///
/// ```yaml
/// refs:
///   - url: https://github.com/NervJS/taro/issues/2901
///     checks: the array's brackets reach the server (H5 dropped them before the fix)
///   - https://github.com/NervJS/taro/issues/8997   # bare: informational cases only
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum CaseRef {
    /// A URL with the part of the report the case observes.
    Checked(CheckedRef),
    /// A bare https URL; `lint` refuses it on a required or recommended case.
    Bare(String),
}

/// A ref that says what it checks.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckedRef {
    /// An https URL of the issue or pull request.
    pub url: String,
    /// One line: which part of the report the case observes (what a reader following the link
    /// should find the case checking).
    pub checks: String,
}

impl CaseRef {
    /// The URL.
    pub fn url(&self) -> &str {
        match self {
            CaseRef::Checked(c) => &c.url,
            CaseRef::Bare(url) => url,
        }
    }

    /// What the case observes of the report, when the ref says.
    pub fn checks(&self) -> Option<&str> {
        match self {
            CaseRef::Checked(c) => Some(&c.checks),
            CaseRef::Bare(_) => None,
        }
    }
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.checks() {
            Some(checks) => write!(f, "{} (checks: {checks})", self.url()),
            None => f.write_str(self.url()),
        }
    }
}

// By hand rather than `untagged`, so that a wrong entry says what is wrong with it (a missing
// `checks`, an unknown key) instead of "matched no variant".
impl<'de> Deserialize<'de> for CaseRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RefVisitor;
        impl<'de> Visitor<'de> for RefVisitor {
            type Value = CaseRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an https URL, or {url, checks}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CaseRef, E> {
                Ok(CaseRef::Bare(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CaseRef, A::Error> {
                CheckedRef::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(CaseRef::Checked)
            }
        }
        deserializer.deserialize_any(RefVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_read_and_a_wrong_entry_says_why() {
        let refs: Vec<CaseRef> =
            serde_json::from_str(r#"["https://a.example/1", {"url": "https://a.example/2", "checks": "x"}]"#)
                .unwrap();
        assert_eq!(refs[0].checks(), None);
        assert_eq!(refs[1].url(), "https://a.example/2");
        assert_eq!(refs[1].checks(), Some("x"));
        let err = serde_json::from_str::<CaseRef>(r#"{"url": "https://a.example/2"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `checks`"), "{err}");
        let err = serde_json::from_str::<CaseRef>(r#"{"url": "u", "checks": "c", "see": 1}"#)
            .unwrap_err();
        assert!(err.to_string().contains("unknown field `see`"), "{err}");
    }
}
