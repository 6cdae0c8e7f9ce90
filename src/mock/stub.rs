//! Stubs: deciding whether a request matches, and which reply of a sequence comes next.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::observe::WireRequest;
use crate::spec::{StringMatcher, Stub, StubRequest, StubResponse};
use crate::value::decode_base64;
use regex::Regex;

/// Whether `request` satisfies every matcher of `stub`.
/// # use std::collections::BTreeMap;
/// use taro_conformance::mock::stub::matches;
/// use taro_conformance::observe::WireRequest;
/// use taro_conformance::spec::StubRequest;
/// let stub = StubRequest { method: Some("GET".into()), url_path: Some("/a".into()), ..Default::default() };
/// let request = WireRequest { method: "GET".into(), path: "/a".into(), query: None,
///     headers: BTreeMap::new(), body: "".into() };
/// assert!(matches(&stub, &request));
/// ```
pub fn matches(stub: &StubRequest, request: &WireRequest) -> bool {
    let method_ok = stub
        .method
        .as_deref()
        .is_none_or(|m| m == "ANY" || m == request.method);
    let path_ok = stub.url_path.as_deref().is_none_or(|p| p == request.path);
    let pattern_ok = stub
        .url_path_pattern
        .as_deref()
        .is_none_or(|p| full_match(p, &request.path));
    let query: Vec<(String, String)> = request
        .query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let query_ok = stub.query_parameters.iter().all(|(name, m)| {
        let value = query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        string_matches(m, value)
    });
    let headers_ok = stub.headers.iter().all(|(name, m)| {
        let value = request
            .headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str);
        string_matches(m, value)
    });
    method_ok && path_ok && pattern_ok && query_ok && headers_ok
}

/// The first value of a query parameter, decoded.
fn query_param(request: &WireRequest, name: &str) -> Option<String> {
    let query = request.query.as_deref()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn string_matches(m: &StringMatcher, value: Option<&str>) -> bool {
    if let Some(present) = m.present {
        return present == value.is_some();
    }
    let Some(value) = value else { return false };
    if let Some(eq) = &m.equal_to {
        return eq == value;
    }
    if let Some(part) = &m.contains {
        return value.contains(part.as_str());
    }
    if let Some(pattern) = &m.matches {
        return full_match(pattern, value);
    }
    false
}

fn full_match(pattern: &str, value: &str) -> bool {
    Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(value))
}

/// A stub made ready to answer: its replies and how many times it has answered.
#[derive(Debug)]
pub struct ArmedStub {
    /// The matchers.
    pub request: StubRequest,
    replies: Vec<StubResponse>,
    answered: AtomicUsize,
}

impl ArmedStub {
    /// Arms a stub from its spec.
    pub fn new(stub: &Stub) -> Self {
        let replies = match (&stub.response, &stub.responses) {
            (Some(one), _) => vec![one.clone()],
            (None, Some(list)) => list.clone(),
            (None, None) => vec![StubResponse::default()],
        };
        ArmedStub {
            request: stub.request.clone(),
            replies,
            answered: AtomicUsize::new(0),
        }
    }

    /// The reply for the next attempt: the n-th of the sequence, the last one repeating.
    pub fn next_reply(&self) -> &StubResponse {
        let n = self.answered.fetch_add(1, Ordering::SeqCst);
        &self.replies[n.min(self.replies.len() - 1)]
    }
}

/// The body bytes and headers of a reply to `request`, with a `content-type` added for
/// `jsonBody` and `jsonpBody`.
pub fn reply_parts(
    reply: &StubResponse,
    request: &WireRequest,
) -> (Vec<(String, String)>, Vec<u8>) {
    let mut headers: Vec<(String, String)> = reply
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut default_type = |value: &str| {
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("content-type".into(), value.into()));
        }
    };
    let body = if let Some(json) = &reply.json_body {
        default_type("application/json");
        serde_json::to_vec(json).unwrap_or_default()
    } else if let Some(json) = &reply.jsonp_body {
        default_type("application/javascript");
        let callback = query_param(request, "callback").unwrap_or_else(|| "callback".into());
        format!("{callback}({json})").into_bytes()
    } else if let Some(generated) = &reply.generated_body {
        // Whole copies of the pattern, then cut: a copy per piece, not a step per byte.
        let pattern = generated.pattern.as_bytes();
        let mut body = pattern.repeat(generated.length.div_ceil(pattern.len().max(1)));
        body.truncate(generated.length);
        body
    } else if let Some(b64) = &reply.base64_body {
        decode_base64(b64).unwrap_or_default()
    } else {
        reply.body.clone().unwrap_or_default().into_bytes()
    };
    (headers, body)
}

/// Whether a reply needs the raw-socket server (wiremock cannot make faults or slow bodies).
pub fn needs_raw_socket(reply: &StubResponse) -> bool {
    reply.fault.is_some() || reply.chunked_dribble_delay.is_some()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_request_matches_a_stub_of_its_method_and_path_only() {
        let stub = StubRequest {
            method: Some("GET".into()),
            url_path: Some("/a".into()),
            ..Default::default()
        };
        let request = |method: &str, path: &str| WireRequest {
            method: method.into(),
            path: path.into(),
            query: None,
            headers: BTreeMap::new(),
            body: "".into(),
        };
        assert!(matches(&stub, &request("GET", "/a")));
        assert!(!matches(&stub, &request("POST", "/a")));
        assert!(!matches(&stub, &request("GET", "/b")));
    }
}
