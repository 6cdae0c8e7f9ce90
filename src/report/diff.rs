//! What changed between two runs: two versions of one adapter, two adapters, or one adapter
//! before and after a change. Cases fixed, broken, failing differently (with the mismatches of
//! both sides), now applicable and no longer applicable, new and removed; and, never failing,
//! the informational cases that behave differently (they pass either way, so only their
//! mismatches tell the change).
//!
//! Changes of one kind that share a cause ([`CaseResult::cause`]: one broken default can fail
//! fifty cases the same way) are listed once, as `51 cases: CAUSE` with their ids.
//!
//! A case that is not applicable did not run: it neither passes nor fails, so a case that starts
//! or stops applying is never called fixed, broken or unchanged.
//!
//! ```
//! use taro_conformance::report::diff::{Change, RunDiff};
//! let diff = RunDiff::default();
//! assert!(!diff.broke());
//! assert_eq!(diff.counts(), "0 fixed · 0 broken · 0 failing differently · 0 new · 0 removed · 0 unchanged");
//! ```

use std::fmt::Write;

use serde::Serialize;

use crate::adapter::AdapterInfo;
use crate::outcome::{CaseResult, Problem, shared_causes};
use crate::report::sink::{md_code, md_text};
use crate::run::log::RunLog;
use crate::spec::Level;
use crate::spec::capability::Capability;
use crate::verdict::Status;

/// How one case changed.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    /// It did not pass and passes now.
    Fixed {
        /// The case.
        id: String,
        /// Its old status.
        was: Status,
        /// What did not hold before.
        mismatches: Vec<String>,
    },
    /// It passed and, run again, does not.
    Broken {
        /// The case.
        id: String,
        /// Its new status.
        now: Status,
        /// What does not hold now.
        mismatches: Vec<String>,
    },
    /// It did not pass and still does not, but differently.
    FailsDifferently {
        /// The case.
        id: String,
        /// Its old status.
        was: Status,
        /// Its new status.
        now: Status,
        /// What did not hold before.
        before: Vec<String>,
        /// What does not hold now.
        after: Vec<String>,
    },
    /// It was not applicable (it did not run) and runs now, whatever its status.
    NowApplicable {
        /// The case.
        id: String,
        /// Its new status.
        now: Status,
        /// What does not hold now.
        mismatches: Vec<String>,
    },
    /// It ran and is not applicable now (it does not run).
    NoLongerApplicable {
        /// The case.
        id: String,
        /// Its old status.
        was: Status,
        /// The capabilities the new run's adapter lacks, that the case requires.
        lacks: Vec<Capability>,
    },
    /// An informational case (which passes whatever it observes) whose observed behaviour
    /// changed: a change the docs leave open, shown but never a failure.
    InformationalChanged {
        /// The case.
        id: String,
        /// Where it differed from the suggested behaviour before (empty: nowhere).
        before: Vec<String>,
        /// Where it differs now (empty: nowhere).
        after: Vec<String>,
    },
    /// Only the new run has it.
    New {
        /// The case.
        id: String,
        /// Its status.
        now: Status,
    },
    /// Only the old run has it.
    Removed {
        /// The case.
        id: String,
        /// Its status then.
        was: Status,
    },
}

/// Two runs compared.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct RunDiff {
    /// The old run's adapter, as `name@version`.
    pub old: String,
    /// The new run's adapter, as `name@version`.
    pub new: String,
    /// Every change, by case id.
    pub changes: Vec<Change>,
    /// How many cases are the same in both.
    pub unchanged: usize,
    /// The causes that several changes of one kind share, most shared first (each change is
    /// still listed in `changes`).
    pub shared: Vec<SharedCause>,
}

/// One cause behind several changes of one kind: what the new run says (the old one's, for a
/// fixed case).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SharedCause {
    /// The heading of their changes ([`Change::section`]).
    pub section: String,
    /// The cause, as [`CaseResult::cause`] words it.
    pub cause: String,
    /// The cases, by id.
    pub ids: Vec<String>,
}

/// Compares two runs case by case.
pub fn diff(old: &RunLog, new: &RunLog) -> RunDiff {
    let label = |a: &AdapterInfo| format!("{}@{}", a.name, a.version);
    let mut out = RunDiff {
        old: label(&old.header.adapter),
        new: label(&new.header.adapter),
        ..RunDiff::default()
    };
    let mut ids: Vec<&String> = old.results.keys().chain(new.results.keys()).collect();
    ids.sort();
    ids.dedup();
    // The side that says why, by section: the old one for a fixed case, the new one otherwise.
    let mut why: Vec<(&'static str, &CaseResult)> = Vec::new();
    for id in ids {
        let change = match (old.results.get(id), new.results.get(id)) {
            (Some(was), None) => Some(Change::Removed {
                id: id.clone(),
                was: was.status,
            }),
            (None, Some(now)) => Some(Change::New {
                id: id.clone(),
                now: now.status,
            }),
            (Some(was), Some(now)) => compare(id, was, now),
            (None, None) => None,
        };
        match change {
            Some(change) => {
                let side = match &change {
                    Change::Fixed { .. } => old.results.get(id),
                    Change::New { .. } | Change::Removed { .. } => None,
                    _ => new.results.get(id),
                };
                if let Some(side) = side {
                    why.push((change.section(), side));
                }
                out.changes.push(change);
            }
            None => out.unchanged += 1,
        }
    }
    for title in SECTIONS {
        let of_section = why.iter().filter(|(s, _)| *s == title).map(|(_, r)| *r);
        for (cause, ids) in shared_causes(of_section) {
            out.shared.push(SharedCause {
                section: title.to_string(),
                cause,
                ids,
            });
        }
    }
    out
}

/// The sections of a diff, in the order it lists them.
const SECTIONS: [&str; 8] = [
    "Broken",
    "Failing differently",
    "Fixed",
    "No longer applicable",
    "Now applicable",
    "Informational: behaves differently",
    "New",
    "Removed",
];

fn compare(id: &str, was: &CaseResult, now: &CaseResult) -> Option<Change> {
    let id = id.to_string();
    let applies = |r: &CaseResult| r.status != Status::NotApplicable;
    let passes = |r: &CaseResult| r.status == Status::Pass;
    match (applies(was), applies(now)) {
        (false, false) => None,
        (false, true) => Some(Change::NowApplicable {
            id,
            now: now.status,
            mismatches: now.what_failed(),
        }),
        (true, false) => Some(Change::NoLongerApplicable {
            id,
            was: was.status,
            lacks: match &now.problem {
                Some(Problem::NotApplicable { lacks }) => lacks.clone(),
                _ => Vec::new(),
            },
        }),
        (true, true) => match (passes(was), passes(now)) {
            (true, true)
                if now.level == Level::Informational && was.fingerprint() != now.fingerprint() =>
            {
                Some(Change::InformationalChanged {
                    id,
                    before: was.what_failed(),
                    after: now.what_failed(),
                })
            }
            (true, true) => None,
            (false, true) => Some(Change::Fixed {
                id,
                was: was.status,
                mismatches: was.what_failed(),
            }),
            (true, false) => Some(Change::Broken {
                id,
                now: now.status,
                mismatches: now.what_failed(),
            }),
            (false, false)
                if was.status == now.status && was.fingerprint() == now.fingerprint() =>
            {
                None
            }
            (false, false) => Some(Change::FailsDifferently {
                id,
                was: was.status,
                now: now.status,
                before: was.what_failed(),
                after: now.what_failed(),
            }),
        },
    }
}

impl Change {
    /// The case it is about.
    pub fn id(&self) -> &str {
        match self {
            Change::Fixed { id, .. }
            | Change::Broken { id, .. }
            | Change::FailsDifferently { id, .. }
            | Change::NowApplicable { id, .. }
            | Change::NoLongerApplicable { id, .. }
            | Change::InformationalChanged { id, .. }
            | Change::New { id, .. }
            | Change::Removed { id, .. } => id,
        }
    }

    /// The heading it is listed under.
    pub fn section(&self) -> &'static str {
        match self {
            Change::Broken { .. } => "Broken",
            Change::FailsDifferently { .. } => "Failing differently",
            Change::Fixed { .. } => "Fixed",
            Change::NoLongerApplicable { .. } => "No longer applicable",
            Change::NowApplicable { .. } => "Now applicable",
            Change::InformationalChanged { .. } => "Informational: behaves differently",
            Change::New { .. } => "New",
            Change::Removed { .. } => "Removed",
        }
    }
}

impl RunDiff {
    /// Whether a case that passed fails now (a case that stops applying does not count).
    pub fn broke(&self) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c, Change::Broken { .. }))
    }

    /// The counts, in one line; cases that start or stop applying are counted only when there
    /// are some (two runs of one adapter seldom have any).
    pub fn counts(&self) -> String {
        let count = |f: fn(&Change) -> bool| self.changes.iter().filter(|c| f(c)).count();
        let now = count(|c| matches!(c, Change::NowApplicable { .. }));
        let no_longer = count(|c| matches!(c, Change::NoLongerApplicable { .. }));
        let applicability = if now + no_longer > 0 {
            format!("{now} now applicable · {no_longer} no longer applicable · ")
        } else {
            String::new()
        };
        let informational = match count(|c| matches!(c, Change::InformationalChanged { .. })) {
            0 => String::new(),
            n => format!("{n} informational behaving differently · "),
        };
        format!(
            "{} fixed · {} broken · {} failing differently · {applicability}{informational}{} new · {} removed · {} unchanged",
            count(|c| matches!(c, Change::Fixed { .. })),
            count(|c| matches!(c, Change::Broken { .. })),
            count(|c| matches!(c, Change::FailsDifferently { .. })),
            count(|c| matches!(c, Change::New { .. })),
            count(|c| matches!(c, Change::Removed { .. })),
            self.unchanged
        )
    }

    /// The diff in Markdown, for people and CI job summaries.
    pub fn markdown(&self) -> String {
        self.markdown_titled(None)
    }

    /// The diff in Markdown under a heading of its own (`### TITLE`, its sections one level
    /// down), to sit in a job summary beside a run's; `None`: under `# OLD → NEW`.
    pub fn markdown_titled(&self, title: Option<&str>) -> String {
        let (mut out, section) = match title {
            None => (
                format!(
                    "# {} → {}\n\n{}\n",
                    md_text(&self.old),
                    md_text(&self.new),
                    self.counts()
                ),
                "##",
            ),
            Some(title) => (
                format!(
                    "### {}\n\n{} → {}: {}\n",
                    md_text(title),
                    md_code(&self.old),
                    md_code(&self.new),
                    self.counts()
                ),
                "####",
            ),
        };
        for title in SECTIONS {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.section() == title)
                .collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{section} {title}\n");
            // One line a shared cause, its cases after it; then every other change in full.
            let shared: Vec<&SharedCause> =
                self.shared.iter().filter(|s| s.section == title).collect();
            for group in &shared {
                let ids: Vec<String> = group.ids.iter().map(|id| md_code(id)).collect();
                let _ = writeln!(
                    out,
                    "- {} cases: {}\n  - {}",
                    group.ids.len(),
                    md_text(&group.cause),
                    ids.join(" · ")
                );
            }
            let grouped = |id: &str| shared.iter().any(|s| s.ids.iter().any(|i| i == id));
            for change in changes.into_iter().filter(|c| !grouped(c.id())) {
                write_change(&mut out, change);
            }
        }
        out
    }
}

fn write_change(out: &mut String, change: &Change) {
    let list = |out: &mut String, label: &str, lines: &[String]| {
        for line in lines {
            let _ = writeln!(out, "  - {label}{}", md_text(line));
        }
    };
    match change {
        Change::Broken {
            id,
            now,
            mismatches,
        } => {
            let _ = writeln!(out, "- `{id}`: passed, now {now}");
            list(out, "", mismatches);
        }
        Change::Fixed {
            id,
            was,
            mismatches,
        } => {
            let _ = writeln!(out, "- `{id}`: was {was}, passes now");
            list(out, "was: ", mismatches);
        }
        Change::FailsDifferently {
            id,
            was,
            now,
            before,
            after,
        } => {
            let _ = writeln!(out, "- `{id}`: {was} → {now}");
            list(out, "before: ", before);
            list(out, "now: ", after);
        }
        Change::NowApplicable {
            id,
            now,
            mismatches,
        } => {
            let _ = writeln!(out, "- `{id}`: was not applicable, now {now}");
            list(out, "", mismatches);
        }
        Change::NoLongerApplicable { id, was, lacks } => {
            let why = if lacks.is_empty() {
                String::new()
            } else {
                let names: Vec<&str> = lacks.iter().map(|c| c.as_str()).collect();
                format!(" (the adapter lacks {})", names.join(", "))
            };
            let _ = writeln!(out, "- `{id}`: was {was}, now not applicable{why}");
        }
        Change::InformationalChanged { id, before, after } => {
            let _ = writeln!(out, "- `{id}`: passes either way (informational)");
            for (label, lines) in [("before: ", before), ("now: ", after)] {
                if lines.is_empty() {
                    let _ = writeln!(out, "  - {label}as the docs suggest");
                }
                list(out, label, lines);
            }
        }
        Change::New { id, now } => {
            let _ = writeln!(out, "- `{id}`: {now}");
        }
        Change::Removed { id, was } => {
            let _ = writeln!(out, "- `{id}`: was {was}");
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod text_tests;
