//! The reports: everything the harness writes from run logs for people and programs to read.
//! Each format is a module of its own: the [`matrix`] (Markdown and JSON), its [`html`] page,
//! the [`support`] pages, the run's [`summary`], [`junit`] XML, [`github`] annotations, the
//! [`diff`] of two runs; beside them the [`doubt`]s a cell may carry, the [`links`] every page
//! shares, the [`sink`]s every output passes what it quotes through, and the [`schemas`] of what
//! programs read.

pub mod diff;
pub mod doubt;
pub mod github;
pub mod html;
pub mod junit;
pub mod links;
pub mod matrix;
pub mod schemas;
pub mod sink;
pub mod summary;
pub mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::run::gate::{self, Baseline};
use crate::spec::Suite;
use crate::spec::contract::{CONTRACT_PATH, Contract};

/// Everything made of a set of run logs: the matrix (with its doubted cells marked), the support
/// page, and what the HTML page needs besides. `report` writes or checks it; `run --report`
/// writes it for the logs the run wrote.
pub struct Reports {
    /// The logs' columns, in the order given.
    pub columns: Vec<matrix::Column>,
    /// The matrix, with the doubted cells marked.
    pub matrix: matrix::Matrix,
    /// What reading the logs left out, one line each (a cut last line, unknown case ids).
    pub warnings: Vec<String>,
    contract: Contract,
    baselines: BTreeMap<String, Baseline>,
    page: support::Support,
}

/// A committed page that no longer says what the logs say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The page.
    pub path: PathBuf,
    /// Why, where more than "its rows differ" is known (the HTML page's template, say).
    pub why: Option<String>,
}

/// What [`Reports::write`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// `matrix.md` and `matrix.json`.
    pub matrix: [PathBuf; 2],
    /// The support pages.
    pub support: Vec<PathBuf>,
    /// `matrix.html`, when asked for.
    pub html: Option<PathBuf>,
}

impl Reports {
    /// Reads the logs and builds the matrix and the support page from them, marking the cells
    /// that `doubts` puts in doubt.
    pub fn from_logs(suite: &Suite, logs: &[PathBuf], doubts: &Path) -> Result<Reports, Error> {
        let (columns, mut warnings) = matrix::read_columns(logs)?;
        for column in &columns {
            if let Some(cut) = &column.cut {
                warnings.push(format!(
                    "{cut} (the last line, cut short by an interrupted run: left out)"
                ));
            }
            let unknown = column.unknown_ids(suite);
            if !unknown.is_empty() {
                warnings.push(format!(
                    "`{}@{}`: {} case(s) the suite does not have, left out: {}",
                    column.adapter.name,
                    column.adapter.version,
                    unknown.len(),
                    unknown.join(", ")
                ));
            }
        }
        let mut built = matrix::matrix(suite, &columns);
        for platform in support::unknown_platforms(&built) {
            warnings.push(format!(
                "platform `{platform}` is not in {}: its column on the support pages is \
                 labelled `{platform}`",
                crate::adapter::platforms::PLATFORMS_PATH
            ));
        }
        let doubts = doubt::Doubts::load(doubts)?;
        for d in &doubts.doubts {
            for r in d.refs.iter().filter(|r| sink::link_target(r).is_none()) {
                warnings.push(format!(
                    "doubt `{}`: reference `{r}` is no https:// URL: the pages do not link it",
                    d.id
                ));
            }
        }
        matrix::mark_doubts(&mut built, &doubts);
        let contract = Contract::load(CONTRACT_PATH.as_ref())?;
        let baselines = gate::committed_baselines(built.adapters.iter().map(|a| a.name.as_str()))?;
        let page = support::build(&contract, suite, &built, &support::reasons_of(&baselines));
        Ok(Reports {
            columns,
            matrix: built,
            warnings,
            contract,
            baselines,
            page,
        })
    }

    /// Writes matrix.md, matrix.json and the support pages into `out`, and with `html`
    /// matrix.html.
    pub fn write(self, suite: &Suite, out: &Path, html: bool) -> Result<Written, Error> {
        let matrix = matrix::write(&self.matrix, out)?;
        let support = support::write(&self.page, &self.contract, out)?;
        let html = if html {
            let sources = html::Sources {
                contract: Some(self.contract),
                baselines: self.baselines,
            };
            let data = html::data(suite, &self.columns, &self.matrix, &sources);
            Some(html::write(&self.matrix, &data, &self.page, out)?)
        } else {
            None
        };
        Ok(Written {
            matrix,
            support,
            html,
        })
    }

    /// The pages in `out` (and with `html`, matrix.html) that these logs would change: empty
    /// when every committed page is current.
    pub fn stale(&self, out: &Path, html: bool) -> Result<Vec<Stale>, Error> {
        let mut stale = Vec::new();
        if !matrix::is_current(&self.matrix, out)? {
            stale.push(Stale {
                path: out.join("matrix.json"),
                why: None,
            });
        }
        for path in support::stale(&self.page, &self.contract, out)? {
            stale.push(Stale { path, why: None });
        }
        if html && let Some(why) = html::is_current(&self.matrix, out)? {
            stale.push(Stale {
                path: out.join(links::FILE),
                why: Some(why),
            });
        }
        Ok(stale)
    }
}
