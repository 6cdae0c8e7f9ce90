//! Slicing and merging: `run --partition K/N` runs one slice of the suite; `report` merges the
//! slices of one adapter@version into its column (the same rows as one whole run) and says
//! when a slice is missing; `diff` takes a directory of slices for either side.

use crate::common;

use std::path::Path;

use common::cli;

/// The adapters the suite is sliced on.
const ADAPTERS: [&str; 2] = ["reference", "example-node"];

/// Runs both adapters at once (one slice of the suite, or all of it) with their logs in `dir`;
/// returns what it printed.
fn run(dir: &Path, partition: Option<&str>) -> String {
    let mut args = vec!["run", "--log-dir", dir.to_str().unwrap()];
    for adapter in ADAPTERS {
        args.extend(["--adapter", adapter]);
    }
    if let Some(partition) = partition {
        args.extend(["--partition", partition]);
    }
    let (code, out) = cli(&args);
    assert_eq!(code, 0, "{out}");
    out
}

fn rows(out: &Path) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("matrix.json")).unwrap()).unwrap();
    json["rows"].clone()
}

#[test]
fn four_slices_merged_make_the_same_matrix_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, sliced) = (dir.path().join("whole"), dir.path().join("sliced"));
    run(&whole, None);
    let whole_logs: Vec<_> = ADAPTERS
        .iter()
        .map(|a| whole.join(format!("{a}.jsonl")))
        .collect();
    // Each slice is one run of both adapters; the logs are listed by adapter, then slice.
    let mut counted = [0; ADAPTERS.len()];
    for k in 1..=4 {
        let out = run(&sliced.join(k.to_string()), Some(&format!("{k}/4")));
        for (adapter, count) in ADAPTERS.iter().zip(&mut counted) {
            let said = format!("== `{adapter}` (");
            *count += out
                .lines()
                .filter(|l| l.starts_with(&said))
                .find_map(|l| {
                    l.split(": ")
                        .nth(1)?
                        .strip_suffix(" cases")?
                        .parse::<usize>()
                        .ok()
                })
                .unwrap_or_else(|| panic!("no count for {adapter}: {out}"));
        }
    }
    let sliced = &sliced;
    let slice_logs: Vec<_> = ADAPTERS
        .iter()
        .flat_map(|a| (1..=4).map(move |k| sliced.join(k.to_string()).join(format!("{a}.jsonl"))))
        .collect();
    let (_, listed) = cli(&["list"]);
    for (adapter, count) in ADAPTERS.iter().zip(counted) {
        assert_eq!(
            count,
            listed.lines().count(),
            "each case of {adapter} in exactly one slice"
        );
    }
    let report = |logs: &[std::path::PathBuf], out: &Path| {
        let mut args = vec![
            "report".to_string(),
            "--out".into(),
            out.to_str().unwrap().into(),
        ];
        for log in logs {
            args.extend(["--log".into(), log.to_str().unwrap().into()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cli(&args)
    };
    let (whole_matrix, sliced_matrix) = (
        dir.path().join("whole-matrix"),
        dir.path().join("sliced-matrix"),
    );
    let (code, out) = report(&whole_logs, &whole_matrix);
    assert_eq!(code, 0, "{out}");
    let (code, out) = report(&slice_logs, &sliced_matrix);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("warning"), "{out}");
    assert_eq!(rows(&whole_matrix), rows(&sliced_matrix));

    // One slice short: said, and its cases are blank.
    let (code, out) = report(&slice_logs[..7], &dir.path().join("short"));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "warning: example-node@1.0.0: slice(s) 4/4 missing: their cases are not in the result"
        ),
        "{out}"
    );

    // `diff` of the whole run and a directory of its slices: nothing changed.
    let example_node_slices = dir.path().join("example-node-slices");
    std::fs::create_dir_all(&example_node_slices).unwrap();
    for (k, log) in slice_logs[4..].iter().enumerate() {
        std::fs::copy(log, example_node_slices.join(format!("{}.jsonl", k + 1))).unwrap();
    }
    let (code, out) = cli(&[
        "diff",
        whole_logs[1].to_str().unwrap(),
        example_node_slices.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("0 fixed · 0 broken · 0 failing differently · 0 new · 0 removed"),
        "{out}"
    );
    // Slices of two adapters are not one run.
    let mixed = dir.path().join("mixed");
    std::fs::create_dir_all(&mixed).unwrap();
    std::fs::copy(&slice_logs[0], mixed.join("a.jsonl")).unwrap();
    std::fs::copy(&slice_logs[5], mixed.join("b.jsonl")).unwrap();
    let (code, out) = cli(&[
        "diff",
        whole_logs[1].to_str().unwrap(),
        mixed.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("merge only logs of one adapter@version"),
        "{out}"
    );
}

#[test]
fn a_bad_partition_is_refused() {
    for bad in ["0/4", "5/4", "1", "a/b", "1/0"] {
        let (code, out) = cli(&["run", "--partition", bad]);
        assert_eq!(code, 2, "{bad}: {out}");
        assert!(out.contains("not K/N with 1 <= K <= N"), "{bad}: {out}");
    }
}
