//! Ctrl-C and SIGTERM during an import. The first asks for a clean stop:
//! nothing new is sent, requests in flight finish, every row is recorded.
//! A second one exits at once with 130: the report was flushed row by row,
//! so it still holds every outcome known so far.

use std::sync::Arc;

use anyhow::Context;
use tokio::sync::watch;

use crate::exit::Exit;

/// Installs the handlers: the first signal sends `true` on `stop`.
pub fn watch(stop: Arc<watch::Sender<bool>>) -> anyhow::Result<()> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("cannot listen for SIGTERM")?;
    tokio::spawn(async move {
        for signals in 1.. {
            #[cfg(unix)]
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            #[cfg(not(unix))]
            let _ = tokio::signal::ctrl_c().await;
            if signals == 1 {
                eprintln!("interrupted: finishing the requests in flight; nothing new is sent (again to quit now)");
                let _ = stop.send(true);
            } else {
                eprintln!(
                    "interrupted again: quitting now; the report holds every outcome known so far"
                );
                std::process::exit(Exit::Interrupted as i32);
            }
        }
    });
    Ok(())
}
