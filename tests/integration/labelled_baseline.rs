//! `baseline update` never writes the pinned adapter's baseline from a labelled run
//! (`NAME@VERSION`: another release or a local build, judged against the pinned one's baseline):
//! it is refused unless `--labelled` names a file of its own.

use crate::common;

use common::{cli, root};

fn pinned_baseline() -> Vec<u8> {
    std::fs::read(root().join("reports/baselines/example-node.yaml")).unwrap()
}

#[test]
fn a_labelled_adapter_is_refused_without_labelled_and_never_writes_the_pinned_file() {
    let before = pinned_baseline();
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("own.yaml");
    let own = own.to_str().unwrap();
    for (args, says) in [
        (
            &["baseline", "update", "--adapter", "example-node@pr"][..],
            "is a labelled run",
        ),
        (
            &[
                "baseline",
                "update",
                "--adapter",
                "example-node@pr",
                "--labelled",
            ][..],
            "--labelled writes only into the file --baseline names",
        ),
        (
            &[
                "baseline",
                "update",
                "--adapter",
                "example-node@pr",
                "--labelled",
                "--baseline",
                "reports/baselines/example-node.yaml",
            ][..],
            "is the pinned `example-node`'s baseline",
        ),
    ] {
        let (code, out) = cli(args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(out.contains(says), "{args:?}: {out}");
    }
    // A log of a labelled run, named as `run` names it, is refused the same way.
    let log = dir.path().join("example-node@pr.jsonl");
    let (code, out) = cli(&[
        "run",
        "--adapter",
        "example-node",
        "--filter",
        "method.get",
        "--exact",
        "--no-baseline",
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = cli(&["baseline", "update", "--from-log", log.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is a labelled run"), "{out}");
    // With --labelled and a file of its own, it writes that file.
    let (code, out) = cli(&[
        "baseline",
        "update",
        "--from-log",
        log.to_str().unwrap(),
        "--labelled",
        "--baseline",
        own,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(std::path::Path::new(own).is_file(), "{out}");
    assert_eq!(
        pinned_baseline(),
        before,
        "the pinned baseline is untouched"
    );
}
