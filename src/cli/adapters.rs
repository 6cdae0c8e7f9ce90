//! The commands about adapters: `adapters`, `setup`, `smoke`.

use clap::Args;
use taro_conformance::adapter::{self, AdapterError, manifest};
use taro_conformance::error::{EXIT_FAILED, EXIT_UNUSABLE};
use taro_conformance::smoke;

use super::{Outcome, block_on};

/// `setup`.
#[derive(Args)]
pub struct SetupArgs {
    /// The adapter's name or manifest path.
    adapter: String,
    /// Set up this published version of the package under test instead of the pinned one
    /// (then run it as `--adapter NAME@VERSION`).
    #[arg(long, value_name = "VERSION")]
    taro: Option<String>,
}

/// `smoke`.
#[derive(Args)]
pub struct SmokeArgs {
    /// The adapter's name or manifest path.
    #[arg(long, default_value = adapter::REFERENCE)]
    adapter: String,
}

/// Lists the built-in adapter and every manifest, and whether each is set up.
pub fn list() -> Outcome {
    println!(
        "{:<20} {:<10} {:<8} description",
        "name", "platform", "set up"
    );
    println!(
        "{:<20} {:<10} {:<8} the contract in Rust (reqwest), built in",
        adapter::REFERENCE,
        "reference",
        "yes"
    );
    let mut code = 0;
    for manifest in manifest::all() {
        match manifest {
            Ok(m) => {
                let ready = if m.is_set_up() { "yes" } else { "no" };
                println!(
                    "{:<20} {:<10} {:<8} {}",
                    m.name, m.platform, ready, m.description
                );
            }
            Err(error) => {
                eprintln!("error: {error}");
                code = EXIT_UNUSABLE;
            }
        }
    }
    Ok(code)
}

/// Runs an adapter's setup command and checks that it is set up.
pub fn setup(args: SetupArgs) -> Outcome {
    if args.adapter == adapter::REFERENCE {
        println!("`reference` is built in: nothing to set up");
        return Ok(0);
    }
    let manifest = manifest::find(&args.adapter)?;
    if let Some(taro) = &args.taro {
        println!(
            "setting up `{}@{taro}` (in {})",
            manifest.name,
            manifest.dir.display()
        );
        manifest.set_up_version(taro)?;
        println!(
            "`{}@{taro}` is set up: run it with --adapter {}@{taro}",
            manifest.name, manifest.name
        );
        return Ok(0);
    }
    if !manifest.setup.trim().is_empty() {
        println!(
            "setting up `{}`: {} (in {})",
            manifest.name,
            manifest.setup,
            manifest.dir.display()
        );
    }
    manifest.set_up()?;
    println!("`{}` is set up", manifest.name);
    Ok(0)
}

/// Starts an adapter and runs the smoke cases on it.
pub fn smoke(args: SmokeArgs) -> Outcome {
    let report = block_on(async {
        let adapter = adapter::open(&args.adapter).await?;
        let report = smoke::check(adapter.clone()).await;
        adapter.stop().await;
        Ok::<_, AdapterError>(report)
    })??;
    print!("{}", report.text);
    Ok(if report.speaks_protocol {
        0
    } else {
        EXIT_FAILED
    })
}
