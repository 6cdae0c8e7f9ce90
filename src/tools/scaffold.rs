//! A new adapter's folder, made from a template: `templates/adapter/KIND/` copied to
//! `adapters/NAME/` (hidden files too), with `{{ name }}`, `{{ package }}` and `{{ version }}`
//! filled in. The result sets up and passes `smoke` as it is; its `README.md` lists what it still
//! needs before it is finished.
//!
//! ```
//! use taro_conformance::tools::scaffold::{Kind, Scaffold};
//! let new = Scaffold::new("my-platform", Kind::Node).unwrap();
//! assert_eq!(new.name, "my-platform");
//! assert!(Scaffold::new("../escape", Kind::Node).is_err());
//! assert!(Scaffold::new("x", Kind::TaroPackage).unwrap().package("not a package").is_err());
//! ```

use std::path::{Path, PathBuf};

use crate::adapter::REFERENCE;
use crate::adapter::manifest::ADAPTERS_DIR;
use crate::error::{Error, FileError};

/// Where the templates live, one folder per [`Kind`], relative to the repository root.
pub const TEMPLATES_DIR: &str = "templates/adapter";

/// The package a `taro-package` adapter wraps when none is named, and its pinned version (the
/// H5 package, as `adapters/taro-h5` pins it).
pub const DEFAULT_PACKAGE: (&str, &str) = ("@tarojs/taro-h5", "4.2.1");

/// The kinds of adapter a template exists for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Your own `Taro.request`, written for Node, on the kit's protocol loop and harness.
    Node,
    /// A published Taro package's request, unmodified, bundled with the kit and run in jsdom.
    TaroPackage,
}

impl Kind {
    /// The template's folder name.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Node => "node",
            Kind::TaroPackage => "taro-package",
        }
    }
}

/// What to make: the adapter's name and kind, and for a Taro package, which one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaffold {
    /// The adapter's name: its folder under `adapters/` and what `--adapter` takes.
    pub name: String,
    /// The template.
    pub kind: Kind,
    /// The npm package under test (a `taro-package` adapter).
    pub package: String,
    /// The version of it that `package.json` pins.
    pub version: String,
}

impl Scaffold {
    /// A scaffold of `kind` named `name`, which must be a plain folder name: lower-case letters,
    /// digits and `-`, starting with a letter (it becomes a path, a log file's name and a
    /// column's label).
    pub fn new(name: &str, kind: Kind) -> Result<Scaffold, Error> {
        let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && name.len() <= 64;
        if !plain {
            return Err(Error::Usage(format!(
                "`{name}` is not a usable adapter name: use lower-case letters, digits and `-`, \
                 starting with a letter (at most 64)"
            )));
        }
        if name == REFERENCE || name == "lib" {
            return Err(Error::Usage(format!(
                "`{name}` is taken: the reference adapter and adapters/lib have it"
            )));
        }
        let (package, version) = DEFAULT_PACKAGE;
        Ok(Scaffold {
            name: name.to_string(),
            kind,
            package: package.to_string(),
            version: version.to_string(),
        })
    }

    /// The package under test, `NAME` or `NAME@VERSION` (an npm package name, scoped or not).
    pub fn package(mut self, given: &str) -> Result<Scaffold, Error> {
        let (name, version) = match given.rfind('@').filter(|&at| at > 0) {
            Some(at) => (&given[..at], Some(&given[at + 1..])),
            None => (given, None),
        };
        let part = |p: &str| {
            !p.is_empty()
                && !p.starts_with('.')
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._~".contains(c))
        };
        let valid = match name.strip_prefix('@') {
            Some(scoped) => scoped
                .split_once('/')
                .is_some_and(|(scope, rest)| part(scope) && part(rest)),
            None => part(name),
        };
        if !valid {
            return Err(Error::Usage(format!(
                "`{given}` is not an npm package name (`NAME`, `@SCOPE/NAME`, or either with \
                 `@VERSION`)"
            )));
        }
        self.package = name.to_string();
        if let Some(version) = version {
            semver::Version::parse(version).map_err(|e| {
                Error::Usage(format!("`{version}` in `{given}` is not a version: {e}"))
            })?;
            self.version = version.to_string();
        }
        Ok(self)
    }

    /// Writes the adapter's folder under `root/adapters/` from `root/templates/adapter/KIND`;
    /// returns the files written. Refuses a folder that exists.
    pub fn write(&self, root: &Path) -> Result<Vec<PathBuf>, Error> {
        let template = root.join(TEMPLATES_DIR).join(self.kind.folder());
        let target = root.join(ADAPTERS_DIR).join(&self.name);
        if target.exists() {
            return Err(Error::Usage(format!(
                "{} exists already: choose another name, or remove it first",
                target.display()
            )));
        }
        if !template.is_dir() {
            return Err(FileError::new(&template, "the template is missing").into());
        }
        let mut env = minijinja::Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .keep_trailing_newline(true)
                .build()
                .expect("the default delimiters are valid"),
        );
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        let context = minijinja::context! {
            name => &self.name,
            package => &self.package,
            version => &self.version,
        };
        let mut written = Vec::new();
        for entry in walkdir::WalkDir::new(&template).sort_by_file_name() {
            let entry = entry.map_err(|e| FileError::new(&template, e.to_string()))?;
            let relative = entry
                .path()
                .strip_prefix(&template)
                .expect("walkdir stays under its root");
            let to = target.join(relative);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).map_err(|e| FileError::unwritable(&to, &e))?;
                continue;
            }
            let text = std::fs::read_to_string(entry.path())
                .map_err(|e| FileError::unreadable(entry.path(), &e))?;
            let rendered = env
                .render_str(&text, &context)
                .map_err(|e| FileError::new(entry.path(), e.to_string()))?;
            std::fs::write(&to, rendered).map_err(|e| FileError::unwritable(&to, &e))?;
            written.push(to);
        }
        Ok(written)
    }
}
