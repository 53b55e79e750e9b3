//! `connect-users import validate FILE`: report every problem in a filled
//! template and show the review table.

use encoding_rs::Encoding;

use crate::commands::args::PacingArgs;
use crate::commands::shown;
use crate::connect::config::InstanceArgs;
use crate::exit::Exit;
use crate::identity::Identity;
use crate::output::Format;
use crate::session;
use crate::validate::{self, EmptyPassword, IdentityFrom, Retain, ValidateOptions};

/// Report every problem in a filled template, and review its users.
///
/// Checks the header, every field rule of the identity type, cross-field
/// rules and duplicates, and lists all findings with their line and column.
/// With an instance configured (--instance-id, --instance-arn, --local,
/// CONNECT_INSTANCE_ID or connect-users.toml) it also checks the file against
/// the instance: the identity type's rules, routing profiles, security
/// profiles, hierarchy paths, and logins that already exist. Exit status: 0
/// valid (warnings allowed), 1 the file has errors (or warnings, with
/// --strict), 2 usage, I/O or configuration error.
///
/// Reference: `connect-users guide validation` (input, header, every rule, the
/// review table, checks against the instance), `connect-users guide json`
/// (--format json), `connect-users guide instance`, `connect-users guide exit-codes`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  connect-users import validate agents.csv\n  \
                        connect-users import validate --identity saml --format json agents.csv\n  \
                        connect-users import validate --format github --strict agents.csv\n  \
                        connect-users import validate agents.csv --local\n  \
                        connect-users import validate --generate-passwords agents.csv"
)]
pub struct Args {
    /// The filled template (`-` reads stdin).
    #[arg(value_name = "FILE")]
    pub file: String,

    /// The identity management type: decides columns and rules [default: the
    /// instance's when one is configured, else connect-managed].
    #[arg(long, value_enum)]
    pub identity: Option<Identity>,

    /// The file's encoding (utf-8, utf-16le, utf-16be, shift_jis/cp932, …); detected when omitted.
    #[arg(
        long,
        value_name = "LABEL",
        value_parser = crate::commands::args::Offered::new(
            crate::input::decode::parse_encoding,
            crate::input::decode::ENCODING_LABELS,
        ),
        hide_possible_values = true
    )]
    pub encoding: Option<&'static Encoding>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Treat warnings as failure (exit 1).
    #[arg(long)]
    pub strict: bool,

    /// Show every row in the review table, not only those with findings.
    #[arg(long)]
    pub all: bool,

    /// Accept empty password cells of connect-managed rows, as `import apply
    /// --generate-passwords` does (a password is generated for them); a
    /// filled cell must still be a valid password.
    #[arg(long)]
    pub generate_passwords: bool,

    #[command(flatten)]
    pub instance: InstanceArgs,

    // With an instance: how the checks' requests are paced and retried.
    #[command(flatten)]
    pub pacing: PacingArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    if let Some(online) = session::resolve(&args.instance, args.pacing.flags())? {
        crate::input::check_readable(&args.file)?;
        // The plan needs every user, whatever the output shows.
        let opts = ValidateOptions {
            encoding: args.encoding,
            empty_password: EmptyPassword::generated_if(args.generate_passwords),
            ..ValidateOptions::default()
        };
        let checked = online.run(async |connection| {
            session::check(connection, &args.file, opts, args.identity).await
        })?;
        return shown::emit(&checked.validation, args.format, args.strict, args.all);
    }
    let opts = ValidateOptions {
        identity: args.identity.unwrap_or(Identity::ConnectManaged),
        identity_from: match args.identity {
            Some(_) => IdentityFrom::Flag,
            None => IdentityFrom::Default,
        },
        encoding: args.encoding,
        retain: retain_for(args.format, args.all),
        empty_password: EmptyPassword::generated_if(args.generate_passwords),
        ..ValidateOptions::default()
    };
    let validation = validate::validate_file(&args.file, &opts)?;
    shown::emit(&validation, args.format, args.strict, args.all)
}

/// What a format needs kept: JSON and `--all` list every user; the table
/// and annotations only the users they show, so large files stay small in memory.
pub fn retain_for(format: Format, all: bool) -> Retain {
    match format {
        Format::Json => Retain::All,
        _ if all => Retain::All,
        _ => Retain::Review,
    }
}
