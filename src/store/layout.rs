//! How the record is laid out in storage: buckets of up to [`BUCKET_SIZE`] records, each bucket
//! one JSON text under a key such as `actions/000042`. Plain Rust, so it is tested natively.
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

use crate::core::bucket::{Bucket, Row};
use crate::core::record::{Kind, Patch, Record, RecordError, Touched, FORMAT_NAME, SCHEMA_VERSION};
use crate::core::HistoryEntry;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

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

#[derive(Serialize)]
struct PatchOut<'a> {
    format: &'static str,
    schema: u32,
    patch: &'a Patch,
}

#[derive(Deserialize)]
struct PatchIn {
    format: String,
    schema: u32,
    patch: Patch,
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

/// The journal entries in storage that are not yet written into buckets, and the positions
/// they touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Journal {
    next: u64,
    keys: Vec<String>,
    touched: BTreeSet<(Kind, usize)>,
    /// A write failed: the next save writes into buckets whatever it left out.
    compact_next: bool,
    /// Every kind's length when the last change was saved (or the record read), to see rows
    /// go: see [`Journal::save`].
    lengths: Option<[usize; 4]>,
}

/// What a save must write again if its transaction fails: the positions it covered and the
/// journal entries it was to delete.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Retry {
    touched: Vec<(Kind, usize)>,
    keys: Vec<String>,
}

impl Journal {
    /// What to write for a change: one journal entry for a small change; for a large one, or
    /// when the journal is full, the buckets touched by the change and by the journal, with
    /// the journal's entries deleted.
    ///
    /// If the write then fails, hand its [`Retry`] to [`Journal::failed`].
    ///
    /// A change that removes rows (a pupil's records removed, an add undone) is always written
    /// into buckets, with the journal's entries deleted in the same transaction: the values
    /// stored before it (buckets, and journal entries such as the one that added the rows) would
    /// otherwise keep what was removed until some later compaction. Rows after the removed ones
    /// move up, so every bucket that held a removed row is among those written again.
    pub fn save(&mut self, record: &Record, touched: &Touched) -> (Writes, Retry) {
        let lengths = record.lengths();
        let removed = self
            .lengths
            .replace(lengths)
            .is_some_and(|was| was.iter().zip(&lengths).any(|(was, now)| now < was));
        let small = touched.0.len() <= JOURNAL_ROWS && self.keys.len() < JOURNAL_LIMIT;
        if small && !self.compact_next && !removed {
            let key = format!("{JOURNAL_PREFIX}{:09}", self.next);
            self.next += 1;
            self.keys.push(key.clone());
            self.touched.extend(touched.0.iter().copied());
            let value = serde_json::to_string(&PatchOut {
                format: FORMAT_NAME,
                schema: SCHEMA_VERSION,
                patch: &record.patch(touched),
            })
            .expect("a patch always encodes");
            let writes = Writes {
                puts: vec![(key, value)],
                deletes: Vec::new(),
            };
            let retry = Retry {
                touched: touched.0.clone(),
                keys: Vec::new(),
            };
            return (writes, retry);
        }
        self.compact_next = false;
        let mut all = Touched(std::mem::take(&mut self.touched).into_iter().collect());
        all.0.extend(touched.0.iter().copied());
        let mut writes = encode_touched(record, &all);
        let retry = Retry {
            touched: all.0,
            keys: self.keys.clone(),
        };
        writes.deletes.append(&mut self.keys);
        (writes, retry)
    }

    /// A save's transaction failed, so nothing of it was written: the next save writes into
    /// buckets every position it covered (with the journal's), and deletes the journal entries
    /// it was to delete. Nothing written afterwards then depends on what is missing.
    pub fn failed(&mut self, retry: Retry) {
        self.touched.extend(retry.touched);
        self.keys.extend(retry.keys);
        self.compact_next = true;
    }

    /// Entries waiting to be written into buckets.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Reads the journal's entries, in the order they were written, over `record`.
    fn replay<V: AsRef<[u8]>>(
        &mut self,
        record: &mut Record,
        entries: Vec<(String, V)>,
    ) -> Result<(), LoadError> {
        for (key, value) in entries {
            let entry: PatchIn = read(&key, value.as_ref())?;
            check_meta(&key, &entry.format, entry.schema)?;
            let before = record.lengths();
            let patch = entry.patch;
            for (kind, (&after, &was)) in
                Kind::ALL.into_iter().zip(patch.lengths.iter().zip(&before))
            {
                if after < was {
                    self.touched.insert((kind, after));
                }
            }
            self.touched
                .extend(patch.pupils.iter().map(|(p, _)| (Kind::Pupils, *p)));
            self.touched
                .extend(patch.meetings.iter().map(|(p, _)| (Kind::Meetings, *p)));
            self.touched
                .extend(patch.actions.iter().map(|(p, _)| (Kind::Actions, *p)));
            self.touched
                .extend(patch.history.iter().map(|(p, _)| (Kind::History, *p)));
            record.replay(patch).map_err(LoadError::Record)?;
            let number = key[JOURNAL_PREFIX.len()..].parse::<u64>().unwrap_or(0);
            self.next = self.next.max(number + 1);
            self.keys.push(key);
        }
        Ok(())
    }
}

/// Saves go to the database one at a time. A change made while a write is under way waits,
/// with any others made meanwhile, and is worked out from the record once that write has
/// committed or failed. Worked out any earlier, a small change would be written as a journal
/// entry that depends on the write before it: if that write then failed (the device full, say),
/// the entry would still be stored, and the record would not open again ("not consistent").
/// Worked out after, it is written knowing the failure ([`Journal::failed`]).
///
/// `M` is what to tell each change when it is stored (the app's measure of it).
#[derive(Debug)]
pub struct Queue<M> {
    writing: bool,
    waiting: Option<Waiting<M>>,
}

/// Changes to write in one go: every position they touched, and what to tell each of them.
#[derive(Debug, PartialEq, Eq)]
pub struct Waiting<M> {
    pub touched: Touched,
    pub changes: Vec<M>,
}

impl<M> Default for Queue<M> {
    fn default() -> Self {
        Queue {
            writing: false,
            waiting: None,
        }
    }
}

impl<M> Queue<M> {
    /// A change to save: what to write now, or nothing while a write is under way (the change
    /// then waits, and [`Queue::ended`] hands it back).
    pub fn add(&mut self, touched: &Touched, change: M) -> Option<Waiting<M>> {
        if self.writing {
            let waiting = self.waiting.get_or_insert_with(|| Waiting {
                touched: Touched::default(),
                changes: Vec::new(),
            });
            waiting.touched.0.extend_from_slice(&touched.0);
            waiting.changes.push(change);
            return None;
        }
        self.writing = true;
        Some(Waiting {
            touched: touched.clone(),
            changes: vec![change],
        })
    }

    /// The write under way has committed or failed: the changes that waited for it, to write
    /// now (each position once), if any.
    pub fn ended(&mut self) -> Option<Waiting<M>> {
        let next = self.waiting.take();
        self.writing = next.is_some();
        next.map(|mut next| {
            next.touched.0.sort_unstable();
            next.touched.0.dedup();
            next
        })
    }

    /// A write is under way.
    #[cfg(test)]
    fn writing(&self) -> bool {
        self.writing
    }
}

/// What to write for a change: buckets to put, and buckets left empty (after an undo removed
/// the rows at the end) to delete.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Writes {
    pub puts: Vec<(String, String)>,
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
pub fn encode_all(record: &Record) -> Vec<(String, String)> {
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

pub fn encode_meta() -> String {
    serde_json::to_string(&Meta::current()).expect("meta always encodes")
}

fn len(record: &Record, kind: Kind) -> usize {
    match kind {
        Kind::Pupils => record.pupils().len(),
        Kind::Meetings => record.meetings().len(),
        Kind::Actions => record.actions().len(),
        Kind::History => record.lengths()[3],
    }
}

fn encode_bucket(record: &Record, kind: Kind, number: usize) -> String {
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
    /// write them all again with [`encode_all`] and remove the keys in `stale_keys`.
    pub needs_rewrite: bool,
    /// Keys present in storage that a full rewrite does not write again.
    pub stale_keys: Vec<String>,
    /// No `meta` value yet (a new device): write [`encode_meta`] once.
    pub meta_missing: bool,
    /// The journal entries read over the buckets; the store carries on from them.
    pub journal: Journal,
}

/// Reads the record from stored `(key, value)` pairs, in any order.
pub fn decode<V: AsRef<[u8]>>(entries: Vec<(String, V)>) -> Result<Loaded, LoadError> {
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

/// Replays the journal over the record read from the buckets. If the buckets are rewritten
/// whole, the journal's entries go with the rewrite.
fn take_journal<V: AsRef<[u8]>>(
    loaded: &mut Loaded,
    journal: Vec<(String, V)>,
) -> Result<(), LoadError> {
    loaded.journal.replay(&mut loaded.record, journal)?;
    loaded.journal.lengths = Some(loaded.record.lengths());
    if loaded.needs_rewrite {
        loaded.stale_keys.append(&mut loaded.journal.keys);
        loaded.journal = Journal {
            lengths: Some(loaded.record.lengths()),
            ..Journal::default()
        };
    }
    Ok(())
}

fn decode_buckets<V: AsRef<[u8]>>(entries: Vec<(String, V)>) -> Result<Loaded, LoadError> {
    let mut buckets: BTreeMap<(Kind, usize), V> = BTreeMap::new();
    let mut needs_rewrite = false;
    let mut keys = Vec::with_capacity(entries.len());
    let mut meta_missing = true;
    for (key, value) in entries {
        if key == META_KEY {
            meta_missing = false;
            let meta: Meta = read(&key, value.as_ref())?;
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
pub fn decode_newest<V: AsRef<[u8]>>(
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
            let bucket = read_bucket::<HistoryEntry>(key, value.as_ref())?;
            if bucket.schema != SCHEMA_VERSION || bucket.records.len() > BUCKET_SIZE {
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

/// Reads older history buckets (`history/000000` up to the newest, which start-up read), in
/// order from bucket number `first`: each must be full and of this schema, since every later
/// position depends on it.
pub fn decode_history<V: AsRef<[u8]>>(
    entries: Vec<(String, V)>,
    first: usize,
) -> Result<Vec<HistoryEntry>, LoadError> {
    let mut history = Vec::with_capacity(entries.len() * BUCKET_SIZE);
    for (expected, (key, value)) in (first..).zip(entries.iter()) {
        let bucket = read_bucket::<HistoryEntry>(key, value.as_ref())?;
        if parse_key(key) != Some((Kind::History, expected))
            || bucket.schema != SCHEMA_VERSION
            || bucket.records.len() != BUCKET_SIZE
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

fn encode_all_keys(record: &Record) -> BTreeSet<String> {
    let mut keys = BTreeSet::from([META_KEY.to_string()]);
    for kind in Kind::ALL {
        keys.extend((0..len(record, kind).div_ceil(BUCKET_SIZE)).map(|n| bucket_key(kind, n)));
    }
    keys
}

fn read<T: DeserializeOwned>(key: &str, value: &[u8]) -> Result<T, LoadError> {
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

fn unreadable(key: &str, error: serde_json::Error) -> LoadError {
    LoadError::Unreadable {
        key: key.to_string(),
        reason: error.to_string(),
    }
}

fn check_meta(key: &str, format: &str, schema: u32) -> Result<(), LoadError> {
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
fn gather<T: Row, V: AsRef<[u8]>>(
    buckets: &BTreeMap<(Kind, usize), V>,
    kind: Kind,
    needs_rewrite: &mut bool,
) -> Result<Vec<T>, LoadError> {
    let mut rows = Vec::new();
    for (expected, (&(_, number), value)) in
        buckets.range((kind, 0)..=(kind, usize::MAX)).enumerate()
    {
        let key = bucket_key(kind, number);
        let bucket = read_bucket::<T>(&key, value.as_ref())?;
        if number != expected
            || rows.len() != number * BUCKET_SIZE
            || bucket.schema != SCHEMA_VERSION
        {
            *needs_rewrite = true;
        }
        rows.extend(bucket.records);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::{Edit, NewPupil};
    use crate::core::{ActionDraft, SendStatus, Status, YearGroup};
    use chrono::{NaiveDate, TimeZone, Utc};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
    }

    /// Action number `n` for `pupil`: a row that passes every check.
    fn numbered(pupil: crate::core::PupilId, n: usize) -> ActionDraft {
        ActionDraft {
            pupil: Some(pupil),
            decision: format!("Decision {n}"),
            next_step: format!("Send reading record {n} to the SENCO by Friday"),
            owner: "Parent".into(),
            due: NaiveDate::from_ymd_opt(2026, 5, 1),
            ..ActionDraft::default()
        }
    }

    fn record_with(actions: usize) -> Record {
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
    fn a_new_device_has_an_empty_record_and_no_meta_yet() {
        let loaded = decode(Vec::<(String, String)>::new()).unwrap();
        assert_eq!(loaded.record, Record::default());
        assert!(loaded.meta_missing);
        assert!(!loaded.needs_rewrite);
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
        let mut stored: BTreeMap<String, String> = encode_all(&record).into_iter().collect();
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
        let mut stored: BTreeMap<String, String> = encode_all(&record).into_iter().collect();
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

    #[test]
    fn a_newer_schema_is_refused_not_guessed_at() {
        let mut stored = encode_all(&record_with(1));
        stored[0].1 = format!(r#"{{"format":"sendlog","schema":{}}}"#, SCHEMA_VERSION + 1);
        assert_eq!(
            decode(stored).unwrap_err(),
            LoadError::NewerSchema(SCHEMA_VERSION + 1)
        );
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
        let mut stored: Vec<(String, Vec<u8>)> = encode_all(&record_with(3))
            .into_iter()
            .map(|(key, value)| (key, value.into_bytes()))
            .collect();
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
        let stored: Vec<(String, String)> = encode_all(&record)
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
    fn bucket_keys_sort_in_position_order_and_read_back() {
        assert_eq!(bucket_key(Kind::History, 12), "history/000012");
        assert!(bucket_key(Kind::Actions, 9) < bucket_key(Kind::Actions, 10));
        assert_eq!(parse_key("history/000012"), Some((Kind::History, 12)));
        assert_eq!(parse_key("meta"), None);
        assert_eq!(parse_key("actions/x"), None);
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

    /// A large change: the first [`JOURNAL_ROWS`] actions parked, too many rows for one journal
    /// entry.
    fn park_many(record: &mut Record, now: chrono::DateTime<Utc>) -> Touched {
        let ids: Vec<_> = record.actions().iter().map(|a| a.id).collect();
        let parked = [Edit::Status(Status::Parked)];
        record
            .edit_actions(&ids[..JOURNAL_ROWS], &parked, None, now)
            .unwrap()
            .1
    }

    /// Writes `writes` into `stored` as one IndexedDB transaction would.
    fn write(stored: &mut BTreeMap<String, String>, writes: Writes) {
        for key in writes.deletes {
            stored.remove(&key);
        }
        stored.extend(writes.puts);
    }

    fn journal_keys(stored: &BTreeMap<String, String>) -> usize {
        stored
            .keys()
            .filter(|k| k.starts_with(JOURNAL_PREFIX))
            .count()
    }

    #[test]
    fn an_edit_is_one_small_journal_entry_that_reads_back_over_the_buckets() {
        let mut record = record_with(5_000);
        let mut stored: BTreeMap<String, String> = encode_all(&record).into_iter().collect();
        let buckets_before = stored.clone();
        let mut journal = Journal::default();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let id = record.actions()[3_210].id;
        let (_, touched) = record
            .edit_action(id, &[Edit::Status(Status::Done)], None, now)
            .unwrap();
        let (writes, _) = journal.save(&record, &touched);
        assert_eq!(writes.puts.len(), 1);
        assert_eq!(writes.puts[0].0, "journal/000000000");
        assert!(writes.puts[0].1.len() < 2_000, "{}", writes.puts[0].1.len());
        assert!(writes.deletes.is_empty());
        write(&mut stored, writes);
        assert!(
            buckets_before.iter().all(|(k, v)| stored[k] == *v),
            "no bucket rewritten"
        );

        let loaded = decode(stored.clone().into_iter().collect()).unwrap();
        assert_eq!(loaded.record, record);
        assert_eq!(loaded.journal.len(), 1);
        assert!(!loaded.needs_rewrite);

        // Opened with only the newest history, the journal reads back the same way, and the
        // next entry carries on the numbering.
        let first_read: Vec<_> = stored
            .into_iter()
            .filter(|(key, _)| !key.starts_with("history/") || key.as_str() >= "history/000004")
            .collect();
        let mut opened = decode_newest(first_read, 5).unwrap().unwrap();
        assert_eq!(opened.record.lengths(), record.lengths());
        assert_eq!(opened.record.action(id), record.action(id));
        assert_eq!(opened.record.history().last(), record.history().last());
        let (_, touched) = opened
            .record
            .edit_action(id, &[Edit::Owner("Mrs Patel".into())], None, now)
            .unwrap();
        let (writes, _) = opened.journal.save(&opened.record, &touched);
        assert_eq!(writes.puts[0].0, "journal/000000001");
    }

    /// Whether any stored value still holds `text` (a removed pupil's name or id).
    fn still_stored(stored: &BTreeMap<String, String>, text: &str) -> Vec<String> {
        stored
            .iter()
            .filter(|(_, value)| value.contains(text))
            .map(|(key, _)| key.clone())
            .collect()
    }

    #[test]
    fn removing_pupils_moves_the_rows_after_them_and_leaves_nothing_of_them_stored() {
        // The example record loaded first, then a pupil of the school's own with `actions`
        // actions, a few (kept in journal entries) or many (written into buckets): clearing the
        // example moves every row of theirs up, and removing them too leaves an empty record.
        // Each removal rewrites, in its one write, every value that held the removed rows.
        for actions in [3, 1_500] {
            let mut record = crate::core::example::example(today());
            let mut stored: BTreeMap<String, String> = encode_all(&record).into_iter().collect();
            let mut journal = Journal::default();
            let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
            let (pupil, touched) = record
                .add_pupil(
                    NewPupil {
                        name: "Siân Jones".into(),
                        year_group: YearGroup::Year9,
                        send_status: SendStatus::SenSupport,
                        annual_review: None,
                    },
                    now,
                )
                .unwrap();
            write(&mut stored, journal.save(&record, &touched).0);
            let drafts: Vec<ActionDraft> = (0..actions).map(|n| numbered(pupil, n)).collect();
            let (_, touched) = record.add_actions(&drafts, today(), now).unwrap();
            write(&mut stored, journal.save(&record, &touched).0);
            assert_eq!(journal_keys(&stored) > 0, actions == 3, "{actions} actions");
            let kept = record.actions().last().unwrap().clone();
            let example: Vec<(String, String)> = record.pupils()[..4]
                .iter()
                .map(|p| (p.name.clone(), p.id.to_string()))
                .collect();

            let (_, touched) = record.remove_pupils(&crate::core::example::example_pupils());
            write(&mut stored, journal.save(&record, &touched).0);
            assert_eq!(record.pupils().len(), 1);
            assert_eq!(record.actions().len(), actions);
            assert!(record.meetings().is_empty());
            assert_eq!(record.history().len(), actions);
            assert_eq!(record.action(kept.id), Some(&kept));
            let loaded = decode(stored.clone().into_iter().collect()).unwrap();
            assert_eq!(loaded.record, record, "{actions} actions");
            for (name, id) in &example {
                assert_eq!(still_stored(&stored, name), Vec::<String>::new(), "{name}");
                assert_eq!(still_stored(&stored, id), Vec::<String>::new(), "{name}");
            }

            let (_, touched) = record.remove_pupils(&[pupil]);
            write(&mut stored, journal.save(&record, &touched).0);
            assert_eq!(journal_keys(&stored), 0);
            assert_eq!(still_stored(&stored, "Siân"), Vec::<String>::new());
            assert_eq!(
                still_stored(&stored, &pupil.to_string()),
                Vec::<String>::new()
            );
            assert_eq!(
                still_stored(&stored, "reading record"),
                Vec::<String>::new()
            );
            let loaded = decode(stored.into_iter().collect()).unwrap();
            assert_eq!(loaded.record, Record::default());
        }
    }

    #[test]
    fn the_journal_goes_into_the_buckets_when_full_or_with_a_large_change() {
        let mut record = record_with(1_500);
        let mut stored: BTreeMap<String, String> = encode_all(&record).into_iter().collect();
        let mut journal = Journal::default();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let pupil = record.pupils()[0].id;
        let mut added = Vec::new();
        for n in 0..JOURNAL_LIMIT + 3 {
            // Edits, adds that open new buckets, and undoes of adds that close them again.
            let touched = match n % 3 {
                0 => {
                    let id = record.actions()[(n * 37) % record.actions().len()].id;
                    let owner = Edit::Owner(format!("Teacher {n}"));
                    record.edit_action(id, &[owner], None, now).unwrap().1
                }
                1 => {
                    let draft = numbered(pupil, n);
                    let (id, touched) = record.add_action(&draft, today(), now).unwrap();
                    added.push(id);
                    touched
                }
                _ if n % 2 == 0 => record
                    .undo(&crate::core::Undo::Added(vec![added.pop().unwrap()]), now)
                    .unwrap(),
                _ => {
                    record
                        .edit_action(added[0], &[Edit::Status(Status::Done)], None, now)
                        .unwrap()
                        .1
                }
            };
            let filling = journal.len() == JOURNAL_LIMIT;
            write(&mut stored, journal.save(&record, &touched).0);
            if filling {
                assert_eq!(journal_keys(&stored), 0, "change {n} emptied the journal");
            }
            let loaded = decode(stored.clone().into_iter().collect()).unwrap();
            assert_eq!(loaded.record, record, "after change {n}");
            assert_eq!(loaded.journal.len(), journal_keys(&stored));
        }
        assert_eq!(journal_keys(&stored), 2);

        // A large change (an import) takes the journal's buckets with it.
        let touched = park_many(&mut record, now);
        write(&mut stored, journal.save(&record, &touched).0);
        assert_eq!(journal_keys(&stored), 0);
        assert!(journal.is_empty());
        assert_eq!(decode(stored.into_iter().collect()).unwrap().record, record);
    }

    #[test]
    fn after_a_failed_write_the_next_save_writes_what_it_left_out() {
        let mut record = record_with(1_500);
        let mut stored: BTreeMap<String, String> = encode_all(&record).into_iter().collect();
        let mut journal = Journal::default();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let pupil = record.pupils()[0].id;
        let add = |record: &mut Record, n: usize| {
            record
                .add_action(&numbered(pupil, n), today(), now)
                .unwrap()
        };
        // One entry is written; a large change fails (the device is full, say) and writes
        // nothing, taking the journal entry's deletion with it.
        let (_, touched) = add(&mut record, 1);
        write(&mut stored, journal.save(&record, &touched).0);
        let large = park_many(&mut record, now);
        let (_, retry) = journal.save(&record, &large);
        journal.failed(retry);

        // The next change, even a small one, writes the large change's buckets with its own,
        // and the journal goes with them: what is stored is the whole record again.
        let (_, touched) = add(&mut record, 2);
        let (writes, _) = journal.save(&record, &touched);
        assert!(writes
            .puts
            .iter()
            .all(|(key, _)| !key.starts_with(JOURNAL_PREFIX)));
        assert_eq!(writes.deletes, vec!["journal/000000000".to_string()]);
        write(&mut stored, writes);
        assert_eq!(journal_keys(&stored), 0);
        assert_eq!(decode(stored.into_iter().collect()).unwrap().record, record);
        assert!(journal.is_empty());
    }

    #[test]
    fn a_change_made_while_a_large_write_fails_is_written_knowing_it_failed() {
        let mut record = record_with(1_500);
        let mut stored: BTreeMap<String, String> = encode_all(&record).into_iter().collect();
        let mut journal = Journal::default();
        let mut queue = Queue::default();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let pupil = record.pupils()[0].id;

        // A large change starts its write (many rows, so buckets, not a journal entry)...
        let ids: Vec<_> = record.actions().iter().map(|a| a.id).collect();
        let large = park_many(&mut record, now);
        let first = queue
            .add(&large, "parked")
            .expect("nothing is being written");
        let (_, retry) = journal.save(&record, &first.touched);

        // ...and, before it ends, a small change is made and a row added.
        let id = ids[1_400];
        let (_, small) = record
            .edit_action(id, &[Edit::Owner("Mrs Patel".into())], None, now)
            .unwrap();
        assert_eq!(queue.add(&small, "owner"), None, "it waits");
        let (_, added) = record
            .add_action(&numbered(pupil, 1), today(), now)
            .unwrap();
        assert_eq!(queue.add(&added, "added"), None, "it waits");

        // Worked out at once, as saves were before, the small change is a journal entry that
        // assumes the large write: stored after that write failed, the record would not open.
        let mut early = journal.clone();
        let (entry, _) = early.save(&record, &small);
        let mut unreadable = stored.clone();
        write(&mut unreadable, entry);
        assert!(matches!(
            decode(unreadable.into_iter().collect()),
            Err(LoadError::Record(_))
        ));

        // The large write fails. What waited is written now, with what the failed write left
        // out, and the stored record is the whole record.
        journal.failed(retry);
        let next = queue.ended().expect("two changes waited");
        assert_eq!(next.changes, vec!["owner", "added"]);
        assert!(queue.writing());
        let (writes, _) = journal.save(&record, &next.touched);
        write(&mut stored, writes);
        assert_eq!(queue.ended(), None);
        assert!(!queue.writing());
        assert_eq!(
            decode(stored.clone().into_iter().collect()).unwrap().record,
            record
        );

        // With nothing under way, the next change is written at once, as a journal entry.
        let (_, touched) = record
            .edit_action(id, &[Edit::Status(Status::Done)], None, now)
            .unwrap();
        let now_written = queue
            .add(&touched, "done")
            .expect("nothing is being written");
        assert_eq!(now_written.touched, touched);
        let (writes, _) = journal.save(&record, &now_written.touched);
        assert_eq!(writes.puts.len(), 1);
        assert!(writes.puts[0].0.starts_with(JOURNAL_PREFIX));
        write(&mut stored, writes);
        assert_eq!(queue.ended(), None);
        assert_eq!(decode(stored.into_iter().collect()).unwrap().record, record);
    }

    #[test]
    fn a_journal_entry_that_leaves_a_gap_is_refused() {
        let record = record_with(10);
        let mut stored = encode_all(&record);
        let mut patch = record.patch(&Touched(vec![(Kind::Actions, 3)]));
        patch.actions[0].0 = 12;
        let value = serde_json::to_string(&PatchOut {
            format: FORMAT_NAME,
            schema: SCHEMA_VERSION,
            patch: &patch,
        })
        .unwrap();
        stored.push(("journal/000000000".into(), value));
        assert_eq!(
            decode(stored).unwrap_err(),
            LoadError::Record(RecordError::Gap(Kind::Actions, 12))
        );
    }
}
