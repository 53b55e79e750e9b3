//! The documentation's examples stay true: every `$ connect-users …` line
//! of a `console` block — in the README and in every other markdown file of
//! the repository (the reference topics under `src/guide/`, the notes beside
//! the code) — is run from the repository root with the real binary, and the
//! lines shown under it must appear in its output in the same order (`…`
//! stands for any number of lines left out). Every `connect-users` line of a
//! `yaml` block parses, and the README's CI recipes install a release.

use std::path::{Path, PathBuf};
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
            _ => return Err(format!("not shown as in the documentation: {expected}")),
        }
    }
    if !skipping && at != lines.len() {
        return Err(format!("the output goes on after: {}", lines[at]));
    }
    Ok(())
}

/// Every markdown file of the repository: the README, and those under the
/// folders that hold documentation beside the code.
pub fn markdown_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, into: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, into);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                into.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for dir in [
        "src",
        "tests",
        "benches",
        "fixtures",
        "templates",
        ".ci",
        ".github",
    ] {
        walk(&root.join(dir), &mut files);
    }
    files.sort();
    files
}

/// A markdown file's path from the repository root, as messages name it.
pub fn shown_path(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_console_example_of_the_documentation_shows_what_the_tool_prints() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut seen = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let examples = console_examples(&text);
        if !examples.is_empty() {
            seen.push(shown_path(&file));
        }
        for example in examples {
            check_console_example(root, &shown_path(&file), example);
        }
    }
    for expected in ["README.md", "src/guide/template.md"] {
        assert!(
            seen.iter().any(|file| file == expected),
            "{expected} has console examples: {seen:?}"
        );
    }
}

fn check_console_example(root: &str, file: &str, (command_line, shown): (String, Vec<String>)) {
    {
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
            panic!("{file}: $ {command_line}\n{problem}\n--- the tool prints:\n{actual}");
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

/// The text of every ```yaml block.
fn yaml_blocks(readme: &str) -> Vec<String> {
    fenced_blocks(readme, "yaml")
}

/// The text of every fenced block of this language.
fn fenced_blocks(readme: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_end()) {
            (None, open) if open == fence => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// The literal block scalars (`run: |`, `- |`) of a YAML text that fetch
/// and check a release, their indentation removed.
fn install_scripts(yaml: &str) -> Vec<String> {
    let lines: Vec<&str> = yaml.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut scripts = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        if !line.trim_end().ends_with('|') {
            continue;
        }
        let body: Vec<&str> = lines[at + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || indent(l) > indent(line))
            .copied()
            .collect();
        let Some(depth) = body
            .iter()
            .find(|l| !l.trim().is_empty())
            .map(|l| indent(l))
        else {
            continue;
        };
        let script: String = body
            .iter()
            .map(|l| format!("{}\n", l.get(depth..).unwrap_or("")))
            .collect();
        if script.contains("sha256sum") {
            scripts.push(script);
        }
    }
    scripts
}

/// A web server on 127.0.0.1 serving the files under `root` (a release
/// download address); returns its base URL. It stops with the runtime.
fn serve_files(root: &std::path::Path) -> (String, tokio::runtime::Runtime) {
    use axum::extract::Path;
    use axum::http::StatusCode;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let root = root.to_owned();
    let app = axum::Router::new().route(
        "/{*path}",
        axum::routing::get(move |Path(path): Path<String>| async move {
            std::fs::read(root.join(&path)).map_err(|_| StatusCode::NOT_FOUND)
        }),
    );
    runtime.spawn(async move { axum::serve(listener, app).await });
    (url, runtime)
}

#[test]
fn the_ci_recipes_install_the_pinned_release_and_refuse_other_bytes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let crate::release::Packaged {
        releases, sha256, ..
    } = crate::release::packaged();
    let (url, _server) = serve_files(releases);

    let recipes: Vec<(bool, String)> = yaml_blocks(&readme)
        .iter()
        .flat_map(|yaml| {
            let github = yaml.contains("runs-on:");
            install_scripts(yaml)
                .into_iter()
                .map(move |script| (github, script))
        })
        .collect();
    let kinds: Vec<bool> = recipes.iter().map(|(github, _)| *github).collect();
    assert_eq!(
        kinds,
        [true, false],
        "one GitHub Actions and one GitLab CI install step"
    );

    for (github, script) in &recipes {
        // GitHub runs a step with `bash -e`, GitLab an image's /bin/sh.
        let shell = if *github { "bash" } else { "sh" };
        let run = |pinned: &str| {
            let job = tempfile::tempdir().unwrap();
            let github_path = job.path().join("github_path");
            std::fs::write(&github_path, "").unwrap();
            let out = Command::new(shell)
                .arg("-e")
                .arg("-c")
                .arg(script)
                .current_dir(job.path())
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap())
                .env("HOME", job.path())
                .env("TMPDIR", job.path())
                .env("RUNNER_TEMP", job.path())
                .env("GITHUB_PATH", &github_path)
                .env("CONNECT_USERS_URL", &url)
                .env("CONNECT_USERS_VERSION", version)
                .env("CONNECT_USERS_SHA256", pinned)
                .output()
                .unwrap();
            let added = std::fs::read_to_string(&github_path).unwrap();
            (out, added, job)
        };

        let (out, added, _job) = run(sha256);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{script}\n{out:?}");
        let version_line = format!("connect-users {version} (commit ");
        if *github {
            // The next steps find it on the PATH GitHub builds from GITHUB_PATH.
            let dir = added.trim_end();
            assert!(!dir.is_empty() && !dir.contains('\n'), "{added:?}");
            let shown = Command::new(std::path::Path::new(dir).join("connect-users"))
                .arg("--version")
                .output()
                .unwrap();
            assert!(String::from_utf8_lossy(&shown.stdout).starts_with(&version_line));
        } else {
            assert!(stdout.contains(&version_line), "{script}\n{stdout}");
        }

        let last = if sha256.ends_with('0') { "1" } else { "0" };
        let (out, added, _job) = run(&format!("{}{last}", &sha256[..63]));
        assert!(
            !out.status.success(),
            "a wrong checksum must stop the job: {out:?}"
        );
        assert!(added.is_empty(), "nothing installed: {added:?}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains(&version_line));
    }
}

#[test]
fn every_command_of_the_yaml_examples_parses() {
    let mut seen = 0;
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        seen += yaml_commands_parse(&shown_path(&file), &text);
    }
    assert!(seen >= 6, "{seen} connect-users lines in the yaml examples");
}

/// Parses every `connect-users` line of the file's yaml blocks; returns how many.
fn yaml_commands_parse(file: &str, text: &str) -> usize {
    use clap::Parser;
    let mut seen = 0;
    for yaml in yaml_blocks(text) {
        for line in yaml.lines() {
            let line = line
                .trim_start()
                .trim_start_matches("- ")
                .trim_start_matches("run: ");
            if !line.starts_with("connect-users ") {
                continue;
            }
            let words = line.split('#').next().unwrap().split_whitespace();
            match connect_users::cli::Cli::try_parse_from(words) {
                Err(err) if err.kind() != clap::error::ErrorKind::DisplayVersion => {
                    panic!("{file}: {line}\n{err}")
                }
                _ => {}
            }
            seen += 1;
        }
    }
    seen
}

/// The `sh` examples are not run (they need an instance, or write files),
/// but each `connect-users` command in them parses: a renamed or removed
/// flag cannot linger in the documentation.
#[test]
fn every_command_of_the_shell_examples_parses() {
    use clap::Parser;
    let mut seen = 0;
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for block in fenced_blocks(&text, "sh") {
            for (line, words) in shell_commands(&block) {
                match connect_users::cli::Cli::try_parse_from(&words) {
                    Err(err) if err.kind() != clap::error::ErrorKind::DisplayVersion => {
                        panic!("{}: {line}\n{err}", shown_path(&file))
                    }
                    _ => seen += 1,
                }
            }
        }
    }
    assert!(seen >= 40, "{seen} connect-users lines in the sh examples");
}

/// The `connect-users` commands of a shell block: continuation lines
/// joined, split as the shell splits words (quotes, `#` comments), each
/// cut where a pipe, a redirection or a `&` begins.
fn shell_commands(block: &str) -> Vec<(String, Vec<String>)> {
    let mut commands = Vec::new();
    let joined = block.replace("\\\n", " ");
    for line in joined.lines() {
        let line = line.trim();
        if !line.starts_with("connect-users ") {
            continue;
        }
        let Some(words) = shlex::split(line) else {
            panic!("not a shell line: {line}");
        };
        let words: Vec<String> = words
            .into_iter()
            .take_while(|w| !matches!(w.as_str(), "|" | "&" | "&&" | ";") && !w.starts_with('>'))
            .collect();
        commands.push((line.to_owned(), words));
    }
    commands
}

#[test]
fn every_command_of_the_readme_ci_recipes_parses() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let seen = yaml_commands_parse("README.md", &readme);
    assert!(seen >= 4, "{seen} connect-users lines in the CI recipes");
}
