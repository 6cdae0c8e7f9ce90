//! JSON Schemas made from Rust types, and written where they are committed: the spec format's
//! (`specs/schema.json`), the protocol's (`docs/protocol/`) and the outputs'
//! ([`crate::report::schemas`]) all go through here.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;

use crate::error::FileError;

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
