//! `--format json`: one object, versioned by `schema_version`, with every
//! user's normalised fields (never a password: only `password_set`), every
//! listed finding and the summary. The schema is documented in the README;
//! a change that breaks readers bumps [`SCHEMA_VERSION`].

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::finding::Finding;
use crate::template::Column;
use crate::user::UserSpec;
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
    /// As written in the file, also for a row with errors.
    login: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
    /// The normalised user; `null` when the row has errors.
    fields: Option<Fields<'a>>,
}

impl<'a> User<'a> {
    fn new(v: &'a Validation, entry: &'a UserEntry, login_at: Option<usize>) -> User<'a> {
        let login = match &entry.spec {
            Some(spec) => spec.login.as_str(),
            None => login_at
                .and_then(|at| entry.record.get(at))
                .map_or("", |s| s.trim()),
        };
        User {
            line: entry.line,
            duplicate_lines: &entry.duplicate_lines,
            status: v.status(entry).as_str(),
            login,
            action: entry.action.map(|a| a.as_str()),
            fields: entry.spec.as_ref().map(Fields::new),
        }
    }
}

/// A user's normalised fields: never the password, only whether it is set.
#[derive(Serialize)]
struct Fields<'a> {
    first_name: &'a Option<String>,
    last_name: &'a Option<String>,
    email: &'a Option<String>,
    secondary_email: &'a Option<String>,
    mobile: &'a Option<String>,
    password_set: bool,
    routing_profile: &'a str,
    security_profiles: &'a [String],
    hierarchy: &'a [String],
    phone_type: &'static str,
    phone_number: &'a Option<String>,
    auto_accept: bool,
    acw_timeout: u32,
    persistent_connection: bool,
    tags: &'a std::collections::BTreeMap<String, String>,
}

impl<'a> Fields<'a> {
    fn new(spec: &'a UserSpec) -> Fields<'a> {
        Fields {
            first_name: &spec.first_name,
            last_name: &spec.last_name,
            email: &spec.email,
            secondary_email: &spec.secondary_email,
            mobile: &spec.mobile,
            password_set: spec.password.is_some(),
            routing_profile: &spec.routing_profile,
            security_profiles: &spec.security_profiles,
            hierarchy: &spec.hierarchy,
            phone_type: spec.phone_type.api_name(),
            phone_number: &spec.phone_number,
            auto_accept: spec.auto_accept.unwrap_or(false),
            acw_timeout: spec.acw_timeout.unwrap_or(0),
            persistent_connection: spec.persistent_connection.unwrap_or(false),
            tags: &spec.tags,
        }
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
}
