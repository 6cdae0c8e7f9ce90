//! `history.html`: the history as a picture, one self-contained page (inline CSS and
//! JavaScript, no network) with one row per case and one column per release of each package,
//! each cell coloured by status; a click on a cell shows what changed there and the pull request
//! the notes give. Built with the project's template engine (`templates/history.html.j2`).
//!
//! The page stays small as the history grows: each case's releases are stored run-length
//! encoded per package (a behaviour and how many releases in a row had it), each behaviour and
//! each mismatch's text once, and the script draws the rows. The same history gives the same
//! bytes.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use semver::Version;
use serde::Serialize;

use super::changes::{AdapterHistory, History};
use super::record::Observed;
use crate::report::html::script_json;
use crate::report::links::fragment_part;
use crate::report::sink::link_target;

/// The template (minijinja), compiled into the binary.
pub const TEMPLATE: &str = include_str!("../../templates/history.html.j2");

/// The page's file name, beside `history.md` and `history.json`.
pub const FILE: &str = "history.html";

/// One package as the page shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PagePackage {
    /// The adapter that measured it (and the first part of a cell's address).
    pub adapter: String,
    /// The package.
    pub package: String,
    /// What ran the bundle.
    pub runtime: String,
    /// Every release, measured or not, in version order: the package's columns.
    pub releases: Vec<String>,
    /// The columns that could not run, with why.
    #[serde(rename = "notRun")]
    pub not_run: Vec<(usize, String)>,
}

/// What one release did on one case, stored once for the page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Behaviour {
    /// The status.
    pub s: &'static str,
    /// Its mismatches, as indices into the page's texts.
    pub m: Vec<usize>,
    /// Runs of this case on this release disagreed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub u: bool,
}

/// A change's documented reason.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PageNote {
    /// What it says.
    pub why: String,
    /// Where (a link the page may show; a note with another is left out), or "" when no pull
    /// request was found and `why` says what the diff shows.
    pub link: String,
}

/// The data the page embeds and its script reads.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct PageData {
    /// The packages, in the history's order.
    pub packages: Vec<PagePackage>,
    /// Every case any release measured, by id.
    pub cases: Vec<String>,
    /// Each case's level ("" when the suite no longer has it).
    pub levels: Vec<&'static str>,
    /// Per case, per package: behaviour index and count, repeated, over the package's columns
    /// (-1: not measured there).
    pub rows: Vec<Vec<Vec<i64>>>,
    /// Every distinct behaviour.
    pub behaviours: Vec<Behaviour>,
    /// Every distinct mismatch text.
    pub texts: Vec<String>,
    /// Every change: package, case, column of the release, of the one before it, where the old
    /// behaviour began, where the new one ends, the old and new behaviours, and the note (-1:
    /// none).
    pub changes: Vec<[i64; 9]>,
    /// The notes the changes name.
    pub notes: Vec<PageNote>,
}

fn version_order(a: &str, b: &str) -> Ordering {
    match (Version::parse(a), Version::parse(b)) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        (Err(_), Ok(_)) => Ordering::Less,
        (Ok(_), Err(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// Interns behaviours and texts.
#[derive(Default)]
struct Interner {
    behaviours: BTreeMap<(Behaviour, String), usize>,
    texts: BTreeMap<String, usize>,
    data: PageData,
}

impl Interner {
    fn text(&mut self, text: &str) -> usize {
        if let Some(i) = self.texts.get(text) {
            return *i;
        }
        let i = self.data.texts.len();
        self.data.texts.push(text.to_string());
        self.texts.insert(text.to_string(), i);
        i
    }

    /// A behaviour's index; two that differ only in fingerprint (the call settled another way)
    /// stay two.
    fn behaviour(&mut self, observed: &Observed) -> i64 {
        let behaviour = Behaviour {
            s: observed.status.as_str(),
            m: observed.mismatches.iter().map(|m| self.text(m)).collect(),
            u: observed.unstable,
        };
        let key = (behaviour, observed.fingerprint.clone());
        if let Some(i) = self.behaviours.get(&key) {
            return *i as i64;
        }
        let i = self.data.behaviours.len();
        self.data.behaviours.push(key.0.clone());
        self.behaviours.insert(key, i);
        i as i64
    }
}

fn columns(adapter: &AdapterHistory) -> Vec<String> {
    let mut all: Vec<String> = adapter
        .measured
        .iter()
        .chain(adapter.not_run.iter().map(|n| &n.release))
        .cloned()
        .collect();
    all.sort_by(|a, b| version_order(a, b));
    all.dedup();
    all
}

/// The page's data, from the history.
pub fn data(history: &History) -> PageData {
    let mut interner = Interner::default();
    let cases: BTreeSet<&String> = history
        .adapters
        .iter()
        .flat_map(|a| a.releases.iter().flat_map(|(_, results)| results.keys()))
        .collect();
    let case_index: BTreeMap<&str, usize> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut rows: Vec<Vec<Vec<i64>>> = vec![Vec::new(); cases.len()];
    let mut packages = Vec::new();
    let mut changes = Vec::new();
    let mut notes: Vec<PageNote> = Vec::new();
    for (p, adapter) in history.adapters.iter().enumerate() {
        let releases = columns(adapter);
        let column: BTreeMap<&str, usize> = releases
            .iter()
            .enumerate()
            .map(|(i, r)| (r.as_str(), i))
            .collect();
        let measured: BTreeMap<&str, &super::record::Results> = adapter
            .releases
            .iter()
            .map(|(r, results)| (r.as_str(), results))
            .collect();
        for (case, row) in cases.iter().zip(rows.iter_mut()) {
            let mut runs: Vec<i64> = Vec::new();
            let mut last: Option<&Observed> = None;
            for release in &releases {
                let seen = measured.get(release.as_str()).and_then(|r| r.get(*case));
                let same = match (seen, last) {
                    (Some(a), Some(b)) => a == b,
                    (None, None) => !runs.is_empty(),
                    _ => false,
                };
                if same {
                    *runs.last_mut().expect("a run is open") += 1;
                } else {
                    runs.push(seen.map_or(-1, |o| interner.behaviour(o)));
                    runs.push(1);
                }
                last = seen;
            }
            row.push(runs);
        }
        for change in &adapter.changes {
            let at = |release: &str| column.get(release).map_or(-1, |c| *c as i64);
            let note = change
                .documented
                .as_ref()
                .filter(|d| d.link.as_deref().is_none_or(|l| link_target(l).is_some()))
                .map_or(-1, |d| {
                    let note = PageNote {
                        why: d.why.clone(),
                        link: d.link.clone().unwrap_or_default(),
                    };
                    let i = notes.iter().position(|n| *n == note).unwrap_or_else(|| {
                        notes.push(note);
                        notes.len() - 1
                    });
                    i as i64
                });
            changes.push([
                p as i64,
                case_index[change.case.as_str()] as i64,
                at(&change.release),
                at(&change.after),
                at(&change.was.from),
                at(&change.now.to),
                interner.behaviour(&change.was.observed),
                interner.behaviour(&change.now.observed),
                note,
            ]);
        }
        packages.push(PagePackage {
            adapter: adapter.adapter.clone(),
            package: adapter.package.clone(),
            runtime: adapter.runtime.clone(),
            not_run: adapter
                .not_run
                .iter()
                .filter_map(|n| Some((*column.get(n.release.as_str())?, n.why.clone())))
                .collect(),
            releases,
        });
    }
    let mut data = interner.data;
    data.levels = cases
        .iter()
        .map(|c| history.levels.get(*c).map_or("", |l| l.as_str()))
        .collect();
    data.cases = cases.into_iter().cloned().collect();
    data.rows = rows;
    data.packages = packages;
    data.changes = changes;
    data.notes = notes;
    data
}

/// One package's line in the page's table of packages.
#[derive(Debug, Serialize)]
struct Summary {
    adapter: String,
    href: String,
    package: String,
    runtime: String,
    measured: usize,
    first: String,
    last: String,
    not_run: usize,
    changes: usize,
}

/// The page.
pub fn render(history: &History) -> String {
    let data = data(history);
    let summaries: Vec<Summary> = history
        .adapters
        .iter()
        .map(|a| Summary {
            adapter: a.adapter.clone(),
            href: format!("#{}", fragment_part(&a.adapter)),
            package: a.package.clone(),
            runtime: a.runtime.clone(),
            measured: a.measured.len(),
            first: a.measured.first().cloned().unwrap_or_default(),
            last: a.measured.last().cloned().unwrap_or_default(),
            not_run: a.not_run.len(),
            changes: a.changes.len(),
        })
        .collect();
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template(FILE, TEMPLATE)
        .expect("the history template parses");
    let template = env.get_template(FILE).expect("just added");
    template
        .render(minijinja::context! {
            generator => format!("taro-conformance {}", env!("CARGO_PKG_VERSION")),
            packages => minijinja::Value::from(minijinja::value::Serde(&summaries)),
            case_count => data.cases.len(),
            data => minijinja::Value::from_safe_string(script_json(&data)),
        })
        .expect("the history template renders")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Record;
    use crate::history::record::seen;
    use crate::verdict::Status;

    /// The releases a case's runs cover, decoded as the page's script decodes them.
    fn decode(data: &PageData, case: usize, package: usize) -> Vec<Option<&Behaviour>> {
        data.rows[case][package]
            .chunks(2)
            .flat_map(|run| {
                let b = usize::try_from(run[0]).ok().map(|b| &data.behaviours[b]);
                std::iter::repeat_n(b, run[1] as usize)
            })
            .collect()
    }

    #[test]
    fn each_release_of_each_case_is_in_the_page_and_stable_runs_are_stored_once() {
        let mut record = Record::new("a", "pkg");
        let results = |status: Status, fp: &str| [("c".to_string(), seen(status, fp))].into();
        for minor in 0..1000 {
            let release = format!("1.{minor}.0");
            match minor {
                5 => record.could_not_run(&release, "no bundle"),
                0..500 => record.measured(&release, "s", results(Status::Fail, "1")),
                _ => record.measured(&release, "s", results(Status::Pass, "2")),
            }
        }
        let history = History::of(&[record]);
        let data = data(&history);
        assert_eq!(data.packages[0].releases.len(), 1000);
        assert_eq!(data.packages[0].not_run, [(5, "no bundle".to_string())]);
        // Fail, not run, fail, pass: four runs for a thousand releases.
        assert_eq!(data.rows[0][0], [0, 5, -1, 1, 0, 494, 1, 500]);
        let cells = decode(&data, 0, 0);
        assert_eq!(cells.len(), 1000);
        assert_eq!(cells[499].map(|b| b.s), Some("fail"));
        assert_eq!(cells[500].map(|b| b.s), Some("pass"));
        assert_eq!(data.changes, [[0, 0, 500, 499, 0, 999, 0, 1, -1]]);
        let page = render(&history);
        assert!(page.len() < 40_000, "{} bytes", page.len());
    }

    #[test]
    fn the_page_cannot_be_broken_out_of_and_leaves_out_a_note_it_cannot_link() {
        let mut record = Record::new("a</script>", "<b>pkg</b>");
        record.measured(
            "1.0.0",
            "s",
            [("c".into(), seen(Status::Fail, "</script>"))].into(),
        );
        record.measured("1.1.0", "s", [("c".into(), seen(Status::Pass, "2"))].into());
        let note = |link: &str| super::super::Note {
            adapter: "a</script>".into(),
            case: "c".into(),
            release: "1.1.0".into(),
            why: "<i>why</i>".into(),
            link: Some(link.into()),
        };
        let (history, _) =
            History::of(&[record.clone()]).with_notes(&[note("javascript:alert(1)")]);
        let page = render(&history);
        assert_eq!(page.matches("</script>").count(), 2, "{page}");
        assert!(
            !page.contains("<b>pkg") && !page.contains("javascript:"),
            "{page}"
        );
        let (history, _) =
            History::of(&[record.clone()]).with_notes(&[note("https://example.invalid/1")]);
        assert_eq!(data(&history).notes.len(), 1);
        // A note without a pull request keeps what the diff shows, with no link.
        let unlinked = super::super::Note {
            link: None,
            ..note("")
        };
        let (history, _) = History::of(&[record]).with_notes(&[unlinked]);
        let notes = data(&history).notes;
        assert_eq!(
            (notes[0].why.as_str(), notes[0].link.as_str()),
            ("<i>why</i>", "")
        );
    }
}
