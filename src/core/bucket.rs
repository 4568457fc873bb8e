//! The JSON of a stored bucket: `{"format":"sendlog","schema":1,"records":[…]}`, a run of rows
//! of one kind. How buckets are keyed and laid out is the store's business; the JSON of the
//! rows is written and read here, in the domain's crate, because it is the work done for every
//! row at start-up and after an import, and this crate is compiled for speed (see Cargo.toml).

use crate::record::{FORMAT_NAME, SCHEMA_VERSION};
use crate::{Action, HistoryEntry, Meeting, Pupil};
use serde::{Deserialize, Serialize};

/// A bucket as read: what it says about itself, and its rows.
#[derive(Deserialize)]
pub struct Bucket<T> {
    pub format: String,
    pub schema: u32,
    pub records: Vec<T>,
}

#[derive(Serialize)]
struct BucketOut<'a, T> {
    format: &'static str,
    schema: u32,
    records: &'a [T],
}

/// A kind of row kept in buckets: pupils, meetings, actions and history entries.
pub trait Row: Sized {
    /// The rows as one bucket's JSON, with this version's format name and schema.
    fn encode_bucket(rows: &[Self]) -> String;
    /// Reads a bucket's JSON; what it says of its format and schema is for the caller to check.
    fn decode_bucket(json: &[u8]) -> Result<Bucket<Self>, serde_json::Error>;
}

macro_rules! row {
    ($($kind:ty),*) => {$(
        impl Row for $kind {
            fn encode_bucket(rows: &[Self]) -> String {
                serde_json::to_string(&BucketOut {
                    format: FORMAT_NAME,
                    schema: SCHEMA_VERSION,
                    records: rows,
                })
                .expect("rows always encode")
            }
            fn decode_bucket(json: &[u8]) -> Result<Bucket<Self>, serde_json::Error> {
                serde_json::from_slice(json)
            }
        }
    )*};
}

row!(Pupil, Meeting, Action, HistoryEntry);
