//! The CSV files: the action log and the tracker as tables that open cleanly in Excel, and the
//! import that reads such a table back (as exported, or after a person edited it in Excel).
//!
//! Written: UTF-8 with a byte-order mark (so Excel reads Siân and Zoë right), CRLF line ends,
//! RFC 4180 quoting (by the `csv` crate), dates as YYYY-MM-DD, human column headers, and every
//! cell that starts with `=`, `+`, `-`, `@`, a tab, CR or LF prefixed with `'` so that no
//! spreadsheet runs it as a formula (OWASP's advice on CSV injection).
//!
//! Read: columns matched by header (any case, spacing or order; a few other names allowed),
//! dates as YYYY-MM-DD, DD/MM/YYYY or 23 Apr 2026, a byte-order mark dropped, a comma, semicolon
//! or tab between cells. Every problem is listed by row (as Excel numbers it) and column, and
//! any problem stops the whole import. A row with an Action ID already on this device updates
//! that action; any other row adds one.
//!
//! The files: `columns` (every column SEND Log knows), `write` (the two tables exported),
//! `read` (a file read into rows), `plan` (each row an action added or updated) and `matching`
//! (each row's pupil and meeting).

mod columns;
mod matching;
mod plan;
mod read;
mod write;

pub use columns::Column;
pub use read::CsvImport;
pub use write::{export, guard_cell, unguard, Table};

/// The largest spreadsheet read (a school's whole action log is about 20 MB).
pub const CSV_LIMIT_BYTES: usize = 64 * 1024 * 1024;
/// The most rows read from one spreadsheet.
pub const CSV_LIMIT_ROWS: usize = 100_000;
/// The longest cell read; longer ones are refused rather than cut.
pub const CELL_LIMIT_CHARS: usize = 10_000;

/// Lower case, letters and digits only: "  Due  date " and "due_date" read the same.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
