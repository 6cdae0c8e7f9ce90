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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// What each origin received, by origin name.
    pub wire: BTreeMap<String, OriginTraffic>,
    /// What the caller got.
    pub client: ClientObservation,
}

/// What one origin received.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OriginTraffic {
    /// How many requests arrived.
    pub count: usize,
    /// Each request, in arrival order.
    pub requests: Vec<WireRequest>,
}

/// One request as an origin received it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
        }
    }
}

/// One callback invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackCall {
    /// `success`, `fail` or `complete`.
    pub name: String,
    /// The argument it was called with.
    pub arg: Value,
}
