//! The success result: `data` decoded per `dataType`/`responseType`, `statusCode`, `header`
//! (RES clauses).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::value::arraybuffer;

/// Decodes a body the way the contract says (RES-3 … RES-6).
pub fn decode_data(call: &Map<String, Value>, body: &[u8]) -> Value {
    let response_type = call
        .get("responseType")
        .and_then(Value::as_str)
        .unwrap_or("text");
    if response_type == "arraybuffer" {
        return arraybuffer(body);
    }
    let text = String::from_utf8_lossy(body).into_owned();
    let data_type = call
        .get("dataType")
        .and_then(Value::as_str)
        .unwrap_or("json");
    if data_type == "json" {
        // Parsing is only attempted: a body that is not JSON stays text (RES-4).
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    } else {
        Value::String(text)
    }
}

/// The success result object.
pub fn success_result(status: u16, headers: BTreeMap<String, String>, data: Value) -> Value {
    json!({
        "data": data,
        "statusCode": status,
        "header": headers,
        "errMsg": "request:ok",
    })
}

/// The failure object handed to `fail`, `complete` and the rejection.
pub fn failure(reason: &str) -> Value {
    json!({ "errMsg": format!("request:fail {reason}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn json_is_parsed_and_non_json_stays_text() {
        assert_eq!(
            decode_data(&call(json!({})), br#"{"a":1}"#),
            json!({"a": 1})
        );
        assert_eq!(
            decode_data(&call(json!({})), b"not json"),
            json!("not json")
        );
        assert_eq!(
            decode_data(&call(json!({"dataType": "text"})), b"[1]"),
            json!("[1]")
        );
    }

    #[test]
    fn arraybuffer_keeps_bytes() {
        let data = decode_data(&call(json!({"responseType": "arraybuffer"})), &[0, 255]);
        assert_eq!(data, arraybuffer(&[0, 255]));
    }
}
