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
/// (`HEAD`: the last commit). Cases are compared as data, so moving one to another file or
/// reformatting it is no change.
pub fn changed_since(suite: &Suite, rev: &str) -> Result<Changes, Error> {
    let before = cases_at(&suite.root, rev)?;
    let mut changes = Changes::default();
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

/// Every case of the spec files under `dir` as they were at `rev`, by id, as data. A file that
/// did not load then contributes nothing: its cases count as new.
pub fn cases_at(dir: &Path, rev: &str) -> Result<BTreeMap<String, serde_json::Value>, Error> {
    if rev.starts_with('-') {
        return Err(Error::Usage(format!("`{rev}` is not a git revision")));
    }
    let listing = git(dir, &["ls-tree", "-r", "--name-only", rev, "--", "."])?;
    let mut cases = BTreeMap::new();
    for file in listing
        .lines()
        .filter(|f| f.ends_with(".yaml") || f.ends_with(".yml"))
    {
        let text = git(dir, &["show", &format!("{rev}:./{file}")])?;
        for loaded in load_str(&dir.join(file), &text).unwrap_or_default() {
            let value = serde_json::to_value(&loaded.case).expect("a case serializes");
            cases.insert(loaded.case.id, value);
        }
    }
    Ok(cases)
}

/// Runs git in `dir` and answers its standard output, or a usage error with what git said.
fn git(dir: &Path, args: &[&str]) -> Result<String, Error> {
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
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
