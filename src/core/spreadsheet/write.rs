//! Writing the action log and the tracker as CSV that opens cleanly in Excel.

use super::columns::Column;
use crate::action::Action;
use crate::bundle::{actions_of, Part};
use crate::choice::Choice;
use crate::dates;
use crate::meeting::Meeting;
use crate::pupil::Pupil;
use crate::record::Record;
use chrono::NaiveDate;
use std::borrow::Cow;

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
        crate::order::sort_by_key(&mut actions, |a| (a.due, a.raised));
    }
    // About 400 bytes a row: room for the whole file at once, rather than copying it each time
    // it outgrows its buffer.
    let mut out = Vec::with_capacity(400 * actions.len() + 4_096);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    {
        let mut writer = crate::csv_out::CsvOut::new(&mut out);
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
