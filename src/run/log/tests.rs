use super::*;

#[test]
fn a_log_of_a_newer_format_is_refused_by_name_and_an_old_one_reads_as_format_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.jsonl");
    let header = r#"{"type":"header","adapter":{"name":"a","version":"1","platform":"p","runtime":"r","capabilities":[]},"suite":{"cases":0,"spec_hash":""},"started":"2026-01-01T00:00:00Z"}"#;
    std::fs::write(&path, format!("{header}\n")).unwrap();
    let old = RunLog::read(&path).unwrap();
    assert_eq!((old.header.format, old.header.harness.as_str()), (1, ""));
    let newer = header.replace(
        r#""type":"header","#,
        r#""type":"header","format":2,"harness":"9.0.0","#,
    );
    std::fs::write(&path, format!("{newer}\n")).unwrap();
    let error = RunLog::read(&path).unwrap_err().to_string();
    assert!(
        error.contains("run.jsonl:1: written in run log format 2 (by taro-conformance 9.0.0)"),
        "{error}"
    );
}

const HEADER: &str = r#"{"type":"header","adapter":{"name":"a","version":"1","platform":"p","runtime":"r","capabilities":[]},"suite":{"cases":2,"spec_hash":""},"started":"2026-01-01T00:00:00Z"}"#;

/// A case line whose client value is `value`'s JSON.
fn case(id: &str, value: &str) -> String {
    format!(
        r#"{{"type":"case","id":"{id}","status":"pass","level":"required","contract":["CALL-1"],"elapsed_ms":1,"observation":{{"wire":{{}},"client":{{"settled":"resolved","value":{value},"callbacks":[],"elapsed_ms":1}}}},"mismatches":[]}}"#
    )
}

fn write_log(lines: &[String]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    (dir, path)
}

#[test]
fn a_line_longer_than_a_log_line_may_be_is_left_out_with_a_warning_naming_it() {
    let long = format!("\"{}\"", "x".repeat(MAX_LINE));
    let lines = [
        HEADER.to_string(),
        case("a.long", &long),
        case("a.kept", "1"),
    ];
    let (_dir, path) = write_log(&lines);
    let log = RunLog::read(&path).unwrap();
    assert_eq!(log.results.keys().collect::<Vec<_>>(), ["a.kept"]);
    let [left_out] = &log.left_out[..] else {
        panic!("{:?}", log.left_out)
    };
    let said = left_out.to_string();
    assert!(
        said.contains("run.jsonl:2: case `a.long`: a line of 4194") && said.contains("left out"),
        "{said}"
    );
    let merged = RunLog::merge_read(vec![(path.clone(), log)]).unwrap();
    assert_eq!(merged.warnings, [said]);
}

#[test]
fn a_long_line_is_read_with_its_values_bounded_and_kept_as_the_log_keeps_them() {
    // 1.2 MB of small numbers: past a plain line's length, within a log line's.
    let numbers = serde_json::to_string(&vec![0; 600_000]).unwrap();
    let lines = [HEADER.to_string(), case("a.long", &numbers)];
    let (_dir, path) = write_log(&lines);
    let log = RunLog::read(&path).unwrap();
    assert!(log.left_out.is_empty(), "{:?}", log.left_out);
    let value = log.results["a.long"].observation.as_ref().unwrap();
    let value = value.client.value.as_ref().unwrap();
    assert_eq!(value["of"], "array");
    assert_eq!(value["length"], numbers.len());
}

#[test]
fn a_line_that_does_not_parse_is_still_an_error_and_a_cut_last_line_is_not() {
    let (_dir, path) = write_log(&[HEADER.to_string(), "{\"type\":\"case\"".into()]);
    let error = RunLog::read(&path).unwrap_err().to_string();
    assert!(error.contains("run.jsonl:2:"), "{error}");
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.jsonl");
    std::fs::write(
        &cut,
        format!("{HEADER}\n{}\n{{\"type\":\"ca", case("a.b", "1")),
    )
    .unwrap();
    let log = RunLog::read(&cut).unwrap();
    assert_eq!(log.results.len(), 1);
    assert!(log.cut.unwrap().to_string().contains("cut.jsonl:3:"));
}
