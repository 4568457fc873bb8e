//! What differs between two versions of a row, field by field as a person reads it, and each
//! kind of row (pupil, meeting, action) as the merge sees it: its id and its clock.

use crate::action::Action;
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

/// The fields of two versions whose texts differ, labelled as the row's fields are (see
/// [`crate::fields`]): both lists come from the same `readable`, so they pair up.
fn readable_differences(
    ours: Vec<(&'static str, String)>,
    theirs: Vec<(&'static str, String)>,
) -> Vec<Difference> {
    let mut out = Vec::new();
    for ((label, ours), (_, theirs)) in ours.into_iter().zip(theirs) {
        differ(&mut out, label, ours, theirs);
    }
    out
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
        readable_differences(self.readable(), theirs.readable())
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
        readable_differences(self.readable(), theirs.readable())
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
        readable_differences(self.readable(), theirs.readable())
    }
    fn rows(record: &Record) -> &[Self] {
        record.actions()
    }
    fn position(record: &Record, id: ActionId) -> Option<usize> {
        record.position_of_action(id)
    }
}
