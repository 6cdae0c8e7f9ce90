//! The HTML matrix: `matrix.html`, one self-contained page (inline CSS and JavaScript, no
//! network) made from the same data as `matrix.md` and `matrix.json`, for a reader choosing a
//! platform.
//!
//! The page has the per-area summary, the matrix with filters (platform, area, level, status,
//! "differs from the docs"), and behind each cell the case's evidence: its summary, its clauses
//! with their text, the call as JavaScript, the stubs, what each origin received, what the caller
//! got, the mismatches, the baseline's reason and the command that reproduces it. A cell opens
//! from the URL fragment `#COLUMN/CASE` (the column's label, as in the matrix), so other reports
//! can link to it.
//!
//! Each case is stored once; each cell stores only what it adds, with the observations that
//! several cells share (after redacting ports, dates and browser names) stored once, and strings
//! longer than [`VALUE_LIMIT`] cut (the page says so). The same inputs give the same bytes.
//!
//! ```
//! let data = r#"{"columns":[],"cases":{},"cells":{}}"#;
//! let page = format!("<script type=\"application/json\" id=\"matrix-data\">{data}</script>");
//! assert!(taro_conformance::report::html::embedded_data(&page).is_some());
//! ```

mod current;
mod cut;
mod data;
mod render;

pub use current::{embedded_data, is_current};
pub use cut::cut;
pub use data::{PageCase, PageCell, PageClause, PageColumn, PageData, Sources, data};
pub use render::{render, script_json, write};

/// The template (minijinja), compiled into the binary.
pub const TEMPLATE: &str = include_str!("../../../templates/matrix.html.j2");

/// Strings in observations, stubs and stderr longer than this many characters are cut in the
/// page (the run log keeps them, up to its own limit).
pub const VALUE_LIMIT: usize = 2048;

/// SHA-256 of the template, which the page records so that `report --check --html` notices a
/// page made by another template.
pub fn template_hash() -> String {
    crate::value::sha256_hex(TEMPLATE.as_bytes())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::Value;

    use super::cut::{cut_to, terse};
    use super::*;
    use crate::report::links::fragment;

    #[test]
    fn a_fragment_keeps_plain_labels_and_ids_readable_and_escapes_the_rest() {
        assert_eq!(
            fragment("taro-rn", "data.arraybuffer"),
            "#taro-rn/data.arraybuffer"
        );
        assert_eq!(fragment("a/b", "c#d"), "#a%2Fb/c%23d");
    }

    #[test]
    fn script_json_cannot_close_its_script_element() {
        let mut data = PageData {
            columns: vec![],
            cases: BTreeMap::new(),
            cells: BTreeMap::new(),
            values: vec![Value::String("</script><b>&".into())],
            limit: 1,
            doubts: vec![],
        };
        let text = script_json(&data);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: PageData = serde_json::from_str(&text).unwrap();
        assert_eq!(back, data);
        data.values.clear();
        assert!(script_json(&data).contains("\"values\":[]"));
    }

    #[test]
    fn stubs_show_what_the_spec_set() {
        let stubs = serde_json::json!({"api": {"stubs": [{"request": {"method": null, "headers": {}}, "response": {"status": 200, "body": "ok"}}], "refuseConnections": false}});
        assert_eq!(
            terse(&stubs),
            serde_json::json!({"api": {"stubs": [{"response": {"status": 200, "body": "ok"}}]}})
        );
    }

    #[test]
    fn long_strings_are_cut_and_short_ones_kept() {
        assert_eq!(cut_to("abc", 3), "abc");
        assert_eq!(
            cut_to("abcd", 3),
            "abc… [cut in this page: 4 characters in all]"
        );
        // Characters, not bytes: a multi-byte character is never split.
        assert_eq!(
            cut_to("ééé", 2),
            "éé… [cut in this page: 3 characters in all]"
        );
    }
}
