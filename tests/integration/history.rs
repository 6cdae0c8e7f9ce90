//! `history`: the committed behaviour history (history.md, history.json, history.html) says what
//! its records say, and measuring releases (offline, with a fake versioned package) records each
//! release, says why one could not run, reports the release where behaviour changes, and does not report a change that a
//! second run does not repeat.

use crate::common;

use std::path::Path;

use common::{cli, cli_in, root};
use taro_conformance::history::{self, History, Record};

#[test]
fn the_committed_history_says_what_its_records_say() {
    let (code, out) = cli(&["history", "--check"]);
    assert_eq!(code, 0, "{out}");
    // And the records are of every default adapter, from its first release.
    let records = history::all_records(&root()).unwrap();
    let names: Vec<&str> = records.iter().map(|r| r.adapter.as_str()).collect();
    assert_eq!(names, history::DEFAULT_ADAPTERS);
    for record in &records {
        let first = record.releases().first().map(|(r, _)| r.to_string());
        // From 3.x, or the package's first release when it is later; the community plugins
        // number their own releases (every one is measured).
        let first_release = match record.adapter.as_str() {
            "taro-harmony-ets" => "4.2.0",
            "taro-harmony-hybrid" => "3.6.23",
            "taro-lark" => "1.0.3",
            "taro-kwai" => "1.0.0",
            "taro-weapp-qy" => "0.0.5",
            _ => "3.",
        };
        assert!(
            first
                .as_deref()
                .is_some_and(|r| r.starts_with(first_release)),
            "{}: first release measured {first:?}",
            record.adapter
        );
    }
}

#[test]
fn a_stale_history_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join(history::RECORDS_DIR);
    std::fs::create_dir_all(&records).unwrap();
    let mut record = Record::new("taro-rn", "@tarojs/taro-rn");
    record.measured("3.2.1", "s", Default::default());
    record.write(&records.join("taro-rn.json")).unwrap();
    let (code, out) = cli_in(dir.path(), &["history", "--check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("is stale: regenerate them with `taro-conformance history --offline`"),
        "{out}"
    );
    let (code, out) = cli_in(dir.path(), &["history", "--offline"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = cli_in(dir.path(), &["history", "--check"]);
    assert_eq!(code, 0, "{out}");
    // A hand edit of the output is stale too.
    let md = dir.path().join("reports/history.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, text.replace("3.2.1", "3.2.2")).unwrap();
    let (code, out) = cli_in(dir.path(), &["history", "--check"]);
    assert_eq!(code, 1, "{out}");
    // And so is one of the picture, or its absence.
    let (code, out) = cli_in(dir.path(), &["history", "--offline"]);
    assert_eq!(code, 0, "{out}");
    let html = dir.path().join("reports/history.html");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("&quot;3.2.1&quot;") || page.contains("\"3.2.1\""),
        "{page}"
    );
    std::fs::write(&html, page.replace("\"3.2.1\"", "\"3.2.2\"")).unwrap();
    let (code, out) = cli_in(dir.path(), &["history", "--check"]);
    assert_eq!(code, 1, "{out}");
    std::fs::remove_file(&html).unwrap();
    let (code, out) = cli_in(dir.path(), &["history", "--check"]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn measuring_releases_records_them_and_reports_only_changes_that_repeat() {
    // A package whose cases all start failing in 1.5.0; 1.1.0 cannot be set up; the first run
    // of 1.2.0 answers every case the other way (a flap), later ones do not.
    let dir = tempfile::tempdir().unwrap();
    common::versioned_adapter(
        dir.path(),
        "versioned",
        "1.5.0:1.2.0",
        r#"setup_version = "if [ {taro} = 1.1.0 ]; then echo 'cannot set up pkg 1.1.0: no request module' >&2; exit 1; fi; touch installed-{taro}"
ready_version = ["installed-{taro}"]
package = "pkg"
list_versions = "echo '[\"0.9.0\", \"1.0.0\", \"1.1.0\", \"1.2.0\", \"1.3.0-beta.1\", \"1.4.0\", \"1.5.0\", \"1.6.0\"]'"
"#,
    );
    let specs = root().join("specs");
    let measure = || {
        cli_in(
            dir.path(),
            &[
                "history",
                "--adapter",
                "adapter.toml",
                "--from",
                "1.0.0",
                "--specs",
                specs.to_str().unwrap(),
            ],
        )
    };
    let (code, out) = measure();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("versioned: 6 stable release(s), 6 to measure"),
        "{out}"
    );
    assert!(out.contains("versioned@1.1.0: could not run"), "{out}");
    assert!(out.contains("is unstable: its runs disagreed"), "{out}");
    assert!(
        !dir.path().join("installed-0.9.0").exists(),
        "before --from"
    );
    assert!(
        !dir.path().join("installed-1.3.0-beta.1").exists(),
        "a pre-release"
    );

    let record = Record::read(&Record::path(dir.path(), "versioned")).unwrap();
    let measured: Vec<&str> = record.releases().iter().map(|(r, _)| *r).collect();
    assert_eq!(measured, ["1.0.0", "1.2.0", "1.4.0", "1.5.0", "1.6.0"]);
    assert_eq!(record.not_run.len(), 1);
    assert!(
        record.not_run[0]
            .why
            .contains("cannot set up pkg 1.1.0: no request module"),
        "{:?}",
        record.not_run
    );
    // The flap was outvoted: 1.2.0 behaves as 1.0.0 did, its cases marked unstable.
    let (old, flapped) = (
        record.results("1.0.0").unwrap(),
        record.results("1.2.0").unwrap(),
    );
    assert!(old.iter().all(|(id, o)| flapped[id].same_as(o)));
    assert!(flapped["method.get"].unstable && !old["method.get"].unstable);

    let built = History::of(std::slice::from_ref(&record));
    let changes = &built.adapters[0].changes;
    assert!(!changes.is_empty());
    for change in changes {
        assert_eq!(
            (change.release.as_str(), change.after.as_str()),
            ("1.5.0", "1.4.0"),
            "{change:?}"
        );
        assert_eq!(
            (change.was.from.as_str(), change.now.to.as_str()),
            ("1.0.0", "1.6.0")
        );
    }
    let get = changes
        .iter()
        .find(|c| c.case == "method.get")
        .expect("method.get changed");
    assert!(
        get.now
            .observed
            .mismatches
            .iter()
            .any(|m| m.contains("expected resolved at client.settled, got rejected")),
        "{get:?}"
    );
    let md = std::fs::read_to_string(dir.path().join("reports/history.md")).unwrap();
    assert!(
        md.contains(
            "| 1.5.0 (after 1.4.0) | `method.get` | **1.0.0–1.4.0** fail: expected 1 request(s)"
        ),
        "{md}"
    );
    assert!(md.contains("- 1.1.0: "), "{md}");

    // A second history measures nothing it has measured; `--verify` agrees with a recorded release and
    // finds a release whose behaviour is no longer what was recorded.
    let (code, out) = measure();
    assert_eq!(code, 0, "{out}");
    // Only the release that could not run is tried again.
    assert!(out.contains("6 stable release(s), 1 to measure"), "{out}");
    assert!(out.contains("versioned@1.1.0: could not run"), "{out}");
    let verify = |dir: &Path| {
        cli_in(
            dir,
            &[
                "history",
                "--verify",
                "adapter.toml@1.6.0",
                "--specs",
                specs.to_str().unwrap(),
            ],
        )
    };
    let (code, out) = verify(dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("recorded case(s) behave as reports/history/versioned.json says"),
        "{out}"
    );
    let mut tampered = record.clone();
    let mut results = tampered.results("1.6.0").unwrap().clone();
    results.get_mut("method.get").unwrap().fingerprint = "0000000000000000".into();
    tampered.measured("1.6.0", "s", results);
    tampered
        .write(&Record::path(dir.path(), "versioned"))
        .unwrap();
    let (code, out) = verify(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("method.get: recorded fail (0000000000000000), now fail ("),
        "{out}"
    );
    assert!(out.contains("1 case(s) differ from"), "{out}");
}
