//! A finding: one problem the validator (or the online plan) found in a file.
//!
//! Every finding names the line, the column by its header text, the value and
//! what would be accepted, so a user can fix the file without guessing. The
//! value is shortened for display and never holds a password (`***`).

use std::fmt;

/// How bad a finding is. Errors make the file invalid; warnings do not
/// (unless `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a finding shows in place of a password.
pub const MASKED: &str = "***";

/// Values longer than this many characters are shortened in findings, so a
/// 50 MB cell cannot flood the output or the memory.
const VALUE_DISPLAY_CHARS: usize = 60;

/// One problem in the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Physical line in the file (header = 1); `None` for the file as a whole.
    pub line: Option<u64>,
    /// The column's header text as written in the file.
    pub column: Option<String>,
    /// The offending value, shortened; `***` for a password.
    pub value: Option<String>,
    /// Stable rule id, e.g. `login-too-long`.
    pub code: String,
    /// What is wrong and what would be accepted.
    pub message: String,
}

impl Finding {
    pub fn new(
        severity: Severity,
        line: Option<u64>,
        column: Option<&str>,
        value: Option<&str>,
        code: &str,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            severity,
            line,
            column: column.map(str::to_owned),
            value: value.map(display_value),
            code: code.to_owned(),
            message: message.into(),
        }
    }

    pub fn error(
        line: Option<u64>,
        column: Option<&str>,
        value: Option<&str>,
        code: &str,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(Severity::Error, line, column, value, code, message)
    }

    pub fn warning(
        line: Option<u64>,
        column: Option<&str>,
        value: Option<&str>,
        code: &str,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(Severity::Warning, line, column, value, code, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The finding without its location: `user login "x": is too long …`.
    pub fn describe(&self) -> String {
        match (&self.column, &self.value) {
            (Some(column), Some(value)) => format!("{column} {value:?}: {}", self.message),
            (Some(column), None) => format!("{column}: {}", self.message),
            (None, Some(value)) => format!("{value:?}: {}", self.message),
            (None, None) => self.message.clone(),
        }
    }
}

/// Shortens a value for display; the full text stays in the file.
pub fn display_value(value: &str) -> String {
    match value.char_indices().nth(VALUE_DISPLAY_CHARS) {
        None => value.to_owned(),
        Some((cut, _)) => {
            let total = value.chars().count();
            format!("{}… ({total} characters)", &value[..cut])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_shortened() {
        let long = "x".repeat(1000);
        let shown = display_value(&long);
        assert!(shown.starts_with(&"x".repeat(60)));
        assert!(shown.ends_with("… (1000 characters)"));
        assert_eq!(display_value("Sakura"), "Sakura");
        assert_eq!(display_value(&"あ".repeat(60)), "あ".repeat(60));
    }

    #[test]
    fn describe_names_column_and_value() {
        let f = Finding::error(
            Some(3),
            Some("user login"),
            Some("a b"),
            "login-invalid-character",
            "has a space",
        );
        assert_eq!(f.describe(), "user login \"a b\": has a space");
        let f = Finding::warning(Some(1), None, None, "x", "whole file");
        assert_eq!(f.describe(), "whole file");
    }
}
