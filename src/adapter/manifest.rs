//! Adapter manifests: `adapters/NAME/adapter.toml` says what an adapter is, how to set it up and
//! how to start it.
//!
//! ```toml
//! name = "example-node"
//! platform = "node"
//! description = "The contract on Node's own fetch: a small adapter to read before writing one"
//! setup = ""                    # a shell command run in this directory; empty: nothing to do
//! start = ["node", "adapter.js"]
//! ready = []                    # paths (relative to this directory) that exist once set up
//! start_timeout_ms = 10000
//! env = []                      # variables of the runner's environment it needs besides the
//!                               # allow-list of `adapter::env`
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::AdapterError;
use super::env::{Purpose, passed};
use super::process::Launch;
use super::setup_output::{SetupOutput, run_shown};
use crate::error::{Error, FileError};

/// Where manifests live, relative to the repository root.
pub const ADAPTERS_DIR: &str = "adapters";

/// One adapter's manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The adapter's name, as given to `--adapter`.
    pub name: String,
    /// The platform it stands for.
    pub platform: String,
    /// One line saying what it is.
    pub description: String,
    /// A shell command, run in the adapter's directory, that sets it up (empty: nothing).
    #[serde(default)]
    pub setup: String,
    /// The program and its arguments, run in the adapter's directory.
    pub start: Vec<String>,
    /// Paths, relative to the adapter's directory, that exist once it is set up.
    #[serde(default)]
    pub ready: Vec<String>,
    /// How long it may take to answer `start`, in ms (default 30000).
    #[serde(default)]
    pub start_timeout_ms: Option<u64>,
    /// Variables of the runner's environment that the program and the setup commands get
    /// besides those of the allow-list (see [`super::env`]): a registry token, say.
    #[serde(default)]
    pub env: Vec<String>,
    /// For an adapter of a Taro package: a shell command, run in this directory, that sets up
    /// another published version of the package under test, named by `{taro}` (`setup NAME
    /// --taro 4.0.12`). Absent: the adapter runs only its pinned version.
    #[serde(default)]
    pub setup_version: Option<String>,
    /// Paths that exist once a version is set up, with `{taro}` for the version.
    #[serde(default)]
    pub ready_version: Vec<String>,
    /// The npm package under test, for an adapter of a Taro package.
    #[serde(default)]
    pub package: Option<String>,
    /// A shell command, run in this directory, that prints the package's published versions as
    /// a JSON array (`npm view @tarojs/taro-h5 versions --json`): what `bisect` searches.
    #[serde(default)]
    pub list_versions: Option<String>,
    /// The directory the manifest is in (filled in on loading).
    #[serde(skip)]
    pub dir: PathBuf,
}

impl Manifest {
    /// Reads a manifest file; errors name the file and, when known, the line and column.
    pub fn load(path: &Path) -> Result<Manifest, FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
        let mut manifest: Manifest =
            toml::from_str(&text).map_err(|e| FileError::from_toml(path, &text, &e))?;
        if manifest.start.is_empty() {
            return Err(FileError::new(path, "`start` must name a program"));
        }
        super::name::check_name(&manifest.name)
            .map_err(|why| FileError::new(path, format!("`name`: {why}")))?;
        if let Some(bad) = manifest
            .env
            .iter()
            .find(|v| !super::env::is_variable_name(v))
        {
            return Err(FileError::new(
                path,
                format!("`env`: {bad:?} is not a variable name (letters, digits and `_`)"),
            ));
        }
        // `adapter.toml` given alone has the empty path as its parent: that is ".".
        manifest.dir = path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Ok(manifest)
    }

    /// Whether every `ready` path exists.
    pub fn is_set_up(&self) -> bool {
        self.ready.iter().all(|p| self.dir.join(p).exists())
    }

    /// The `ready` paths that do not exist yet.
    pub fn missing(&self) -> Vec<&str> {
        self.ready
            .iter()
            .filter(|p| !self.dir.join(p).exists())
            .map(String::as_str)
            .collect()
    }

    /// Sets the adapter up: runs its setup command (if any) in its directory, its output going
    /// where `output` says, then checks that every `ready` path exists.
    pub fn set_up(&self, output: SetupOutput<'_>) -> Result<(), Error> {
        if !self.setup.trim().is_empty() {
            self.run_setup(&self.setup, &[], output)?;
        }
        ready(&self.name, self.missing())
    }

    /// Runs a setup command with `sh -c` in this directory, its output shown a line at a time
    /// or kept and cut to the line that says why it failed.
    fn run_setup(
        &self,
        command: &str,
        env: &[(&str, &std::ffi::OsStr)],
        output: SetupOutput<'_>,
    ) -> Result<(), Error> {
        let mut shell = std::process::Command::new("sh");
        shell
            .arg("-c")
            .arg(command)
            .env_clear()
            .envs(passed(Purpose::Setup, &self.env))
            .envs(env.iter().copied())
            .current_dir(&self.dir);
        let cannot_run =
            |e: std::io::Error| Error::Setup(format!("cannot run the setup command: {e}"));
        let (status, why) = match output {
            SetupOutput::Kept => {
                let out = shell.output().map_err(cannot_run)?;
                (out.status, why_it_failed(&out.stdout, &out.stderr))
            }
            SetupOutput::Lines(show) => {
                let status = run_shown(&mut shell, show).map_err(cannot_run)?;
                (status, "its output above says why".to_string())
            }
        };
        if status.success() {
            Ok(())
        } else {
            Err(Error::Setup(format!(
                "the setup of `{}` failed ({status}): {why}",
                self.name
            )))
        }
    }

    /// Sets up another version of the package under test (see [`Manifest::setup_version`]):
    /// the published release `taro`, or, with `source`, a local build (a package directory, a
    /// monorepo checkout after its build, or a directory of packed tarballs) run as `taro`.
    pub fn set_up_version(
        &self,
        taro: &str,
        source: Option<&Path>,
        output: SetupOutput<'_>,
    ) -> Result<(), Error> {
        self.set_up_version_with(
            taro,
            &VersionSetup {
                source,
                output,
                ..VersionSetup::default()
            },
        )
    }

    /// [`Manifest::set_up_version`], with the choices of [`VersionSetup`].
    pub fn set_up_version_with(&self, taro: &str, how: &VersionSetup<'_>) -> Result<(), Error> {
        check_version(taro)?;
        let Some(command) = &self.setup_version else {
            return Err(Error::Usage(format!(
                "adapter `{}` runs only its pinned version: its manifest has no `setup_version`",
                self.name
            )));
        };
        let mut env = vec![(VERSION_ENV, std::ffi::OsStr::new(taro))];
        env.extend(how.source.map(|s| (SOURCE_ENV, s.as_os_str())));
        if how.prune {
            env.push((PRUNE_ENV, std::ffi::OsStr::new("1")));
        }
        self.run_setup(&command.replace("{taro}", taro), &env, how.output)
            .map_err(|e| match e {
                Error::Setup(why) => Error::Setup(why.replacen(
                    &format!("`{}`", self.name),
                    &format!("`{}@{taro}`", self.name),
                    1,
                )),
                other => other,
            })?;
        ready(&format!("{}@{taro}", self.name), self.missing_version(taro))
    }

    /// The `ready_version` paths of `taro` that do not exist yet.
    pub fn missing_version(&self, taro: &str) -> Vec<String> {
        self.ready_version
            .iter()
            .map(|p| p.replace("{taro}", taro))
            .filter(|p| !self.dir.join(p).exists())
            .collect()
    }

    /// The package's published versions, in the order the command printed them.
    pub fn published_versions(&self) -> Result<Vec<String>, Error> {
        let Some(command) = &self.list_versions else {
            return Err(Error::Usage(format!(
                "adapter `{}` cannot list its package's versions: its manifest has no `list_versions`",
                self.name
            )));
        };
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .env_clear()
            .envs(passed(Purpose::Setup, &self.env))
            .current_dir(&self.dir)
            .output()
            .map_err(|e| Error::Setup(format!("cannot run `{command}`: {e}")))?;
        if !out.status.success() {
            return Err(Error::Setup(format!(
                "`{command}` failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        serde_json::from_slice(&out.stdout)
            .map_err(|e| Error::Setup(format!("`{command}` printed no JSON list of versions: {e}")))
    }

    /// How to start it on another version of the package under test.
    pub fn launch_version(&self, taro: &str) -> Launch {
        let mut launch = self.launch();
        launch.name = format!("{}@{taro}", self.name);
        launch.env.push((VERSION_ENV.into(), taro.into()));
        launch
    }

    /// How to start it.
    pub fn launch(&self) -> Launch {
        let mut launch = Launch::new(
            &self.name,
            &self.start[0],
            self.start[1..].to_vec(),
            &self.dir,
        );
        if let Some(ms) = self.start_timeout_ms {
            launch.start_timeout = Duration::from_millis(ms);
        }
        launch.named_env = self.env.clone();
        launch
    }
}

/// Whether a setup left nothing missing.
fn ready<S: std::fmt::Debug>(what: &str, missing: Vec<S>) -> Result<(), Error> {
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Setup(format!(
            "`{what}` is still not set up: missing {missing:?}"
        )))
    }
}

/// The environment variable that names the version under test, for the setup command and the
/// adapter program (absent: the pinned version).
pub const VERSION_ENV: &str = "TARO_CONFORMANCE_TARO";

/// The environment variable that names a local build's directory for the setup command.
pub const SOURCE_ENV: &str = "TARO_CONFORMANCE_TARO_SOURCE";

/// The environment variable that asks a version's setup to remove its install once the bundle
/// is built (the adapters run the bundle alone): what keeps a history of hundreds of releases
/// small on disk.
pub const PRUNE_ENV: &str = "TARO_CONFORMANCE_PRUNE";

/// How [`Manifest::set_up_version_with`] sets a version up.
///
/// ```
/// use taro_conformance::adapter::manifest::VersionSetup;
/// // Its output kept, its install removed once built.
/// let history = VersionSetup { prune: true, ..VersionSetup::default() };
/// assert!(history.source.is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct VersionSetup<'a> {
    /// A local build's directory; none: the published release.
    pub source: Option<&'a Path>,
    /// Where the setup's output goes (by default it is kept; a failure says why in one line).
    pub output: SetupOutput<'a>,
    /// Remove the install once the bundle is built.
    pub prune: bool,
}

/// The line of a failed setup's output that says why: the installer's own `cannot set up …`
/// line, else the last line of its errors, else of its output.
fn why_it_failed(stdout: &[u8], stderr: &[u8]) -> String {
    let (out, err) = (
        String::from_utf8_lossy(stdout),
        String::from_utf8_lossy(stderr),
    );
    let last = |text: &str| {
        text.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_string())
    };
    err.lines()
        .rev()
        .find(|l| l.starts_with("cannot set up"))
        .map(str::to_string)
        .or_else(|| last(&err))
        .or_else(|| last(&out))
        .unwrap_or_else(|| "it printed nothing".into())
}

/// Splits `NAME@VERSION` (an adapter at another version of its package) into its parts.
///
/// ```
/// use taro_conformance::adapter::manifest::split_version;
/// assert_eq!(split_version("taro-h5-jsdom@4.0.12"), ("taro-h5-jsdom", Some("4.0.12")));
/// assert_eq!(split_version("reference"), ("reference", None));
/// ```
pub fn split_version(value: &str) -> (&str, Option<&str>) {
    match value.rsplit_once('@') {
        Some((name, version)) if !name.is_empty() && check_version(version).is_ok() => {
            (name, Some(version))
        }
        _ => (value, None),
    }
}

/// A version is a published version's name (`4.0.12`) or a local build's (`local`): letters,
/// digits, `.`, `-`, `+`, `_`, starting with a letter or digit (it reaches a shell command and a
/// directory name).
fn check_version(version: &str) -> Result<(), Error> {
    let ok = !version.is_empty()
        && version.len() <= 64
        && version.starts_with(|c: char| c.is_ascii_alphanumeric())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'));
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "`{version}` is not a version: give a published version such as 4.0.12, or a local build's directory"
        )))
    }
}

/// The manifest an `--adapter` value names: a path to a manifest (or its directory), or the
/// name of a directory under `adapters/`.
pub fn find(name_or_path: &str) -> Result<Manifest, AdapterError> {
    let given = Path::new(name_or_path);
    let path = if given.is_file() {
        given.to_path_buf()
    } else if given.is_dir() {
        given.join("adapter.toml")
    } else {
        Path::new(ADAPTERS_DIR)
            .join(name_or_path)
            .join("adapter.toml")
    };
    if !path.is_file() {
        let known: Vec<String> = all()
            .into_iter()
            .filter_map(Result::ok)
            .map(|m| m.name)
            .collect();
        return Err(AdapterError::Unknown {
            name: name_or_path.to_string(),
            looked_at: path,
            available: known,
            at_root: crate::spec::root::is_root(Path::new(".")),
        });
    }
    Manifest::load(&path).map_err(AdapterError::Manifest)
}

/// The name an `--adapter` value stands for: the `name` of the manifest it names (a name under
/// `adapters/` or a manifest's path, however given), with its `@VERSION` if it has one; none
/// when it names no manifest that can be read (the built-in `reference`, say).
pub fn name_of(value: &str) -> Option<String> {
    let (given, version) = split_version(value);
    if given == super::REFERENCE {
        return None;
    }
    let name = find(given).ok()?.name;
    Some(match version {
        Some(version) => format!("{name}@{version}"),
        None => name,
    })
}

/// Every manifest under `adapters/`, in the platform table's order (the docs'), then by
/// directory; those that do not load last.
pub fn all() -> Vec<Result<Manifest, FileError>> {
    let Ok(entries) = std::fs::read_dir(ADAPTERS_DIR) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("adapter.toml").is_file())
        .collect();
    dirs.sort();
    let mut manifests: Vec<Result<Manifest, FileError>> = dirs
        .into_iter()
        .map(|d| Manifest::load(&d.join("adapter.toml")))
        .collect();
    // A stable sort: within a platform (and among those that do not load), by directory.
    manifests.sort_by_key(|m| match m {
        Ok(m) => super::platforms::rank(&m.platform),
        Err(_) => usize::MAX,
    });
    manifests
}

/// The names of every adapter that can run now, for `run --all`: the built-in reference, then
/// each manifest under `adapters/` that is set up, in [`all`]'s order; and the manifests that do
/// not load.
pub fn set_up() -> (Vec<String>, Vec<FileError>) {
    let mut names = vec![super::REFERENCE.to_string()];
    let mut errors = Vec::new();
    for manifest in all() {
        match manifest {
            Ok(m) if m.is_set_up() => names.push(m.name),
            Ok(_) => {}
            Err(error) => errors.push(error),
        }
    }
    (names, errors)
}
