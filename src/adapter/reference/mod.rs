//! The reference adapter: the contract implemented in Rust on reqwest.
//!
//! It is the oracle that shows every case is satisfiable, and the default adapter that needs
//! no set-up. One file per concern: [`query`] (DATA-1/2 encoding), [`body`] (method, headers,
//! body), [`response`] (decoding and the result object); this file does the task: timeout,
//! abort, callbacks and settlement.
//!
//! It declares no `browser-fetch`: `mode`, `credentials`, `cache` and cookies need a real
//! browser, so those cases are not applicable to it.

pub mod body;
mod js;
pub mod query;
pub mod response;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::BoxFuture;
use serde_json::{Map, Value};

use super::{Adapter, AdapterInfo, Outcome, RenderedCase};
use crate::capability::Capability;
use crate::observe::{CallbackCall, ClientObservation};
use crate::spec::{Action, Settled};
use body::prepare;
use response::{decode_data, failure, success_result};

/// What the returned task offers: a promise with `abort()`, and no `onHeadersReceived`
/// (ABORT-3).
const TASK_METHODS: [&str; 4] = ["abort", "catch", "finally", "then"];

/// The H5 default of the `timeout` option (H5-TIMEOUT-1).
pub const DEFAULT_TIMEOUT_MS: u64 = 2000;

/// The built-in reference implementation of `Taro.request`.
pub struct ReferenceAdapter {
    info: AdapterInfo,
    client: reqwest::Client,
}

impl Default for ReferenceAdapter {
    fn default() -> Self {
        Self::new()
    }
}

impl ReferenceAdapter {
    /// A reference adapter with its own HTTP client.
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
                capabilities: vec![Capability::Core, Capability::Abort, Capability::H5Timeout],
            },
            client,
        }
    }

    /// Sends the request and builds the success result, or the reason it failed.
    async fn perform(&self, call: &Map<String, Value>) -> Result<Value, Value> {
        let prepared = prepare(call).map_err(|reason| failure(&reason))?;
        let method = reqwest::Method::from_bytes(prepared.method.as_bytes())
            .map_err(|_| failure(&format!("invalid method {}", prepared.method)))?;
        let mut request = self.client.request(method, &prepared.url);
        for (name, value) in &prepared.headers {
            request = request.header(name, value);
        }
        if let Some(body) = prepared.body {
            request = request.body(body);
        }
        let response = request.send().await.map_err(|e| failure(&describe(&e)))?;
        let status = response.status().as_u16();
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in response.headers() {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            headers
                .entry(name.as_str().to_string())
                .and_modify(|v| {
                    v.push_str(", ");
                    v.push_str(&value);
                })
                .or_insert(value);
        }
        let body = response.bytes().await.map_err(|e| failure(&describe(&e)))?;
        Ok(success_result(status, headers, decode_data(call, &body)))
    }

    async fn run_case(&self, case: &RenderedCase) -> Outcome {
        let started = Instant::now();
        let Some(call) = case.call.as_object() else {
            return Outcome::Errored("the call is not an object".into());
        };
        let timeout = call
            .get("timeout")
            .and_then(Value::as_u64)
            .unwrap_or(DEFAULT_TIMEOUT_MS);
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
        let settled = tokio::time::timeout(case.deadline, async {
            tokio::select! {
                biased;
                result = self.perform(call) => result,
                _ = tokio::time::sleep(Duration::from_millis(timeout)) => Err(failure("timeout")),
                _ = abort => Err(failure("abort")),
            }
        })
        .await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let observation = match settled {
            Err(_) => ClientObservation::new(Settled::Pending, None, elapsed_ms),
            Ok(Ok(result)) => settle(Settled::Resolved, "success", result, elapsed_ms),
            Ok(Err(error)) => settle(Settled::Rejected, "fail", error, elapsed_ms),
        };
        Outcome::Observed(ClientObservation {
            task_methods: Some(TASK_METHODS.iter().map(|m| m.to_string()).collect()),
            ..observation
        })
    }
}

/// `success(res)`/`fail(err)`, then `complete`, then the promise settles with the same value.
fn settle(settled: Settled, callback: &str, value: Value, elapsed_ms: u64) -> ClientObservation {
    let mut observation = ClientObservation::new(settled, Some(value.clone()), elapsed_ms);
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
    observation
}

/// A short, stable reason for a reqwest error. The OS's wording (and whether a dropped
/// connection reads as "reset" or "closed") varies with timing, so only the kind is kept.
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_connect() {
        "connect error"
    } else if error.is_timeout() {
        "timeout"
    } else if error.is_body() || error.is_decode() {
        "response body error"
    } else if error.is_builder() {
        "invalid request"
    } else {
        "no valid response"
    };
    kind.to_string()
}

impl Adapter for ReferenceAdapter {
    fn info(&self) -> &AdapterInfo {
        &self.info
    }

    fn run<'a>(&'a self, case: &'a RenderedCase) -> BoxFuture<'a, Outcome> {
        self.run_case(case).boxed()
    }
}
