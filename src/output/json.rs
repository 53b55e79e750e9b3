//! `--format json`: one object, versioned by `schema_version`, with every
//! user's normalised fields (never a password: only `password_set`), every
//! listed finding and the summary. A row whose cells do not line up with
//! the header has no login (`null`) and no fields; a row's password is
//! masked wherever it would show. The schema is documented in
//! src/guide/json.md (`connect-users guide json`);
//! a change that breaks readers bumps [`SCHEMA_VERSION`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::finding::Finding;
use crate::template::Column;
use crate::user::UserSpec;
use crate::validate::mask::RowMask;
use crate::validate::{UserEntry, Validation};

/// The version of the JSON document's shape.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole document as a value (keys sorted).
pub fn to_value(v: &Validation) -> Value {
    // Every map in the document has string keys, so this cannot fail.
    serde_json::to_value(Document::new(v)).unwrap_or(Value::Null)
}

/// Writes the document, pretty-printed, keys in document order, without
/// building it in memory first (a large file's users are many).
pub fn write(v: &Validation, writer: impl std::io::Write) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(writer, &Document::new(v))
}

/// The document, borrowing from the validation.
#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    source: &'a str,
    identity: &'static str,
    encoding: &'static str,
    header: &'a [String],
    /// What was not checked: offline, the names and existing logins.
    not_checked: &'static [&'static str],
    summary: Summary,
    users: Users<'a>,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct Summary {
    rows: usize,
    users: usize,
    warnings: usize,
    errors: usize,
    valid: bool,
    findings_not_listed: usize,
}

impl<'a> Document<'a> {
    fn new(v: &'a Validation) -> Document<'a> {
        Document {
            schema_version: SCHEMA_VERSION,
            source: &v.source,
            identity: v.identity.api_name(),
            encoding: v.encoding,
            header: &v.header,
            not_checked: if v.against_instance {
                &[]
            } else {
                &super::NOT_CHECKED_OFFLINE
            },
            summary: Summary {
                rows: v.rows,
                users: v.user_count,
                warnings: v.warning_count(),
                errors: v.error_count(),
                valid: !v.has_errors(),
                findings_not_listed: v.unlisted_errors + v.unlisted_warnings,
            },
            users: Users(v),
            findings: &v.findings,
        }
    }
}

/// The users, each turned into its document form as it is written.
struct Users<'a>(&'a Validation);

impl Serialize for Users<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let login_at = v
            .header
            .iter()
            .position(|h| Column::from_header(h) == Some(Column::Login));
        serializer.collect_seq(v.users.iter().map(|entry| User::new(v, entry, login_at)))
    }
}

#[derive(Serialize)]
struct User<'a> {
    line: u64,
    duplicate_lines: &'a [u64],
    status: &'static str,
    /// As written in the file, also for a row with errors; `null` when the
    /// row's cells cannot be shown.
    login: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
    /// The normalised user; `null` when the row has errors.
    fields: Option<Fields<'a>>,
}

impl<'a> User<'a> {
    fn new(v: &'a Validation, entry: &'a UserEntry, login_at: Option<usize>) -> User<'a> {
        // The login as written (trimmed), which is also the valid user's.
        let login = entry.shape.cells_shown().then(|| {
            login_at
                .and_then(|at| entry.record.get(at))
                .map_or("", str::trim)
        });
        // A login cell that holds the row's password (cells shifted
        // within the row's width) shows as `***`.
        let mask = v.row_mask(entry);
        let login = login.map(|login| mask.apply(login));
        User {
            line: entry.line,
            duplicate_lines: &entry.duplicate_lines,
            status: v.status(entry).as_str(),
            login,
            action: entry.action.map(|a| a.as_str()),
            // Built from the row as it is written out, and let go.
            fields: v.spec(entry).map(|spec| Fields { spec, mask }),
        }
    }
}

/// A user's normalised fields: never the password, only whether it is
/// set; every text with the row's password masked (see [`RowMask`]).
struct Fields<'a> {
    spec: UserSpec,
    mask: RowMask<'a>,
}

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (spec, mask) = (&self.spec, &self.mask);
        let mut s = serializer.serialize_struct("Fields", 16)?;
        s.serialize_field("first_name", &Shown(&spec.first_name, mask))?;
        s.serialize_field("last_name", &Shown(&spec.last_name, mask))?;
        s.serialize_field("email", &Shown(&spec.email, mask))?;
        s.serialize_field("secondary_email", &Shown(&spec.secondary_email, mask))?;
        s.serialize_field("mobile", &Shown(&spec.mobile, mask))?;
        s.serialize_field("password_set", &spec.password.is_some())?;
        s.serialize_field(
            "routing_profile",
            &Shown(spec.routing_profile.as_str(), mask),
        )?;
        s.serialize_field(
            "security_profiles",
            &Shown(spec.security_profiles.as_slice(), mask),
        )?;
        s.serialize_field("hierarchy", &Shown(spec.hierarchy.as_slice(), mask))?;
        s.serialize_field("phone_type", spec.phone_type.api_name())?;
        s.serialize_field("phone_number", &Shown(&spec.phone_number, mask))?;
        s.serialize_field("auto_accept", &spec.auto_accept.unwrap_or(false))?;
        s.serialize_field("acw_timeout", &spec.acw_timeout.unwrap_or(0))?;
        s.serialize_field(
            "persistent_connection",
            &spec.persistent_connection.unwrap_or(false),
        )?;
        s.serialize_field(
            "audio_enhancement",
            spec.audio_enhancement
                .unwrap_or(crate::user::VoiceEnhancementMode::None)
                .api_name(),
        )?;
        s.serialize_field("tags", &Shown(&spec.tags, mask))?;
        s.end()
    }
}

/// A text of a row, written with the row's password masked.
struct Shown<'a, T: ?Sized>(&'a T, &'a RowMask<'a>);

impl Serialize for Shown<'_, str> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.1.apply(self.0))
    }
}

impl Serialize for Shown<'_, Option<String>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(text) => serializer.serialize_some(&Shown(text.as_str(), self.1)),
            None => serializer.serialize_none(),
        }
    }
}

impl Serialize for Shown<'_, [String]> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|text| Shown(text.as_str(), self.1)))
    }
}

impl Serialize for Shown<'_, BTreeMap<String, String>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.0
                .iter()
                .map(|(key, value)| (Shown(key.as_str(), self.1), Shown(value.as_str(), self.1))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;
    use crate::user::Action;
    use crate::validate::{validate_bytes, ValidateOptions};

    const FILE: &str = "first name,last name,user login,password,routing profile name,\
        security_profile_name_1|security_profile_name_2,tags\n\
        Taro,Yamada,t.yamada,Secret123x,Japan Support,Agent,team|sakura\n\
        Hanako,Sato,h sato,Secret123x,Japan Support,Agent,\n";

    #[test]
    fn document_shape() {
        let mut v = validate_bytes(
            "f.csv",
            FILE.as_bytes(),
            &ValidateOptions::new(Identity::ConnectManaged),
        );
        v.users[0].action = Some(Action::Create);
        let doc = to_value(&v);
        assert_eq!(doc["schema_version"], 1);
        assert_eq!(doc["identity"], "CONNECT_MANAGED");
        assert_eq!(doc["summary"]["users"], 2);
        assert_eq!(doc["summary"]["errors"], 1);
        assert_eq!(doc["summary"]["valid"], false);
        let first = &doc["users"][0];
        assert_eq!(first["status"], "ok");
        assert_eq!(first["action"], "create");
        assert_eq!(first["fields"]["password_set"], true);
        assert_eq!(first["fields"]["tags"]["team"], "sakura");
        assert_eq!(first["fields"]["phone_type"], "SOFT_PHONE");
        let second = &doc["users"][1];
        assert_eq!(second["login"], "h sato");
        assert_eq!(second["fields"], Value::Null);
        assert!(second.get("action").is_none());
        assert_eq!(doc["findings"][0]["code"], "login-invalid-character");
        assert_eq!(doc["findings"][0]["line"], 3);
        assert!(!doc.to_string().contains("Secret123x"));
    }

    #[test]
    fn the_written_document_keeps_its_order_and_matches_the_value() {
        let v = validate_bytes(
            "f.csv",
            FILE.as_bytes(),
            &ValidateOptions::new(Identity::ConnectManaged),
        );
        let mut written = Vec::new();
        write(&v, &mut written).unwrap();
        let text = String::from_utf8(written).unwrap();
        assert!(text.starts_with("{\n  \"schema_version\": 1,\n  \"source\": \"f.csv\","));
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, to_value(&v));
    }

    #[test]
    fn a_row_that_does_not_line_up_has_no_login_and_passwords_are_masked_where_they_land() {
        let text = "first name,last name,user login,password,routing profile name,\
            security_profile_name_1|security_profile_name_2,tags\n\
            Taro,Yamada, Jr.,t.yamada,Zq7SecretA,Japan Support,Agent,\n\
            Zq7SecretB,Sato,h.sato,Zq7SecretB,Japan Support,Agent,\n";
        let v = validate_bytes(
            "f.csv",
            text.as_bytes(),
            &ValidateOptions::new(Identity::ConnectManaged),
        );
        let doc = to_value(&v);
        let first = &doc["users"][0];
        assert_eq!(first["line"], 2);
        assert_eq!(first["login"], Value::Null);
        assert_eq!(first["fields"], Value::Null);
        assert_eq!(doc["users"][1]["fields"]["first_name"], "***");
        assert_eq!(doc["users"][1]["login"], "h.sato");
        let written = doc.to_string();
        assert!(!written.contains("Zq7Secret"), "{written}");
        assert!(!written.contains("t.yamada"), "{written}");
    }
}
