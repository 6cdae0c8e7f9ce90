//! The H5 request around single attempts: the store first, then the main url and each backup,
//! each tried `1 + retryTimes` times within `timeout`, with `dataCheck` on the main url's data
//! (H5-TIMEOUT, H5-RETRY, H5-BACKUP, H5-CHECK, H5-STORE).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Map, Value};

use super::body::{query_of, url_of};
use super::options::function_result;
use super::query::append_query;
use super::response::{failure, success_result};
use super::store::Store;
use super::{http, jsonp};

/// The H5 default of the `timeout` option (H5-TIMEOUT-1).
pub const DEFAULT_TIMEOUT_MS: u64 = 2000;

/// The H5 default of the `retryTimes` option (H5-RETRY-1).
pub const DEFAULT_RETRY_TIMES: u64 = 2;

/// What one page keeps between its calls: the store, and a serial for callback names and
/// cache-busting values. Each case gets a fresh page.
#[derive(Debug, Default)]
pub struct Page {
    store: Store,
    serial: AtomicU64,
}

impl Page {
    fn next_serial(&self) -> u64 {
        self.serial.fetch_add(1, Ordering::SeqCst) + 1
    }
}

/// Runs one call to its end: the success result, or the failure object.
pub async fn request(
    client: &reqwest::Client,
    page: &Page,
    call: &Map<String, Value>,
) -> Result<Value, Value> {
    let url = url_of(call).map_err(|reason| failure(&reason.to_string()))?;
    let store_key = append_query(&url, &call.get("data").map(query_of).unwrap_or_default());
    if let Some(data) = page.store.lookup(call, &store_key) {
        return Ok(success_result(200, BTreeMap::new(), data));
    }
    let timeout = Duration::from_millis(number(call, "timeout").unwrap_or(DEFAULT_TIMEOUT_MS));
    let retries = number(call, "retryTimes").unwrap_or(DEFAULT_RETRY_TIMES);
    let uses_jsonp = match call.get("jsonp") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        _ => false,
    };
    let mut last_failure = failure("no url answered");
    for (index, target) in std::iter::once(url).chain(backups(call)).enumerate() {
        for _ in 0..=retries {
            let serial = page.next_serial();
            let attempt = async {
                if uses_jsonp {
                    jsonp::attempt(client, call, &target, serial).await
                } else {
                    http::attempt(client, call, &target).await
                }
            };
            let outcome = tokio::time::timeout(timeout, attempt)
                .await
                .unwrap_or_else(|_| Err(failure("timeout")));
            match outcome {
                Ok(_) if index == 0 && data_check_fails(call) => {
                    last_failure = failure("dataCheck refused the data");
                    break;
                }
                Ok(result) => {
                    if let Some(data) = result.get("data") {
                        page.store.keep(call, &store_key, data);
                    }
                    return Ok(result);
                }
                Err(reason) => last_failure = reason,
            }
        }
    }
    Err(last_failure)
}

fn number(call: &Map<String, Value>, key: &str) -> Option<u64> {
    call.get(key).and_then(Value::as_u64)
}

/// `backup` as a list of urls, whether it was given as one string or several.
fn backups(call: &Map<String, Value>) -> Vec<String> {
    match call.get("backup") {
        Some(Value::String(url)) => vec![url.clone()],
        Some(Value::Array(urls)) => urls
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether the caller's `dataCheck` says the main url's data is not good enough.
fn data_check_fails(call: &Map<String, Value>) -> bool {
    call.get("dataCheck")
        .and_then(function_result)
        .is_some_and(|verdict| verdict == Value::Bool(false))
}
