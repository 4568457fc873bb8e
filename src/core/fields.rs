//! Each kind of row's fields as a person reads them, with their labels: the one list of a
//! pupil's, a meeting's and an action's fields that the history, the conflict view and the
//! screens read their labels and texts from.
//!
//! **How a new field is found everywhere it must go.** A row's struct (`Pupil`, `Meeting`,
//! `Action`, `HistoryEntry`) is the one declaration of its fields; serde derives the JSON
//! bundle's fields from it. Every other place that must know each field reads the struct by
//! destructuring it *without* `..`, so a field added to the struct does not compile until each
//! of them says what to do with it: [`Pupil::readable`] and its kin here (labels, the conflict
//! view), the stored row (`bucket.rs`, which also checks its field names against the bundle's),
//! the edits that undo a change (`record/edits.rs`), and the constructors (`add_action`,
//! `add_pupil`, `sample.rs`, `example.rs`, the spreadsheet's rows). That is chosen over one
//! declarative macro generating all of them because each place is ordinary Rust that reads as
//! what it does, and the compiler names every one. What the compiler cannot ask for (a column of
//! the spreadsheet, a box on a screen) a test asks for where one can, and the README's layout
//! section lists the rest.

use super::action::Action;
use super::choice::Choice;
use super::dates;
use super::history::Field;
use super::key_adults;
use super::meeting::Meeting;
use super::pupil::Pupil;
use super::statutory::Statutory;
use chrono::NaiveDate;

/// A flag as a person reads it in a change or a conflict: "yes" or "no".
pub fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.into()
}

/// An optional date as a person reads it: "23 Apr 2026", or "none".
pub fn date_or_none(date: Option<NaiveDate>) -> String {
    date.map(dates::uk).unwrap_or_else(|| "none".into())
}

/// A statutory step as its history and the conflict view say it: "Statutory: report, review on
/// 12 Mar 2027", or "no".
pub fn statutory_text(statutory: Option<Statutory>) -> String {
    statutory.map_or_else(|| "no".into(), Statutory::describe)
}

/// The fields of a pupil a person reads and changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PupilField {
    Name,
    YearGroup,
    SendStatus,
    AnnualReview,
    LeftOn,
    KeyAdults,
    Born,
}

impl PupilField {
    pub fn label(self) -> &'static str {
        match self {
            PupilField::Name => "Name",
            PupilField::YearGroup => "Year group",
            PupilField::SendStatus => "SEND status",
            PupilField::AnnualReview => "EHC plan annual review",
            PupilField::LeftOn => "Left the school on",
            PupilField::KeyAdults => "Key adults",
            PupilField::Born => "Date of birth",
        }
    }
}

/// The fields of a meeting a person reads and changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingField {
    Date,
    Type,
    Attendees,
    Summary,
    WorkingNotes,
    Pupil,
}

impl MeetingField {
    pub fn label(self) -> &'static str {
        match self {
            MeetingField::Date => "Date",
            MeetingField::Type => "Type",
            MeetingField::Attendees => "Who was there",
            MeetingField::Summary => "Summary",
            MeetingField::WorkingNotes => "Working notes",
            MeetingField::Pupil => "Pupil",
        }
    }
}

/// The label of an action's last update note, which no edit sets (a change writes it).
pub const LAST_UPDATE: &str = "Last update";

impl Pupil {
    /// Every field a person reads, labelled, in the order they are shown; the clock
    /// (`updated_at`) is not one.
    pub fn readable(&self) -> Vec<(&'static str, String)> {
        let Pupil {
            id: _,
            name,
            year_group,
            send_status,
            annual_review,
            left_on,
            key_adults,
            born,
            updated_at: _,
        } = self;
        vec![
            (PupilField::Name.label(), name.clone()),
            (PupilField::YearGroup.label(), year_group.label().into()),
            (PupilField::SendStatus.label(), send_status.label().into()),
            (
                PupilField::AnnualReview.label(),
                date_or_none(*annual_review),
            ),
            (PupilField::Born.label(), date_or_none(*born)),
            (PupilField::LeftOn.label(), date_or_none(*left_on)),
            (
                PupilField::KeyAdults.label(),
                key_adults::readable(key_adults),
            ),
        ]
    }
}

impl Meeting {
    /// Every field a person reads, labelled, in the order they are shown; the clock
    /// (`updated_at`) is not one.
    pub fn readable(&self) -> Vec<(&'static str, String)> {
        let Meeting {
            id: _,
            date,
            pupil,
            meeting_type,
            attendees,
            summary,
            working_notes,
            updated_at: _,
        } = self;
        vec![
            (MeetingField::Date.label(), dates::uk(*date)),
            (MeetingField::Type.label(), meeting_type.label().into()),
            (MeetingField::Attendees.label(), attendees.join(", ")),
            (MeetingField::Summary.label(), summary.clone()),
            (MeetingField::WorkingNotes.label(), working_notes.clone()),
            (MeetingField::Pupil.label(), pupil.to_string()),
        ]
    }
}

impl Action {
    /// Every field a person reads, labelled as its history labels it, in the order they are
    /// shown; the clock (`last_update.at`) is not one, its note is.
    pub fn readable(&self) -> Vec<(&'static str, String)> {
        let Action {
            id: _,
            pupil,
            raised,
            meeting,
            item_type,
            decision,
            next_step,
            owner,
            due,
            status,
            last_update,
            evidence,
            next_review,
            escalate,
            statutory,
        } = self;
        vec![
            (Field::Pupil.label(), pupil.to_string()),
            (Field::Raised.label(), dates::uk(*raised)),
            (
                Field::Meeting.label(),
                meeting.map(|m| m.to_string()).unwrap_or_default(),
            ),
            (Field::ItemType.label(), item_type.label().into()),
            (Field::Decision.label(), decision.clone()),
            (Field::NextStep.label(), next_step.clone()),
            (Field::Owner.label(), owner.clone()),
            (Field::Due.label(), dates::uk(*due)),
            (Field::Status.label(), status.label().into()),
            (LAST_UPDATE, last_update.note.clone()),
            (Field::Evidence.label(), evidence.clone()),
            (Field::NextReview.label(), date_or_none(*next_review)),
            (Field::Escalate.label(), yes_no(*escalate)),
            (Field::Statutory.label(), statutory_text(*statutory)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::example::example;

    #[test]
    fn every_field_a_person_reads_has_its_own_label_and_text() {
        let record = example(NaiveDate::from_ymd_opt(2026, 4, 23).unwrap());
        let labels = |fields: Vec<(&'static str, String)>| {
            let labels: Vec<_> = fields.iter().map(|(label, _)| *label).collect();
            let mut unique = labels.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), labels.len(), "{labels:?}");
            labels.len()
        };
        assert_eq!(labels(record.pupils()[0].readable()), 7);
        assert_eq!(labels(record.meetings()[0].readable()), 6);
        assert_eq!(labels(record.actions()[0].readable()), 14);
        let action = &record.actions()[0];
        let read = action.readable();
        assert!(read.contains(&("Owner", action.owner.clone())));
        assert!(read.contains(&("Due date", dates::uk(action.due))));
        assert_eq!(date_or_none(None), "none");
        assert_eq!(yes_no(true), "yes");
    }
}
