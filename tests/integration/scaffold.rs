//! `adapter new`: a new adapter made from a template in a temporary tree (the specs, the kit and
//! the templates copied), which then sets up, passes `smoke` and runs cases as it is.

use crate::common;

use common::cli_in;

use std::path::Path;

/// Copies `from` (a folder) to `to`, recursively.
fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A tree with what an adapter's commands read: the specs, the kit and the templates.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    for part in ["specs", "templates/adapter", "adapters/lib"] {
        copy(&root.join(part), &dir.path().join(part));
    }
    dir
}

#[test]
fn a_node_adapter_from_the_template_sets_up_passes_smoke_and_runs() {
    let dir = tree();
    let root = dir.path();
    let (code, out) = cli_in(root, &["adapter", "new", "my-node", "--kind", "node"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("wrote adapters/my-node"), "{out}");
    let manifest = std::fs::read_to_string(root.join("adapters/my-node/adapter.toml")).unwrap();
    assert!(manifest.contains("name = \"my-node\""), "{manifest}");
    assert!(
        !manifest.contains("{{"),
        "a variable left unfilled: {manifest}"
    );

    let (code, out) = cli_in(root, &["setup", "my-node"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = cli_in(root, &["smoke", "--adapter", "my-node"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("speaks protocol v1: yes"), "{out}");
    let logs = root.join("logs");
    let (code, out) = cli_in(
        root,
        &[
            "run",
            "--adapter",
            "my-node",
            "--filter",
            "data.query",
            "--no-baseline",
            "--log-dir",
            logs.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("pass"), "{out}");
    assert!(logs.join("my-node.jsonl").is_file(), "{out}");
}

#[test]
fn a_taro_package_adapter_names_its_package_and_version_everywhere() {
    let dir = tree();
    let root = dir.path();
    let (code, out) = cli_in(
        root,
        &[
            "adapter",
            "new",
            "my-h5",
            "--kind",
            "taro-package",
            "--package",
            "@tarojs/taro-h5@4.0.12",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let folder = root.join("adapters/my-h5");
    let package = std::fs::read_to_string(folder.join("package.json")).unwrap();
    assert!(
        package.contains("\"@tarojs/taro-h5\": \"4.0.12\""),
        "{package}"
    );
    assert!(
        folder.join(".gitignore").is_file(),
        "hidden files are copied too"
    );
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("{{"), "{}: {text}", path.display());
        assert!(
            text.ends_with('\n'),
            "{} lost its last newline",
            path.display()
        );
    }
}

#[test]
fn a_bad_name_a_taken_folder_and_a_misplaced_package_are_refused() {
    let dir = tree();
    let root = dir.path();
    for (args, says) in [
        (
            &["adapter", "new", "../escape", "--kind", "node"][..],
            "is not a usable adapter name",
        ),
        (
            &["adapter", "new", "Upper", "--kind", "node"][..],
            "is not a usable adapter name",
        ),
        (&["adapter", "new", "lib", "--kind", "node"][..], "is taken"),
        (
            &["adapter", "new", "x", "--kind", "node", "--package", "a"][..],
            "--package is for --kind taro-package",
        ),
        (
            &[
                "adapter",
                "new",
                "x",
                "--kind",
                "taro-package",
                "--package",
                "Not A Package",
            ][..],
            "is not an npm package name",
        ),
        (
            &[
                "adapter",
                "new",
                "x",
                "--kind",
                "taro-package",
                "--package",
                "@tarojs/taro-h5@four",
            ][..],
            "is not a version",
        ),
    ] {
        let (code, out) = cli_in(root, args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(out.contains(says), "{args:?}: {out}");
    }
    assert!(!root.join("escape").exists() && !root.join("adapters/x").exists());
    let (code, out) = cli_in(root, &["adapter", "new", "twice", "--kind", "node"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = cli_in(root, &["adapter", "new", "twice", "--kind", "node"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("exists already"), "{out}");
}
