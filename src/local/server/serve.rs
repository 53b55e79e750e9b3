//! The accept loop: each connection served by hyper's HTTP/1.1 server with
//! a read timeout, until shutdown, then the requests in flight finish.
//!
//! `axum::serve` gives hyper no timer, so a client that connects and sends
//! nothing, or half its request, holds its socket (a file descriptor)
//! forever: enough of them (1,024 under the usual open-file limit) and no
//! one else can connect. Here a connection whose request headers have not
//! all arrived `read_timeout` after it became ready for a request (on
//! accept, and after each answer: idle keep-alive connections too) is
//! closed, as is one whose body stalls that long (see the gate in
//! `mod.rs`). When the open-file limit is reached anyway, accepting
//! pauses a second and resumes (axum's listener does that), and the
//! timeout frees the descriptors.

use std::future::Future;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::serve::Listener;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tower::ServiceExt;

use super::conn::DroppableListener;

/// Serves `app` on `listener` until `shutdown` completes; then stops
/// accepting, lets every connection finish the request it is on, and returns.
pub async fn serve(
    mut listener: DroppableListener,
    app: Router,
    read_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            (stream, _) = listener.accept() => stream,
            () = &mut shutdown => break,
        };
        let handle = stream.handle();
        let app = app.clone();
        // The handlers find the connection's handle (to drop it on purpose)
        // where axum's connect-info extractor looks.
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(handle.clone()));
            app.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A closed, timed-out or dropped connection is the client's
            // business: nothing to report.
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
