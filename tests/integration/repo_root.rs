//! The command line works from any folder of the repository: it runs at the repository root
//! (the nearest folder above that holds `specs/contract.yaml` and `adapters/`), while the paths
//! given on the command line stay relative to where it was started. Outside any repository,
//! the message of an adapter not found says where adapters are looked for.

use crate::common;

use common::{cli_in, root};

#[test]
fn commands_run_from_an_adapters_folder_find_the_specs_and_the_adapters() {
    let here = root().join("adapters/example-node");
    let (code, out) = cli_in(&here, &["list", "--filter", "method.get", "--exact"]);
    assert_eq!((code, out.as_str()), (0, "method.get\n"));
    let (code, out) = cli_in(&here, &["smoke", "--adapter", "example-node"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("adapter `example-node`"), "{out}");
    // Nothing is said of the folder it ran in.
    assert!(!out.contains("repository root"), "{out}");
}

#[test]
fn paths_on_the_command_line_stay_relative_to_where_it_was_started() {
    // A folder inside the repository (under target/), holding a manifest and given a log.
    let target = root().join("target");
    std::fs::create_dir_all(&target).unwrap();
    let dir = tempfile::tempdir_in(&target).unwrap();
    let adapter_js = root().join("adapters/example-node/adapter.js");
    std::fs::write(
        dir.path().join("adapter.toml"),
        format!(
            "name = \"example-node\"\nplatform = \"node\"\ndescription = \"d\"\nstart = [\"node\", {:?}]\n",
            adapter_js.display().to_string()
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let (code, out) = cli_in(
        dir.path(),
        &[
            "run",
            "--adapter",
            "adapter.toml",
            "--filter",
            "method.get",
            "--exact",
            "--log",
            "out/run.jsonl",
            "--no-baseline",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(dir.path().join("out/run.jsonl").is_file(), "{out}");
    assert!(!root().join("out/run.jsonl").exists(), "{out}");
    // A path that goes up, to a folder beside it.
    let (code, out) = cli_in(
        &dir.path().join("out"),
        &["diff", "run.jsonl", "../out/run.jsonl"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 unchanged"), "{out}");
}

#[test]
fn outside_a_repository_an_unknown_adapter_says_names_are_looked_up_at_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out) = cli_in(dir.path(), &["smoke", "--adapter", "example-node"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("unknown adapter `example-node`: no adapters/example-node/adapter.toml")
            && out.contains("relative to the repository root")
            && out.contains("specs/contract.yaml"),
        "{out}"
    );
}
