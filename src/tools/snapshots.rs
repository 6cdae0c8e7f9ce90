//! Snapshots: `cargo test --test conformance` compares the redacted observation of each case on
//! an adapter with its snapshot, `tests/snapshots/NAME/ID.snap` (insta's files). An adapter's
//! snapshots are written by that same test target told to accept what it observes
//! (`INSTA_UPDATE=always`): [`command`] is that command, which `taro-conformance snapshots
//! --adapter NAME` runs, so that the files are exactly the ones the test then compares.
//!
//! ```
//! use taro_conformance::tools::snapshots;
//! let command = snapshots::command("example-node");
//! let args: Vec<_> = command.get_args().collect();
//! assert_eq!(args, ["test", "--test", "conformance"]);
//! assert!(snapshots::missing("x", "tests/snapshots/x".as_ref()).contains("taro-conformance snapshots --adapter x"));
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::adapter::manifest::name_of;

/// The folder of every adapter's snapshots, relative to the repository root.
pub const DIR: &str = "tests/snapshots";

/// The environment variable that names another folder than [`DIR`] (the harness's own tests
/// write an adapter's first snapshots there).
pub const DIR_ENV: &str = "TARO_CONFORMANCE_SNAPSHOTS";

/// The environment variable that names the adapters the conformance target runs.
pub const ADAPTER_ENV: &str = "TARO_CONFORMANCE_ADAPTER";

/// The folder of an adapter's snapshots under the repository root `root`: named by the adapter's
/// name (its manifest's, however the `--adapter` value gives it), in [`DIR_ENV`]'s folder or
/// [`DIR`].
pub fn dir_of(root: &Path, adapter: &str) -> PathBuf {
    let all = std::env::var_os(DIR_ENV)
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| root.join(DIR), PathBuf::from);
    all.join(name_of(adapter).unwrap_or_else(|| adapter.replace(['/', '\\'], "_")))
}

/// Whether insta is told to write the snapshots it has not seen (`INSTA_UPDATE` is `always`,
/// `unseen`, `new` or `force`): then an adapter with no snapshots gets them.
pub fn writing() -> bool {
    std::env::var("INSTA_UPDATE")
        .is_ok_and(|mode| ["always", "unseen", "new", "force"].contains(&mode.as_str()))
}

/// What the conformance target says, once, of an adapter that has no snapshots folder.
pub fn missing(adapter: &str, dir: &Path) -> String {
    format!(
        "adapter `{adapter}` has no snapshots yet ({} does not exist): write them with \
         `taro-conformance snapshots --adapter {adapter}` (it runs these tests, taking what each \
         case observes as its snapshot), read them, and commit them",
        dir.display()
    )
}

/// The command that writes the snapshots of `adapter` (an `--adapter` value; several, separated
/// by commas): the conformance target, told to accept every observation, run from the
/// repository root with the `cargo` that built this program when there is one.
pub fn command(adapter: &str) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["test", "--test", "conformance"])
        .env("INSTA_UPDATE", "always")
        .env(ADAPTER_ENV, adapter);
    command
}
