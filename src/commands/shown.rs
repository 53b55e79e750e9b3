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
/// when stdout is one; unlimited when piped (so files and tests get whole
/// rows), and when neither gives a [`usable_width`].
pub fn terminal_width() -> Option<u16> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok());
    usable_width(columns).or_else(|| {
        let terminal = std::io::stdout().is_terminal();
        usable_width(
            terminal
                .then(|| comfy_table::Table::new().width())
                .flatten(),
        )
    })
}

/// Narrower than this, a width is a wrong report (`COLUMNS=0`, or a
/// pseudo-terminal of some CI runners with 0 columns), not a terminal to
/// fit: fitted to it, every cell would be one letter per line.
const NARROWEST: u16 = 20;

/// A reported width, unless too narrow to be believed.
fn usable_width(width: Option<u16>) -> Option<u16> {
    width.filter(|&w| w >= NARROWEST)
}

#[cfg(test)]
mod tests {
    use super::usable_width;

    #[test]
    fn a_width_of_zero_or_nearly_is_unknown() {
        assert_eq!(usable_width(Some(0)), None);
        assert_eq!(usable_width(Some(5)), None);
        assert_eq!(usable_width(Some(20)), Some(20));
        assert_eq!(usable_width(Some(80)), Some(80));
        assert_eq!(usable_width(None), None);
    }
}
