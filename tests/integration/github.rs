//! GitHub Actions: with `GITHUB_STEP_SUMMARY` set, `run`, `report` and `diff` append their
//! Markdown summaries to that file; with `GITHUB_ACTIONS=true` (or `--annotations github`), a
//! case the gate found something about is annotated at its own line in its spec file, and a
//! bad spec file at its error's line.

use crate::common;

use std::path::Path;

use common::{cli_env, root};

/// The 1-based line of `- id: ID` in a spec file.
fn id_line(file: &str, id: &str) -> usize {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    1 + text
        .lines()
        .position(|l| l.trim() == format!("- id: {id}"))
        .unwrap()
}

#[test]
fn the_job_summary_and_annotations_say_what_the_gate_found() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let baseline = dir.path().join("empty.yaml");
    std::fs::write(&baseline, "adapter: \"example-node\"\nexpected: []\n").unwrap();
    let log = dir.path().join("run.jsonl");
    let run = |env: &[(&str, &Path)], extra: &[&str]| {
        let mut args = vec![
            "run",
            "--adapter",
            "example-node",
            "--filter",
            "method.",
            "--baseline",
            baseline.to_str().unwrap(),
            "--log",
            log.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        cli_env(&args, env)
    };
    let actions = Path::new("true");
    let (code, out) = run(
        &[
            ("GITHUB_STEP_SUMMARY", &summary),
            ("GITHUB_ACTIONS", actions),
        ],
        &[],
    );
    assert_eq!(code, 1, "{out}");
    let line = id_line("specs/method/methods.yaml", "method.trace");
    let expected = format!(
        "::error file=specs/method/methods.yaml,line={line},title=example-node%3A method.trace::unexpected fail: method.trace is not in the baseline%0A"
    );
    assert!(out.lines().any(|l| l.starts_with(&expected)), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::error ")).count(),
        2,
        "{out}"
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.contains("### `example-node`: ❌ 2 finding(s)"),
        "{text}"
    );
    assert!(text.contains("| required | "), "{text}");
    assert!(
        text.contains("| unexpected fail: method.trace is not in the baseline | `cargo run -- run --adapter example-node --exact --filter method.trace` |"),
        "{text}"
    );

    // Outside Actions: no annotation unless asked for, and no summary file written.
    let (_, out) = run(&[], &[]);
    assert!(!out.contains("::error"), "{out}");
    let (_, out) = run(&[], &["--annotations", "github"]);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::error ")).count(),
        2,
        "{out}"
    );

    // `report` and `diff` append theirs.
    let (code, out) = cli_env(
        &[
            "report",
            "--log",
            log.to_str().unwrap(),
            "--out",
            dir.path().join("reports").to_str().unwrap(),
        ],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = cli_env(
        &["diff", log.to_str().unwrap(), log.to_str().unwrap()],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("### Support matrix"), "{text}");
    assert!(text.contains("| `example-node` | "), "{text}");
    assert!(text.contains("0 fixed · 0 broken"), "{text}");
}

#[test]
fn a_bad_spec_file_is_annotated_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("method")).unwrap();
    std::fs::copy(
        root().join("specs/method/methods.yaml"),
        dir.path().join("method/methods.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("method/bad.yaml"),
        "cases:\n  - id: bad.one\n    summary: s\n    level: required\n    contract: [METHOD-1]\n    call: {url: 7}\n",
    )
    .unwrap();
    let (code, out) = cli_env(
        &[
            "run",
            "--specs",
            dir.path().to_str().unwrap(),
            "--filter",
            "method.get",
        ],
        &[("GITHUB_ACTIONS", Path::new("true"))],
    );
    assert_eq!(code, 2, "{out}");
    let bad = dir.path().join("method/bad.yaml");
    let annotation = out
        .lines()
        .find(|l| l.starts_with("::error ") && l.contains("title=bad spec file"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        annotation.starts_with(&format!("::error file={},line=", bad.display())),
        "{annotation}"
    );
    assert!(
        !annotation.contains("line=1,"),
        "at the error's own line: {annotation}"
    );
}
