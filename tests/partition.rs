//! Slicing and merging: `run --partition K/N` runs one slice of the suite; `report` merges the
//! slices of one adapter@version into its column (the same rows as one whole run) and says
//! when a slice is missing; `diff` takes a directory of slices for either side.

mod common;

use std::path::Path;

use common::cli;

fn run(adapter: &str, log: &Path, partition: Option<&str>) -> String {
    let mut args = vec!["run", "--adapter", adapter, "--log", log.to_str().unwrap()];
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
    let mut whole_logs = Vec::new();
    let mut slice_logs = Vec::new();
    for adapter in ["reference", "example-node"] {
        let log = dir.path().join(format!("{adapter}.jsonl"));
        run(adapter, &log, None);
        whole_logs.push(log);
        std::fs::create_dir_all(sliced.join(adapter)).unwrap();
        let mut counted = 0;
        for k in 1..=4 {
            let log = sliced.join(adapter).join(format!("{k}.jsonl"));
            let out = run(adapter, &log, Some(&format!("{k}/4")));
            counted += out
                .lines()
                .find_map(|l| {
                    l.split(" cases on `")
                        .next()
                        .filter(|_| l.contains(" cases on `"))
                })
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or_else(|| panic!("{out}"));
            slice_logs.push(log);
        }
        let (_, listed) = cli(&["list"]);
        assert_eq!(
            counted,
            listed.lines().count(),
            "each case in exactly one slice"
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
    let (code, out) = report(&whole_logs, &whole);
    assert_eq!(code, 0, "{out}");
    let (code, out) = report(&slice_logs, &sliced);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("warning"), "{out}");
    assert_eq!(rows(&whole), rows(&sliced));

    // One slice short: said, and its cases are blank.
    let (code, out) = report(&slice_logs[..7], &dir.path().join("short"));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "warning: example-node@1.0.0: slice(s) 4/4 missing: their cases are not in the result"
        ),
        "{out}"
    );

    // `diff` of the whole run and the directory of its slices: nothing changed.
    let (code, out) = cli(&[
        "diff",
        whole_logs[1].to_str().unwrap(),
        sliced.join("example-node").to_str().unwrap(),
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
