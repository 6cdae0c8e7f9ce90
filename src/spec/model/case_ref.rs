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

impl CaseRef {
    /// What is wrong with it, if anything: an URL that is not https, or a `checks` that is
    /// empty or more than one line.
    pub fn problem(&self) -> Option<String> {
        ref_problem(self.url()).or_else(|| {
            self.checks()
                .filter(|c| c.trim().is_empty() || c.contains('\n'))
                .map(|c| {
                    format!(
                        "`refs`: the `checks` of a ref must be one line saying what the case observes, got {c:?}"
                    )
                })
        })
    }
}

/// What is wrong with one entry of `refs`, if anything: each must be an absolute `https` URL
/// with a host (an issue or pull request where the behaviour was reported).
///
/// ```
/// # use taro_conformance::spec::ref_problem;
/// assert_eq!(ref_problem("https://github.com/NervJS/taro/issues/3222"), None);
/// assert!(ref_problem("http://github.com/NervJS/taro/issues/3222").is_some());
/// assert!(ref_problem("#3222").is_some());
/// ```
pub fn ref_problem(reference: &str) -> Option<String> {
    match url::Url::parse(reference) {
        Ok(parsed)
            if parsed.scheme() == "https" && parsed.host_str().is_some_and(|h| !h.is_empty()) =>
        {
            None
        }
        Ok(parsed) => Some(format!(
            "`refs`: `{reference}` is a {} URL; each ref must be an https URL",
            parsed.scheme()
        )),
        Err(err) => Some(format!(
            "`refs`: `{reference}` is no URL ({err}); each ref must be an https URL"
        )),
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
        let refs: Vec<CaseRef> = serde_json::from_str(
            r#"["https://a.example/1", {"url": "https://a.example/2", "checks": "x"}]"#,
        )
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

    #[test]
    fn a_checks_must_be_one_line_and_the_url_https() {
        let checked = |url: &str, checks: &str| {
            CaseRef::Checked(CheckedRef {
                url: url.into(),
                checks: checks.into(),
            })
            .problem()
        };
        assert_eq!(checked("https://a.example/1", "the body"), None);
        assert!(
            checked("https://a.example/1", " ")
                .unwrap()
                .contains("one line")
        );
        assert!(
            checked("https://a.example/1", "a\nb")
                .unwrap()
                .contains("one line")
        );
        assert!(
            checked("http://a.example/1", "x")
                .unwrap()
                .contains("https")
        );
        assert!(
            CaseRef::Bare("#1".into())
                .problem()
                .unwrap()
                .contains("no URL")
        );
    }
}
