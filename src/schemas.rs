//! The JSON Schemas of what the harness writes for other programs to read: each line of a run
//! log, `matrix.json`, the JSON of `diff --json`, and the baseline file. They are generated from
//! the Rust types that write (or, for baselines, read) them, committed under `docs/schemas/`,
//! and a test fails when the committed copies are stale; another validates real outputs.
//!
//! ```
//! let schemas = taro_conformance::schemas::outputs();
//! let (file, text) = &schemas[0];
//! assert_eq!(*file, "run-log-line.schema.json");
//! assert!(text.contains("\"header\"") && text.contains("\"footer\""));
//! ```

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;

use crate::error::FileError;

/// Where the committed copies live, relative to the repository root.
pub const SCHEMAS_DIR: &str = "docs/schemas";

/// How a schema describes its type: as the harness writes it, or as it reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// What the harness writes: every field it always writes is required.
    Written,
    /// What the harness accepts: fields with defaults may be left out.
    Read,
}

/// The draft-07 JSON Schema of `T`, titled, as pretty-printed JSON with a trailing newline.
pub fn schema_text<T: JsonSchema>(title: &str, direction: Direction) -> String {
    let settings = match direction {
        Direction::Written => SchemaSettings::draft07().for_serialize(),
        Direction::Read => SchemaSettings::draft07().for_deserialize(),
    };
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}

/// The schemas of the harness's outputs, by file name.
pub fn outputs() -> Vec<(&'static str, String)> {
    let format = crate::runlog::FORMAT;
    vec![
        (
            "run-log-line.schema.json",
            schema_text::<crate::runlog::Line>(
                &format!("taro-conformance run log (format {format}): one line"),
                Direction::Written,
            ),
        ),
        (
            "matrix.schema.json",
            schema_text::<crate::report::Matrix>(
                "taro-conformance report: matrix.json",
                Direction::Written,
            ),
        ),
        (
            "diff.schema.json",
            schema_text::<crate::diff::RunDiff>("taro-conformance diff --json", Direction::Written),
        ),
        (
            "baseline.schema.json",
            schema_text::<crate::gate::Baseline>(
                "taro-conformance baseline (reports/baselines/NAME.yaml)",
                Direction::Read,
            ),
        ),
    ]
}

/// Writes every output schema into `dir` (created if need be); returns the paths written.
pub fn write(dir: &Path, schemas: Vec<(&'static str, String)>) -> Result<Vec<PathBuf>, FileError> {
    std::fs::create_dir_all(dir).map_err(|e| FileError::unwritable(dir, &e))?;
    schemas
        .into_iter()
        .map(|(file, text)| {
            let path = dir.join(file);
            std::fs::write(&path, text).map_err(|e| FileError::unwritable(&path, &e))?;
            Ok(path)
        })
        .collect()
}
