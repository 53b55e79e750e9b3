//! `--format json`: one object, versioned by `schema_version`, with every
//! user's normalised fields (never a password: only `password_set`), every
//! listed finding and the summary. The schema is documented in the README;
//! a change that breaks readers bumps [`SCHEMA_VERSION`].

use serde_json::{json, Map, Value};

use crate::template::Column;
use crate::user::UserSpec;
use crate::validate::{UserEntry, Validation};

/// The version of the JSON document's shape.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole document.
pub fn to_value(v: &Validation) -> Value {
    let login_at = v.header.iter().position(|h| Column::from_header(h) == Some(Column::Login));
    json!({
        "schema_version": SCHEMA_VERSION,
        "source": v.source,
        "identity": v.identity.api_name(),
        "encoding": v.encoding,
        "header": v.header,
        "summary": {
            "rows": v.rows,
            "users": v.user_count,
            "warnings": v.warning_count(),
            "errors": v.error_count(),
            "valid": !v.has_errors(),
            "findings_not_listed": v.unlisted_errors + v.unlisted_warnings,
        },
        "users": v.users.iter().map(|u| user(v, u, login_at)).collect::<Vec<_>>(),
        "findings": v.findings,
    })
}

fn user(v: &Validation, entry: &UserEntry, login_at: Option<usize>) -> Value {
    let login = match &entry.spec {
        Some(spec) => spec.login.as_str(),
        None => login_at.and_then(|at| entry.record.get(at)).map_or("", |s| s.trim()),
    };
    let mut object = Map::new();
    object.insert("line".into(), json!(entry.line));
    object.insert("duplicate_lines".into(), json!(entry.duplicate_lines));
    object.insert("status".into(), json!(v.status(entry).as_str()));
    object.insert("login".into(), json!(login));
    if let Some(action) = entry.action {
        object.insert("action".into(), json!(action.as_str()));
    }
    object.insert("fields".into(), entry.spec.as_ref().map_or(Value::Null, fields));
    Value::Object(object)
}

fn fields(spec: &UserSpec) -> Value {
    json!({
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "email": spec.email,
        "secondary_email": spec.secondary_email,
        "mobile": spec.mobile,
        "password_set": spec.password.is_some(),
        "routing_profile": spec.routing_profile,
        "security_profiles": spec.security_profiles,
        "hierarchy": spec.hierarchy,
        "phone_type": spec.phone_type.api_name(),
        "phone_number": spec.phone_number,
        "auto_accept": spec.auto_accept,
        "acw_timeout": spec.acw_timeout,
        "persistent_connection": spec.persistent_connection,
        "tags": spec.tags,
    })
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
        let mut v = validate_bytes("f.csv", FILE.as_bytes(), &ValidateOptions::new(Identity::ConnectManaged));
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
}
