//! The request: method, url with query, headers and body (METHOD, DATA, HEADER clauses).

use serde_json::{Map, Value};

use super::js::{js_string, json_stringify};
use super::query::{append_query, query_string};
use crate::value::{bytes_of, tag};

/// A request ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedRequest {
    /// Upper-case method.
    pub method: String,
    /// The url, query included.
    pub url: String,
    /// Headers as given, `Referer` removed, `content-type` defaulted.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
}

/// An option the request cannot be made with: the reason the call fails with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterError(String);

impl std::fmt::Display for ParameterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "parameter error: {}", self.0)
    }
}

/// The `url` option, which must be a non-empty string (CALL-3).
pub fn url_of(call: &Map<String, Value>) -> Result<String, ParameterError> {
    match call.get("url") {
        Some(Value::String(url)) if !url.is_empty() => Ok(url.clone()),
        _ => Err(ParameterError("url must be a non-empty string".into())),
    }
}

/// Turns an option object, aimed at `url` (the main url or a backup), into the request it
/// describes; `Err` is the reason for `fail`.
pub fn prepare(call: &Map<String, Value>, url: &str) -> Result<PreparedRequest, ParameterError> {
    let url = url.to_string();
    let method = match call.get("method") {
        None => "GET".to_string(),
        Some(Value::String(m)) => m.to_ascii_uppercase(),
        Some(other) => {
            return Err(ParameterError(format!(
                "method must be a string, got {other}"
            )));
        }
    };
    let mut headers: Vec<(String, String)> = call
        .get("header")
        .and_then(Value::as_object)
        .map(|h| h.iter().map(|(k, v)| (k.clone(), js_string(v))).collect())
        .unwrap_or_default();
    // HEADER-3: Referer cannot be set.
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case("referer"));
    // HEADER-2: content-type defaults to application/json.
    let content_type = match headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        Some((_, v)) => v.to_ascii_lowercase(),
        None => {
            headers.push(("content-type".into(), "application/json".into()));
            "application/json".into()
        }
    };
    let data = call
        .get("data")
        .filter(|d| !d.is_null() && tag(d) != Some("undefined"));
    let in_query = method == "GET" || method == "HEAD";
    let (url, body) = match data {
        None => (url, None),
        Some(data) if in_query => (append_query(&url, &query_of(data)), None),
        Some(data) => (url, Some(body_of(data, &content_type))),
    };
    Ok(PreparedRequest {
        method,
        url,
        headers,
        body,
    })
}

/// GET data as a query (DATA-1): objects by the encoding rule, strings as they are.
pub fn query_of(data: &Value) -> String {
    match data {
        Value::Object(map) if tag(data).is_none() => query_string(map),
        other => js_string(other),
    }
}

/// A body from data (DATA-3 … DATA-6).
fn body_of(data: &Value, content_type: &str) -> Vec<u8> {
    if let Some(bytes) = tag(data).and_then(|_| bytes_of(data)) {
        return bytes;
    }
    match data {
        Value::String(s) => s.clone().into_bytes(),
        Value::Object(map) if content_type.contains("application/x-www-form-urlencoded") => {
            query_string(map).into_bytes()
        }
        other => json_stringify(other).into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prep(call: Value) -> PreparedRequest {
        let call = call.as_object().unwrap();
        prepare(call, &url_of(call).unwrap()).unwrap()
    }

    #[test]
    fn post_object_defaults_to_json() {
        let p = prep(json!({"url": "http://h/", "method": "POST", "data": {"a": 1}}));
        assert_eq!(p.body.unwrap(), br#"{"a":1}"#);
        assert!(
            p.headers
                .contains(&("content-type".into(), "application/json".into()))
        );
    }

    #[test]
    fn form_content_type_in_any_case_gives_a_query_body() {
        let p = prep(
            json!({"url": "http://h/", "method": "PUT", "data": {"a": "x y"},
            "header": {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}}),
        );
        assert_eq!(p.body.unwrap(), b"a=x%20y");
    }

    #[test]
    fn referer_is_dropped() {
        let p = prep(json!({"url": "http://h/", "header": {"Referer": "http://evil/"}}));
        assert!(
            p.headers
                .iter()
                .all(|(k, _)| !k.eq_ignore_ascii_case("referer"))
        );
    }

    #[test]
    fn missing_url_is_a_failure() {
        assert!(url_of(json!({"method": "GET"}).as_object().unwrap()).is_err());
    }
}
