//! The JSON Schema (draft-07) of the spec format, generated from [`super::SpecFile`].
//!
//! The generated text is committed as `specs/schema.json` so that yaml-language-server can
//! complete and validate spec files; a test fails when the committed copy is stale.

use schemars::generate::SchemaSettings;

use super::model::SpecFile;

/// Where the committed copy lives, relative to the repository root.
pub const SCHEMA_PATH: &str = "specs/schema.json";

/// The schema as pretty-printed JSON with a trailing newline.
///
/// ```
/// let text = taro_conformance::spec::schema::schema_json();
/// assert!(text.contains("\"$schema\": \"http://json-schema.org/draft-07/schema#\""));
/// ```
pub fn schema_json() -> String {
    let generator = SchemaSettings::draft07().for_deserialize().into_generator();
    let mut schema = generator.into_root_schema_for::<SpecFile>();
    schema.insert("title".into(), "taro-conformance spec file".into());
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}
