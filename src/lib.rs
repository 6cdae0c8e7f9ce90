//! taro-conformance: a conformance harness for `Taro.request`.
//!
//! The pipeline, one module per stage:
//! [`spec`] (load YAML cases) → [`mock`] (origins) → [`adapter`] (run the call) →
//! [`observe`] (wire + client) → [`verdict`] (judge) → [`runner`] (many cases at once) →
//! [`run`] (one adapter: log, run, stop, judge against the [`gate`]) → [`runlog`] (JSON lines)
//! → [`snapshot`], [`summary`], [`report`] (and its page, [`html`]), [`support`], [`diff`]; and the tools around them: [`lint`], [`blame`], [`docs`],
//! [`smoke`], [`repro`], [`bench`](mod@bench). Below the specs and the verdicts, [`expect`] is the
//! expectation language both share, on top of [`value`]; [`error`] has the errors every stage
//! returns.
//!
//! The command line (`src/main.rs`, `src/cli/`) is a thin layer over [`run::Run`] and these
//! modules: it parses arguments, prints, and turns errors into exit codes.
//!
//! ```no_run
//! # async fn demo() -> Result<(), taro_conformance::error::Error> {
//! use taro_conformance::{run::Run, spec};
//! let suite = spec::load_dir("specs".as_ref());
//! let report = Run::new("reference").execute(&suite, &suite.cases, |_| {}).await?;
//! println!("{} cases, gate passed: {}", report.results.len(), report.judgement.passed());
//! # Ok(()) }
//! ```

pub mod adapter;
pub mod bench;
pub mod bisect;
pub mod blame;
pub mod capability;
pub mod contract;
pub mod diff;
pub mod docs;
pub mod doubt;
pub mod dts;
pub mod error;
pub mod expect;
pub mod gate;
pub mod github;
pub mod history;
pub mod html;
pub mod junit;
pub mod lint;
pub mod mock;
pub mod observe;
pub mod report;
pub mod repro;
pub mod run;
pub mod runlog;
pub mod runner;
pub mod schemas;
pub mod select;
pub mod smoke;
pub mod snapshot;
pub mod spec;
pub mod summary;
pub mod support;
pub mod value;
pub mod verdict;
pub mod verify;
