//! Blame: does each failing case fail for the clauses it cites?
//!
//! Each clause of `specs/contract.yaml` may list, under `owns:`, the observation paths where a
//! mismatch can be its fault (`client.value.statusCode` is RES-1's and RES-2's). A failing
//! required or recommended case whose every mismatch lies at a path owned only by clauses the
//! case does not cite is a *misblame*: the matrix would hold the cited clause responsible for
//! another clause's failure (a RES-2 case that fails only because a text body was decoded
//! differently, which is RES-4's ground). A path no clause owns could be any clause's fault and
//! never makes a misblame. `lint --logs` runs this over run logs.
//!
//! A pattern is a mismatch path with wildcards: `*` stands for one segment (a key, or an index
//! written `[*]`), `**` for any number of segments, none included.
//!
//! ```
//! use taro_conformance::check::blame::PathPattern;
//! let data: PathPattern = "client.value.data.**".parse().unwrap();
//! assert!(data.matches("client.value.data"));
//! assert!(data.matches("client.value.data.items[0]"));
//! assert!(!data.matches("client.value.statusCode"));
//! let query: PathPattern = "wire.*.requests[*].query".parse().unwrap();
//! assert!(query.matches("wire.api.requests[1].query"));
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::FileError;
use crate::outcome::CaseResult;
use crate::run::log::RunLog;
use crate::spec::Level;
use crate::spec::contract::Contract;
use crate::verdict::Status;

/// One segment of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// This key or index, exactly.
    Name(String),
    /// `*`: any one segment.
    One,
    /// `**`: any number of segments, none included.
    Any,
}

/// A glob-like pattern over mismatch paths (`wire.*.requests[*].headers.content-type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    text: String,
    segments: Vec<Segment>,
}

/// Splits a path into its segments: `wire.api.requests[0].query` is `wire`, `api`,
/// `requests`, `0`, `query`.
fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split(['.', '[', ']']).filter(|s| !s.is_empty())
}

impl FromStr for PathPattern {
    type Err = String;

    fn from_str(text: &str) -> Result<PathPattern, String> {
        let mut out = Vec::new();
        for segment in text.split('.') {
            // `requests[*]` is the segment `requests` and the index `*`.
            let (name, index) = match segment.split_once('[') {
                Some((name, rest)) => {
                    let index = rest.strip_suffix(']').filter(|i| !i.contains(['[', ']']));
                    let Some(index) = index else {
                        return Err(format!(
                            "`{text}`: `{segment}` is not `name[index]`; write an index as `[0]` or `[*]`"
                        ));
                    };
                    (name, Some(index))
                }
                None => (segment, None),
            };
            if name.contains(']') {
                return Err(format!("`{text}`: `]` without `[` in `{segment}`"));
            }
            for part in std::iter::once(name).chain(index) {
                out.push(match part {
                    "" => return Err(format!("`{text}`: an empty segment")),
                    "*" => Segment::One,
                    "**" => Segment::Any,
                    p if p.contains('*') => {
                        return Err(format!(
                            "`{text}`: `*` stands for a whole segment, not part of `{p}`"
                        ));
                    }
                    p => Segment::Name(p.to_string()),
                });
            }
        }
        Ok(PathPattern {
            text: text.to_string(),
            segments: out,
        })
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PathPattern {
    /// Whether the whole of `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        let path: Vec<&str> = segments(path).collect();
        matches(&self.segments, &path)
    }
}

fn matches(pattern: &[Segment], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((Segment::Any, rest)) => (0..=path.len()).any(|skip| matches(rest, &path[skip..])),
        Some((one, rest)) => path.split_first().is_some_and(|(first, tail)| {
            let here = match one {
                Segment::Name(name) => name == first,
                _ => true,
            };
            here && matches(rest, tail)
        }),
    }
}

/// Which clauses own which paths: every clause's `owns:` patterns, parsed.
#[derive(Debug, Clone, Default)]
pub struct Ownership {
    clauses: Vec<(String, Vec<PathPattern>)>,
}

impl Ownership {
    /// The patterns of every clause of the contract; a pattern that does not parse is an error
    /// naming the contract and the clause.
    pub fn of(contract: &Contract) -> Result<Ownership, FileError> {
        let mut clauses = Vec::new();
        for clause in &contract.clauses {
            let patterns = clause
                .owns
                .iter()
                .map(|p| p.parse())
                .collect::<Result<Vec<PathPattern>, String>>()
                .map_err(|e| {
                    FileError::new(
                        &contract.path,
                        format!(
                            "clause `{}` owns a path that is not a pattern: {e}",
                            clause.id
                        ),
                    )
                })?;
            clauses.push((clause.id.clone(), patterns));
        }
        Ok(Ownership { clauses })
    }

    /// The clauses that own `path`, in the contract's order.
    pub fn owners(&self, path: &str) -> Vec<&str> {
        self.clauses
            .iter()
            .filter(|(_, patterns)| patterns.iter().any(|p| p.matches(path)))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// Whether `result` is a misblame, and if so each of its mismatch paths with their owners:
    /// a failing required or recommended case all of whose mismatches lie at paths owned,
    /// each by some clause, but by none the case cites.
    pub fn misblame(&self, result: &CaseResult) -> Option<Vec<Owned>> {
        if result.status != Status::Fail
            || result.level == Level::Informational
            || result.mismatches.is_empty()
        {
            return None;
        }
        let mut owned: Vec<Owned> = Vec::new();
        for mismatch in &result.mismatches {
            let owners = self.owners(&mismatch.path);
            if owners.is_empty()
                || owners
                    .iter()
                    .any(|o| result.contract.iter().any(|c| c == o))
            {
                return None;
            }
            if !owned.iter().any(|o| o.path == mismatch.path) {
                owned.push(Owned {
                    path: mismatch.path.clone(),
                    owners: owners.into_iter().map(String::from).collect(),
                });
            }
        }
        Some(owned)
    }

    /// Every misblame in the run log at `path`, in the order of the case ids.
    pub fn check_log(&self, path: &Path) -> Result<Vec<Misblame>, FileError> {
        let log = RunLog::read(path)?;
        let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
        Ok(log
            .results
            .values()
            .filter_map(|result| {
                let paths = self.misblame(result)?;
                Some(Misblame {
                    log: path.to_path_buf(),
                    line: line_of(&text, &result.id),
                    adapter: log.label(),
                    case: result.id.clone(),
                    cites: result.contract.clone(),
                    paths,
                })
            })
            .collect())
    }
}

/// The 1-based line of the case's last result in a run log's text (a case retried by
/// `--retry-unexpected` has a second line, which is its result).
fn line_of(text: &str, id: &str) -> Option<u64> {
    let needle = format!("\"id\":{}", serde_json::Value::String(id.to_string()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.contains("\"type\":\"case\"") && line.contains(&needle))
        .map(|(i, _)| i as u64 + 1)
        .last()
}

/// A mismatch path and the clauses that own it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owned {
    /// The path, as the verdict reported it.
    pub path: String,
    /// The clauses whose `owns:` match it.
    pub owners: Vec<String>,
}

/// A failing case that blames clauses for another clause's failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misblame {
    /// The run log.
    pub log: PathBuf,
    /// The case's line in it, when found.
    pub line: Option<u64>,
    /// The log's adapter@version.
    pub adapter: String,
    /// The case id.
    pub case: String,
    /// The clauses it cites.
    pub cites: Vec<String>,
    /// Each mismatch path, with its owners (none of them cited).
    pub paths: Vec<Owned>,
}

impl fmt::Display for Misblame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.log.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(
            f,
            ": `{}` on {} cites {} but fails only where other clauses own:",
            self.case,
            self.adapter,
            self.cites.join(", ")
        )?;
        for owned in &self.paths {
            write!(f, " {} ({})", owned.path, owned.owners.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
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
}
