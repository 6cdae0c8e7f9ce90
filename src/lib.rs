//! taro-conformance: a conformance harness for `Taro.request`.
//!
//! The crate reads as the pipeline runs, one folder a stage, each importing only the stages
//! above it in this list (`tests/integration/architecture.rs` keeps it so):
//!
//! 1. [`error`], [`value`]: the ground floor: located errors, and the values observed and
//!    expected.
//! 2. [`expect`]: the expectation language specs and verdicts share; [`json_schema`]: the
//!    schemas made from the types that read and write files.
//! 3. [`spec`]: the YAML cases, the contract's clauses, capabilities and case selection.
//! 4. [`observe`]: what a case saw on the wire and at the client.
//! 5. [`mock`]: the mock origins a case talks to; [`adapter`]: the implementations under test.
//! 6. [`verdict`]: a case's observation judged against its expectations.
//! 7. [`outcome`]: what a case produced (result, problem, fingerprint), the data every report
//!    reads.
//! 8. [`run`]: a run on one or more adapters: cases scheduled, the run log, the gate.
//! 9. [`report`]: every output made from run logs (matrix, HTML, support pages, summary, JUnit,
//!    annotations, diff, schemas).
//! 10. [`history`]: the behaviour of every release, and bisecting between two.
//! 11. [`check`]: lint, blame, the contract's page and the docs loop (`dts`); [`tools`]: smoke,
//!     repro, bench, verify.
//!
//! The command line (`src/main.rs`, `src/cli/`) is a thin layer over [`Run`] and these
//! modules: it parses arguments, prints, and turns errors into exit codes.
//!
//! ```no_run
//! # async fn demo() -> Result<(), taro_conformance::Error> {
//! use taro_conformance::{Run, spec};
//! let suite = spec::load_dir("specs".as_ref());
//! let report = Run::new("reference").execute(&suite, &suite.cases, |_| {}).await?;
//! println!("{} cases, gate passed: {}", report.results.len(), report.judgement.passed());
//! # Ok(()) }
//! ```

pub mod error;
pub mod json_schema;
pub mod value;

pub mod expect;
pub mod spec;

pub mod observe;

pub mod adapter;
pub mod mock;

pub mod verdict;

pub mod outcome;

pub mod run;

pub mod report;

pub mod history;

pub mod check;
pub mod tools;

pub use adapter::{Adapter, AdapterError, AdapterInfo};
pub use error::{Error, FileError};
pub use outcome::{CaseResult, Problem};
pub use run::gate::{Baseline, Finding};
pub use run::log::RunLog;
pub use run::{Progress, Run, RunReport};
pub use spec::{Case, Suite};
pub use verdict::{Mismatch, Status};
