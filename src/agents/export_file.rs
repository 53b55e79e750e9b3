//! Writing an export: whole or not at all. The bytes go to a temporary file
//! beside the destination, are synced, and the file is then renamed into
//! place — without `--force` by a rename that refuses an existing file, so
//! no check-then-write window can overwrite one. A failure at any point
//! leaves the destination as it was and removes the temporary file.
//!
//! The file is readable by its owner only (the temporary file's mode): an
//! agent roster holds personal data — names, e-mail addresses, mobile
//! numbers.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// Refuses an existing `path` unless `force`: checked before the instance is
/// read, so a forgotten file costs nothing. The final rename checks again.
pub fn refuse_existing(path: &Path, force: bool) -> anyhow::Result<()> {
    if !force && path.symlink_metadata().is_ok() {
        anyhow::bail!("{}", exists_message(path));
    }
    Ok(())
}

fn exists_message(path: &Path) -> String {
    format!("{} already exists; --force overwrites it", path.display())
}

/// Writes `bytes` to `path` atomically; an existing file is replaced only
/// with `force`.
pub fn write(path: &Path, bytes: &[u8], force: bool) -> anyhow::Result<()> {
    let name = path.display();
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".connect-users-export-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {} to write {name}", dir.display()))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write {name}"))?;
    if force {
        temp.persist(path)
            .map_err(|err| anyhow::Error::new(err.error))
            .with_context(|| format!("cannot write {name}"))?;
    } else {
        temp.persist_noclobber(path).map_err(|err| {
            if err.error.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow::anyhow!("{}", exists_message(path))
            } else {
                anyhow::Error::new(err.error).context(format!("cannot write {name}"))
            }
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_existing_file_is_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agents.csv");
        write(&path, b"first", false).unwrap();
        let err = write(&path, b"second", false).unwrap_err();
        assert!(err.to_string().contains("--force"), "{err}");
        assert!(refuse_existing(&path, false).is_err());
        assert!(refuse_existing(&path, true).is_ok());
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        write(&path, b"second", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(
            entries(dir.path()),
            ["agents.csv"],
            "no temporary file left"
        );
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("agents.csv");
        assert!(write(&path, b"rows", false).is_err());
        assert!(entries(dir.path()).is_empty());
        // A directory in the way: the rename fails, the temporary file goes.
        let path = dir.path().join("taken");
        std::fs::create_dir(&path).unwrap();
        assert!(write(&path, b"rows", true).is_err());
        assert_eq!(entries(dir.path()), ["taken"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agents.csv");
        write(&path, b"rows", false).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
