//! The file of generated passwords (`--generate-passwords PATH`): CSV
//! `user login,password,line`, one row per planned create whose password
//! was generated, readable by its owner only.
//!
//! Every generated password is written, flushed and synced when the file is
//! opened — after the confirmation and before the first write call — so no
//! CreateUser can carry a password the file does not hold, whenever the
//! run is killed. The alternative, a line per row just before its first
//! attempt, would need a hook in the batch runner's concurrent submission
//! and would make a file that cannot be written a failure in the middle of
//! the run; writing up front keeps the runner unchanged and fails before
//! anything is created. The price: rows that are then refused, never sent,
//! or found made by someone else have a line too — the report says which
//! rows were `created`, and only those users have these passwords.
//!
//! The file is created new (mode 0600 from the start): an existing file is
//! refused unless `--force`, since it may hold the only copy of passwords in
//! use. Passwords are letters and digits, so no cell needs quoting, and the
//! file has no byte-order mark: every cell is ASCII (logins are ASCII by the
//! login rule), so a mark would not help Excel and would only trip scripts.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::passwords::Generated;
use crate::run::outcome::RowOutcome;
use crate::run::RowSink;

/// The file's header.
pub const HEADER: [&str; 3] = ["user login", "password", "line"];

/// A written passwords file. As a [`RowSink`] it records nothing more: its
/// rows were all written when it was opened.
pub struct PasswordsFile {
    path: PathBuf,
    written: usize,
}

/// Refuses an existing `path` unless `force`: checked before the instance is
/// read, so a forgotten file costs nothing. Creating the file checks again.
pub fn refuse_existing(path: &Path, force: bool) -> anyhow::Result<()> {
    if !force && path.symlink_metadata().is_ok() {
        anyhow::bail!("{}", exists_message(path));
    }
    Ok(())
}

/// Whether two paths name one file: the same file when both exist, else
/// the same text.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn exists_message(path: &Path) -> String {
    format!(
        "{} exists: --generate-passwords never overwrites a file, which may hold the only copy of \
         passwords in use; name a new file, or pass --force to replace it",
        path.display()
    )
}

impl PasswordsFile {
    /// Creates the file and writes every generated password into it,
    /// flushed and synced to the disk before returning.
    pub fn write(
        path: &Path,
        force: bool,
        generated: &[Generated],
    ) -> anyhow::Result<PasswordsFile> {
        let file = create_private(path, force).map_err(|err| {
            if err.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow::anyhow!("{}", exists_message(path))
            } else {
                anyhow::Error::new(err).context(format!(
                    "cannot write the generated passwords to {}",
                    path.display()
                ))
            }
        })?;
        write_rows(file, generated).with_context(|| {
            format!("cannot write the generated passwords to {}", path.display())
        })?;
        Ok(PasswordsFile {
            path: path.to_path_buf(),
            written: generated.len(),
        })
    }
}

fn write_rows(file: File, generated: &[Generated]) -> anyhow::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(file);
    writer.write_record(HEADER)?;
    for row in generated {
        let line = row.line.to_string();
        writer.write_record([row.login.as_str(), row.password.expose(), line.as_str()])?;
    }
    writer.flush()?;
    let file = writer.into_inner().map_err(|err| err.into_error())?;
    file.sync_all()?;
    Ok(())
}

impl RowSink for PasswordsFile {
    fn path(&self) -> &Path {
        &self.path
    }

    fn what(&self) -> &'static str {
        "generated passwords"
    }

    fn record(&mut self, _row: &RowOutcome) -> anyhow::Result<()> {
        Ok(())
    }

    fn written(&self) -> usize {
        self.written
    }
}

/// A new file readable by its owner only. With `force`, an existing file
/// (or link) is removed first, so the new one never inherits its
/// permissions or follows its link.
fn create_private(path: &Path, force: bool) -> std::io::Result<File> {
    if force {
        match path.symlink_metadata() {
            Ok(meta) if !meta.is_dir() => std::fs::remove_file(path)?,
            _ => {}
        }
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn rows() -> Vec<Generated> {
        vec![
            Generated {
                line: 2,
                login: "a.sato".into(),
                password: Secret::new("Abcdefgh23456789Wxyz"),
            },
            Generated {
                line: 5,
                login: "b.ito".into(),
                password: Secret::new("Zyxwvuts98765432Abcd"),
            },
        ]
    }

    #[test]
    fn writes_every_row_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("passwords.csv");
        let file = PasswordsFile::write(&path, false, &rows()).unwrap();
        assert_eq!(file.written(), 2);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "user login,password,line\r\na.sato,Abcdefgh23456789Wxyz,2\r\nb.ito,Zyxwvuts98765432Abcd,5\r\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn an_existing_file_is_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("passwords.csv");
        std::fs::write(&path, "old").unwrap();
        let err = refuse_existing(&path, false).unwrap_err().to_string();
        assert!(
            err.contains("--force") && err.contains("passwords.csv"),
            "{err}"
        );
        let err = PasswordsFile::write(&path, false, &rows()).err().unwrap();
        assert!(format!("{err:#}").contains("--force"), "{err:#}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");

        refuse_existing(&path, true).unwrap();
        PasswordsFile::write(&path, true, &rows()).unwrap();
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("user login,password,line"));
    }

    #[test]
    fn an_unwritable_path_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("passwords.csv");
        let err = PasswordsFile::write(&path, false, &rows()).err().unwrap();
        let text = format!("{err:#}");
        assert!(text.contains("missing-dir/passwords.csv"), "{text}");
        assert!(!text.contains("Abcdefgh23456789Wxyz"), "{text}");
    }
}
