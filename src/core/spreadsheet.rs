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

use super::action::{Action, ItemType, LastUpdate, Status};
use super::bundle::{actions_of, Part};
use super::choice::Choice;
use super::dates;
use super::guard::{self, OwnerCheck};
use super::history::HistoryEntry;
use super::id::{ActionId, EntryId, MeetingId, PupilId};
use super::meeting::{Meeting, MeetingType};
use super::merge::{Conflict, ImportPlan, Problem};
use super::pupil::{Pupil, SendStatus, YearGroup};
use super::record::{self, Edit, Record};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::io::Cursor;

mod names;

/// The largest spreadsheet read (a school's whole action log is about 20 MB).
pub const CSV_LIMIT_BYTES: usize = 64 * 1024 * 1024;
/// The most rows read from one spreadsheet.
pub const CSV_LIMIT_ROWS: usize = 100_000;
/// The longest cell read; longer ones are refused rather than cut.
pub const CELL_LIMIT_CHARS: usize = 10_000;

/// A column SEND Log writes and reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    DateRaised,
    Pupil,
    YearGroup,
    SendStatus,
    MeetingDate,
    MeetingType,
    ItemType,
    Decision,
    NextStep,
    Owner,
    Due,
    Status,
    DaysOverdue,
    NeedsEscalation,
    LastUpdated,
    LastUpdateNote,
    Evidence,
    NextReview,
    ActionId,
    PupilId,
    MeetingId,
}

impl Column {
    const ALL: [Column; 21] = [
        Column::DateRaised,
        Column::Pupil,
        Column::YearGroup,
        Column::SendStatus,
        Column::MeetingDate,
        Column::MeetingType,
        Column::ItemType,
        Column::Decision,
        Column::NextStep,
        Column::Owner,
        Column::Due,
        Column::Status,
        Column::DaysOverdue,
        Column::NeedsEscalation,
        Column::LastUpdated,
        Column::LastUpdateNote,
        Column::Evidence,
        Column::NextReview,
        Column::ActionId,
        Column::PupilId,
        Column::MeetingId,
    ];

    /// The header written.
    pub fn header(self) -> &'static str {
        match self {
            Column::DateRaised => "Date raised",
            Column::Pupil => "Pupil",
            Column::YearGroup => "Year group",
            Column::SendStatus => "SEND status",
            Column::MeetingDate => "Meeting date",
            Column::MeetingType => "Meeting type",
            Column::ItemType => "Item type",
            Column::Decision => "Issue or decision",
            Column::NextStep => "Action",
            Column::Owner => "Owner",
            Column::Due => "Due",
            Column::Status => "Status",
            Column::DaysOverdue => "Days overdue",
            Column::NeedsEscalation => "Needs escalation",
            Column::LastUpdated => "Last updated",
            Column::LastUpdateNote => "Last update note",
            Column::Evidence => "Evidence or note",
            Column::NextReview => "Next review",
            Column::ActionId => "Action ID",
            Column::PupilId => "Pupil ID",
            Column::MeetingId => "Meeting ID",
        }
    }

    /// Other headers a person might have typed for the same column.
    fn other_names(self) -> &'static [&'static str] {
        match self {
            Column::DateRaised => &["Raised", "Date"],
            Column::Pupil => &["Pupil name", "Name", "Student"],
            Column::YearGroup => &["Year"],
            Column::SendStatus => &["SEND", "SEN status"],
            Column::Decision => &["Decision", "Issue", "Issue / decision"],
            Column::NextStep => &["Next step", "Action / next step"],
            Column::Due => &["Due date", "Due or review date", "Review date"],
            Column::NeedsEscalation => &["Escalate", "Escalation"],
            Column::LastUpdated => &["Last update", "Updated"],
            Column::LastUpdateNote => &["Update note"],
            Column::Evidence => &["Evidence", "Note", "Notes"],
            _ => &[],
        }
    }

    /// Every column by each of its names, [`squash`]ed: a header is squashed once and looked
    /// up, so a header row of a million cells is read in one pass.
    fn by_name() -> HashMap<String, Column> {
        let mut names = HashMap::default();
        for column in Column::ALL {
            for name in std::iter::once(column.header()).chain(column.other_names().iter().copied())
            {
                names.entry(squash(name)).or_insert(column);
            }
        }
        names
    }
}

/// Lower case, letters and digits only: "  Due  date " and "due_date" read the same.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The two tables exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// Every action, live and archived: the decision and where it came from, then its
    /// follow-through.
    ActionLog,
    /// The live rows (or the rows a filter shows) as the tracker lists them.
    Tracker,
}

impl Table {
    pub fn columns(self) -> &'static [Column] {
        use Column::*;
        match self {
            Table::ActionLog => &[
                DateRaised,
                Pupil,
                YearGroup,
                SendStatus,
                MeetingDate,
                MeetingType,
                ItemType,
                Decision,
                NextStep,
                Owner,
                Due,
                Status,
                NeedsEscalation,
                LastUpdated,
                LastUpdateNote,
                Evidence,
                NextReview,
                ActionId,
                PupilId,
                MeetingId,
            ],
            Table::Tracker => &[
                Pupil,
                YearGroup,
                ItemType,
                NextStep,
                Owner,
                Due,
                Status,
                DaysOverdue,
                NeedsEscalation,
                LastUpdated,
                LastUpdateNote,
                NextReview,
                Evidence,
                Decision,
                ActionId,
                PupilId,
            ],
        }
    }

    /// The middle of the file name: `sendlog-actions-2026-04-23.csv`.
    pub fn file_word(self) -> &'static str {
        match self {
            Table::ActionLog => "actions",
            Table::Tracker => "tracker",
        }
    }
}

/// Makes a cell safe to open in a spreadsheet: one that would start a formula gets a leading
/// apostrophe. A cell that already starts with apostrophes before such a character gets one
/// more, so that [`unguard`] gives back exactly what was written.
pub fn guard_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if starts_formula(after_apostrophes(text)) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Takes back what [`guard_cell`] added.
pub fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if starts_formula(after_apostrophes(rest)) => rest,
        _ => text,
    }
}

/// The text after any leading apostrophes. Looked at byte by byte (both it and the formula
/// characters are ASCII): an export asks this of every one of a million cells.
fn after_apostrophes(text: &str) -> &str {
    let apostrophes = text.bytes().take_while(|&b| b == b'\'').count();
    &text[apostrophes..]
}

fn starts_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\n')
    )
}

/// Room for the text of a cell that the record does not hold as written (an id, a date), so
/// that an export of hundreds of thousands of cells makes no new string for them.
struct Scratch {
    id: [u8; 45],
    day: [u8; 10],
}

/// The text of one cell of an action's row: borrowed where the record holds it as it is
/// written, written into `scratch` for ids and dates.
fn cell<'a>(
    action: &'a Action,
    pupil: Option<&'a Pupil>,
    meeting: Option<&'a Meeting>,
    column: Column,
    today: NaiveDate,
    scratch: &'a mut Scratch,
) -> Cow<'a, str> {
    let text = |t: &'a str| Cow::Borrowed(t);
    let Scratch { id, day } = scratch;
    match column {
        Column::DateRaised => dates::iso_in(action.raised, day),
        Column::Pupil => text(pupil.map_or("", |p| &p.name)),
        Column::YearGroup => text(pupil.map_or("", |p| p.year_group.label())),
        Column::SendStatus => text(pupil.map_or("", |p| p.send_status.label())),
        Column::MeetingDate => match meeting {
            Some(meeting) => dates::iso_in(meeting.date, day),
            None => text(""),
        },
        Column::MeetingType => text(meeting.map_or("", |m| m.meeting_type.label())),
        Column::ItemType => text(action.item_type.label()),
        Column::Decision => text(&action.decision),
        Column::NextStep => text(&action.next_step),
        Column::Owner => text(&action.owner),
        Column::Due => dates::iso_in(action.due, day),
        Column::Status => text(action.status.label()),
        Column::DaysOverdue => action
            .days_overdue(today)
            .map(|d| d.to_string())
            .unwrap_or_default()
            .into(),
        Column::NeedsEscalation => text(if action.escalate { "Yes" } else { "No" }),
        Column::LastUpdated => dates::iso_in(action.last_update.at.date_naive(), day),
        Column::LastUpdateNote => text(&action.last_update.note),
        Column::Evidence => text(&action.evidence),
        Column::NextReview => match action.next_review {
            Some(date) => dates::iso_in(date, day),
            None => text(""),
        },
        Column::ActionId => text(action.id.encode(id)),
        Column::PupilId => text(action.pupil.encode(id)),
        Column::MeetingId => match action.meeting {
            Some(meeting) => text(meeting.encode(id)),
            None => text(""),
        },
    }
}

/// A table of `part` of the record as CSV bytes, ready to open in Excel. The tracker of the
/// whole record holds its live rows, soonest due first.
pub fn export(record: &Record, table: Table, part: &Part, today: NaiveDate) -> Vec<u8> {
    let mut actions = actions_of(record, part);
    if table == Table::Tracker && *part == Part::Everything {
        actions.retain(|a| a.status.is_live());
        super::order::sort_by_key(&mut actions, |a| (a.due, a.raised));
    }
    // About 400 bytes a row: room for the whole file at once, rather than copying it each time
    // it outgrows its buffer.
    let mut out = Vec::with_capacity(400 * actions.len() + 4_096);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    {
        let mut writer = super::csv_out::CsvOut::new(&mut out);
        let columns = table.columns();
        let mut scratch = Scratch {
            id: uuid::Uuid::encode_buffer(),
            day: [0; 10],
        };
        writer.write_record(columns.iter().map(|c| c.header()));
        for action in actions {
            let pupil = record.pupil(action.pupil);
            let meeting = action.meeting.and_then(|m| record.meeting(m));
            for &column in columns {
                let text = cell(action, pupil, meeting, column, today, &mut scratch);
                writer.write_field(guard_cell(&text).as_bytes());
            }
            writer.end_record();
        }
    }
    out
}

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
type Places = [Option<u32>; Column::ALL.len()];

/// Every cell read so far, end to end, and where each ends. A row's cells are a run of them,
/// so 50,000 rows make no string of their own. They are kept as bytes while the file is read
/// and checked as UTF-8 once, when the rows are planned, instead of cell by cell (the whole file was
/// checked when it was opened, and a cell is its bytes less the quotes around it).
#[derive(Default)]
struct Cells {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

/// Whether a cell holds nothing but spaces.
fn blank(cell: &[u8]) -> bool {
    !cell
        .iter()
        .any(|&b| b.is_ascii() && !char::from(b).is_whitespace())
        && String::from_utf8_lossy(cell).trim().is_empty()
}

/// Where a row read is kept among the [`Cells`].
struct RowAt {
    /// The row's number as Excel shows it (the header is row 1).
    number: usize,
    /// Its first cell's index in `Cells::ends`, and how many cells it has.
    first: u32,
    count: u32,
}

/// One row as read, its cells as the file holds them.
struct RowIn<'a> {
    number: usize,
    text: &'a str,
    ends: &'a [u32],
    first: u32,
    count: u32,
    places: &'a Places,
}

impl RowIn<'_> {
    /// The cell of a column the file has, trimmed and without a formula guard; `None` when the
    /// file has no such column (or the row stops short of it).
    fn get(&self, column: Column) -> Option<&str> {
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
    fn filled(&self, column: Column) -> Option<&str> {
        self.get(column).filter(|text| !text.is_empty())
    }
}

/// A spreadsheet being read, a batch of rows at a time so that a long one can show progress.
pub struct CsvImport {
    source: String,
    reader: csv::Reader<Cursor<Vec<u8>>>,
    total: usize,
    columns: Vec<Option<Column>>,
    places: Places,
    headers: HashMap<Column, String>,
    cells: Cells,
    rows: Vec<RowAt>,
    /// The row being read.
    raw: csv::ByteRecord,
    /// Where the file's text starts (after a byte order mark), and where the last row read
    /// starts in it.
    start: usize,
    last_row_at: usize,
    problems: Vec<Problem>,
    notes: Vec<String>,
    next_number: usize,
    done: bool,
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

    /// Works out what importing the rows read would do. Nothing changes until the plan is
    /// applied with [`super::merge::apply`].
    #[inline(never)] // as `open`
    pub fn plan(mut self, record: &Record, today: NaiveDate, now: DateTime<Utc>) -> ImportPlan {
        while !self.read(10_000) {}
        let mut plan = ImportPlan::new(record, &self.source);
        plan.problems = std::mem::take(&mut self.problems);
        plan.notes = std::mem::take(&mut self.notes);
        if plan.problems.iter().any(Problem::is_with_file) {
            return plan;
        }
        if self.rows.is_empty() {
            plan.problems.push(Problem::with_file(
                "it has column names but no rows of actions.",
            ));
            return plan;
        }
        let mut rows = Rows {
            record,
            plan: &mut plan,
            headers: &self.headers,
            today,
            now,
            pupils_by_name: names::Names::default(),
            new_pupils: HashMap::default(),
            new_meetings: HashMap::default(),
            held: record
                .meetings()
                .iter()
                .map(|m| (MeetingKey::Held(m.pupil, m.date, m.meeting_type), m.id))
                .collect(),
            seen: HashMap::default(),
            defaulted_send_status: 0,
            owners: HashMap::default(),
            imported: format!("Imported from {}", self.source),
            not_moved: Vec::new(),
        };
        for pupil in record.pupils() {
            rows.pupils_by_name
                .add(squash(&pupil.name), pupil.year_group, pupil.id);
        }
        // Room for every row added, so 50,000 rows are not copied as the lists grow.
        rows.plan.actions.added.reserve(self.rows.len());
        rows.plan.history.reserve(self.rows.len());
        let ends = &self.cells.ends;
        let Ok(text) = std::str::from_utf8(&self.cells.bytes) else {
            // Not reached: the file was checked as UTF-8 when it was opened.
            rows.plan
                .problems
                .push(Problem::with_file("it is not saved as UTF-8 text."));
            return plan;
        };
        for at in &self.rows {
            rows.row(&RowIn {
                number: at.number,
                text,
                ends,
                first: at.first,
                count: at.count,
                places: &self.places,
            });
        }
        let (not_moved, defaulted) = (
            std::mem::take(&mut rows.not_moved),
            rows.defaulted_send_status,
        );
        if !not_moved.is_empty() {
            let numbers: Vec<String> = not_moved.iter().take(10).map(|n| n.to_string()).collect();
            plan.notes.push(format!(
                "{} row(s) (row {}{}) give an action on this device another pupil, meeting or \
                 date raised. An import does not move an action, so those cells were not used; \
                 add a new row for the other pupil instead.",
                not_moved.len(),
                numbers.join(", "),
                if not_moved.len() > 10 { ", …" } else { "" }
            ));
        }
        if defaulted > 0 && plan.problems.is_empty() {
            plan.notes.push(format!(
                "New pupils without a SEND status in the file ({defaulted}) will be added as SEN \
                 support; change it on the pupil's page if that is wrong."
            ));
        }
        plan
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
fn header_of(headers: &HashMap<Column, String>, column: Column) -> String {
    headers
        .get(&column)
        .cloned()
        .unwrap_or_else(|| column.header().to_string())
}

/// The rows of a spreadsheet, turned into changes to the record one by one.
struct Rows<'a> {
    record: &'a Record,
    plan: &'a mut ImportPlan,
    headers: &'a HashMap<Column, String>,
    today: NaiveDate,
    now: DateTime<Utc>,
    pupils_by_name: names::Names,
    /// Pupils this file adds: by id, their place in the plan.
    new_pupils: HashMap<PupilId, usize>,
    /// Meetings this file adds, with their dates: by id, and by (pupil, date, type) for rows
    /// without an id.
    new_meetings: HashMap<MeetingKey, (MeetingId, NaiveDate)>,
    /// This device's meetings, by (pupil, date, type), for rows that name a meeting that way.
    held: HashMap<MeetingKey, MeetingId>,
    /// Action ids already met in the file, with the row that had each.
    seen: HashMap<ActionId, usize>,
    defaulted_send_status: usize,
    /// What the owner check said of each owner met so far.
    owners: HashMap<String, OwnerCheck>,
    /// "Imported from …": the note of every row this file adds or changes.
    imported: String,
    /// Rows that name another pupil, meeting or date raised for an action on this device.
    not_moved: Vec<usize>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum MeetingKey {
    Id(MeetingId),
    Held(PupilId, NaiveDate, MeetingType),
}

/// The fields of a row, read and checked.
#[derive(Default)]
struct Fields {
    item_type: Option<ItemType>,
    status: Option<Status>,
    due: Option<NaiveDate>,
    next_review: Option<Option<NaiveDate>>,
    escalate: Option<bool>,
    raised: Option<NaiveDate>,
    last_updated: Option<NaiveDate>,
}

impl Rows<'_> {
    fn problem(&mut self, row: &RowIn, column: Column, message: String) {
        self.plan.problems.push(Problem {
            place: format!("Row {}", row.number),
            column: header_of(self.headers, column),
            message,
        });
    }

    fn row(&mut self, row: &RowIn) {
        let known = row
            .filled(Column::ActionId)
            .map(|text| (text, ActionId::parse(text)));
        let id = match known {
            Some((text, None)) => {
                self.problem(
                    row,
                    Column::ActionId,
                    format!(
                        "\"{text}\" is not an id SEND Log wrote. Clear the cell to add the row \
                         as a new action."
                    ),
                );
                return;
            }
            Some((_, Some(id))) => Some(id),
            None => None,
        };
        if let Some(id) = id {
            if let Some(first) = self.seen.insert(id, row.number) {
                self.problem(
                    row,
                    Column::ActionId,
                    format!("the same action is on row {first} too. Keep one of the two rows."),
                );
                return;
            }
        }
        let before = self.plan.problems.len();
        let fields = self.fields(row);
        let problems_in_fields = self.plan.problems.len() > before;
        match id.and_then(|id| self.record.action(id)) {
            Some(action) => self.update(row, action, fields),
            None => self.add(row, id, fields, !problems_in_fields),
        }
    }

    /// Reads the typed fields of a row (dates, choices, yes/no), listing each one that is wrong.
    fn fields(&mut self, row: &RowIn) -> Fields {
        let mut fields = Fields::default();
        let date = |rows: &mut Self, column: Column| -> Option<NaiveDate> {
            let text = row.filled(column)?;
            dates::parse_cell(text)
                .map_err(|message| rows.problem(row, column, message))
                .ok()
        };
        fields.due = date(self, Column::Due);
        fields.raised = date(self, Column::DateRaised);
        fields.last_updated = date(self, Column::LastUpdated);
        if row.get(Column::NextReview).is_some() {
            let before = self.plan.problems.len();
            let next = date(self, Column::NextReview);
            if self.plan.problems.len() == before {
                fields.next_review = Some(next);
            }
        }
        if let Some(text) = row.filled(Column::Status) {
            fields.status = Status::from_text(text);
            if fields.status.is_none() {
                let message = if squash(text) == "overdue" {
                    "\"Overdue\" is worked out from the due date, never typed: write Open, In \
                     progress or Waiting on someone else."
                        .to_string()
                } else {
                    format!(
                        "\"{text}\" is not a status. Write one of: {}.",
                        labels::<Status>()
                    )
                };
                self.problem(row, Column::Status, message);
            }
        }
        if let Some(text) = row.filled(Column::ItemType) {
            fields.item_type = ItemType::from_text(text);
            if fields.item_type.is_none() {
                let message = format!(
                    "\"{text}\" is not an item type. Write one of: {}.",
                    labels::<ItemType>()
                );
                self.problem(row, Column::ItemType, message);
            }
        }
        if let Some(text) = row.get(Column::NeedsEscalation) {
            fields.escalate = yes_no(text);
            if fields.escalate.is_none() {
                let message = format!("\"{text}\" is neither Yes nor No.");
                self.problem(row, Column::NeedsEscalation, message);
            }
        }
        fields
    }

    fn update(&mut self, row: &RowIn, action: &Action, fields: Fields) {
        let other_pupil = row
            .filled(Column::PupilId)
            .is_some_and(|text| PupilId::parse(text) != Some(action.pupil))
            || row.filled(Column::Pupil).is_some_and(|name| {
                self.record
                    .pupil(action.pupil)
                    .is_some_and(|p| squash(&p.name) != squash(name))
            });
        let other_meeting = row
            .filled(Column::MeetingId)
            .is_some_and(|text| MeetingId::parse(text) != action.meeting);
        let other_day = fields.raised.is_some_and(|raised| raised != action.raised);
        if other_pupil || other_meeting || other_day {
            self.not_moved.push(row.number);
        }
        let mut edits = Vec::new();
        if let Some(text) = row.get(Column::NextStep) {
            edits.push(Edit::NextStep(text.to_string()));
        }
        if let Some(text) = row.get(Column::Owner) {
            if let Some(owner) = self.owner(row, text) {
                edits.push(Edit::Owner(owner));
            }
        }
        if row.get(Column::Due).is_some() {
            match fields.due {
                Some(due) => edits.push(Edit::Due(due)),
                None if row.filled(Column::Due).is_none() => self.problem(
                    row,
                    Column::Due,
                    "is empty: every action needs a due or review date.".into(),
                ),
                None => {}
            }
        }
        if let Some(text) = row.get(Column::Decision) {
            edits.push(Edit::Decision(text.to_string()));
        }
        if let Some(text) = row.get(Column::Evidence) {
            edits.push(Edit::Evidence(text.to_string()));
        }
        edits.extend(fields.status.map(Edit::Status));
        edits.extend(fields.item_type.map(Edit::ItemType));
        edits.extend(fields.next_review.map(Edit::NextReview));
        edits.extend(fields.escalate.map(Edit::Escalate));
        let note = &self.imported;
        match record::edited(action, &edits, None, self.now) {
            Err(refusal) => self.problem(row, Column::NextStep, refusal.to_string()),
            Ok(None) => self.plan.actions.unchanged += 1,
            Ok(Some((mut after, changes))) => {
                let Some(position) = self.record.position_of_action(action.id) else {
                    // Not reached: the action was found in this record by its id.
                    let message = "that action is not on this device. Clear the cell to add the \
                                   row as a new action."
                        .into();
                    return self.problem(row, Column::ActionId, message);
                };
                after.last_update.note = format!("{note}: {}", record::describe(&changes));
                self.plan.history.push(HistoryEntry {
                    id: EntryId::new(),
                    action: action.id,
                    at: self.now,
                    note: after.last_update.note.clone(),
                    meeting: None,
                    changes,
                });
                let changed_here_since = fields
                    .last_updated
                    .is_some_and(|file| action.last_update.at.date_naive() > file);
                if changed_here_since {
                    let pupil = self.record.pupil(action.pupil).map(|p| p.name.as_str());
                    self.plan.history.pop();
                    self.plan.actions.conflicts.push(Conflict {
                        position,
                        what: format!(
                            "Action for {}: {} (changed on this device on {}, after the file's \
                             last update)",
                            pupil.unwrap_or("an unknown pupil"),
                            action.next_step,
                            dates::uk(action.last_update.at.date_naive())
                        ),
                        differences: super::merge::Entity::differences(action, &after),
                        ours: action.clone(),
                        theirs: after,
                        take_theirs: false,
                    });
                } else {
                    self.plan
                        .actions
                        .replaced
                        .push((position, action.clone(), after));
                }
            }
        }
    }

    fn owner(&mut self, row: &RowIn, text: &str) -> Option<String> {
        // A school has a few hundred owners at most, named again and again: each is checked once.
        let check = match self.owners.get(text) {
            Some(check) => check.clone(),
            None => {
                let check = guard::check_owner(text);
                self.owners.insert(text.to_string(), check.clone());
                check
            }
        };
        match check {
            OwnerCheck::One(owner) => Some(owner),
            OwnerCheck::Refused(reason) => {
                // The reason names what was typed; an empty cell is said to be empty first.
                let message = if text.trim().is_empty() {
                    format!("is empty. {reason}")
                } else {
                    reason
                };
                self.problem(row, Column::Owner, message);
                None
            }
            OwnerCheck::Several(owners) => {
                let message = format!(
                    "names {} people ({}): one owner per row. Copy the row, one for each.",
                    owners.len(),
                    owners.join(", ")
                );
                self.problem(row, Column::Owner, message);
                None
            }
        }
    }

    /// Adds the row as a new action; `clean` says its typed fields were all readable. Every
    /// problem of the row is listed either way.
    fn add(&mut self, row: &RowIn, id: Option<ActionId>, fields: Fields, clean: bool) {
        let owner = self.owner(row, row.get(Column::Owner).unwrap_or_default());
        let next_step = row.filled(Column::NextStep);
        if next_step.is_none() {
            self.problem(
                row,
                Column::NextStep,
                "is empty: write the next step, specific enough to check.".into(),
            );
        }
        if row.filled(Column::Due).is_none() {
            self.problem(
                row,
                Column::Due,
                "is empty: every action needs a due or review date.".into(),
            );
        }
        let Some(pupil) = self.pupil(row) else { return };
        let meeting = self.meeting(row, pupil);
        let (Some(owner), Some(next_step), Some(due), Some(meeting), true) =
            (owner, next_step, fields.due, meeting, clean)
        else {
            return;
        };
        for concern in guard::check_next_step(next_step) {
            self.plan.warnings.push(Problem {
                place: format!("Row {}", row.number),
                column: header_of(self.headers, Column::NextStep),
                message: concern.message,
            });
        }
        let meeting_date = meeting.and_then(|m| {
            self.record.meeting(m).map(|m| m.date).or_else(|| {
                self.new_meetings
                    .get(&MeetingKey::Id(m))
                    .map(|&(_, date)| date)
            })
        });
        let id = id.unwrap_or_default();
        let imported = self.imported.clone();
        let last_update = LastUpdate {
            at: fields
                .last_updated
                .map(|d| d.and_time(NaiveTime::MIN).and_utc())
                .unwrap_or(self.now),
            note: row
                .filled(Column::LastUpdateNote)
                .map(String::from)
                .unwrap_or_else(|| imported.clone()),
        };
        self.plan.actions.added.push(Action {
            id,
            pupil,
            raised: fields.raised.or(meeting_date).unwrap_or(self.today),
            meeting,
            item_type: fields.item_type.unwrap_or(ItemType::Other),
            decision: row.get(Column::Decision).unwrap_or_default().to_string(),
            next_step: next_step.to_string(),
            owner,
            due,
            status: fields.status.unwrap_or(Status::Open),
            last_update,
            evidence: row.get(Column::Evidence).unwrap_or_default().to_string(),
            next_review: fields.next_review.flatten(),
            escalate: fields.escalate.unwrap_or(false),
        });
        self.plan.history.push(HistoryEntry {
            id: EntryId::new(),
            action: id,
            at: self.now,
            note: imported,
            meeting: None,
            changes: Vec::new(),
        });
    }

    /// The row's pupil: by Pupil ID, else by name (a year group tells two of the same name
    /// apart); a pupil on neither this device nor earlier in the file is added.
    fn pupil(&mut self, row: &RowIn) -> Option<PupilId> {
        let id_text = row.filled(Column::PupilId);
        let id = match id_text.map(PupilId::parse) {
            Some(None) => {
                let message = format!(
                    "\"{}\" is not an id SEND Log wrote. Clear the cell to find the pupil by name.",
                    id_text.unwrap_or_default()
                );
                self.problem(row, Column::PupilId, message);
                return None;
            }
            Some(Some(id)) => Some(id),
            None => None,
        };
        if let Some(id) = id {
            if self.record.pupil(id).is_some() || self.new_pupils.contains_key(&id) {
                return Some(id);
            }
        }
        let name = row.filled(Column::Pupil);
        let year = match row.filled(Column::YearGroup) {
            Some(text) => match year_group(text) {
                Some(year) => Some(year),
                None => {
                    let message =
                        format!("\"{text}\" is not a year group. Write Nursery, Reception or Year 1 to Year 13.");
                    self.problem(row, Column::YearGroup, message);
                    return None;
                }
            },
            None => None,
        };
        let Some(name) = name else {
            self.problem(
                row,
                Column::Pupil,
                "is empty: say whose action this is.".into(),
            );
            return None;
        };
        if id.is_none() {
            match self.pupils_by_name.find(&squash(name), year) {
                None => {}
                Some(found) if found.count == 1 => return Some(found.first),
                Some(found) => {
                    let message = format!(
                        "there are {} pupils called {name}{}. Add the Pupil ID column (export \
                         the action log to see it) to say which.",
                        found.count,
                        if year.is_some() {
                            " in that year group"
                        } else {
                            ""
                        }
                    );
                    self.problem(row, Column::Pupil, message);
                    return None;
                }
            }
        }
        let Some(year) = year else {
            let message = format!(
                "{name} is not on this device yet, so the row needs their year group to add them."
            );
            self.problem(row, Column::YearGroup, message);
            return None;
        };
        let send_status = match row.filled(Column::SendStatus) {
            Some(text) => match send_status(text) {
                Some(status) => status,
                None => {
                    let message = format!(
                        "\"{text}\" is not a SEND status. Write one of: {}.",
                        labels::<SendStatus>()
                    );
                    self.problem(row, Column::SendStatus, message);
                    return None;
                }
            },
            None => {
                self.defaulted_send_status += 1;
                SendStatus::SenSupport
            }
        };
        let id = id.unwrap_or_default();
        self.new_pupils.insert(id, self.plan.pupils.added.len());
        self.pupils_by_name.add(squash(name), year, id);
        self.plan.pupils.added.push(Pupil {
            id,
            name: name.to_string(),
            year_group: year,
            send_status,
            annual_review: None,
            updated_at: self.now,
        });
        Some(id)
    }

    /// The row's meeting: `Some(None)` for a stand-alone item, `None` when the row is wrong.
    fn meeting(&mut self, row: &RowIn, pupil: PupilId) -> Option<Option<MeetingId>> {
        let id_text = row.filled(Column::MeetingId);
        let id = match id_text.map(MeetingId::parse) {
            Some(None) => {
                let message = format!(
                    "\"{}\" is not an id SEND Log wrote. Clear the cell (keeping the meeting date \
                     and type) to find or add the meeting.",
                    id_text.unwrap_or_default()
                );
                self.problem(row, Column::MeetingId, message);
                return None;
            }
            Some(Some(id)) => Some(id),
            None => None,
        };
        if let Some(id) = id {
            if let Some(meeting) = self.record.meeting(id) {
                if meeting.pupil != pupil {
                    self.problem(
                        row,
                        Column::MeetingId,
                        "that meeting was about another pupil.".into(),
                    );
                    return None;
                }
                return Some(Some(id));
            }
            if self.new_meetings.contains_key(&MeetingKey::Id(id)) {
                return Some(Some(id));
            }
        }
        let date = row.filled(Column::MeetingDate);
        let kind = row.filled(Column::MeetingType);
        let (date, kind) = match (date, kind) {
            (None, None) => return Some(None),
            (Some(_), None) => {
                let message = format!(
                    "is empty, but the row has a meeting date. Write one of: {}.",
                    labels::<MeetingType>()
                );
                self.problem(row, Column::MeetingType, message);
                return None;
            }
            (None, Some(_)) => {
                self.problem(
                    row,
                    Column::MeetingDate,
                    "is empty, but the row has a meeting type.".into(),
                );
                return None;
            }
            (Some(date), Some(kind)) => (date, kind),
        };
        let date = match dates::parse_cell(date) {
            Ok(date) => date,
            Err(message) => {
                self.problem(row, Column::MeetingDate, message);
                return None;
            }
        };
        let Some(kind) = MeetingType::from_text(kind) else {
            let message = format!(
                "\"{kind}\" is not a meeting type. Write one of: {}.",
                labels::<MeetingType>()
            );
            self.problem(row, Column::MeetingType, message);
            return None;
        };
        let held = MeetingKey::Held(pupil, date, kind);
        if let Some(&(known, _)) = self.new_meetings.get(&held) {
            return Some(Some(known));
        }
        if id.is_none() {
            if let Some(&existing) = self.held.get(&held) {
                return Some(Some(existing));
            }
        }
        let id = id.unwrap_or_default();
        self.new_meetings.insert(held, (id, date));
        self.new_meetings.insert(MeetingKey::Id(id), (id, date));
        self.plan.meetings.added.push(Meeting {
            id,
            date,
            pupil,
            meeting_type: kind,
            attendees: Vec::new(),
            summary: String::new(),
            working_notes: String::new(),
            updated_at: self.now,
        });
        Some(Some(id))
    }
}

fn labels<T: Choice>() -> String {
    T::ALL
        .iter()
        .map(|c| c.label())
        .collect::<Vec<_>>()
        .join(", ")
}

fn yes_no(text: &str) -> Option<bool> {
    // As SEND Log writes it, found without making a new string: an import asks every row.
    match text {
        "No" | "" => return Some(false),
        "Yes" => return Some(true),
        _ => {}
    }
    match squash(text).as_str() {
        "" | "no" | "n" | "false" | "0" => Some(false),
        "yes" | "y" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// "Year 7", "Y7", "Yr 7", "7", "R", "Reception", "N", "Nursery".
fn year_group(text: &str) -> Option<YearGroup> {
    if let Some(year) = YearGroup::from_text(text) {
        return Some(year);
    }
    let short = squash(text);
    let number = short
        .trim_start_matches("year")
        .trim_start_matches("yr")
        .trim_start_matches('y');
    match number {
        "r" | "rec" => Some(YearGroup::Reception),
        "n" | "nur" => Some(YearGroup::Nursery),
        _ => {
            let wanted = format!("year{number}");
            YearGroup::ALL
                .iter()
                .copied()
                .find(|y| squash(y.label()) == wanted)
        }
    }
}

/// A SEND status, also as schools abbreviate it ("EHCP", "SEN-S").
fn send_status(text: &str) -> Option<SendStatus> {
    SendStatus::from_text(text).or(match squash(text).as_str() {
        "ehcp" | "ehc" | "e" => Some(SendStatus::EhcPlan),
        "sens" | "sen" | "k" => Some(SendStatus::SenSupport),
        "m" => Some(SendStatus::Monitoring),
        _ => None,
    })
}
