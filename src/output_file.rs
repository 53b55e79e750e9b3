//! The files the tool writes — the report, the rows to run again, the
//! generated passwords, an export, a template — and the one set of rules
//! they all follow, so a command added later inherits them:
//!
//! - **Each output is a file of its own.** Every output differs from every
//!   input and from every other output by file identity, not spelling:
//!   device and inode for a file that exists, the canonical directory and
//!   the name for one that does not yet. `r.csv`, `./r.csv`, a hard link to
//!   it and a symbolic link to it are one file, so `--report r.csv` can
//!   never replace the input `r.csv`.
//! - **Only regular files.** A directory, device, FIFO, socket or symbolic
//!   link at an output path is refused, `--force` or not: `-o /dev/null
//!   --force` run as root would otherwise replace `/dev/null`, and a link
//!   would send the bytes wherever it points. Links are never followed.
//! - **Never truncated, never written in place.** The bytes go to a new
//!   temporary file beside the destination, which is then renamed over it:
//!   what was there is replaced whole or not at all, an existing file's
//!   permissions are never inherited, and a file owned by another user is
//!   refused rather than emptied.
//! - **Private where it matters**: files that may hold passwords or personal
//!   data are created readable by their owner only (0600).
//!
//! [`check`] applies all of it in one call, before the instance is read or
//! anything is sent; [`create`] and [`write`] check the destination again
//! when they write it.

use std::ffi::OsString;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// What a command may do with a file already at an output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (the report, the rows to run again; anything with `--force`).
    Replace,
    /// Keep it and refuse to write: it may be precious. The text says why.
    Keep(&'static str),
    /// Keep it whatever the flags (the command has no `--force` for it):
    /// the text says why and what to do.
    Never(&'static str),
}

impl Existing {
    /// `Replace` with `--force`, else `Keep(why)`.
    pub fn unless_forced(force: bool, why: &'static str) -> Existing {
        if force {
            Existing::Replace
        } else {
            Existing::Keep(why)
        }
    }
}

/// One file a command writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// How the user named it, for messages: `--report`, `-o`.
    pub flag: &'static str,
    pub path: PathBuf,
    /// Readable by its owner only (passwords, personal data).
    pub private: bool,
    pub existing: Existing,
}

/// One file a command reads, for [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// For messages: "the input file", "--file".
    pub what: &'static str,
    pub path: PathBuf,
}

impl Input {
    /// The input at `path`; `None` for `-` (standard input).
    pub fn named(what: &'static str, path: impl AsRef<Path>) -> Option<Input> {
        let path = path.as_ref();
        (path != Path::new("-")).then(|| Input {
            what,
            path: path.to_path_buf(),
        })
    }
}

/// What makes a path one file: its device and inode when it exists, else
/// its directory (canonical) and name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileIdentity {
    Existing { device: u64, inode: u64 },
    New { directory: PathBuf, name: OsString },
}

/// Checks every output of a command against its inputs and the other
/// outputs, and each output's path: called before anything is sent.
pub fn check(inputs: &[Input], outputs: &[Output]) -> anyhow::Result<()> {
    // What each file is, whether the command reads it, and its identity.
    let mut seen: Vec<(String, bool, FileIdentity)> = Vec::new();
    for input in inputs {
        // An input is read through a link, so its target is the file.
        if let Ok(meta) = std::fs::metadata(&input.path) {
            let identity = existing_identity(&input.path, &meta);
            seen.push((input.what.to_string(), true, identity));
        }
    }
    for output in outputs {
        refuse_unwritable(output)?;
        let identity = output_identity(&output.path)?;
        if let Some((what, read, _)) = seen.iter().find(|(_, _, other)| *other == identity) {
            let rule = if *read {
                "the command never writes a file it reads"
            } else {
                "each file the command writes must be a file of its own"
            };
            anyhow::bail!(
                "{} {} is also {what}: {rule}; name another file",
                output.flag,
                output.path.display()
            );
        }
        let what = format!("{} {}", output.flag, output.path.display());
        seen.push((what, false, identity));
    }
    Ok(())
}

/// Creates the output for writing as it goes (a report written row by
/// row): a new, empty file renamed into place at once.
pub fn create(output: &Output) -> anyhow::Result<File> {
    let temp = temp_beside(output)?;
    persist(output, temp)
}

/// Writes the whole output at once: the bytes are written and synced to a
/// temporary file beside it, then renamed into place and the directory
/// synced, so a failure at any point leaves what was there untouched and no
/// partial file, and the file is on disk when this returns.
pub fn write(output: &Output, bytes: &[u8]) -> anyhow::Result<()> {
    let mut temp = temp_beside(output)?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", output.path.display()))?;
    persist(output, temp).map(drop)?;
    sync_directory(directory_of(&output.path))
        .with_context(|| format!("cannot sync the directory of {}", output.path.display()))
}

/// Syncs a directory, so a rename into it survives a crash. Some file
/// systems cannot sync a directory (EINVAL); the file itself is synced.
fn sync_directory(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        match File::open(dir).and_then(|d| d.sync_all()) {
            Err(err) if err.kind() == std::io::ErrorKind::InvalidInput => Ok(()),
            other => other,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// A new temporary file in the output's directory, with the output's mode.
fn temp_beside(output: &Output) -> anyhow::Result<tempfile::NamedTempFile> {
    refuse_unwritable(output)?;
    let dir = directory_of(&output.path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".connect-users-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode is filtered by the umask, like any new file's.
        let mode = if output.private { 0o600 } else { 0o666 };
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let temp = builder.tempfile_in(dir).with_context(|| {
        format!(
            "cannot create a file in {} to write {}",
            dir.display(),
            output.path.display()
        )
    })?;
    refuse_foreign(output, temp.as_file())?;
    Ok(temp)
}

/// Renames the temporary file into place, over an existing file only when
/// the output may replace one.
fn persist(output: &Output, temp: tempfile::NamedTempFile) -> anyhow::Result<File> {
    // Checked again just before the rename: the path may have changed since.
    refuse_unwritable(output)?;
    let persisted = match output.existing {
        Existing::Replace => temp.persist(&output.path),
        Existing::Keep(_) | Existing::Never(_) => temp.persist_noclobber(&output.path),
    };
    persisted.map_err(|err| {
        if err.error.kind() == std::io::ErrorKind::AlreadyExists {
            exists_error(output)
        } else {
            anyhow::Error::new(err.error).context(format!("cannot write {}", output.path.display()))
        }
    })
}

/// Refuses anything at the path but a regular file, and a regular file the
/// output may not replace.
fn refuse_unwritable(output: &Output) -> anyhow::Result<()> {
    let path = &output.path;
    let meta = match path.symlink_metadata() {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => {
            return Err(anyhow::Error::new(err).context(format!("cannot write {}", path.display())))
        }
    };
    if !meta.file_type().is_file() {
        anyhow::bail!(
            "{} {} is {}: the command writes only regular files, and never follows a link; \
             name a regular file (or a new one)",
            output.flag,
            path.display(),
            kind_of(&meta.file_type())
        );
    }
    if let Existing::Keep(_) | Existing::Never(_) = output.existing {
        return Err(exists_error(output));
    }
    Ok(())
}

/// Refuses to replace a file another user owns: the new file would take
/// its place and its content would be gone. `ours` is a file just created.
fn refuse_foreign(output: &Output, ours: &File) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (Ok(existing), Ok(ours)) = (output.path.symlink_metadata(), ours.metadata()) else {
            return Ok(());
        };
        if existing.file_type().is_file() && existing.uid() != ours.uid() {
            anyhow::bail!(
                "{} {} belongs to another user: the command replaces only files of its own user; \
                 name another file",
                output.flag,
                output.path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (output, ours);
    Ok(())
}

fn exists_error(output: &Output) -> anyhow::Error {
    let why = match output.existing {
        Existing::Keep(why) => format!(" ({why})"),
        Existing::Never(why) => {
            return anyhow::anyhow!("{} already exists; {why}", output.path.display())
        }
        Existing::Replace => String::new(),
    };
    anyhow::anyhow!(
        "{} already exists; --force overwrites it{why}",
        output.path.display()
    )
}

fn kind_of(kind: &std::fs::FileType) -> &'static str {
    if kind.is_symlink() {
        return "a symbolic link";
    }
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn existing_identity(path: &Path, meta: &std::fs::Metadata) -> FileIdentity {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        FileIdentity::Existing {
            device: meta.dev(),
            inode: meta.ino(),
        }
    }
    #[cfg(not(unix))]
    {
        // Without inodes: the canonical path.
        let _ = meta;
        FileIdentity::New {
            directory: std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
            name: OsString::new(),
        }
    }
}

/// An output's identity. It is not a link (refused before), so the path's
/// own metadata is the file's.
fn output_identity(path: &Path) -> anyhow::Result<FileIdentity> {
    if let Ok(meta) = path.symlink_metadata() {
        return Ok(existing_identity(path, &meta));
    }
    let name = path
        .file_name()
        .with_context(|| format!("{} does not name a file", path.display()))?;
    let dir = directory_of(path);
    let directory = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    Ok(FileIdentity::New {
        directory,
        name: name.to_os_string(),
    })
}

#[cfg(test)]
#[path = "output_file_tests.rs"]
mod tests;
