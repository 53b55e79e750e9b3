//! `agents export`: existing agents as a filled template that `import
//! validate` accepts as it is and `import apply` turns back into the same
//! users — pure, from [`Agent`]s to rows and bytes.
//!
//! Each cell is written the way the validator reads it back: names instead
//! of IDs (security profiles and the hierarchy path joined with `|`), `soft`
//! / `desk`, `yes` / `no`, the template's audio enhancement words, tags as
//! `key|value||key|value`. Rows follow the agents' order (by login), so two
//! exports of the same users are the same bytes.
//!
//! The template cannot say everything an instance holds. Where it cannot,
//! the row gets the nearest value the template means and the gap is a
//! [`Loss`] naming the users, for the command to tell on stderr: the ACW
//! timeout when the channels differ (the template's applies to every
//! channel: VOICE's is written), persistent connection or audio enhancement
//! on a desk phone (the template ignores them there: `no` / `none` is
//! written), tags the cell cannot hold (`aws:` keys, values with `|` or
//! surrounding spaces, empty values: left out), names with `|` (which the template reads
//! as a separator), first and last names with surrounding whitespace or not
//! in NFC (written as they are; import reads them trimmed and in NFC, so
//! they match their source, but a copy elsewhere gets the read form), and —
//! with another identity type's template — the columns it does not have. Passwords cannot be read: the password column
//! stays empty.
//!
//! No cell is prefixed against spreadsheet formulas: the file must import
//! back exactly, and a prefixed name would be another name.

use std::collections::BTreeMap;
use std::fmt;

use super::roster::Agent;
use crate::connect::Channel;
use crate::finding::Finding;
use crate::identity::Identity;
use crate::template::{self, Column};
use crate::user::{PhoneType, VoiceEnhancementMode};
use crate::validate::{self, EmptyPassword, IdentityFrom, ValidateOptions, Validation};

/// Agents as the rows of one identity type's template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The identity type whose template the rows fill.
    pub identity: Identity,
    /// The template's columns, in its order.
    pub columns: Vec<Column>,
    /// One row per agent, in the agents' order, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// What the rows do not carry, in a stable order.
    pub losses: Vec<Loss>,
}

/// What of the instance a kind of gap leaves out of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LossKind {
    /// A column the written template does not have (`--identity`).
    Column(Column),
    /// ACW timeouts that differ by channel: VOICE's is written.
    AcwByChannel,
    /// Persistent connection on or audio enhancement on a desk phone.
    DeskPhoneSoftphoneSettings,
    /// Tags the cell cannot hold.
    Tags,
    /// Security profile or hierarchy group names containing `|`.
    NameWithBar,
    /// First or last names with surrounding whitespace or not in NFC.
    NameReadOtherwise,
}

/// One gap and the users it concerns (`login`, or `login (detail)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    pub kind: LossKind,
    /// The identity type of the template written.
    pub template: Identity,
    pub users: Vec<String>,
}

/// At most this many users are named per loss; the rest are counted.
const NAMED_USERS: usize = 10;

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.users.len();
        let users = if n == 1 {
            "1 user".to_string()
        } else {
            format!("{n} users")
        };
        let identity = self.template;
        match self.kind {
            LossKind::Column(column) if n == 0 => {
                return write!(
                    f,
                    "`{}`: the {identity} template has no such column (no selected user has a value in it)",
                    column.header()
                );
            }
            LossKind::Column(column) => write!(
                f,
                "`{}`: the {identity} template has no such column; not carried over for {users}",
                column.header()
            )?,
            LossKind::AcwByChannel => write!(
                f,
                "the ACW timeout differs by channel for {users}; the template's ACW timeout is \
                 every channel's, so VOICE's is written (the source instance shows these users as \
                 differing from the file)"
            )?,
            LossKind::DeskPhoneSoftphoneSettings => write!(
                f,
                "{users} with a desk phone {} persistent connection or audio enhancement set, \
                 which only affect softphones and which the template ignores for a desk phone: \
                 written as no / none",
                if n == 1 { "has" } else { "have" }
            )?,
            LossKind::Tags => write!(
                f,
                "tags the template cannot hold were left out for {users} (`aws:` keys are \
                 reserved; a key or value with | or surrounding spaces, or an empty value, cannot be \
                 written)"
            )?,
            LossKind::NameReadOtherwise => write!(
                f,
                "{users} {} a first or last name with spaces, tabs or line ends around it, or \
                 not in Unicode NFC: it is written as it is, and import reads such a cell trimmed \
                 and in NFC — applied back to this instance these users are `exists`, but a copy \
                 on another instance gets the trimmed, normalized name",
                if n == 1 { "has" } else { "have" }
            )?,
            LossKind::NameWithBar => write!(
                f,
                "{users} have a security profile or hierarchy group whose name contains |, which \
                 the template reads as a separator: fix these rows before importing the file"
            )?,
        }
        let named: Vec<&str> = self
            .users
            .iter()
            .take(NAMED_USERS)
            .map(String::as_str)
            .collect();
        write!(f, ": {}", named.join(", "))?;
        if n > NAMED_USERS {
            write!(f, ", … and {} more", n - NAMED_USERS)?;
        }
        Ok(())
    }
}

/// The agents of an instance of identity type `from` as rows of `to`'s template.
pub fn export(agents: &[Agent], from: Identity, to: Identity) -> Export {
    let columns = template::template_columns(to);
    let mut losses: BTreeMap<LossKind, Vec<String>> = BTreeMap::new();
    // The source template's columns the target lacks are named even when
    // no agent has a value in them: the user asked for another template.
    for column in template::template_columns(from) {
        if column != Column::Password && !columns.contains(&column) {
            losses.insert(LossKind::Column(column), Vec::new());
        }
    }
    let rows = agents
        .iter()
        .map(|agent| row(agent, &columns, &mut losses))
        .collect();
    Export {
        identity: to,
        columns,
        rows,
        losses: losses
            .into_iter()
            .map(|(kind, users)| Loss {
                kind,
                template: to,
                users,
            })
            .collect(),
    }
}

/// One agent's row; what it cannot carry goes into `losses`.
fn row(
    agent: &Agent,
    columns: &[Column],
    losses: &mut BTreeMap<LossKind, Vec<String>>,
) -> Vec<String> {
    let login = agent.login();
    let mut lose = |kind: LossKind, detail: Option<String>| {
        let entry = match detail {
            Some(detail) => format!("{login} ({detail})"),
            None => login.to_string(),
        };
        let users = losses.entry(kind).or_default();
        if users.last() != Some(&entry) {
            users.push(entry);
        }
    };
    let info = &agent.user.fields.identity_info;
    let identity = [
        (Column::FirstName, &info.first_name),
        (Column::LastName, &info.last_name),
        (Column::Email, &info.email),
        (Column::SecondaryEmail, &info.secondary_email),
        (Column::Mobile, &info.mobile),
    ];
    for (column, value) in identity {
        let has_value = value.as_deref().is_some_and(|v| !v.is_empty());
        if has_value && !columns.contains(&column) {
            lose(LossKind::Column(column), None);
        }
    }
    let read_otherwise =
        |name: &Option<String>| name.as_deref().is_some_and(|n| validate::as_read(n) != n);
    if (columns.contains(&Column::FirstName) && read_otherwise(&info.first_name))
        || (columns.contains(&Column::LastName) && read_otherwise(&info.last_name))
    {
        lose(LossKind::NameReadOtherwise, None);
    }
    let settings = &agent.settings;
    let desk = agent.phone_type() == PhoneType::DeskPhone;
    let voice_acw = settings
        .after_contact_work
        .get(&Channel::Voice)
        .copied()
        .unwrap_or(0);
    if settings
        .after_contact_work
        .values()
        .any(|&seconds| seconds != voice_acw)
    {
        lose(
            LossKind::AcwByChannel,
            Some(settings.acw_text(Channel::ALL)),
        );
    }
    if desk
        && (agent.persistent_connection()
            || agent.voice_enhancement() != VoiceEnhancementMode::None)
    {
        lose(LossKind::DeskPhoneSoftphoneSettings, None);
    }
    if agent
        .security_profiles
        .iter()
        .chain(&agent.hierarchy)
        .any(|name| name.contains('|'))
    {
        lose(LossKind::NameWithBar, None);
    }
    let (tags, left_out) = tags_cell(&agent.user.fields.tags);
    if !left_out.is_empty() {
        lose(LossKind::Tags, Some(left_out.join(", ")));
    }

    columns
        .iter()
        .map(|&column| match column {
            Column::FirstName => text(&info.first_name),
            Column::LastName => text(&info.last_name),
            Column::Email => text(&info.email),
            Column::SecondaryEmail => text(&info.secondary_email),
            Column::Mobile => text(&info.mobile),
            Column::Login => login.to_string(),
            Column::Password => String::new(),
            Column::RoutingProfile => agent.routing_profile.clone(),
            Column::SecurityProfiles => agent.security_profiles.join("|"),
            Column::Hierarchy => agent.hierarchy.join("|"),
            Column::PhoneType => agent.phone_type().template_name().to_string(),
            Column::PhoneNumber if desk => text(&settings.desk_phone_number),
            Column::PhoneNumber => String::new(),
            Column::AutoAccept => yes_no(settings.voice_auto_accept.unwrap_or(false)),
            Column::AcwTimeout => voice_acw.to_string(),
            Column::PersistentConnection => yes_no(agent.persistent_connection() && !desk),
            Column::AudioEnhancement if desk => {
                VoiceEnhancementMode::None.template_name().to_string()
            }
            Column::AudioEnhancement => agent.voice_enhancement().template_name().to_string(),
            Column::Tags => tags.clone(),
        })
        .collect()
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

/// The `tags` cell (`key|value||key|value`, by key) and the keys left out.
fn tags_cell(tags: &BTreeMap<String, String>) -> (String, Vec<String>) {
    let mut pairs = Vec::new();
    let mut left_out = Vec::new();
    for (key, value) in tags {
        // `||` separates pairs, so an empty value (`key|`) before another
        // pair would run into the separator.
        if !super::wanted::template_holds(key, value) {
            left_out.push(key.clone());
        } else {
            pairs.push(format!("{key}|{value}"));
        }
    }
    (pairs.join("||"), left_out)
}

impl Export {
    /// The file: the template's header as `template fetch` writes it (with
    /// a byte-order mark), then one CRLF-terminated row per agent, quoted
    /// only where CSV needs it.
    pub fn to_bytes(&self) -> anyhow::Result<Vec<u8>> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(template::template_bytes(self.identity, true));
        for row in &self.rows {
            writer.write_record(row)?;
        }
        writer
            .into_inner()
            .map_err(|err| anyhow::anyhow!("cannot write the rows: {}", err.error()))
    }
}

impl Export {
    /// A finding of [`check`] with the row's login: the validator masks the
    /// values of a row whose password cell is empty, but an export holds no
    /// password, so its login may be shown.
    pub fn describe(&self, finding: &Finding) -> String {
        let login = self.columns.iter().position(|c| *c == Column::Login);
        let row = finding.line.and_then(|line| self.row_at(line));
        let place = match (finding.line, row.zip(login)) {
            (Some(line), Some((row, login))) => format!("line {line} ({}): ", row[login]),
            (Some(line), None) => format!("line {line}: "),
            (None, _) => String::new(),
        };
        match &finding.column {
            Some(column) => format!("{place}{column}: {}", finding.message),
            None => format!("{place}{}", finding.message),
        }
    }

    /// The row starting on physical line `line` of the file (header = 1;
    /// a cell with a line break spans several lines).
    fn row_at(&self, line: u64) -> Option<&Vec<String>> {
        let mut start = 2;
        for row in &self.rows {
            if start == line {
                return Some(row);
            }
            let breaks: usize = row.iter().map(|cell| cell.matches('\n').count()).sum();
            start += 1 + breaks as u64;
        }
        None
    }
}

/// `agents export -o PATH` as an output: private (names, e-mail addresses
/// and phone numbers), kept unless `--force` when it exists.
pub fn output(path: &str, force: bool) -> crate::output_file::Output {
    crate::output_file::Output {
        flag: "-o",
        path: path.into(),
        private: true,
        existing: crate::output_file::Existing::unless_forced(force, "it may be a backup"),
    }
}

/// The file as `import validate --identity TYPE --generate-passwords` reads
/// it: what the command warns about before anyone tries to import it.
pub fn check(name: &str, bytes: &[u8], identity: Identity) -> Validation {
    let options = ValidateOptions {
        identity,
        identity_from: IdentityFrom::Flag,
        empty_password: EmptyPassword::Generated,
        ..ValidateOptions::default()
    };
    validate::validate_bytes(name, bytes, &options)
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
