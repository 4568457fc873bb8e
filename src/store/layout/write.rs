//! Writing: the buckets a change touched (or left empty), and every bucket of a full rewrite.

use super::{bucket_key, Meta, BUCKET_SIZE, META_KEY};
use crate::core::bucket::Row;
use crate::core::record::{Kind, Record, Touched};
use crate::core::{Action, HistoryEntry, Meeting};
use std::collections::BTreeSet;

/// What to write for a change: buckets to put, and buckets left empty (after an undo removed
/// the rows at the end) to delete.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Writes {
    pub puts: Vec<(String, Vec<u8>)>,
    pub deletes: Vec<String>,
}

/// The buckets that hold the touched positions, encoded and ready to be written.
pub fn encode_touched(record: &Record, touched: &Touched) -> Writes {
    let buckets: BTreeSet<(Kind, usize)> = touched
        .0
        .iter()
        .map(|&(kind, position)| (kind, position / BUCKET_SIZE))
        .collect();
    let mut writes = Writes::default();
    for (kind, number) in buckets {
        let key = bucket_key(kind, number);
        if number * BUCKET_SIZE < len(record, kind) {
            writes.puts.push((key, encode_bucket(record, kind, number)));
        } else {
            writes.deletes.push(key);
        }
    }
    writes
}

/// Every bucket of the record, and the meta value: what a full rewrite writes.
pub fn encode_all(record: &Record) -> Vec<(String, Vec<u8>)> {
    debug_assert!(
        record.history_complete(),
        "only a whole record is written whole"
    );
    let mut all = vec![(META_KEY.to_string(), encode_meta())];
    for kind in Kind::ALL {
        let count = len(record, kind).div_ceil(BUCKET_SIZE);
        all.extend((0..count).map(|n| (bucket_key(kind, n), encode_bucket(record, kind, n))));
    }
    all
}

/// A stored bucket of actions, history or meetings, in either form, as the JSON text that
/// versions before the compact form stored; `None` for any other key, or a value that does not
/// decode. For the tools that show what is stored (the seed command, the tests).
pub fn as_json_text(key: &str, value: &[u8]) -> Option<String> {
    match super::parse_key(key)?.0 {
        Kind::Actions => Some(Action::encode_json(
            &Action::decode_bucket(value).ok()?.records,
        )),
        Kind::History => Some(HistoryEntry::encode_json(
            &HistoryEntry::decode_bucket(value).ok()?.records,
        )),
        Kind::Meetings => Some(Meeting::encode_json(
            &Meeting::decode_bucket(value).ok()?.records,
        )),
        Kind::Pupils => None,
    }
}

pub fn encode_meta() -> Vec<u8> {
    serde_json::to_vec(&Meta::current()).expect("meta always encodes")
}

fn len(record: &Record, kind: Kind) -> usize {
    match kind {
        Kind::Pupils => record.pupils().len(),
        Kind::Meetings => record.meetings().len(),
        Kind::Actions => record.actions().len(),
        Kind::History => record.lengths()[3],
    }
}

fn encode_bucket(record: &Record, kind: Kind, number: usize) -> Vec<u8> {
    /// The rows of bucket `number`, from rows held from position `from` on. A bucket before
    /// `from` is never written: only whole buckets are held back at start-up.
    fn slice<T>(rows: &[T], from: usize, number: usize) -> &[T] {
        let start = (number * BUCKET_SIZE).saturating_sub(from).min(rows.len());
        &rows[start..(start + BUCKET_SIZE).min(rows.len())]
    }
    match kind {
        Kind::Pupils => Row::encode_bucket(slice(record.pupils(), 0, number)),
        Kind::Meetings => Row::encode_bucket(slice(record.meetings(), 0, number)),
        Kind::Actions => Row::encode_bucket(slice(record.actions(), 0, number)),
        Kind::History => {
            debug_assert!(number * BUCKET_SIZE >= record.history_from());
            Row::encode_bucket(slice(record.history(), record.history_from(), number))
        }
    }
}

/// The keys [`encode_all`] writes for `record`.
pub(super) fn encode_all_keys(record: &Record) -> BTreeSet<String> {
    let mut keys = BTreeSet::from([META_KEY.to_string()]);
    for kind in Kind::ALL {
        keys.extend((0..len(record, kind).div_ceil(BUCKET_SIZE)).map(|n| bucket_key(kind, n)));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::Edit;
    use crate::core::{ActionDraft, Status};
    use crate::store::layout::decode;
    use crate::store::layout::tests::{record_with, today};
    use chrono::{NaiveDate, TimeZone, Utc};
    use std::collections::BTreeMap;

    #[test]
    fn a_record_reads_back_exactly_from_its_buckets() {
        let record = record_with(2_345);
        let stored = encode_all(&record);
        // meta + 1 pupil bucket + 3 action buckets + 3 history buckets
        assert_eq!(stored.len(), 1 + 1 + 3 + 3);
        let loaded = decode(stored).unwrap();
        assert_eq!(loaded.record, record);
        assert!(!loaded.needs_rewrite);
        assert!(!loaded.meta_missing);
    }

    #[test]
    fn one_edit_rewrites_two_buckets_whatever_the_size() {
        let mut record = record_with(5_000);
        let id = record.actions()[1_234].id;
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let (_, touched) = record
            .edit_action(id, &[Edit::Status(Status::Done)], None, now)
            .unwrap();
        let writes = encode_touched(&record, &touched);
        let keys: Vec<&str> = writes.puts.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["actions/000001", "history/000005"]);
        assert!(writes.deletes.is_empty());
        assert!(writes.puts.iter().all(|(_, v)| v.len() < 1_000_000));
    }

    #[test]
    fn writing_touched_buckets_over_the_old_ones_gives_the_new_record() {
        let mut record = record_with(1_500);
        let mut stored: BTreeMap<String, Vec<u8>> = encode_all(&record).into_iter().collect();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let id = record.actions()[1_200].id;
        let (_, touched) = record
            .edit_action(id, &[Edit::Owner("Mrs Patel".into())], None, now)
            .unwrap();
        stored.extend(encode_touched(&record, &touched).puts);
        let loaded = decode(stored.into_iter().collect()).unwrap();
        assert_eq!(loaded.record, record);
        assert_eq!(loaded.record.action(id).unwrap().owner, "Mrs Patel");
    }

    #[test]
    fn undoing_an_add_that_opened_a_bucket_deletes_that_bucket() {
        let mut record = record_with(1_000);
        let mut stored: BTreeMap<String, Vec<u8>> = encode_all(&record).into_iter().collect();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let draft = ActionDraft {
            pupil: Some(record.pupils()[0].id),
            next_step: "Send the reading record to the SENCO by Friday".into(),
            owner: "Parent".into(),
            due: NaiveDate::from_ymd_opt(2026, 5, 1),
            ..ActionDraft::default()
        };
        let (id, touched) = record.add_action(&draft, today(), now).unwrap();
        stored.extend(encode_touched(&record, &touched).puts);
        assert!(stored.contains_key("actions/000001"));

        let touched = record
            .undo(&crate::core::Undo::Added(vec![id]), now)
            .unwrap();
        let writes = encode_touched(&record, &touched);
        // Both the action and its "Created" entry had opened a new bucket.
        assert_eq!(writes.deletes, vec!["actions/000001", "history/000001"]);
        stored.extend(writes.puts);
        for key in writes.deletes {
            stored.remove(&key);
        }
        let loaded = decode(stored.into_iter().collect()).unwrap();
        assert_eq!(loaded.record, record);
        assert!(!loaded.needs_rewrite);
        assert_eq!(loaded.record.actions().len(), 1_000);
    }
}
