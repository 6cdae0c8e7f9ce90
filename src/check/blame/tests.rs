use std::path::Path;

use rstest::rstest;

use super::*;
use crate::spec::parse_yaml;
use crate::verdict::Mismatch;

const CLAUSES: &str = "clauses:
  - { id: RES-1, level: required, title: t, owns: [client.value.statusCode, client.value.header.**] }
  - { id: RES-2, level: recommended, title: t, owns: [client.value.statusCode] }
  - { id: RES-4, level: required, title: t, owns: [client.value.data.**, client.callbacks.*.data.**] }
  - { id: DATA-1, level: required, title: t, owns: [\"wire.*.requests[*].query\"] }
";

fn ownership() -> Ownership {
    let mut contract: Contract = parse_yaml(CLAUSES, Path::new("c.yaml")).unwrap();
    contract.path = "c.yaml".into();
    Ownership::of(&contract).unwrap()
}

fn result(status: Status, level: Level, cites: &[&str], paths: &[&str]) -> CaseResult {
    let contract: Vec<String> = cites.iter().map(|c| c.to_string()).collect();
    CaseResult {
        id: "response.status.404-is-success".into(),
        status,
        level,
        contract: contract.clone(),
        elapsed_ms: 1,
        origins: Default::default(),
        observation: None,
        mismatches: paths
            .iter()
            .map(|p| Mismatch {
                path: p.to_string(),
                expected: "x".into(),
                got: "y".into(),
                contract: contract.clone(),
                reason: None,
            })
            .collect(),
        problem: None,
        stderr: None,
    }
}

#[rstest]
#[case::star_is_one_segment("client.callbacks.*", "client.callbacks.success", true)]
#[case::star_is_not_two("client.callbacks.*", "client.callbacks.success.data", false)]
#[case::double_star_is_none("client.value.data.**", "client.value.data", true)]
#[case::double_star_is_many("client.value.data.**", "client.value.data.a[2].b", true)]
#[case::double_star_in_the_middle("client.**.errMsg", "client.callbacks.fail.errMsg", true)]
#[case::index_wildcard("wire.*.requests[*].body", "wire.api.requests[3].body", true)]
#[case::index_exact("wire.*.requests[0].body", "wire.api.requests[1].body", false)]
#[case::whole_path_only("client.value", "client.value.data", false)]
#[case::name_differs("client.value.data.**", "client.value.statusCode", false)]
#[case::prefix_of_a_name("client.value.data.**", "client.value.dataset", false)]
fn patterns_match_whole_paths(#[case] pattern: &str, #[case] path: &str, #[case] hit: bool) {
    let pattern: PathPattern = pattern.parse().unwrap();
    assert_eq!(pattern.matches(path), hit, "{pattern} on {path}");
}

#[rstest]
#[case::empty_segment("client..value", "an empty segment")]
#[case::part_star("client.val*", "`*` stands for a whole segment, not part of `val*`")]
#[case::open_index("wire.requests[0.body", "is not `name[index]`")]
#[case::stray_close("wire.requests]", "`]` without `[`")]
fn bad_patterns_say_why(#[case] pattern: &str, #[case] says: &str) {
    let error = pattern.parse::<PathPattern>().unwrap_err();
    assert!(error.contains(says), "{error}");
}

#[test]
fn a_bad_pattern_in_the_contract_names_the_clause() {
    let mut contract: Contract = parse_yaml(
        &CLAUSES.replace("client.value.statusCode]", "client.*x]"),
        Path::new("c.yaml"),
    )
    .unwrap();
    contract.path = "c.yaml".into();
    let error = Ownership::of(&contract).unwrap_err().to_string();
    assert!(
        error.starts_with("c.yaml: clause `RES-2` owns a path that is not a pattern"),
        "{error}"
    );
}

#[test]
fn owners_are_every_clause_whose_pattern_matches() {
    let own = ownership();
    assert_eq!(own.owners("client.value.statusCode"), ["RES-1", "RES-2"]);
    assert_eq!(own.owners("client.callbacks.success.data"), ["RES-4"]);
    assert_eq!(own.owners("client.settled"), Vec::<&str>::new());
}

/// The 404 case cites RES-2 and fails only at the data, which RES-4 owns: flagged.
#[test]
fn flags_a_case_failing_only_at_paths_of_clauses_it_does_not_cite() {
    let case = result(
        Status::Fail,
        Level::Recommended,
        &["RES-2"],
        &["client.value.data", "client.callbacks.success.data"],
    );
    assert_eq!(
        ownership().misblame(&case),
        Some(vec![
            Owned {
                path: "client.value.data".into(),
                owners: vec!["RES-4".into()]
            },
            Owned {
                path: "client.callbacks.success.data".into(),
                owners: vec!["RES-4".into()]
            },
        ])
    );
}

/// Each thing that makes a failing case blame its own clauses, or not be judged at all.
#[rstest]
#[case::a_mismatch_at_a_cited_clause_s_path(Status::Fail, Level::Recommended, &["RES-2"], &["client.value.data", "client.value.statusCode"])]
#[case::a_path_owned_by_a_cited_clause_among_others(Status::Fail, Level::Required, &["RES-1"], &["client.value.statusCode"])]
#[case::a_path_nobody_owns(Status::Fail, Level::Recommended, &["RES-2"], &["client.value.data", "client.settled"])]
#[case::citing_the_owner(Status::Fail, Level::Required, &["RES-2", "RES-4"], &["client.value.data"])]
#[case::informational(Status::Fail, Level::Informational, &["RES-2"], &["client.value.data"])]
#[case::passing(Status::Pass, Level::Recommended, &["RES-2"], &["client.value.data"])]
#[case::not_applicable(Status::NotApplicable, Level::Recommended, &["RES-2"], &[])]
#[case::timed_out(Status::Timeout, Level::Recommended, &["RES-2"], &[])]
fn does_not_flag(
    #[case] status: Status,
    #[case] level: Level,
    #[case] cites: &[&str],
    #[case] paths: &[&str],
) {
    let case = result(status, level, cites, paths);
    assert_eq!(ownership().misblame(&case), None);
}

/// A log: the misblame is located at its line, with the adapter and the owners.
#[test]
fn a_log_s_misblames_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("taro-h5-jsdom.jsonl");
    let header = serde_json::json!({"type": "header", "adapter": {"name": "taro-h5-jsdom", "version": "4.2.1",
        "platform": "h5", "runtime": "jsdom", "capabilities": []}, "suite": {"cases": 2, "spec_hash": "h"},
        "started": "2026-01-01T00:00:00Z"});
    let line = |r: &CaseResult| {
        let mut v = serde_json::to_value(r).unwrap();
        v["type"] = "case".into();
        v.to_string()
    };
    let good = CaseResult {
        id: "data.query.basic".into(),
        ..result(
            Status::Fail,
            Level::Required,
            &["DATA-1"],
            &["wire.api.requests[0].query"],
        )
    };
    let bad = result(
        Status::Fail,
        Level::Recommended,
        &["RES-2"],
        &["client.value.data"],
    );
    let text = format!("{header}\n{}\n{}\n", line(&good), line(&bad));
    std::fs::write(&path, text).unwrap();
    let found = ownership().check_log(&path).unwrap();
    let text: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [format!(
            "{}:3: `response.status.404-is-success` on taro-h5-jsdom@4.2.1 cites RES-2 but fails only where other clauses own: client.value.data (RES-4)",
            path.display()
        )]
    );
}

#[test]
fn an_unreadable_log_is_an_error_naming_it() {
    let error = ownership()
        .check_log(Path::new("no/such.jsonl"))
        .unwrap_err();
    assert!(
        error.to_string().starts_with("no/such.jsonl: cannot read"),
        "{error}"
    );
}

#[test]
fn a_pattern_shows_as_written() {
    for text in ["client.value.data.**", "wire.*.requests[*].query"] {
        assert_eq!(text.parse::<PathPattern>().unwrap().to_string(), text);
    }
}

/// A failing case with no mismatch failed for some other reason (an action threw, say): no
/// path to blame anyone for.
#[test]
fn a_failure_without_mismatches_blames_no_one() {
    let case = result(Status::Fail, Level::Recommended, &["RES-2"], &[]);
    assert_eq!(ownership().misblame(&case), None);
}

#[test]
fn a_path_that_fails_twice_is_listed_once() {
    let case = result(
        Status::Fail,
        Level::Recommended,
        &["RES-2"],
        &["client.value.data", "client.value.data"],
    );
    let owned = ownership().misblame(&case).unwrap();
    assert_eq!(owned.len(), 1, "{owned:?}");
}

/// A case retried by `--retry-unexpected` has two lines; its result is the last, which the
/// misblame points at, whatever other cases follow.
#[test]
fn a_misblame_points_at_its_case_s_last_line() {
    let line = |r: &CaseResult| {
        let mut v = serde_json::to_value(r).unwrap();
        v["type"] = "case".into();
        v.to_string()
    };
    let bad = result(
        Status::Fail,
        Level::Recommended,
        &["RES-2"],
        &["client.value.data"],
    );
    let other = CaseResult {
        id: "z.other".into(),
        ..result(Status::Pass, Level::Required, &["RES-1"], &[])
    };
    let header = r#"{"type":"header","adapter":{"name":"a","version":"1","platform":"p","runtime":"r","capabilities":[]},"suite":{"cases":2,"spec_hash":"h"},"started":"2026-01-01T00:00:00Z"}"#;
    let text = [header.to_string(), line(&bad), line(&bad), line(&other)].join("\n") + "\n";
    assert_eq!(line_of(&text, &bad.id), Some(3));
    assert_eq!(line_of(&text, "no.such"), None);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl");
    std::fs::write(&path, &text).unwrap();
    let found = ownership().check_log(&path).unwrap();
    assert_eq!(found.iter().map(|m| m.line).collect::<Vec<_>>(), [Some(3)]);
    let unlocated = Misblame {
        line: None,
        ..found[0].clone()
    };
    assert!(
        unlocated
            .to_string()
            .starts_with(&format!("{}: `", path.display())),
        "{unlocated}"
    );
}
