//! Reading: the whole record, the start-up read of the newest history, the older history later.

use super::journal::take_journal;
use super::write::encode_all_keys;
use super::{bucket_key, parse_key, Journal, Meta, BUCKET_SIZE, JOURNAL_PREFIX, META_KEY};
use crate::core::bucket::{Bucket, Row};
use crate::core::record::{Kind, Record, RecordError, FORMAT_NAME, SCHEMA_VERSION};
use crate::core::HistoryEntry;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A stored value, handed over as its bytes only as it is decoded: start-up then holds one
/// bucket's bytes at a time beside the record decoded so far, rather than every bucket's.
pub trait Stored {
    fn bytes<R>(&self, look: impl FnOnce(&[u8]) -> R) -> R;
}

impl<T: AsRef<[u8]>> Stored for T {
    fn bytes<R>(&self, look: impl FnOnce(&[u8]) -> R) -> R {
        look(self.as_ref())
    }
}

/// Why the stored record could not be read. Nothing is written when this happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Saved by a newer version of the app, which this version cannot read safely.
    NewerSchema(u32),
    /// A stored value is not what this app writes.
    Unreadable {
        key: String,
        reason: String,
    },
    Record(RecordError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NewerSchema(schema) => write!(
                f,
                "This record was saved by a newer version of SEND Log (schema {schema}; this \
                 version reads up to {SCHEMA_VERSION}). Reload to get the newer version. Nothing \
                 has been changed."
            ),
            LoadError::Unreadable { key, reason } => write!(
                f,
                "Part of the stored record ({key}) cannot be read: {reason}. Nothing has been \
                 changed. Download what is stored, below, to keep a copy of it all, and ask for \
                 help."
            ),
            LoadError::Record(problem) => {
                write!(f, "The stored record is not consistent: {problem}")
            }
        }
    }
}

/// A record read from storage.
#[derive(Debug)]
pub struct Loaded {
    pub record: Record,
    /// The buckets were not laid out as this version writes them (an older schema, or a gap):
    /// write them all again with [`encode_all`](super::encode_all) and remove the keys in `stale_keys`.
    pub needs_rewrite: bool,
    /// Keys present in storage that a full rewrite does not write again.
    pub stale_keys: Vec<String>,
    /// No `meta` value yet (a new device): write [`encode_meta`](super::encode_meta) once.
    pub meta_missing: bool,
    /// The journal entries read over the buckets; the store carries on from them.
    pub journal: Journal,
}

/// Reads the record from stored `(key, value)` pairs, in any order.
pub fn decode<V: Stored>(entries: Vec<(String, V)>) -> Result<Loaded, LoadError> {
    let (journal, others) = journal_apart(entries);
    let mut loaded = decode_buckets(others)?;
    take_journal(&mut loaded, journal)?;
    Ok(loaded)
}

/// The journal's entries (in the order written) apart from the rest.
#[allow(clippy::type_complexity)]
fn journal_apart<V>(entries: Vec<(String, V)>) -> (Vec<(String, V)>, Vec<(String, V)>) {
    let (mut journal, others): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|(key, _)| key.starts_with(JOURNAL_PREFIX));
    journal.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (journal, others)
}

fn decode_buckets<V: Stored>(entries: Vec<(String, V)>) -> Result<Loaded, LoadError> {
    let mut buckets: BTreeMap<(Kind, usize), V> = BTreeMap::new();
    let mut needs_rewrite = false;
    let mut keys = Vec::with_capacity(entries.len());
    let mut meta_missing = true;
    for (key, value) in entries {
        if key == META_KEY {
            meta_missing = false;
            let meta: Meta = value.bytes(|bytes| read(&key, bytes))?;
            check_meta(&key, &meta.format, meta.schema)?;
        } else if let Some(place) = parse_key(&key) {
            buckets.insert(place, value);
        } else {
            return Err(LoadError::Unreadable {
                key,
                reason: "this version of the app does not know this key".into(),
            });
        }
        keys.push(key);
    }
    let pupils = gather(&buckets, Kind::Pupils, &mut needs_rewrite)?;
    let meetings = gather(&buckets, Kind::Meetings, &mut needs_rewrite)?;
    let actions = gather(&buckets, Kind::Actions, &mut needs_rewrite)?;
    let history = gather(&buckets, Kind::History, &mut needs_rewrite)?;
    let record =
        Record::from_parts(pupils, meetings, actions, history).map_err(LoadError::Record)?;
    let rewritten: BTreeSet<String> = encode_all_keys(&record);
    let stale_keys = keys
        .into_iter()
        .filter(|key| !rewritten.contains(key))
        .collect::<Vec<_>>();
    Ok(Loaded {
        meta_missing,
        needs_rewrite: needs_rewrite || !stale_keys.is_empty(),
        stale_keys,
        record,
        journal: Journal::default(),
    })
}

/// Reads what start-up reads: every bucket except the history's, and of the history only its
/// newest bucket (number `history_buckets - 1`), so the app opens without reading years of
/// history first. The older history buckets are read afterwards with [`decode_history`].
///
/// `Ok(None)` asks for the whole record to be read with [`decode`] instead: the buckets need
/// laying out again (an older schema, a gap), which only a whole read can do.
pub fn decode_newest<V: Stored>(
    entries: Vec<(String, V)>,
    history_buckets: usize,
) -> Result<Option<Loaded>, LoadError> {
    let (journal, entries) = journal_apart(entries);
    let (history, others): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|(key, _)| matches!(parse_key(key), Some((Kind::History, _))));
    let mut loaded = decode_buckets(others)?;
    if loaded.needs_rewrite {
        return Ok(None);
    }
    let newest = match history.as_slice() {
        [] if history_buckets == 0 => Vec::new(),
        [(key, value)] if parse_key(key) == Some((Kind::History, history_buckets - 1)) => {
            let bucket = value.bytes(|bytes| read_bucket::<HistoryEntry>(key, bytes))?;
            if bucket.records.len() > BUCKET_SIZE {
                return Ok(None);
            }
            bucket.records
        }
        _ => return Ok(None),
    };
    let from = history_buckets.saturating_sub(1) * BUCKET_SIZE;
    loaded.record = std::mem::take(&mut loaded.record).with_newest_history(newest, from);
    // The journal may reach back before the newest bucket (a pupil removed, or an add undone,
    // after the history had grown into a new bucket): only the whole read can replay that, so
    // it decides, and says what is wrong if anything really is.
    match take_journal(&mut loaded, journal) {
        Ok(()) => Ok(Some(loaded)),
        Err(_) => Ok(None),
    }
}

/// Which start-up read the stored `keys` allow: `Some(n)` when the history is laid out in `n`
/// buckets numbered from 0, of which start-up reads only the newest ([`decode_newest`], on the
/// keys [`read_first`] names); `None` when the whole record is read at once ([`decode`]).
pub fn newest_history_read(keys: &[String]) -> Option<usize> {
    let history: Vec<usize> = keys
        .iter()
        .filter_map(|key| match parse_key(key) {
            Some((Kind::History, number)) => Some(number),
            _ => None,
        })
        .collect();
    let in_order = history.iter().enumerate().all(|(i, &n)| i == n);
    (history.len() > 1 && in_order).then_some(history.len())
}

/// Whether the start-up read of a record with `history_buckets` history buckets takes `key`:
/// everything but the history buckets before the newest.
pub fn read_first(key: &str, history_buckets: usize) -> bool {
    match parse_key(key) {
        Some((Kind::History, number)) => number + 1 >= history_buckets,
        _ => true,
    }
}

/// Whether `read` (keys in the order read) is exactly what start-up reads of a store holding
/// `keys`: then the number of history buckets. The page's own first read (`first_read.js`)
/// is taken only then; anything else (a key missing, one more, another order, a record read
/// whole) and the app reads for itself.
pub fn is_start_up_read<'a>(
    keys: &[String],
    read: impl IntoIterator<Item = &'a String>,
) -> Option<usize> {
    let buckets = newest_history_read(keys)?;
    let expected = keys.iter().filter(|key| read_first(key, buckets));
    read.into_iter().eq(expected).then_some(buckets)
}

/// Reads older history buckets (`history/000000` up to the newest, which start-up read), in
/// order from bucket number `first`: each must be full (of any schema this version reads), since every later
/// position depends on it.
pub fn decode_history<V: Stored>(
    entries: Vec<(String, V)>,
    first: usize,
) -> Result<Vec<HistoryEntry>, LoadError> {
    let mut history = Vec::with_capacity(entries.len() * BUCKET_SIZE);
    for (expected, (key, value)) in (first..).zip(entries.iter()) {
        let bucket = value.bytes(|bytes| read_bucket::<HistoryEntry>(key, bytes))?;
        if parse_key(key) != Some((Kind::History, expected)) || bucket.records.len() != BUCKET_SIZE
        {
            return Err(LoadError::Unreadable {
                key: key.clone(),
                reason: "the history is not laid out as this version writes it".into(),
            });
        }
        history.extend(bucket.records);
    }
    Ok(history)
}

pub(super) fn read<T: DeserializeOwned>(key: &str, value: &[u8]) -> Result<T, LoadError> {
    // Read as bytes, as a bundle is (core::bundle): one reader type compiles one copy of the
    // JSON reading code for each row type instead of two.
    serde_json::from_slice(value).map_err(|e| unreadable(key, e))
}

/// A bucket of rows, refused unless its format is this app's and its schema one it reads.
fn read_bucket<T: Row>(key: &str, value: &[u8]) -> Result<Bucket<T>, LoadError> {
    let bucket = T::decode_bucket(value).map_err(|e| unreadable(key, e))?;
    check_meta(key, &bucket.format, bucket.schema)?;
    Ok(bucket)
}

fn unreadable(key: &str, error: impl std::fmt::Display) -> LoadError {
    LoadError::Unreadable {
        key: key.to_string(),
        reason: error.to_string(),
    }
}

pub(super) fn check_meta(key: &str, format: &str, schema: u32) -> Result<(), LoadError> {
    if format != FORMAT_NAME {
        return Err(LoadError::Unreadable {
            key: key.to_string(),
            reason: format!("it is in the format \"{format}\", not \"{FORMAT_NAME}\""),
        });
    }
    if schema > SCHEMA_VERSION {
        return Err(LoadError::NewerSchema(schema));
    }
    Ok(())
}

/// The records of one kind, in insertion order. A bucket that is not full before the last one
/// (a gap left by a crash mid-rewrite, say) is read all the same and asks for a rewrite, so
/// positions and buckets agree again.
fn gather<T: Row, V: Stored>(
    buckets: &BTreeMap<(Kind, usize), V>,
    kind: Kind,
    needs_rewrite: &mut bool,
) -> Result<Vec<T>, LoadError> {
    // Room for every bucket's rows at once: grown bucket by bucket, the rows would be copied
    // again and again, and WebAssembly memory, once grown for the copies, is never given back.
    // (Room for 256 buckets at most, whatever a damaged store holds: beyond, it grows.)
    let of_kind = buckets.range((kind, 0)..=(kind, usize::MAX));
    let mut rows = Vec::with_capacity(of_kind.clone().count().min(256) * BUCKET_SIZE);
    for (expected, (&(_, number), value)) in of_kind.enumerate() {
        let key = bucket_key(kind, number);
        let bucket = value.bytes(|bytes| read_bucket::<T>(&key, bytes))?;
        if number != expected || rows.len() != number * BUCKET_SIZE {
            *needs_rewrite = true;
        }
        rows.extend(bucket.records);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::Edit;
    use crate::core::Status;
    use crate::store::layout::tests::{as_json, record_with};
    use crate::store::layout::{encode_all, encode_touched};
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn the_pages_first_read_is_taken_only_when_it_is_what_start_up_reads() {
        let keys: Vec<String> = [
            "actions/000000",
            "history/000000",
            "history/000001",
            "history/000002",
            "journal/000000001",
            "meetings/000000",
            "meta",
            "pupils/000000",
        ]
        .map(String::from)
        .to_vec();
        let read = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let start_up = read(&[
            "actions/000000",
            "history/000002",
            "journal/000000001",
            "meetings/000000",
            "meta",
            "pupils/000000",
        ]);
        assert_eq!(is_start_up_read(&keys, &start_up), Some(3));
        // One bucket short, one older history bucket more, or in another order: not taken.
        assert_eq!(is_start_up_read(&keys, &start_up[1..]), None);
        let mut more = start_up.clone();
        more.insert(1, "history/000001".into());
        assert_eq!(is_start_up_read(&keys, &more), None);
        let mut turned = start_up.clone();
        turned.swap(0, 1);
        assert_eq!(is_start_up_read(&keys, &turned), None);
        // A record with one history bucket, or a gap in the history, is read whole by the app.
        let one = read(&["actions/000000", "history/000000", "meta"]);
        assert_eq!(is_start_up_read(&one, &one), None);
        let gap = read(&["history/000000", "history/000002", "meta"]);
        assert_eq!(
            is_start_up_read(&gap, &read(&["history/000002", "meta"])),
            None
        );
    }

    #[test]
    fn a_new_device_has_an_empty_record_and_no_meta_yet() {
        let loaded = decode(Vec::<(String, String)>::new()).unwrap();
        assert_eq!(loaded.record, Record::default());
        assert!(loaded.meta_missing);
        assert!(!loaded.needs_rewrite);
    }

    #[test]
    fn a_newer_schema_is_refused_not_guessed_at() {
        let mut stored = encode_all(&record_with(1));
        stored[0].1 = format!(r#"{{"format":"sendlog","schema":{}}}"#, SCHEMA_VERSION + 1).into();
        assert_eq!(
            decode(stored).unwrap_err(),
            LoadError::NewerSchema(SCHEMA_VERSION + 1)
        );
    }

    /// `stored` as the version of `schema` (1 to 4) wrote it: the same rows, without the fields
    /// later schemas added last in the row (pupils' 2: `left_on`, 3: `key_adults`, 4: `born`;
    /// actions' 5: `statutory`), each empty here, and every value marked with that schema.
    fn as_schema(stored: Vec<(String, Vec<u8>)>, schema: u32) -> Vec<(String, String)> {
        as_json(stored)
            .into_iter()
            .map(|(key, value)| {
                let mut value: serde_json::Value = serde_json::from_str(&value).unwrap();
                value["schema"] = schema.into();
                if key.starts_with("actions/") {
                    for row in value["rows"].as_array_mut().unwrap() {
                        let row = row.as_array_mut().unwrap();
                        assert_eq!(row.pop(), Some(serde_json::Value::Null), "not statutory");
                    }
                }
                if key.starts_with("pupils/") && schema < 4 {
                    for row in value["rows"].as_array_mut().unwrap() {
                        let row = row.as_array_mut().unwrap();
                        assert_eq!(row.pop(), Some(serde_json::Value::Null), "no birth date");
                        if schema == 3 {
                            continue;
                        }
                        assert_eq!(row.pop(), Some(serde_json::json!([])), "no key adults");
                        if schema == 1 {
                            assert_eq!(row.pop(), Some(serde_json::Value::Null), "not left");
                        }
                    }
                }
                (key, value.to_string())
            })
            .collect()
    }

    #[test]
    fn a_record_stored_by_an_older_schema_opens_as_it_was_and_is_not_rewritten_to_upgrade_it() {
        // One pupil bucket exactly as schema 1 wrote it, and one as schema 2 did, by hand.
        let one = r#"{"format":"sendlog","schema":1,"rows":[["3f1c1c8e-5b1a-4d2e-9a43-0d6f4b1e2a10","Zoë Łukasz-O'Neil","year_4","ehc_plan","2027-03-04","2026-04-23T09:00:00Z"]]}"#;
        let two = r#"{"format":"sendlog","schema":2,"rows":[["3f1c1c8e-5b1a-4d2e-9a43-0d6f4b1e2a10","Zoë Łukasz-O'Neil","year_4","ehc_plan","2027-03-04","2026-04-23T09:00:00Z","2026-07-22"]]}"#;
        for (schema, pupil, left) in [
            (1, one, None),
            (2, two, NaiveDate::from_ymd_opt(2026, 7, 22)),
        ] {
            let loaded = decode(vec![
                (
                    "meta".to_string(),
                    format!(r#"{{"format":"sendlog","schema":{schema}}}"#),
                ),
                ("pupils/000000".to_string(), pupil.to_string()),
            ])
            .unwrap();
            let read = &loaded.record.pupils()[0];
            assert_eq!(read.name, "Zoë Łukasz-O'Neil");
            assert_eq!(read.annual_review, NaiveDate::from_ymd_opt(2027, 3, 4));
            assert_eq!(read.left_on, left, "schema {schema}");
            assert!(read.key_adults.is_empty(), "schema {schema} names no one");
            assert!(!loaded.needs_rewrite);
        }

        // A whole record of each, history in several buckets: read whole, and at start-up.
        let record = record_with(2_345);
        for schema in [1, 2, 3, 4] {
            let stored = as_schema(encode_all(&record), schema);
            let loaded = decode(stored.clone()).unwrap();
            assert_eq!(loaded.record, record);
            assert!(
                !loaded.needs_rewrite,
                "nothing rewritten just to upgrade it"
            );
            let first_read: Vec<_> = stored
                .iter()
                .filter(|(key, _)| !key.starts_with("history/") || key.as_str() >= "history/000002")
                .cloned()
                .collect();
            let opened = decode_newest(first_read, 3)
                .unwrap()
                .expect("start-up reads an older schema the quick way too");
            assert_eq!(opened.record.lengths(), record.lengths());
            let older: Vec<_> = stored
                .into_iter()
                .filter(|(key, _)| key.starts_with("history/") && key.as_str() < "history/000002")
                .collect();
            assert_eq!(decode_history(older, 0).unwrap(), record.history()[..2_000]);
        }
    }

    #[test]
    fn a_record_whose_buckets_are_all_json_opens_the_same_and_an_edit_writes_its_bucket_compact() {
        let mut record = record_with(2_345);
        let stored = as_json(encode_all(&record));
        assert!(stored.iter().all(|(_, value)| value.starts_with('{')));
        let loaded = decode(stored.clone()).unwrap();
        assert_eq!(loaded.record, record);
        assert!(
            !loaded.needs_rewrite,
            "nothing rewritten just to upgrade it"
        );

        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let id = record.actions()[1_200].id;
        let (_, touched) = record
            .edit_action(id, &[Edit::Owner("Mr Öztürk".into())], None, now)
            .unwrap();
        let writes = encode_touched(&record, &touched);
        let mut stored: BTreeMap<String, Vec<u8>> = stored
            .into_iter()
            .map(|(key, value)| (key, value.into_bytes()))
            .collect();
        for (key, value) in &writes.puts {
            if key.starts_with("actions/") || key.starts_with("history/") {
                assert_eq!(value.first(), Some(&0), "{key} written compact");
            }
        }
        stored.extend(writes.puts);
        let compact = stored.values().filter(|v| v.first() == Some(&0)).count();
        assert!(
            (1..stored.len()).contains(&compact),
            "some compact, some JSON"
        );
        let loaded = decode(stored.into_iter().collect()).unwrap();
        assert_eq!(loaded.record, record);
        assert_eq!(loaded.record.action(id).unwrap().owner, "Mr Öztürk");
    }

    #[test]
    fn a_damaged_bucket_is_reported_by_key() {
        let mut stored = encode_all(&record_with(3));
        let damaged = stored
            .iter_mut()
            .find(|(k, _)| k == "actions/000000")
            .unwrap();
        damaged.1.truncate(40);
        match decode(stored).unwrap_err() {
            LoadError::Unreadable { key, .. } => assert_eq!(key, "actions/000000"),
            other => panic!("expected unreadable, got {other:?}"),
        }

        // Bytes that are not UTF-8 inside a name are refused the same way.
        let mut stored = encode_all(&record_with(3));
        let bucket = &mut stored
            .iter_mut()
            .find(|(k, _)| k == "pupils/000000")
            .unwrap()
            .1;
        let name = bucket
            .windows(5)
            .position(|w| w == "Si\u{e2}n".as_bytes())
            .unwrap();
        bucket[name + 2] = 0xFF;
        match decode(stored).unwrap_err() {
            LoadError::Unreadable { key, .. } => assert_eq!(key, "pupils/000000"),
            other => panic!("expected unreadable, got {other:?}"),
        }
    }

    #[test]
    fn a_gap_between_buckets_is_read_and_asks_for_a_rewrite() {
        let record = record_with(2_500);
        let stored: Vec<(String, Vec<u8>)> = encode_all(&record)
            .into_iter()
            .map(|(key, value)| {
                // Renumber actions/000002 as actions/000005, leaving a gap.
                if key == "actions/000002" {
                    ("actions/000005".to_string(), value)
                } else {
                    (key, value)
                }
            })
            .collect();
        let loaded = decode(stored).unwrap();
        assert_eq!(loaded.record, record);
        assert!(loaded.needs_rewrite);
        assert_eq!(loaded.stale_keys, vec!["actions/000005".to_string()]);
    }

    #[test]
    fn a_record_opens_with_its_newest_history_and_takes_the_older_afterwards() {
        let record = record_with(2_345);
        let (older, first_read): (Vec<_>, Vec<_>) = encode_all(&record)
            .into_iter()
            .partition(|(key, _)| key.starts_with("history/") && key.as_str() < "history/000002");
        assert_eq!(older.len(), 2);
        let mut opened = decode_newest(first_read, 3)
            .unwrap()
            .expect("read in two goes")
            .record;
        assert!(!opened.history_complete());
        assert_eq!(opened.history_from(), 2_000);
        assert_eq!(opened.lengths(), record.lengths());

        // A change made before the older history arrives writes what it would write after.
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let id = opened.actions()[5].id;
        let (_, touched) = opened
            .edit_action(id, &[Edit::Status(Status::Done)], None, now)
            .unwrap();
        let early = encode_touched(&opened, &touched);
        assert!(early.puts.iter().any(|(key, _)| key == "history/000002"));
        opened
            .take_earlier_history(decode_history(older, 0).unwrap())
            .unwrap();
        assert!(opened.history_complete());
        assert_eq!(encode_touched(&opened, &touched), early);
        assert_eq!(opened.history().len(), record.history().len() + 1);
        assert_eq!(
            opened.history()[..record.history().len()],
            *record.history()
        );
    }

    #[test]
    fn older_history_that_is_not_whole_buckets_is_refused() {
        let record = record_with(2_345);
        let older: Vec<_> = encode_all(&record)
            .into_iter()
            .filter(|(key, _)| key.starts_with("history/") && key.as_str() < "history/000002")
            .collect();
        assert!(
            decode_history(older[1..].to_vec(), 0).is_err(),
            "a bucket missing"
        );
        let mut opened = decode_newest(
            encode_all(&record)
                .into_iter()
                .filter(|(key, _)| !key.starts_with("history/") || key == "history/000002")
                .collect(),
            3,
        )
        .unwrap()
        .unwrap()
        .record;
        let short = decode_history(older[..1].to_vec(), 0).unwrap();
        assert!(opened.take_earlier_history(short).is_err());
        assert!(!opened.history_complete(), "nothing was taken");
    }
}
