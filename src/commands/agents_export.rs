//! `connect-users agents export`: the selected users as a filled template of
//! the instance's identity type (or `--identity`'s), for a backup or to copy
//! them to another instance with `import apply`.

use std::io::Write;

use crate::agents::{export, Want};
use crate::commands::args::{PacingArgs, SelectArgs};
use crate::connect::config::InstanceArgs;
use crate::exit::Exit;
use crate::identity::Identity;
use crate::output::terminal_text::{visible, visible_lines};
use crate::session;
use crate::terminal;

const EXAMPLES: &str = "Examples:
  connect-users agents export -o agents.csv --instance-id 1f3c2b9a-… --region us-east-1
  connect-users agents export -o sales.csv --routing-profile \"Sales Inbound\" --local
  connect-users agents export -o saml.csv --identity saml --local
  connect-users import apply agents.csv --instance-id 7e0d… --generate-passwords ~/secure/passwords.csv";

/// Write users as a filled template, to back them up or copy them to another instance.
///
/// Every user, or those the selectors name, with names instead of IDs,
/// phone settings and tags.
///
/// The file is the template of the instance's identity type, with a
/// byte-order mark, and `import validate` accepts it as it is. Passwords
/// cannot be read: the password column is left empty, so a connect-managed
/// file is imported with `import apply FILE --generate-passwords PATH`.
/// What the template cannot carry is named on stderr. An existing file is
/// kept unless --force; the file is written whole or not at all.
///
/// Reference: `connect-users guide export` (what is carried over and what is not),
/// `connect-users guide passwords`, `connect-users guide output-files`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Where to write the file (`-` for stdout).
    #[arg(short, long, value_name = "PATH")]
    pub output: String,

    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,

    /// Write this identity type's template instead of the instance's, to copy
    /// the users to an instance that manages users differently; the columns
    /// that cannot be carried over are named on stderr.
    #[arg(long, value_enum)]
    pub identity: Option<Identity>,

    #[command(flatten)]
    pub select: SelectArgs,

    #[command(flatten)]
    pub instance: InstanceArgs,

    #[command(flatten)]
    pub pacing: PacingArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let to_stdout = args.output == "-";
    let output = export::output(&args.output, args.force);
    if !to_stdout {
        crate::output_file::check(&args.select.inputs(), std::slice::from_ref(&output))?;
    }
    let online = session::required(&args.instance, args.pacing.flags())?;
    let selection = args.select.selection()?;
    let interactive = terminal::stderr_is_terminal();
    let (instance, read) = online.run(async |connection| {
        let instance = session::describe(connection).await?;
        // The template's e-mail and mobile columns are not in what
        // SearchUsers shows: every agent is read with DescribeUser.
        let want = Want { current: true };
        let read = session::read_agents(connection, &selection, want, interactive).await?;
        anyhow::Ok((instance, read))
    })?;
    let agents = &read.agents;
    let identity = args.identity.unwrap_or(instance.identity);
    let exported = export::export(agents, instance.identity, identity);
    let bytes = exported.to_bytes()?;
    let name = if to_stdout { "<stdout>" } else { &args.output };
    let validation = export::check(name, &bytes, identity);
    if to_stdout {
        let mut stdout = std::io::stdout().lock();
        let shown = terminal_view(&bytes, std::io::IsTerminal::is_terminal(&stdout));
        stdout.write_all(shown.as_bytes())?;
        stdout.flush()?;
        if shown.as_bytes() != bytes.as_slice() {
            eprintln!(
                "connect-users: note: stdout is a terminal, so control characters in the users' \
                 values are shown escaped (\\u{{1b}}, \\t, …); write the file with -o PATH or \
                 through a pipe to keep the values as they are"
            );
        }
    } else {
        crate::output_file::write(&output, &bytes)?;
    }

    for loss in &exported.losses {
        eprintln!(
            "connect-users: warning: {}",
            visible_lines(&loss.to_string())
        );
    }
    if validation.has_errors() {
        eprintln!(
            "connect-users: warning: `import validate --identity {identity} --generate-passwords` \
             finds {} errors in {name}; edit these rows before importing it:",
            validation.error_count()
        );
        for finding in validation.findings.iter().filter(|f| f.is_error()).take(10) {
            eprintln!("  {}", visible_lines(&exported.describe(finding)));
        }
    }
    let password = if identity == Identity::ConnectManaged {
        let file = if to_stdout { "FILE" } else { name };
        format!(
            "; the password column is empty: import it with \
             `import apply {file} --generate-passwords PATH`"
        )
    } else {
        String::new()
    };
    let users = match exported.rows.len() {
        1 => "1 user".to_string(),
        n => format!("{n} users"),
    };
    eprintln!(
        "connect-users: wrote {users} of instance {} to {name} as the {identity} template{password}",
        session::instance_label(&instance),
    );
    eprintln!("connect-users: {}", read.closing_line());
    Ok(Exit::Success)
}

/// The export as stdout shows it: on a terminal, each line's control
/// characters escaped ([`visible`]); to a pipe, the data as it is.
fn terminal_view(bytes: &[u8], terminal: bool) -> std::borrow::Cow<'_, str> {
    let text = String::from_utf8_lossy(bytes);
    if !terminal {
        return text;
    }
    let lines: Vec<std::borrow::Cow<'_, str>> = text.split("\r\n").map(visible).collect();
    std::borrow::Cow::Owned(lines.join("\r\n"))
}
