use serde_json::{Value, json};

use super::*;
use crate::value::decode::bounded;

const LIMIT: usize = 64 * 1024;

/// Values of about `bytes` bytes of JSON, each of another shape.
fn shapes(bytes: usize) -> Vec<(&'static str, Value)> {
    let n = bytes / 2;
    vec![
        ("string", Value::String("x".repeat(bytes))),
        ("numbers", json!(vec![0; n])),
        ("empty arrays", json!(vec![json!([]); n / 2])),
        // As deep as JSON text may nest (serde_json reads 128 levels).
        (
            "nested",
            (0..100).fold(json!(vec![0; n]), |inner, _| json!([inner])),
        ),
        (
            "object",
            Value::Object((0..n / 8).map(|i| (format!("k{i}"), json!(i))).collect()),
        ),
        (
            "objects",
            json!(vec![json!({"a": 1, "b": [true, null]}); n / 12]),
        ),
    ]
}

#[test]
fn compacting_bounds_every_shape_by_its_json_size() {
    for (shape, value) in shapes(1 << 20) {
        let text = value.to_string();
        assert!(text.len() > LIMIT, "{shape}: {}", text.len());
        let kept = compact(&value, LIMIT);
        assert!(json_len(&kept) < 1024, "{shape}: {kept}");
        // The nested arrays keep their small wrappers around the note of the innermost.
        let mut note = &kept;
        while let Some(inner) = note.get(0) {
            note = inner;
        }
        assert_eq!(note["$type"], "elided", "{shape}");
        if shape != "nested" {
            // A string counts its bytes; an array or object its JSON.
            let whole = if value.is_string() {
                1 << 20
            } else {
                text.len()
            };
            assert_eq!(note["length"], whole, "{shape}");
        }
    }
}

#[test]
fn decoding_bounds_every_shape_by_its_decoded_size() {
    let budget = 256 * 1024;
    for (shape, value) in shapes(1 << 20) {
        let text = value.to_string();
        let decoded = bounded(&text, budget).unwrap();
        assert!(decoded_size(&decoded) <= budget, "{shape}");
        // The innermost value being read when the budget ran out is the note.
        assert!(
            decoded.to_string().contains(r#""$type":"elided""#),
            "{shape}"
        );
        // Within a budget large enough, the value is decoded whole.
        assert_eq!(bounded(&text, 1 << 30).unwrap(), value, "{shape}");
    }
}

#[test]
fn what_is_within_the_limit_is_kept_as_it_is() {
    let value = json!({
        "statusCode": 200,
        "header": {"content-type": "application/json"},
        "data": {"list": [1, 2.5, "three", null, false], "text": "é".repeat(100)},
        "buffer": {"$type": "arraybuffer", "base64": "AAE="},
    });
    assert_eq!(compact(&value, LIMIT), value);
    assert_eq!(bounded(&value.to_string(), LIMIT).unwrap(), value);
}

#[test]
fn only_what_is_too_large_is_elided_and_the_rest_is_kept() {
    let value = json!({"statusCode": 200, "data": vec![7; 200_000], "after": "kept"});
    let kept = compact(&value, LIMIT);
    assert_eq!(kept["statusCode"], 200);
    assert_eq!(kept["after"], "kept");
    assert_eq!(kept["data"]["of"], "array");
    assert_eq!(kept["data"]["length"], value["data"].to_string().len());

    let decoded = bounded(&value.to_string(), 256 * 1024).unwrap();
    assert_eq!(decoded["statusCode"], 200);
    assert_eq!(
        decoded["after"], "kept",
        "the budget the array held was given back"
    );
    assert_eq!(decoded["data"]["of"], "array");
    assert_eq!(decoded["data"]["length"], value["data"].to_string().len());
}

#[test]
fn a_container_is_kept_up_to_four_times_the_limit_and_elided_past_it() {
    // With a limit of 16, strings of 10 bytes are kept, and arrays up to 64 bytes of JSON:
    // `["xxxxxxxxxx",…]` takes 13 bytes an item and one more.
    let strings = |n: usize| json!(vec!["x".repeat(10); n]);
    assert_eq!(json_len(&strings(4)), 53);
    assert_eq!(compact(&strings(4), 16), strings(4));
    let over = compact(&strings(5), 16);
    assert_eq!(over["of"], "array");
    assert_eq!(over["length"], 66);
    let strings = |n: usize| Value::Object((0..n).map(|i| (i.to_string(), json!("x"))).collect());
    assert_eq!(compact(&strings(7), 16), strings(7));
    assert_eq!(compact(&strings(8), 16)["length"], 65);
}

#[test]
fn notes_tell_values_apart() {
    let note = |value: Value| compact(&value, 16)["sha256"].clone();
    assert!(note(json!(vec![1; 40])).is_string());
    assert_eq!(note(json!(vec![1; 40])), note(json!(vec![1; 40])));
    assert_ne!(note(json!(vec![1; 40])), note(json!(vec![2; 40])));
    let decoded = |value: Value| bounded(&value.to_string(), 512).unwrap()["sha256"].clone();
    assert_eq!(decoded(json!(vec![1; 100])), decoded(json!(vec![1; 100])));
    assert_ne!(decoded(json!(vec![1; 100])), decoded(json!(vec![2; 100])));
}

#[test]
fn text_that_is_not_json_is_an_error() {
    assert!(bounded("[1, 2", LIMIT).is_err());
    assert!(bounded("[1] 2", LIMIT).is_err());
    assert!(bounded(&format!("[{}", "0,".repeat(100_000)), 1024).is_err());
}
