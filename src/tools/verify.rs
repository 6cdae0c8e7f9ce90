//! The cases a change to the suite adds or edits, found by comparing the spec files with those
//! of a git revision: what `verify` runs again and again before the change goes in, since a
//! case that ends differently from run to run is a gate nobody can trust.
//!
//! ```no_run
//! use taro_conformance::spec;
//! use taro_conformance::tools::verify;
//! let suite = spec::load_dir("specs".as_ref());
//! let changes = verify::changed_since(&suite, "HEAD").unwrap();
//! for id in changes.ids() {
//!     println!("{id} is new or changed since HEAD");
//! }
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::error::Error;
use crate::spec::{Suite, load_str};

/// The cases of a suite that a revision does not have, or has otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Ids no case of the revision has.
    pub new: Vec<String>,
    /// Ids whose case differs from the revision's (in anything but its file).
    pub changed: Vec<String>,
    /// The commit compared with, as git spells its id.
    pub commit: String,
}

impl Changes {
    /// Every id, new then changed.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.new.iter().chain(&self.changed).map(String::as_str)
    }

    /// Whether the suite has no new or changed case.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.changed.is_empty()
    }
}

/// Compares the suite with the spec files under the same directory at git revision `rev`
/// (`HEAD`: the last commit), which must name one commit. Cases are compared as data, so moving
/// one to another file or reformatting it is no change.
pub fn changed_since(suite: &Suite, rev: &str) -> Result<Changes, Error> {
    let commit = commit_of(&suite.root, rev)?;
    let before = cases_at(&suite.root, &commit)?;
    let mut changes = Changes {
        commit,
        ..Changes::default()
    };
    for loaded in &suite.cases {
        let now = serde_json::to_value(&loaded.case).expect("a case serializes");
        match before.get(&loaded.case.id) {
            None => changes.new.push(loaded.case.id.clone()),
            Some(then) if *then != now => changes.changed.push(loaded.case.id.clone()),
            Some(_) => {}
        }
    }
    Ok(changes)
}

/// The commit `rev` names, as git spells its id, seen from `dir`. Anything else is refused: a
/// range, a tree (`main^{tree}`), a blob or a path would compare with the wrong files or none.
pub fn commit_of(dir: &Path, rev: &str) -> Result<String, Error> {
    // An option in its place would be read as one.
    if rev.starts_with('-') || rev.is_empty() {
        return Err(Error::Usage(format!("`{rev}` is not a git revision")));
    }
    // Not a repository, or no git: what git says is the message.
    git(dir, &["rev-parse", "--git-dir"])?;
    let spec = format!("{rev}^{{commit}}");
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ])
        .output()
        .map_err(|e| Error::Usage(format!("git could not be run in {}: {e}", dir.display())))?;
    let id = String::from_utf8_lossy(&output.stdout).trim().to_string();
    // One object id, nothing else (`^HEAD` comes back as `^ID`: a range's end).
    if output.status.success() && !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(id);
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let said = match said.trim() {
        "" => String::new(),
        said => format!(" (git: {said})"),
    };
    Err(Error::Usage(format!(
        "`{rev}` names no commit of the git repository at {}: give one commit, branch or tag, \
         not a range, a tree or a path{said}",
        dir.display()
    )))
}

/// Every case of the spec files under `dir` as they were at `commit` (an id from
/// [`commit_of`]), by id, as data. A file that did not load then contributes nothing: its cases
/// count as new. The files are the ones [`crate::spec::load_dir`] reads: `*.yaml` and `*.yml`
/// but the contract, in `dir` and below it.
pub fn cases_at(dir: &Path, commit: &str) -> Result<BTreeMap<String, serde_json::Value>, Error> {
    if commit.starts_with('-') {
        return Err(Error::Usage(format!("`{commit}` is not a git revision")));
    }
    // NUL-separated: git quotes a path with unusual bytes otherwise. Each entry is
    // `MODE TYPE OBJECT\tPATH`, the path relative to `dir`.
    let listing = git(
        dir,
        &["ls-tree", "-r", "-z", "--end-of-options", commit, "--", "."],
    )?;
    let mut cases = BTreeMap::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let Some(tab) = entry.iter().position(|b| *b == b'\t') else {
            continue;
        };
        let (head, path) = (&entry[..tab], &entry[tab + 1..]);
        let mut fields = head.split(|b| *b == b' ');
        let (Some(mode), Some(b"blob"), Some(object)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        // A symbolic link's blob is its target, not a spec file.
        if mode == b"120000" || !is_spec_path(path) {
            continue;
        }
        let object = String::from_utf8_lossy(object);
        let bytes = git(dir, &["cat-file", "blob", &object])?;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let file = dir.join(String::from_utf8_lossy(path).as_ref());
        for loaded in load_str(&file, text).unwrap_or_default() {
            let value = serde_json::to_value(&loaded.case).expect("a case serializes");
            cases.insert(loaded.case.id, value);
        }
    }
    Ok(cases)
}

/// Whether a path in the tree (relative to the specs root) is a spec file: a name with the
/// extension `yaml` or `yml`, other than the contract at the root.
fn is_spec_path(path: &[u8]) -> bool {
    let name = path.rsplit(|b| *b == b'/').next().unwrap_or(path);
    let stem_and_ext = name
        .iter()
        .rposition(|b| *b == b'.')
        .filter(|dot| *dot > 0)
        .map(|dot| &name[dot + 1..]);
    matches!(stem_and_ext, Some(b"yaml" | b"yml")) && path != b"contract.yaml"
}

/// Runs git in `dir` and answers its standard output, or a usage error with what git said.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Error> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| Error::Usage(format!("git could not be run in {}: {e}", dir.display())))?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(Error::Usage(format!(
            "`git {}` in {}: {}",
            args.join(" "),
            dir.display(),
            said.trim()
        )));
    }
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::is_spec_path;

    #[test]
    fn spec_paths_are_the_ones_the_loader_reads() {
        for path in [
            "a.yaml",
            "b.yml",
            "sub/c.yaml",
            "sub/contract.yaml",
            "\u{e9} x.yaml",
        ] {
            assert!(is_spec_path(path.as_bytes()), "{path}");
        }
        for path in [
            "contract.yaml",
            ".yaml",
            "sub/.yml",
            "a.yaml.txt",
            "a.YAML",
            "yaml",
        ] {
            assert!(!is_spec_path(path.as_bytes()), "{path}");
        }
    }
}
