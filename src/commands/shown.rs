//! What several commands print the same way: a validation in the chosen
//! format (`import validate`, and `import apply` before it writes), its
//! verdict, and the width tables are fitted to.

use std::io::{BufWriter, IsTerminal, Write};

use crate::exit::Exit;
use crate::output::{self, review::ReviewOptions, Format};
use crate::validate::Validation;

/// Writes a validation in a format to stdout and returns the exit code:
/// 1 when it has errors (or warnings with `strict`), else 0. `import apply`
/// reuses it to show its plan.
pub fn emit(v: &Validation, format: Format, strict: bool, all: bool) -> anyhow::Result<Exit> {
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    let written = match format {
        Format::Table => stdout.write_all(
            output::review::render(
                v,
                &ReviewOptions {
                    all,
                    width: terminal_width(),
                },
            )
            .as_bytes(),
        ),
        Format::Json => output::json::write(v, &mut stdout)
            .map_err(std::io::Error::from)
            .and_then(|()| stdout.write_all(b"\n")),
        Format::Github => stdout.write_all(output::github::render(v).as_bytes()),
    };
    match written.and_then(|()| stdout.flush()) {
        // A closed pipe (`| head`) is not an error; the verdict still stands.
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => return Err(err.into()),
        _ => {}
    }
    Ok(exit_code(v, strict))
}

/// 1 when the file has errors, or warnings under `--strict`; else 0.
pub fn exit_code(v: &Validation, strict: bool) -> Exit {
    if v.has_errors() || (strict && v.warning_count() > 0) {
        Exit::Invalid
    } else {
        Exit::Success
    }
}

/// The width to fit the table to: `COLUMNS` when set, else the terminal's
/// when stdout is one; unlimited when piped (so files and tests get whole rows).
pub fn terminal_width() -> Option<u16> {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(columns);
    }
    if std::io::stdout().is_terminal() {
        return comfy_table::Table::new().width();
    }
    None
}
