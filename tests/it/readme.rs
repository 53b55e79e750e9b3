//! The README's examples stay true: every `$ connect-users …` line of a
//! `console` block is run from the repository root with the real binary,
//! and the lines shown under it must appear in its output in the same
//! order (`…` stands for any number of lines left out).

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

/// `(command line, shown output lines)` of every console example.
fn console_examples(readme: &str) -> Vec<(String, Vec<String>)> {
    let mut examples: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = !in_console && line.trim() == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        match line.strip_prefix("$ ") {
            Some(command) => examples.push((command.to_owned(), Vec::new())),
            None => {
                if let Some((_, shown)) = examples.last_mut() {
                    shown.push(line.to_owned());
                }
            }
        }
    }
    examples
}

/// Whether `shown` appears in `actual` in order, `…` skipping any lines.
fn shows(actual: &str, shown: &[String]) -> Result<(), String> {
    let lines: Vec<&str> = actual.lines().collect();
    let mut at = 0;
    let mut skipping = false;
    for expected in shown {
        if expected == "…" {
            skipping = true;
            continue;
        }
        match lines[at..].iter().position(|l| l == expected) {
            Some(found) if skipping || found == 0 => {
                at += found + 1;
                skipping = false;
            }
            _ => return Err(format!("not shown as in the README: {expected}")),
        }
    }
    if !skipping && at != lines.len() {
        return Err(format!("the output goes on after: {}", lines[at]));
    }
    Ok(())
}

#[test]
fn every_console_example_of_the_readme_shows_what_the_tool_prints() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let examples = console_examples(&readme);
    assert!(!examples.is_empty(), "the README has console examples");
    for (command_line, shown) in examples {
        let words: Vec<&str> = command_line.split_whitespace().collect();
        assert_eq!(words[0], "connect-users", "{command_line}");
        let out = Command::cargo_bin("connect-users")
            .unwrap()
            .current_dir(root)
            .env_remove("COLUMNS")
            .env_remove("CONNECT_INSTANCE_ID")
            .args(&words[1..])
            .output()
            .unwrap();
        let actual = String::from_utf8_lossy(&out.stdout);
        if let Err(problem) = shows(&actual, &shown) {
            panic!("README: $ {command_line}\n{problem}\n--- the tool prints:\n{actual}");
        }
    }
}

#[test]
fn the_comparison_fails_on_a_wrong_count() {
    let shown = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    let actual = "a\nb\nc: 20 errors\n";
    assert!(shows(actual, &shown(&["…", "c: 20 errors"])).is_ok());
    assert!(shows(actual, &shown(&["a", "…", "c: 20 errors"])).is_ok());
    assert!(shows(actual, &shown(&["…", "c: 22 errors"])).is_err());
    assert!(shows(actual, &shown(&["b", "…"])).is_err());
    assert!(shows(actual, &shown(&["a", "b"])).is_err());
}
