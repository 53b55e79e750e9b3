//! The service model's shapes for the operations `local serve` implements
//! (`tests/model/connect-subset.json`, regenerated from botocore by
//! `tests/model/reduce.py`), and a check of an answer against them: the
//! output shape for a success (required members, types, enums, lengths and
//! counts, no unknown members), the operation's declared errors for a
//! failure. [`super::local_server::LocalServer`] runs it over every answer
//! its server recorded, so the server cannot drift from the real API
//! unnoticed.

use serde_json::{Map, Value};

const SUBSET: &str = include_str!("../../model/connect-subset.json");

/// Errors any operation may answer besides its declared ones: the signing,
/// routing and protocol errors of the AWS front end.
const COMMON_ERRORS: [&str; 9] = [
    "AccessDeniedException",
    "ThrottlingException",
    "UnknownOperationException",
    "SerializationException",
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "InternalServiceException",
];

pub struct Model {
    model: Value,
}

impl Model {
    pub fn load() -> Model {
        Model {
            model: serde_json::from_str(SUBSET).expect("tests/model/connect-subset.json parses"),
        }
    }

    fn shape(&self, name: &str) -> &Value {
        &self.model["shapes"][name]
    }

    /// The problems of one `--record` line (empty when it conforms).
    pub fn check_recorded(&self, line: &Value) -> Vec<String> {
        let operation = line["operation"].as_str().unwrap_or_default();
        let status = line["status"].as_u64().unwrap_or_default();
        let body = &line["body"];
        let error_type = line["error_type"].as_str();
        let mut problems = Vec::new();
        if operation == "UnknownOperation" {
            if error_type != Some("UnknownOperationException") {
                problems.push(format!(
                    "an unknown operation answered {status} {error_type:?}, not UnknownOperationException"
                ));
            }
            return problems;
        }
        let Some(op) = self.model["operations"].get(operation) else {
            return vec![format!("{operation} is not in the model subset")];
        };
        if (200..300).contains(&status) {
            match op["output"].as_str() {
                Some(output) => self.check(output, body, operation, &mut problems),
                None => {
                    if !(body.is_null() || body == &Value::Object(Map::new())) {
                        problems.push(format!("{operation} has no output, but answered {body}"));
                    }
                }
            }
        } else {
            self.check_error(op, operation, status, error_type, body, &mut problems);
        }
        problems
    }

    /// The problems of an answer to `operation` with this body.
    pub fn check_output(&self, operation: &str, body: &Value) -> Vec<String> {
        self.check_recorded(&serde_json::json!({
            "operation": operation, "status": 200, "error_type": null, "body": body,
        }))
    }

    fn check_error(
        &self,
        op: &Value,
        operation: &str,
        status: u64,
        error_type: Option<&str>,
        body: &Value,
        problems: &mut Vec<String>,
    ) {
        let Some(error_type) = error_type else {
            problems.push(format!(
                "{operation} answered {status} without an error type"
            ));
            return;
        };
        let declared = op["errors"]
            .as_array()
            .is_some_and(|errors| errors.iter().any(|e| e == error_type));
        if !declared && !COMMON_ERRORS.contains(&error_type) {
            problems.push(format!(
                "{operation} answered {error_type}, which the model does not declare for it"
            ));
        }
        if let Some(code) = self.shape(error_type)["error"]["httpStatusCode"].as_u64() {
            if code != status {
                problems.push(format!(
                    "{operation}: {error_type} is HTTP {code} in the model, answered {status}"
                ));
            }
        }
        match body.as_object() {
            Some(members) => {
                for (key, value) in members {
                    if !matches!(key.as_str(), "message" | "Message") || !value.is_string() {
                        problems.push(format!(
                            "{operation}: {error_type} body has member {key}: {value}"
                        ));
                    }
                }
            }
            None => problems.push(format!("{operation}: {error_type} body is not an object")),
        }
    }

    /// Checks `value` against shape `name`; `path` names the place for messages.
    pub fn check(&self, name: &str, value: &Value, path: &str, problems: &mut Vec<String>) {
        let shape = self.shape(name);
        let kind = shape["type"].as_str().unwrap_or_default();
        let mut wrong = |what: &str| problems.push(format!("{path}: {what} (shape {name})"));
        match kind {
            "structure" => {
                let Some(object) = value.as_object() else {
                    return wrong(&format!("expected an object, got {value}"));
                };
                for required in shape["required"].as_array().into_iter().flatten() {
                    let required = required.as_str().unwrap_or_default();
                    if object.get(required).is_none_or(Value::is_null) {
                        wrong(&format!("required member {required} is missing"));
                    }
                }
                let members = &shape["members"];
                if shape["union"] == true && object.len() != 1 {
                    wrong("a union must set exactly one member");
                }
                for (key, member_value) in object {
                    let member = &members[key];
                    let in_body = member.is_object() && member.get("location").is_none();
                    if !in_body {
                        problems.push(format!("{path}: unknown member {key} (shape {name})"));
                        continue;
                    }
                    let target = member["shape"].as_str().unwrap_or_default();
                    self.check(target, member_value, &format!("{path}.{key}"), problems);
                }
            }
            "list" => {
                let Some(items) = value.as_array() else {
                    return wrong(&format!("expected a list, got {value}"));
                };
                check_count(shape, items.len(), &mut wrong);
                let member = shape["member"]["shape"].as_str().unwrap_or_default();
                for (i, item) in items.iter().enumerate() {
                    self.check(member, item, &format!("{path}[{i}]"), problems);
                }
            }
            "map" => {
                let Some(entries) = value.as_object() else {
                    return wrong(&format!("expected a map, got {value}"));
                };
                check_count(shape, entries.len(), &mut wrong);
                let key_shape = shape["key"]["shape"].as_str().unwrap_or_default();
                let value_shape = shape["value"]["shape"].as_str().unwrap_or_default();
                for (key, item) in entries {
                    let at = format!("{path}[{key:?}]");
                    self.check(key_shape, &Value::String(key.clone()), &at, problems);
                    self.check(value_shape, item, &at, problems);
                }
            }
            "string" => {
                let Some(text) = value.as_str() else {
                    return wrong(&format!("expected a string, got {value}"));
                };
                if let Some(values) = shape["enum"].as_array() {
                    if !values.iter().any(|v| v == text) {
                        wrong(&format!(
                            "{text:?} is not one of {}",
                            Value::Array(values.clone())
                        ));
                    }
                }
                check_count(shape, text.chars().count(), &mut wrong);
            }
            "integer" | "long" => match value.as_i64() {
                Some(n) => {
                    if shape["min"].as_i64().is_some_and(|min| n < min)
                        || shape["max"].as_i64().is_some_and(|max| n > max)
                    {
                        wrong(&format!(
                            "{n} is outside {}..{}",
                            shape["min"], shape["max"]
                        ));
                    }
                    if kind == "integer" && i32::try_from(n).is_err() {
                        wrong(&format!("{n} does not fit a 32-bit integer"));
                    }
                }
                None => wrong(&format!("expected an integer, got {value}")),
            },
            "boolean" => {
                if !value.is_boolean() {
                    wrong(&format!("expected a boolean, got {value}"));
                }
            }
            "timestamp" | "double" | "float" => {
                if !value.is_number() {
                    wrong(&format!("expected a number, got {value}"));
                }
            }
            other => wrong(&format!("shape type {other:?} is not checked")),
        }
    }
}

/// A list's or map's entry count, or a string's length, within min..max.
fn check_count(shape: &Value, count: usize, wrong: &mut impl FnMut(&str)) {
    let count = count as u64;
    if let Some(min) = shape["min"].as_u64().filter(|min| count < *min) {
        wrong(&format!("holds {count}, fewer than {min}"));
    }
    if let Some(max) = shape["max"].as_u64().filter(|max| count > *max) {
        wrong(&format!("holds {count}, more than {max}"));
    }
}
