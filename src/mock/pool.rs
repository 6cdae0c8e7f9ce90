//! Page ports: loopback ports kept for a whole run, so that a browser adapter's worker page can
//! stay on one origin for many cases instead of navigating to a fresh one per case (an adapter
//! asks for them in `ready`, `pageOrigins`).
//!
//! A case's page origin is served on a leased port by a server of its own, started for that
//! case with that case's stubs and record, exactly as a fresh origin would be. When the case
//! ends its server is shut down (its idle connections closed, a held response finished on a
//! connection that then closes), and the port is bound again by nobody but the pool. A request
//! that arrives late on one of the previous case's connections reaches the previous case's
//! server, which nobody reads any more: it can never be recorded in another case's traffic.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpSocket;

/// The ports of one run; cloning shares them.
#[derive(Debug, Clone)]
pub struct PagePorts {
    idle: Arc<Mutex<Vec<TcpSocket>>>,
}

/// A port leased to one case: its socket, bound and not yet listening.
#[derive(Debug)]
pub struct Lease {
    pub(crate) socket: TcpSocket,
    pub(crate) port: u16,
    pool: PagePorts,
}

/// How long a port may take to be bound again once its server is gone; past it the port is
/// given up and later cases get fresh origins (a slower navigation, not a wrong result).
const REBIND_WITHIN: Duration = Duration::from_millis(500);

fn bind(port: u16) -> std::io::Result<TcpSocket> {
    let socket = TcpSocket::new_v4()?;
    // The previous server's connections may linger in TIME_WAIT; never SO_REUSEPORT, which
    // would let two listeners share the port.
    socket.set_reuseaddr(true)?;
    socket.bind(([127, 0, 0, 1], port).into())?;
    Ok(socket)
}

impl PagePorts {
    /// `count` ports, each bound (not listening) on 127.0.0.1.
    pub fn new(count: usize) -> std::io::Result<PagePorts> {
        let idle = (0..count).map(|_| bind(0)).collect::<Result<_, _>>()?;
        Ok(PagePorts {
            idle: Arc::new(Mutex::new(idle)),
        })
    }

    /// How many ports are idle now.
    pub fn idle(&self) -> usize {
        self.idle.lock().expect("not poisoned").len()
    }

    /// An idle port, if any (a case that finds none gets a fresh origin).
    pub fn lease(&self) -> Option<Lease> {
        let socket = self.idle.lock().expect("not poisoned").pop()?;
        let port = socket.local_addr().ok()?.port();
        Some(Lease {
            socket,
            port,
            pool: self.clone(),
        })
    }
}

/// Binds `port` again once the server that listened on it has let it go, and gives it back to
/// `pool`.
pub(crate) async fn give_back(pool: PagePorts, port: u16) {
    let started = std::time::Instant::now();
    loop {
        match bind(port) {
            Ok(socket) => {
                pool.idle.lock().expect("not poisoned").push(socket);
                return;
            }
            Err(_) if started.elapsed() < REBIND_WITHIN => {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            Err(_) => return,
        }
    }
}

impl Lease {
    /// Gives the port back unused.
    pub fn put_back(self) {
        self.pool
            .idle
            .lock()
            .expect("not poisoned")
            .push(self.socket);
    }

    /// The pool it came from and its port, for [`give_back`].
    pub(crate) fn into_parts(self) -> (TcpSocket, u16, PagePorts) {
        (self.socket, self.port, self.pool)
    }
}
