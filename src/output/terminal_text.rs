//! Text read from the instance or a file, made safe to show on a terminal.
//!
//! A user's name can hold any character the service stores — `ESC [2J`
//! clears the screen, `ESC ]0;…BEL` retitles the window, a backspace or a
//! carriage return hides what came before, a right-to-left override
//! reorders what follows. Everything meant for a terminal (tables, plans,
//! CSV written to a terminal, messages quoting a value) goes through
//! [`visible`], which shows such characters as the escapes Rust's `{:?}`
//! writes — `\t`, `\n`, `\r`, `\u{1b}` — so a value reads the same in a
//! table as in a message that quotes it. Data written to a file or a pipe
//! (a CSV export, a report, JSON) stays the data.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character changes the terminal or the text around it instead
/// of showing: the C0 and C1 controls and DEL, the line and paragraph
/// separators, and the bidirectional marks, embeddings, overrides and isolates.
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every character that would act on the terminal shown as its
/// escape; anything else as it is.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if acts(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A message of several lines: each line made [`visible`], the line breaks kept.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && acts(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.split('\n').map(visible).collect::<Vec<_>>().join("\n"))
}

/// A table cell of text from the instance or a file.
pub fn cell(text: impl AsRef<str>) -> comfy_table::Cell {
    comfy_table::Cell::new(visible(text.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_show_as_the_escapes_debug_writes() {
        for text in [
            "\u{1b}[2J",
            "\u{1b}]0;pwned\u{7}",
            "a\u{8}b",
            "tab\there",
            "cr\rlf\n",
            "\u{9b}31m",
            "\u{7f}",
            "abc\u{202e}fed",
        ] {
            let shown = visible(text);
            assert!(!shown.chars().any(acts), "{shown}");
            // The same escapes as `{:?}` (without its quotes).
            let debug = format!("{text:?}");
            assert_eq!(shown, debug[1..debug.len() - 1], "{text:?}");
        }
    }

    #[test]
    fn other_text_is_left_alone_and_borrowed() {
        for text in ["Sakura 小林", "O'Brien \"Jr.\"", "C:\\path", "émoji 🙂", ""] {
            assert!(matches!(visible(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn messages_keep_their_line_breaks() {
        assert_eq!(
            visible_lines("2 logins:\n\u{1b}[2J\nb\r"),
            "2 logins:\n\\u{1b}[2J\nb\\r"
        );
    }
}
