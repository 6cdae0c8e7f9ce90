//! The behaviour history: how every stable release of a Taro package did on the suite, and
//! the releases where a case's behaviour changed.
//!
//! Each adapter's measurements are kept in `reports/history/ADAPTER.json` (a [`Record`]:
//! every release's results, consecutive releases that behave the same stored once); the
//! history itself ([`History`]: `reports/history.md`, which opens with a ranked digest,
//! `history.json` and the picture `history.html`) is computed from those records, the notes and
//! the cases' levels alone, so a check can regenerate it without running anything.
//!
//! ```
//! use taro_conformance::history::{History, Observed, Record};
//! use taro_conformance::verdict::Status;
//! let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
//! let pass = Observed { status: Status::Pass, fingerprint: "a".into(), ..Observed::default() };
//! let fail = Observed { status: Status::Fail, fingerprint: "b".into(), ..Observed::default() };
//! record.measured("3.4.3", "s", [("data.json".to_string(), fail)].into());
//! record.measured("3.4.10", "s", [("data.json".to_string(), pass)].into());
//! let history = History::of(&[record]);
//! let change = &history.adapters[0].changes[0];
//! assert_eq!((change.case.as_str(), change.release.as_str()), ("data.json", "3.4.10"));
//! ```

pub mod bisect;
mod changes;
mod confirm;
mod digest;
mod event;
mod html;
mod measure;
mod page;
pub mod partition;
mod record;

pub use changes::{
    AdapterHistory, Change, Documented, History, NOTES_FILE, Note, Notes, Side, read_notes,
};
pub use event::Event;
pub use measure::{Plan, measure, rerun, to_measure};
pub use page::{is_current, write};
pub use record::{
    NotRun, Observed, Record, Results, Stretch, all_records, read_records, stable_between,
    stable_from,
};

/// Where the records live, relative to the repository root.
pub const RECORDS_DIR: &str = "reports/history";

/// The adapters the history covers unless told otherwise: every adapter whose manifest names the
/// package it runs (a test keeps the list whole), in the matrix's order. H5 runs in Chromium as
/// well as jsdom: a window without native fetch takes the `unfetch` polyfill Taro bundled up to
/// 3.0.11, a browser does not.
pub const DEFAULT_ADAPTERS: [&str; 14] = [
    "taro-h5-jsdom",
    "taro-h5-chromium",
    "taro-rn",
    "taro-weapp",
    "taro-alipay",
    "taro-swan",
    "taro-tt",
    "taro-qq",
    "taro-jd",
    "taro-harmony-hybrid",
    "taro-harmony-ets",
    "taro-lark",
    "taro-kwai",
    "taro-weapp-qy",
];

/// The first release the history covers unless told otherwise.
pub const DEFAULT_FROM: &str = "3.0.0";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;

    fn seen(status: Status, fingerprint: &str) -> Observed {
        Observed {
            status,
            fingerprint: fingerprint.into(),
            mismatches: if status == Status::Pass {
                vec![]
            } else {
                vec![format!("mismatch {fingerprint}")]
            },
            unstable: false,
        }
    }

    fn results(cases: &[(&str, Status, &str)]) -> Results {
        cases
            .iter()
            .map(|(id, status, fp)| (id.to_string(), seen(*status, fp)))
            .collect()
    }

    #[test]
    fn equal_releases_in_a_row_are_stored_once_and_read_back_in_version_order() {
        let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
        let old = results(&[("a", Status::Fail, "1")]);
        let new = results(&[("a", Status::Pass, "2")]);
        // Measured out of order, as concurrent runs finish.
        record.measured("3.10.0", "s", new.clone());
        record.measured("3.2.0", "s", old.clone());
        record.measured("3.9.0", "s", old.clone());
        record.could_not_run("3.1.0", "no bundle\nmore");
        assert_eq!(record.stretches.len(), 2);
        assert_eq!(record.stretches[0].releases, ["3.2.0", "3.9.0"]);
        assert_eq!(record.stretches[1].releases, ["3.10.0"]);
        assert_eq!(record.not_run[0].why, "no bundle");
        assert!(record.has("3.1.0") && record.has("3.9.0") && !record.has("3.3.0"));
        // Measuring a release that could not run replaces its entry.
        record.measured("3.1.0", "s", old);
        assert!(record.not_run.is_empty());
        assert_eq!(record.stretches[0].releases, ["3.1.0", "3.2.0", "3.9.0"]);
    }

    #[test]
    fn a_change_names_its_release_and_the_runs_on_both_sides() {
        let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
        record.measured(
            "1.0.0",
            "s",
            results(&[("a", Status::Fail, "1"), ("b", Status::Pass, "p")]),
        );
        record.measured(
            "1.1.0",
            "s",
            results(&[("a", Status::Fail, "1"), ("b", Status::Pass, "p")]),
        );
        record.measured(
            "1.2.0",
            "s",
            results(&[("a", Status::Fail, "2"), ("b", Status::Pass, "p")]),
        );
        record.measured(
            "1.3.0",
            "s",
            results(&[("a", Status::Fail, "2"), ("b", Status::Fail, "x")]),
        );
        record.measured(
            "2.0.0",
            "s",
            results(&[
                ("a", Status::Pass, "3"),
                ("b", Status::Fail, "x"),
                ("c", Status::Pass, "n"),
            ]),
        );
        let history = History::of(&[record]);
        let changes: Vec<(&str, &str, &str, &str, &str, &str)> = history.adapters[0]
            .changes
            .iter()
            .map(|c| {
                (
                    c.case.as_str(),
                    c.release.as_str(),
                    c.was.from.as_str(),
                    c.was.to.as_str(),
                    c.now.from.as_str(),
                    c.now.to.as_str(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                ("a", "1.2.0", "1.0.0", "1.1.0", "1.2.0", "1.3.0"),
                ("b", "1.3.0", "1.0.0", "1.2.0", "1.3.0", "2.0.0"),
                ("a", "2.0.0", "1.2.0", "1.3.0", "2.0.0", "2.0.0"),
            ]
        );
        let md = history.markdown();
        assert!(md.contains("| 1.2.0 (after 1.1.0) | `a` | **1.0.0–1.1.0** fail: mismatch 1 | **1.2.0–1.3.0** fail: mismatch 2 |"), "{md}");
        assert!(md.contains("5 releases measured, 1.0.0 to 2.0.0"), "{md}");
    }

    #[test]
    fn the_default_adapters_are_every_adapter_of_a_package() {
        let mut packaged: Vec<String> = crate::adapter::manifest::all()
            .into_iter()
            .map(|m| m.unwrap())
            .filter(|m| m.package.is_some())
            .map(|m| m.name)
            .collect();
        let mut listed: Vec<String> = DEFAULT_ADAPTERS.map(String::from).into();
        packaged.sort();
        listed.sort();
        assert_eq!(listed, packaged, "history::DEFAULT_ADAPTERS");
    }

    #[test]
    fn stable_releases_from_a_version_in_version_order() {
        let all: Vec<String> = ["3.0.0-beta.1", "2.2.0", "3.10.1", "3.2.0", "3.0.2"]
            .map(String::from)
            .into();
        assert_eq!(stable_from(&all, "3.0.0"), ["3.0.2", "3.2.0", "3.10.1"]);
    }

    #[test]
    fn a_record_survives_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut record = Record::new("taro-weapp", "@tarojs/plugin-platform-weapp");
        record.measured("3.1.0", "s", results(&[("a", Status::Fail, "1")]));
        let path = Record::path(dir.path(), "taro-weapp");
        record.write(&path).unwrap();
        assert_eq!(Record::read(&path).unwrap(), record);
        std::fs::write(&path, "{\"adapter\": 1}").unwrap();
        let error = Record::read(&path).unwrap_err().to_string();
        assert!(
            error.contains("taro-weapp.json:1:") && error.contains("not a history record"),
            "{error}"
        );
    }

    #[test]
    fn a_note_explains_its_change_and_one_that_explains_none_is_returned() {
        let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
        record.measured("1.0.0", "s", results(&[("a", Status::Fail, "1")]));
        record.measured("1.1.0", "s", results(&[("a", Status::Pass, "2")]));
        let note = |release: &str| Note {
            adapter: "taro-rn".into(),
            case: "a".into(),
            release: release.into(),
            why: "fix(rn): charset | parse".into(),
            link: Some("https://example.invalid/pull/1".into()),
        };
        let (history, unmatched) =
            History::of(&[record]).with_notes(&[note("1.1.0"), note("1.0.0")]);
        assert_eq!(unmatched, [note("1.0.0")]);
        let md = history.markdown();
        assert!(
            md.contains("| 1.1.0 (after 1.0.0)<br>[fix(rn): charset \\| parse](https://example.invalid/pull/1) | `a` |"),
            "{md}"
        );
        assert!(history.json().contains("\"documented\""));
    }

    #[test]
    fn a_note_without_a_pull_request_says_what_the_diff_shows() {
        let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
        record.measured("1.0.0", "s", results(&[("a", Status::Fail, "1")]));
        record.measured("1.1.0", "s", results(&[("a", Status::Pass, "2")]));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(NOTES_FILE);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(
            &file,
            "notes:\n  - {adapter: taro-rn, case: a, release: 1.1.0, why: \"the polyfill changed | only\"}\n",
        )
        .unwrap();
        let notes = read_notes(dir.path()).unwrap();
        assert_eq!(notes[0].link, None);
        let (history, unmatched) = History::of(&[record]).with_notes(&notes);
        assert!(unmatched.is_empty());
        let md = history.markdown();
        assert!(
            md.contains("| nothing else | none found: the polyfill changed \\| only |"),
            "{md}"
        );
        assert!(
            md.contains("| 1.1.0 (after 1.0.0)<br>no pull request found: the polyfill changed \\| only | `a` |"),
            "{md}"
        );
        assert!(!history.json().contains("\"link\""));
    }
}
