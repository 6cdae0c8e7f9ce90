//! The picture of the history in a real browser: `tests/html/history.js` opens a
//! `history.html` in headless Chromium (playwright-core, as `taro-conformance setup
//! taro-h5-chromium` installs it) and checks that every case has a row spanning every release,
//! that the filters (package, case id, only cases that changed) work, that a click on a cell
//! shows the change that led to it and its pull request, that the fragments `#ADAPTER`,
//! `#ADAPTER/CASE` and `#ADAPTER/CASE/RELEASE` select what they name, that crafted fragments
//! open nothing and throw nothing, that the console stays clean and that nothing is fetched.
//! Ignored by default (it needs Chromium and that npm project); `.ci/run` runs it:
//!
//! ```sh
//! cargo test --test integration -- --ignored history_html::
//! ```

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{cli_in, root};
use serde_json::{Value, json};
use taro_conformance::history::{self, Note, Observed, Record};
use taro_conformance::verdict::Status;

fn playwright() -> PathBuf {
    let path = root().join("adapters/taro-h5/node_modules/playwright-core");
    assert!(
        path.is_dir(),
        "{} is missing: run `taro-conformance setup taro-h5-chromium` first",
        path.display()
    );
    path
}

/// What history.js expects of the page written under `dir` (`reports/history.html`), computed
/// from the records and `history.json` beside it, not from the page.
fn expectations(dir: &Path, screenshot: &Path) -> Value {
    let records = history::all_records(dir).unwrap();
    let ids: BTreeSet<String> = records
        .iter()
        .flat_map(|r| {
            r.releases()
                .into_iter()
                .flat_map(|(_, results)| results.keys().cloned())
        })
        .collect();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/history.json")).unwrap())
            .unwrap();
    let adapters = json["adapters"].as_array().unwrap();
    let changes: Vec<(&str, &Value)> = adapters
        .iter()
        .flat_map(|a| {
            let name = a["adapter"].as_str().unwrap();
            a["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |c| (name, c))
        })
        .collect();
    let changed: BTreeSet<&str> = changes
        .iter()
        .map(|(_, c)| c["case"].as_str().unwrap())
        .collect();
    let (adapter, click) = changes
        .iter()
        .find(|(_, c)| c.pointer("/documented/link").is_some())
        .expect("a change with a pull request");
    // A change whose note says what the diff shows, no pull request being found.
    let unlinked = changes
        .iter()
        .find(|(_, c)| c.get("documented").is_some_and(|d| d.get("link").is_none()))
        .map(|(adapter, c)| {
            json!({"adapter": adapter, "id": c["case"], "release": c["release"], "why": c["documented"]["why"]})
        });
    let (hash_adapter, hash) = changes
        .iter()
        .find(|(_, c)| c["case"] != click["case"])
        .unwrap_or(&changes[0]);
    // The level filter, with the levels of the suite the page was made with.
    let suite = taro_conformance::spec::load_dir(&root().join("specs"));
    let informational = suite
        .cases
        .iter()
        .filter(|c| c.case.level == taro_conformance::spec::Level::Informational)
        .filter(|c| ids.contains(&c.case.id))
        .count();
    let query = "method.";
    let package = adapters.len() - 1;
    json!({
        "page": dir.join("reports/history.html"),
        "playwright": playwright(),
        "screenshot": screenshot,
        "ids": ids,
        "changed": changed.len(),
        "level": {"name": "informational", "count": informational},
        "text": {"query": query, "count": ids.iter().filter(|i| i.contains(query)).count()},
        "package": {"index": package, "adapter": adapters[package]["adapter"]},
        "click": {
            "adapter": adapter,
            "id": click["case"],
            "release": click["release"],
            "after": click["after"],
            "link": click["documented"]["link"],
            "status": click["now"]["status"],
        },
        "hash": {"adapter": hash_adapter, "id": hash["case"], "release": hash["release"]},
        "unlinked": unlinked,
    })
}

/// Runs history.js on the expectations; panics with its output when a check fails.
fn check_in_chromium(expect: &Value) -> String {
    common::page_check("history.js", expect)
}

#[test]
#[ignore = "needs Chromium and `taro-conformance setup taro-h5-chromium`"]
fn the_committed_history_works_in_chromium() {
    let screenshot = root().join("target/history.png");
    std::fs::create_dir_all(screenshot.parent().unwrap()).unwrap();
    let expect = expectations(&root(), &screenshot);
    let text = check_in_chromium(&expect);
    assert!(text.contains("…and its pull request"), "{text}");
    assert!(text.contains("says what the diff shows"), "{text}");
    assert!(
        screenshot.is_file(),
        "no screenshot at {}",
        screenshot.display()
    );
}

#[test]
#[ignore = "needs Chromium and `taro-conformance setup taro-h5-chromium`"]
fn a_history_written_offline_works_in_chromium() {
    // Two packages; the first has a release that could not run and a change its note explains.
    let dir = tempfile::tempdir().unwrap();
    let seen = |status: Status, fingerprint: &str| Observed {
        status,
        fingerprint: fingerprint.into(),
        mismatches: if status == Status::Pass {
            vec![]
        } else {
            vec![format!(
                "expected 1 at client.value.data, got {fingerprint} [CALL-1]"
            )]
        },
        unstable: false,
    };
    let mut a = Record::new("pkg-a", "@example/a");
    let mut b = Record::new("pkg-b", "@example/b");
    for minor in 0..40 {
        let release = format!("1.{minor}.0");
        let get = if minor < 25 {
            Status::Fail
        } else {
            Status::Pass
        };
        let results = [
            (
                "method.get".to_string(),
                seen(get, &minor.min(25).to_string()),
            ),
            ("method.post".to_string(), seen(Status::Pass, "p")),
        ];
        if minor == 10 {
            a.could_not_run(&release, "no bundle");
        } else {
            a.measured(&release, "s", results.clone().into());
        }
        if minor % 2 == 0 {
            b.measured(&release, "s", [results[1].clone()].into());
        }
    }
    let reports = dir.path().join(history::RECORDS_DIR);
    a.write(&reports.join("pkg-a.json")).unwrap();
    b.write(&reports.join("pkg-b.json")).unwrap();
    let notes = history::Notes {
        notes: vec![
            Note {
                adapter: "pkg-a".into(),
                case: "method.get".into(),
                release: "1.25.0".into(),
                why: "fix: GET".into(),
                link: Some("https://example.invalid/pull/1".into()),
            },
            Note {
                adapter: "pkg-a".into(),
                case: "method.get".into(),
                release: "1.5.0".into(),
                why: "the polyfill changed".into(),
                link: None,
            },
        ],
    };
    std::fs::write(
        dir.path().join(history::NOTES_FILE),
        serde_json::to_string(&notes).unwrap(),
    )
    .unwrap();
    let (code, out) = cli_in(dir.path(), &["history", "--offline"]);
    assert_eq!(code, 0, "{out}");
    let expect = expectations(dir.path(), &dir.path().join("history.png"));
    assert_eq!(expect["click"]["release"], "1.25.0");
    assert_eq!(expect["unlinked"]["release"], "1.5.0");
    let text = check_in_chromium(&expect);
    assert!(text.contains("says what the diff shows"), "{text}");
}
