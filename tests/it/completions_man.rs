//! `connect-users completions` and `connect-users man`: the scripts a shell
//! loads and the pages `man` shows, generated from the parser's own
//! definitions. bash runs the completion function as it would on Tab; the
//! pages are checked against the command tree (rendering them with `man -l`
//! is `.ci/release`'s job, where man-db is installed).

use std::collections::BTreeSet;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use clap::CommandFactory;
use connect_users::cli::Cli;

fn connect_users() -> Command {
    Command::cargo_bin("connect-users").unwrap()
}

/// What bash offers on Tab after `words` (the last one being completed),
/// with the script the binary prints sourced as a user would.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("connect-users");
    let script = r#"
        source <("$BIN" completions bash) || exit 9
        complete -p connect-users >&2 || exit 8
        COMP_WORDS=("$@")
        COMP_CWORD=$(( $# - 1 ))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        _connect__users connect-users "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script, "bash"])
        .args(words)
        .env("BIN", &bin)
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "bash: {:?}\n{stderr}", out.status);
    assert!(
        stderr.contains("-F _connect__users connect-users"),
        "complete -p names the function: {stderr}"
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_loads_the_completions_and_completes_commands_and_flags() {
    assert_eq!(bash_completes(&["connect-users", "imp"]), ["import"]);
    assert_eq!(bash_completes(&["connect-users", "import", "a"]), ["apply"]);
    assert_eq!(
        bash_completes(&["connect-users", "import", "apply", "--dry"]),
        ["--dry-run"]
    );
    let shells = bash_completes(&["connect-users", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(shells.iter().any(|s| s == shell), "{shell} in {shells:?}");
    }
}

#[test]
fn every_shell_gets_a_script_for_every_command() {
    for (shell, marker) in [
        ("bash", "complete -F _connect__users"),
        ("zsh", "#compdef connect-users"),
        ("fish", "complete -c connect-users"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'connect-users'",
        ),
        ("elvish", "set edit:completion:arg-completer[connect-users]"),
    ] {
        let out = connect_users()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell} script lacks {marker:?}");
        for flag in ["--generate-passwords", "--persistent-connection", "--seed"] {
            assert!(
                script.contains(flag.trim_start_matches('-')),
                "{shell}: {flag}"
            );
        }
    }
    let out = connect_users()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("possible values: bash, elvish, fish, powershell, zsh"));
}

/// `connect-users-import-apply` for each command of the tree, with its long flags.
fn pages(command: &clap::Command, name: &str, into: &mut Vec<(String, BTreeSet<String>)>) {
    let flags = command
        .get_arguments()
        .filter(|arg| !arg.is_hide_set())
        .filter_map(|arg| arg.get_long().map(str::to_owned))
        .collect();
    into.push((name.to_owned(), flags));
    for sub in command.get_subcommands() {
        pages(sub, &format!("{name}-{}", sub.get_name()), into);
    }
}

#[test]
fn the_manual_has_a_page_for_every_command_with_every_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out = connect_users()
        .args(["man", "--dir"])
        .arg(dir.path().join("man1"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // as the pages are made: without the `help` subcommands
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let mut expected = Vec::new();
    pages(&cli, "connect-users", &mut expected);
    assert!(expected.len() > 10, "{expected:?}");
    let written: BTreeSet<String> = std::fs::read_dir(dir.path().join("man1"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    let wanted: BTreeSet<String> = expected
        .iter()
        .map(|(name, _)| format!("{name}.1"))
        .collect();
    assert_eq!(written, wanted);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains(&format!("wrote {} manual pages", wanted.len())));
    for (name, flags) in &expected {
        let page = std::fs::read_to_string(dir.path().join(format!("man1/{name}.1"))).unwrap();
        assert!(page.contains(&format!(".TH {name} 1 ")), "{name}: {page}");
        assert!(
            page.contains(".SH NAME") && page.contains(".SH SYNOPSIS"),
            "{name}"
        );
        for flag in flags {
            // roff escapes every hyphen of a flag
            let shown = format!("\\-\\-{}", flag.replace('-', "\\-"));
            assert!(page.contains(&shown), "{name}.1 lacks --{flag}");
        }
    }
}

#[test]
fn man_prints_the_page_of_a_command_and_names_the_commands_it_lacks() {
    let out = connect_users()
        .args(["man", "import", "apply"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH connect-users-import-apply 1 "), "{page}");
    assert!(page.contains("\\-\\-generate\\-passwords"), "{page}");
    assert!(
        page.contains(env!("CARGO_PKG_VERSION")),
        "the page names the version"
    );

    let out = connect_users()
        .args(["man", "import", "aply"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "connect-users: error: `connect-users import` has no command \"aply\"; it has: validate, apply\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn version_names_the_version_and_the_commit() {
    let out = connect_users().arg("--version").output().unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    let prefix = format!("connect-users {} (commit ", env!("CARGO_PKG_VERSION"));
    let commit = shown
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("{shown:?}"));
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap();
    let short = commit.trim_end_matches("-dirty");
    assert!(
        short.len() >= 7 && head.starts_with(short),
        "{commit} is not HEAD {head}"
    );
}
