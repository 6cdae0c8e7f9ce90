//! Which cases a run takes: `--filter` patterns, by substring or glob.
//!
//! ```
//! use taro_conformance::select::Selection;
//! let selection = Selection::new(&["data.query".into(), "method.*-get".into()], false).unwrap();
//! assert!(selection.selects("data.query.space-is-percent-20"));
//! assert!(selection.selects("method.default-get"));
//! assert!(!selection.selects("abort.in-flight"));
//! assert!(Selection::new(&["[".into()], false).is_err());
//! ```

use crate::error::Error;

/// Case selection: every case when empty, else the cases any pattern selects.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    patterns: Vec<Pattern>,
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

    /// A pattern selects ids containing it, or matching it when it has `*`, `?` or `[` (a
    /// glob); with `exact`, every pattern must match whole ids. A bad glob is a usage error.
    pub fn new(patterns: &[String], exact: bool) -> Result<Selection, Error> {
        let patterns = patterns
            .iter()
            .map(|p| {
                if exact || p.contains(['*', '?', '[']) {
                    globset::Glob::new(p)
                        .map(|g| Pattern::Glob(g.compile_matcher()))
                        .map_err(|e| Error::Usage(format!("--filter {p}: {e}")))
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
