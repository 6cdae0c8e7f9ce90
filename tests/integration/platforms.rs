//! Platforms are data (`adapters/platforms.toml`): `adapters --names` lists every adapter in the
//! matrix's order, which is what CI runs and the committed matrix shows.

use crate::common;

use common::cli;

#[test]
fn adapters_names_lists_every_adapter_in_the_committed_matrix_order() {
    let (code, out) = cli(&["adapters", "--names"]);
    assert_eq!(code, 0, "{out}");
    let names: Vec<&str> = out.lines().collect();
    let matrix: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("reports/matrix.json")).unwrap(),
    )
    .unwrap();
    let columns: Vec<&str> = matrix["adapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, columns);
}

/// A run log of the reference's whole suite, relabelled as an adapter of platform `platform`.
fn log_of_platform(dir: &std::path::Path, name: &str, platform: &str) -> std::path::PathBuf {
    let base = dir.join("reference.jsonl");
    if !base.is_file() {
        let (code, out) = cli(&["run", "--no-baseline", "--log", base.to_str().unwrap()]);
        assert!(code == 0 || code == 1, "{out}");
    }
    let text = std::fs::read_to_string(&base).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    let mut header: serde_json::Value = serde_json::from_str(header).unwrap();
    header["adapter"]["name"] = name.into();
    header["adapter"]["platform"] = platform.into();
    let path = dir.join(format!("{name}.jsonl"));
    std::fs::write(&path, format!("{header}\n{rest}")).unwrap();
    path
}

#[test]
fn the_support_pages_give_a_platform_they_have_never_seen_its_own_column_and_warn() {
    let dir = tempfile::tempdir().unwrap();
    let known = log_of_platform(dir.path(), "taro-weapp", "weapp");
    let unknown = log_of_platform(dir.path(), "taro-quickapp", "quickapp");
    let out_dir = dir.path().join("out");
    let (code, out) = cli(&[
        "report",
        "--log",
        unknown.to_str().unwrap(),
        "--log",
        known.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("platform `quickapp` is not in adapters/platforms.toml"),
        "{out}"
    );
    for (file, known_label) in [("support.md", "WeChat"), ("support.zh-CN.md", "微信小程序")] {
        let page = std::fs::read_to_string(out_dir.join(file)).unwrap();
        // The heading row of the first table of marks: a column per platform.
        let heading = page
            .lines()
            .find(|l| l.starts_with('|') && l.contains(known_label) && l.contains("quickapp"))
            .unwrap_or_else(|| {
                panic!("{file} has no column for quickapp beside {known_label}:\n{page}")
            });
        let known_at = heading.find(known_label).unwrap();
        let unknown_at = heading.find("quickapp").unwrap();
        assert!(
            known_at < unknown_at,
            "the known platform's column comes first, in the docs' order: {heading}"
        );
    }
}
