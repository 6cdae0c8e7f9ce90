//! `history --partition K/N` and `--merge`: every release of a fake package (local, no
//! network) measured in two slices and merged is byte for byte what one run records, with the
//! changes at the slices' edge confirmed as one run confirms them; a release in two slices and
//! slices of two suites are errors located in the file that says so, and change nothing; and a
//! whole record's format is what it was.

use crate::common;

use std::path::Path;

use common::{cli_in, root};
use taro_conformance::history::Record;

/// A package of eight releases: every case changes in 1.5.0; 1.4.0 cannot be set up; the first
/// run of 1.1.0 answers every case the other way (a flap).
fn package(dir: &Path) {
    common::versioned_adapter(
        dir,
        "sliced",
        "1.5.0:1.1.0",
        r#"setup_version = "if [ {taro} = 1.4.0 ]; then echo 'cannot set up pkg 1.4.0: no request module' >&2; exit 1; fi; touch installed-{taro}"
ready_version = ["installed-{taro}"]
package = "pkg"
list_versions = "echo '[\"1.0.0\", \"1.1.0\", \"1.2.0\", \"1.3.0\", \"1.4.0\", \"1.5.0\", \"1.6.0\", \"1.7.0\"]'"
"#,
    );
}

fn history(dir: &Path, more: &[&str]) -> (i32, String) {
    let specs = root().join("specs");
    let mut args = vec![
        "history",
        "--adapter",
        "adapter.toml",
        "--from",
        "1.0.0",
        "--specs",
        specs.to_str().unwrap(),
    ];
    args.extend_from_slice(more);
    cli_in(dir, &args)
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const WRITTEN: [&str; 4] = [
    "reports/history/sliced.json",
    "reports/history.md",
    "reports/history.json",
    "reports/history.html",
];

#[test]
fn two_slices_merged_are_one_run_and_bad_slices_are_refused() {
    let whole = tempfile::tempdir().unwrap();
    package(whole.path());
    // The CI matrix for three jobs: three slices of the one package.
    let (code, out) = history(whole.path(), &["--plan", "3"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(r#"[{"adapter":"sliced","slice":"1/3","name":"sliced-1-of-3","releases":3},{"adapter":"sliced","slice":"2/3","name":"sliced-2-of-3","releases":3},{"adapter":"sliced","slice":"3/3","name":"sliced-3-of-3","releases":2}]"#),
        "{out}"
    );
    let (code, out) = history(whole.path(), &[]);
    assert_eq!(code, 0, "{out}");

    let sliced = tempfile::tempdir().unwrap();
    package(sliced.path());
    let (code, out) = history(sliced.path(), &["--partition", "1/2"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("sliced: 8 stable release(s), 8 to measure, 4 in this slice"),
        "{out}"
    );
    // 1.4.0 (the other slice's) cannot run, so 1.5.0 is the release after 1.3.0: measured here
    // too, the change between them is confirmed on this slice's side.
    assert!(
        out.contains("sliced@1.4.0: measured beside the slice, to confirm its edge (could not run"),
        "{out}"
    );
    assert!(
        out.contains("sliced@1.5.0: measured beside the slice, to confirm its edge (ran"),
        "{out}"
    );
    assert!(out.contains("sliced@1.3.0: running"), "{out}");
    assert!(out.contains("is unstable: its runs disagreed"), "{out}");
    assert!(
        out.contains("slice 1/2: records in target/history/slices/1-of-2"),
        "{out}"
    );
    let (code, out) = history(sliced.path(), &["--partition", "2/2"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("sliced@1.4.0: could not run"), "{out}");
    assert!(
        out.contains("sliced@1.3.0: measured beside the slice, to confirm its edge (ran"),
        "{out}"
    );
    assert!(out.contains("sliced@1.5.0: running"), "{out}");
    // A slice writes no whole record and no page.
    assert!(!sliced.path().join("reports").exists());
    let first = Record::read(
        &sliced
            .path()
            .join("target/history/slices/1-of-2/sliced.json"),
    )
    .unwrap();
    let mine: Vec<&str> = first.all_releases();
    assert_eq!(mine, ["1.0.0", "1.1.0", "1.2.0", "1.3.0"]);

    // The same suite as the whole run's: the digest ranks changes by their cases' levels.
    let specs = root().join("specs");
    let (code, out) = cli_in(
        sliced.path(),
        &[
            "history",
            "--merge",
            "target/history/slices",
            "--specs",
            specs.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("merged reports/history/sliced.json: 7 releases measured, 1 could not run"),
        "{out}"
    );
    for path in WRITTEN {
        let (one, merged) = (read(whole.path(), path), read(sliced.path(), path));
        // The first line that differs, not two whole records.
        let differ = one
            .lines()
            .zip(merged.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| (i + 1, a.to_string(), b.to_string()));
        assert!(
            one == merged,
            "{path}: the merged slices are not one run's; first difference at line {differ:?}"
        );
    }
    let merged = read(sliced.path(), WRITTEN[0]);
    assert!(merged.contains("\"unstable\": true") && !merged.contains("partition"));

    // A release in two slices: slice 2's record claims 1.3.0 as well.
    let mut claims = Record::read(
        &sliced
            .path()
            .join("target/history/slices/2-of-2/sliced.json"),
    )
    .unwrap();
    let suite = first.suites()["1.3.0"].to_string();
    claims.measured("1.3.0", &suite, first.results("1.3.0").unwrap().clone());
    let bad = sliced.path().join("bad");
    claims.write(&bad.join("sliced.json")).unwrap();
    let (code, out) = cli_in(
        sliced.path(),
        &["history", "--merge", "target/history/slices/1-of-2", "bad"],
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("bad/sliced.json:")
            && out.contains(
                "`sliced` 1.3.0 is in slice 1/2 (target/history/slices/1-of-2/sliced.json) as well"
            ),
        "{out}"
    );
    // Slices measured on different suites.
    let mut other = Record::read(
        &sliced
            .path()
            .join("target/history/slices/2-of-2/sliced.json"),
    )
    .unwrap();
    for stretch in &mut other.stretches {
        stretch.suite = "0123456789abcdef".into();
    }
    other.write(&bad.join("sliced.json")).unwrap();
    let (code, out) = cli_in(
        sliced.path(),
        &["history", "--merge", "target/history/slices/1-of-2", "bad"],
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("bad/sliced.json:") && out.contains("measured on the suite 0123456789abcdef, but target/history/slices/1-of-2/sliced.json on "),
        "{out}"
    );
    // Neither touched the merged record; one slice alone merges, and says what is missing.
    assert_eq!(read(sliced.path(), WRITTEN[0]), merged);
    let (code, out) = cli_in(
        sliced.path(),
        &["history", "--merge", "target/history/slices/1-of-2"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: no record of slice 2/2 of `sliced`"),
        "{out}"
    );
}

#[test]
fn the_committed_records_read_and_written_back_are_unchanged() {
    // The slice a record holds is written only in a slice's record: a whole one keeps its format.
    let dir = tempfile::tempdir().unwrap();
    for record in taro_conformance::history::all_records(&root()).unwrap() {
        let path = Record::path(&root(), &record.adapter);
        let copy = dir.path().join(format!("{}.json", record.adapter));
        record.write(&copy).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            std::fs::read_to_string(&copy).unwrap(),
            "{}",
            path.display()
        );
    }
}
