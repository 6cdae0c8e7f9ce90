use super::*;
use crate::history::record::seen;
use crate::verdict::Status;

/// A record of adapter `a`: each release with case `x`'s status and fingerprint.
fn record(releases: &[(&str, Status, &str)]) -> Record {
    let mut record = Record::new("a", "@pkg/a");
    record.runtime = "node".into();
    for (release, status, fingerprint) in releases {
        record.measured(
            release,
            "s",
            [("x".to_string(), seen(*status, fingerprint))].into(),
        );
    }
    record
}

/// Each change as (release, after, was from–to, now from–to).
fn spans(history: &History) -> Vec<[String; 6]> {
    history.adapters[0]
        .changes
        .iter()
        .map(|c| {
            [
                &c.release,
                &c.after,
                &c.was.from,
                &c.was.to,
                &c.now.from,
                &c.now.to,
            ]
            .map(String::clone)
        })
        .collect()
}

#[test]
fn a_change_spans_the_runs_of_equal_releases_on_both_sides_to_the_record_s_ends() {
    let (f, p) = (Status::Fail, Status::Pass);
    let history = History::of(&[record(&[
        ("1.0.0", f, "1"),
        ("1.1.0", f, "1"),
        ("1.2.0", p, "2"),
        ("1.3.0", p, "2"),
        ("1.4.0", p, "2"),
        ("2.0.0", f, "1"),
    ])]);
    let row = |r: [&str; 6]| r.map(String::from);
    assert_eq!(
        spans(&history),
        [
            row(["1.2.0", "1.1.0", "1.0.0", "1.1.0", "1.2.0", "1.4.0"]),
            row(["2.0.0", "1.4.0", "1.2.0", "1.4.0", "2.0.0", "2.0.0"]),
        ]
    );
    let a = &history.adapters[0];
    assert_eq!(
        (a.adapter.as_str(), a.package.as_str(), a.runtime.as_str()),
        ("a", "@pkg/a", "node")
    );
    assert_eq!(
        a.measured,
        ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "2.0.0"]
    );
    assert_eq!(a.releases.len(), 6);
    assert_eq!(a.releases[2].1["x"], seen(p, "2"));
    assert_eq!(a.changes[0].was.observed, seen(f, "1"));
    assert_eq!(a.changes[0].now.observed, seen(p, "2"));
}

#[test]
fn a_change_is_a_new_status_or_fingerprint_between_neighbours_not_new_words() {
    let mut reworded = seen(Status::Fail, "1");
    reworded.mismatches = vec!["other words".into()];
    let mut words = record(&[("1.0.0", Status::Fail, "1")]);
    words.measured("1.1.0", "s", [("x".to_string(), reworded)].into());
    words.could_not_run("1.2.0", "no bundle");
    assert!(
        History::of(std::slice::from_ref(&words)).adapters[0]
            .changes
            .is_empty()
    );
    assert_eq!(
        History::of(&[words]).adapters[0].not_run[0].release,
        "1.2.0"
    );
    let status = History::of(&[record(&[
        ("1.0.0", Status::Fail, "1"),
        ("1.1.0", Status::Timeout, "1"),
    ])]);
    assert_eq!(status.adapters[0].changes.len(), 1);
}

#[test]
fn a_change_is_unstable_when_either_side_is() {
    let history = History::of(&[record(&[
        ("1.0.0", Status::Fail, "1"),
        ("1.1.0", Status::Pass, "2"),
    ])]);
    let change = &history.adapters[0].changes[0];
    assert!(!change.unstable());
    for side in [0, 1] {
        let mut change = change.clone();
        let observed = if side == 0 {
            &mut change.was.observed
        } else {
            &mut change.now.observed
        };
        observed.unstable = true;
        assert!(change.unstable(), "side {side}");
    }
}

#[test]
fn a_note_explains_only_the_change_of_its_adapter_case_and_release() {
    let mut other = record(&[("1.0.0", Status::Fail, "1"), ("1.1.0", Status::Pass, "2")]);
    other.adapter = "b".into();
    let records = [
        record(&[("1.0.0", Status::Fail, "1"), ("1.1.0", Status::Pass, "2")]),
        other,
    ];
    let note = |adapter: &str, case: &str, release: &str| Note {
        adapter: adapter.into(),
        case: case.into(),
        release: release.into(),
        why: format!("why {adapter}"),
        link: Some("https://example.invalid/1".into()),
    };
    let notes = [
        note("b", "x", "1.1.0"),
        note("c", "x", "1.1.0"),
        note("a", "y", "1.1.0"),
    ];
    let (history, unmatched) = History::of(&records).with_notes(&notes);
    assert_eq!(unmatched, notes[1..]);
    assert_eq!(history.adapters[0].changes[0].documented, None);
    assert_eq!(
        history.adapters[1].changes[0].documented,
        Some(Documented {
            why: "why b".into(),
            link: Some("https://example.invalid/1".into())
        })
    );
}

#[test]
fn the_levels_are_the_suite_s_and_the_notes_are_read_from_their_file() {
    let suite = crate::spec::Suite {
        cases: crate::spec::load_str(
            Path::new("s.yaml"),
            "cases:\n  - id: x.one\n    summary: s\n    contract: [A-1]\n    level: informational\n    call: { url: \"http://127.0.0.1:9/\" }\n    expect: { client: { settled: rejected } }\n",
        )
        .unwrap(),
        ..Default::default()
    };
    let history = History::of(&[]).with_levels(&suite);
    assert_eq!(
        history.levels,
        BTreeMap::from([("x.one".to_string(), Level::Informational)])
    );
    let root = tempfile::tempdir().unwrap();
    assert_eq!(read_notes(root.path()).unwrap(), []);
    let path = root.path().join(NOTES_FILE);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        "notes:\n  - { adapter: a, case: x, release: 1.1.0, why: w, link: l }\n",
    )
    .unwrap();
    assert_eq!(read_notes(root.path()).unwrap()[0].release, "1.1.0");
    std::fs::write(&path, "notes: 1\n").unwrap();
    assert!(
        read_notes(root.path())
            .unwrap_err()
            .to_string()
            .contains("notes.yaml")
    );
}
