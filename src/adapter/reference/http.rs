//! One HTTP attempt: send a prepared request, build the success result.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::body::prepare;
use super::response::{decode_data, failure, success_result};

/// Sends the call to `url` and returns the success result, or the failure object.
pub async fn attempt(
    client: &reqwest::Client,
    call: &Map<String, Value>,
    url: &str,
) -> Result<Value, Value> {
    let prepared = prepare(call, url).map_err(|reason| failure(&reason.to_string()))?;
    let method = reqwest::Method::from_bytes(prepared.method.as_bytes())
        .map_err(|_| failure(&format!("invalid method {}", prepared.method)))?;
    let mut request = client.request(method, &prepared.url);
    for (name, value) in &prepared.headers {
        request = request.header(name, value);
    }
    if let Some(body) = prepared.body {
        request = request.body(body);
    }
    let response = request.send().await.map_err(|e| failure(&describe(&e)))?;
    let status = response.status().as_u16();
    let headers = header_object(response.headers());
    let body = response.bytes().await.map_err(|e| failure(&describe(&e)))?;
    Ok(success_result(status, headers, decode_data(call, &body)))
}

/// Response headers as a plain object: lower-case names, repeats joined with `, `.
pub fn header_object(headers: &reqwest::header::HeaderMap) -> BTreeMap<String, String> {
    let mut object: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        object
            .entry(name.as_str().to_string())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    object
}

/// A short, stable reason for a reqwest error. The OS's wording (and whether a dropped
/// connection reads as "reset" or "closed") varies with timing, so only the kind is kept.
pub fn describe(error: &reqwest::Error) -> String {
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
