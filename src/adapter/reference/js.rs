//! The few JavaScript conversions the contract leans on.

use serde_json::Value;

use crate::value::tag;

/// JavaScript's `String(value)` for the values a spec can hold.
pub fn js_string(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{}", f as i64),
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                if v.is_null() {
                    String::new()
                } else {
                    js_string(v)
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) if tag(value) == Some("undefined") => "undefined".into(),
        Value::Object(_) => "[object Object]".into(),
    }
}

/// JavaScript's `JSON.stringify(value)` for plain data: `undefined` properties are left out,
/// and `undefined` in an array becomes `null`.
pub fn json_stringify(value: &Value) -> String {
    serde_json::to_string(&without_undefined(value)).unwrap_or_default()
}

fn without_undefined(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| {
                    if is_undefined(v) {
                        Value::Null
                    } else {
                        without_undefined(v)
                    }
                })
                .collect(),
        ),
        Value::Object(map) if tag(value).is_none() => Value::Object(
            map.iter()
                .filter(|(_, v)| !is_undefined(v))
                .map(|(k, v)| (k.clone(), without_undefined(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn is_undefined(value: &Value) -> bool {
    tag(value) == Some("undefined")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_like_javascript() {
        assert_eq!(js_string(&json!(2.0)), "2");
        assert_eq!(js_string(&json!(0.5)), "0.5");
        assert_eq!(js_string(&json!([1, null, "a"])), "1,,a");
        assert_eq!(js_string(&json!({"a": 1})), "[object Object]");
    }

    #[test]
    fn stringifies_like_json_stringify() {
        let undefined = json!({"$type": "undefined"});
        let value = json!({"a": 1, "u": undefined, "l": [1, undefined]});
        assert_eq!(json_stringify(&value), r#"{"a":1,"l":[1,null]}"#);
    }
}
