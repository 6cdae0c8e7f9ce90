//! Query strings: `encodeURIComponent(k)=encodeURIComponent(v)&…` (DATA-1, DATA-2, DATA-4).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

use super::js::{js_string, json_stringify};

/// What `encodeURIComponent` leaves alone: `A–Z a–z 0–9 - _ . ! ~ * ' ( )`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// JavaScript's `encodeURIComponent`.
pub fn encode_uri_component(text: &str) -> String {
    utf8_percent_encode(text, URI_COMPONENT).to_string()
}

/// `k=v&k=v` from an object's entries, in insertion order, each side encoded. An object or
/// array value is written as its JSON text, as Taro's H5 layer has done since it stopped
/// dropping an array's brackets (DATA-8 leaves it open; most platforms do the same).
pub fn query_string(data: &Map<String, Value>) -> String {
    data.iter()
        .map(|(k, v)| {
            let text = match v {
                Value::Object(_) | Value::Array(_) => json_stringify(v),
                _ => js_string(v),
            };
            format!(
                "{}={}",
                encode_uri_component(k),
                encode_uri_component(&text)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Appends `query` to `url`: after `&` when the url already has a query, after `?` otherwise,
/// and before any `#fragment`. An empty query leaves the url as it is.
pub fn append_query(url: &str, query: &str) -> String {
    if query.is_empty() {
        return url.to_string();
    }
    let (base, fragment) = match url.find('#') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let joiner = match base.find('?') {
        None => "?",
        Some(_) if base.ends_with('?') || base.ends_with('&') => "",
        Some(_) => "&",
    };
    format!("{base}{joiner}{query}{fragment}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    #[rstest]
    #[case::unreserved("-_.!~*'()", "-_.!~*'()")]
    #[case::reserved("+&=/?#%", "%2B%26%3D%2F%3F%23%25")]
    #[case::space("a b", "a%20b")]
    #[case::non_ascii("中文", "%E4%B8%AD%E6%96%87")]
    #[case::emoji("😀", "%F0%9F%98%80")]
    #[case::empty("", "")]
    fn encodes_like_encode_uri_component(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(encode_uri_component(input), expected);
    }

    #[test]
    fn keeps_insertion_order_and_stringifies_scalars() {
        let data = json!({"z": 1, "a": true, "m": 1.5, "n": null});
        assert_eq!(
            query_string(data.as_object().unwrap()),
            "z=1&a=true&m=1.5&n=null"
        );
    }

    #[test]
    fn writes_objects_and_arrays_as_json_text() {
        let data = json!({"o": {"a": 1}, "l": [1, 2]});
        assert_eq!(
            query_string(data.as_object().unwrap()),
            "o=%7B%22a%22%3A1%7D&l=%5B1%2C2%5D"
        );
    }

    #[rstest]
    #[case::plain("http://h/p", "a=1", "http://h/p?a=1")]
    #[case::has_query("http://h/p?x=0", "a=1", "http://h/p?x=0&a=1")]
    #[case::ends_in_question_mark("http://h/p?", "a=1", "http://h/p?a=1")]
    #[case::fragment("http://h/p#top", "a=1", "http://h/p?a=1#top")]
    #[case::nothing_to_add("http://h/p", "", "http://h/p")]
    fn appends_queries(#[case] url: &str, #[case] query: &str, #[case] expected: &str) {
        assert_eq!(append_query(url, query), expected);
    }
}
