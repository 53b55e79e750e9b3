//! Asking a run to stop: Ctrl-C, SIGTERM (see `crate::terminal::signals`),
//! or an output that can no longer be written. Once asked, nothing new is
//! sent, the writes in flight finish, and every row is still accounted for.

use std::sync::Arc;

use tokio::sync::watch;

/// A shared stop request; clones see the same request.
#[derive(Clone, Debug)]
pub struct Stop {
    tx: Arc<watch::Sender<bool>>,
    rx: watch::Receiver<bool>,
}

impl Default for Stop {
    fn default() -> Stop {
        Stop::new()
    }
}

impl Stop {
    pub fn new() -> Stop {
        let (tx, rx) = watch::channel(false);
        Stop {
            tx: Arc::new(tx),
            rx,
        }
    }

    /// Asks the run to stop.
    pub fn halt(&self) {
        self.tx.send_replace(true);
    }

    /// A receiver that turns true when a stop is asked.
    pub fn receiver(&self) -> watch::Receiver<bool> {
        self.rx.clone()
    }

    /// Resolves once a stop is asked.
    pub async fn asked(&self) {
        let mut rx = self.rx.clone();
        let _ = rx.wait_for(|stop| *stop).await;
    }
}
