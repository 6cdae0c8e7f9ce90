//! The observation of one case: what every origin received and what the caller got.
//!
//! ```
//! use taro_conformance::observe::{ClientObservation, Observation};
//! use taro_conformance::spec::Settled;
//! let client = ClientObservation::new(Settled::Resolved, Some(serde_json::json!({"statusCode": 200})), 12);
//! let obs = Observation { wire: Default::default(), client };
//! assert_eq!(obs.client.settled, Settled::Resolved);
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::spec::Settled;

/// Both sides of one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Observation {
    /// What each origin received, by origin name.
    pub wire: BTreeMap<String, OriginTraffic>,
    /// What the caller got.
    pub client: ClientObservation,
}

impl Observation {
    /// The observation with every string or buffer longer than `limit` bytes replaced by its
    /// length and SHA-256, for the run log (cases are judged on the whole observation first).
    pub fn compacted(&self, limit: usize) -> Observation {
        let mut copy = self.clone();
        for traffic in copy.wire.values_mut() {
            for request in &mut traffic.requests {
                request.body = compact(&request.body, limit);
            }
        }
        copy.client.value = copy.client.value.as_ref().map(|v| compact(v, limit));
        for callback in &mut copy.client.callbacks {
            callback.arg = compact(&callback.arg, limit);
        }
        copy
    }
}

/// Replaces long strings and buffers inside `value` by `{"$type": "elided", "of": TYPE,
/// "length": BYTES, "sha256": HEX}`.
///
/// ```
/// use serde_json::json;
/// let long = json!({"data": "x".repeat(10)});
/// let short = taro_conformance::observe::compact(&long, 4);
/// assert_eq!(short["data"]["$type"], "elided");
/// assert_eq!(short["data"]["length"], 10);
/// ```
pub fn compact(value: &Value, limit: usize) -> Value {
    let elided = |of: &str, bytes: &[u8]| {
        serde_json::json!({
            "$type": "elided",
            "of": of,
            "length": bytes.len(),
            "sha256": crate::value::sha256_hex(bytes),
        })
    };
    match value {
        Value::String(s) if s.len() > limit => elided("string", s.as_bytes()),
        Value::Object(map) => {
            if let Some(kind @ ("arraybuffer" | "bytes")) = crate::value::tag(value)
                && map
                    .get("base64")
                    .and_then(Value::as_str)
                    .is_some_and(|b| b.len() > limit)
            {
                return elided(kind, &crate::value::bytes_of(value).unwrap_or_default());
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), compact(v, limit)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| compact(v, limit)).collect()),
        other => other.clone(),
    }
}

/// What one origin received.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OriginTraffic {
    /// How many requests arrived.
    pub count: usize,
    /// Each request, in arrival order.
    pub requests: Vec<WireRequest>,
}

/// One request as an origin received it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WireRequest {
    /// The method as sent.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query after `?` (as the URL standard normalizes it); `None` when there is no `?`.
    pub query: Option<String>,
    /// Headers by lower-case name; repeated headers are joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// The body: text when UTF-8, `{"$type": "bytes", "base64": …}` otherwise.
    pub body: Value,
}

/// What the caller of `Taro.request` got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClientObservation {
    /// How the returned promise settled.
    pub settled: Settled,
    /// The value it resolved or rejected with (tagged where JSON cannot carry it); absent
    /// while pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// `success`, `fail` and `complete` as they were called, in order.
    #[serde(default)]
    pub callbacks: Vec<CallbackCall>,
    /// From the call to settlement (or to the deadline, when pending), in ms.
    pub elapsed_ms: u64,
    /// The names of the function-valued members of the returned task (`abort`, `then`, …),
    /// sorted; absent when the call threw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_methods: Option<Vec<String>>,
    /// What the case's `record` interceptors wrote, in order; absent when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<String>>,
    /// What the case's actions threw at the app that took them (an `abort()` after completion
    /// that throws, say), in the order they ran; absent when none threw.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub action_errors: Vec<ActionError>,
}

/// An action of the case (`task.abort()`) that threw instead of returning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ActionError {
    /// The action: `abort`.
    pub action: String,
    /// When it was taken, in ms after the call.
    pub after_ms: u64,
    /// What it threw (tagged where JSON cannot carry it).
    pub threw: Value,
}

impl ClientObservation {
    /// An observation with no callbacks recorded.
    pub fn new(settled: Settled, value: Option<Value>, elapsed_ms: u64) -> Self {
        ClientObservation {
            settled,
            value,
            callbacks: Vec::new(),
            elapsed_ms,
            task_methods: None,
            trace: None,
            action_errors: Vec::new(),
        }
    }
}

/// One callback invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallbackCall {
    /// `success`, `fail` or `complete`.
    pub name: String,
    /// The argument it was called with.
    pub arg: Value,
}
