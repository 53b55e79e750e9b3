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

/// The bytes of an input: read into memory, or — for a large regular file —
/// mapped.
pub enum Source {
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Source {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Source::Read(bytes) => bytes,
            Source::Mapped(map) => map,
        }
    }
}

/// Files at least this large are mapped rather than read.
const MAP_FROM: u64 = 1 << 20;

/// Reads `path` (`-` for stdin) whole. The name returned is what findings
/// show: the path as the user gave it, or `<stdin>`.
pub fn read_source(path: &str) -> anyhow::Result<(String, Source)> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
        return Ok((STDIN_NAME.to_owned(), Source::Read(bytes)));
    }
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?;
    let metadata = file
        .metadata()
        .with_context(|| format!("cannot read {path}"))?;
    if metadata.is_file() && metadata.len() >= MAP_FROM {
        // SAFETY: the map is read once, front to back, while the command
        // runs, and never written. Another process truncating the file in
        // that moment would make the reads past its new end fault; that is
        // the trade every tool that maps its input makes (ripgrep among
        // them), against copying a large file into fresh memory page by
        // page. A map that cannot be made falls back to reading.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            return Ok((path.to_owned(), Source::Mapped(map)));
        }
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    (&file)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {path}"))?;
    Ok((path.to_owned(), Source::Read(bytes)))
}
