use std::collections::BTreeSet;

use rstest::rstest;
use serde_json::{Value, json};

use super::*;

fn parse(expected: &Value) -> Matcher {
    Matcher::parse(expected, "v").expect("a valid matcher")
}

fn differences(expected: Value, observed: Option<Value>) -> Vec<Difference> {
    let mut out = Vec::new();
    parse(&expected).check(observed.as_ref(), "v", &mut out);
    out
}

fn holds(expected: Value, observed: Option<Value>) -> bool {
    differences(expected, observed).is_empty()
}

#[rstest]
#[case::number_by_value(json!(1), json!(1.0), true)]
#[case::types_distinct(json!(1), json!("1"), false)]
#[case::object_subset(json!({"a": 1}), json!({"a": 1, "b": 2}), true)]
#[case::object_missing_key(json!({"c": 1}), json!({"a": 1}), false)]
#[case::object_matches_error(json!({"errMsg": "x"}), json!({"$type": "error", "errMsg": "x"}), true)]
#[case::object_not_arraybuffer(json!({}), json!({"$type": "arraybuffer", "base64": ""}), false)]
#[case::array_same_length(json!([1, 2]), json!([1, 2]), true)]
#[case::array_longer(json!([1]), json!([1, 2]), false)]
#[case::eq(json!({"$eq": {"a": 1}}), json!({"a": 1}), true)]
#[case::eq_rejects_extra_keys(json!({"$eq": {"a": 1}}), json!({"a": 1, "b": 2}), false)]
#[case::type_arraybuffer(json!({"$type": "arraybuffer"}), json!({"$type": "arraybuffer", "base64": ""}), true)]
#[case::type_string_is_not_number(json!({"$type": "number"}), json!("42"), false)]
#[case::type_fields(json!({"$type": "error", "name": "TypeError"}), json!({"$type": "error", "name": "TypeError"}), true)]
#[case::type_fields_differ(json!({"$type": "error", "name": "TypeError"}), json!({"$type": "error", "name": "Error"}), false)]
#[case::absent_undefined(json!({"$absent": true}), json!({"$type": "undefined"}), true)]
#[case::absent_but_there(json!({"$absent": true}), json!(""), false)]
#[case::absent_false_asks_nothing(json!({"$absent": false}), json!(""), true)]
#[case::present(json!({"$present": true}), json!(0), true)]
#[case::present_undefined(json!({"$present": true}), json!({"$type": "undefined"}), false)]
#[case::starts_with(json!({"$startsWith": "request:fail"}), json!("request:fail x"), true)]
#[case::starts_with_wrong(json!({"$startsWith": "request:fail"}), json!("request:ok"), false)]
#[case::contains(json!({"$contains": "b"}), json!("abc"), true)]
#[case::contains_not(json!({"$contains": "x"}), json!("abc"), false)]
#[case::contains_in_array(json!({"$contains": "abort"}), json!(["abort", "then"]), true)]
#[case::contains_not_in_array(json!({"$contains": "ab"}), json!(["abort"]), false)]
#[case::regex(json!({"$regex": "^a=\\d+$"}), json!("a=12"), true)]
#[case::regex_wrong(json!({"$regex": "^a=\\d+$"}), json!("a=x"), false)]
#[case::regex_not_a_string(json!({"$regex": "1"}), json!(1), false)]
#[case::json_text(json!({"$json": {"a": [1]}}), json!("{\"a\": [1]}"), true)]
#[case::json_text_differs(json!({"$json": {"a": [1]}}), json!("{\"a\": [2]}"), false)]
#[case::json_not_json(json!({"$json": 1}), json!("one"), false)]
#[case::base64_bytes(json!({"$base64": "AP8="}), json!({"$type": "bytes", "base64": "AP8="}), true)]
#[case::base64_of_text(json!({"$base64": "aGk="}), json!("hi"), true)]
#[case::base64_differs(json!({"$base64": "aGk="}), json!("ho"), false)]
#[case::sha256(json!({"$sha256": "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"}), json!("hi"), true)]
#[case::sha256_differs(json!({"$sha256": "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"}), json!("ho"), false)]
#[case::length_of_text(json!({"$length": 2}), json!("hé"), true)]
#[case::length_of_array(json!({"$length": 2}), json!([1]), false)]
#[case::length_of_buffer(json!({"$length": 2}), json!({"$type": "arraybuffer", "base64": "AP8="}), true)]
#[case::any_of(json!({"$anyOf": [1, "x"]}), json!("x"), true)]
#[case::any_of_none(json!({"$anyOf": [1, "x"]}), json!("y"), false)]
#[case::not(json!({"$not": {"$eq": "a"}}), json!("b"), true)]
#[case::not_holds_when_equal(json!({"$not": {"$eq": "a"}}), json!("a"), false)]
#[case::all_operators_hold(json!({"$type": "string", "$length": 1}), json!("a"), true)]
#[case::one_operator_fails(json!({"$type": "string", "$length": 2}), json!("a"), false)]
fn matches_as_documented(#[case] expected: Value, #[case] observed: Value, #[case] ok: bool) {
    assert_eq!(holds(expected, Some(observed)), ok);
}

/// Every structure and operator refusing a value: exactly one difference, at the path where it
/// is, worded from the expectation and the value.
#[rstest]
#[case::scalar(json!("a"), Some(json!("b")), "v", "\"a\"", "\"b\"")]
#[case::scalar_missing(json!(null), None, "v", "null", "nothing")]
#[case::number_is_not_text(json!(1), Some(json!("1")), "v", "1", "\"1\"")]
#[case::object_of_a_string(json!({"a": 1}), Some(json!("a")), "v", "an object", "\"a\"")]
#[case::object_missing(json!({"a": 1}), None, "v", "an object", "nothing")]
#[case::object_of_a_buffer(json!({}), Some(json!({"$type": "arraybuffer", "base64": ""})), "v", "an object", "{\"$type\":\"arraybuffer\",\"base64\":\"\"}")]
#[case::object_key(json!({"a": {"b": 1}}), Some(json!({"a": {"b": 2}})), "v.a.b", "1", "2")]
#[case::object_key_missing(json!({"a": 1}), Some(json!({})), "v.a", "1", "nothing")]
#[case::error_field(json!({"errMsg": "x"}), Some(json!({"$type": "error", "errMsg": "y"})), "v.errMsg", "\"x\"", "\"y\"")]
#[case::array_of_an_object(json!([1]), Some(json!({})), "v", "an array of 1", "{}")]
#[case::array_missing(json!([]), None, "v", "an array of 0", "nothing")]
#[case::array_longer(json!([1]), Some(json!([1, 2])), "v", "1 items", "2 items: [1,2]")]
#[case::array_shorter(json!([1, 2]), Some(json!([1])), "v", "2 items", "1 items: [1]")]
#[case::array_item(json!([1, 2]), Some(json!([1, 3])), "v[1]", "2", "3")]
#[case::eq(json!({"$eq": 1}), Some(json!(2)), "v", "exactly 1", "2")]
#[case::eq_missing(json!({"$eq": null}), None, "v", "exactly null", "nothing")]
#[case::eq_extra_key(json!({"$eq": {"a": 1}}), Some(json!({"a": 1, "b": 2})), "v", "exactly {\"a\":1}", "{\"a\":1,\"b\":2}")]
#[case::type_(json!({"$type": "number"}), Some(json!("1")), "v", "a value of type number", "\"1\"")]
#[case::type_missing(json!({"$type": "undefined"}), None, "v", "a value of type undefined", "nothing")]
#[case::type_field(json!({"$type": "error", "name": "TypeError"}), Some(json!({"$type": "error", "name": "Error"})), "v.name", "\"TypeError\"", "\"Error\"")]
#[case::type_object_field(json!({"$type": "object", "a": 1}), Some(json!({"a": 2})), "v.a", "1", "2")]
#[case::absent(json!({"$absent": true}), Some(json!(0)), "v", "nothing (absent)", "0")]
#[case::absent_null(json!({"$absent": true}), Some(json!(null)), "v", "nothing (absent)", "null")]
#[case::present(json!({"$present": true}), None, "v", "a value", "nothing")]
#[case::present_undefined(json!({"$present": true}), Some(json!({"$type": "undefined"})), "v", "a value", "{\"$type\":\"undefined\"}")]
#[case::starts_with(json!({"$startsWith": "request:fail"}), Some(json!("request:ok")), "v", "a string starting with \"request:fail\"", "\"request:ok\"")]
#[case::starts_with_a_number(json!({"$startsWith": "1"}), Some(json!(12)), "v", "a string starting with \"1\"", "12")]
#[case::starts_with_inside(json!({"$startsWith": "b"}), Some(json!("abc")), "v", "a string starting with \"b\"", "\"abc\"")]
#[case::contains_text(json!({"$contains": "x"}), Some(json!("abc")), "v", "a string containing \"x\"", "\"abc\"")]
#[case::contains_a_number(json!({"$contains": "1"}), Some(json!(1)), "v", "a string containing \"1\"", "1")]
#[case::contains_missing(json!({"$contains": "a"}), None, "v", "a string containing \"a\"", "nothing")]
#[case::contains_array(json!({"$contains": "ab"}), Some(json!(["abort"])), "v", "an array containing \"ab\"", "[\"abort\"]")]
#[case::contains_array_of_numbers(json!({"$contains": "1"}), Some(json!([1])), "v", "an array containing \"1\"", "[1]")]
#[case::regex(json!({"$regex": "^a=\\d+$"}), Some(json!("a=x")), "v", "a string matching \"^a=\\\\d+$\"", "\"a=x\"")]
#[case::regex_a_number(json!({"$regex": "1"}), Some(json!(1)), "v", "a string matching \"1\"", "1")]
#[case::json(json!({"$json": {"a": 1}}), Some(json!("{\"a\":2}")), "v", "the JSON text of {\"a\":1}", "\"{\\\"a\\\":2}\"")]
#[case::json_extra_key(json!({"$json": {"a": 1}}), Some(json!("{\"a\":1,\"b\":2}")), "v", "the JSON text of {\"a\":1}", "\"{\\\"a\\\":1,\\\"b\\\":2}\"")]
#[case::json_not_text(json!({"$json": 1}), Some(json!(1)), "v", "the JSON text of 1 (a string, not a number)", "1")]
#[case::json_not_json(json!({"$json": 1}), Some(json!("one")), "v", "the JSON text of 1", "\"one\"")]
#[case::base64(json!({"$base64": "aGk="}), Some(json!("ho")), "v", "the bytes (base64) \"aGk=\"", "\"ho\"")]
#[case::base64_of_a_number(json!({"$base64": "MQ=="}), Some(json!(1)), "v", "the bytes (base64) \"MQ==\"", "1")]
#[case::base64_buffer(json!({"$base64": "AP8="}), Some(json!({"$type": "arraybuffer", "base64": "AP4="})), "v", "the bytes (base64) \"AP8=\"", "{\"$type\":\"arraybuffer\",\"base64\":\"AP4=\"}")]
#[case::sha256(json!({"$sha256": HI_SHA256}), Some(json!("ho")), "v", &format!("bytes with SHA-256 \"{HI_SHA256}\""), "\"ho\"")]
#[case::sha256_missing(json!({"$sha256": HI_SHA256}), None, "v", &format!("bytes with SHA-256 \"{HI_SHA256}\""), "nothing")]
#[case::length_text(json!({"$length": 3}), Some(json!("hé")), "v", "length 3", "\"hé\"")]
#[case::length_array(json!({"$length": 2}), Some(json!([1])), "v", "length 2", "[1]")]
#[case::length_buffer(json!({"$length": 1}), Some(json!({"$type": "bytes", "base64": "AP8="})), "v", "length 1", "{\"$type\":\"bytes\",\"base64\":\"AP8=\"}")]
#[case::length_number(json!({"$length": 1}), Some(json!(1)), "v", "length 1 (a string, an array or bytes, not a number)", "1")]
#[case::length_missing(json!({"$length": 0}), None, "v", "length 0", "nothing")]
#[case::any_of(json!({"$anyOf": [1, {"$eq": 2}]}), Some(json!(3)), "v", "any of [1,{\"$eq\":2}]", "3")]
#[case::any_of_none_given(json!({"$anyOf": []}), Some(json!(3)), "v", "any of []", "3")]
#[case::any_of_nested(json!({"a": {"$anyOf": [{"b": 1}]}}), Some(json!({"a": {"b": 2}})), "v.a", "any of [{\"b\":1}]", "{\"b\":2}")]
#[case::not(json!({"$not": {"$contains": "a"}}), Some(json!("a")), "v", "not {\"$contains\":\"a\"}", "\"a\"")]
#[case::not_absent(json!({"$not": {"$absent": true}}), None, "v", "not {\"$absent\":true}", "nothing")]
fn each_expectation_rejects_at_its_path(
    #[case] expected: Value,
    #[case] observed: Option<Value>,
    #[case] path: &str,
    #[case] words: &str,
    #[case] got: &str,
) {
    assert_eq!(
        differences(expected, observed),
        vec![Difference {
            path: path.into(),
            expected: words.into(),
            got: got.into()
        }]
    );
}

/// SHA-256 of `hi`.
const HI_SHA256: &str = "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4";

#[rstest]
#[case::absent_missing(json!({"$absent": true}), None)]
#[case::absent_false_missing(json!({"$absent": false}), None)]
#[case::absent_false_there(json!({"$absent": false}), Some(json!(1)))]
#[case::present_false_missing(json!({"$present": false}), None)]
#[case::present_false_there(json!({"$present": false}), Some(json!(1)))]
#[case::present_null(json!({"$present": true}), Some(json!(null)))]
#[case::contains_substring(json!({"$contains": "request:"}), Some(json!("x request:fail")))]
#[case::contains_element(json!({"$contains": "then"}), Some(json!(["abort", "then"])))]
#[case::length_bytes_not_chars(json!({"$length": 2}), Some(json!({"$type": "arraybuffer", "base64": "AP8="})))]
#[case::length_chars_not_bytes(json!({"$length": 2}), Some(json!("hé")))]
#[case::length_zero(json!({"$length": 0}), Some(json!("")))]
#[case::json_numbers_by_value(json!({"$json": {"a": 1}}), Some(json!("{\"a\": 1.0}")))]
#[case::sha256_of_a_buffer(json!({"$sha256": HI_SHA256}), Some(json!({"$type": "arraybuffer", "base64": "aGk="})))]
#[case::base64_of_bytes(json!({"$base64": "AP8="}), Some(json!({"$type": "bytes", "base64": "AP8="})))]
#[case::any_of_second(json!({"$anyOf": [1, {"$startsWith": "x"}]}), Some(json!("xy")))]
#[case::any_of_missing(json!({"$anyOf": [1, {"$absent": true}]}), None)]
#[case::not_missing(json!({"$not": {"$present": true}}), None)]
#[case::type_error_fields(json!({"$type": "error", "errMsg": {"$startsWith": "request:fail"}}), Some(json!({"$type": "error", "errMsg": "request:fail x"})))]
#[case::type_headers(json!({"$type": "headers"}), Some(json!({"$type": "headers", "entries": []})))]
#[case::empty_object_matches_any_object(json!({}), Some(json!({"a": 1})))]
#[case::empty_array(json!([]), Some(json!([])))]
fn each_expectation_accepts(#[case] expected: Value, #[case] observed: Option<Value>) {
    assert_eq!(differences(expected, observed), vec![]);
}

#[test]
fn missing_values() {
    assert!(holds(json!({"$absent": true}), None));
    assert!(!holds(json!({"$present": true}), None));
    assert!(!holds(json!(null), None));
    assert!(!holds(json!({"$not": {"$absent": true}}), None));
}

#[test]
fn differences_name_the_path() {
    let mut out = Vec::new();
    parse(&json!({"a": {"b": [1, 2]}})).check(
        Some(&json!({"a": {"b": [1, 3]}})),
        "client.value",
        &mut out,
    );
    assert_eq!(
        out,
        vec![Difference {
            path: "client.value.a.b[1]".into(),
            expected: "2".into(),
            got: "3".into()
        }]
    );
}

/// When both sides would print alike, and only then, the expectation names the kind of value it
/// wants and the kind it got; what was got keeps its words (the fingerprint reads them).
#[rstest]
#[case::base64_text(json!({"$base64": "eyJhIjoxfQ=="}), json!("eyJhIjoxfQ=="), "the bytes (base64) \"eyJhIjoxfQ==\" (bytes, not a string)")]
#[case::sha256_text(json!({"$sha256": HI_SHA256}), json!(HI_SHA256), &format!("bytes with SHA-256 \"{HI_SHA256}\" (bytes, not a string)"))]
#[case::json_object(json!({"$json": {"a": 1}}), json!({"a": 1}), "the JSON text of {\"a\":1} (a string, not an object)")]
#[case::length_number(json!({"$length": 1}), json!(1), "length 1 (a string, an array or bytes, not a number)")]
#[case::base64_other_text(json!({"$base64": "eyJhIjoxfQ=="}), json!("eyJhIjoyfQ=="), "the bytes (base64) \"eyJhIjoxfQ==\"")]
#[case::json_other_object(json!({"$json": {"a": 1}}), json!({"a": 2}), "the JSON text of {\"a\":1}")]
#[case::not_a_kind(json!({"$not": 1}), json!(1), "not 1")]
fn sides_that_print_alike_are_told_apart_by_their_kinds(
    #[case] expected: Value,
    #[case] observed: Value,
    #[case] words: &str,
) {
    let found = differences(expected, Some(observed.clone()));
    let found: Vec<(&str, &str)> = found.iter().map(|d| (&*d.expected, &*d.got)).collect();
    assert_eq!(found, [(words, observed.to_string().as_str())]);
}

/// The words are in snapshots and baseline fingerprints: they must not change.
#[rstest]
#[case::scalar(json!("a"), json!("b"), "\"a\"")]
#[case::object(json!({"a": 1}), json!([]), "an object")]
#[case::array(json!([1]), json!("x"), "an array of 1")]
#[case::array_length(json!([1]), json!([1, 2]), "1 items")]
#[case::eq(json!({"$eq": 1}), json!(2), "exactly 1")]
#[case::type_(json!({"$type": "arraybuffer"}), json!("x"), "a value of type arraybuffer")]
#[case::absent(json!({"$absent": true}), json!(1), "nothing (absent)")]
#[case::starts_with(json!({"$startsWith": "request:fail"}), json!("x"), "a string starting with \"request:fail\"")]
#[case::contains(json!({"$contains": "a"}), json!("x"), "a string containing \"a\"")]
#[case::contains_array(json!({"$contains": "a"}), json!(["x"]), "an array containing \"a\"")]
#[case::regex(json!({"$regex": "^a"}), json!("x"), "a string matching \"^a\"")]
#[case::json(json!({"$json": {"a": 1}}), json!("{}"), "the JSON text of {\"a\":1}")]
#[case::base64(json!({"$base64": "aGk="}), json!("x"), "the bytes (base64) \"aGk=\"")]
#[case::sha256(json!({"$sha256": "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"}), json!("x"), "bytes with SHA-256 \"8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4\"")]
#[case::length(json!({"$length": 3}), json!("x"), "length 3")]
#[case::any_of(json!({"$anyOf": [1, {"$eq": 2}]}), json!(3), "any of [1,{\"$eq\":2}]")]
#[case::not(json!({"$not": {"$contains": "a"}}), json!("a"), "not {\"$contains\":\"a\"}")]
fn expectations_are_worded_from_the_argument(
    #[case] expected: Value,
    #[case] observed: Value,
    #[case] words: &str,
) {
    let found = differences(expected, Some(observed));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].expected, words);
}

#[test]
fn missing_is_worded_nothing() {
    let found = differences(json!({"$present": true}), None);
    assert_eq!(
        (found[0].expected.as_str(), found[0].got.as_str()),
        ("a value", "nothing")
    );
}

#[test]
fn operators_are_checked_in_the_order_written() {
    let found = differences(
        json!({"$length": 5, "$startsWith": "b", "$type": "number"}),
        Some(json!("abc")),
    );
    let words: Vec<&str> = found.iter().map(|d| d.expected.as_str()).collect();
    assert_eq!(
        words,
        [
            "length 5",
            "a string starting with \"b\"",
            "a value of type number"
        ]
    );
}

#[rstest]
#[case::unknown_operator(json!({"$startWith": "x"}), "v", "unknown matcher `$startWith`, did you mean `$startsWith`? (known: $eq, $type, $absent, $present, $startsWith, $contains, $regex, $json, $base64, $sha256, $length, $anyOf, $not)")]
#[case::unknown_operator_far_from_any(json!({"$exists": true}), "v", "unknown matcher `$exists` (known: $eq, $type, ")]
#[case::unknown_operator_short(json!({"$ne": 1}), "v", "unknown matcher `$ne` (known: $eq, ")]
#[case::unknown_operator_case(json!({"$StartsWith": "x"}), "v", "unknown matcher `$StartsWith`, did you mean `$startsWith`?")]
#[case::unknown_operator_nested(json!({"errMsg": {"$startWith": "request:fail"}}), "v.errMsg", "unknown matcher `$startWith`, did you mean `$startsWith`?")]
#[case::unknown_type_close(json!({"$type": "strng"}), "v", "unknown `$type` `strng`, did you mean `string`? (known: string, ")]
#[case::fields_beside_a_bare_type(json!({"$type": "string", "length": 1}), "v", "plain key `length` beside `$type: string` names no field: a value of type string has none")]
#[case::fields_beside_array(json!({"$type": "array", "0": 1}), "v", "plain key `0` beside `$type: array` names no field: a value of type array has none")]
#[case::sha256_too_short(json!({"$sha256": &HI_SHA256[1..]}), "v", "`$sha256` takes 64 lower-case hex digits")]
#[case::sha256_upper_case(json!({"$sha256": HI_SHA256.to_uppercase()}), "v", "`$sha256` takes 64 lower-case hex digits")]
#[case::sha256_not_hex(json!({"$sha256": format!("g{}", &HI_SHA256[1..])}), "v", "`$sha256` takes 64 lower-case hex digits")]
#[case::sha256_a_number(json!({"$sha256": 1}), "v", "`$sha256` takes 64 lower-case hex digits")]
#[case::json_inside_any_of_path(json!({"a": {"$anyOf": [{"$not": {"$length": true}}]}}), "v.a.$anyOf[0].$not", "`$length` takes a non-negative integer")]
#[case::bad_regex(json!({"errMsg": {"$regex": "("}}), "v.errMsg", "`$regex` is not a valid regular expression: unclosed group")]
#[case::unknown_type_far(json!({"$type": "text"}), "v", "unknown `$type` `text` (known: string, ")]
#[case::regex_not_a_string(json!({"$regex": 1}), "v", "`$regex` takes a string")]
#[case::unknown_type(json!({"$type": "widget"}), "v", "unknown `$type` `widget` (known: string, number, boolean, null, object, array, arraybuffer, bytes, undefined, error, headers, function)")]
#[case::type_not_a_string(json!({"$type": 1}), "v", "`$type` takes a type name (known: string, ")]
#[case::plain_key_without_type(json!({"$present": true, "a": 1}), "v", "plain key `a` beside matchers needs a `$type`")]
#[case::absent_not_a_boolean(json!({"$absent": "yes"}), "v", "`$absent` takes `true` or `false`")]
#[case::present_not_a_boolean(json!({"$present": 1}), "v", "`$present` takes `true` or `false`")]
#[case::starts_with_not_a_string(json!({"$startsWith": 1}), "v", "`$startsWith` takes a string")]
#[case::contains_not_a_string(json!({"$contains": ["a"]}), "v", "`$contains` takes a string")]
#[case::base64_not_a_string(json!({"$base64": 1}), "v", "`$base64` takes base64 text")]
#[case::base64_invalid(json!({"$base64": "!!"}), "v", "`$base64` is not valid base64: ")]
#[case::sha256_not_hex(json!({"$sha256": "ABC"}), "v", "`$sha256` takes 64 lower-case hex digits")]
#[case::length_negative(json!({"$length": -1}), "v", "`$length` takes a non-negative integer")]
#[case::length_fraction(json!({"$length": 1.5}), "v", "`$length` takes a non-negative integer")]
#[case::any_of_not_a_list(json!({"$anyOf": {"$eq": 1}}), "v", "`$anyOf` takes a list of matchers")]
#[case::inside_any_of(json!({"$anyOf": [1, {"$regex": "["}]}), "v.$anyOf[1]", "`$regex` is not a valid regular expression: unclosed character class")]
#[case::inside_not(json!({"$not": {"$type": "widget"}}), "v.$not", "unknown `$type` `widget`")]
#[case::inside_array(json!([1, {"$length": "2"}]), "v[1]", "`$length` takes a non-negative integer")]
#[case::inside_type_fields(json!({"$type": "error", "errMsg": {"$nope": 1}}), "v.errMsg", "unknown matcher `$nope`")]
fn parse_errors_say_what_and_where(
    #[case] matcher: Value,
    #[case] path: &str,
    #[case] words: &str,
) {
    let error = Matcher::parse(&matcher, "v").unwrap_err();
    assert_eq!(error.path, path, "{error}");
    assert!(error.message.starts_with(words), "{error}");
    assert_eq!(error.to_string(), format!("{path}: {}", error.message));
}

#[rstest]
#[case::scalar(json!("a"))]
#[case::nested(json!({"b": [1, {"c": null}], "a": {"$not": {"$eq": {"$x": 1}}}}))]
#[case::plain_keys_before_type(json!({"errMsg": {"$startsWith": "x"}, "$type": "error", "$present": true}))]
#[case::base64_with_spaces(json!({"$base64": " aGk= "}))]
fn serializes_as_written(#[case] written: Value) {
    let matcher = parse(&written);
    assert_eq!(
        serde_json::to_string(&matcher).unwrap(),
        written.to_string()
    );
}

#[test]
fn every_condition_knows_its_operator() {
    let all = json!({"$eq": 1, "$type": "string", "$absent": false, "$present": true,
        "$startsWith": "a", "$contains": "a", "$regex": "a", "$json": 1, "$base64": "",
        "$sha256": "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
        "$length": 1, "$anyOf": [], "$not": 1});
    let Matcher::Operators { conditions, .. } = parse(&all) else {
        panic!("a matcher object");
    };
    let operators: Vec<Operator> = conditions.iter().map(Condition::operator).collect();
    assert_eq!(operators, Operator::ALL);
}

/// The `$name`s of the operator table in `text` (the `| expected | holds when … |` table),
/// and the row that lists the types of `$type`.
fn operator_table(text: &str, line_prefix: &str) -> (BTreeSet<String>, String) {
    let rows: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix(line_prefix))
        .skip_while(|l| !(l.starts_with("| expected") && l.contains("| holds when")))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(!rows.is_empty(), "no operator table");
    let names = regex::Regex::new(r"\$[A-Za-z0-9]+").unwrap();
    let operators = rows
        .iter()
        .flat_map(|row| names.find_iter(row).map(|m| m.as_str().to_string()))
        .collect();
    let types = rows
        .iter()
        .find(|row| row.contains("{$type"))
        .expect("a `$type` row")
        .to_string();
    (operators, text_types(&types))
}

/// The backquoted, space-separated type list of a `$type` row.
fn text_types(row: &str) -> String {
    let is_word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase());
    row.split('`')
        .skip(1)
        .step_by(2)
        .find(|part| part.split(' ').count() > 3 && part.split(' ').all(is_word))
        .expect("a list of types")
        .to_string()
}

#[rstest]
#[case::book(include_str!("../../docs/writing-cases.md"), "")]
#[case::module_doc(include_str!("mod.rs"), "//! ")]
fn operator_tables_list_exactly_the_operators(#[case] text: &str, #[case] line_prefix: &str) {
    let (operators, types) = operator_table(text, line_prefix);
    let known: BTreeSet<String> = Operator::ALL
        .iter()
        .map(|op| op.name().to_string())
        .collect();
    assert_eq!(operators, known);
    let known_types: Vec<&str> = ValueType::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(types, known_types.join(" "));
}

/// At the root the path is empty: an error there is its message alone, and a key's path is the
/// key itself.
#[test]
fn errors_at_the_root_have_no_leading_dot() {
    let error = Matcher::parse(&json!({"$regex": "("}), "").unwrap_err();
    assert_eq!(error.path, "");
    assert_eq!(
        error.to_string(),
        "`$regex` is not a valid regular expression: unclosed group"
    );
    let error = Matcher::parse(&json!({"a": {"$length": "x"}}), "").unwrap_err();
    assert_eq!(
        error.to_string(),
        "a: `$length` takes a non-negative integer"
    );
    let mut out = Vec::new();
    Matcher::parse(&json!({"a": 1}), "")
        .unwrap()
        .check(Some(&json!({"a": 2})), "", &mut out);
    assert_eq!(out[0].path, "a");
}

#[rstest]
#[case::one_letter_short("$startWith", Some(Operator::StartsWith))]
#[case::letter_case("$ANYOF", Some(Operator::AnyOf))]
#[case::swapped("$lenght", Some(Operator::Length))]
#[case::extra_letter("$regexp", Some(Operator::Regex))]
#[case::exact("$not", Some(Operator::Not))]
#[case::too_far("$exists", None)]
#[case::short_names_need_to_be_near("$ne", None)]
#[case::three_edits("$lengthXYZ", None)]
#[case::empty("", None)]
fn closest_operator(#[case] name: &str, #[case] closest: Option<Operator>) {
    assert_eq!(Operator::closest(name), closest);
}

#[rstest]
#[case::one_letter("strng", Some(ValueType::String))]
#[case::two_letters("arraybufer", Some(ValueType::ArrayBuffer))]
#[case::far("text", None)]
fn closest_type(#[case] name: &str, #[case] closest: Option<ValueType>) {
    assert_eq!(ValueType::closest(name), closest);
}

#[test]
fn names_print_as_written() {
    assert_eq!(Operator::Regex.to_string(), "$regex");
    assert_eq!(ValueType::ArrayBuffer.to_string(), "arraybuffer");
    assert_eq!(
        Operator::known(),
        "$eq, $type, $absent, $present, $startsWith, $contains, $regex, $json, $base64, $sha256, $length, $anyOf, $not"
    );
    assert_eq!(Operator::from_name("$regexp"), None);
}

#[rstest]
#[case::plain_key(json!({"errMsg": 1}), "errMsg", true)]
#[case::plain_key_beside_type(json!({"$type": "error", "errMsg": 1}), "errMsg", true)]
#[case::other_key(json!({"errMsg": 1}), "data", false)]
#[case::scalar(json!("errMsg"), "errMsg", false)]
#[case::array(json!(["errMsg"]), "errMsg", false)]
fn names_key(#[case] written: Value, #[case] key: &str, #[case] named: bool) {
    assert_eq!(parse(&written).names_key(key), named);
}

#[rstest]
#[case::nearest_wins(&["cat", "cart"], "carts", Some("cart"))]
#[case::nearest_wins_whatever_the_order(&["cart", "cat"], "carts", Some("cart"))]
#[case::a_tie_suggests_nothing(&["abcd", "abce"], "abcf", None)]
#[case::a_nearer_one_breaks_the_tie(&["abcd", "abce", "abcf"], "abcf", Some("abcf"))]
#[case::two_edits_at_six_chars(&["abcdef"], "abcdxy", Some("abcdef"))]
#[case::one_edit_below_six_chars(&["abcde"], "abcxy", None)]
#[case::nothing_for_two_chars(&["ab"], "ax", None)]
fn closest_name(#[case] names: &[&'static str], #[case] name: &str, #[case] found: Option<&str>) {
    assert_eq!(names::closest(names.iter().map(|n| (*n, *n)), name), found);
}

#[rstest]
#[case::same("abc", "abc", 0)]
#[case::inserted("abc", "abxc", 1)]
#[case::deleted("abc", "ac", 1)]
#[case::replaced("abc", "abd", 1)]
#[case::swapped("ab", "ba", 2)]
#[case::from_nothing("", "abc", 3)]
#[case::to_nothing("abc", "", 3)]
#[case::chars_not_bytes("é", "e", 1)]
#[case::kitten("kitten", "sitting", 3)]
fn edit_distance(#[case] a: &str, #[case] b: &str, #[case] edits: usize) {
    assert_eq!(names::distance(a, b), edits);
    assert_eq!(names::distance(b, a), edits);
}

/// A map of matchers (a request's headers) written as something else says what it wanted.
#[test]
fn a_map_of_matchers_must_be_a_map() {
    let error = serde_json::from_value::<crate::spec::WireRequestExpect>(json!({"headers": 5}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a map"
    );
}
