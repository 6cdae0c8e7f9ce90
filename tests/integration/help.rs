//! The commands' help, kept under `docs/help/` as the binary prints it (one file per command and
//! subcommand, and `taro-conformance.txt` for the top level), so the book's command reference
//! (`docs/commands.md`) shows every option. Fails when a file differs from the binary's output,
//! when a command has no file, or when a file is the help of no command. Regenerate them with
//!
//! ```sh
//! TARO_CONFORMANCE_UPDATE_HELP=1 cargo test --test integration help::
//! ```

use crate::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Set to rewrite the files instead of comparing them.
const UPDATE: &str = "TARO_CONFORMANCE_UPDATE_HELP";

/// The command that regenerates the files, as the failure messages print it.
const REGENERATE: &str = "TARO_CONFORMANCE_UPDATE_HELP=1 cargo test --test integration help::";

/// The binary's name, and the top-level help's file.
const BIN: &str = "taro-conformance";

/// Defaults that depend on the machine the help is printed on, written as their rule instead:
/// (command, option, what the file says in place of the number).
const MACHINE_DEPENDENT: &[(&str, &str, &str)] = &[
    ("run", "--jobs", "16 per core, from 16 to 64"),
    ("verify", "--jobs", "16 per core, from 16 to 64"),
];

fn help_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/help")
}

/// `taro-conformance ARGS… --help`, as any machine prints it: no colour, and the same width (clap
/// wraps by the terminal only with its `wrap_help` feature; COLUMNS is what it would read).
fn help(command: &[&str]) -> String {
    let output = common::binary()
        .args(command)
        .arg("--help")
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "`{BIN} {} --help` failed: {}",
        command.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("help is UTF-8");
    let name = command.join(" ");
    MACHINE_DEPENDENT
        .iter()
        .filter(|(cmd, _, _)| *cmd == name)
        .fold(text, |text, (_, option, rule)| {
            replace_default(&text, option, rule)
                .unwrap_or_else(|| panic!("`{BIN} {name} --help` shows no default for {option}"))
        })
}

/// `text` with the `[default: …]` of `option` replaced by `[default: RULE]`, or None when the
/// option shows no default. An option's text runs from its line (the first thing on it is a `-`)
/// to the next option's.
fn replace_default(text: &str, option: &str, rule: &str) -> Option<String> {
    let mut current = false;
    let mut replaced = false;
    let lines: Vec<String> = text
        .split_inclusive('\n')
        .map(|line| {
            if line.trim_start().starts_with('-') {
                current = line
                    .split_whitespace()
                    .any(|word| word.trim_end_matches(',') == option);
            }
            match (current && !replaced, line.find("[default: ")) {
                (true, Some(start)) => {
                    let end = start + line[start..].find(']')?;
                    replaced = true;
                    Some(format!(
                        "{}[default: {rule}]{}",
                        &line[..start],
                        &line[end + 1..]
                    ))
                }
                _ => Some(line.to_string()),
            }
        })
        .collect::<Option<_>>()?;
    replaced.then(|| lines.concat())
}

/// The subcommands a help text lists under `Commands:` (one a line, two spaces in; a longer
/// description continues further in), without `help`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Every command's help, by file name: the top level, and each command and subcommand it lists
/// (`baseline update` is `baseline-update.txt`).
fn expected() -> BTreeMap<String, String> {
    fn walk(command: Vec<String>, files: &mut BTreeMap<String, String>) {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let text = help(&args);
        let file = if command.is_empty() {
            format!("{BIN}.txt")
        } else {
            format!("{}.txt", command.join("-"))
        };
        for sub in subcommands(&text) {
            let mut next = command.clone();
            next.push(sub);
            walk(next, files);
        }
        files.insert(file, text);
    }
    let mut files = BTreeMap::new();
    walk(Vec::new(), &mut files);
    files
}

/// The `.txt` files in the help directory.
fn committed() -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(help_dir()) else {
        return BTreeMap::new();
    };
    entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// The first line where two texts differ, for the failure message.
fn first_difference(old: &str, new: &str) -> String {
    let (mut old_lines, mut new_lines) = (old.lines(), new.lines());
    for number in 1.. {
        match (old_lines.next(), new_lines.next()) {
            (None, None) => break,
            (a, b) if a == b => continue,
            (a, b) => {
                return format!(
                    "line {number}: the file has {:?}, the binary prints {:?}",
                    a.unwrap_or("(end)"),
                    b.unwrap_or("(end)")
                );
            }
        }
    }
    "line endings".to_string()
}

#[test]
fn help_files_are_current() {
    let expected = expected();
    assert!(
        expected.len() > 10 && expected.contains_key("run.txt"),
        "too few commands found in `{BIN} --help`: {:?}",
        expected.keys()
    );
    let dir = help_dir();
    let committed = committed();
    let leftover: Vec<&String> = committed
        .keys()
        .filter(|name| !expected.contains_key(*name))
        .collect();
    if std::env::var_os(UPDATE).is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
        for name in &leftover {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        return;
    }
    let shown = |name: &str| format!("docs/help/{name}");
    let mut problems = Vec::new();
    for (name, text) in &expected {
        match committed.get(name) {
            None => problems.push(format!("{} is missing", shown(name))),
            Some(old) if old != text => problems.push(format!(
                "{} is stale ({})",
                shown(name),
                first_difference(old, text)
            )),
            Some(_) => {}
        }
    }
    for name in &leftover {
        problems.push(format!("{} is the help of no command", shown(name)));
    }
    assert!(
        problems.is_empty(),
        "the help files differ from `{BIN} … --help`:\n  {}\nregenerate them with `{REGENERATE}`, \
         read the diff, and commit it",
        problems.join("\n  ")
    );
}

#[test]
fn the_command_reference_links_every_help_file() {
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/commands.md");
    let text = std::fs::read_to_string(&reference).unwrap();
    let missing: Vec<String> = expected()
        .into_keys()
        .filter(|name| !text.contains(&format!("(help/{name})")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/commands.md links no help file for: {}",
        missing.join(", ")
    );
}

#[test]
fn a_machine_dependent_default_is_written_as_its_rule() {
    let text = "Options:\n      --jobs <JOBS>\n          How many\n          \n          \
                [default: 32]\n\n      --log <LOG>\n          [default: x]\n";
    let replaced = replace_default(text, "--jobs", "RULE").unwrap();
    assert!(replaced.contains("[default: RULE]\n"), "{replaced}");
    assert!(replaced.contains("[default: x]"), "{replaced}");
    let short =
        "      --jobs <JOBS>        How many cases [default: 32]\n  -h, --help  Print help\n";
    assert_eq!(
        replace_default(short, "--jobs", "RULE").unwrap(),
        "      --jobs <JOBS>        How many cases [default: RULE]\n  -h, --help  Print help\n"
    );
    assert_eq!(replace_default(short, "--log", "RULE"), None);
}

#[test]
fn subcommands_are_read_from_the_commands_section() {
    let text = "Usage: x <COMMAND>\n\nCommands:\n  run   Run it\n        and more\n  \
                list  List\n  help  Print this message\n\nOptions:\n  -h, --help  Print help\n";
    assert_eq!(subcommands(text), ["run", "list"]);
}
