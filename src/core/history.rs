//! The history of an action: every change, when, and what it was before.

use super::id::{ActionId, EntryId, MeetingId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Declares [`Field`]: each variant with its label, and the list of them all, from one table.
macro_rules! fields {
    ($($variant:ident => $label:literal),+ $(,)?) => {
        /// Which field of an action changed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Field {
            $($variant),+
        }

        impl Field {
            /// Every field, in the order a row shows them.
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            /// What a person reads, in a change ("Due date: 1 May 2026 → 8 May 2026") and beside
            /// the box that holds it.
            pub fn label(self) -> &'static str {
                match self {
                    $(Field::$variant => $label),+
                }
            }
        }
    };
}

fields! {
    Pupil => "Pupil",
    Raised => "Date raised",
    Meeting => "Meeting",
    ItemType => "Item type",
    Decision => "Issue or decision",
    NextStep => "Action",
    Owner => "Owner",
    Due => "Due date",
    Status => "Status",
    Evidence => "Evidence or note",
    NextReview => "Next review",
    Escalate => "Needs escalation",
    Statutory => "Statutory deadline",
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
