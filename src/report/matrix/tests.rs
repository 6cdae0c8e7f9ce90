use super::*;

/// Writes a log of adapter `name@version` on `runtime`, slice `partition` (none: whole), with
/// a passing result for each of `ids`; returns its path.
fn write_log(
    dir: &Path,
    file: &str,
    adapter: (&str, &str, &str),
    partition: &str,
    ids: &[&str],
) -> PathBuf {
    let (name, version, runtime) = adapter;
    let mut header = serde_json::json!({"type": "header", "adapter": {"name": name, "version": version,
        "platform": "p", "runtime": runtime, "capabilities": []}, "suite": {"cases": 9, "spec_hash": ""},
        "started": "2026-01-01T00:00:00Z"});
    if !partition.is_empty() {
        let (index, count) = partition.split_once('/').unwrap();
        header["partition"] = serde_json::json!({"index": index.parse::<u32>().unwrap(), "count": count.parse::<u32>().unwrap()});
    }
    let mut lines = vec![header.to_string()];
    for id in ids {
        lines.push(
            serde_json::json!({"type": "case", "id": id, "status": "pass", "level": "required",
                "contract": [], "elapsed_ms": 1, "observation": null, "mismatches": []})
            .to_string(),
        );
    }
    let path = dir.join(file);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn the_slices_of_one_adapter_version_and_runtime_merge_into_one_column_in_the_order_given() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let paths = [
        write_log(d, "1.jsonl", ("b", "1", "node"), "1/2", &["x.one"]),
        write_log(d, "2.jsonl", ("a", "1", "node"), "", &["x.one", "x.two"]),
        write_log(d, "3.jsonl", ("b", "1", "node"), "2/2", &["x.two"]),
        write_log(d, "4.jsonl", ("b", "1", "jsdom"), "1/3", &["x.three"]),
        write_log(d, "5.jsonl", ("b", "2", "node"), "", &["x.four"]),
    ];
    let (columns, warnings) = read_columns(&paths).unwrap();
    let seen: Vec<(String, &str, Vec<&str>)> = columns
        .iter()
        .map(|c| {
            let ids = c.results.keys().map(String::as_str).collect();
            (
                format!("{}@{}", c.adapter.name, c.adapter.version),
                c.adapter.runtime.as_str(),
                ids,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("b@1".to_string(), "node", vec!["x.one", "x.two"]),
            ("a@1".to_string(), "node", vec!["x.one", "x.two"]),
            ("b@1".to_string(), "jsdom", vec!["x.three"]),
            ("b@2".to_string(), "node", vec!["x.four"]),
        ]
    );
    assert_eq!(
        warnings,
        ["b@1: slice(s) 2/3, 3/3 missing: their cases are not in the result"]
    );
    let error = read_columns(&[d.join("none.jsonl")])
        .unwrap_err()
        .to_string();
    assert!(error.contains("none.jsonl"), "{error}");
}
