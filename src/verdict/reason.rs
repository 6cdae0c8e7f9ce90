//! Why a call that threw or rejected did so, in the observed value's own words: shown beside a
//! mismatch of how the call settled, so a broken build reads `threw (TypeError: …)`. And beside
//! a mismatch in what the layer passed the native API, the whole of what it passed.

use serde_json::Value;

use crate::observe::ClientObservation;
use crate::spec::Settled;

/// What a call that threw or rejected says of why: an error's name and message, or a
/// mini-program failure's `errMsg`, on one line and short.
///
/// ```
/// use taro_conformance::observe::ClientObservation;
/// use taro_conformance::spec::Settled;
/// let value = serde_json::json!({"name": "TypeError", "message": "x is not a function"});
/// let client = ClientObservation::new(Settled::Threw, Some(value), 1);
/// let reason = taro_conformance::verdict::settled_reason(&client);
/// assert_eq!(reason.as_deref(), Some("TypeError: x is not a function"));
/// ```
pub fn reason(client: &ClientObservation) -> Option<String> {
    if !matches!(client.settled, Settled::Threw | Settled::Rejected) {
        return None;
    }
    let value = client.value.as_ref()?;
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let said = match (text("name"), text("message"), text("errMsg")) {
        (_, _, Some(err_msg)) => format!("errMsg {err_msg:?}"),
        (Some(name), Some(message), None) if !message.is_empty() => format!("{name}: {message}"),
        (Some(name), _, None) => name.to_string(),
        (None, Some(message), None) => message.to_string(),
        (None, None, None) => crate::value::brief(value),
    };
    let line: String = said.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(if line.chars().count() > 200 {
        format!("{}…", line.chars().take(200).collect::<String>())
    } else {
        line
    })
}

/// What the layer passed the native API, short, without its function-valued options (the
/// layer's own `success`, `fail` and `complete`): a mismatch names one field of it, and the
/// rest says whether the layer moved or renamed it.
pub(super) fn native(client: &ClientObservation) -> Option<String> {
    let native = client.native.as_deref()?;
    let shown = match native {
        Value::Object(options) => Value::Object(
            options
                .iter()
                .filter(|(_, v)| v.get("$type").and_then(Value::as_str) != Some("function"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    };
    Some(format!(
        "the native API was passed {}",
        crate::value::brief(&shown)
    ))
}

#[cfg(test)]
mod tests {
    use rstest::rstest;
    use serde_json::json;

    use super::*;
    use crate::verdict::Mismatch;

    #[rstest]
    #[case::threw_error(
        Settled::Threw,
        json!({"$type": "error", "name": "TypeError", "message": "Taro.request is not a function"}),
        Some("TypeError: Taro.request is not a function")
    )]
    #[case::rejected_err_msg(
        Settled::Rejected,
        json!({"$type": "error", "name": "Error", "message": "x", "errMsg": "request:fail timeout"}),
        Some("errMsg \"request:fail timeout\"")
    )]
    #[case::rejected_plain(Settled::Rejected, json!("boom"), Some("\"boom\""))]
    #[case::resolved(Settled::Resolved, json!({"errMsg": "request:ok"}), None)]
    #[case::pending(Settled::Pending, json!(null), None)]
    fn a_call_that_threw_or_rejected_says_why(
        #[case] settled: Settled,
        #[case] value: Value,
        #[case] expected: Option<&str>,
    ) {
        let client = ClientObservation::new(settled, Some(value), 1);
        assert_eq!(reason(&client).as_deref(), expected);
    }

    #[test]
    fn a_native_mismatch_shows_what_the_layer_passed() {
        let mut client = ClientObservation::new(Settled::Resolved, None, 1);
        assert_eq!(native(&client), None);
        client.native = Some(Box::new(json!({
            "url": "http://127.0.0.1:1/n",
            "data": "{\"a\":1}",
            "success": {"$type": "function"}
        })));
        assert_eq!(
            native(&client).as_deref(),
            Some(r#"the native API was passed {"url":"http://127.0.0.1:1/n","data":"{\"a\":1}"}"#)
        );
    }

    #[test]
    fn the_reason_is_shown_but_never_fingerprinted() {
        let mismatch = Mismatch {
            path: "client.settled".into(),
            expected: "resolved".into(),
            got: "threw".into(),
            contract: vec!["CALL-1".into()],
            reason: Some("TypeError: Taro.request is not a function".into()),
        };
        assert_eq!(
            mismatch.to_string(),
            "expected resolved at client.settled, got threw (TypeError: Taro.request is not a \
             function) [CALL-1]"
        );
        assert_eq!(
            mismatch.stable_text(),
            "expected resolved at client.settled, got threw [CALL-1]"
        );
    }
}
