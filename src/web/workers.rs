//! Serving connections, one single-threaded runtime per core: every worker accepts on the same
//! listening socket, so whichever worker is awake takes the next connection (as nginx's worker
//! processes do), and serves it alone from then on. A connection's requests never move between
//! threads, so answering one wakes no other thread; long work (SPARQL, pages read from the store)
//! still goes to the blocking pool and holds up none of a worker's other connections.
//!
//! Why not Tokio's work-stealing runtime (`axum::serve`): there every connection is served from
//! either worker, so under saturation the serving threads and the clients' threads fall into
//! long alternating bursts; the saturated p99 of redirects was 4–5 ms in every run, against a
//! median of 2.5 ms here (nginx: 3.4 ms) at the same rate and CPU per request (BENCHMARKS.md,
//! resolver, session 10).

use super::resolver::ByHost;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::io::ErrorKind;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Serves `service` on `listener` with `workers` single-threaded runtimes until `shutdown`
/// completes; then lets every open connection finish its request in flight and returns.
pub async fn serve(
    listener: TcpListener,
    service: ByHost,
    workers: usize,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let (stop, stopped) = watch::channel(false);
    // Still non-blocking, as each worker's runtime needs it.
    let shared = listener.into_std()?;
    let mut threads = Vec::with_capacity(workers);
    for i in 0..workers.max(1) {
        let own = shared.try_clone()?;
        let (service, stopped) = (service.clone(), stopped.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        threads.push(
            std::thread::Builder::new()
                .name(format!("datafond-http-{i}"))
                .spawn(move || runtime.block_on(worker(own, service, stopped)))?,
        );
    }
    drop(shared);
    shutdown.await;
    let _ = stop.send(true);
    tokio::task::spawn_blocking(move || {
        for thread in threads {
            if thread.join().is_err() {
                tracing::error!("an HTTP worker panicked");
            }
        }
    })
    .await
    .expect("joining the HTTP workers");
    Ok(())
}

/// One worker: accepts connections and serves them until told to stop, then waits for the
/// open ones to finish.
async fn worker(
    listener: std::net::TcpListener,
    service: ByHost,
    mut stopped: watch::Receiver<bool>,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => {
            tracing::error!("an HTTP worker cannot listen: {e}");
            return;
        }
    };
    let open = tokio_util::task::TaskTracker::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.wait_for(|stop| *stop) => break,
        };
        match accepted {
            Ok((tcp, _)) => {
                // Small answers (redirects, cached views) go out at once, without Nagle's delay.
                if let Err(e) = tcp.set_nodelay(true) {
                    tracing::warn!("TCP_NODELAY: {e}");
                }
                open.spawn(connection(tcp, service.clone(), stopped.clone()));
            }
            // The client gave up before it was accepted: nothing to do. (Another worker taking
            // it first is no error: Tokio's accept waits again.)
            Err(e) if is_connection_error(&e) => {}
            // Out of file descriptors, say: wait rather than spin (as hyper and axum do).
            Err(e) => {
                tracing::error!("accepting a connection: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    open.close();
    open.wait().await;
}

/// Whether accepting failed only because of that one connection.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}

/// Serves HTTP/1.1 on one connection; on shutdown, finishes the request in flight and closes.
async fn connection(tcp: TcpStream, service: ByHost, mut stopped: watch::Receiver<bool>) {
    let respond = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        service.respond(request.map(Body::new))
    });
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tcp), respond);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        biased;
        served = conn.as_mut() => {
            if let Err(e) = served {
                tracing::debug!("connection: {e}");
            }
            return;
        }
        _ = stopped.wait_for(|stop| *stop) => conn.as_mut().graceful_shutdown(),
    }
    if let Err(e) = conn.await {
        tracing::debug!("connection: {e}");
    }
}
