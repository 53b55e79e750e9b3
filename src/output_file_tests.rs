use super::*;

fn output(path: &Path, existing: Existing) -> Output {
    Output {
        flag: "--report",
        path: path.to_path_buf(),
        private: false,
        existing,
    }
}

fn input(path: &Path) -> Input {
    Input {
        what: "the input file",
        path: path.to_path_buf(),
    }
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_output_that_is_the_input_under_another_spelling_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r3.csv");
    std::fs::write(&file, "rows").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let spellings = [
        file.clone(),
        dir.path().join(".").join("r3.csv"),
        dir.path().join("sub").join("..").join("r3.csv"),
    ];
    for spelling in &spellings {
        let err = check(&[input(&file)], &[output(spelling, Existing::Replace)]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("is also the input file"), "{text}");
    }
    // A hard link is the same file too.
    let link = dir.path().join("link.csv");
    std::fs::hard_link(&file, &link).unwrap();
    assert!(check(&[input(&file)], &[output(&link, Existing::Replace)]).is_err());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "rows");
}

#[test]
fn two_outputs_that_are_one_file_are_refused_even_before_it_exists() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("out.csv");
    let b = dir.path().join(".").join("out.csv");
    let mut second = output(&b, Existing::Replace);
    second.flag = "--failed-out";
    let err = check(&[], &[output(&a, Existing::Replace), second.clone()]).unwrap_err();
    assert!(
        err.to_string().contains("--failed-out") && err.to_string().contains("--report"),
        "{err}"
    );
    // Different names in one directory are fine.
    second.path = dir.path().join("retry.csv");
    check(&[], &[output(&a, Existing::Replace), second]).unwrap();
}

#[cfg(unix)]
#[test]
fn links_devices_and_directories_are_refused_even_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.csv");
    std::fs::write(&target, "keep").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let fifo = dir.path().join("fifo");
    let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    for (path, kind) in [
        (link.as_path(), "a symbolic link"),
        (Path::new("/dev/null"), "a character device"),
        (dir.path(), "a directory"),
        (fifo.as_path(), "a named pipe"),
    ] {
        let out = output(path, Existing::Replace);
        let err = check(&[], std::slice::from_ref(&out)).unwrap_err();
        assert!(err.to_string().contains(kind), "{path:?}: {err}");
        assert!(create(&out).is_err(), "{path:?}");
        assert!(write(&out, b"x").is_err(), "{path:?}");
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    // An input read through a link is the link's target.
    let out = output(&target, Existing::Replace);
    assert!(check(&[input(&link)], &[out]).is_err());
}

#[test]
fn a_file_is_replaced_by_a_new_one_never_rewritten_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.csv");
    std::fs::write(&path, "old report").unwrap();
    // Another name for the old file: it must keep its bytes.
    let other = dir.path().join("other-name.csv");
    std::fs::hard_link(&path, &other).unwrap();
    let out = output(&path, Existing::Replace);
    let mut file = create(&out).unwrap();
    file.write_all(b"new").unwrap();
    drop(file);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "old report");
    write(&out, b"whole").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "whole");
    assert_eq!(entries(dir.path()), ["other-name.csv", "report.csv"]);
}

#[test]
fn a_kept_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("passwords.csv");
    std::fs::write(&path, "old").unwrap();
    let out = output(&path, Existing::Keep("it may hold passwords in use"));
    for err in [
        check(&[], std::slice::from_ref(&out)).unwrap_err(),
        write(&out, b"new").unwrap_err(),
        create(&out).map(drop).unwrap_err(),
    ] {
        let text = err.to_string();
        assert!(
            text.contains("--force") && text.contains("it may hold passwords in use"),
            "{text}"
        );
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    assert_eq!(
        entries(dir.path()),
        ["passwords.csv"],
        "no temporary file left"
    );
    let new = dir.path().join("new.csv");
    write(&output(&new, out.existing), b"first").unwrap();
    assert_eq!(std::fs::read_to_string(&new).unwrap(), "first");
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = output(&dir.path().join("missing").join("r.csv"), Existing::Replace);
    let err = write(&out, b"rows").unwrap_err();
    assert!(format!("{err:#}").contains("missing"), "{err:#}");
    assert!(entries(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_private_file_is_owner_only_even_when_it_replaces_a_readable_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("retry.csv");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut out = output(&path, Existing::Replace);
    out.private = true;
    drop(create(&out).unwrap());
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}
