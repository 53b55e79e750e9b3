//! Notices about the endpoint while a command waits for it (see
//! [`crate::connect::watch`]): on a terminal a spinner line that stays
//! while the trouble lasts — or, when a bar or spinner is already drawn,
//! a line printed above it — and in CI logs a plain line.
//!
//! The bars and spinners of the terminal module register here while they
//! are drawn ([`Shown`]), so a notice never draws over one of them.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::connect::watch::{Notice, Notify};

/// The bar or spinner drawn now, and the notice spinner, if any.
static SCREEN: Mutex<Screen> = Mutex::new(Screen {
    drawn: None,
    notice: None,
});

struct Screen {
    drawn: Option<ProgressBar>,
    notice: Option<ProgressBar>,
}

fn screen() -> std::sync::MutexGuard<'static, Screen> {
    SCREEN.lock().unwrap_or_else(|p| p.into_inner())
}

/// Registers a drawn bar for as long as it lives.
pub struct Shown;

impl Shown {
    pub fn new(bar: &ProgressBar) -> Shown {
        let mut screen = screen();
        // A notice spinner gives way: its trouble shows above the new bar.
        if let Some(notice) = screen.notice.take() {
            notice.finish_and_clear();
        }
        screen.drawn = Some(bar.clone());
        Shown
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        screen().drawn = None;
    }
}

/// Notices to stderr: a spinner or a line above the drawn bar on a
/// terminal, plain lines otherwise.
pub fn to_stderr() -> Notify {
    let terminal = super::stderr_is_terminal();
    Box::new(move |notice: &Notice| show(notice, terminal))
}

fn show(notice: &Notice, terminal: bool) {
    let text = format!("connect-users: {}", notice.text());
    if !terminal {
        eprintln!("{text}");
        return;
    }
    let mut screen = screen();
    match (notice, &screen.drawn, &screen.notice) {
        (_, Some(bar), _) => bar.println(text),
        (Notice::Failing { .. }, None, Some(spinner)) => spinner.set_message(text),
        (Notice::Failing { .. }, None, None) => {
            let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            spinner.set_style(
                ProgressStyle::with_template("{spinner} {wide_msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            spinner.set_message(text);
            spinner.enable_steady_tick(Duration::from_millis(120));
            screen.notice = Some(spinner);
        }
        (Notice::Answering { .. }, None, _) => {
            if let Some(spinner) = screen.notice.take() {
                spinner.finish_and_clear();
            }
            eprintln!("{text}");
        }
    }
}
