//! What the tests of local builds share: a pinned package copied and changed, packed as a pull
//! request's CI packs it, and what a run of the build says (its log's statuses, the gate's
//! findings). No network: the pinned packages come from the adapters' own installs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{output, root};

/// Copies a directory tree.
pub fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy in `into` of the pinned package `name` of the npm project `project` (a folder of
/// `adapters/`), named by the package's last segment: a local build to change.
pub fn pinned_copy(project: &str, name: &str, into: &Path) -> PathBuf {
    let pinned = root()
        .join("adapters")
        .join(project)
        .join("node_modules")
        .join(name);
    assert!(
        pinned.is_dir(),
        "set the pinned version up first ({pinned:?} is missing): taro-conformance setup"
    );
    let copy_dir = into.join(name.rsplit('/').next().unwrap());
    copy(&pinned, &copy_dir);
    copy_dir
}

/// Replaces the one occurrence of `old` in `file` with `new` (none, or several, is the pinned
/// package having moved on: said, not guessed at).
pub fn edit(file: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert_eq!(text.matches(old).count(), 1, "{old:?} in {file:?}");
    std::fs::write(file, text.replace(old, new)).unwrap();
}

/// `npm pack` of each package folder into `into`, as a pull request's CI makes its build.
pub fn pack(packages: &[PathBuf], into: &Path) {
    std::fs::create_dir_all(into).unwrap();
    for package in packages {
        let mut npm = std::process::Command::new("npm");
        npm.args(["pack", "--silent", "--pack-destination"])
            .arg(into)
            .arg(package);
        let (code, out) = output(npm);
        assert_eq!(code, 0, "{out}");
    }
}

/// Each case of a run log: (its status, its level).
pub fn statuses(log: &Path) -> BTreeMap<String, (String, String)> {
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["type"] == "case")
        .map(|case| {
            let field = |name: &str| case[name].as_str().unwrap().to_string();
            (field("id"), (field("status"), field("level")))
        })
        .collect()
}

/// The ids of `cases` that a run judges (applicable, and not informational, which never fails).
pub fn judged<'a>(
    cases: impl IntoIterator<Item = &'a taro_conformance::Case>,
    log: &Path,
) -> BTreeSet<String> {
    let statuses = statuses(log);
    cases
        .into_iter()
        .filter(|case| {
            statuses.get(&case.id).is_some_and(|(status, level)| {
                status != "not-applicable" && level != "informational"
            })
        })
        .map(|case| case.id.clone())
        .collect()
}

/// The gate's findings in a run's output (the lines under `gate: N finding(s) against …`), and
/// the ids of those that are unexpected fails.
pub fn findings(out: &str) -> (Vec<String>, BTreeSet<String>) {
    let lines: Vec<String> = out
        .lines()
        .skip_while(|l| !l.starts_with("gate: "))
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('(') && !l.contains(" of these cases: "))
        .map(str::to_string)
        .collect();
    let failed = lines
        .iter()
        .filter_map(|l| l.trim().strip_prefix("unexpected fail: "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    (lines, failed)
}

/// Every case of the suite.
pub fn suite() -> Vec<taro_conformance::Case> {
    taro_conformance::spec::load_dir(&root().join("specs"))
        .cases
        .into_iter()
        .map(|loaded| loaded.case)
        .collect()
}
