//! taro-conformance: a conformance harness for `Taro.request`.
//!
//! The pipeline, one module per stage:
//! [`spec`] (load YAML cases) → [`mock`] (origins) → [`adapter`] (run the call) →
//! [`observe`] (wire + client) → [`verdict`] (judge) → [`runner`] (many cases at once) →
//! [`runlog`] (JSON lines) → [`snapshot`], [`summary`], [`gate`], [`report`], and the
//! tools around them: [`lint`], [`docs`], [`smoke`], [`repro`], [`bench`]. Below the specs and
//! the verdicts, [`expect`] is the expectation language both share, on top of [`value`].

pub mod adapter;
pub mod bench;
pub mod capability;
pub mod contract;
pub mod docs;
pub mod expect;
pub mod gate;
pub mod lint;
pub mod mock;
pub mod observe;
pub mod report;
pub mod repro;
pub mod runlog;
pub mod runner;
pub mod smoke;
pub mod snapshot;
pub mod spec;
pub mod summary;
pub mod value;
pub mod verdict;
