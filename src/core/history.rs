//! The history of an action: every change, when, and what it was before.

use super::id::{ActionId, EntryId, MeetingId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Declares [`Field`]: each variant with its stable code and its label, and the list of them
/// all, from one table.
macro_rules! fields {
    ($($variant:ident => ($code:literal, $label:literal)),+ $(,)?) => {
        /// Which field of an action changed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Field {
            $(#[serde(rename = $code)] $variant),+
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

            /// Its stable name in files and stored buckets: "next_step".
            pub fn code(self) -> &'static str {
                match self {
                    $(Field::$variant => $code),+
                }
            }

            /// The field stored as `code`.
            pub fn from_code(code: &str) -> Option<Field> {
                Field::ALL.iter().copied().find(|field| field.code() == code)
            }
        }
    };
}

fields! {
    Pupil => ("pupil", "Pupil"),
    Raised => ("raised", "Date raised"),
    Meeting => ("meeting", "Meeting"),
    ItemType => ("item_type", "Item type"),
    Decision => ("decision", "Issue or decision"),
    NextStep => ("next_step", "Action"),
    Owner => ("owner", "Owner"),
    Due => ("due", "Due date"),
    Status => ("status", "Status"),
    Evidence => ("evidence", "Evidence or note"),
    NextReview => ("next_review", "Next review"),
    Escalate => ("escalate", "Needs escalation"),
    Statutory => ("statutory", "Statutory deadline"),
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

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn a_field_is_named_in_json_by_its_code_and_read_back_from_it() {
        for &field in Field::ALL {
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.code()));
            assert_eq!(Field::from_code(field.code()), Some(field));
        }
        assert_eq!(Field::from_code("Due"), None);
    }
}
