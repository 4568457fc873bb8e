//! Record ids that stay unique across devices.
//!
//! Every pupil, meeting, action and history entry gets a random (version 4) UUID when it is
//! made, on whichever tablet made it. Two devices can then merge their records by id without
//! asking each other for a number first.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new id, unique across devices.
            pub fn new() -> Self {
                Self(uuid::Uuid::new_v4())
            }

            /// An id made from sixteen random bytes that the caller drew, as a seeded
            /// generator does, so that the same seed gives the same ids.
            pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
                Self(uuid::Builder::from_random_bytes(bytes).into_uuid())
            }

            /// Reads an id written by [`fmt::Display`] (a hyphenated UUID).
            pub fn parse(text: &str) -> Option<Self> {
                uuid::Uuid::parse_str(text.trim()).ok().map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

record_id!(
    /// Identifies a [`crate::core::Pupil`].
    PupilId
);
record_id!(
    /// Identifies a [`crate::core::Meeting`].
    MeetingId
);
record_id!(
    /// Identifies an [`crate::core::Action`].
    ActionId
);
record_id!(
    /// Identifies a [`crate::core::HistoryEntry`].
    EntryId
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_do_not_repeat() {
        let ids: HashSet<ActionId> = (0..10_000).map(|_| ActionId::new()).collect();
        assert_eq!(ids.len(), 10_000);
    }

    #[test]
    fn an_id_reads_back_from_its_text_and_json() {
        let id = PupilId::new();
        assert_eq!(PupilId::parse(&id.to_string()), Some(id));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<PupilId>(&json).unwrap(), id);
        assert_eq!(PupilId::parse("not an id"), None);
    }
}
