//! Connections the server can drop on purpose: `--drop-rate` and
//! `--commit-then-fail-rate` close a connection without answering, the way
//! a lost response looks to a client.
//!
//! Each accepted socket is wrapped with a shared flag; a handler that wants
//! the connection gone sets it, and from then on every read and write fails,
//! so the HTTP layer closes the socket without writing the response.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::serve::Listener;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The handle a request uses to drop its own connection.
#[derive(Clone, Debug, Default)]
pub struct ConnHandle(Arc<AtomicBool>);

impl ConnHandle {
    /// Closes the connection without an answer.
    pub fn drop_connection(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    fn dropped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// A TCP listener whose connections carry a [`ConnHandle`].
pub struct DroppableListener(pub TcpListener);

/// An accepted connection.
pub struct DroppableStream {
    inner: TcpStream,
    handle: ConnHandle,
}

fn gone() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection dropped by fault injection",
    )
}

impl Listener for DroppableListener {
    type Io = DroppableStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (inner, addr) = Listener::accept(&mut self.0).await;
        let _ = inner.set_nodelay(true);
        (
            DroppableStream {
                inner,
                handle: ConnHandle::default(),
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

impl DroppableStream {
    /// The handle a request on this connection uses to drop it.
    pub fn handle(&self) -> ConnHandle {
        self.handle.clone()
    }
}

impl AsyncRead for DroppableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.handle.dropped() {
            return Poll::Ready(Err(gone()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for DroppableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.handle.dropped() {
            return Poll::Ready(Err(gone()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.handle.dropped() {
            return Poll::Ready(Err(gone()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
