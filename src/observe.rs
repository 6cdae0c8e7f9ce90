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
use crate::value::elide::cut;

/// Both sides of one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Observation {
    /// What each origin received, by origin name.
    pub wire: BTreeMap<String, OriginTraffic>,
    /// What the caller got.
    pub client: ClientObservation,
}

impl Observation {
    /// The observation as the run log keeps it (cases are judged on the whole observation
    /// first): every value compacted at `limit` bytes (see [`compact`]), texts cut there, and
    /// the whole within about `budget` bytes of JSON, the caller's side first. Past the budget,
    /// a value is kept as its note and a list keeps its first entries only: an origin's `count`
    /// still says how many requests arrived, and [`ClientObservation::elided`] how many entries
    /// of the caller's lists were left out.
    pub fn compacted(&self, limit: usize, budget: usize) -> Observation {
        let mut left = Budget(budget);
        let from = &self.client;
        let mut elided = from.elided.clone();
        let value = from.value.as_ref().map(|v| left.value(v, limit));
        let task_methods = left.texts(&from.task_methods, "taskMethods", &mut elided, limit);
        let callbacks = left.list(&from.callbacks, "callbacks", &mut elided, |c| {
            CallbackCall {
                name: cut(&c.name, limit),
                arg: compact(&c.arg, limit),
            }
        });
        let action_errors = left.list(&from.action_errors, "actionErrors", &mut elided, |e| {
            ActionError {
                action: cut(&e.action, limit),
                after_ms: e.after_ms,
                threw: compact(&e.threw, limit),
            }
        });
        let trace = left.texts(&from.trace, "trace", &mut elided, limit);
        let native = from.native.as_ref().map(|v| Box::new(left.value(v, limit)));
        let client = ClientObservation {
            settled: from.settled,
            value,
            callbacks,
            elapsed_ms: from.elapsed_ms,
            task_methods,
            trace,
            action_errors,
            native,
            elided,
        };
        let wire = self
            .wire
            .iter()
            .map(|(name, traffic)| {
                let mut dropped = BTreeMap::new();
                let requests = left.list(&traffic.requests, name, &mut dropped, |r| WireRequest {
                    method: cut(&r.method, limit),
                    path: cut(&r.path, limit),
                    query: r.query.as_ref().map(|q| cut(q, limit)),
                    headers: r
                        .headers
                        .iter()
                        .map(|(k, v)| (cut(k, limit), cut(v, limit)))
                        .collect(),
                    body: compact(&r.body, limit),
                });
                // `count` says how many arrived.
                let traffic = OriginTraffic {
                    count: traffic.count,
                    requests,
                };
                (name.clone(), traffic)
            })
            .collect();
        Observation { wire, client }
    }
}

/// What is left of an observation's budget in the log, in bytes of JSON.
struct Budget(usize);

impl Budget {
    /// `value` compacted at `limit`, or its note when that is more than is left.
    fn value(&mut self, value: &Value, limit: usize) -> Value {
        let kept = compact(value, limit);
        let size = crate::value::elide::json_len(&kept);
        if size <= self.0 {
            self.0 -= size;
            return kept;
        }
        let note = compact(&kept, 0);
        self.0 = self.0.saturating_sub(crate::value::elide::json_len(&note));
        note
    }

    /// [`Budget::list`] of texts, each cut at `limit`.
    fn texts(
        &mut self,
        list: &Option<Vec<String>>,
        name: &str,
        elided: &mut BTreeMap<String, usize>,
        limit: usize,
    ) -> Option<Vec<String>> {
        let list = list.as_ref()?;
        Some(self.list(list, name, elided, |t| cut(t, limit)))
    }

    /// The first entries of `list`, each as `keep` makes it, while they fit; how many were left
    /// out is added to `elided[name]`.
    fn list<T, K: Serialize>(
        &mut self,
        list: &[T],
        name: &str,
        elided: &mut BTreeMap<String, usize>,
        keep: impl Fn(&T) -> K,
    ) -> Vec<K> {
        let mut kept = Vec::new();
        for entry in list {
            let entry = keep(entry);
            // Its JSON and the comma after it.
            let size = crate::value::elide::json_len(&entry) + 1;
            if size > self.0 {
                break;
            }
            self.0 -= size;
            kept.push(entry);
        }
        if kept.len() < list.len() {
            *elided.entry(name.to_string()).or_default() += list.len() - kept.len();
        }
        kept
    }
}

/// Replaces long strings and buffers inside `value` by `{"$type": "elided", "of": TYPE,
/// "length": BYTES, "sha256": HEX}`, then arrays and objects whose JSON is still over `limit`
/// (see [`crate::value::elide`]).
///
/// ```
/// use serde_json::json;
/// let long = json!({"data": "x".repeat(100)});
/// let short = taro_conformance::observe::compact(&long, 64);
/// assert_eq!(short["data"]["$type"], "elided");
/// assert_eq!(short["data"]["length"], 100);
/// ```
pub fn compact(value: &Value, limit: usize) -> Value {
    crate::value::elide::compact(value, limit)
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
    /// What Taro's layer passed to the platform's native request API (`wx.request`,
    /// `my.request`, …) for the call: its option object as given, before the native API turns
    /// it into HTTP, tagged where JSON cannot carry a value. Only adapters that run the layer
    /// over a model of the native API report it.
    // Boxed: most observations have none, and every one is moved about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<Box<Value>>,
    /// In the run log, how many entries of each list (`callbacks`, `actionErrors`, `trace`,
    /// `taskMethods`) were left out to keep the observation within its size; absent when none
    /// were.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub elided: BTreeMap<String, usize>,
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
            native: None,
            elided: BTreeMap::new(),
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const LIMIT: usize = 64 * 1024;
    const BUDGET: usize = 1024 * 1024;

    fn request(body: Value) -> WireRequest {
        WireRequest {
            method: "POST".into(),
            path: "/p".into(),
            query: None,
            headers: BTreeMap::from([("content-type".into(), "text/plain".into())]),
            body,
        }
    }

    fn observation(value: Value, callbacks: usize, requests: usize) -> Observation {
        let mut client = ClientObservation::new(Settled::Resolved, Some(value), 3);
        client.callbacks = (0..callbacks)
            .map(|i| CallbackCall {
                name: "success".into(),
                arg: json!({"i": i}),
            })
            .collect();
        client.task_methods = Some(vec!["abort".into()]);
        let traffic = OriginTraffic {
            count: requests,
            requests: (0..requests).map(|_| request(json!("x"))).collect(),
        };
        Observation {
            wire: BTreeMap::from([("api".into(), traffic)]),
            client,
        }
    }

    fn json_len(observation: &Observation) -> usize {
        serde_json::to_string(observation).unwrap().len()
    }

    #[test]
    fn an_observation_within_its_size_is_kept_as_it_is() {
        let data = json!({"statusCode": 200, "data": "x".repeat(LIMIT), "more": "y".repeat(LIMIT)});
        let obs = observation(data, 2, 3);
        assert_eq!(obs.compacted(LIMIT, BUDGET), obs);
    }

    #[test]
    fn long_lists_keep_their_first_entries_and_say_how_many_were_left_out() {
        let obs = observation(json!("ok"), 100_000, 50_000);
        let kept = obs.compacted(LIMIT, BUDGET);
        assert!(json_len(&kept) <= BUDGET + 1024, "{}", json_len(&kept));
        assert!(json_len(&kept) > BUDGET - 1024, "{}", json_len(&kept));
        let callbacks = kept.client.callbacks.len();
        assert!(
            callbacks > 1000,
            "the caller's side goes first: {callbacks}"
        );
        assert_eq!(kept.client.callbacks[..], obs.client.callbacks[..callbacks]);
        assert_eq!(kept.client.elided["callbacks"], 100_000 - callbacks);
        assert_eq!(kept.client.task_methods, obs.client.task_methods);
        let api = &kept.wire["api"];
        assert_eq!(api.count, 50_000, "`count` still says how many arrived");
        assert!(api.requests.len() < 50_000);
    }

    #[test]
    fn values_past_the_budget_are_kept_as_their_notes() {
        // A hundred values of 60 KiB each, every one within the limit, 6 MB together.
        let value = json!(vec!["y".repeat(60 * 1024); 100]);
        let mut obs = observation(json!(null), 0, 0);
        obs.client.callbacks = (0..100)
            .map(|i| CallbackCall {
                name: "complete".into(),
                arg: value[i].clone(),
            })
            .collect();
        obs.client.trace = Some(vec!["z".repeat(10 * LIMIT)]);
        let kept = obs.compacted(LIMIT, BUDGET);
        assert!(json_len(&kept) <= BUDGET, "{}", json_len(&kept));
        assert!(kept.client.elided["callbacks"] > 80);
        assert_eq!(kept.client.elided["trace"], 1);

        let whole = observation(value.clone(), 0, 0);
        let kept = whole.compacted(LIMIT, BUDGET);
        // Every string is within the limit, but the array is not.
        assert_eq!(kept.client.value.as_ref().unwrap()["of"], "array");
        let big = observation(json!({"list": value}), 0, 0);
        let kept = big.compacted(usize::MAX, BUDGET);
        assert_eq!(kept.client.value.as_ref().unwrap()["of"], "object");
    }
}
