//! `verify --since REV`: which cases are new or changed since a revision, whatever the spec
//! files are called and however the revision is spelt; a revision that names no one commit (a
//! range, a tree, a blob) is refused with a clear message.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{cli, root};
use taro_conformance::error::Error;
use taro_conformance::spec;
use taro_conformance::tools::verify::{Changes, changed_since};

fn spec_file(ids: &[(&str, &str)]) -> String {
    let mut text = String::from("cases:\n");
    for (id, summary) in ids {
        text.push_str(&format!(
            "  - id: {id}\n    summary: {summary}\n    contract: [CALL-1]\n    level: required\n    call: {{ url: \"http://127.0.0.1:9/x\" }}\n    expect:\n      client:\n        settled: resolved\n"
        ));
    }
    text
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t.invalid"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// Spec files whose names git quotes unless asked not to: non-ASCII, a tab, a quote, a
/// backslash, a newline.
const ODD_NAMES: &[&str] = &[
    "\u{e9}t\u{e9}.yaml",
    "tab\there.yaml",
    "quote\"d.yaml",
    "back\\slash.yaml",
    "new\nline.yaml",
];

/// A repository with two commits: the first (tagged `v1`, an annotated tag) has `t.a` and a case
/// in each of [`ODD_NAMES`]; the second adds `t.b` and edits `t.a`.
fn repository() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    std::fs::create_dir_all(specs.join("sub")).unwrap();
    std::fs::copy(
        root().join("specs/contract.yaml"),
        specs.join("contract.yaml"),
    )
    .unwrap();
    std::fs::write(specs.join("a.yaml"), spec_file(&[("t.a", "first")])).unwrap();
    for (n, name) in ODD_NAMES.iter().enumerate() {
        let id = format!("t.odd{n}");
        std::fs::write(specs.join("sub").join(name), spec_file(&[(&id, "s")])).unwrap();
    }
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "one"]);
    git(dir.path(), &["tag", "-a", "v1", "-m", "v1"]);
    std::fs::write(specs.join("a.yaml"), spec_file(&[("t.a", "second")])).unwrap();
    std::fs::write(specs.join("b.yaml"), spec_file(&[("t.b", "s")])).unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "two"]);
    (dir, specs)
}

fn since(specs: &Path, rev: &str) -> Result<Changes, Error> {
    let suite = spec::load_dir(specs);
    assert!(suite.errors.is_empty(), "{:?}", suite.errors);
    assert_eq!(suite.cases.len(), 2 + ODD_NAMES.len());
    changed_since(&suite, rev)
}

#[test]
fn spec_files_with_names_git_would_quote_are_compared_not_counted_new() {
    let (_dir, specs) = repository();
    let changes = since(&specs, "HEAD").unwrap();
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn every_spelling_of_a_commit_compares_with_that_commit() {
    let (dir, specs) = repository();
    let first = git(dir.path(), &["rev-parse", "HEAD~1"]);
    let short = &first[..10];
    for rev in [
        "HEAD~1",
        "HEAD^",
        "v1",
        "v1^{commit}",
        "master@{1}",
        short,
        &first,
    ] {
        let rev = if rev == "master@{1}" {
            // Whatever the default branch is called.
            &format!("{}@{{1}}", git(dir.path(), &["branch", "--show-current"]))
        } else {
            rev
        };
        let changes = since(&specs, rev).unwrap_or_else(|e| panic!("{rev}: {e}"));
        assert_eq!(changes.new, ["t.b"], "{rev}");
        assert_eq!(changes.changed, ["t.a"], "{rev}");
        assert_eq!(changes.commit, first, "{rev}");
    }
}

#[test]
fn a_revision_that_names_no_one_commit_is_refused() {
    let (_dir, specs) = repository();
    for rev in [
        "HEAD^{tree}",
        "HEAD~1..HEAD",
        "HEAD~1...HEAD",
        "^HEAD",
        "HEAD:specs/a.yaml",
        "no-such-rev",
        "",
        "--all",
        "-h",
    ] {
        match since(&specs, rev) {
            Err(Error::Usage(message)) => assert!(
                message.contains(&format!("`{rev}`")) && message.contains("revision")
                    || message.contains("names no commit"),
                "{rev}: {message}"
            ),
            other => panic!("{rev}: {other:?}"),
        }
    }
    let (code, out) = cli(&[
        "verify",
        "--specs",
        specs.to_str().unwrap(),
        "--since",
        "HEAD^{tree}",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("`HEAD^{tree}` names no commit of the git repository at")
            && out.contains("give one commit, branch or tag"),
        "{out}"
    );
}
