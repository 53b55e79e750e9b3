//! `connect-users template fetch`: writes the pre-formatted CSV template.

use std::io::Write;

use crate::connect::config::InstanceArgs;
use crate::exit::Exit;
use crate::identity::Identity;
use crate::session::{self, PacingFlags};
use crate::template;

/// Write the pre-formatted CSV template for an identity management type.
///
/// With an instance configured, the template is the one for the instance's
/// identity management type (DescribeInstance). The file starts with a UTF-8
/// byte-order mark, like the console's, so Excel shows non-ASCII names
/// correctly.
///
/// Reference: `connect-users guide template` (the header per identity type, what
/// each column sets in Amazon Connect), `connect-users guide output-files`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  connect-users template fetch -o agents.csv\n  \
                        connect-users template fetch --identity saml -o agents.csv\n  \
                        connect-users template fetch --no-bom\n  \
                        connect-users template fetch --instance-id 1f3c2b9a-… --region us-east-1 -o agents.csv"
)]
pub struct Args {
    /// The instance's identity management type [default: the instance's when
    /// one is configured, else connect-managed].
    #[arg(long, value_enum)]
    pub identity: Option<Identity>,

    /// Where to write the template (`-` for stdout).
    #[arg(short, long, value_name = "PATH", default_value = "-")]
    pub output: String,

    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,

    /// Omit the UTF-8 byte-order mark.
    #[arg(long)]
    pub no_bom: bool,

    #[command(flatten)]
    pub instance: InstanceArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let identity = identity(&args)?;
    let bytes = template::template_bytes(identity, !args.no_bom);
    if args.output == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&bytes)?;
        stdout.flush()?;
        return Ok(Exit::Success);
    }
    let path = &args.output;
    let output = crate::output_file::Output {
        flag: "-o",
        path: path.into(),
        private: false,
        existing: crate::output_file::Existing::unless_forced(
            args.force,
            "it may be a filled template",
        ),
    };
    crate::output_file::write(&output, &bytes)?;
    eprintln!(
        "connect-users: wrote the {} template to {path} ({} columns)",
        identity,
        template::template_columns(identity).len()
    );
    Ok(Exit::Success)
}

/// `--identity`, or the configured instance's type, or connect-managed.
fn identity(args: &Args) -> anyhow::Result<Identity> {
    let Some(online) = session::resolve(&args.instance, PacingFlags::default())? else {
        return Ok(args.identity.unwrap_or(Identity::ConnectManaged));
    };
    let instance = online.run(session::describe)?;
    session::identity_of(&instance, args.identity)
}
