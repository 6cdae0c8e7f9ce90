//! Names are what paths are built from, so they are checked where they enter: a manifest's
//! `name`, and a run log's header (a log is data, maybe from another machine). A name that could
//! leave its folder is refused with a located error, and nothing is read or written by it.

use crate::common;

use common::{cli, root};

/// A copy of a real log of the reference, its header's adapter named `name`.
fn log_named(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let base = dir.join("base.jsonl");
    if !base.is_file() {
        let (code, out) = cli(&[
            "run",
            "--filter",
            "method.get",
            "--exact",
            "--no-baseline",
            "--log",
            base.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{out}");
    }
    let text = std::fs::read_to_string(&base).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    let mut header: serde_json::Value = serde_json::from_str(header).unwrap();
    header["adapter"]["name"] = name.into();
    let path = dir.join("named.jsonl");
    std::fs::write(&path, format!("{header}\n{rest}")).unwrap();
    path
}

#[test]
fn a_logs_name_that_leaves_its_folder_writes_and_reads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let escape = dir.path().join("escaped");
    let hostile = format!("../../../../../../../..{}", escape.display());
    let log = log_named(dir.path(), &hostile);

    let (code, out) = cli(&["baseline", "update", "--from-log", log.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("named.jsonl:1: its header's adapter:")
            && out.contains("is not a usable adapter name"),
        "{out}"
    );
    assert!(
        !dir.path().join("escaped.yaml").exists(),
        "baseline update wrote where the log's name pointed"
    );

    let out_dir = dir.path().join("report");
    let (code, out) = cli(&[
        "report",
        "--log",
        log.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is not a usable adapter name"), "{out}");

    // Nor is a name that is merely not plain.
    let (code, out) = cli(&[
        "report",
        "--log",
        log_named(dir.path(), "Upper").to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
}

#[test]
fn a_manifest_whose_name_leaves_its_folder_is_refused_where_it_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("adapter.toml");
    std::fs::write(
        &manifest,
        "name = \"../../reports/baselines/example-node\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"node\", \"x.js\"]\n",
    )
    .unwrap();
    let before = std::fs::read(root().join("reports/baselines/example-node.yaml")).unwrap();
    for args in [
        &["smoke", "--adapter", manifest.to_str().unwrap()][..],
        &[
            "baseline",
            "update",
            "--adapter",
            manifest.to_str().unwrap(),
        ][..],
    ] {
        let (code, out) = cli(args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            out.contains("adapter.toml: `name`:") && out.contains("is not a usable adapter name"),
            "{args:?}: {out}"
        );
    }
    assert_eq!(
        std::fs::read(root().join("reports/baselines/example-node.yaml")).unwrap(),
        before
    );
}
