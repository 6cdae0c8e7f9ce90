//! Adapters: one platform's `Taro.request`, driven through a case.
//!
//! Every adapter implements [`Adapter`]: it describes itself ([`AdapterInfo`]) and runs one
//! rendered case at a time, reporting what the caller got ([`Outcome`]). The built-in
//! [`reference`](mod@reference) adapter implements the whole contract in Rust.
//!
//! ```
//! # tokio_test_free::run(async {
//! use taro_conformance::adapter::open;
//! let adapter = open("reference").await.unwrap();
//! assert_eq!(adapter.info().name, "reference");
//! assert!(open("nope").await.is_err());
//! # });
//! # mod tokio_test_free { pub fn run<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Runtime::new().unwrap().block_on(f) } }
//! ```

pub mod env;
pub mod lenient;
mod lines;
pub mod manifest;
pub mod name;
pub mod platforms;
pub mod process;
pub mod protocol;
pub mod reference;
pub mod setup_output;
mod stderr;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::observe::ClientObservation;
use crate::spec::capability::Capability;
use crate::spec::{Action, Interceptor, PageSpec};

pub use crate::error::{AdapterError, Violation};

/// Who an adapter is, as written at the top of every run log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdapterInfo {
    /// Short name, as given to `--adapter`.
    pub name: String,
    /// The version of the implementation under test.
    pub version: String,
    /// The Taro platform it stands for (`h5`, `weapp`, `rn`, … or `reference`).
    pub platform: String,
    /// What it runs on (`rust reqwest 0.13`, `chromium 156`, …).
    pub runtime: String,
    /// What it supports beyond nothing; cases needing anything else are not applicable.
    pub capabilities: Vec<Capability>,
}

impl AdapterInfo {
    /// The capabilities of `required` this adapter lacks (`core` is implied for every adapter).
    pub fn missing(&self, required: &[Capability]) -> Vec<Capability> {
        required
            .iter()
            .copied()
            .filter(|c| *c != Capability::Core && !self.capabilities.contains(c))
            .collect()
    }
}

/// A case as an adapter receives it: the call with real origin URLs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RenderedCase {
    /// The case id.
    pub id: String,
    /// The option object for `Taro.request`, placeholders filled in.
    #[schemars(with = "BTreeMap<String, Value>")]
    pub call: Value,
    /// Calls the same page makes first, each awaited, results not judged.
    #[schemars(with = "Vec<BTreeMap<String, Value>>")]
    pub before: Vec<Value>,
    /// What to do to the task while it runs.
    pub actions: Vec<Action>,
    /// For browser adapters: the page's origin and cookies, with real URLs.
    pub page: Option<RenderedPage>,
    /// Interceptors to add before the call, outermost first.
    pub interceptors: Vec<Interceptor>,
    /// Call `Taro.cleanInterceptors()` after adding them, before the call.
    pub clean_interceptors: bool,
    /// Interceptors to add after the `before` calls, just before the call, outermost first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub later_interceptors: Vec<Interceptor>,
    /// How long the adapter may wait for settlement before reporting `pending`, in ms.
    #[serde(rename = "deadlineMs", with = "millis")]
    #[schemars(with = "u64")]
    pub deadline: Duration,
}

/// The page of a browser case, with origin names replaced by base URLs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RenderedPage {
    /// The base URL the page is loaded from.
    pub origin: String,
    /// Cookies the browser holds before the call: base URL → name → value.
    pub cookies: BTreeMap<String, BTreeMap<String, String>>,
}

impl RenderedPage {
    /// Renders a page spec with the origins' base URLs.
    pub fn new(page: &PageSpec, base_urls: &BTreeMap<String, String>) -> RenderedPage {
        let url = |name: &String| base_urls.get(name).cloned().unwrap_or_else(|| name.clone());
        RenderedPage {
            origin: url(&page.origin),
            cookies: page
                .cookies
                .iter()
                .map(|(name, jar)| (url(name), jar.clone()))
                .collect(),
        }
    }
}

/// What an adapter reports for one case.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It ran the call and observed this.
    Observed(ClientObservation),
    /// It chose not to run the case, for this reason.
    Skipped(String),
    /// It could not run the case, for this reason.
    Errored(String),
    /// It broke the protocol while running the case (and was started again).
    ProtocolViolation(Violation),
    /// It died while running the case; what it left behind.
    Crashed(String),
    /// It did not answer in time.
    TimedOut,
}

/// What an adapter reports for one case, with what it wrote to stderr meanwhile.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// What happened.
    pub outcome: Outcome,
    /// stderr lines that belong to this case (process adapters only).
    pub stderr: Vec<String>,
}

impl From<Outcome> for Report {
    fn from(outcome: Outcome) -> Self {
        Report {
            outcome,
            stderr: Vec::new(),
        }
    }
}

/// One platform's implementation of `Taro.request`.
pub trait Adapter: Send + Sync {
    /// Who it is and what it can do.
    fn info(&self) -> &AdapterInfo;

    /// Runs one case and reports what the caller got.
    fn run<'a>(&'a self, case: &'a RenderedCase) -> BoxFuture<'a, Report>;

    /// How many cases it runs at once, if it has a limit; the runner sends no more than that,
    /// so a case's deadline never includes time spent waiting for a slot.
    fn concurrency(&self) -> Option<usize> {
        None
    }

    /// How many long-lived page origins it asks the runner to keep (one per worker page), so
    /// that its pages need not navigate per case; 0 for none (see `run::cases::Isolation`).
    fn page_origins(&self) -> usize {
        0
    }

    /// What is worth a warning about it, for the person running it (a process adapter whose
    /// `ready` names it otherwise than its manifest does).
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }

    /// Ends the adapter (a process adapter is sent `stop` and waited for).
    fn stop(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// The name of the built-in adapter.
pub const REFERENCE: &str = "reference";

/// Opens the adapter an `--adapter` value names: `reference`, a name under `adapters/`, or a
/// path to a manifest. A process adapter is started and has answered `start` when this returns;
/// it is named by its manifest's `name` (see [`Adapter::warnings`] when its `ready` disagrees).
pub async fn open(name: &str) -> Result<Arc<dyn Adapter>, AdapterError> {
    if name == REFERENCE {
        return Ok(Arc::new(reference::ReferenceAdapter::new()));
    }
    let (name, version) = manifest::split_version(name);
    let manifest = manifest::find(name)?;
    let launch = match version {
        None if !manifest.is_set_up() => {
            return Err(AdapterError::NotSetUp {
                name: manifest.name.clone(),
                missing: manifest.missing().into_iter().map(String::from).collect(),
                setup: manifest.setup.clone(),
                dir: manifest.dir.clone(),
            });
        }
        None => manifest.launch(),
        Some(_) if manifest.setup_version.is_none() => {
            return Err(AdapterError::NoVersions {
                name: manifest.name.clone(),
            });
        }
        Some(version) => {
            let missing = manifest.missing_version(version);
            if !missing.is_empty() {
                return Err(AdapterError::NotSetUp {
                    name: format!("{} --taro {version}", manifest.name),
                    missing,
                    setup: manifest.setup_version.clone().unwrap_or_default(),
                    dir: manifest.dir.clone(),
                });
            }
            manifest.launch_version(version)
        }
    };
    let mut adapter = process::ProcessAdapter::start(launch).await?;
    // One name everywhere: the manifest's, whatever `ready` says.
    adapter.name_as(&manifest.name);
    Ok(Arc::new(adapter))
}

mod millis {
    use std::time::Duration;

    pub fn serialize<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }
}
