//! The commands about adapters: `adapters`, `adapter new`, `setup`, `smoke`, `snapshots`,
//! `repro`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use taro_conformance::adapter::setup_output::{SetupOutput, Stream, run_shown};
use taro_conformance::adapter::{self, AdapterError, manifest, platforms};
use taro_conformance::error::{EXIT_FAILED, EXIT_UNUSABLE, Error};
use taro_conformance::tools::scaffold::{Kind, Scaffold};
use taro_conformance::tools::{repro, smoke, snapshots};

use super::{Outcome, block_on};

/// `setup`.
#[derive(Args)]
pub struct SetupArgs {
    /// The adapter's name or manifest path.
    adapter: String,
    /// Set up this published version of the package under test beside the pinned one (then
    /// run it as `--adapter NAME@VERSION`), or a local build: a package directory, a Taro
    /// checkout after its build, or a directory of packed tarballs (run as `NAME@local`). A
    /// local build prints the packages it needs and where each in its bundle came from (DIR,
    /// or pinned where DIR lacks it); one the bundle would hold twice fails it, leaving
    /// nothing set up under its name.
    #[arg(long, value_name = "VERSION|PATH")]
    taro: Option<String>,
    /// The name a local build runs under (default `local`).
    #[arg(long = "as", value_name = "NAME", requires = "taro")]
    label: Option<String>,
}

/// `smoke`.
#[derive(Args)]
pub struct SmokeArgs {
    /// The adapter's name or manifest path.
    #[arg(long, default_value = adapter::REFERENCE)]
    adapter: String,
}

/// `adapter …`.
#[derive(Subcommand)]
pub enum AdapterAction {
    /// Make a new adapter's folder (adapters/NAME) from a template, ready for `setup` and
    /// `smoke`; its README.md lists what it still needs.
    New(NewArgs),
}

/// `adapter new`.
#[derive(Args)]
pub struct NewArgs {
    /// The adapter's name: lower-case letters, digits and `-` (its folder under adapters/).
    name: String,
    /// `node`: your own Taro.request written for Node; `taro-package`: a published Taro
    /// package's request, bundled and run in jsdom.
    #[arg(long, value_enum)]
    kind: Kind,
    /// The package a `taro-package` adapter wraps, NAME or NAME@VERSION (default
    /// @tarojs/taro-h5@4.2.1).
    #[arg(long, value_name = "PKG")]
    package: Option<String>,
}

/// Makes a new adapter's folder from its template.
pub fn adapter(action: AdapterAction) -> Outcome {
    let AdapterAction::New(args) = action;
    let mut scaffold = Scaffold::new(&args.name, args.kind)?;
    if let Some(package) = &args.package {
        if args.kind != Kind::TaroPackage {
            return Err(Error::Usage(
                "--package is for --kind taro-package: a node adapter is your own code".into(),
            ));
        }
        scaffold = scaffold.package(package)?;
    }
    let written = scaffold.write(".".as_ref())?;
    let folder = std::path::Path::new(manifest::ADAPTERS_DIR).join(&scaffold.name);
    outln!("wrote {} ({} files)", folder.display(), written.len());
    outln!(
        "next: taro-conformance setup {name} && taro-conformance smoke --adapter {name}",
        name = scaffold.name
    );
    outln!(
        "then: what a finished adapter needs, in {}",
        folder.join("README.md").display()
    );
    Ok(0)
}

/// `adapters`.
#[derive(Args)]
pub struct ListArgs {
    /// Print only the names, one per line, in the matrix's order (the reference first, then
    /// each platform's in the docs' order): the list a script runs.
    #[arg(long)]
    names: bool,
}

/// `snapshots`.
#[derive(Args)]
pub struct SnapshotsArgs {
    /// The adapter's name or manifest path.
    #[arg(long)]
    adapter: String,
}

/// Lists the built-in adapter and every manifest, and whether each is set up.
pub fn list(args: ListArgs) -> Outcome {
    let mut code = 0;
    let mut rows = vec![(
        adapter::REFERENCE.to_string(),
        "reference".to_string(),
        "yes",
        "the contract in Rust (reqwest), built in".to_string(),
    )];
    for manifest in manifest::all() {
        match manifest {
            Ok(m) => {
                if platforms::find(&m.platform).is_none() {
                    errln!(
                        "warning: `{}` stands for platform `{}`, which {} does not list: its \
                         column is labelled `{}`",
                        m.name,
                        m.platform,
                        platforms::PLATFORMS_PATH,
                        m.platform
                    );
                }
                let ready = if m.is_set_up() { "yes" } else { "no" };
                rows.push((m.name, m.platform, ready, m.description));
            }
            Err(error) => {
                errln!("error: {error}");
                code = EXIT_UNUSABLE;
            }
        }
    }
    if args.names {
        rows.iter().for_each(|(name, ..)| outln!("{name}"));
        return Ok(code);
    }
    outln!(
        "{:<20} {:<10} {:<8} description",
        "name",
        "platform",
        "set up"
    );
    for (name, platform, ready, description) in rows {
        outln!("{name:<20} {platform:<10} {ready:<8} {description}");
    }
    Ok(code)
}

/// Runs an adapter's setup command and checks that it is set up.
pub fn setup(args: SetupArgs) -> Outcome {
    if args.adapter == adapter::REFERENCE {
        outln!("`reference` is built in: nothing to set up");
        return Ok(0);
    }
    let manifest = manifest::find(&args.adapter)?;
    if let Some(spec) = &args.taro {
        // A path that exists is a local build; anything else names a published version.
        let source = std::path::Path::new(spec)
            .exists()
            .then(|| std::fs::canonicalize(spec))
            .transpose()
            .map_err(|e| Error::Usage(format!("--taro {spec}: {e}")))?;
        let taro = match (&source, &args.label) {
            (_, Some(label)) => label.clone(),
            (Some(_), None) => "local".to_string(),
            (None, None) => spec.clone(),
        };
        outln!(
            "setting up `{}@{taro}` (in {})",
            manifest.name,
            manifest.dir.display()
        );
        manifest.set_up_version(&taro, source.as_deref(), SetupOutput::Lines(&shown_line))?;
        outln!(
            "`{}@{taro}` is set up: run it with --adapter {}@{taro}",
            manifest.name,
            manifest.name
        );
        return Ok(0);
    }
    if !manifest.setup.trim().is_empty() {
        outln!(
            "setting up `{}`: {} (in {})",
            manifest.name,
            manifest.setup,
            manifest.dir.display()
        );
    }
    manifest.set_up(SetupOutput::Lines(&shown_line))?;
    outln!("`{}` is set up", manifest.name);
    Ok(0)
}

/// Prints a line of a setup's (or another program's) output, on the stream it came on, as every
/// printed line is: the packages' install scripts, the build and the tests print what they like.
pub(super) fn shown_line(stream: Stream, line: &str) {
    match stream {
        Stream::Out => outln!("{line}"),
        Stream::Err => errln!("{line}"),
    }
}

/// Starts an adapter and runs the smoke cases on it.
pub fn smoke(args: SmokeArgs) -> Outcome {
    let report = block_on(async {
        let adapter = adapter::open(&args.adapter).await?;
        let report = smoke::check(adapter.clone()).await;
        adapter.stop().await;
        Ok::<_, AdapterError>(report)
    })??;
    out!("{}", report.text);
    Ok(if report.passed() { 0 } else { EXIT_FAILED })
}

/// Writes an adapter's snapshots: runs the conformance tests on it, accepting what each case
/// observes (insta writes the files the tests compare).
pub fn snapshots(args: SnapshotsArgs) -> Outcome {
    let adapter = &args.adapter;
    let dir = snapshots::dir_of(".".as_ref(), adapter);
    errln!(
        "writing the snapshots of `{adapter}` into {}: INSTA_UPDATE=always {}={adapter} cargo test --test conformance",
        dir.display(),
        snapshots::ADAPTER_ENV
    );
    let mut command = snapshots::command(adapter);
    // The tests print what the adapter observed: shown like everything else, not inherited.
    let status = run_shown(&mut command, &shown_line).map_err(|e| {
        Error::Setup(format!(
            "cannot run {:?}: {e} (the snapshots are written by this repository's conformance \
             tests, which cargo runs)",
            command.get_program()
        ))
    })?;
    if status.success() {
        outln!(
            "wrote the snapshots of `{adapter}` into {}: read them (`git diff`, `git status`) and commit them",
            dir.display()
        );
        Ok(0)
    } else {
        errln!(
            "error: the conformance tests failed ({status}): a case the gate finds something \
             about gets no snapshot; when the failures are known, `taro-conformance baseline \
             update --adapter {adapter}` lists them first"
        );
        Ok(EXIT_FAILED)
    }
}

/// `repro`.
#[derive(Args)]
pub struct ReproArgs {
    /// The case id.
    case: String,
    /// The adapter's name or manifest path.
    #[arg(long, default_value = adapter::REFERENCE)]
    adapter: String,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
}

/// Runs one case and prints how to reproduce it.
pub fn repro(args: ReproArgs) -> Outcome {
    let suite = taro_conformance::spec::load_dir(&args.specs);
    let loaded = suite.find(&args.case)?;
    let (text, result) = block_on(async {
        let adapter = adapter::open(&args.adapter).await?;
        let done = repro::run(adapter.as_ref(), loaded).await;
        adapter.stop().await;
        Ok::<_, Error>(done)
    })??;
    out!("{text}");
    Ok(if result.status.is_as_expected() {
        0
    } else {
        EXIT_FAILED
    })
}
