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

#[cfg(test)]
mod tests {
    use super::*;

    /// Value names of values the user types (names, paths, numbers): nothing to offer.
    const FREE_FORM: &[&str] = &[
        "ID",
        "ARN",
        "NAME",
        "REGION",
        "URL",
        "PATH",
        "FILE",
        "DIR",
        "N",
        "DURATION",
        "LOGIN",
        "KEY",
        "MS",
        "P",
        "HOST:PORT",
        "DB",
        "A|B",
        "CHANNEL=SECONDS",
        "KEY=VALUE",
    ];

    /// Fixed sets completion does not offer yet: `man`'s command path
    /// (names at two levels).
    const NOT_YET: &[(&str, &str)] = &[("connect-users-man", "command")];

    fn options_without_values(command: &clap::Command, found: &mut Vec<String>) {
        for arg in command.get_arguments() {
            let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
            let free = arg
                .get_value_names()
                .is_some_and(|names| names.iter().all(|n| FREE_FORM.contains(&n.as_str())));
            let offered = !arg.get_possible_values().is_empty();
            let name = command.get_display_name().unwrap_or(command.get_name());
            let known = NOT_YET.contains(&(name, arg.get_id().as_str()));
            if takes_value && !free && !offered && !known {
                found.push(format!("{name} {}", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            options_without_values(sub, found);
        }
    }

    #[test]
    fn every_option_of_a_fixed_set_offers_its_values_to_completion() {
        let mut cli = Cli::command();
        cli.build();
        let mut found = Vec::new();
        options_without_values(&cli, &mut found);
        assert!(
            found.is_empty(),
            "these take one of a fixed set but completion offers nothing (a ValueEnum or \
             possible values would), or their value name belongs in FREE_FORM: {found:?}"
        );
    }

    fn offered_but_refused(command: &clap::Command, found: &mut Vec<String>) {
        use clap::error::ErrorKind;
        for arg in command.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            for value in arg.get_possible_values() {
                // The option alone on the command line: other errors (a
                // missing file, a rule between flags) are not this test's.
                let alone = command.clone().mut_args(|a| a.required(false));
                let line = [
                    command.get_name().to_string(),
                    format!("--{long}={}", value.get_name()),
                ];
                if let Err(err) = alone.try_get_matches_from(line) {
                    if matches!(
                        err.kind(),
                        ErrorKind::InvalidValue | ErrorKind::ValueValidation
                    ) {
                        found.push(format!("--{long} {}: {err}", value.get_name()));
                    }
                }
            }
        }
        for sub in command.get_subcommands() {
            offered_but_refused(sub, found);
        }
    }

    /// Completion never offers a value the option's parser refuses.
    #[test]
    fn every_value_completion_offers_is_taken() {
        let mut cli = Cli::command();
        cli.build();
        let mut found = Vec::new();
        offered_but_refused(&cli, &mut found);
        assert!(found.is_empty(), "offered but refused: {found:?}");
    }

    #[test]
    fn encoding_completes_to_labels_the_parser_takes() {
        let mut script = Vec::new();
        clap_complete::generate(Shell::Bash, &mut Cli::command(), BIN, &mut script);
        let script = String::from_utf8(script).unwrap();
        let offered = "utf-8 utf-16le utf-16be shift_jis cp932 windows-1252 macintosh";
        assert!(script.contains(offered), "{script}");
        for label in offered.split(' ') {
            assert!(
                crate::input::decode::parse_encoding(label).is_ok(),
                "{label}"
            );
        }
    }
}
