//! `lint` and `docs` through the command line: every clause covered, each way the specs and the
//! two contract files can disagree refused, `lint --logs` finding a case that blames a clause it
//! does not cite, and the docs page's option table.

use std::path::Path;

use crate::common;

use common::{GOOD, cli_streams as cli, root};

#[test]
fn cli_lint_covers_every_clause() {
    let (code, stdout, stderr) = cli(&["lint"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("47/47 clauses covered (100%)"), "{stdout}");
}

#[test]
fn lint_fails_when_a_clause_loses_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("one.yaml"), GOOD).unwrap();
    let contract = dir.path().join("clauses.yaml");
    std::fs::write(
        &contract,
        "clauses:\n  - { id: METHOD-1, level: required, title: t }\n  - { id: METHOD-2, level: required, title: t }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = cli(&[
        "lint",
        "--specs",
        dir.path().to_str().unwrap(),
        "--contract",
        contract.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("clause `METHOD-2` is cited by no case"),
        "{stderr}"
    );
    assert!(stdout.contains("1/2 clauses covered (50%)"), "{stdout}");
}

/// `lint --logs`: a failing case whose only mismatch lies at a path the real contract gives to
/// clauses it does not cite is reported at its line, and the exit code says so; citing an
/// owner makes it clean.
#[test]
fn lint_logs_finds_a_case_blaming_a_clause_it_does_not_cite() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.jsonl");
    let write = |cites: &str| {
        let header = r#"{"type":"header","adapter":{"name":"x","version":"1","platform":"h5","runtime":"r","capabilities":[]},"suite":{"cases":1,"spec_hash":"h"},"started":"2026-01-01T00:00:00Z"}"#;
        let case = format!(
            r#"{{"type":"case","id":"response.status.404-is-success","status":"fail","level":"recommended","contract":[{cites}],"elapsed_ms":1,"observation":null,"mismatches":[{{"path":"client.value.data","expected":"\"missing\"","got":"null","contract":[{cites}]}}]}}"#
        );
        std::fs::write(&log, format!("{header}\n{case}\n")).unwrap();
    };
    write(r#""RES-2""#);
    let (code, stdout, stderr) = cli(&["lint", "--logs", log.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let want = format!(
        "error: {}:2: `response.status.404-is-success` on x@1 cites RES-2 but fails only where other clauses own: client.value.data (RES-3, RES-4,",
        log.display()
    );
    assert!(stderr.contains(&want), "{stderr}");
    assert!(
        stdout.contains("1 run log(s): 1 case(s) failing only where"),
        "{stdout}"
    );
    write(r#""RES-2","RES-4""#);
    let (code, stdout, stderr) = cli(&["lint", "--logs", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 run log(s): 0 case(s)"), "{stdout}");
    let (code, _, stderr) = cli(&["lint", "--logs", "no/such.jsonl"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no/such.jsonl: cannot read"), "{stderr}");
}

/// The real suite without the cases of one clause: lint must fail and name that clause.
#[test]
fn lint_fails_when_the_store_cases_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let specs = root().join("specs");
    for entry in walkdir::WalkDir::new(&specs).into_iter().flatten() {
        let rel = entry.path().strip_prefix(&specs).unwrap();
        let target = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if rel != Path::new("h5/store.yaml") {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let (code, stdout, stderr) = cli(&["lint", "--specs", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("clause `H5-STORE-1` is cited by no case"),
        "{stderr}"
    );
    assert!(stdout.contains("46/47 clauses covered"), "{stdout}");
}

#[test]
fn lint_fails_on_a_required_case_that_cannot_fail() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("one.yaml"), GOOD).unwrap();
    let (code, _, stderr) = cli(&["lint", "--specs", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("case `good.one` is required but expects nothing that could fail"),
        "{stderr}"
    );
}

/// A required or recommended case must say what each ref checks; an informational one may give
/// a bare URL. The problem names the file, the case's line and its id.
#[test]
fn lint_refuses_a_bare_ref_on_a_required_case() {
    let case = |level: &str, refs: &str| {
        format!(
            "cases:\n  - id: refs.one\n    summary: s\n    contract: [METHOD-1]\n    level: {level}\n    refs:\n{refs}    call: {{ url: \"http://127.0.0.1:9/\" }}\n    expect: {{ client: {{ settled: resolved }} }}\n"
        )
    };
    let bare = "      - https://example.com/issues/1\n";
    let checked =
        "      - url: https://example.com/issues/1\n        checks: what the case observes\n";
    let lint = |yaml: String| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("one.yaml");
        std::fs::write(&file, yaml).unwrap();
        let (_, stdout, stderr) = cli(&["lint", "--specs", dir.path().to_str().unwrap()]);
        (file, format!("{stdout}{stderr}"))
    };
    let (file, out) = lint(case("required", bare));
    let want = format!(
        "{}:2: case `refs.one` is required: its ref https://example.com/issues/1 must say what the case checks of it",
        file.display()
    );
    assert!(out.contains(&want), "{out}");
    for (level, refs) in [("required", checked), ("informational", bare)] {
        let (_, out) = lint(case(level, refs));
        assert!(
            !out.contains("must say what the case checks"),
            "{level}: {out}"
        );
    }
    let (_, out) = lint(case(
        "required",
        "      - url: https://example.com/issues/1\n",
    ));
    assert!(
        out.contains("one.yaml:7:9: case `refs.one`: `checks` is missing"),
        "{out}"
    );
}

/// Lint with the real specs and an edited copy of one of the two contract files.
fn lint_with_edited_contract(yaml: bool, edit: impl FnOnce(String) -> String) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let (flag, file) = if yaml {
        ("--contract", "specs/contract.yaml")
    } else {
        ("--contract-doc", "docs/contract.md")
    };
    let edited = dir.path().join(Path::new(file).file_name().unwrap());
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    std::fs::write(&edited, edit(text)).unwrap();
    let (code, stdout, stderr) = cli(&["lint", flag, edited.to_str().unwrap()]);
    (code, format!("{stdout}{stderr}"))
}

#[test]
fn lint_fails_on_a_clause_the_contract_text_states_but_the_list_lacks() {
    let (code, out) = lint_with_edited_contract(false, |text| {
        text + "\n### CALL-9 (required)\n\nA clause written here only.\n"
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("contract.md:") && out.contains("clause `CALL-9` is not in"),
        "{out}"
    );
}

#[test]
fn lint_fails_on_a_listed_clause_the_contract_text_does_not_state() {
    let (code, out) = lint_with_edited_contract(true, |text| {
        text.replace(
            "clauses:\n",
            "clauses:\n  - { id: CALL-9, level: required, title: \"listed here only\" }\n",
        )
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("clause `CALL-9` has no `### CALL-9 (required)` section"),
        "{out}"
    );
}

#[test]
fn lint_fails_when_the_two_contract_files_disagree_on_a_level() {
    let (code, out) = lint_with_edited_contract(false, |text| {
        text.replace("### METHOD-3 (informational)", "### METHOD-3 (required)")
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("clause `METHOD-3` is required here but informational in"),
        "{out}"
    );
}

#[test]
fn lint_refuses_a_clause_heading_it_cannot_read() {
    let (code, out) = lint_with_edited_contract(false, |text| {
        text.replace("### METHOD-3 (informational)", "### METHOD-3 informational")
    });
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("must name one clause as `### ID (level)`"),
        "{out}"
    );
}

#[test]
fn docs_prints_every_option_with_the_cases_that_check_it() {
    let (code, stdout, stderr) = cli(&["docs"]);
    assert_eq!(code, 0, "{stderr}");
    for option in [
        "url",
        "data",
        "method",
        "jsonp",
        "mode",
        "timeout",
        "retryTimes",
        "storeCheck",
    ] {
        assert!(
            stdout.contains(&format!("| `{option}` |")),
            "no row for {option}:\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("**no case**"),
        "an option no case checks:\n{stdout}"
    );
    // The English page shows the timeout's description on `mode`'s row; ours does not.
    let mode = stdout
        .lines()
        .find(|l| l.starts_with("| `mode` |"))
        .unwrap();
    assert!(
        mode.contains("`same-origin`") && mode.contains("cross-origin"),
        "{mode}"
    );
    assert!(!mode.contains("timeout"), "{mode}");
}
