//! The files the commands write, through the real binary: an output is
//! never the input or another output (whatever the spelling), never a
//! device, FIFO or link (even with `--force`), never a file of another
//! user — all refused before anything is sent — and a file that is
//! replaced is replaced by a new one, never emptied in place.
use crate::support;

use std::path::{Path, PathBuf};

use support::agents::{agents, agents_server};
use support::apply::{agents_file, import, run, Run};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// `import apply FILE --yes` with these extra arguments.
fn apply(dir: &Path, server: &LocalServer, file: &Path, extra: &[&std::ffi::OsStr]) -> Run {
    run(import(dir, server, DEMO_INSTANCE_ID, "apply", file)
        .args(FAST)
        .arg("--yes")
        .args(extra))
}

fn os(text: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(text)
}

#[test]
fn no_output_may_be_the_input_or_another_output() {
    let server = LocalServer::builder().args(["--no-throttle"]).start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_file(dir.path(), "r3.csv", "same", 3);
    let input = std::fs::read(&file).unwrap();
    let other = dir.path().join("out.csv");
    let dotted = dir.path().join(".").join("r3.csv");
    let cases: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec![os("--report"), file.as_os_str()],
        vec![os("--failed-out"), file.as_os_str()],
        vec![os("--report"), dotted.as_os_str()],
        vec![
            os("--report"),
            other.as_os_str(),
            os("--failed-out"),
            other.as_os_str(),
        ],
        vec![os("--generate-passwords"), file.as_os_str(), os("--force")],
    ];
    for extra in cases {
        let out = apply(dir.path(), &server, &file, &extra);
        assert_eq!(out.code, Some(2), "{extra:?}: {out}");
        assert!(out.stderr.contains(" is also "), "{extra:?}: {out}");
        assert_eq!(std::fs::read(&file).unwrap(), input, "{extra:?}: the input");
        assert!(!other.exists(), "{extra:?}");
    }
    // Refused before the instance was read, let alone written.
    assert_eq!(
        server.count("DescribeInstance", "200"),
        0,
        "{}",
        server.stats()
    );
    assert_eq!(server.count("CreateUser", "200"), 0);

    // A hard link to the input is the input too.
    let link = dir.path().join("report.csv");
    std::fs::hard_link(&file, &link).unwrap();
    let out = apply(
        dir.path(),
        &server,
        &file,
        &[os("--report"), link.as_os_str()],
    );
    assert_eq!(out.code, Some(2), "{out}");
    assert_eq!(std::fs::read(&file).unwrap(), input);

    // `agents set` and `agents export` with a --file selection alike.
    let agents_dir = tempfile::tempdir().unwrap();
    let agents_server = agents_server(&["--no-throttle"]);
    let selection = agents_dir.path().join("selection.csv");
    std::fs::write(&selection, "user login\nsales.ava\n").unwrap();
    let set = run(agents(agents_dir.path(), &agents_server, "set")
        .args(["--persistent-connection", "on", "--yes", "--file"])
        .arg(&selection)
        .arg("--report")
        .arg(&selection)
        .args(FAST));
    let export = run(agents(agents_dir.path(), &agents_server, "export")
        .arg("--file")
        .arg(&selection)
        .arg("-o")
        .arg(&selection)
        .arg("--force")
        .args(FAST));
    for out in [set, export] {
        assert_eq!(out.code, Some(2), "{out}");
        assert!(out.stderr.contains("is also --file"), "{out}");
    }
    assert_eq!(
        std::fs::read_to_string(&selection).unwrap(),
        "user login\nsales.ava\n"
    );
    assert_eq!(agents_server.count("UpdateUserConfig", "200"), 0);
}

/// A FIFO at `path`.
fn fifo(path: &Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: mkfifo(3) with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
}

#[test]
fn devices_fifos_and_links_are_refused_even_with_force() {
    let server = LocalServer::builder().args(["--no-throttle"]).start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_file(dir.path(), "agents.csv", "dev", 2);
    let target = dir.path().join("target.csv");
    std::fs::write(&target, "precious").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let pipe = dir.path().join("pipe");
    fifo(&pipe);
    let null = PathBuf::from("/dev/null");
    let agents_server = agents_server(&["--no-throttle"]);
    for path in [&null, &link, &pipe] {
        for flag in ["--report", "--failed-out", "--generate-passwords"] {
            let mut extra = vec![os(flag), path.as_os_str()];
            if flag == "--generate-passwords" {
                extra.push(os("--force"));
            }
            let out = apply(dir.path(), &server, &file, &extra);
            assert_eq!(out.code, Some(2), "{flag} {path:?}: {out}");
            assert!(out.stderr.contains("writes only regular files"), "{out}");
        }
        let export = run(agents(dir.path(), &agents_server, "export")
            .arg("-o")
            .arg(path)
            .arg("--force")
            .args(FAST));
        assert_eq!(export.code, Some(2), "{export}");
        assert!(
            export.stderr.contains("writes only regular files"),
            "{export}"
        );
        let fetch = run(support::apply::command(dir.path())
            .args(["template", "fetch", "--force", "-o"])
            .arg(path));
        assert_eq!(fetch.code, Some(2), "{fetch}");
    }
    assert_eq!(server.count("CreateUser", "200"), 0);
    // Nothing was replaced or followed.
    use std::os::unix::fs::FileTypeExt;
    assert!(null.metadata().unwrap().file_type().is_char_device());
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    assert!(pipe.symlink_metadata().unwrap().file_type().is_fifo());
}

#[test]
fn a_replaced_file_is_a_new_one_and_another_users_file_is_left_alone() {
    use std::os::unix::fs::MetadataExt;
    let server = LocalServer::builder().args(["--no-throttle"]).start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_file(dir.path(), "agents.csv", "own", 3);
    // The report exists under a second name: replacing it must not empty it.
    let report = dir.path().join("report.csv");
    std::fs::write(&report, "the last run's report").unwrap();
    let kept = dir.path().join("kept.csv");
    std::fs::hard_link(&report, &kept).unwrap();
    let out = apply(
        dir.path(),
        &server,
        &file,
        &[os("--report"), report.as_os_str()],
    );
    assert_eq!(out.code, Some(0), "{out}");
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .starts_with("line,user_login"));
    assert_eq!(
        std::fs::read_to_string(&kept).unwrap(),
        "the last run's report"
    );

    // A rows-to-run-again file of another user: refused, not emptied.
    let retry = dir.path().join("retry.csv");
    std::fs::write(&retry, "someone else's rows").unwrap();
    let ours = std::fs::metadata(&report).unwrap().uid();
    let theirs = ours + 4242;
    let name = std::ffi::CString::new(retry.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: chown(2) with a valid C string.
    if unsafe { libc::chown(name.as_ptr(), theirs, u32::MAX) } != 0 {
        // Only root can give a file away: nothing more to test here.
        eprintln!("not root: the file of another user is not tested");
        return;
    }
    let file = agents_file(dir.path(), "more.csv", "more", 2);
    let out = apply(
        dir.path(),
        &server,
        &file,
        &[os("--failed-out"), retry.as_os_str()],
    );
    assert_eq!(out.code, Some(2), "{out}");
    assert!(out.stderr.contains("belongs to another user"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&retry).unwrap(),
        "someone else's rows"
    );
    assert_eq!(std::fs::metadata(&retry).unwrap().uid(), theirs);
    assert!(!support::apply::usernames(&server, DEMO_INSTANCE_ID).contains_key("more.0"));
}
