//! Names the commit a binary was built from, for `--version`.
//!
//! From a git checkout of this crate: `git rev-parse --short HEAD`, with
//! `-dirty` when a file the binary is built from differs from that commit.
//! Without one (a source tarball): the `CONNECT_USERS_COMMIT` environment
//! variable, else `unknown`. The result reaches the crate as the
//! `CONNECT_USERS_BUILD_COMMIT` environment variable of the compiler.
//!
//! Cargo runs this again only when HEAD moves (a commit, a checkout) or one
//! of those files changes — never merely because a test or a document did.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What the binary is built from: a change here makes a build `-dirty`.
/// (`include_str!` reaches into `templates/` and the demo instance seed.)
const BINARY_INPUTS: &[&str] = &[
    "src",
    "build.rs",
    "Cargo.toml",
    "Cargo.lock",
    "templates",
    "fixtures/demo-instance.toml",
];

const COMMIT_ENV: &str = "CONNECT_USERS_COMMIT";

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-env-changed={COMMIT_ENV}");
    for input in BINARY_INPUTS {
        println!("cargo:rerun-if-changed={input}");
    }
    let commit = git_commit(&root)
        .or_else(|| {
            std::env::var(COMMIT_ENV)
                .ok()
                .filter(|c| !c.trim().is_empty())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    println!(
        "cargo:rustc-env=CONNECT_USERS_BUILD_COMMIT={}",
        commit.trim()
    );
}

/// The short commit, when `root` is the top of a git work tree (not a
/// tarball unpacked inside some other repository).
fn git_commit(root: &Path) -> Option<String> {
    let top = git(root, &["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != root.canonicalize().ok()? {
        return None;
    }
    watch_head(root);
    let commit = git(root, &["rev-parse", "--short", "HEAD"])?;
    // Without optional locks `git status` leaves the index alone, so asking
    // does not itself change what is watched.
    let changed = Command::new("git")
        .current_dir(root)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .args(["status", "--porcelain", "--untracked-files=no", "--"])
        .args(BINARY_INPUTS)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| !out.stdout.is_empty())?;
    Some(if changed {
        format!("{commit}-dirty")
    } else {
        commit
    })
}

/// HEAD moves on a commit, a checkout or a reset: its file and its reflog
/// (per worktree; in a linked worktree `.git` is a file, so the paths come
/// from git). Without a reflog, the branch's ref, loose or packed.
fn watch_head(root: &Path) {
    let git_path = |name: &str| {
        git(
            root,
            &["rev-parse", "--path-format=absolute", "--git-path", name],
        )
        .filter(|path| Path::new(path).exists())
    };
    let branch = git(root, &["symbolic-ref", "-q", "HEAD"]);
    let watched = [
        git_path("HEAD"),
        git_path("logs/HEAD").or_else(|| {
            let branch = branch?;
            git_path(&branch).or_else(|| git_path("packed-refs"))
        }),
    ];
    for path in watched.into_iter().flatten() {
        println!("cargo:rerun-if-changed={path}");
    }
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}
