//! Exit codes: part of the interface, documented in the README.

use std::process::ExitCode;

/// Every way the program ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Valid file / every row created or existing.
    Success = 0,
    /// The file has errors (with `--strict`, warnings too); nothing was written.
    Invalid = 1,
    /// Usage, I/O, configuration or authentication error.
    Usage = 2,
    /// `import apply`: some rows failed during submission.
    RowsFailed = 3,
    /// Interrupted by Ctrl-C or SIGTERM.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Whether an error comes from writing to a reader that went away (`| head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
