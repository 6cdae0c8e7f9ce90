//! Mock origins: the HTTP servers a case's call talks to, each on its own 127.0.0.1 port.
//!
//! An origin is served by wiremock, unless one of its replies is a network fault or a slow
//! body, which only raw sockets can make (`raw.rs`); an origin that refuses connections holds a
//! bound socket that never listens, so the port stays ours and every connect is refused.
//!
//! ```no_run
//! # async fn demo(case: &taro_conformance::spec::Case) -> std::io::Result<()> {
//! use taro_conformance::mock::Origins;
//! let origins = Origins::start(&case.origins).await?;
//! let urls = origins.base_urls(); // {"api": "http://127.0.0.1:40123"}
//! // … run the call …
//! let traffic = origins.traffic().await; // what each origin received
//! # Ok(()) }
//! ```

pub mod pool;
mod raw;
mod stub;

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::net::TcpSocket;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::observe::{OriginTraffic, WireRequest};
use crate::spec::{OriginSpec, render};
use crate::value::wire_bytes;
use raw::RawOrigin;
use stub::{ArmedStub, needs_raw_socket, reply_parts};

/// The running origins of one case. Dropping it stops them all.
pub struct Origins {
    origins: BTreeMap<String, Origin>,
    /// The page port one of them was served on, to give back when the case ends.
    leased: Option<(u16, pool::PagePorts)>,
}

enum Origin {
    Wiremock(MockServer),
    Raw(RawOrigin),
    /// Bound, never listening: connections are refused and nobody else gets the port.
    Refusing {
        _socket: TcpSocket,
        addr: std::net::SocketAddr,
    },
}

impl Origins {
    /// Starts one server per named origin. Every port is bound first, so stubs may name any
    /// origin of the case with `{{origin.NAME}}` (a CORS header naming the page, say).
    pub async fn start(specs: &BTreeMap<String, OriginSpec>) -> std::io::Result<Origins> {
        Origins::start_on(specs, None).await
    }

    /// As [`Origins::start`], the origin named in `page` served on its leased page port (see
    /// [`pool`]) when [`poolable`] (otherwise the lease goes back unused).
    pub async fn start_on(
        specs: &BTreeMap<String, OriginSpec>,
        page: Option<(&str, pool::Lease)>,
    ) -> std::io::Result<Origins> {
        let mut page = match page {
            Some((name, lease)) if specs.get(name).is_some_and(poolable) => Some((name, lease)),
            Some((_, lease)) => {
                lease.put_back();
                None
            }
            None => None,
        };
        let mut leased = None;
        let mut bound = Vec::new();
        let mut urls = BTreeMap::new();
        for (name, spec) in specs {
            let socket = match page.take_if(|(page, _)| *page == name.as_str()) {
                Some((_, lease)) => {
                    let (socket, port, pool) = lease.into_parts();
                    leased = Some((port, pool));
                    socket
                }
                None => {
                    let socket = TcpSocket::new_v4()?;
                    socket.bind(([127, 0, 0, 1], 0).into())?;
                    socket
                }
            };
            urls.insert(name.clone(), format!("http://{}", socket.local_addr()?));
            bound.push((name.clone(), spec, socket));
        }
        let mut origins = BTreeMap::new();
        for (name, spec, socket) in bound {
            let spec = render_origin(spec, &urls);
            origins.insert(name, start_origin(&spec, socket).await?);
        }
        Ok(Origins { origins, leased })
    }

    /// Stops every origin; a leased page port is bound again and given back once its server
    /// has let it go (its connections closed: see [`pool`]).
    pub async fn close(mut self) {
        let leased = self.leased.take();
        // wiremock's Drop blocks on a tokio lock; unconstrained keeps the co-op budget from
        // starving it.
        tokio::task::unconstrained(async move { drop(self) }).await;
        if let Some((port, ports)) = leased {
            pool::give_back(ports, port).await;
        }
    }

    /// Each origin's base URL (`http://127.0.0.1:PORT`, no trailing slash), by name.
    pub fn base_urls(&self) -> BTreeMap<String, String> {
        self.origins
            .iter()
            .map(|(name, origin)| {
                let url = match origin {
                    Origin::Wiremock(server) => server.uri(),
                    Origin::Raw(raw) => raw.base_url(),
                    Origin::Refusing { addr, .. } => format!("http://{addr}"),
                };
                (name.clone(), url)
            })
            .collect()
    }

    /// What each origin has received so far.
    pub async fn traffic(&self) -> BTreeMap<String, OriginTraffic> {
        let mut traffic = BTreeMap::new();
        for (name, origin) in &self.origins {
            let requests = match origin {
                Origin::Wiremock(server) => server
                    .received_requests()
                    .await
                    .unwrap_or_default()
                    .iter()
                    .map(from_wiremock)
                    .collect(),
                Origin::Raw(raw) => raw.received(),
                Origin::Refusing { .. } => Vec::new(),
            };
            traffic.insert(
                name.clone(),
                OriginTraffic {
                    count: requests.len(),
                    requests,
                },
            );
        }
        traffic
    }
}

/// Whether an origin can be served on a page port: one wiremock serves (a raw fault origin or
/// one that refuses connections keeps a port of its own, and its page its own navigation).
pub fn poolable(spec: &OriginSpec) -> bool {
    !spec.refuse_connections && !needs_raw(spec)
}

fn needs_raw(spec: &OriginSpec) -> bool {
    spec.stubs.iter().any(|s| {
        s.request.method.as_deref() == Some("CONNECT")
            || s.response
                .iter()
                .chain(s.responses.iter().flatten())
                .any(needs_raw_socket)
    })
}

/// Fills `{{origin.NAME}}` placeholders anywhere in an origin's stubs.
fn render_origin(spec: &OriginSpec, urls: &BTreeMap<String, String>) -> OriginSpec {
    serde_json::to_value(spec)
        .ok()
        .and_then(|value| serde_json::from_value(render(&value, urls)).ok())
        .unwrap_or_else(|| spec.clone())
}

async fn start_origin(spec: &OriginSpec, socket: TcpSocket) -> std::io::Result<Origin> {
    if spec.refuse_connections {
        let addr = socket.local_addr()?;
        return Ok(Origin::Refusing {
            _socket: socket,
            addr,
        });
    }
    let armed: Vec<ArmedStub> = spec.stubs.iter().map(ArmedStub::new).collect();
    // wiremock cannot make faults or slow bodies, and cannot take CONNECT's authority-form
    // target, so those origins get the raw-socket server.
    let raw = needs_raw(spec);
    let listener = socket.listen(1024)?;
    if raw {
        return Ok(Origin::Raw(RawOrigin::start(listener, armed)?));
    }
    // `builder().start()` rather than `start()`: pooled servers outlive their drop.
    let listener = listener.into_std()?;
    let server = MockServer::builder().listener(listener).start().await;
    for stub in armed {
        Mock::given(StubMatch(stub.request.clone()))
            .respond_with(StubReplies(stub))
            .mount(&server)
            .await;
    }
    Ok(Origin::Wiremock(server))
}

/// Our stub matchers as a wiremock matcher, so both servers match the same way.
struct StubMatch(crate::spec::StubRequest);

impl wiremock::Match for StubMatch {
    fn matches(&self, request: &Request) -> bool {
        stub::matches(&self.0, &from_wiremock(request))
    }
}

/// A stub's reply sequence as a wiremock responder.
struct StubReplies(ArmedStub);

impl Respond for StubReplies {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let reply = self.0.next_reply();
        let (headers, body) = reply_parts(reply, &from_wiremock(request));
        let mut template = ResponseTemplate::new(reply.status.unwrap_or(200));
        for (name, value) in headers {
            template = template.append_header(name.as_str(), value.as_str());
        }
        template = template.set_body_bytes(body);
        if let Some(ms) = reply.fixed_delay_milliseconds {
            template = template.set_delay(Duration::from_millis(ms));
        }
        template
    }
}

fn from_wiremock(request: &Request) -> WireRequest {
    let headers = request
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    WireRequest {
        method: request.method.to_string(),
        path: request.url.path().to_string(),
        query: request.url.query().map(str::to_string),
        headers: join_headers(headers),
        body: wire_bytes(&request.body),
    }
}

/// Builds a [`WireRequest`] from a request line's method and target, raw headers and body,
/// normalizing the target the way wiremock's URL parsing does.
pub(crate) fn wire_request(
    method: &str,
    target: &str,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> WireRequest {
    // Origin-form targets (`/path?query`) are normalized as wiremock does; anything else
    // (CONNECT's `host:port`) is kept as it came.
    let url = Some(target).filter(|t| t.starts_with('/')).and_then(|t| {
        url::Url::parse("http://127.0.0.1")
            .and_then(|base| base.join(t))
            .ok()
    });
    WireRequest {
        method: method.to_string(),
        path: url
            .as_ref()
            .map(|u| u.path().to_string())
            .unwrap_or_else(|| target.to_string()),
        query: url.as_ref().and_then(|u| u.query().map(str::to_string)),
        headers: join_headers(headers),
        body: wire_bytes(body),
    }
}

/// Lower-cases names and joins repeated headers with `, ` in arrival order.
fn join_headers(headers: Vec<(String, String)>) -> BTreeMap<String, String> {
    let mut joined: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        joined
            .entry(name.to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    joined
}
