//! Reading a CSV file into rows: its header matched to columns, its cells kept within limits.

use super::columns::Column;
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

impl RowIn<'_> {
    /// The cell of a column the file has, trimmed and without a formula guard; `None` when the
    /// file has no such column (or the row stops short of it).
    pub(super) fn get(&self, column: Column) -> Option<&str> {
        let place = self.places[column as usize]?;
        if place >= self.count {
            return Some("");
        }
        // The row's cells are `first..first + count` of `ends`, and each cell is whole
        // characters (cut at the ASCII delimiters and quotes of a file checked as UTF-8), so
        // neither `get` below misses; a cell read as empty if one ever did.
        let at = usize::try_from(self.first.checked_add(place)?).ok()?;
        let start = match at.checked_sub(1) {
            None => 0,
            Some(before) => *self.ends.get(before)? as usize,
        };
        let end = *self.ends.get(at)? as usize;
        let text = self.text.get(start..end).unwrap_or_default();
        Some(trim(unguard(trim(text))))
    }
    pub(super) fn filled(&self, column: Column) -> Option<&str> {
        self.get(column).filter(|text| !text.is_empty())
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
        if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            return Err(Problem::with_file(
                "it is saved as \"Unicode text\" (UTF-16). In Excel choose File → Save As → \
                 \"CSV UTF-8 (Comma delimited)\", then import that file.",
            ));
        }
        // The byte order mark Excel writes is stepped over, not cut off (which would move
        // every byte after it).
        let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let text = &bytes[start..];
        // A picture, a PDF or an Excel workbook has zero bytes near its start. (Only the start
        // is looked at: a school's file is 20 MB, and every byte is checked as UTF-8 anyway.)
        // None starts with the byte order mark of UTF-8 text, which SEND Log's own files do:
        // a zero character in a cell of one (from a bundle, say) reads back as it was written.
        let head = text.get(..text.len().min(64 * 1024)).unwrap_or(text);
        if start == 0 && memchr::memchr(0, head).is_some() {
            return Err(Problem::with_file(
                "it is not a text file. Choose a .csv spreadsheet or a .json bundle.",
            ));
        }
        if let Err(error) = std::str::from_utf8(text) {
            let line = 1 + text[..error.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            return Err(Problem::with_file(format!(
                "it is not saved as UTF-8 text (the first character SEND Log cannot read is on \
                 line {line}), so names such as Siân or Zoë would come out wrong. In Excel \
                 choose File → Save As → \"CSV UTF-8 (Comma delimited)\", then import that file."
            )));
        }
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
        };
        let (mut unused, mut more_unused) = (Vec::new(), 0);
        let names = Column::by_name();
        for header in &found {
            let column = names.get(&squash(header)).copied();
            match column {
                Some(column) if import.headers.contains_key(&column) => {
                    return Err(Problem::with_file(format!(
                        "two columns are headed \"{}\" and \"{header}\"; SEND Log reads them as \
                         the same column. Delete or rename one.",
                        header_of(&import.headers, column)
                    )));
                }
                Some(column) => {
                    import.headers.insert(column, header.clone());
                }
                None if header.is_empty() => {}
                // The first dozen are named; a file of thousands of columns is not listed whole.
                None if unused.len() == 12 => more_unused += 1,
                None => unused.push(format!("\"{header}\"")),
            }
            if let Some(column) = column {
                import.places[column as usize] = u32::try_from(import.columns.len()).ok();
            }
            import.columns.push(column);
        }
        let has = |c: Column| import.headers.contains_key(&c);
        let needed: Vec<&str> = [Column::NextStep, Column::Owner, Column::Due]
            .into_iter()
            .chain((!has(Column::PupilId)).then_some(Column::Pupil))
            .filter(|&c| !has(c))
            .map(Column::header)
            .collect();
        if !needed.is_empty() && !has(Column::ActionId) {
            return Err(Problem::with_file(format!(
                "it has no column for {}. Its first row should hold the column names; it holds: \
                 {}. SEND Log needs at least Pupil, Action, Owner and Due.",
                needed.join(", "),
                found
                    .iter()
                    .take(12)
                    .map(|h| format!("\"{h}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if more_unused > 0 {
            unused.push(format!("and {more_unused} more"));
        }
        if !unused.is_empty() {
            import.notes.push(format!(
                "Not read, because SEND Log has no such field: {}.",
                unused.join(", ")
            ));
        }
        if has(Column::DaysOverdue) {
            import.notes.push(
                "Days overdue is worked out from the due date, so that column was not read.".into(),
            );
        }
        Ok(import)
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
        for (text, column) in raw.iter().zip(&self.columns) {
            let Some(column) = column else { continue };
            let chars = || String::from_utf8_lossy(text).chars().count();
            if text.len() > CELL_LIMIT_CHARS && chars() > CELL_LIMIT_CHARS {
                self.problems.push(Problem {
                    place: format!("Row {number}"),
                    column: header_of(&self.headers, *column),
                    message: format!(
                        "holds {} characters; a cell may hold at most {CELL_LIMIT_CHARS}. \
                         Shorten it, or keep the long text elsewhere and link to it.",
                        chars()
                    ),
                });
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
