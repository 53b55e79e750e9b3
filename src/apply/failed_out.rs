//! `--failed-out PATH`: the rows that still need a run (failed, or never
//! sent), in the template format — the file's own header and cells — so the
//! file can be fixed and run again as it is.
//!
//! The rows are the administrator's own input, passwords included (a
//! connect-managed row cannot be re-run without one), so the file is created
//! readable by its owner only.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::outcome::RowOutcome;
use crate::validate::Validation;

/// Creates (or empties) the file, readable by its owner only, before the
/// run starts, so that a bad path is found before anything is created.
pub fn create(path: &Path) -> anyhow::Result<File> {
    create_private(path).with_context(|| format!("cannot create {}", path.display()))
}

/// Writes the header and every row whose outcome needs a re-run; returns
/// how many rows were written.
pub fn write(
    mut file: File,
    validation: &Validation,
    outcomes: &[RowOutcome],
) -> anyhow::Result<usize> {
    let lines: BTreeSet<u64> = outcomes
        .iter()
        .filter(|o| o.outcome.needs_rerun())
        .map(|o| o.line)
        .collect();
    file.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(file);
    writer.write_record(&validation.header)?;
    let mut written = 0;
    for entry in validation.users.iter().filter(|e| lines.contains(&e.line)) {
        writer.write_record(&entry.record)?;
        written += 1;
    }
    writer.flush()?;
    Ok(written)
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // `mode` applies to a new file only; an existing one keeps its own.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}
