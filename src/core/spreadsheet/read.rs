//! Reading a CSV file into rows: its header matched to columns, its cells kept within limits.

use super::cells::Value;
use super::columns::Column;
use super::encoding::{self, Encoding};
use super::matched::Target;
use super::write::unguard;
use super::{squash, CELL_LIMIT_CHARS, CSV_LIMIT_BYTES, CSV_LIMIT_ROWS};
use crate::merge::Problem;
use rustc_hash::FxHashMap as HashMap;
use std::io::Cursor;

/// A cell without the spaces around it. Most cells have none, and that is seen from their
/// first and last bytes; only the others are trimmed letter by letter (a non-breaking space
/// from Excel is trimmed too).
fn trim(text: &str) -> &str {
    let bare = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !b.is_ascii_whitespace());
    if bare(text.as_bytes().first()) && bare(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

/// Where each column is in a row: `Places[column as usize]` is its cell's index.
pub(super) type Places = [Option<u32>; Column::ALL.len()];

/// Every cell read so far, end to end, and where each ends. A row's cells are a run of them,
/// so 50,000 rows make no string of their own. They are kept as bytes while the file is read
/// and checked as UTF-8 once, when the rows are planned, instead of cell by cell (the whole file was
/// checked when it was opened, and a cell is its bytes less the quotes around it).
#[derive(Default)]
pub(super) struct Cells {
    pub(super) bytes: Vec<u8>,
    pub(super) ends: Vec<u32>,
}

/// Whether a cell holds nothing but spaces.
fn blank(cell: &[u8]) -> bool {
    !cell
        .iter()
        .any(|&b| b.is_ascii() && !char::from(b).is_whitespace())
        && String::from_utf8_lossy(cell).trim().is_empty()
}

/// Where a row read is kept among the [`Cells`].
pub(super) struct RowAt {
    /// The row's number as Excel shows it (the header is row 1).
    pub(super) number: usize,
    /// Its first cell's index in `Cells::ends`, and how many cells it has.
    pub(super) first: u32,
    pub(super) count: u32,
}

/// One row as read, its cells as the file holds them.
pub(super) struct RowIn<'a> {
    pub(super) number: usize,
    pub(super) text: &'a str,
    pub(super) ends: &'a [u32],
    pub(super) first: u32,
    pub(super) count: u32,
    pub(super) places: &'a Places,
}

impl<'a> RowIn<'a> {
    /// The cell of a column the file has, trimmed and without a formula guard (so the value of
    /// a text column: the column table reads its cell as it is); `None` when the file has no
    /// such column. A row that stops short of the column has it empty.
    pub(super) fn get(&self, column: Column) -> Option<&'a str> {
        let place = self.places[column as usize]?;
        Some(self.cell(place))
    }

    /// The `place`th cell of the row, trimmed and without a formula guard.
    pub(super) fn cell(&self, place: u32) -> &'a str {
        if place >= self.count {
            return "";
        }
        // The row's cells are `first..first + count` of `ends`, and each cell is whole
        // characters (cut at the ASCII delimiters and quotes of a file checked as UTF-8), so
        // nothing below misses; a cell reads as empty if it ever did.
        let Some(at) = self
            .first
            .checked_add(place)
            .and_then(|at| usize::try_from(at).ok())
        else {
            return "";
        };
        let start = match at.checked_sub(1) {
            None => Some(0),
            Some(before) => self.ends.get(before).map(|&e| e as usize),
        };
        let end = self.ends.get(at).map(|&e| e as usize);
        let text = match (start, end) {
            (Some(start), Some(end)) => self.text.get(start..end).unwrap_or_default(),
            _ => "",
        };
        trim(unguard(trim(text)))
    }
    /// The cell of a column the file has, if it is not empty.
    pub(super) fn filled(&self, column: Column) -> Option<&'a str> {
        self.get(column).filter(|text| !text.is_empty())
    }

    /// The value of a column's cell as the column table reads it, or what is wrong with it;
    /// `None` when the file has no such column or it is never read.
    pub(super) fn read(&self, column: Column) -> Option<Result<Value<'a>, String>> {
        column.read(self.get(column)?)
    }
}

/// A spreadsheet being read, a batch of rows at a time so that a long one can show progress.
pub struct CsvImport {
    pub(super) source: String,
    pub(super) reader: csv::Reader<Cursor<Vec<u8>>>,
    pub(super) total: usize,
    pub(super) columns: Vec<Option<Column>>,
    pub(super) places: Places,
    pub(super) headers: HashMap<Column, String>,
    pub(super) cells: Cells,
    pub(super) rows: Vec<RowAt>,
    /// The row being read.
    pub(super) raw: csv::ByteRecord,
    /// Where the file's text starts (after a byte order mark), and where the last row read
    /// starts in it.
    pub(super) start: usize,
    pub(super) last_row_at: usize,
    pub(super) problems: Vec<Problem>,
    pub(super) notes: Vec<String>,
    pub(super) next_number: usize,
    pub(super) done: bool,
    /// Year groups chosen in the preview, by squashed name, and the names the last plan asked
    /// about (see `choices.rs`).
    pub(super) chosen_years: HashMap<String, crate::pupil::YearGroup>,
    pub(super) asked_years: Vec<String>,
    /// What the person chose for values SEND Log does not know: by column and squashed value,
    /// the label read instead (see `choices.rs`).
    pub(super) chosen_values: HashMap<(Column, String), &'static str>,
    /// The encoding the file was read from, when it was not UTF-8.
    pub(super) read_as: Option<Encoding>,
    /// The file's headers; the column each names, if any; the person's choices (column number
    /// and target); what each column fills, from both; the columns added to the note; and the
    /// cells too long (row number, column number, characters). See `matched.rs`.
    pub(super) found: Vec<String>,
    pub(super) guessed: Vec<Option<Column>>,
    pub(super) chosen: Vec<(usize, Target)>,
    pub(super) targets: Vec<Target>,
    pub(super) note_columns: Vec<(u32, String)>,
    pub(super) long_cells: Vec<(usize, usize, usize)>,
}

impl CsvImport {
    /// Opens a spreadsheet and reads its header row. A file that is not a readable table of
    /// actions is refused here, with the reason.
    // Never inlined into the app's views, which are compiled for size: this runs over every
    // byte of the file, and is compiled for speed here (see Cargo.toml).
    #[inline(never)]
    pub fn open(source: &str, bytes: Vec<u8>) -> Result<CsvImport, Problem> {
        if bytes.len() > CSV_LIMIT_BYTES {
            return Err(Problem::with_file(format!(
                "it is {} MB; the largest spreadsheet SEND Log reads is {} MB. Split it into \
                 smaller files.",
                bytes.len() / (1024 * 1024),
                CSV_LIMIT_BYTES / (1024 * 1024)
            )));
        }
        let (bytes, start, read_as) = encoding::as_utf8(bytes)?;
        let text = &bytes[start..];
        if text.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Problem::with_file("it is empty."));
        }
        let total = text.len();
        let delimiter = delimiter(text);
        let mut cursor = Cursor::new(bytes);
        cursor.set_position(start as u64);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(cursor);
        let found: Vec<String> = reader
            .headers()
            .map_err(|e| Problem::with_file(format!("its first row cannot be read ({e}).")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut import = CsvImport {
            source: source.to_string(),
            reader,
            total,
            columns: Vec::with_capacity(found.len()),
            places: [None; Column::ALL.len()],
            headers: HashMap::default(),
            cells: Cells {
                bytes: Vec::with_capacity(total),
                ends: Vec::new(),
            },
            rows: Vec::new(),
            raw: csv::ByteRecord::new(),
            start,
            last_row_at: 0,
            problems: Vec::new(),
            notes: Vec::new(),
            next_number: 2,
            done: false,
            chosen_years: HashMap::default(),
            asked_years: Vec::new(),
            chosen_values: HashMap::default(),
            read_as,
            found: Vec::new(),
            guessed: Vec::with_capacity(found.len()),
            chosen: Vec::new(),
            targets: Vec::new(),
            note_columns: Vec::new(),
            long_cells: Vec::new(),
        };
        let names = Column::by_name();
        for header in &found {
            let column = names.get(&squash(header)).copied();
            if let Some(column) = column {
                if let Some(at) = import.guessed.iter().position(|&g| g == Some(column)) {
                    return Err(Problem::with_file(format!(
                        "two columns are headed \"{}\" and \"{header}\"; SEND Log reads them as \
                         the same column. Delete or rename one.",
                        found[at]
                    )));
                }
            }
            import.guessed.push(column);
        }
        import.found = found;
        import.match_columns();
        Ok(import)
    }

    /// Reads a workbook's sheet (see `workbook.rs`), its column names in row `header_row` of the
    /// sheet: rows are numbered as the sheet numbers them, and rows above the column names (a
    /// title) are said to be left out.
    pub fn from_sheet(mut self, header_row: usize) -> CsvImport {
        self.next_number = header_row.saturating_add(1).max(2);
        if header_row > 1 {
            let above = if header_row == 2 {
                "Row 1, above the column names in row 2, was".to_string()
            } else {
                format!(
                    "Rows 1 to {}, above the column names in row {header_row}, were",
                    header_row - 1
                )
            };
            self.notes.push(format!("{above} left out, as a title."));
        }
        self
    }

    /// Reads up to `batch` more rows; says whether the whole file has been read.
    #[inline(never)] // as `open`
    pub fn read(&mut self, batch: usize) -> bool {
        for _ in 0..batch {
            if self.done {
                break;
            }
            match self.reader.read_byte_record(&mut self.raw) {
                Ok(true) => {
                    self.last_row_at = self.raw.position().map_or(0, |p| p.byte() as usize);
                    self.take();
                }
                Ok(false) => {
                    self.done = true;
                    self.check_the_end();
                }
                Err(error) => {
                    self.problems.push(Problem::with_file(format!(
                        "row {} cannot be read ({error}).",
                        self.next_number
                    )));
                    self.done = true;
                }
            }
        }
        self.done
    }

    /// A file that ends inside a quoted cell (cut short, say) is read to its end as that one
    /// cell, so the last row read holds an odd number of quotes.
    fn check_the_end(&mut self) {
        let text = &self.reader.get_ref().get_ref()[self.start..];
        let last_row = &text[self.last_row_at.min(text.len())..];
        if memchr::memchr_iter(b'"', last_row).count() % 2 == 1 {
            self.problems.push(Problem::with_file(
                "it ends inside a quoted cell (a \" is opened and never closed), so it may have \
                 been cut short. Export or save it again.",
            ));
        }
    }

    /// How much of the file has been read, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.done {
            1.0
        } else {
            self.reader.position().byte() as f64 / self.total.max(1) as f64
        }
    }

    /// Keeps the row just read, among the cells of the rows before it.
    fn take(&mut self) {
        let raw = &self.raw;
        let number = self.next_number;
        self.next_number += 1;
        if raw.iter().all(blank) {
            return;
        }
        if self.rows.len() == CSV_LIMIT_ROWS {
            self.problems.push(Problem::with_file(format!(
                "it has more than {CSV_LIMIT_ROWS} rows, the most SEND Log reads from one \
                 spreadsheet. Split it into smaller files."
            )));
            self.done = true;
            return;
        }
        // Long cells are listed when the rows are planned, in the columns then read.
        for (at, text) in raw.iter().enumerate() {
            let chars = || String::from_utf8_lossy(text).chars().count();
            if text.len() > CELL_LIMIT_CHARS && chars() > CELL_LIMIT_CHARS {
                self.long_cells.push((number, at, chars()));
            }
        }
        // A file within the limit (64 MB) has fewer cells and bytes than a u32 counts, so
        // `too_large` is never reached; it refuses the file rather than stop the app.
        let (Ok(first), Ok(count)) = (
            u32::try_from(self.cells.ends.len()),
            u32::try_from(raw.len()),
        ) else {
            return self.too_large();
        };
        for cell in raw {
            self.cells.bytes.extend_from_slice(cell);
            let Ok(end) = u32::try_from(self.cells.bytes.len()) else {
                return self.too_large();
            };
            self.cells.ends.push(end);
        }
        self.rows.push(RowAt {
            number,
            first,
            count,
        });
    }

    fn too_large(&mut self) {
        self.problems.push(Problem::with_file(format!(
            "it is too large to read. Split it into files of at most {CSV_LIMIT_ROWS} rows."
        )));
        self.done = true;
    }
}

/// The separator between cells, guessed from the first line: a comma unless that line has none
/// and has semicolons (Excel in many European languages) or tabs.
fn delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |d: u8| first.iter().filter(|&&b| b == d).count();
    if count(b',') > 0 {
        b','
    } else if count(b';') > 0 {
        b';'
    } else if count(b'\t') > 0 {
        b'\t'
    } else {
        b','
    }
}

/// The file's header of a column, as a problem names it (SEND Log's own if the file had none).
pub(super) fn header_of(headers: &HashMap<Column, String>, column: Column) -> String {
    headers
        .get(&column)
        .cloned()
        .unwrap_or_else(|| column.header().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spreadsheet::tests::open;

    /// Opens `text` and reads every row.
    fn read_all(text: &str) -> CsvImport {
        let mut import = open(text).unwrap_or_else(|p| panic!("refused: {p}"));
        while !import.read(2) {}
        import
    }

    /// The cells of `column` in every row read, as the import will see them, between `|` (`-`
    /// where the file has no such column).
    fn cells(import: &CsvImport, column: Column) -> String {
        let text = std::str::from_utf8(&import.cells.bytes).unwrap();
        let row = |at: &RowAt| RowIn {
            number: at.number,
            text,
            ends: &import.cells.ends,
            first: at.first,
            count: at.count,
            places: &import.places,
        };
        let cell = |at| row(at).get(column).unwrap_or("-");
        import.rows.iter().map(cell).collect::<Vec<_>>().join("|")
    }

    fn refusal(text: &[u8]) -> String {
        match CsvImport::open("f.csv", text.to_vec()) {
            Ok(_) => panic!("read: {}", String::from_utf8_lossy(text)),
            Err(problem) => {
                assert!(problem.is_with_file());
                problem.message
            }
        }
    }

    #[test]
    fn headers_are_matched_in_any_case_spacing_and_order_and_by_their_other_names() {
        let import =
            read_all(" OWNER ,due_date,  Pupil   Name,next step\r\nSENCO,2026-05-01,Zoë,Call\r\n");
        let found = [Column::Owner, Column::Due, Column::Pupil, Column::NextStep];
        assert_eq!(import.columns, found.map(Some));
        assert_eq!(import.places[Column::Pupil as usize], Some(2));
        assert_eq!(import.places[Column::DateRaised as usize], None);
        // A problem names a column as the file heads it.
        assert_eq!(header_of(&import.headers, Column::Due), "due_date");
        assert_eq!(header_of(&import.headers, Column::Status), "Status");
        assert_eq!(cells(&import, Column::Pupil), "Zoë");
        assert!(import.notes.is_empty());
    }

    #[test]
    fn cells_are_trimmed_and_unguarded_and_a_short_row_reads_as_empty() {
        let import = read_all(
            "Pupil,Action,Owner,Due\n  Zoë\u{a0},'=SUM(A1),SENCO,2026-05-01\n\
             Sam,\"Call, then write\"\n",
        );
        assert_eq!(cells(&import, Column::Pupil), "Zoë|Sam");
        assert_eq!(
            cells(&import, Column::NextStep),
            "=SUM(A1)|Call, then write"
        );
        assert_eq!(cells(&import, Column::Due), "2026-05-01|");
        assert_eq!(cells(&import, Column::Status), "-|-", "no such column");
    }

    #[test]
    fn rows_are_numbered_as_excel_numbers_them_rows_of_spaces_skipped_but_counted() {
        let import = read_all(
            "Pupil,Action,Owner,Due\nZoë,Call,SENCO,2026-05-01\n , \u{a0} ,,\n\
             Sam,Write,SENCO,2026-05-02\n",
        );
        let numbers: Vec<usize> = import.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 4]);
        assert_eq!(import.progress(), 1.0);
    }

    #[test]
    fn a_cell_too_long_names_its_row_number_and_the_file_s_header() {
        let long = "é".repeat(CELL_LIMIT_CHARS + 1);
        let fits = "é".repeat(CELL_LIMIT_CHARS);
        let text = format!(
            "Pupil,next step,Owner,Due\nZoë,{fits},SENCO,2026-05-01\nSam,{long},SENCO,2026-05-01\n"
        );
        let import = read_all(&text);
        let (problems, _) = import.column_problems_and_notes();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            format!(
                "Row 3, next step: holds {} characters; a cell may hold at most \
                 {CELL_LIMIT_CHARS}. Shorten it, or keep the long text elsewhere and link to it.",
                CELL_LIMIT_CHARS + 1
            )
        );
    }

    #[test]
    fn a_comma_a_semicolon_or_a_tab_separates_the_cells() {
        for text in [
            "Pupil,Action,Owner,Due\nZoë,Call; then write,SENCO,2026-05-01\n",
            "Pupil;Action;Owner;Due\nZoë;Call, then write;SENCO;2026-05-01\n",
            "Pupil\tAction\tOwner\tDue\nZoë\tCall\tSENCO\t2026-05-01\n",
        ] {
            let import = read_all(text);
            assert_eq!(cells(&import, Column::Owner), "SENCO", "{text}");
        }
        assert_eq!(delimiter(b"Pupil"), b',');
    }

    #[test]
    fn a_file_not_in_utf8_is_read_as_windows_1252_and_unicode_text_as_utf16() {
        let utf8 = "Pupil\tAction\tOwner\tDue\r\nZoë\tCall – then write\tSENCO\t2026-05-01\r\n";
        let windows = encoding::to_windows_1252(utf8).unwrap();
        assert!(std::str::from_utf8(&windows).is_err());
        for (bytes, read_as) in [
            (windows, Some(Encoding::Windows1252)),
            (
                utf16(b"\xFF\xFE", utf8, u16::to_le_bytes),
                Some(Encoding::Utf16),
            ),
            (
                utf16(b"\xFE\xFF", utf8, u16::to_be_bytes),
                Some(Encoding::Utf16),
            ),
            (utf8.as_bytes().to_vec(), None),
        ] {
            let mut import = CsvImport::open("f.csv", bytes).unwrap();
            while !import.read(2) {}
            assert_eq!(import.read_as, read_as);
            assert_eq!(cells(&import, Column::Pupil), "Zoë");
            assert_eq!(cells(&import, Column::NextStep), "Call – then write");
        }
    }

    /// `text` in UTF-16 after the byte order mark `bom`.
    fn utf16(bom: &[u8], text: &str, bytes: fn(u16) -> [u8; 2]) -> Vec<u8> {
        let mut out = bom.to_vec();
        out.extend(text.encode_utf16().flat_map(bytes));
        out
    }

    #[test]
    fn a_byte_order_mark_is_stepped_over() {
        let import = read_all("\u{FEFF}Pupil,Action,Owner,Due\nZoë,Call,SENCO,2026-05-01\n");
        assert_eq!(import.columns[0], Some(Column::Pupil));
        assert_eq!(import.start, 3);
    }

    #[test]
    fn columns_not_known_are_named_up_to_a_dozen_and_days_overdue_is_not_read() {
        let extra: Vec<String> = (1..=14).map(|n| format!("Extra {n}")).collect();
        let text = format!("Pupil,Action,Owner,Due,Days overdue,,{}\n", extra.join(","));
        let import = read_all(&text);
        let (_, notes) = import.column_problems_and_notes();
        assert_eq!(notes.len(), 2);
        assert!(notes[0].starts_with(
            "Not read, because SEND Log has no such field: \"Extra 1\", \"Extra 2\","
        ));
        assert!(notes[0].ends_with("\"Extra 12\", and 2 more."));
        assert_eq!(
            notes[1],
            "Days overdue is worked out from the due date, so that column was not read."
        );
    }

    #[test]
    fn a_file_that_is_not_a_table_of_actions_is_refused_saying_why() {
        // Refused when planned: the columns can still be matched by hand in the preview.
        let needs = |text: &str| {
            read_all(text).column_problems_and_notes().0[0]
                .message
                .clone()
        };
        assert!(needs("Pupil,Owner,Due\n").starts_with("it has no column for Action."));
        assert!(needs("Colour,Size\nred,2\n")
            .starts_with("it has no column for Action, Owner, Due, Pupil. Its first row"));
        assert!(
            open("Action ID,Status\n").is_ok(),
            "an id is enough to update"
        );
        assert_eq!(
            refusal(b"Pupil,Action,Owner,Due,Due date\n"),
            "two columns are headed \"Due\" and \"Due date\"; SEND Log reads them as the same \
             column. Delete or rename one."
        );
        assert_eq!(refusal(b"  \r\n \n"), "it is empty.");
        assert!(refusal(b"\xFF\xFEP\0\x00\xD8").contains("\"Unicode text\" (UTF-16), but"));
        assert!(refusal(b"PK\x03\x04\0\0workbook").starts_with("it is not a text file."));
        let huge = vec![b' '; CSV_LIMIT_BYTES + 1];
        assert!(refusal(&huge).contains("the largest spreadsheet SEND Log reads is 64 MB"));
    }

    #[test]
    fn a_file_cut_short_inside_a_quoted_cell_is_a_problem_of_the_file() {
        let import = read_all("Pupil,Action,Owner,Due\nZoë,\"Call home about\n");
        assert_eq!(import.problems.len(), 1);
        assert!(import.problems[0].is_with_file());
        assert!(import.problems[0]
            .message
            .starts_with("it ends inside a quoted cell"));
        let import = read_all(
            "Pupil,Action,Owner,Due\nZoë,Buy a 6\" ruler,SENCO,2026-05-01\n\
             Zoë,Call,SENCO,2026-05-01\n",
        );
        assert!(
            import.problems.is_empty(),
            "a quote inside a cell not quoted"
        );
    }

    #[test]
    fn a_row_past_the_limit_stops_the_reading() {
        let mut text = String::from("Pupil,Action,Owner,Due\n");
        for _ in 0..=CSV_LIMIT_ROWS {
            text.push_str("Z,C,S,1\n");
        }
        let import = read_all(&text);
        assert_eq!(import.rows.len(), CSV_LIMIT_ROWS);
        assert!(import.problems[0]
            .message
            .starts_with(&format!("it has more than {CSV_LIMIT_ROWS} rows")));
    }
}
