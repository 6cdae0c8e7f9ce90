//! A broad break (one cause, many cases: a build whose `Taro.request` is missing) is said once
//! in `diff` and in the job summary, and GitHub's annotations stop at what it shows, with one
//! notice for the rest.

use crate::common;

use std::path::Path;

use common::{cli_env, script_adapter};

const CAUSE: &str = "got threw (TypeError: Taro.request is not a function)";

/// The method, header and data cases on the reference (`old.jsonl`) and on an adapter whose every
/// call throws (`new.jsonl`, judged by an empty baseline, with these variables and options).
fn broad_break(dir: &Path, env: &[(&str, &Path)], extra: &[&str]) -> (i32, String) {
    let old = dir.join("old.jsonl");
    let filters = [
        "--filter", "method.", "--filter", "header.", "--filter", "data.",
    ];
    let mut args = vec!["run", "--no-baseline", "--log", old.to_str().unwrap()];
    args.extend_from_slice(&filters);
    assert_eq!(cli_env(&args, &[]).0, 0, "the reference passes them");
    let manifest = script_adapter(
        &dir.join("adapter.toml"),
        "gone",
        "misbehave.js",
        "threw",
        "",
    );
    let baseline = dir.join("baseline.yaml");
    std::fs::write(&baseline, "adapter: gone\nexpected: []\n").unwrap();
    let new = dir.join("new.jsonl");
    let mut args = vec![
        "run",
        "--adapter",
        manifest.to_str().unwrap(),
        "--baseline",
        baseline.to_str().unwrap(),
        "--log",
        new.to_str().unwrap(),
    ];
    args.extend_from_slice(&filters);
    args.extend_from_slice(extra);
    cli_env(&args, env)
}

#[test]
fn diff_says_a_broad_break_once_with_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out) = broad_break(dir.path(), &[], &[]);
    assert_eq!(code, 1, "{out}");
    let (old, new) = (dir.path().join("old.jsonl"), dir.path().join("new.jsonl"));
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());

    let (code, json) = cli_env(&["diff", old, new, "--json"], &[]);
    assert_eq!(code, 1, "{json}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let broken: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["change"] == "broken")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let shared = &json["shared"][0];
    assert_eq!(shared["section"], "Broken", "{json}");
    assert_eq!(shared["cause"], CAUSE, "{json}");
    let ids: Vec<&str> = shared["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    assert!(ids.len() > 30, "a broad break: {ids:?}");
    assert!(ids.iter().all(|id| broken.contains(id)), "{json}");

    let (code, markdown) = cli_env(&["diff", old, new], &[]);
    assert_eq!(code, 1, "{markdown}");
    let group = format!("## Broken\n\n- {} cases: {CAUSE}\n  - `", ids.len());
    assert!(markdown.contains(&group), "{markdown}");
    for id in &ids {
        assert_eq!(
            markdown.matches(&format!("`{id}`")).count(),
            1,
            "{id} is named once, in its group:\n{markdown}"
        );
    }
    assert!(
        markdown.lines().count() < 20 + broken.len() - ids.len(),
        "the grouped cases' mismatches are not repeated:\n{markdown}"
    );
    // A wrong grouping that drops a case's line would fail this: every broken case is named.
    for id in &broken {
        assert!(markdown.contains(&format!("`{id}`")), "{id}:\n{markdown}");
    }

    // Backwards, the same cases are fixed, grouped by what the old run said.
    let (code, fixed) = cli_env(&["diff", new, old], &[]);
    assert_eq!(code, 0, "{fixed}");
    let group = format!("## Fixed\n\n- {} cases: {CAUSE}\n  - `", ids.len());
    assert!(fixed.contains(&group), "{fixed}");

    // Under a title, as one section of a job summary.
    let (_, titled) = cli_env(&["diff", old, new, "--title", "What changes"], &[]);
    assert!(
        titled.starts_with("### What changes\n\n`reference@"),
        "{titled}"
    );
    assert!(titled.contains("\n#### Broken\n\n- "), "{titled}");
}

#[test]
fn the_job_summary_gives_one_row_to_a_shared_cause_and_annotations_stop_at_ten() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let actions = Path::new("true");
    let env = [
        ("GITHUB_STEP_SUMMARY", summary.as_path()),
        ("GITHUB_ACTIONS", actions),
    ];
    let (code, out) = broad_break(dir.path(), &env, &[]);
    assert_eq!(code, 1, "{out}");
    let text = std::fs::read_to_string(&summary).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("| **") && l.contains(CAUSE))
        .unwrap_or_else(|| panic!("no row for the shared cause:\n{text}"));
    let count: usize = row["| **".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count > 30, "{row}");
    assert!(row.contains("<br>`data.body.array-json`, `"), "{row}");
    assert!(row.contains(" more |"), "past 30 ids, a count: {row}");
    assert!(
        !text.contains("| unexpected fail: method.get is not in the baseline"),
        "a grouped finding has no row of its own:\n{text}"
    );

    let errors = out.lines().filter(|l| l.starts_with("::error ")).count();
    assert_eq!(errors, 10, "{out}");
    let notices: Vec<&str> = out.lines().filter(|l| l.starts_with("::notice ")).collect();
    assert_eq!(notices.len(), 1, "{out}");
    let findings = out
        .lines()
        .filter(|l| l.trim_start().starts_with("unexpected fail: "))
        .count();
    assert!(
        notices[0].starts_with(&format!(
            "::notice title={} more finding(s) not annotated::",
            findings - 10
        )) && notices[0].contains("this step's log"),
        "{}",
        notices[0]
    );

    // `--annotations none` and `--no-job-summary`: nothing for GitHub, even in Actions.
    std::fs::remove_file(&summary).unwrap();
    let (code, out) = broad_break(
        dir.path(),
        &env,
        &["--annotations", "none", "--no-job-summary"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        !out.contains("::error") && !out.contains("::notice"),
        "{out}"
    );
    assert!(
        !summary.exists(),
        "{}",
        std::fs::read_to_string(&summary).unwrap()
    );
}
