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
mod tests;
