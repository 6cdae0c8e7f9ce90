//! Taro's interceptor chain around the request (INTERCEPT-1): each interceptor, outermost
//! first, gets the request parameters and passes them on with `chain.proceed`; the innermost
//! proceed sends the request. A `record` interceptor writes to the trace.

use std::sync::Mutex;

use futures::FutureExt;
use futures::future::BoxFuture;
use serde_json::{Map, Value};

use super::h5::{self, Page};
use crate::spec::Interceptor;

/// The interceptors a call goes through, outermost first, and what the `record` ones wrote.
#[derive(Debug, Default)]
pub struct Chain {
    layers: Vec<Interceptor>,
    trace: Mutex<Vec<String>>,
}

impl Chain {
    /// `Taro.addInterceptor`: the new one goes inside those added before it.
    pub fn add(&mut self, interceptors: &[Interceptor]) {
        self.layers.extend(interceptors.iter().cloned());
    }

    /// `Taro.cleanInterceptors`.
    pub fn clean(&mut self) {
        self.layers.clear();
    }

    /// Whether a `record` interceptor was ever added (the case then reports a trace).
    pub fn records(interceptors: &[Interceptor]) -> bool {
        interceptors
            .iter()
            .any(|i| matches!(i, Interceptor::Record(_)))
    }

    /// What the `record` interceptors wrote, in order.
    pub fn trace(&self) -> Vec<String> {
        self.trace.lock().expect("trace lock").clone()
    }

    /// `Taro.request(params)` through the chain.
    pub fn request<'a>(
        &'a self,
        client: &'a reqwest::Client,
        page: &'a Page,
        params: Map<String, Value>,
    ) -> BoxFuture<'a, Result<Value, Value>> {
        self.proceed(0, client, page, params)
    }

    /// `chain.proceed(params)` from the layer before `index`.
    fn proceed<'a>(
        &'a self,
        index: usize,
        client: &'a reqwest::Client,
        page: &'a Page,
        mut params: Map<String, Value>,
    ) -> BoxFuture<'a, Result<Value, Value>> {
        async move {
            let Some(layer) = self.layers.get(index) else {
                return h5::request(client, page, &params).await;
            };
            let next = index + 1;
            match layer {
                Interceptor::SetHeader(headers) => {
                    set_headers(&mut params, headers);
                    self.proceed(next, client, page, params).await
                }
                Interceptor::Record(name) => {
                    self.write(format!("{name}:in"));
                    // Written when the inner layers settle, or are dropped by an abort.
                    let _out = Out(self, format!("{name}:out"));
                    self.proceed(next, client, page, params).await
                }
                Interceptor::Derive(_) => self.proceed(next, client, page, params).await,
                Interceptor::ProceedAgain(again) => {
                    // The same parameters go out again, with the interceptor's change on them.
                    let first = self.proceed(next, client, page, params.clone()).await;
                    let status = first.as_ref().ok().and_then(|r| r["statusCode"].as_u64());
                    if status != Some(u64::from(again.on_status)) {
                        return first;
                    }
                    set_headers(&mut params, &again.set_header);
                    self.proceed(next, client, page, params).await
                }
            }
        }
        .boxed()
    }

    fn write(&self, line: String) {
        self.trace.lock().expect("trace lock").push(line);
    }
}

/// A `record` interceptor's `NAME:out`, written when it is dropped.
struct Out<'a>(&'a Chain, String);

impl Drop for Out<'_> {
    fn drop(&mut self) {
        self.0.write(std::mem::take(&mut self.1));
    }
}

/// `params.header = Object.assign({}, params.header, headers)`.
fn set_headers(
    params: &mut Map<String, Value>,
    headers: &std::collections::BTreeMap<String, String>,
) {
    let mut header = params
        .get("header")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, value) in headers {
        header.insert(name.clone(), Value::String(value.clone()));
    }
    params.insert("header".into(), Value::Object(header));
}
