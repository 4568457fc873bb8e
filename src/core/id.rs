//! Record ids that stay unique across devices.
//!
//! Every pupil, meeting, action and history entry gets a random (version 4) UUID when it is
//! made, on whichever tablet made it. Two devices can then merge their records by id without
//! asking each other for a number first.

use serde::{Deserialize, Serialize};
use std::fmt;

thread_local! {
    static DRAW: std::cell::RefCell<(fastrand::Rng, u32)> =
        const { std::cell::RefCell::new((fastrand::Rng::with_seed(0), 0)) };
}

/// Makes every id drawn afterwards on this thread follow `seed`: a seeded simulation then makes
/// the same ids each time, so a failing seed replays exactly. For tests; the app never calls it.
pub fn follow_seed(seed: u64) {
    DRAW.with(|draw| *draw.borrow_mut() = (fastrand::Rng::with_seed(seed), u32::MAX));
}

/// Sixteen random bytes for a new id. The browser's (or system's) cryptographic random
/// numbers seed a fast generator, drawn afresh every 4,096 ids: asking the browser for every id
/// costs a call out of WebAssembly each time, and an import makes tens of thousands.
fn random_bytes() -> [u8; 16] {
    DRAW.with(|draw| {
        let (rng, left) = &mut *draw.borrow_mut();
        if *left == 0 {
            let seed = uuid::Uuid::new_v4().as_u128();
            *rng = fastrand::Rng::with_seed((seed as u64) ^ ((seed >> 64) as u64));
            *left = 4096;
        }
        *left -= 1;
        rng.u128(..).to_le_bytes()
    })
}

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new id, unique across devices.
            pub fn new() -> Self {
                Self::from_random_bytes(random_bytes())
            }

            /// An id made from sixteen random bytes that the caller drew, as a seeded
            /// generator does, so that the same seed gives the same ids.
            pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
                Self(uuid::Builder::from_random_bytes(bytes).into_uuid())
            }

            /// The id as [`fmt::Display`] writes it, into `buffer` rather than a new string.
            pub fn encode<'b>(&self, buffer: &'b mut [u8; 45]) -> &'b str {
                self.0.hyphenated().encode_lower(buffer)
            }

            /// The id's sixteen bytes, as a compact stored bucket holds it.
            pub fn to_bytes(self) -> [u8; 16] {
                self.0.into_bytes()
            }

            /// The id whose bytes [`Self::to_bytes`] gave: taken as they are, whatever UUID
            /// version they say, as an id read from text is.
            pub fn from_stored_bytes(bytes: [u8; 16]) -> Self {
                Self(uuid::Uuid::from_bytes(bytes))
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

        /// Written as the hyphenated UUID, straight into the output: an export writes hundreds
        /// of thousands of ids.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut buffer = uuid::Uuid::encode_buffer();
                serializer.serialize_str(self.0.hyphenated().encode_lower(&mut buffer))
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
    /// Identifies a [`crate::Pupil`].
    PupilId
);
record_id!(
    /// Identifies a [`crate::Meeting`].
    MeetingId
);
record_id!(
    /// Identifies an [`crate::Action`].
    ActionId
);
record_id!(
    /// Identifies a [`crate::HistoryEntry`].
    EntryId
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_do_not_repeat() {
        // More than one draw of the generator (it is seeded afresh every 4,096 ids).
        let ids: HashSet<ActionId> = (0..10_000).map(|_| ActionId::new()).collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(50) {
            let uuid = uuid::Uuid::parse_str(&id.to_string()).unwrap();
            assert_eq!(uuid.get_version_num(), 4, "a random (version 4) UUID");
        }
    }

    #[test]
    fn an_id_reads_back_from_its_text_and_json() {
        let id = PupilId::new();
        assert_eq!(PupilId::parse(&id.to_string()), Some(id));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<PupilId>(&json).unwrap(), id);
        assert_eq!(PupilId::parse("not an id"), None);
        assert_eq!(PupilId::from_stored_bytes(id.to_bytes()), id);
    }
}
