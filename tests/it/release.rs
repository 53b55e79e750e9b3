//! `.ci/release`, the parts that run in seconds: its static-linking check
//! tells a static binary from a dynamic one, and its archive holds the
//! binary, completions and manual pages under the name the README's CI
//! recipes download, with a checksum file `sha256sum -c` accepts. (The
//! release build itself takes about 15 minutes; the release workflow runs
//! the whole script, checks included.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub fn release_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/release")
}

fn release(args: &[&Path]) -> Output {
    Command::new(release_script())
        .args(args)
        .output()
        .expect(".ci/release runs")
}

/// The debug binary the tests run: dynamically linked.
pub fn debug_binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("connect-users")
}

/// The archive `.ci/release package` makes of the debug binary, made once
/// for the tests that read it (packing 60 MB takes a while).
pub struct Packaged {
    /// Holds `v{version}/{name}`, as a release download address does.
    pub releases: PathBuf,
    pub name: String,
    pub sha256: String,
}

pub fn packaged() -> &'static Packaged {
    static PACKAGED: OnceLock<Packaged> = OnceLock::new();
    PACKAGED.get_or_init(|| {
        let releases = Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-package");
        let _ = std::fs::remove_dir_all(&releases);
        let dir = releases.join(format!("v{}", env!("CARGO_PKG_VERSION")));
        std::fs::create_dir_all(&dir).unwrap();
        let out = release(&[Path::new("package"), &debug_binary(), &dir]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let name = format!(
            "connect-users-{}-x86_64-unknown-linux-gnu.tar.gz",
            env!("CARGO_PKG_VERSION")
        );
        let sums = std::fs::read_to_string(dir.join(format!("{name}.sha256"))).unwrap();
        let (sha256, file) = sums.trim_end().split_once("  ").expect("sha256sum format");
        assert_eq!(file, name);
        assert_eq!(sha256.len(), 64);
        Packaged {
            releases,
            name: name.clone(),
            sha256: sha256.to_owned(),
        }
    })
}

#[test]
fn the_static_check_refuses_a_dynamic_binary_and_accepts_a_static_one() {
    let out = release(&[Path::new("check-static"), &debug_binary()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("is dynamically linked: it asks for /lib64/ld-linux-x86-64.so.2"),
        "{said}"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("hello.rs"),
        "fn main() { println!(\"hello\"); }",
    )
    .unwrap();
    let built = Command::new("rustc")
        .current_dir(dir.path())
        .args([
            "-C",
            "target-feature=+crt-static",
            "--target",
            "x86_64-unknown-linux-gnu",
        ])
        .args(["hello.rs", "-o", "hello"])
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    let hello = dir.path().join("hello");
    let ran = Command::new(&hello).env_clear().output().unwrap();
    assert_eq!(ran.stdout, b"hello\n");
    let out = release(&[Path::new("check-static"), &hello]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("ok: no program interpreter, no shared library"),
        "{said}"
    );
}

#[test]
fn the_archive_holds_the_binary_completions_and_pages_with_its_checksum() {
    let Packaged { releases, name, .. } = packaged();
    let dir = releases.join(format!("v{}", env!("CARGO_PKG_VERSION")));
    let check = Command::new("sha256sum")
        .current_dir(&dir)
        .args(["--check", "--strict", &format!("{name}.sha256")])
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");

    let listing = Command::new("tar")
        .arg("-tzf")
        .arg(dir.join(name))
        .output()
        .unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    let top = name.trim_end_matches(".tar.gz");
    for entry in [
        "connect-users",
        "README.md",
        "completions/connect-users.bash",
        "completions/_connect-users",
        "completions/connect-users.fish",
        "completions/_connect-users.ps1",
        "man/man1/connect-users.1",
        "man/man1/connect-users-import-apply.1",
    ] {
        let path = format!("{top}/{entry}");
        assert!(
            listing.lines().any(|line| line == path),
            "{path} in\n{listing}"
        );
    }
}
