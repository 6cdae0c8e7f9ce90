//! One JSONP attempt (H5-JSONP): GET the url with a `callback` parameter and, unless
//! `jsonpCache` is true, a cache-busting one; then read `NAME(<json>)` back.

use serde_json::{Map, Value};

use super::body::query_of;
use super::http::{describe, header_object};
use super::query::{append_query, encode_uri_component};
use super::response::{failure, success_result};

/// The callback name: the `jsonp` option when it is a string, otherwise one of our own. (An
/// empty string is falsy, as in JavaScript: such a call makes no JSONP attempt at all.)
pub fn callback_name(call: &Map<String, Value>, serial: u64) -> String {
    match call.get("jsonp") {
        Some(Value::String(name)) => name.clone(),
        _ => format!("__taro_jsonp_{serial}"),
    }
}

/// The url a JSONP attempt asks for. `serial` differs between the calls of one page, which is
/// all a cache-busting value needs (and keeps observations reproducible).
pub fn jsonp_url(call: &Map<String, Value>, url: &str, callback: &str, serial: u64) -> String {
    let data = call.get("data").map(query_of).unwrap_or_default();
    let mut url = append_query(url, &data);
    url = append_query(
        &url,
        &format!("callback={}", encode_uri_component(callback)),
    );
    let cache = call
        .get("jsonpCache")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if !cache {
        url = append_query(&url, &format!("_={serial}"));
    }
    url
}

/// Runs one JSONP attempt.
pub async fn attempt(
    client: &reqwest::Client,
    call: &Map<String, Value>,
    url: &str,
    serial: u64,
) -> Result<Value, Value> {
    let callback = callback_name(call, serial);
    let response = client
        .get(jsonp_url(call, url, &callback, serial))
        .send()
        .await
        .map_err(|e| failure(&describe(&e)))?;
    let status = response.status().as_u16();
    let headers = header_object(response.headers());
    let text = response.text().await.map_err(|e| failure(&describe(&e)))?;
    if !(200..300).contains(&status) {
        // A script that fails to load fires `onerror`: no data reaches the callback.
        return Err(failure(&format!("jsonp script failed to load ({status})")));
    }
    let data = script_argument(&text, &callback)
        .ok_or_else(|| failure("jsonp reply does not call the callback with JSON"))?;
    Ok(success_result(status, headers, data))
}

/// The JSON argument of `callback(…)` in a script, if that is what the script is.
pub fn script_argument(script: &str, callback: &str) -> Option<Value> {
    let script = script.trim().trim_end_matches(';').trim_end();
    let inner = script
        .strip_prefix(callback)?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    serde_json::from_str(inner).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_callback_argument() {
        assert_eq!(
            script_argument("cb({\"a\":1});", "cb"),
            Some(json!({"a": 1}))
        );
        assert_eq!(script_argument("other({})", "cb"), None);
    }

    #[test]
    fn busts_the_cache_unless_told_not_to() {
        let call = json!({"jsonp": "cb", "data": {"a": "1"}});
        let call = call.as_object().unwrap();
        assert_eq!(
            jsonp_url(call, "http://h/p", "cb", 7),
            "http://h/p?a=1&callback=cb&_=7"
        );
        let cached = json!({"jsonp": "cb", "jsonpCache": true});
        assert_eq!(
            jsonp_url(cached.as_object().unwrap(), "http://h/p", "cb", 7),
            "http://h/p?callback=cb"
        );
    }
}
