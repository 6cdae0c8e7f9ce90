//! Option functions, which specs describe as data: `{$type: function, returns: V}`.

use serde_json::Value;

use crate::value::tag;

/// What a described function returns, or `None` when `value` describes no function.
///
/// ```
/// # use serde_json::json;
/// use taro_conformance::adapter::reference::options::function_result;
/// assert_eq!(function_result(&json!({"$type": "function", "returns": false})), Some(json!(false)));
/// assert_eq!(function_result(&json!(false)), None);
/// ```
pub fn function_result(value: &Value) -> Option<Value> {
    (tag(value) == Some("function")).then(|| value.get("returns").cloned().unwrap_or(Value::Null))
}
