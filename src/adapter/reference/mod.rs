//! The reference adapter: the contract implemented in Rust on reqwest.
//!
//! It is the oracle that shows every case is satisfiable, and the default adapter that needs
//! no set-up. One file per concern: `query` (DATA-1/2 encoding), `body` (method, headers,
//! body), `http` (one HTTP attempt), `response` (decoding and the result object),
//! `jsonp` (one JSONP attempt), `h5` (timeout, retries, backups, dataCheck around attempts),
//! `store` (useStore), `options` (option functions described as data), `intercept` (the
//! interceptor chain around the request); this file does the task: earlier calls, abort,
//! callbacks and settlement.
//!
//! It declares no `browser-fetch`: `mode`, `credentials`, `cache` and cookies need a real
//! browser, so those cases are not applicable to it.
//!
//! Its calls and timers run on a thread of their own (`own_runtime`), as a process adapter's
//! run in their own process: a run of every adapter at once keeps the harness's runtime busy
//! with other adapters' answers, and a 2 s timeout there could fire late.

// Private: the reference adapter is used through `Adapter`; its parts are its own business.
mod body;
mod h5;
mod http;
mod intercept;
mod js;
mod jsonp;
mod options;
mod own_runtime;
mod query;
mod response;
mod store;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::BoxFuture;
use serde_json::Value;

use super::{Adapter, AdapterInfo, Outcome, RenderedCase, Report};
use crate::observe::{CallbackCall, ClientObservation};
use crate::spec::capability::Capability;
use crate::spec::{Action, Settled};
use h5::Page;
use intercept::Chain;
use own_runtime::OwnRuntime;
use response::failure;

/// What the returned task offers: a promise with `abort()`, and no `onHeadersReceived`
/// (ABORT-3).
const TASK_METHODS: [&str; 4] = ["abort", "catch", "finally", "then"];

/// The built-in reference implementation of `Taro.request`.
pub struct ReferenceAdapter {
    info: AdapterInfo,
    calls: Arc<Calls>,
    runtime: OwnRuntime,
}

/// What runs a case: the HTTP client, on the adapter's own runtime.
struct Calls {
    client: reqwest::Client,
}

impl Default for ReferenceAdapter {
    fn default() -> Self {
        Self::new()
    }
}

impl ReferenceAdapter {
    /// A reference adapter with its own HTTP client, on a thread of its own.
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            // Only ever loopback origins: never a proxy from the environment.
            .no_proxy()
            // No pooled connections: a finished case's port may be reused by the next case.
            .pool_max_idle_per_host(0)
            .build()
            .expect("a plain HTTP client builds");
        ReferenceAdapter {
            info: AdapterInfo {
                name: "reference".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                platform: "reference".into(),
                runtime: "rust reqwest 0.13".into(),
                // Everything but what needs a real browser or a native API under the layer.
                capabilities: Capability::ALL
                    .into_iter()
                    .filter(|c| !matches!(c, Capability::BrowserFetch | Capability::NativeCall))
                    .collect(),
            },
            calls: Arc::new(Calls { client }),
            runtime: OwnRuntime::start("reference adapter"),
        }
    }
}

impl Calls {
    async fn run_case(&self, case: &RenderedCase) -> Outcome {
        let started = Instant::now();
        // `Taro.request(url)`: the url alone, and no callbacks to call.
        let (call, with_callbacks) = match &case.call {
            Value::Object(options) => (options.clone(), true),
            Value::String(url) => {
                let mut options = serde_json::Map::new();
                options.insert("url".into(), Value::String(url.clone()));
                (options, false)
            }
            _ => return Outcome::Errored("the call is neither an object nor a url".into()),
        };
        let call = &call;
        // `find_map` keeps working when actions other than abort exist.
        #[allow(clippy::unnecessary_find_map)]
        let abort_after = case.actions.iter().find_map(|a| match a {
            Action::Abort { after_ms } => Some(Duration::from_millis(*after_ms)),
        });
        let abort = async {
            match abort_after {
                Some(delay) => tokio::time::sleep(delay).await,
                None => std::future::pending().await,
            }
        };
        let page = Page::default();
        let mut chain = Chain::default();
        chain.add(&case.interceptors);
        if case.clean_interceptors {
            chain.clean();
        }
        let settled = tokio::time::timeout(case.deadline, async {
            // Earlier calls of the same page (to fill the store, say): awaited, not judged.
            for before in &case.before {
                if let Some(before) = before.as_object() {
                    let _ = chain.request(&self.client, &page, before.clone()).await;
                }
            }
            chain.add(&case.later_interceptors);
            let chain = &chain;
            let started = Instant::now();
            let result = tokio::select! {
                biased;
                result = chain.request(&self.client, &page, call.clone()) => result,
                _ = abort => Err(failure("abort")),
            };
            (result, started)
        })
        .await;
        let traced = Chain::records(&case.interceptors) || Chain::records(&case.later_interceptors);
        let observation = match settled {
            Err(_) => ClientObservation::new(Settled::Pending, None, ms_since(started)),
            Ok((Ok(result), call_started)) => settle(
                Settled::Resolved,
                with_callbacks.then_some("success"),
                result,
                ms_since(call_started),
            ),
            Ok((Err(error), call_started)) => settle(
                Settled::Rejected,
                with_callbacks.then_some("fail"),
                error,
                ms_since(call_started),
            ),
        };
        Outcome::Observed(ClientObservation {
            task_methods: Some(TASK_METHODS.iter().map(|m| m.to_string()).collect()),
            trace: traced.then(|| chain.trace()),
            ..observation
        })
    }
}

fn ms_since(instant: Instant) -> u64 {
    instant.elapsed().as_millis() as u64
}

/// `success(res)`/`fail(err)`, then `complete`, then the promise settles with the same value
/// (`callback` is `None` when no callbacks were given).
fn settle(
    settled: Settled,
    callback: Option<&str>,
    value: Value,
    elapsed_ms: u64,
) -> ClientObservation {
    let mut observation = ClientObservation::new(settled, Some(value.clone()), elapsed_ms);
    if let Some(callback) = callback {
        observation.callbacks = vec![
            CallbackCall {
                name: callback.into(),
                arg: value.clone(),
            },
            CallbackCall {
                name: "complete".into(),
                arg: value,
            },
        ];
    }
    observation
}

impl Adapter for ReferenceAdapter {
    fn info(&self) -> &AdapterInfo {
        &self.info
    }

    fn run<'a>(&'a self, case: &'a RenderedCase) -> BoxFuture<'a, Report> {
        let calls = Arc::clone(&self.calls);
        let case = case.clone();
        self.runtime
            .run(async move { calls.run_case(&case).await })
            .map(|outcome| {
                Report::from(outcome.unwrap_or_else(|| {
                    Outcome::Errored("the reference adapter's runtime has stopped".into())
                }))
            })
            .boxed()
    }
}
