//! The H5 store (H5-STORE-1): responses kept per url, answered from while they pass the check.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Map, Value};

use super::options::function_result;

/// What `useStore` keeps: the data of successful responses, by url. One per page (per case).
#[derive(Debug, Default)]
pub struct Store {
    entries: Mutex<HashMap<String, Value>>,
}

impl Store {
    /// The stored data for `key`, when the call wants the store and the check passes.
    pub fn lookup(&self, call: &Map<String, Value>, key: &str) -> Option<Value> {
        if !uses_store(call) {
            return None;
        }
        let stored = self
            .entries
            .lock()
            .expect("not poisoned")
            .get(key)
            .cloned()?;
        passes_check(call, &stored).then_some(stored)
    }

    /// Keeps `data` for `key` when the call wants the store.
    pub fn keep(&self, call: &Map<String, Value>, key: &str, data: &Value) {
        if uses_store(call) {
            self.entries
                .lock()
                .expect("not poisoned")
                .insert(key.to_string(), data.clone());
        }
    }
}

fn uses_store(call: &Map<String, Value>) -> bool {
    call.get("useStore")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// `storeCheck` when given; otherwise the stored data's `storeCheckKey` field must equal
/// `storeSign`.
fn passes_check(call: &Map<String, Value>, stored: &Value) -> bool {
    if let Some(custom) = call.get("storeCheck") {
        return function_result(custom)
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
    }
    let (Some(key), Some(sign)) = (
        call.get("storeCheckKey").and_then(Value::as_str),
        call.get("storeSign"),
    ) else {
        return false;
    };
    stored.get(key).is_some_and(|v| crate::value::same(v, sign))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn answers_only_when_key_and_sign_match() {
        let store = Store::default();
        let c = call(json!({"useStore": true, "storeCheckKey": "v", "storeSign": "1"}));
        assert_eq!(store.lookup(&c, "u"), None);
        store.keep(&c, "u", &json!({"v": "1"}));
        assert_eq!(store.lookup(&c, "u"), Some(json!({"v": "1"})));
        let newer = call(json!({"useStore": true, "storeCheckKey": "v", "storeSign": "2"}));
        assert_eq!(store.lookup(&newer, "u"), None);
    }

    #[test]
    fn custom_check_replaces_the_rule() {
        let store = Store::default();
        let c =
            call(json!({"useStore": true, "storeCheck": {"$type": "function", "returns": true}}));
        store.keep(&c, "u", &json!({}));
        assert!(store.lookup(&c, "u").is_some());
    }
}
