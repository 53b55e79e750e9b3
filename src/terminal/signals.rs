//! Ctrl-C and SIGTERM during a run. The first asks for a clean stop:
//! nothing new is sent, requests in flight finish, every row is recorded.
//! A second one exits at once with 130: the report was flushed row by row,
//! so it still holds every outcome known so far.

use anyhow::Context;

use crate::exit::Exit;
use crate::run::stop::Stop;

/// Installs the handlers: the first signal halts `stop`.
pub fn watch(stop: Stop) -> anyhow::Result<()> {
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
                stop.halt();
            } else {
                eprintln!(
                    "interrupted again: quitting now; the report holds every outcome known so far"
                );
                std::process::exit(Exit::Interrupted.code().into());
            }
        }
    });
    Ok(())
}
