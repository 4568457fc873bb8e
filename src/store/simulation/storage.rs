//! The simulated storage, written as IndexedDB transactions are, and the app's reads of it.

use crate::core::{Kind, Record};
use crate::store::layout::{
    bucket_key, decode, decode_history, decode_newest, encode_all, newest_history_read, read_first,
    Loaded, Writes, BUCKET_SIZE,
};
use std::collections::BTreeMap;

pub(super) type Stored = BTreeMap<String, Vec<u8>>;

/// Writes one committed transaction into the storage.
pub(super) fn commit(stored: &mut Stored, writes: &Writes) {
    for key in &writes.deletes {
        stored.remove(key);
    }
    stored.extend(writes.puts.iter().cloned());
}

/// What the app's start-up reads (`Store::load` in idb.rs): the newest history only when the
/// keys allow it, falling back to the whole read.
pub(super) fn open(stored: &Stored) -> Loaded {
    let keys: Vec<String> = stored.keys().cloned().collect();
    if let Some(buckets) = newest_history_read(&keys) {
        let first: Vec<(String, &[u8])> = stored
            .iter()
            .filter(|(key, _)| read_first(key, buckets))
            .map(|(k, v)| (k.clone(), v.as_slice()))
            .collect();
        if let Ok(Some(loaded)) = decode_newest(first, buckets) {
            return loaded;
        }
    }
    decode(every_value(stored)).unwrap_or_else(|problem| {
        let keys: Vec<&String> = stored.keys().collect();
        panic!("the whole read refused the record: {problem}; stored: {keys:?}")
    })
}

pub(super) fn every_value(stored: &Stored) -> Vec<(String, &[u8])> {
    stored
        .iter()
        .map(|(k, v)| (k.clone(), v.as_slice()))
        .collect()
}

/// Start-up: [`open`], then the whole record written again when the read asks for it.
pub(super) fn start_up(stored: &mut Stored) -> Loaded {
    let loaded = open(stored);
    if loaded.needs_rewrite {
        for key in &loaded.stale_keys {
            stored.remove(key);
        }
        stored.extend(encode_all(&loaded.record));
    }
    loaded
}

/// Reads the older history that start-up left for later, as `EarlierHistory` does.
pub(super) fn take_earlier_history(record: &mut Record, stored: &Stored) {
    let buckets = record.history_from() / BUCKET_SIZE;
    let entries: Vec<(String, &Vec<u8>)> = (0..buckets)
        .map(|n| {
            let key = bucket_key(Kind::History, n);
            let value = stored
                .get(&key)
                .unwrap_or_else(|| panic!("{key} is missing"));
            (key, value)
        })
        .collect();
    let earlier = decode_history(entries, 0).expect("the older history reads");
    record
        .take_earlier_history(earlier)
        .expect("the older history fits");
}

/// The same record, whether or not all of its history is in memory yet.
pub(super) fn assert_same(found: &Record, expected: &Record, what: &str) {
    assert_eq!(found.lengths(), expected.lengths(), "{what}: lengths");
    assert_eq!(found.pupils(), expected.pupils(), "{what}: pupils");
    assert_eq!(found.meetings(), expected.meetings(), "{what}: meetings");
    assert_eq!(found.actions(), expected.actions(), "{what}: actions");
    let from = found.history_from().max(expected.history_from());
    assert_eq!(
        &found.history()[from - found.history_from()..],
        &expected.history()[from - expected.history_from()..],
        "{what}: history"
    );
}
