//! `dts`: the type definitions' `@supported`/`@default` tags against the evidence.

use std::path::{Path, PathBuf};

use clap::Args;
use taro_conformance::check::dts::{self, TypeDefs};
use taro_conformance::error::{EXIT_FAILED, Error};
use taro_conformance::report::{matrix, support};
use taro_conformance::spec::contract::{CONTRACT_PATH, Contract};

use super::{Outcome, exit_for_specs, load_suite};

/// `dts`.
#[derive(Args)]
pub struct DtsArgs {
    /// The type definitions to read (`…/@tarojs/taro/types/api/network/request.d.ts`); by
    /// default the pinned package's.
    #[arg(long, conflicts_with = "taro")]
    dts: Option<PathBuf>,
    /// Read those of this installed version of `@tarojs/taro` (the pinned packages, or a
    /// version set up beside them with `setup NAME --taro VERSION`).
    #[arg(long, value_name = "VERSION")]
    taro: Option<String>,
    /// The matrix whose evidence is compared.
    #[arg(long, default_value = "reports/matrix.json")]
    matrix: PathBuf,
    /// Where docs-check.md is written (and read by --check).
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// Directory holding the spec files.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Write nothing: print the disagreements, and fail when OUT/docs-check.md differs.
    #[arg(long, conflicts_with = "fix")]
    check: bool,
    /// Print a patch of the type definitions (paths of Taro's repository: `git apply` there,
    /// or `git apply -p3` in an installed package) that corrects what the evidence settles.
    #[arg(long)]
    fix: bool,
}

/// Reads the tags, compares them, and prints, writes or checks the result.
pub fn dts(args: DtsArgs) -> Outcome {
    let path = match (&args.dts, &args.taro) {
        (Some(path), _) => path.clone(),
        (None, Some(version)) => dts::find_package(version)
            .map_err(Error::Usage)?
            .join(dts::DTS_IN_PACKAGE),
        (None, None) => Path::new(dts::PINNED_PACKAGE).join(dts::DTS_IN_PACKAGE),
    };
    if !path.is_file() {
        return Err(Error::Usage(format!(
            "{}: no such file{}",
            path.display(),
            if args.dts.is_none() {
                " (the pinned @tarojs/taro is installed by `taro-conformance setup taro-weapp`)"
            } else {
                ""
            }
        )));
    }
    let defs = TypeDefs::read(&path)?;
    // …/@tarojs/taro/types/api/network/request.d.ts → …/@tarojs/taro
    let version = path.ancestors().nth(4).and_then(dts::package_version);
    let suite = load_suite(&args.specs);
    let contract = Contract::load(CONTRACT_PATH.as_ref())?;
    let built = matrix::read(&args.matrix)?;
    let reasons = support::reasons(&built)?;
    let page = support::build(&contract, &suite, &built, &reasons);
    let defaults = support::build(&contract.defaults(), &suite, &built, &reasons);
    let findings = dts::check(&defs, &page, &defaults, &contract);
    if args.fix {
        out!("{}", dts::patch(&defs, &dts::fix(&defs, &findings)));
        return Ok(exit_for_specs(&suite, 0));
    }
    for f in &findings {
        outln!("{}:{}: {f}", path.display(), f.line.unwrap_or(0));
    }
    let shown = path.display().to_string();
    let text = dts::markdown(&defs, &shown, version.as_deref(), &page, &findings);
    if args.check {
        let report = args.out.join(dts::REPORT_FILE);
        if !dts::is_current(&text, &args.out) {
            errln!(
                "error: {} is stale: regenerate it with `taro-conformance dts{}` and commit it",
                report.display(),
                args.dts
                    .as_ref()
                    .map(|p| format!(" --dts {}", p.display()))
                    .or(args.taro.as_ref().map(|v| format!(" --taro {v}")))
                    .unwrap_or_default()
            );
            return Ok(EXIT_FAILED);
        }
        outln!(
            "{} is current ({} disagreements)",
            report.display(),
            findings.len()
        );
        return Ok(exit_for_specs(&suite, 0));
    }
    let report = dts::write(&text, &args.out)?;
    outln!(
        "wrote {} ({} disagreements)",
        report.display(),
        findings.len()
    );
    Ok(exit_for_specs(&suite, 0))
}
