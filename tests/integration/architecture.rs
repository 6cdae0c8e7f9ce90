//! The crate's layering, kept by a test: every module under `src/` stands on a floor, and a
//! module may name (`crate::…`) only modules on lower floors, or its own folder. Inside a folder,
//! its modules must not name each other in a cycle (a `mod.rs` and its own children excepted,
//! as Rust's re-exports make them). The floor table is the pipeline that `src/lib.rs` describes.
//! Unit tests (`tests.rs` files) may borrow from any floor to build their cases.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of the library and its floor, ground first. The command line
/// (`src/cli/`, `src/main.rs`) stands above them all and is a client of the library.
const FLOORS: &[(&str, u8)] = &[
    ("error", 0),
    ("value", 0),
    ("expect", 1),
    ("json_schema", 1),
    ("spec", 2),
    ("observe", 3),
    ("adapter", 4),
    ("mock", 4),
    ("verdict", 5),
    ("outcome", 6),
    ("run", 7),
    ("report", 8),
    ("history", 9),
    ("check", 10),
    ("tools", 10),
];

/// How many entries `src/` may hold: the pipeline's folders, a few leaves, `lib.rs`, `main.rs`.
const MOST_TOP_LEVEL_ENTRIES: usize = 18;

/// The longest a source file may grow (tables of test data excepted, none today).
const MOST_LINES: usize = 500;

/// The longest a file of the command line may grow.
const MOST_CLI_LINES: usize = 300;

/// A module's place: its path under `src/` as module names (`["report", "html"]`).
type ModPath = Vec<String>;

/// One `crate::…` reference: where it stands and what it names.
#[derive(Debug)]
struct Reference {
    file: PathBuf,
    line: usize,
    from: ModPath,
    to: ModPath,
}

fn floor(top: &str) -> Option<u8> {
    FLOORS
        .iter()
        .find(|(name, _)| *name == top)
        .map(|(_, f)| *f)
}

/// The module a file defines, by its path under `src/`.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let relative = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// The longest prefix of `path` that is a module of the tree under `src`.
fn module_named(src: &Path, path: &[&str]) -> ModPath {
    let mut module = ModPath::new();
    let mut dir = src.to_path_buf();
    for part in path {
        let file = dir.join(format!("{part}.rs"));
        let folder = dir.join(part);
        if file.is_file() || folder.join("mod.rs").is_file() {
            module.push(part.to_string());
            dir = folder;
        } else {
            break;
        }
    }
    module
}

/// A line of Rust with its comments (doc comments too) and string contents left out.
fn code_of(line: &str) -> String {
    let mut code = String::new();
    let mut in_string = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_string = !in_string,
            '\\' if in_string => {
                chars.next();
            }
            '/' if !in_string && chars.peek() == Some(&'/') => break,
            _ if !in_string => code.push(c),
            _ => {}
        }
    }
    code
}

/// Every `crate::a::b…` path in `code` (comments left out), as its parts; `crate::{a, b::c}`
/// gives one path per member.
fn crate_paths(code: &str) -> Vec<Vec<&str>> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let glued = rest[..at]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[at + "crate::".len()..];
        if glued {
            continue; // `taro_conformance_crate::…`, say
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            found.extend(inner.split(',').map(path_at).filter(|p| !p.is_empty()));
        } else {
            found.push(path_at(rest));
        }
    }
    found
}

/// The names of the path that `text` starts with: `a::b::C` of `a::b::C::new()`.
fn path_at(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        parts.push(&rest[..end]);
        match rest[end..].strip_prefix("::") {
            Some(more) => rest = more,
            None => break,
        }
    }
    parts
}

fn library_files(src: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(src)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Every `crate::…` reference of the library under `src` (the command line is a client: it
/// names the library as `taro_conformance::…`).
fn references(src: &Path) -> Vec<Reference> {
    let mut found = Vec::new();
    for file in library_files(src) {
        let from = module_of(src, &file);
        let client = from
            .first()
            .is_some_and(|top| top == "cli" || top == "main");
        let unit_tests = file.file_name().is_some_and(|name| name == "tests.rs");
        if client || unit_tests {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (index, line) in text.lines().enumerate() {
            for path in crate_paths(&code_of(line)) {
                let to = module_named(src, &path);
                if !to.is_empty() {
                    found.push(Reference {
                        file: file.clone(),
                        line: index + 1,
                        from: from.clone(),
                        to,
                    });
                }
            }
        }
    }
    found
}

/// What is wrong with the layering of the tree under `src`, one located line each.
fn violations(src: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for reference in references(src) {
        let (Some(from_top), Some(to_top)) = (reference.from.first(), reference.to.first()) else {
            continue;
        };
        let file = reference.file.strip_prefix(src.parent().unwrap_or(src));
        let place = format!(
            "{}:{}",
            file.unwrap_or(&reference.file).display(),
            reference.line
        );
        if from_top != to_top {
            match (floor(from_top), floor(to_top)) {
                (Some(from), Some(to)) if to >= from => wrong.push(format!(
                    "{place}: `{from_top}` (floor {from}) names `crate::{}` (floor {to}): a \
                     module may name only lower floors (see FLOORS in tests/integration/architecture.rs)",
                    reference.to.join("::")
                )),
                (None, _) => wrong.push(format!(
                    "{place}: `{from_top}` has no floor: add it to FLOORS in tests/integration/architecture.rs"
                )),
                (_, None) => wrong.push(format!(
                    "{place}: `{to_top}` has no floor: add it to FLOORS in tests/integration/architecture.rs"
                )),
                _ => {}
            }
            continue;
        }
        // Inside one folder: the module one level below the top that each side is in.
        let from = reference.from[..reference.from.len().min(2)].to_vec();
        let to = reference.to[..reference.to.len().min(2)].to_vec();
        if from != to && from.len() == 2 && to.len() == 2 {
            edges.entry(from).or_default().insert(to);
        }
    }
    for cycle in cycles(&edges) {
        let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
        wrong.push(format!(
            "a cycle inside `{}`: {}",
            cycle[0][0],
            names.join(" → ")
        ));
    }
    wrong
}

/// The cycles of a graph, each once, as the modules along it with the first repeated at the end.
fn cycles(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    let mut found: Vec<Vec<ModPath>> = Vec::new();
    let mut seen_sets: BTreeSet<BTreeSet<ModPath>> = BTreeSet::new();
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((node, path)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == start {
                    let set: BTreeSet<ModPath> = path.iter().cloned().collect();
                    if seen_sets.insert(set) {
                        let mut cycle = path.clone();
                        cycle.push(start.clone());
                        found.push(cycle);
                    }
                } else if !path.contains(next) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found
}

#[test]
fn every_module_names_only_lower_floors_and_no_folder_has_a_cycle() {
    let wrong = violations(&common::root().join("src"));
    assert!(
        wrong.is_empty(),
        "the layering is broken:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_floor_and_lib_rs_names_each() {
    let src = common::root().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        entries.push(name.clone());
        let module = name.trim_end_matches(".rs");
        if ["lib", "main", "cli"].contains(&module) {
            continue;
        }
        assert!(floor(module).is_some(), "src/{name} has no floor in FLOORS");
        assert!(
            lib.contains(&format!("pub mod {module};")) && lib.contains(&format!("[`{module}`]")),
            "src/lib.rs must declare `{module}` and name it in its map"
        );
    }
    assert!(
        entries.len() <= MOST_TOP_LEVEL_ENTRIES,
        "src/ holds {} entries ({}); group them by pipeline stage",
        entries.len(),
        entries.join(", ")
    );
}

#[test]
fn no_source_file_is_too_long() {
    let root = common::root();
    let mut long = Vec::new();
    for file in library_files(&root.join("src")).into_iter().chain(
        walk(&root.join("tests"))
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "rs")),
    ) {
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        let relative = file.strip_prefix(&root).unwrap();
        let most = if relative.starts_with("src/cli") {
            MOST_CLI_LINES
        } else {
            MOST_LINES
        };
        if lines > most {
            long.push(format!(
                "{} has {lines} lines (at most {most})",
                relative.display()
            ));
        }
    }
    assert!(long.is_empty(), "split by concern:\n{}", long.join("\n"));
}

/// The check itself can fail: a tree with an upward import, and one with a cycle in a folder.
#[test]
fn an_upward_import_and_a_cycle_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let write = |path: &str, text: &str| {
        let path = src.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "pub mod spec;\npub mod report;\n");
    write("spec/mod.rs", "pub mod load;\n");
    write(
        "spec/load.rs",
        "// crate::report in a comment is no import\nuse crate::report::matrix::Matrix;\n",
    );
    write("report/mod.rs", "pub mod matrix;\npub mod html;\n");
    write(
        "report/matrix.rs",
        "use crate::report::html::FILE;\nuse crate::spec;\n",
    );
    write(
        "report/html.rs",
        "use crate::{report::matrix, spec::load};\n",
    );
    let wrong = violations(&src);
    assert!(
        wrong.iter().any(|w| w.contains("spec/load.rs:2")
            && w.contains("`spec` (floor 2) names `crate::report::matrix` (floor 8)")),
        "{wrong:#?}"
    );
    assert!(
        !wrong.iter().any(|w| w.contains("spec/load.rs:1")),
        "a comment is not an import: {wrong:#?}"
    );
    assert!(
        wrong
            .iter()
            .any(|w| w.starts_with("a cycle inside `report`") && w.contains("report::html")),
        "{wrong:#?}"
    );
    assert_eq!(wrong.len(), 2, "{wrong:#?}");
}
