//! `verify`: the cases new or changed since a git revision run several times, failing when one
//! ends differently from run to run; a change with no such case, or stable ones, passes.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{cli, root};

/// A spec file of cases that ask only for a resolved call, each `(id, extra client line)`.
fn spec_file(cases: &[(&str, &str)]) -> String {
    let mut text = String::from("cases:\n");
    for (id, extra) in cases {
        text.push_str(&format!(
            "  - id: {id}\n    summary: s\n    contract: [CALL-1]\n    level: required\n    call: {{ url: \"http://127.0.0.1:9/x\" }}\n    expect:\n      client:\n        settled: resolved\n{extra}"
        ));
    }
    text
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t.invalid"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// A repository whose last commit has one spec file with the case `t.stable`, and an adapter
/// (tests/adapters/misbehave.js in `jitter` mode) that says every case took 5 ms in its 1st,
/// 3rd, … process and 500 ms in the others.
fn repository() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    std::fs::create_dir(&specs).unwrap();
    std::fs::copy(
        root().join("specs/contract.yaml"),
        specs.join("contract.yaml"),
    )
    .unwrap();
    std::fs::write(specs.join("a.yaml"), spec_file(&[("t.stable", "")])).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "specs"]);
    let adapter = dir.path().join("adapter");
    std::fs::create_dir(&adapter).unwrap();
    let manifest = adapter.join("adapter.toml");
    std::fs::write(
        &manifest,
        format!(
            "name = \"jitter\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"node\", {:?}, \"jitter\"]\n",
            root().join("tests/adapters/misbehave.js").display().to_string()
        ),
    )
    .unwrap();
    (dir, specs, manifest)
}

fn verify(specs: &Path, manifest: &Path) -> (i32, String) {
    let log = specs.with_file_name("verify.jsonl");
    cli(&[
        "verify",
        "--log",
        log.to_str().unwrap(),
        "--specs",
        specs.to_str().unwrap(),
        "--adapter",
        manifest.to_str().unwrap(),
        "--times",
        "4",
    ])
}

#[test]
fn a_new_timing_sensitive_case_that_varies_fails_verify() {
    let (_dir, specs, manifest) = repository();
    let (code, out) = verify(&specs, &manifest);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("no case is new or changed since HEAD ("),
        "{out}"
    );

    // A case that holds only when the call takes under 100 ms, on an adapter whose timing varies.
    std::fs::write(
        specs.join("b.yaml"),
        spec_file(&[("t.timing", "        elapsedMs: { max: 100 }\n")]),
    )
    .unwrap();
    let (code, out) = verify(&specs, &manifest);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("1 new and 0 changed case(s) since HEAD (") && out.contains("): t.timing"),
        "{out}"
    );
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("t.timing: "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("pass") && line.contains("fail"), "{line}");
    assert!(!out.contains("t.stable:"), "{out}");
}

#[test]
fn changed_cases_that_hold_every_time_pass_verify() {
    let (_dir, specs, manifest) = repository();
    // The committed case, edited; a new one in another file; neither depends on timing.
    std::fs::write(
        specs.join("a.yaml"),
        spec_file(&[("t.stable", "        callbacks: []\n")]),
    )
    .unwrap();
    std::fs::write(specs.join("b.yaml"), spec_file(&[("t.other", "")])).unwrap();
    let (code, out) = verify(&specs, &manifest);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 new and 1 changed case(s) since HEAD (")
            && out.contains("): t.other, t.stable"),
        "{out}"
    );
    assert!(
        out.contains("2 case(s) on `")
            && out.contains("4 runs: every case ended the same way every time"),
        "{out}"
    );
}

#[test]
fn a_case_moved_to_another_file_is_no_change_and_a_bad_revision_is_a_usage_error() {
    let (_dir, specs, manifest) = repository();
    std::fs::rename(specs.join("a.yaml"), specs.join("moved.yaml")).unwrap();
    let (code, out) = verify(&specs, &manifest);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no case is new or changed"), "{out}");

    let (code, out) = cli(&[
        "verify",
        "--specs",
        specs.to_str().unwrap(),
        "--since",
        "no-such-rev",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no-such-rev"), "{out}");
    let (code, out) = cli(&["verify", "--specs", specs.to_str().unwrap(), "--times", "1"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--times takes 2 or more"), "{out}");
}
