//! The mock origins a case declares: each origin's stubs in WireMock's mapping vocabulary, what
//! requests a stub matches, and its reply (or the network fault in its place).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One mock origin: an HTTP server on 127.0.0.1 with its own port.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OriginSpec {
    /// Stubs tried in order; the first whose `request` matches answers. A request that
    /// matches none gets a 404 with an empty body.
    #[serde(default)]
    pub stubs: Vec<Stub>,
    /// Nothing listens on this origin's port: every connection is refused.
    #[serde(default)]
    pub refuse_connections: bool,
}

/// A stub in WireMock's mapping vocabulary.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Stub {
    /// Which requests this stub answers (all of them when empty).
    #[serde(default)]
    pub request: StubRequest,
    /// The reply to every matching request.
    #[serde(default)]
    pub response: Option<StubResponse>,
    /// One reply per attempt, in order; the last repeats once the list runs out.
    #[serde(default)]
    pub responses: Option<Vec<StubResponse>>,
}

/// Request matchers of a stub; every one given must match.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StubRequest {
    /// HTTP method, exactly (`ANY` or absent matches every method).
    #[serde(default)]
    pub method: Option<String>,
    /// The path, exactly, without the query.
    #[serde(default)]
    pub url_path: Option<String>,
    /// A regular expression the whole path must match.
    #[serde(default)]
    pub url_path_pattern: Option<String>,
    /// Query parameters (decoded) and how each must match.
    #[serde(default)]
    pub query_parameters: BTreeMap<String, StringMatcher>,
    /// Request headers (case-insensitive names) and how each must match.
    #[serde(default)]
    pub headers: BTreeMap<String, StringMatcher>,
}

/// WireMock's string matchers; exactly one must be given.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StringMatcher {
    /// The value equals this.
    #[serde(default)]
    pub equal_to: Option<String>,
    /// The value contains this.
    #[serde(default)]
    pub contains: Option<String>,
    /// The value matches this regular expression (anchored at both ends).
    #[serde(default)]
    pub matches: Option<String>,
    /// `true`: the value must be present (any value); `false`: it must be absent.
    #[serde(default)]
    pub present: Option<bool>,
}

/// A stub's reply, or a network fault in its place.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StubResponse {
    /// HTTP status (default 200).
    #[serde(default)]
    pub status: Option<u16>,
    /// Response headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Body as text.
    #[serde(default)]
    pub body: Option<String>,
    /// Body as JSON (serialized compactly; `content-type: application/json` is added unless
    /// `headers` names one).
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub json_body: Option<Value>,
    /// Body as base64-encoded bytes.
    #[serde(default)]
    pub base64_body: Option<String>,
    /// A large body made of `pattern` repeated up to `length` bytes.
    #[serde(default)]
    pub generated_body: Option<GeneratedBody>,
    /// A JSONP reply: `NAME(<this value as JSON>)`, where NAME is the request's `callback`
    /// query parameter (`callback` when there is none); content-type `application/javascript`.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub jsonp_body: Option<Value>,
    /// Wait this long before replying.
    #[serde(default)]
    pub fixed_delay_milliseconds: Option<u64>,
    /// Send the body in this many chunks spread over this long (a slow body).
    #[serde(default)]
    pub chunked_dribble_delay: Option<ChunkedDribbleDelay>,
    /// Answer with a network fault instead of a reply.
    #[serde(default)]
    pub fault: Option<Fault>,
}

/// A body too large to write out: `pattern` repeated, cut at `length` bytes.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GeneratedBody {
    /// The text repeated (at least one byte).
    pub pattern: String,
    /// The body's length in bytes.
    pub length: usize,
}

/// WireMock's `chunkedDribbleDelay`: the body trickles out.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChunkedDribbleDelay {
    /// How many pieces the body is cut into.
    pub number_of_chunks: u32,
    /// How long, in ms, from the first piece to the last.
    pub total_duration: u64,
}

/// Network faults a stub can answer with (WireMock's names, plus our own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Fault {
    /// Read the request, then reset the connection (TCP RST).
    ConnectionResetByPeer,
    /// Read the request, then close the connection cleanly without a byte of reply.
    EmptyResponse,
    /// Reply with bytes that are not HTTP, then close.
    RandomDataThenClose,
    /// Send a status line and headers announcing a longer body than is sent, then close.
    TruncatedBody,
    /// Read the request and never answer, keeping the connection open.
    NoResponse,
}
