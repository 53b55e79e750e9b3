//! Running the binary with a pseudo-terminal as its stdout (or stdin and
//! stderr), to test what it shows on a terminal.
#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A pseudo-terminal: the side the test reads and writes, and the side the
/// child gets.
pub struct Pty {
    pub master: File,
    slave: Option<OwnedFd>,
}

impl Pty {
    pub fn open() -> Pty {
        let (mut master, mut slave) = (0, 0);
        // A wide terminal, so tables are not squeezed.
        let size = libc::winsize {
            ws_row: 50,
            ws_col: 200,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty(3) writes two descriptors; no name or settings.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty");
        // SAFETY: both descriptors were just opened and are owned here.
        unsafe {
            Pty {
                master: File::from_raw_fd(master),
                slave: Some(OwnedFd::from_raw_fd(slave)),
            }
        }
    }

    /// The child's end, as a stdio handle.
    pub fn stdio(&self) -> Stdio {
        let slave = self.slave.as_ref().expect("not released yet");
        Stdio::from(slave.try_clone().expect("dup the terminal"))
    }

    /// Closes the test's copy of the child's end, so reading the master
    /// ends when the child exits.
    pub fn release(&mut self) {
        self.slave = None;
    }

    /// Everything the terminal showed until the child closed it.
    pub fn read_all(&mut self) -> String {
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match self.master.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
                Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                // EIO: the other side is closed.
                Err(_) => break,
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Reads until `text` shows, or panics after `seconds`.
    pub fn wait_for(&mut self, text: &str, seconds: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        // Non-blocking reads, so the deadline holds.
        // SAFETY: fcntl(2) on a descriptor this struct owns.
        unsafe {
            let fd = self.master.as_raw_fd();
            let flags = libc::fcntl(fd, libc::F_GETFL);
            libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
        while !String::from_utf8_lossy(&seen).contains(text) {
            assert!(
                Instant::now() < deadline,
                "{text:?} never showed; the terminal showed:\n{}",
                String::from_utf8_lossy(&seen)
            );
            match self.master.read(&mut buf) {
                Ok(n) if n > 0 => seen.extend_from_slice(&buf[..n]),
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        String::from_utf8_lossy(&seen).into_owned()
    }

    /// Types `text` on the terminal.
    pub fn type_in(&mut self, text: &str) {
        self.master.write_all(text.as_bytes()).unwrap();
    }
}

/// Runs `cmd` with stdout on a terminal and stderr piped: what the terminal
/// showed, and stderr.
pub fn stdout_on_terminal(cmd: &mut Command) -> (String, String, Option<i32>) {
    let mut pty = Pty::open();
    let child: Child = cmd
        .stdin(Stdio::null())
        .stdout(pty.stdio())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting connect-users");
    // The command keeps its stdio handles: replace them, so that only the
    // child holds the terminal and reading it ends when the child exits.
    cmd.stdout(Stdio::null());
    pty.release();
    let shown = pty.read_all();
    let output = child.wait_with_output().unwrap();
    (
        shown,
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}
