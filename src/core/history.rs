//! The history of an action: every change, when, and what it was before.

use super::id::{ActionId, EntryId, MeetingId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which field of an action changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Pupil,
    Raised,
    Meeting,
    ItemType,
    Decision,
    NextStep,
    Owner,
    Due,
    Status,
    Evidence,
    NextReview,
    Escalate,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Pupil => "Pupil",
            Field::Raised => "Date raised",
            Field::Meeting => "Meeting",
            Field::ItemType => "Item type",
            Field::Decision => "Issue or decision",
            Field::NextStep => "Action",
            Field::Owner => "Owner",
            Field::Due => "Due date",
            Field::Status => "Status",
            Field::Evidence => "Evidence or note",
            Field::NextReview => "Next review",
            Field::Escalate => "Needs escalation",
        }
    }
}

/// One field's value before and after a change, as text a person can read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: Field,
    pub before: String,
    pub after: String,
}

/// One change to one action. The row's creation is an entry with no field changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: EntryId,
    pub action: ActionId,
    #[serde(with = "super::dates::moment")]
    pub at: DateTime<Utc>,
    /// The one-line note, as shown in the row's "last update".
    pub note: String,
    /// The meeting at which the change was made, when it was reviewed at one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    #[serde(default)]
    pub changes: Vec<FieldChange>,
}
