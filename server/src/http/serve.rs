//! The listener: connections bounded in number and in time, so that idle, slow or kept-alive
//! clients (slowloris) cannot hold the server while others wait.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How many connections, and for how long each.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at once; one more is closed as soon as it is accepted.
    pub max_connections: usize,
    /// Time a client has to send a request's headers, and to start the next request on a kept-alive
    /// connection: a slow or idle client is let go after it.
    pub header_read_timeout: Duration,
}

impl Limits {
    /// Raises this process's limit of open files to what the system allows, and takes the
    /// connection cap from it: the files the database, the index and syncs open come first.
    pub fn for_this_machine() -> Limits {
        let files = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
        let max_connections = (files.saturating_sub(256) * 3 / 4).clamp(64, 16_384) as usize;
        Limits { max_connections, header_read_timeout: Duration::from_secs(10) }
    }
}

/// How long connections accepted just before a shutdown have to start their request.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests under way
/// finish (at most 10 s). The peer's address is given to handlers as [`ConnectInfo`].
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let refused = Arc::new(AtomicU64::new(0));
    let mut last_told = Instant::now() - Duration::from_secs(60);
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or the peer gave up: wait a little, not a busy loop.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(stream);
            let count = refused.fetch_add(1, Ordering::Relaxed) + 1;
            // Told once a minute at most: a flood must not flood the log too.
            if last_told.elapsed() >= Duration::from_secs(60) {
                last_told = Instant::now();
                tracing::warn!(refused = count, max = limits.max_connections, "connection cap reached");
            }
            continue;
        };
        // Small answers go out at once rather than waiting for more to send.
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(move |mut request: axum::extract::Request<_>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that leaves, or is let go for being slow, is no server error.
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection closed");
            }
            drop(slot);
        });
    }
    drop(listener);
    // A connection accepted in the last instant has sent its request, not yet read: hyper would
    // take it for idle and close it unanswered. A moment lets its request begin (the socket, kept
    // by systemd under socket activation, queues new ones for the next process meanwhile).
    tokio::time::sleep(SHUTDOWN_GRACE).await;
    if tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still under way after 10 s: stopped");
    }
    Ok(())
}

/// The peer of a request served by [`serve`]; `None` through other means (tests' `oneshot`).
pub fn peer(request: &axum::extract::Request) -> Option<SocketAddr> {
    request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| *peer)
}
