//! What differs between two versions of a row, field by field as a person reads it, and each
//! kind of row (pupil, meeting, action) as the merge sees it: its id and its clock.

use crate::action::Action;
use crate::choice::Choice;
use crate::dates;
use crate::id::{ActionId, MeetingId, PupilId};
use crate::meeting::Meeting;
use crate::pupil::Pupil;
use crate::record::Record;
use chrono::{DateTime, Utc};
use std::hash::Hash;

/// One field that differs between two versions of a row, as a person reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub label: &'static str,
    pub ours: String,
    pub theirs: String,
}

/// A pupil, meeting or action as the merge sees it.
pub trait Entity: Clone + PartialEq + std::fmt::Debug {
    type Id: Copy + Eq + Hash + std::fmt::Display;
    fn id(&self) -> Self::Id;
    /// When this version was made; the newer version wins.
    fn clock(&self) -> DateTime<Utc>;
    /// The fields a person reads that differ from `theirs`.
    fn field_differences(&self, theirs: &Self) -> Vec<Difference>;
    /// What differs from `theirs`: the fields, or when no field does, when each was last changed.
    fn differences(&self, theirs: &Self) -> Vec<Difference> {
        let mut out = self.field_differences(theirs);
        if out.is_empty() && self.clock() != theirs.clock() {
            let moment = |at: DateTime<Utc>| {
                format!(
                    "{} {} UTC",
                    dates::uk(at.date_naive()),
                    dates::hours_minutes(at)
                )
            };
            differ(
                &mut out,
                "Last changed",
                moment(self.clock()),
                moment(theirs.clock()),
            );
        }
        out
    }
    fn rows(record: &Record) -> &[Self];
    fn position(record: &Record, id: Self::Id) -> Option<usize>;
}

/// Pushes a difference when the two texts differ.
fn differ(out: &mut Vec<Difference>, label: &'static str, ours: String, theirs: String) {
    if ours != theirs {
        out.push(Difference {
            label,
            ours,
            theirs,
        });
    }
}

fn date_text(date: Option<chrono::NaiveDate>) -> String {
    date.map(dates::uk).unwrap_or_else(|| "none".into())
}

impl Entity for Pupil {
    type Id = PupilId;
    fn id(&self) -> PupilId {
        self.id
    }
    fn clock(&self) -> DateTime<Utc> {
        self.updated_at
    }
    fn field_differences(&self, theirs: &Self) -> Vec<Difference> {
        let mut out = Vec::new();
        differ(&mut out, "Name", self.name.clone(), theirs.name.clone());
        differ(
            &mut out,
            "Year group",
            self.year_group.label().into(),
            theirs.year_group.label().into(),
        );
        differ(
            &mut out,
            "SEND status",
            self.send_status.label().into(),
            theirs.send_status.label().into(),
        );
        differ(
            &mut out,
            "Annual review",
            date_text(self.annual_review),
            date_text(theirs.annual_review),
        );
        out
    }
    fn rows(record: &Record) -> &[Self] {
        record.pupils()
    }
    fn position(record: &Record, id: PupilId) -> Option<usize> {
        record.position_of_pupil(id)
    }
}

impl Entity for Meeting {
    type Id = MeetingId;
    fn id(&self) -> MeetingId {
        self.id
    }
    fn clock(&self) -> DateTime<Utc> {
        self.updated_at
    }
    fn field_differences(&self, theirs: &Self) -> Vec<Difference> {
        let mut out = Vec::new();
        differ(
            &mut out,
            "Date",
            dates::uk(self.date),
            dates::uk(theirs.date),
        );
        differ(
            &mut out,
            "Type",
            self.meeting_type.label().into(),
            theirs.meeting_type.label().into(),
        );
        differ(
            &mut out,
            "Who was there",
            self.attendees.join(", "),
            theirs.attendees.join(", "),
        );
        differ(
            &mut out,
            "Summary",
            self.summary.clone(),
            theirs.summary.clone(),
        );
        differ(
            &mut out,
            "Working notes",
            self.working_notes.clone(),
            theirs.working_notes.clone(),
        );
        if self.pupil != theirs.pupil {
            differ(
                &mut out,
                "Pupil",
                self.pupil.to_string(),
                theirs.pupil.to_string(),
            );
        }
        out
    }
    fn rows(record: &Record) -> &[Self] {
        record.meetings()
    }
    fn position(record: &Record, id: MeetingId) -> Option<usize> {
        record.position_of_meeting(id)
    }
}

impl Entity for Action {
    type Id = ActionId;
    fn id(&self) -> ActionId {
        self.id
    }
    fn clock(&self) -> DateTime<Utc> {
        self.last_update.at
    }
    fn field_differences(&self, theirs: &Self) -> Vec<Difference> {
        let mut out = Vec::new();
        let d = &mut out;
        differ(d, "Pupil", self.pupil.to_string(), theirs.pupil.to_string());
        differ(
            d,
            "Date raised",
            dates::uk(self.raised),
            dates::uk(theirs.raised),
        );
        differ(
            d,
            "Meeting",
            self.meeting.map(|m| m.to_string()).unwrap_or_default(),
            theirs.meeting.map(|m| m.to_string()).unwrap_or_default(),
        );
        differ(
            d,
            "Item type",
            self.item_type.label().into(),
            theirs.item_type.label().into(),
        );
        differ(
            d,
            "Issue or decision",
            self.decision.clone(),
            theirs.decision.clone(),
        );
        differ(
            d,
            "Action",
            self.next_step.clone(),
            theirs.next_step.clone(),
        );
        differ(d, "Owner", self.owner.clone(), theirs.owner.clone());
        differ(d, "Due", dates::uk(self.due), dates::uk(theirs.due));
        differ(
            d,
            "Status",
            self.status.label().into(),
            theirs.status.label().into(),
        );
        differ(
            d,
            "Last update",
            self.last_update.note.clone(),
            theirs.last_update.note.clone(),
        );
        differ(
            d,
            "Evidence or note",
            self.evidence.clone(),
            theirs.evidence.clone(),
        );
        differ(
            d,
            "Next review",
            date_text(self.next_review),
            date_text(theirs.next_review),
        );
        let yes_no = |flag: bool| if flag { "yes" } else { "no" }.to_string();
        differ(
            d,
            "Needs escalation",
            yes_no(self.escalate),
            yes_no(theirs.escalate),
        );
        out
    }
    fn rows(record: &Record) -> &[Self] {
        record.actions()
    }
    fn position(record: &Record, id: ActionId) -> Option<usize> {
        record.position_of_action(id)
    }
}
