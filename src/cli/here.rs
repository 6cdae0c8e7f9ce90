//! Where a command runs: at the repository root, found from any folder inside it, with the paths
//! given on the command line kept meaning what they meant where it was started.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use clap::builder::{PathBufValueParser, StringValueParser, TypedValueParser, ValueParser};
use clap::parser::ValueSource;
use clap::{Arg, Parser};
use taro_conformance::adapter::manifest::split_version;
use taro_conformance::error::EXIT_UNUSABLE;
use taro_conformance::spec::root;

/// Parses the arguments and, started in a folder below the repository root, moves to the root:
/// every default path (the specs, the adapters, the baselines, the run logs) is relative to it.
/// The paths given on the command line keep meaning what they meant where it was started: they
/// are made absolute first. Outside any repository, nothing moves.
pub fn parse_at_root<Cli: Parser>() -> Cli {
    let Ok(here) = std::env::current_dir() else {
        return Cli::parse();
    };
    let root = match root::find(&here) {
        Some(root) if root != here => root,
        _ => return Cli::parse(),
    };
    let matches = from_here(Cli::command(), &here).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Err(error) = std::env::set_current_dir(&root) {
        errln!(
            "error: cannot move to the repository root {}: {error}",
            root.display()
        );
        std::process::exit(EXIT_UNUSABLE.into());
    }
    cli
}

/// `command` with every path argument, and every adapter or package value that names an
/// existing file or folder, made absolute against `here` when given on the command line
/// (defaults stay relative to the root).
fn from_here(command: clap::Command, here: &Path) -> clap::Command {
    let command = command.mut_args(|arg| from_here_arg(arg, here));
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    names.iter().fold(command, |command, name| {
        command.mut_subcommand(name, |sub| from_here(sub, here))
    })
}

fn from_here_arg(arg: Arg, here: &Path) -> Arg {
    let here = here.to_path_buf();
    let parser = arg.get_value_parser().type_id();
    if parser == ValueParser::path_buf().type_id() {
        arg.value_parser(PathFromHere(here))
    } else if parser != ValueParser::string().type_id() {
        arg
    } else if ["adapter", "adapters"].contains(&arg.get_id().as_str()) {
        // `--adapter NAME | MANIFEST[@VERSION]`: a path when it names a manifest here.
        let manifest = |p: &Path| p.is_file() || p.join("adapter.toml").is_file();
        arg.value_parser(NameOrPathFromHere(here, manifest))
    } else if arg.get_id() == "taro" {
        // `setup --taro VERSION | PATH`: a path when it names something here.
        arg.value_parser(NameOrPathFromHere(here, Path::exists))
    } else {
        arg
    }
}

/// A path argument, made absolute against the folder the command was started in.
#[derive(Clone)]
struct PathFromHere(PathBuf);

impl TypedValueParser for PathFromHere {
    type Value = PathBuf;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<PathBuf, clap::Error> {
        self.parse_ref_(cmd, arg, value, ValueSource::CommandLine)
    }

    fn parse_ref_(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
        source: ValueSource,
    ) -> Result<PathBuf, clap::Error> {
        let path = PathBufValueParser::new().parse_ref(cmd, arg, value)?;
        Ok(match source {
            ValueSource::DefaultValue => path,
            _ => self.0.join(path),
        })
    }
}

/// An adapter's name or manifest path (with `@VERSION`), or a version or a package's folder:
/// made absolute against the folder the command was started in when it is a path there (as the
/// function says), else (a name, a version) kept.
#[derive(Clone)]
struct NameOrPathFromHere(PathBuf, fn(&Path) -> bool);

impl TypedValueParser for NameOrPathFromHere {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        self.parse_ref_(cmd, arg, value, ValueSource::CommandLine)
    }

    fn parse_ref_(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
        source: ValueSource,
    ) -> Result<String, clap::Error> {
        let text = StringValueParser::new().parse_ref(cmd, arg, value)?;
        let (name, version) = split_version(&text);
        let path = self.0.join(name);
        let is_path = source != ValueSource::DefaultValue
            && name != taro_conformance::adapter::REFERENCE
            && (self.1)(&path);
        Ok(match (is_path, version) {
            (false, _) => text,
            (true, None) => path.display().to_string(),
            (true, Some(version)) => format!("{}@{version}", path.display()),
        })
    }
}
