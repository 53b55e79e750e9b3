//! The binary as a running child process: started with its output
//! captured, waited for until something happens, signalled (through `nix`,
//! no `unsafe`), and collected.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::kill;
use nix::unistd::Pid;

use super::apply::Run;

pub use nix::sys::signal::Signal::{self, SIGINT, SIGKILL, SIGTERM};

/// How long a test waits for something a running command should do soon.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Starts `cmd` with stdout and stderr captured.
// The child is returned running; every caller waits for it.
#[allow(clippy::zombie_processes)]
pub fn spawn(cmd: &mut Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting connect-users")
}

/// Waits for a child started by [`spawn`] and collects what it printed.
pub fn finish(child: Child) -> Run {
    Run::of(child.wait_with_output().expect("waiting for connect-users"))
}

/// Calls `done` every 50 ms until it says yes or [`PATIENCE`] runs out;
/// whether it said yes.
pub fn poll_until(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends `signal` to a child process.
pub fn signal(child: &Child, signal: Signal) {
    let pid = Pid::from_raw(i32::try_from(child.id()).expect("a pid"));
    kill(pid, signal).unwrap_or_else(|err| panic!("{signal} to {pid}: {err}"));
}
