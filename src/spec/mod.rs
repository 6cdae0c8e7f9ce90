//! Specs: the YAML files under `specs/` that state the contract as cases.
//!
//! [`load_dir`] reads them all; [`schema`] generates the JSON Schema editors use;
//! [`render()`](fn@render) fills a case's call with its origins' addresses; [`root`] finds the
//! folder every default path is relative to.

pub mod capability;
pub mod contract;
pub mod limits;
mod load;
mod model;
mod render;
pub mod root;
pub mod schema;
pub mod select;

pub use load::{LoadedCase, Suite, load_dir, load_str, parse_yaml, read_yaml};
pub use model::*;
pub use render::{call_js, malformed_placeholders, placeholders, render};
