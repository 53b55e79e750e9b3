//! Exit codes: part of the interface, documented in the README and in
//! `connect-users guide exit-codes` (src/guide/exit-codes.md). Several
//! causes share a code; the variants name the cause, [`Exit::code`] gives
//! the documented number.

use std::process::ExitCode;

/// Every way the program ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done: the file is valid, or every row was created, exists, was
    /// changed, is unchanged or was skipped (0).
    Success,
    /// The file has errors (with `--strict`, warnings too); nothing was
    /// written (1).
    Invalid,
    /// An error stopped the command, printed on stderr: usage or
    /// configuration, a file that cannot be read or written, credentials or
    /// permissions refused, an unknown name (2).
    Error,
    /// The confirmation was declined: nothing was written (2).
    Declined,
    /// A file that records the run (report, rows to run again, passwords)
    /// could not be written: the run stopped, the rest was not sent (2).
    OutputFailed,
    /// The service refused the credentials or permissions during a run:
    /// the rest was not sent (2).
    Refused,
    /// Some rows failed or are unknown, or were not sent because a quota is
    /// full (3).
    RowsFailed,
    /// Interrupted by Ctrl-C or SIGTERM (130).
    Interrupted,
}

impl Exit {
    /// The process's exit code, as the README's table documents it.
    pub const fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Invalid => 1,
            Exit::Error | Exit::Declined | Exit::OutputFailed | Exit::Refused => 2,
            Exit::RowsFailed => 3,
            Exit::Interrupted => 130,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
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

#[cfg(test)]
mod tests {
    use super::Exit;

    #[test]
    fn the_codes_are_the_documented_ones() {
        let codes = [
            (Exit::Success, 0),
            (Exit::Invalid, 1),
            (Exit::Error, 2),
            (Exit::Declined, 2),
            (Exit::OutputFailed, 2),
            (Exit::Refused, 2),
            (Exit::RowsFailed, 3),
            (Exit::Interrupted, 130),
        ];
        for (exit, code) in codes {
            assert_eq!(exit.code(), code, "{exit:?}");
        }
    }
}
