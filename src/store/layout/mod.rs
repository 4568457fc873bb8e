//! How the record is laid out in storage: buckets of up to [`BUCKET_SIZE`] records, each bucket
//! one value under a key such as `actions/000042` (JSON, or compact for actions, history and
//! meetings: `core::bucket`). Plain Rust, so it is tested natively.
//!
//! Every kind of record (pupils, meetings, actions, history) is kept in insertion order, so a
//! record at position `p` always lives in bucket `p / BUCKET_SIZE`. A change names the positions
//! it touched ([`Touched`]); only their buckets are encoded and written again. One edit of an
//! action rewrites its action bucket and the newest history bucket: two values of at most a
//! thousand rows, whatever the size of the record.
//!
//! A small change (an edit, a new action) is not written into its buckets at once: it is kept
//! as one journal entry, `journal/000000042`, holding just the rows it touched ([`Patch`]), and
//! read back over the buckets at start-up. Every [`JOURNAL_LIMIT`] entries, or with the next
//! large change (an import), the buckets the journal touched are written and its entries
//! deleted, in one transaction ([`Journal::save`]). So an edit writes a few hundred bytes
//! whatever the size of the record.
//!
//! The files: `journal` (a change saved as a journal entry or into its buckets, and the journal
//! read back at start-up), `queue` (one save at a time, the changes made meanwhile waiting),
//! `write` (the buckets a change or a full rewrite writes) and `read` (the whole read, the
//! start-up read of the newest history and the older history read afterwards).
//!
//! [`Touched`]: crate::core::record::Touched
//! [`Patch`]: crate::core::record::Patch

mod journal;
mod queue;
mod read;
mod write;

pub use journal::{Journal, Retry};
pub use queue::{Queue, Waiting};
pub use read::{
    decode, decode_history, decode_newest, is_start_up_read, newest_history_read, read_first,
    LoadError, Loaded, Stored,
};
pub use write::{as_json_text, encode_all, encode_meta, encode_touched, Writes};

use crate::core::record::{Kind, FORMAT_NAME, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};

/// Records per bucket: small enough that rewriting one costs a few milliseconds, large enough
/// that 50,000 actions load as 50 values rather than 50,000.
pub const BUCKET_SIZE: usize = 1000;

/// The key of the value that says which format and schema the stored buckets use.
pub const META_KEY: &str = "meta";

/// Journal entries kept before they are written into buckets.
pub const JOURNAL_LIMIT: usize = 200;

/// A change that touches more rows than this is written into its buckets at once.
pub const JOURNAL_ROWS: usize = 200;

/// Where journal entries are kept: `journal/000000042`.
pub const JOURNAL_PREFIX: &str = "journal/";

/// What every stored bucket, and the meta value, says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub format: String,
    pub schema: u32,
}

impl Meta {
    pub fn current() -> Self {
        Meta {
            format: FORMAT_NAME.into(),
            schema: SCHEMA_VERSION,
        }
    }
}

/// The key of bucket `number` of a kind: `actions/000042`. Zero-padded, so keys sort in order.
pub fn bucket_key(kind: Kind, number: usize) -> String {
    format!("{}/{number:06}", kind.name())
}

/// Reads a bucket key back; `None` for the meta key or a key this version does not know.
pub fn parse_key(key: &str) -> Option<(Kind, usize)> {
    let (name, number) = key.split_once('/')?;
    let kind = Kind::ALL.into_iter().find(|k| k.name() == name)?;
    Some((kind, number.parse().ok()?))
}

#[cfg(test)]
mod tests {
    //! The record and the helpers the tests of this folder start from.
    use super::*;
    use crate::core::record::{Edit, NewPupil, Record, Touched};
    use crate::core::{ActionDraft, SendStatus, Status, YearGroup};
    use chrono::{NaiveDate, TimeZone, Utc};
    use std::collections::BTreeMap;

    pub(super) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
    }

    /// Action number `n` for `pupil`: a row that passes every check.
    pub(super) fn numbered(pupil: crate::core::PupilId, n: usize) -> ActionDraft {
        ActionDraft {
            pupil: Some(pupil),
            decision: format!("Decision {n}"),
            next_step: format!("Send reading record {n} to the SENCO by Friday"),
            owner: "Parent".into(),
            due: NaiveDate::from_ymd_opt(2026, 5, 1),
            ..ActionDraft::default()
        }
    }

    pub(super) fn record_with(actions: usize) -> Record {
        let now = Utc.with_ymd_and_hms(2026, 4, 23, 9, 0, 0).unwrap();
        let mut record = Record::default();
        let (pupil, _) = record
            .add_pupil(
                NewPupil {
                    name: "Siân Jones".into(),
                    year_group: YearGroup::Year9,
                    send_status: SendStatus::EhcPlan,
                    annual_review: NaiveDate::from_ymd_opt(2026, 11, 3),
                },
                now,
            )
            .unwrap();
        for n in 0..actions {
            record
                .add_action(&numbered(pupil, n), today(), now)
                .unwrap();
        }
        record
    }

    /// A large change: the first [`JOURNAL_ROWS`] actions parked, too many rows for one journal
    /// entry.
    pub(super) fn park_many(record: &mut Record, now: chrono::DateTime<Utc>) -> Touched {
        let ids: Vec<_> = record.actions().iter().map(|a| a.id).collect();
        let parked = [Edit::Status(Status::Parked)];
        record
            .edit_actions(&ids[..JOURNAL_ROWS], &parked, None, now)
            .unwrap()
            .1
    }

    /// `stored` as versions before the compact form stored it: every bucket as JSON text.
    pub(super) fn as_json(stored: Vec<(String, Vec<u8>)>) -> Vec<(String, String)> {
        stored
            .into_iter()
            .map(|(key, value)| {
                let json =
                    as_json_text(&key, &value).unwrap_or_else(|| String::from_utf8(value).unwrap());
                (key, json)
            })
            .collect()
    }

    /// Writes `writes` into `stored` as one IndexedDB transaction would.
    pub(super) fn write(stored: &mut BTreeMap<String, Vec<u8>>, writes: Writes) {
        for key in writes.deletes {
            stored.remove(&key);
        }
        stored.extend(writes.puts);
    }

    #[test]
    fn bucket_keys_sort_in_position_order_and_read_back() {
        assert_eq!(bucket_key(Kind::History, 12), "history/000012");
        assert!(bucket_key(Kind::Actions, 9) < bucket_key(Kind::Actions, 10));
        assert_eq!(parse_key("history/000012"), Some((Kind::History, 12)));
        assert_eq!(parse_key("meta"), None);
        assert_eq!(parse_key("actions/x"), None);
    }
}
