use super::*;
use crate::history::record::seen;
use crate::verdict::Status;

/// A slice's record of `adapter`: `releases` measured on suite `suite`, each failing case `a`
/// with the release as its fingerprint.
fn slice(adapter: &str, partition: &str, suite: &str, releases: &[&str]) -> Record {
    let mut record = Record::new(adapter, &format!("@pkg/{adapter}"));
    for release in releases {
        let results = [("a".to_string(), seen(Status::Fail, release))].into();
        record.measured(release, suite, results);
    }
    record.partition = Some(partition.parse().unwrap());
    record.runtime = format!("runtime of {partition}");
    record
}

/// Writes `record` as `dir/file` (creating `dir`); returns `dir`.
fn put(dir: &Path, file: &str, record: &Record) -> PathBuf {
    record.write(&dir.join(file)).unwrap();
    dir.to_path_buf()
}

fn error(root: &Path, dirs: &[PathBuf]) -> String {
    merge(root, dirs).unwrap_err().to_string()
}

#[test]
fn slices_merge_into_each_adapter_s_record_over_what_it_held() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    // The whole record already holds 1.0.0 and 2.0.0; the slices measure 2.0.0 again and 3.0.0.
    let mut whole = slice("a", "1/1", "s", &["1.0.0", "2.0.0"]);
    whole.partition = None;
    whole.write(&Record::path(root, "a")).unwrap();
    let one = put(
        &root.join("one/deeper"),
        "a.json",
        &slice("a", "1/2", "s", &["2.0.0"]),
    );
    let mut second = slice("a", "2/2", "s", &["3.0.0"]);
    second.could_not_run("4.0.0", "no bundle");
    let two = put(&root.join("two"), "a.json", &second);
    put(
        &root.join("two"),
        "b.json",
        &slice("b", "1/3", "s", &["1.0.0"]),
    );
    std::fs::write(root.join("two/notes.txt"), "not a record").unwrap();
    let merged = merge(root, &[root.join("one"), two]).unwrap();
    let missing: Vec<(String, Vec<String>)> = merged
        .missing
        .iter()
        .map(|(a, p)| (a.clone(), p.iter().map(ToString::to_string).collect()))
        .collect();
    assert_eq!(
        missing,
        [("b".to_string(), vec!["2/3".to_string(), "3/3".to_string()])]
    );
    let a = Record::read(&Record::path(root, "a")).unwrap();
    assert_eq!(a.partition, None, "whole");
    assert_eq!(a.all_releases(), ["1.0.0", "2.0.0", "3.0.0", "4.0.0"]);
    assert_eq!(a.runtime, "runtime of 2/2");
    assert_eq!(merged.records.len(), 2);
    assert_eq!(merged.records[0].0, Record::path(root, "a"));
    assert_eq!(merged.records[0].1, a);
    let b = Record::read(&Record::path(root, "b")).unwrap();
    assert_eq!((b.package.as_str(), b.partition), ("@pkg/b", None));
    assert!(one.is_dir());
}

#[test]
fn what_is_not_a_directory_of_slices_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    let none = root.join("none");
    assert_eq!(
        error(root, std::slice::from_ref(&none)),
        format!(
            "--merge {}: not a directory of slice records",
            none.display()
        )
    );
    std::fs::create_dir(&none).unwrap();
    assert_eq!(
        error(root, &[none]),
        "--merge: no slice record (ADAPTER.json) found in the directories given"
    );
    let mut whole = slice("a", "1/2", "s", &["1.0.0"]);
    whole.partition = None;
    let dir = put(&root.join("whole"), "a.json", &whole);
    let said = error(root, std::slice::from_ref(&dir));
    assert_eq!(
        said,
        format!(
            "{}: not a slice's record (no `partition`): `history --partition K/N` writes them",
            dir.join("a.json").display()
        )
    );
    std::fs::write(dir.join("a.json"), "{").unwrap();
    assert!(error(root, &[dir]).contains("not a history record"));
}

#[test]
fn slices_of_two_suites_two_packages_or_two_cuts_are_refused_writing_nothing() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    let dir = root.join("slices");
    let good = || put(&dir, "a.json", &slice("a", "1/2", "s1", &["1.0.0"]));
    good();
    put(&dir, "b.json", &slice("b", "1/2", "s2", &["1.0.0"]));
    let said = error(root, std::slice::from_ref(&dir));
    assert!(
        said.starts_with(&format!("{}:", dir.join("b.json").display()))
            && said.contains(": measured on the suite s2, but ")
            && said.contains("a.json on s1: the slices of one history are measured on one suite"),
        "{said}"
    );
    // Another package than the whole record's.
    put(&dir, "b.json", &slice("b", "2/2", "s1", &["2.0.0"]));
    Record::new("b", "@other/b")
        .write(&Record::path(root, "b"))
        .unwrap();
    let said = error(root, std::slice::from_ref(&dir));
    assert!(
        said.contains("b.json:")
            && said.contains(": `b` measured `@pkg/b`, but ")
            && said.contains("records `@other/b`"),
        "{said}"
    );
    std::fs::remove_file(Record::path(root, "b")).unwrap();
    // Cut in two numbers.
    let other = put(
        &root.join("other"),
        "a.json",
        &slice("a", "2/3", "s1", &["2.0.0"]),
    );
    let said = error(root, &[dir.clone(), other]);
    assert!(
        said.contains("slice 2/3 of `a`, but ")
            && said.contains("is slice 1/2: the slices of one history are cut in one number"),
        "{said}"
    );
    // One release in two slices.
    let twice = put(
        &root.join("twice"),
        "a.json",
        &slice("a", "2/2", "s1", &["1.0.0"]),
    );
    let said = error(root, &[dir, twice.clone()]);
    let located = format!("{}:", twice.join("a.json").display());
    assert!(
        said.starts_with(&located)
            && said.contains("`a` 1.0.0 is in slice 1/2 (")
            && said.contains("as well: a release is measured by one slice"),
        "{said}"
    );
    // Nothing was written: `a` was good, but `b`'s or the second slice's error came first.
    assert!(!Record::path(root, "a").exists());
    assert!(!Record::path(root, "b").exists());
}

#[test]
fn an_error_is_located_at_the_line_that_says_it() {
    let text = "{\n  \"adapter\": \"a\",\n  \"suite\": \"s2\"\n}\n";
    assert_eq!(line_of(text, "s2"), 3);
    assert_eq!(line_of(text, "a"), 2);
    assert_eq!(line_of(text, "none"), 1);
    assert_eq!(
        default_dir(Partition { index: 2, count: 5 }),
        Path::new("target/history/slices/2-of-5")
    );
}
