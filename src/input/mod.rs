//! Input as people really produce it: a file or stdin, in whatever encoding
//! Excel saved it, read as CSV rows that know their physical line.
//!
//! [`decode`] turns bytes into UTF-8 text (detecting the encoding, with
//! [`single_byte`] telling windows-1252 from Mac Roman), and [`rows`] reads
//! that text as CSV records with the line each starts on.

pub mod decode;
pub mod rows;
pub mod single_byte;

use std::io::Read;

use anyhow::Context;

/// The name a source is shown under when it is stdin.
pub const STDIN_NAME: &str = "<stdin>";

/// Fails when `path` cannot be read, before anything else is done for it
/// (no instance opened, no local store created for a file that is not there).
pub fn check_readable(path: &str) -> anyhow::Result<()> {
    if path == "-" {
        return Ok(());
    }
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?;
    anyhow::ensure!(
        !file.metadata().is_ok_and(|m| m.is_dir()),
        "cannot read {path}: it is a directory; name the filled template (a .csv file)"
    );
    Ok(())
}

/// Reads `path` (`-` for stdin) whole. The name returned is what findings
/// show: the path as the user gave it, or `<stdin>`.
pub fn read_source(path: &str) -> anyhow::Result<(String, Vec<u8>)> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
        return Ok((STDIN_NAME.to_owned(), bytes));
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {path}"))?;
    Ok((path.to_owned(), bytes))
}
