//! Doubts: cells whose evidence stands on a model of a closed client (the mini-program
//! platforms' native `request`) where the vendor's documentation and field reports about the
//! real client disagree. The model follows one of them; the matrix and the support page mark the
//! cell (❓) and link the reports, instead of showing the model's choice as if it were settled.
//!
//! Doubts are written by hand, with their sources, in `reports/doubts.yaml` (beside the
//! baselines' reasons):
//!
//! ```
//! use taro_conformance::report::doubt::Doubts;
//! let doubts = Doubts::parse(
//!     "doubts:
//!   - id: alipay-http-errors
//!     adapters: [taro-alipay]
//!     cases: [response.status.404-is-success]
//!     docs: my.request's page says a 4xx or 5xx reply reaches fail with error 19.
//!     field: Reports say some clients call success with the status.
//!     refs: [https://example.com/a]
//! ",
//!     "doubts.yaml".as_ref(),
//! )
//! .unwrap();
//! assert_eq!(doubts.of("taro-alipay", "response.status.404-is-success").len(), 1);
//! assert!(doubts.of("taro-weapp", "response.status.404-is-success").is_empty());
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::FileError;
use crate::spec::Suite;

/// Where the doubts are kept.
pub const DOUBTS_PATH: &str = "reports/doubts.yaml";

/// One doubt: where documentation and field reports disagree about a platform's client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Doubt {
    /// A short id (its anchor in the reports).
    pub id: String,
    /// The adapters whose cells it concerns (their names, as in the logs).
    pub adapters: Vec<String>,
    /// The cases whose result on those adapters it puts in doubt.
    pub cases: Vec<String>,
    /// What the vendor's documentation says (or that it is silent).
    pub docs: String,
    /// What the field reports say the real client does.
    pub field: String,
    /// The model's choice, and why.
    #[serde(default)]
    pub model: String,
    /// The field reports and pages (URLs).
    pub refs: Vec<String>,
}

/// Every doubt.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Doubts {
    /// The doubts, in the file's order.
    pub doubts: Vec<Doubt>,
    /// The file they were read from.
    #[serde(skip)]
    pub path: PathBuf,
}

impl Doubts {
    /// Reads the file; a missing file is no doubt at all.
    pub fn load(path: &Path) -> Result<Doubts, FileError> {
        if !path.exists() {
            return Ok(Doubts::default());
        }
        let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
        Doubts::parse(&text, path)
    }

    /// Parses the text of a doubts file. An id must be lower-case words joined by `-`: it is
    /// an anchor in the pages, written into links and HTML attributes.
    pub fn parse(text: &str, path: &Path) -> Result<Doubts, FileError> {
        let mut doubts: Doubts = crate::spec::parse_yaml(text, path)?;
        doubts.path = path.to_path_buf();
        let plain = |id: &str| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        if let Some(doubt) = doubts.doubts.iter().find(|d| !plain(&d.id)) {
            return Err(FileError::new(
                path,
                format!(
                    "doubt id {:?} must be lower-case words joined by `-` (a-z, 0-9), like `alipay-http-errors`",
                    doubt.id
                ),
            ));
        }
        Ok(doubts)
    }

    /// The doubts about one case on one adapter.
    pub fn of(&self, adapter: &str, case: &str) -> Vec<&Doubt> {
        self.doubts
            .iter()
            .filter(|d| {
                d.adapters.iter().any(|a| a == adapter) && d.cases.iter().any(|c| c == case)
            })
            .collect()
    }

    /// What is wrong with the file given the suite: a case id no case has, a doubt without a
    /// reference or with one that is not a URL, two doubts with one id.
    pub fn check(&self, suite: &Suite) -> Vec<FileError> {
        let mut problems = Vec::new();
        let problem = |message: String| FileError::new(&self.path, message);
        for (k, doubt) in self.doubts.iter().enumerate() {
            if self.doubts[..k].iter().any(|d| d.id == doubt.id) {
                problems.push(problem(format!("doubt `{}` is listed twice", doubt.id)));
            }
            for case in &doubt.cases {
                if !suite.cases.iter().any(|c| &c.case.id == case) {
                    problems.push(problem(format!(
                        "doubt `{}` names `{case}`, which no case of the suite has",
                        doubt.id
                    )));
                }
            }
            if doubt.refs.is_empty() || doubt.adapters.is_empty() || doubt.cases.is_empty() {
                problems.push(problem(format!(
                    "doubt `{}` needs at least one adapter, one case and one reference",
                    doubt.id
                )));
            }
            for url in doubt.refs.iter().filter(|r| !r.starts_with("https://")) {
                problems.push(problem(format!(
                    "doubt `{}`: reference `{url}` is not an https:// URL",
                    doubt.id
                )));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load_str;

    const DOUBTS: &str = "doubts:
  - id: d
    adapters: [a]
    cases: [x.one]
    docs: silent
    field: says so
    refs: [https://example.com/1]
";

    fn suite() -> Suite {
        let cases = "cases:
  - id: x.one
    summary: s
    contract: [A-1]
    level: required
    call: { url: \"http://127.0.0.1:9/\" }
    expect: { client: { settled: rejected } }
";
        Suite {
            cases: load_str(Path::new("s.yaml"), cases).unwrap(),
            ..Suite::default()
        }
    }

    fn problems(edit: impl Fn(&str) -> String) -> Vec<String> {
        let doubts = Doubts::parse(&edit(DOUBTS), Path::new("doubts.yaml")).unwrap();
        doubts
            .check(&suite())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_consistent_file_is_clean() {
        assert_eq!(problems(str::to_string), Vec::<String>::new());
    }

    #[test]
    fn each_rule_broken_once_names_the_doubt() {
        assert_eq!(
            problems(|t| t.replace("[x.one]", "[x.two]")),
            ["doubts.yaml: doubt `d` names `x.two`, which no case of the suite has"]
        );
        assert_eq!(
            problems(|t| t.replace("[https://example.com/1]", "[]")),
            ["doubts.yaml: doubt `d` needs at least one adapter, one case and one reference"]
        );
        assert_eq!(
            problems(|t| t.replace("https://example.com/1", "example.com")),
            ["doubts.yaml: doubt `d`: reference `example.com` is not an https:// URL"]
        );
        assert_eq!(
            problems(|t| format!("{t}{}", &t["doubts:\n".len()..])),
            ["doubts.yaml: doubt `d` is listed twice"]
        );
    }

    #[test]
    fn an_id_that_is_no_plain_anchor_is_refused() {
        let error = Doubts::parse(
            &DOUBTS.replace("id: d", "id: 'd\"><script>'"),
            Path::new("doubts.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("must be lower-case words"), "{error}");
    }

    #[test]
    fn a_missing_file_is_no_doubt_and_an_unknown_field_is_refused_where_it_is() {
        assert!(
            Doubts::load(Path::new("no/such/doubts.yaml"))
                .unwrap()
                .doubts
                .is_empty()
        );
        let error = Doubts::parse(&DOUBTS.replace("docs:", "doc:"), Path::new("doubts.yaml"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("doubts.yaml:5:5: unknown field `doc`"),
            "{error}"
        );
    }
}
