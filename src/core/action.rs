//! An action: one row of the action log and of the live tracker, with one owner.

use super::choice::{choice_enum, Choice};
use super::id::{ActionId, MeetingId, PupilId};
use super::statutory::Statutory;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

choice_enum!(
    /// The five stored statuses. "Overdue" is never stored: see [`Action::is_overdue`].
    Status {
        Open => ("open", "Open"),
        InProgress => ("in_progress", "In progress"),
        Waiting => ("waiting", "Waiting on someone else"),
        Done => ("done", "Done"),
        Parked => ("parked", "Parked"),
    }
);

impl Status {
    /// What a new action starts as.
    pub const NEW: Status = Status::Open;

    /// Open, in progress or waiting: the row is still being followed through.
    pub fn is_live(self) -> bool {
        matches!(self, Status::Open | Status::InProgress | Status::Waiting)
    }

    /// A short label for a tap target ("Waiting" rather than the whole phrase).
    pub fn short_label(self) -> &'static str {
        match self {
            Status::Waiting => "Waiting",
            other => other.label(),
        }
    }
}

choice_enum!(
    /// What kind of follow-through the action is.
    ItemType {
        Review => ("review", "Review"),
        Intervention => ("intervention", "Intervention"),
        FollowUp => ("follow_up", "Follow-up"),
        Referral => ("referral", "Referral"),
        SupportPlanUpdate => ("support_plan_update", "Support plan update"),
        ClassroomAdjustment => ("classroom_adjustment", "Classroom adjustment"),
        DocumentToShare => ("document_to_share", "Document to share"),
        Other => ("other", "Other"),
    }
);

impl ItemType {
    /// What a new action is unless another type is chosen.
    pub const NEW: ItemType = ItemType::FollowUp;
}

/// When the row last changed, and a one-line note of what changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LastUpdate {
    #[serde(with = "super::dates::moment")]
    pub at: DateTime<Utc>,
    pub note: String,
}

/// One agreed next step, owned by one person, with a due date.
///
/// The pupil's year group and the meeting's type are not copied here: they are read from the
/// pupil and the meeting, so they can never disagree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: ActionId,
    pub pupil: PupilId,
    /// The date it was raised.
    #[serde(with = "super::dates::day")]
    pub raised: NaiveDate,
    /// The meeting or event it came from; `None` for a stand-alone item.
    #[serde(default)]
    pub meeting: Option<MeetingId>,
    pub item_type: ItemType,
    /// The issue or decision: what was agreed, in a sentence.
    pub decision: String,
    /// The action: the next step, specific and checkable.
    pub next_step: String,
    /// One named person or role.
    pub owner: String,
    /// The due or review date.
    #[serde(with = "super::dates::day")]
    pub due: NaiveDate,
    pub status: Status,
    pub last_update: LastUpdate,
    /// Evidence or a note: a short note or a link to the current record.
    #[serde(default)]
    pub evidence: String,
    #[serde(default, with = "super::dates::maybe_day")]
    pub next_review: Option<NaiveDate>,
    /// Needs escalation, raised in the weekly review.
    #[serde(default)]
    pub escalate: bool,
    /// A statutory step of an EHC plan's annual review, and which (see
    /// [`super::statutory`]); `None` for an ordinary action. Not in bundles of schemas 1 to 4
    /// (read as ordinary).
    #[serde(default)]
    pub statutory: Option<Statutory>,
}

impl Action {
    /// Overdue is derived, never set by hand: a live row whose due date has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_live() && self.due < today
    }

    /// How many days past its due date a live row is; `None` when it is not overdue.
    pub fn days_overdue(&self, today: NaiveDate) -> Option<i64> {
        self.is_overdue(today)
            .then(|| (today - self.due).num_days())
    }
}

/// What the form holds while an action is being typed: every field may still be missing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActionDraft {
    pub pupil: Option<PupilId>,
    pub raised: Option<NaiveDate>,
    pub meeting: Option<MeetingId>,
    pub item_type: Option<ItemType>,
    pub decision: String,
    pub next_step: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub status: Option<Status>,
    pub evidence: String,
    pub next_review: Option<NaiveDate>,
    pub escalate: bool,
    pub statutory: Option<Statutory>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, d).unwrap()
    }

    fn action(status: Status, due: NaiveDate) -> Action {
        Action {
            id: ActionId::new(),
            pupil: PupilId::new(),
            raised: day(1),
            meeting: None,
            item_type: ItemType::FollowUp,
            decision: "Reading support to be reviewed".into(),
            next_step: "Check reading log every Friday".into(),
            owner: "SENCO".into(),
            due,
            status,
            last_update: LastUpdate {
                at: Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0).unwrap(),
                note: "Created".into(),
            },
            evidence: String::new(),
            next_review: None,
            escalate: false,
            statutory: None,
        }
    }

    #[test]
    fn live_rows_past_their_due_date_are_overdue() {
        for status in [Status::Open, Status::InProgress, Status::Waiting] {
            let row = action(status, day(20));
            assert!(
                !row.is_overdue(day(20)),
                "{status} due today is not overdue"
            );
            assert!(row.is_overdue(day(21)), "{status} due yesterday is overdue");
            assert_eq!(row.days_overdue(day(23)), Some(3));
        }
    }

    #[test]
    fn closed_rows_are_never_overdue() {
        for status in [Status::Done, Status::Parked] {
            let row = action(status, day(1));
            assert!(!row.is_overdue(day(23)));
            assert_eq!(row.days_overdue(day(23)), None);
        }
    }

    #[test]
    fn statuses_read_back_from_codes_and_labels() {
        assert_eq!(Status::from_text("in_progress"), Some(Status::InProgress));
        assert_eq!(Status::from_text("In progress"), Some(Status::InProgress));
        assert_eq!(
            Status::from_text("WAITING ON SOMEONE ELSE"),
            Some(Status::Waiting)
        );
        assert_eq!(
            Status::from_text("overdue"),
            None,
            "overdue is never a stored status"
        );
        assert_eq!(Status::ALL.len(), 5);
        assert_eq!(
            serde_json::to_string(&Status::InProgress).unwrap(),
            "\"in_progress\""
        );
    }
}
