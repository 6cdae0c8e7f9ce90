//! The few JavaScript conversions the contract leans on.

use serde_json::Value;

use crate::value::tag;

/// JavaScript's `String(value)` for the values a spec can hold.
pub fn js_string(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        // Every JavaScript number is a double: a wider integer is rounded as JavaScript would.
        Value::Number(n) => n.as_f64().map(js_number).unwrap_or_else(|| n.to_string()),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            // Array.prototype.join: null and undefined items are empty.
            .map(|v| {
                if v.is_null() || is_undefined(v) {
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

/// JavaScript's `Number.prototype.toString()` (ECMAScript's Number::toString, radix 10): the
/// shortest digits that round-trip, written out in full from 1e-6 up to below 1e21 and in
/// exponent form (`1e+21`, `1.5e-7`) outside.
pub fn js_number(value: f64) -> String {
    if value == 0.0 {
        return "0".into(); // -0 too
    }
    if value < 0.0 {
        return format!("-{}", js_number(-value));
    }
    // Rust's `{:e}` gives the same shortest round-trip digits: `d.ddde±x`.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` has an exponent");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    let n = exponent
        .parse::<i64>()
        .expect("`{:e}`'s exponent is an integer")
        + 1;
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{first}{dot}{rest}e{:+}", n - 1)
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
        assert_eq!(js_string(&json!([{"$type": "undefined"}, 2])), ",2");
        assert_eq!(js_string(&json!({"a": 1})), "[object Object]");
    }

    #[test]
    fn numbers_like_javascript_on_both_sides_of_each_form() {
        for (value, javascript) in [
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (-2.5e-8, "-2.5e-8"),
            (1e-6, "0.000001"),
            (0.000123, "0.000123"),
            (123.456, "123.456"),
            (-0.0, "0"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ] {
            assert_eq!(js_number(value), javascript, "{value:e}");
        }
        // Integers past 2^53 are doubles in JavaScript.
        assert_eq!(
            js_string(&json!(12345678901234567890u64)),
            "12345678901234567000"
        );
        assert_eq!(js_string(&json!(-7)), "-7");
    }

    #[test]
    fn stringifies_like_json_stringify() {
        let undefined = json!({"$type": "undefined"});
        let value = json!({"a": 1, "u": undefined, "l": [1, undefined]});
        assert_eq!(json_stringify(&value), r#"{"a":1,"l":[1,null]}"#);
    }
}
