//! The raw-socket origin: a minimal HTTP/1.1 server on tokio sockets for what wiremock cannot
//! do — network faults and slow bodies. It records requests exactly as the wiremock origin does.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use super::stub::{ArmedStub, reply_parts};
use crate::observe::WireRequest;
use crate::spec::{Fault, StubResponse};

/// Largest request head accepted; clients under test send far less.
const MAX_HEAD: usize = 64 * 1024;

/// A running raw-socket origin. Dropping it stops the server and every open connection.
pub struct RawOrigin {
    addr: std::net::SocketAddr,
    received: Arc<Mutex<Vec<WireRequest>>>,
    // Aborts the accept loop and all connection tasks when dropped.
    _tasks: JoinSet<()>,
}

impl RawOrigin {
    /// Starts serving `stubs` on a listening socket bound to 127.0.0.1.
    pub fn start(listener: TcpListener, stubs: Vec<ArmedStub>) -> std::io::Result<RawOrigin> {
        let addr = listener.local_addr()?;
        let received = Arc::new(Mutex::new(Vec::new()));
        let stubs = Arc::new(stubs);
        let mut tasks = JoinSet::new();
        let log = received.clone();
        tasks.spawn(async move {
            // Connection tasks live in their own set, owned by the accept loop, so aborting
            // the loop drops them too.
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                connections.spawn(serve(stream, stubs.clone(), log.clone()));
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(RawOrigin {
            addr,
            received,
            _tasks: tasks,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far, in arrival order.
    pub fn received(&self) -> Vec<WireRequest> {
        self.received.lock().expect("not poisoned").clone()
    }
}

/// Serves one connection: request after request, until a fault or the peer closes.
async fn serve(
    mut stream: TcpStream,
    stubs: Arc<Vec<ArmedStub>>,
    log: Arc<Mutex<Vec<WireRequest>>>,
) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        log.lock().expect("not poisoned").push(request.clone());
        let reply = stubs
            .iter()
            .find(|s| super::stub::matches(&s.request, &request))
            .map(|s| s.next_reply().clone());
        let keep_going = match reply {
            Some(reply) => answer(&mut stream, &reply, &request).await,
            None => {
                let not_found = StubResponse {
                    status: Some(404),
                    ..Default::default()
                };
                answer(&mut stream, &not_found, &request).await
            }
        };
        if !keep_going {
            return;
        }
    }
}

/// Reads one request (head and `content-length` body). `None` when the peer is gone or the
/// request cannot be parsed.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<WireRequest> {
    let mut chunk = [0u8; 8192];
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 96];
        let mut parsed = httparse::Request::new(&mut headers);
        if let Ok(httparse::Status::Complete(head_len)) = parsed.parse(buffer) {
            let method = parsed.method?.to_string();
            let target = parsed.path?.to_string();
            let mut names: Vec<(String, String)> = Vec::new();
            for h in parsed.headers.iter() {
                names.push((
                    h.name.to_ascii_lowercase(),
                    String::from_utf8_lossy(h.value).into_owned(),
                ));
            }
            let length: usize = names
                .iter()
                .find(|(k, _)| k == "content-length")
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            while buffer.len() < head_len + length {
                let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
                buffer.extend_from_slice(&chunk[..n]);
            }
            let body: Vec<u8> = buffer[head_len..head_len + length].to_vec();
            buffer.drain(..head_len + length);
            return Some(super::wire_request(&method, &target, names, &body));
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..n]);
    }
}

/// Answers one request; returns whether the connection may carry another.
async fn answer(stream: &mut TcpStream, reply: &StubResponse, request: &WireRequest) -> bool {
    let head_only = request.method == "HEAD";
    if let Some(ms) = reply.fixed_delay_milliseconds {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match reply.fault {
        Some(Fault::ConnectionResetByPeer) => {
            // Linger 0 turns the close into a TCP RST (and, being zero, never blocks the drop).
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            return false;
        }
        Some(Fault::EmptyResponse) => {
            let _ = stream.shutdown().await;
            return false;
        }
        Some(Fault::RandomDataThenClose) => {
            let _ = stream
                .write_all(b"\x00\xff\xfeNOT HTTP AT ALL\r\n\x13\x37garbage\r\n\r\n")
                .await;
            let _ = stream.shutdown().await;
            return false;
        }
        Some(Fault::TruncatedBody) => {
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&[b'x'; 100]).await;
            let _ = stream.shutdown().await;
            return false;
        }
        Some(Fault::NoResponse) => {
            // Hold the connection until the origin is dropped.
            std::future::pending::<()>().await;
            return false;
        }
        None => {}
    }
    let status = reply.status.unwrap_or(200);
    let (headers, body) = reply_parts(reply, request);
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in &headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    if stream.write_all(head.as_bytes()).await.is_err() {
        return false;
    }
    if head_only {
        return true;
    }
    match reply.chunked_dribble_delay {
        Some(dribble) => {
            let pieces = dribble.number_of_chunks.max(1) as usize;
            let size = body.len().div_ceil(pieces).max(1);
            let gaps = (pieces.saturating_sub(1)).max(1) as u64;
            let pause = Duration::from_millis(dribble.total_duration / gaps);
            for (i, piece) in body.chunks(size).enumerate() {
                if i > 0 {
                    tokio::time::sleep(pause).await;
                }
                if stream.write_all(piece).await.is_err() {
                    return false;
                }
                let _ = stream.flush().await;
            }
        }
        None => {
            if stream.write_all(&body).await.is_err() {
                return false;
            }
        }
    }
    true
}

/// The reason phrase; clients ignore it, so a few common ones suffice.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_http_reasons() {
        assert_eq!(reason(404), "Not Found");
        assert_eq!(reason(599), "Status");
    }
}
