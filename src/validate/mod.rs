//! Offline validation of a filled template: every field rule of the
//! identity type, cross-field rules and duplicates, all findings in one run.
//!
//! [`validate_bytes`] is the pure core; [`validate_file`] adds reading a
//! path or stdin. The work is one pass over the decoded text with a reused
//! record; per-user data is only built for users the caller keeps (see
//! [`Retain`]), so a million-row file stays within a few times its size.

mod cells;
mod decoding;
pub use cells::Cells;
mod duplicates;
mod engine;
mod fields;
mod header;
mod lists;
pub mod mask;
mod other_template;
mod row;
mod settings_cells;
mod spec;
pub use settings_cells::{
    parse_audio_enhancement, AUDIO_ENHANCEMENT_MODES, AUDIO_ENHANCEMENT_VALUES,
};
mod text;

use encoding_rs::Encoding;

/// A text cell (a name) as the validator reads it: without surrounding
/// whitespace, in Unicode NFC. What a user on the instance is compared
/// under, so that a name stored otherwise (through the API or the console)
/// still matches the cell an export wrote for it.
pub fn as_read(text: &str) -> std::borrow::Cow<'_, str> {
    text::to_nfc(text::trim(text))
}

use crate::finding::{Finding, Severity};
use crate::identity::Identity;
use crate::user::{Action, UserSpec};

/// At most this many findings are listed; the rest are counted (so error
/// and warning counts stay exact) but not kept, to bound memory.
pub const MAX_LISTED_FINDINGS: usize = 10_000;

/// Files with more users than this are long: the review shows their rows
/// with findings and elides the rest unless `--all`.
pub const LONG_FILE_USERS: usize = 50;

/// In [`Retain::Review`], at most this many users with findings are kept.
pub const REVIEW_FLAGGED_LIMIT: usize = 1_000;

/// Which users [`Validation::users`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Retain {
    /// Every user (what `import apply` and JSON output need).
    #[default]
    All,
    /// What the review table shows: every user of a short file, and the
    /// users with findings (up to [`REVIEW_FLAGGED_LIMIT`]) of a long one.
    Review,
}

/// Where the identity type a file is checked for comes from: decides what
/// a file filled in from another identity's template is told to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdentityFrom {
    /// Nothing named it: connect-managed, the default.
    #[default]
    Default,
    /// `--identity`.
    Flag,
    /// The configured instance (DescribeInstance).
    Instance,
}

/// How to read and validate a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidateOptions {
    /// The instance's identity management type: decides columns and rules.
    pub identity: Identity,
    /// Where `identity` comes from.
    pub identity_from: IdentityFrom,
    /// `--encoding`: skip detection and decode with this encoding.
    pub encoding: Option<&'static Encoding>,
    pub retain: Retain,
    /// What an empty password cell of a connect-managed row means.
    pub empty_password: EmptyPassword,
    /// Whether the file's users are to be created or changed.
    pub purpose: Purpose,
}

/// What a file is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    /// Users to create (`import`): the template's required columns, and
    /// the password checked.
    #[default]
    Create,
    /// Existing users to change to what the file says (`agents edit`):
    /// only `user login` is required (a column the file lacks is left as
    /// the user has it), and the password column is not used — none of
    /// its cells is checked or sent.
    Edit,
}

impl Default for ValidateOptions {
    fn default() -> ValidateOptions {
        ValidateOptions {
            identity: Identity::ConnectManaged,
            identity_from: IdentityFrom::Default,
            encoding: None,
            retain: Retain::All,
            empty_password: EmptyPassword::Refused,
            purpose: Purpose::Create,
        }
    }
}

/// What an empty password cell of a connect-managed row means. The other
/// password rules (length, spaces, character classes) hold for a filled
/// cell either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmptyPassword {
    /// An error: the user cannot be created without a password.
    #[default]
    Refused,
    /// `--generate-passwords`: accepted, `import apply` generates one.
    Generated,
    /// The password column is not used at all ([`Purpose::Edit`]): no
    /// cell of it, empty or not, is checked.
    NotUsed,
}

impl EmptyPassword {
    /// `Generated` when `--generate-passwords` is given.
    pub fn generated_if(generate: bool) -> EmptyPassword {
        if generate {
            EmptyPassword::Generated
        } else {
            EmptyPassword::Refused
        }
    }
}

impl ValidateOptions {
    pub fn new(identity: Identity) -> ValidateOptions {
        ValidateOptions {
            identity,
            ..ValidateOptions::default()
        }
    }
}

/// The outcome of validating one file.
#[derive(Debug, Clone)]
pub struct Validation {
    /// The file name as the user gave it (`<stdin>` for `-`).
    pub source: String,
    pub identity: Identity,
    /// The encoding the file was read in (`UTF-8`, `UTF-16LE`, `Shift_JIS`, …).
    pub encoding: &'static str,
    /// The file's header cells as written.
    pub header: Vec<String>,
    /// Data rows read (trailing all-empty rows not counted).
    pub rows: usize,
    /// Distinct users in the file, whether kept in `users` or not.
    pub user_count: usize,
    /// One per distinct user in file order (identical duplicates collapsed);
    /// with [`Retain::Review`] only the users the review shows.
    pub users: Vec<UserEntry>,
    /// Listed findings, sorted by line (then column order within a row).
    pub findings: Vec<Finding>,
    /// Findings beyond [`MAX_LISTED_FINDINGS`], counted but not listed.
    pub unlisted_errors: usize,
    pub unlisted_warnings: usize,
    /// What an empty password cell means for this file.
    pub empty_password: EmptyPassword,
    /// Checked against an instance (names, existing logins); else offline,
    /// where only the file itself was checked.
    pub against_instance: bool,
    /// Where the header's password column is: found once, used to mask
    /// every row shown.
    pub(crate) password_at: Option<usize>,
    /// Where each column is: what a kept row's user is built with.
    pub(crate) layout: Option<header::Layout>,
}

/// One distinct user of the file.
#[derive(Clone, PartialEq, Eq)]
pub struct UserEntry {
    /// Physical line of the row (header = line 1).
    pub line: u64,
    /// Lines of identical duplicates collapsed into this user.
    pub duplicate_lines: Vec<u64>,
    /// The row's decoded cells in the file's column order, exactly as in the
    /// file (password included: only for writing rows back in template format).
    pub record: Cells,
    /// Whether the row's cells sit under their headers with the password
    /// where the header says: decides what output may show of the row.
    pub shape: RowShape,
    /// The row makes a valid user (no errors): [`Validation::spec`] gives
    /// it. The user is built from the row's cells when asked for, so a
    /// kept row is held once, as its cells.
    pub valid: bool,
    /// What the online plan will do; `None` offline.
    pub action: Option<Action>,
}

/// The record holds the password as written: Debug shows only its size.
impl std::fmt::Debug for UserEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserEntry")
            .field("line", &self.line)
            .field("duplicate_lines", &self.duplicate_lines)
            .field("record", &self.record)
            .field("shape", &self.shape)
            .field("valid", &self.valid)
            .field("action", &self.action)
            .finish()
    }
}

/// Whether a row's cells can be shown, and how its password is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowShape {
    /// The cells line up with the header, and the password cell holds a
    /// valid password (or, off connect-managed, nothing).
    #[default]
    Aligned,
    /// The width is right, but the password cell holds no valid password.
    /// A row with a comma too many and a cell too few looks just like this,
    /// with the password in another cell: the cells are not shown, and
    /// every text of the row is masked in its findings.
    PasswordInDoubt,
    /// The width differs from the header's (an unquoted comma, a missing
    /// cell), or a quote in the row closes only in a later row or never: the
    /// row gets one finding and shows nothing else.
    Misaligned,
}

impl RowShape {
    /// Whether output may show the row's cells (its password masked).
    pub fn cells_shown(self) -> bool {
        self == RowShape::Aligned
    }
}

/// A user's status in the review, derived from the findings on its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Warning,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
        }
    }
}

impl Validation {
    pub(crate) fn new(source: &str, identity: Identity) -> Validation {
        Validation {
            source: source.to_owned(),
            identity,
            encoding: "UTF-8",
            header: Vec::new(),
            rows: 0,
            user_count: 0,
            users: Vec::new(),
            findings: Vec::new(),
            unlisted_errors: 0,
            unlisted_warnings: 0,
            empty_password: EmptyPassword::Refused,
            against_instance: false,
            password_at: None,
            layout: None,
        }
    }

    pub fn error_count(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count() + self.unlisted_errors
    }

    pub fn warning_count(&self) -> usize {
        self.findings.iter().filter(|f| !f.is_error()).count() + self.unlisted_warnings
    }

    pub fn has_errors(&self) -> bool {
        self.unlisted_errors > 0 || self.findings.iter().any(Finding::is_error)
    }

    /// Adds a finding (e.g. from the online plan), keeping the list sorted by
    /// line: it goes after the findings already on its line. The row's
    /// password is masked in it wherever it shows (see [`mask`]).
    pub fn push(&mut self, mut finding: Finding) {
        if let Some(user) = finding.line.and_then(|line| self.user_at(line)) {
            self.row_mask(user).apply_to_finding(&mut finding);
        }
        if self.findings.len() >= MAX_LISTED_FINDINGS {
            match finding.severity {
                Severity::Error => self.unlisted_errors += 1,
                Severity::Warning => self.unlisted_warnings += 1,
            }
            return;
        }
        let at = self.findings.partition_point(|f| f.line <= finding.line);
        self.findings.insert(at, finding);
    }

    /// The validated user of a kept row; `None` when the row has errors.
    pub fn spec(&self, entry: &UserEntry) -> Option<UserSpec> {
        let layout = self.layout.as_ref().filter(|_| entry.valid)?;
        Some(spec::build_spec(
            layout,
            &entry.record,
            entry.line,
            self.identity,
        ))
    }

    /// Whether the file's header has this column.
    pub fn has_column(&self, column: crate::template::Column) -> bool {
        self.layout
            .as_ref()
            .is_some_and(|layout| layout.has(column))
    }

    /// The kept user whose row starts on `line`.
    pub fn user_at(&self, line: u64) -> Option<&UserEntry> {
        let at = self.users.partition_point(|u| u.line < line);
        self.users.get(at).filter(|u| u.line == line)
    }

    /// What to mask in anything shown of a user's row (see [`mask::RowMask`]).
    pub fn row_mask<'u>(&self, user: &'u UserEntry) -> mask::RowMask<'u> {
        mask::RowMask::new(user.record.iter(), self.password_at, user.shape)
    }

    /// The user's status: the worst finding on its line or on the lines of
    /// its collapsed duplicates; an error when it has no valid spec.
    pub fn status(&self, user: &UserEntry) -> Status {
        let mut status = if !user.valid {
            Status::Error
        } else {
            Status::Ok
        };
        for line in std::iter::once(user.line).chain(user.duplicate_lines.iter().copied()) {
            status = status.max(self.status_of_line(line));
        }
        status
    }

    fn status_of_line(&self, line: u64) -> Status {
        let start = self.findings.partition_point(|f| f.line < Some(line));
        let mut status = Status::Ok;
        for finding in self.findings[start..]
            .iter()
            .take_while(|f| f.line == Some(line))
        {
            status = status.max(match finding.severity {
                Severity::Error => Status::Error,
                Severity::Warning => Status::Warning,
            });
        }
        status
    }
}

/// Reads `path` (`-` for stdin), decodes and validates it. Problems the user
/// must fix in the file are findings; only an unreadable path is an `Err`.
pub fn validate_file(path: &str, opts: &ValidateOptions) -> anyhow::Result<Validation> {
    let (source, bytes) = crate::input::read_source(path)?;
    Ok(validate_bytes(&source, &bytes, opts))
}

/// Decodes and validates a file's bytes: the pure core.
pub fn validate_bytes(source_name: &str, bytes: &[u8], opts: &ValidateOptions) -> Validation {
    engine::run(source_name, bytes, opts)
}
