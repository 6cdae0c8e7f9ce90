//! The JSON Schemas of what the harness writes for other programs to read: each line of a run
//! log, `matrix.json`, the JSON of `diff --json`, and the baseline file. They are generated from
//! the Rust types that write (or, for baselines, read) them, committed under `docs/schemas/`,
//! and a test fails when the committed copies are stale; another validates real outputs.
//!
//! ```
//! let schemas = taro_conformance::report::schemas::outputs();
//! let (file, text) = &schemas[0];
//! assert_eq!(*file, "run-log-line.schema.json");
//! assert!(text.contains("\"header\"") && text.contains("\"footer\""));
//! ```

use crate::json_schema::{Direction, schema_text};

/// Where the committed copies live, relative to the repository root.
pub const SCHEMAS_DIR: &str = "docs/schemas";

/// The schemas of the harness's outputs, by file name.
pub fn outputs() -> Vec<(&'static str, String)> {
    let format = crate::run::log::FORMAT;
    vec![
        (
            "run-log-line.schema.json",
            schema_text::<crate::run::log::Line>(
                &format!("taro-conformance run log (format {format}): one line"),
                Direction::Written,
            ),
        ),
        (
            "matrix.schema.json",
            schema_text::<crate::report::matrix::Matrix>(
                "taro-conformance report: matrix.json",
                Direction::Written,
            ),
        ),
        (
            "diff.schema.json",
            schema_text::<crate::report::diff::RunDiff>(
                "taro-conformance diff --json",
                Direction::Written,
            ),
        ),
        (
            "baseline.schema.json",
            schema_text::<crate::run::gate::Baseline>(
                "taro-conformance baseline (reports/baselines/NAME.yaml)",
                Direction::Read,
            ),
        ),
    ]
}
