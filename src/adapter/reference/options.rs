//! Option functions, which specs describe as data: `{$type: function, returns: V}`.

use serde_json::Value;

use crate::value::tag;

/// What a described function returns, or `None` when `value` describes no function.
pub fn function_result(value: &Value) -> Option<Value> {
    (tag(value) == Some("function")).then(|| value.get("returns").cloned().unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::function_result;
    use serde_json::json;

    #[test]
    fn a_described_function_returns_its_value() {
        assert_eq!(
            function_result(&json!({"$type": "function", "returns": false})),
            Some(json!(false))
        );
        assert_eq!(function_result(&json!(false)), None);
    }
}
