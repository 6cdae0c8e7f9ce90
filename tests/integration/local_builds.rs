//! A local build is all or nothing and says what it is (`setup NAME --taro DIR`): it prints the
//! packages a build of the adapter needs and where each `@tarojs` package in the bundle came
//! from (DIR or pinned, with versions, read from esbuild's metafile); a build whose bundle would
//! hold one package twice, or leave one of DIR's out, fails naming it, and leaves nothing set up
//! under its label. The trial's case: a directory of only the WeChat plugin and `@tarojs/shared`
//! once ran with two copies of `@tarojs/shared`, and 99 cases threw.
//!
//! The builds are the pinned packages packed (no network), so these need `taro-conformance
//! setup taro-weapp` (and, for the last, every Taro adapter set up): ignored, run by `.ci/run`
//! with `--ignored`. Each setup takes a second or two; nothing is run.

use std::path::{Path, PathBuf};

use crate::common;

use common::builds::{pack, pinned_copy};
use common::{cli, root};

const WEAPP: &str = "taro-mini/packages/weapp";
const NEEDS: [&str; 5] = [
    "@tarojs/plugin-platform-weapp",
    "@tarojs/taro",
    "@tarojs/api",
    "@tarojs/runtime",
    "@tarojs/shared",
];

/// The pinned taro-weapp packages `names`, packed into DIR/NAME.
fn packed(dir: &Path, name: &str, names: &[&str]) -> PathBuf {
    let copies = dir.join(format!("{name}-src"));
    let packages: Vec<_> = names
        .iter()
        .map(|package| pinned_copy(WEAPP, package, &copies))
        .collect();
    let into = dir.join(name);
    pack(&packages, &into);
    into
}

fn setup(build: &Path, label: &str) -> (i32, String) {
    cli(&[
        "setup",
        "taro-weapp",
        "--taro",
        build.to_str().unwrap(),
        "--as",
        label,
    ])
}

/// Whether `label` is set up, as `smoke` finds it: not, with the command that would set it up.
fn not_set_up(label: &str) {
    let versions = root().join(WEAPP).join("versions");
    assert!(!versions.join(label).exists(), "{label} left set up");
    assert!(!versions.join(format!(".partial-{label}")).exists());
    let (code, out) = cli(&["smoke", "--adapter", &format!("taro-weapp@{label}")]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!("setup taro-weapp --taro {label}")),
        "{out}"
    );
}

#[test]
#[ignore = "needs `taro-conformance setup taro-weapp` (run by .ci/run with --ignored)"]
fn a_partial_build_with_a_package_twice_in_its_bundle_fails_naming_it_and_is_not_set_up() {
    let dir = tempfile::tempdir().unwrap();
    // A whole build set up under the label first: the failed one must not leave it in place.
    let whole = packed(dir.path(), "whole", &NEEDS);
    let (code, out) = setup(&whole, "partial");
    assert_eq!(code, 0, "{out}");
    let trial = packed(
        dir.path(),
        "trial",
        &["@tarojs/plugin-platform-weapp", "@tarojs/shared"],
    );
    let (code, out) = setup(&trial, "partial");
    assert_eq!(code, 1, "{out}");
    let pinned = Path::new("packages/weapp/node_modules/@tarojs/shared");
    let ours = trial.join("tarojs-shared-4.2.1.tgz");
    let expected = format!(
        "@tarojs/shared is in the bundle twice: 4.2.1 pinned ({}, imported by @tarojs/api, \
         @tarojs/runtime) and 4.2.1 from DIR ({}, imported by @tarojs/plugin-platform-weapp): \
         take @tarojs/api, @tarojs/runtime from DIR too (a build needs {})",
        pinned.display(),
        ours.display(),
        NEEDS.join(", ")
    );
    assert!(out.contains(&expected), "{expected}\n{out}");
    assert!(!out.contains("is set up"), "{out}");
    not_set_up("partial");
}

#[test]
#[ignore = "needs `taro-conformance setup taro-weapp` (run by .ci/run with --ignored)"]
fn a_package_of_dir_the_bundle_leaves_out_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let shared = packed(dir.path(), "shared", &["@tarojs/shared"]);
    let (code, out) = setup(&shared, "shared-alone");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "@tarojs/shared from DIR ({}) is not in the bundle, which holds 4.2.1 pinned",
            shared.join("tarojs-shared-4.2.1.tgz").display()
        )),
        "{out}"
    );
    assert!(
        out.contains(
            "take @tarojs/api, @tarojs/plugin-platform-weapp, @tarojs/runtime from DIR too"
        ),
        "{out}"
    );
    not_set_up("shared-alone");
}

#[test]
#[ignore = "needs `taro-conformance setup taro-weapp` (run by .ci/run with --ignored)"]
fn a_build_prints_where_each_package_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let whole = packed(dir.path(), "whole", &NEEDS);
    let (code, out) = setup(&whole, "whole");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "a build of @tarojs/plugin-platform-weapp needs {} (one DIR lacks is taken pinned)",
            NEEDS.join(", ")
        )),
        "{out}"
    );
    for name in NEEDS {
        let tarball = whole.join(format!(
            "{}-4.2.1.tgz",
            name.replace('@', "").replace('/', "-")
        ));
        let row = format!("{name} 4.2.1");
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{row} ")))
            .unwrap();
        assert!(
            line.contains(&format!("from DIR  {}", tarball.display())),
            "{out}"
        );
    }
    assert!(out.contains("4.2.1+whole (sha256:"), "{out}");
    // The plugin alone: the other four are the pinned ones, one copy each.
    let plugin = packed(dir.path(), "plugin", &NEEDS[..1]);
    let (code, out) = setup(&plugin, "plugin");
    assert_eq!(code, 0, "{out}");
    for name in &NEEDS[1..] {
        let pinned = format!("pinned    packages/weapp/node_modules/{name}");
        assert!(out.contains(&pinned), "{pinned}\n{out}");
    }
}

/// The `needs` of a bundle's dist/packages.json, and the @tarojs packages it holds (each once).
fn needs_and_held(packages_json: &Path) -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(packages_json)
        .unwrap_or_else(|e| panic!("{packages_json:?}: {e} (set the adapter up)"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut needs: Vec<String> = serde_json::from_value(json["needs"].clone()).unwrap();
    let mut held: Vec<String> = json["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .filter(|name| name.starts_with("@tarojs/"))
        .collect();
    needs.sort();
    held.sort();
    (needs, held)
}

#[test]
#[ignore = "needs every Taro adapter set up (run by .ci/run with --ignored)"]
fn each_build_js_names_exactly_the_tarojs_packages_its_pinned_bundle_holds() {
    // Every bundle an adapter's manifest waits for (a `ready` path in a dist/ folder), once.
    let mut bundles = std::collections::BTreeSet::new();
    for manifest in taro_conformance::adapter::manifest::all() {
        let manifest = manifest.unwrap();
        for ready in &manifest.ready {
            let in_dist = Path::new(ready)
                .components()
                .any(|c| c.as_os_str() == "dist");
            if in_dist && ready.ends_with(".js") {
                let bundle = manifest.dir.join(ready);
                bundles.insert(std::fs::canonicalize(&bundle).unwrap_or(bundle));
            }
        }
    }
    assert_eq!(
        bundles.len(),
        13,
        "taro-h5, taro-rn, nine mini-programs, two HarmonyOS: {bundles:#?}"
    );
    for bundle in bundles {
        let (needs, held) = needs_and_held(&bundle.with_file_name("packages.json"));
        assert!(!needs.is_empty(), "{bundle:?}");
        assert_eq!(
            needs, held,
            "{bundle:?}: the build.js's needs, and what the bundle holds"
        );
    }
}
