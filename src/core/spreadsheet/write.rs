//! Writing the action log and the tracker as CSV that opens cleanly in Excel.

use super::cells::Scratch;
use super::columns::{Column, Source};
use crate::bundle::{actions_of, Part};
use crate::record::Record;
use chrono::NaiveDate;

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
                LeftOn,
                Born,
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
                Statutory,
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

/// A table of `part` of the record as CSV bytes, ready to open in Excel. The tracker of the
/// whole record holds its live rows, soonest due first.
pub fn export(record: &Record, table: Table, part: &Part, today: NaiveDate) -> Vec<u8> {
    let mut actions = actions_of(record, part);
    if table == Table::Tracker && *part == Part::Everything {
        actions.retain(|a| a.status.is_live());
        crate::order::sort_by_key(&mut actions, |a| (a.due, a.raised));
    }
    // About 400 bytes a row: room for the whole file at once, rather than copying it each time
    // it outgrows its buffer.
    let mut out = Vec::with_capacity(400 * actions.len() + 4_096);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    {
        let mut writer = crate::csv_out::CsvOut::new(&mut out);
        let columns = table.columns();
        let mut scratch = Scratch::new();
        writer.write_record(columns.iter().map(|c| c.header()));
        for action in actions {
            let source = Source {
                action,
                pupil: record.pupil(action.pupil),
                meeting: action.meeting.and_then(|m| record.meeting(m)),
                today,
            };
            for &column in columns {
                let text = column.write(&source).written(&mut scratch);
                writer.write_field(guard_cell(&text).as_bytes());
            }
            writer.end_record();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Edit;
    use crate::spreadsheet::tests::{now, school, today};

    /// The file's rows, read back by the `csv` crate (the header first), after its byte order mark.
    fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .expect("a byte order mark");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text)
            .records()
            .map(|row| row.unwrap().iter().map(String::from).collect())
            .collect()
    }

    fn headers(table: Table) -> Vec<String> {
        table.columns().iter().map(|c| c.header().into()).collect()
    }

    #[test]
    fn a_file_starts_with_a_byte_order_mark_and_its_headers_and_ends_lines_with_crlf() {
        let school = school();
        let bytes = export(&school.record, Table::ActionLog, &Part::Everything, today());
        assert!(bytes.starts_with("\u{FEFF}Date raised,Pupil,Year group,".as_bytes()));
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.ends_with("\r\n"));
        assert_eq!(text.matches('\n').count(), 4, "the header and three rows");
        assert_eq!(text.matches("\r\n").count(), 4, "every line ends with CRLF");
        let rows = rows(&bytes);
        assert_eq!(rows[0], headers(Table::ActionLog));
        let at_review = &rows[1];
        let cell = |column: Column| {
            let at = Table::ActionLog.columns().iter().position(|&c| c == column);
            at_review[at.unwrap()].as_str()
        };
        assert_eq!(cell(Column::DateRaised), "2026-04-20");
        assert_eq!(cell(Column::Pupil), "Zoë Brontë");
        assert_eq!(cell(Column::SendStatus), "EHC plan");
        assert_eq!(cell(Column::MeetingDate), "2026-04-20");
        assert_eq!(cell(Column::MeetingType), "Annual review");
        assert_eq!(cell(Column::Due), "2026-05-01");
        assert_eq!(cell(Column::NeedsEscalation), "No");
        assert_eq!(cell(Column::NextReview), "");
        assert_eq!(cell(Column::ActionId), school.at_review.to_string());
        assert_eq!(cell(Column::MeetingId), school.review.to_string());
        // A stand-alone item has no meeting.
        assert_eq!(rows[2][4..6], ["", ""]);
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted_and_survive() {
        let mut school = school();
        let decision = "Agreed: \"quiet space\", at lunch,\r\nand after school";
        let edit = [Edit::Decision(decision.into())];
        let id = school.at_review;
        school.record.edit_action(id, &edit, None, now()).unwrap();
        let bytes = export(&school.record, Table::ActionLog, &Part::Everything, today());
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.contains(",\"Agreed: \"\"quiet space\"\", at lunch,\r\nand after school\","));
        let column = Table::ActionLog
            .columns()
            .iter()
            .position(|&c| c == Column::Decision);
        assert_eq!(rows(&bytes)[1][column.unwrap()], decision);
    }

    #[test]
    fn a_cell_that_would_start_a_formula_gets_an_apostrophe_taken_off_again_on_reading() {
        for start in ["=", "+", "-", "@", "\t", "\r", "\n"] {
            let text = format!("{start}SUM(A1:A9)");
            let guarded = guard_cell(&text);
            assert_eq!(guarded, format!("'{text}"));
            assert_eq!(unguard(&guarded), text);
            // Apostrophes already there before such a character get one more.
            let quoted = format!("''{text}");
            assert_eq!(guard_cell(&quoted), format!("'{quoted}"));
            assert_eq!(unguard(&guard_cell(&quoted)), quoted);
        }
        for text in ["O'Neil", "'Neil", "", "Call home", "1+1", "'"] {
            assert_eq!(guard_cell(text), text);
            assert_eq!(unguard(text), text);
        }
        let mut school = school();
        let edit = [Edit::NextStep("=HYPERLINK(\"http://evil\")".into())];
        let id = school.at_review;
        school.record.edit_action(id, &edit, None, now()).unwrap();
        let bytes = export(&school.record, Table::Tracker, &Part::Everything, today());
        let column = Table::Tracker
            .columns()
            .iter()
            .position(|&c| c == Column::NextStep);
        let rows = rows(&bytes);
        let written = rows.iter().map(|row| row[column.unwrap()].as_str());
        assert!(written
            .clone()
            .any(|cell| cell == "'=HYPERLINK(\"http://evil\")"));
        assert!(written.clone().all(|cell| !cell.starts_with('=')));
    }

    #[test]
    fn the_tracker_holds_the_live_rows_soonest_due_first_with_days_overdue() {
        let school = school();
        let bytes = export(&school.record, Table::Tracker, &Part::Everything, today());
        let rows = rows(&bytes);
        assert_eq!(rows[0], headers(Table::Tracker));
        let at = |column: Column| Table::Tracker.columns().iter().position(|&c| c == column);
        let (id, overdue) = (
            at(Column::ActionId).unwrap(),
            at(Column::DaysOverdue).unwrap(),
        );
        let ids: Vec<&str> = rows[1..].iter().map(|row| row[id].as_str()).collect();
        let (first, second) = (school.overdue.to_string(), school.at_review.to_string());
        assert_eq!(
            ids,
            [first.as_str(), second.as_str()],
            "done rows are left out"
        );
        assert_eq!(rows[1][overdue], "22");
        assert_eq!(rows[2][overdue], "");
        assert_eq!(rows[1][at(Column::NeedsEscalation).unwrap()], "Yes");
        assert_eq!(rows[1][at(Column::NextReview).unwrap()], "2026-05-15");
        assert_eq!(rows[1][at(Column::Status).unwrap()], "In progress");
    }

    #[test]
    fn a_part_of_the_record_is_written_done_rows_too_and_no_rows_is_a_header() {
        let school = school();
        let part = Part::Pupil(school.sam_6);
        let sam = rows(&export(&school.record, Table::Tracker, &part, today()));
        assert_eq!(sam.len(), 2, "the header and Sam's done row");
        assert!(sam[1].contains(&"Done".to_string()));
        let empty = export(&Record::default(), Table::ActionLog, &part, today());
        assert_eq!(
            rows(&empty),
            [headers(Table::ActionLog)],
            "a header, even so"
        );
    }

    #[test]
    fn file_names_say_which_table() {
        assert_eq!(Table::ActionLog.file_word(), "actions");
        assert_eq!(Table::Tracker.file_word(), "tracker");
    }
}
