//! The repository root: the folder that holds the suite's contract (`specs/contract.yaml`) and
//! the adapters (`adapters/`). Every default path of the harness (the specs, the adapters, the
//! baselines, the run logs) is relative to it, so the command line runs there.
//!
//! ```
//! use taro_conformance::spec::root;
//! let here = std::env::current_dir().unwrap();
//! let found = root::find(&here.join("adapters/example-node")).unwrap();
//! assert_eq!(found, here);
//! assert_eq!(root::find(std::path::Path::new("/")), None);
//! ```

use std::path::{Path, PathBuf};

use super::contract::CONTRACT_PATH;

/// The folder of the adapters, relative to the root (`adapter::manifest::ADAPTERS_DIR`).
const ADAPTERS: &str = "adapters";

/// Whether `dir` is a repository root: it holds `specs/contract.yaml` and `adapters/`.
pub fn is_root(dir: &Path) -> bool {
    dir.join(CONTRACT_PATH).is_file() && dir.join(ADAPTERS).is_dir()
}

/// The nearest of `dir` and the folders above it that is a repository root; none when no
/// folder above is one.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| is_root(d)).map(Path::to_path_buf)
}
