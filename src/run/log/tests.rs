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

#[test]
fn the_missing_slices_are_those_of_each_count_that_no_log_covers() {
    let p = |text: &str| Some(text.parse::<Partition>().unwrap());
    let names = |partitions: &[Option<Partition>]| -> Vec<String> {
        missing_slices(partitions)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(names(&[p("2/3")]), ["1/3", "3/3"]);
    assert_eq!(names(&[p("1/2"), p("2/2"), p("2/3")]), ["1/3", "3/3"]);
    assert!(names(&[p("1/2"), p("2/2")]).is_empty());
    assert!(
        names(&[p("1/2"), None]).is_empty(),
        "a whole run covers every slice"
    );
    assert!(names(&[]).is_empty());
}

/// A log of adapter `a@version` on `runtime`, slice `partition`, holding cases `ids` (each with
/// the log's `version` as its first contract clause, to tell which log a result came from).
fn sliced(version: &str, runtime: &str, partition: &str, ids: &[&str]) -> RunLog {
    let header = format!(
        r#"{{"type":"header","adapter":{{"name":"a","version":"{version}","platform":"p","runtime":"{runtime}","capabilities":[]}},"suite":{{"cases":9,"spec_hash":""}},"started":"2026-01-01T00:00:00Z"}}"#
    );
    let mut header: Header = serde_json::from_str(&header).unwrap();
    header.partition = (!partition.is_empty()).then(|| partition.parse().unwrap());
    let results = ids
        .iter()
        .map(|id| {
            let line = case(id, "1").replace("CALL-1", partition);
            let result: CaseResult = serde_json::from_str(&line).unwrap();
            (id.to_string(), result)
        })
        .collect();
    RunLog {
        header,
        results,
        cut: None,
        left_out: Vec::new(),
    }
}

fn merge(logs: Vec<RunLog>) -> Result<Merged, crate::error::Error> {
    let named = logs
        .into_iter()
        .enumerate()
        .map(|(i, log)| (std::path::PathBuf::from(format!("{}.jsonl", i + 1)), log))
        .collect();
    RunLog::merge_read(named)
}

#[test]
fn the_slices_of_a_run_merge_into_one_whole_log() {
    let merged = merge(vec![
        sliced("1", "r", "1/2", &["a.one", "a.two"]),
        sliced("1", "r", "2/2", &["b.three"]),
    ])
    .unwrap();
    assert_eq!(merged.warnings, Vec::<String>::new());
    assert_eq!(merged.log.header.partition, None, "whole now");
    assert_eq!(merged.log.label(), "a@1");
    let ids: Vec<&str> = merged.log.results.keys().map(String::as_str).collect();
    assert_eq!(ids, ["a.one", "a.two", "b.three"]);
    // One log alone keeps its slice, even the only one.
    let one = merge(vec![sliced("1", "r", "1/1", &["a.one"])]).unwrap();
    assert_eq!(one.log.header.partition.unwrap().to_string(), "1/1");
}

#[test]
fn a_missing_slice_and_a_case_in_two_logs_are_warnings_the_later_log_winning() {
    let merged = merge(vec![
        sliced("1", "r", "1/3", &["a.one", "a.both"]),
        sliced("1", "r", "3/3", &["a.both"]),
    ])
    .unwrap();
    assert_eq!(
        merged.warnings,
        [
            "a@1: `a.both` is in two logs; 2.jsonl is kept",
            "a@1: slice(s) 2/3 missing: their cases are not in the result",
        ]
    );
    assert_eq!(merged.log.results["a.both"].contract, ["3/3"]);
    assert_eq!(merged.log.header.partition.unwrap().to_string(), "1/3");
}

#[test]
fn logs_of_another_adapter_version_or_runtime_are_not_merged() {
    let error = |logs: Vec<RunLog>| merge(logs).unwrap_err().to_string();
    assert_eq!(
        error(vec![
            sliced("1", "r", "1/2", &[]),
            sliced("2", "r", "2/2", &[])
        ]),
        "1.jsonl is a run of `a@1` (r) and 2.jsonl of `a@2` (r): merge only logs of one adapter@version on one runtime"
    );
    assert!(
        error(vec![
            sliced("1", "r", "1/2", &[]),
            sliced("1", "q", "2/2", &[])
        ])
        .contains("`a@1` (r) and 2.jsonl of `a@1` (q)")
    );
    assert_eq!(error(vec![]), "no run log given");
}

#[test]
fn the_first_cut_line_and_every_line_left_out_are_kept() {
    let cut = |name: &str| Some(FileError::new(name, "cut"));
    let left = |name: &str| vec![FileError::new(name, "left out")];
    let mut first = sliced("1", "r", "1/3", &[]);
    let (mut second, mut third) = (sliced("1", "r", "2/3", &[]), sliced("1", "r", "3/3", &[]));
    first.left_out = left("1.jsonl");
    (second.cut, second.left_out) = (cut("2.jsonl"), left("2.jsonl"));
    third.cut = cut("3.jsonl");
    let merged = merge(vec![first, second, third]).unwrap();
    assert_eq!(merged.log.cut.unwrap().to_string(), "2.jsonl: cut");
    assert_eq!(merged.warnings, ["1.jsonl: left out", "2.jsonl: left out"]);
    assert_eq!(merged.log.left_out.len(), 2);
    let mut first = sliced("1", "r", "1/2", &[]);
    first.cut = cut("1.jsonl");
    let merged = merge(vec![first, second_of_two()]).unwrap();
    assert_eq!(merged.log.cut.unwrap().to_string(), "1.jsonl: cut");
}

fn second_of_two() -> RunLog {
    let mut log = sliced("1", "r", "2/2", &[]);
    log.cut = Some(FileError::new("2.jsonl", "cut"));
    log
}
