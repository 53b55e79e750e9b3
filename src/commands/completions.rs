//! `connect-users completions SHELL`: the shell completion script, generated
//! from the same clap definitions as the parser, so it never lags behind it.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::exit::Exit;

/// Print the completion script for a shell.
///
/// Load it in the current shell, or install it where the shell looks for
/// completions (see the README's "Install").
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  source <(connect-users completions bash)\n  \
                  connect-users completions bash > ~/.local/share/bash-completion/completions/connect-users\n  \
                  connect-users completions zsh > ~/.zfunc/_connect-users\n  \
                  connect-users completions fish > ~/.config/fish/completions/connect-users.fish\n  \
                  connect-users completions powershell >> $PROFILE"
)]
pub struct Args {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

const BIN: &str = "connect-users";

pub fn run(args: Args) -> anyhow::Result<Exit> {
    // Generated into memory first: clap_complete panics on a failed write,
    // and a closed pipe (`| head`) is not an error here.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), BIN, &mut script);
    if args.shell == Shell::Bash {
        script = bash_arms_fixed(&script);
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&script)?;
    stdout.flush()?;
    Ok(Exit::Success)
}

/// clap_complete's bash script (4.6.12) names the state of a subcommand
/// `connect__users__subcmd__import` where it walks the words typed, but
/// labels the case arms `connect__subcmd__users__subcmd__import`: with a
/// hyphen in the binary's name no arm matches, and nothing after the first
/// word completes (clap-rs/clap#6421). The arms are relabelled as the walk
/// spells them; once clap_complete agrees with itself, nothing matches here.
fn bash_arms_fixed(script: &[u8]) -> Vec<u8> {
    let script = String::from_utf8_lossy(script);
    let walked = BIN.replace('-', "__");
    let labelled = BIN.replace('-', "__subcmd__");
    script
        .lines()
        .map(|line| match line.trim_start().strip_prefix(&labelled) {
            Some(rest) if rest.ends_with(')') && !rest.contains(' ') => {
                let indent = &line[..line.len() - line.trim_start().len()];
                format!("{indent}{walked}{rest}\n")
            }
            _ => format!("{line}\n"),
        })
        .collect::<String>()
        .into_bytes()
}
