//! Which cases a run takes: `--filter` patterns, by substring or glob.
//!
//! ```
//! use taro_conformance::spec::select::Selection;
//! let selection = Selection::new(&["data.query".into(), "method.*-get".into()], false).unwrap();
//! assert!(selection.selects("data.query.space-is-percent-20"));
//! assert!(selection.selects("method.default-get"));
//! assert!(!selection.selects("abort.in-flight"));
//! assert!(Selection::new(&["[".into()], false).is_err());
//! assert!(Selection::new(&["method.{get,post".into()], false).is_err()); // unclosed
//! assert!(Selection::new(&["method.{get,post}".into()], false).unwrap().selects("method.get"));
//! ```
//!
//! ```
//! use taro_conformance::spec::select::Partition;
//! let ids = ["method.get", "method.post", "data.query.basic", "abort.in-flight"];
//! let slices: Vec<Partition> = (1..=3).map(|k| format!("{k}/3").parse().unwrap()).collect();
//! for id in ids {
//!     assert_eq!(slices.iter().filter(|s| s.selects(id)).count(), 1);
//! }
//! assert!("0/3".parse::<Partition>().is_err());
//! assert!("4/3".parse::<Partition>().is_err());
//! assert!("1".parse::<Partition>().is_err());
//! ```

use crate::error::Error;

/// Case selection: every case when empty, else the cases any pattern selects.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    patterns: Vec<Pattern>,
}

/// The longest pattern taken.
pub const MAX_PATTERN: usize = 256;
/// The deepest `{…}` nesting taken (the glob library's matcher cannot be built for deep ones).
pub const MAX_NESTING: usize = 8;

/// What makes a pattern a glob.
const GLOB_CHARS: [char; 4] = ['*', '?', '[', '{'];

/// Compiles a glob, or says why it cannot be one.
fn glob(pattern: &str) -> Result<globset::GlobMatcher, Error> {
    let refuse = |why: String| Error::Usage(format!("--filter {pattern}: {why}"));
    if pattern.chars().count() > MAX_PATTERN {
        return Err(refuse(format!("longer than {MAX_PATTERN} characters")));
    }
    let mut depth = 0usize;
    let mut deepest = 0;
    for c in pattern.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    if deepest > MAX_NESTING {
        return Err(refuse(format!(
            "`{{…}}` nested {deepest} deep: at most {MAX_NESTING}"
        )));
    }
    globset::Glob::new(pattern)
        .map(|g| g.compile_matcher())
        .map_err(|e| refuse(format!("not a glob: {e}")))
}

#[derive(Debug, Clone)]
enum Pattern {
    Text(String),
    Glob(globset::GlobMatcher),
}

impl Selection {
    /// Every case.
    pub fn all() -> Selection {
        Selection::default()
    }

    /// A pattern selects ids containing it, or matching it when it has `*`, `?`, `[` or `{` (a
    /// glob); with `exact`, every pattern must match whole ids. A glob that does not parse, or is
    /// past the limits ([`MAX_PATTERN`] characters, [`MAX_NESTING`] levels of `{…}`), is a
    /// usage error.
    pub fn new(patterns: &[String], exact: bool) -> Result<Selection, Error> {
        let patterns = patterns
            .iter()
            .map(|p| {
                if exact || p.contains(GLOB_CHARS) {
                    glob(p).map(Pattern::Glob)
                } else {
                    Ok(Pattern::Text(p.clone()))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Selection { patterns })
    }

    /// Whether the case with this id is selected.
    pub fn selects(&self, id: &str) -> bool {
        self.patterns.is_empty()
            || self.patterns.iter().any(|p| match p {
                Pattern::Text(t) => id.contains(t.as_str()),
                Pattern::Glob(g) => g.is_match(id),
            })
    }
}

/// One slice of the suite, `K/N`: the cases whose id hashes to slice K of N. The same id is in
/// the same slice on every machine and every run (SHA-256 of the id), whatever else the suite
/// holds, so that N jobs of a CI matrix run the suite between them, each case once.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct Partition {
    /// Which slice, from 1.
    pub index: u32,
    /// How many slices.
    pub count: u32,
}

impl Partition {
    /// Whether `id` is in this slice.
    pub fn selects(&self, id: &str) -> bool {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(id.as_bytes());
        let head = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
        head % u64::from(self.count) == u64::from(self.index - 1)
    }
}

impl std::str::FromStr for Partition {
    type Err = Error;

    fn from_str(text: &str) -> Result<Partition, Error> {
        let refuse = || {
            Error::Usage(format!(
                "--partition {text}: not K/N with 1 <= K <= N (e.g. 2/4: the second of four slices)"
            ))
        };
        let (k, n) = text.split_once('/').ok_or_else(refuse)?;
        let (index, count) = (
            k.trim().parse::<u32>().map_err(|_| refuse())?,
            n.trim().parse::<u32>().map_err(|_| refuse())?,
        );
        if index == 0 || index > count {
            return Err(refuse());
        }
        Ok(Partition { index, count })
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slice of `id` among `count`, by trying each.
    fn slice_of(id: &str, count: u32) -> Vec<u32> {
        (1..=count)
            .filter(|&index| Partition { index, count }.selects(id))
            .collect()
    }

    /// Slices are fixed by SHA-256 of the id alone (computed here outside the code: the first
    /// eight bytes of the digest, big-endian, modulo N), so every machine cuts the suite alike.
    #[test]
    fn each_id_is_in_exactly_one_slice_fixed_by_its_digest() {
        for (id, slices) in [
            ("method.get", [1, 2, 3]),
            ("data.query.basic", [2, 1, 2]),
            ("abort.in-flight", [2, 1, 4]),
            ("c", [1, 3, 3]),
            ("d", [2, 3, 2]),
        ] {
            for (count, slice) in (2..=4).zip(slices) {
                assert_eq!(slice_of(id, count), [slice], "{id} of {count}");
            }
            assert_eq!(slice_of(id, 1), [1], "one slice holds everything");
        }
    }

    #[test]
    fn a_partition_is_k_of_n_with_k_from_1_to_n() {
        let parse = |text: &str| text.parse::<Partition>().map(|p| (p.index, p.count));
        assert_eq!(parse("1/1").unwrap(), (1, 1));
        assert_eq!(parse(" 3 / 3 ").unwrap(), (3, 3));
        assert_eq!(Partition { index: 2, count: 4 }.to_string(), "2/4");
        for bad in ["0/3", "4/3", "3", "a/3", "1/b", "-1/3"] {
            let error = parse(bad).unwrap_err().to_string();
            assert!(
                error.contains(&format!("--partition {bad}: not K/N with 1 <= K <= N")),
                "{bad}: {error}"
            );
        }
    }
}
