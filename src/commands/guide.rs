//! `connect-users guide [TOPIC]`: the user reference, topic by topic (see
//! [`crate::guide`]), printed as the markdown it is written in.

use std::io::Write;

use clap::builder::PossibleValuesParser;

use crate::exit::Exit;
use crate::guide;

/// Print a reference topic, or the list of topics.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  connect-users guide\n  \
                  connect-users guide validation | less\n  \
                  connect-users guide iam")]
pub struct Args {
    /// The topic to print [default: the list of topics].
    #[arg(value_name = "TOPIC", value_parser = topic_names())]
    pub topic: Option<String>,
}

fn topic_names() -> PossibleValuesParser {
    PossibleValuesParser::new(guide::TOPICS.iter().map(|topic| topic.name))
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let text = match args.topic.as_deref().and_then(guide::find) {
        Some(topic) => topic.text.to_owned(),
        None => guide::index(),
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(Exit::Success)
}
