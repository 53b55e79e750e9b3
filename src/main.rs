//! `connect-users`: a thin entry point. Parses arguments, runs the command,
//! prints an error once with its whole context chain, and maps the outcome to
//! an exit code. A closed stdout (`| head`) is not an error.

use std::process::ExitCode;

use clap::Parser;
use connect_users::cli::{self, Cli};
use connect_users::exit::{self, Exit};
use connect_users::output::github;

fn main() -> ExitCode {
    // Under `--format github` an error ending the command is an annotation
    // too (on stdout, with the others), not only text in the log.
    let github = github::requested(std::env::args_os());
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            if github && err.use_stderr() {
                let text = err.to_string();
                println!(
                    "{}",
                    github::command_error(text.lines().next().unwrap_or(""))
                );
            }
            err.exit()
        }
    };
    match cli::run(cli) {
        Ok(exit) => exit.into(),
        Err(err) if exit::is_broken_pipe(&err) => Exit::Success.into(),
        Err(err) => {
            // Messages may quote values from files and the instance.
            let text = format!("{err:#}");
            let text = connect_users::output::terminal_text::visible_lines(&text);
            eprintln!("connect-users: error: {text}");
            if github {
                println!("{}", github::command_error(&format!("{err:#}")));
            }
            Exit::Error.into()
        }
    }
}
