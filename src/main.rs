//! `connect-users`: a thin entry point. Parses arguments, runs the command,
//! prints an error once with its whole context chain, and maps the outcome to
//! an exit code. A closed stdout (`| head`) is not an error.

use std::process::ExitCode;

use clap::Parser;
use connect_users::cli::{self, Cli};
use connect_users::exit::{self, Exit};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(exit) => exit.into(),
        Err(err) if exit::is_broken_pipe(&err) => Exit::Success.into(),
        Err(err) => {
            // Messages may quote values from files and the instance.
            let text = format!("{err:#}");
            let text = connect_users::output::terminal_text::visible_lines(&text);
            eprintln!("connect-users: error: {text}");
            Exit::Error.into()
        }
    }
}
