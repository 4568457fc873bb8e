//! IndexedDB through `rexie`: open the database, load the record, save touched buckets.

use super::layout::{self, LoadError};
use super::{BUCKETS, DB_NAME, DB_VERSION};
use crate::core::record::{Kind, Record, Touched};
use crate::core::HistoryEntry;
use js_sys::Uint8Array;
use rexie::{KeyRange, ObjectStore, Rexie, TransactionMode};
use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

/// Changes to save in one go (see [`Store::queue`]).
pub type Waiting = layout::Waiting<&'static str>;

/// Why storage could not be used. The message says what it means for the person.
#[derive(Clone, Debug)]
pub enum StoreError {
    /// The browser would not open or write the database.
    Browser(String),
    /// The stored record could not be read; nothing was written.
    Load(LoadError),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Browser(detail) => write!(
                f,
                "This browser would not store the record ({detail}). In a private window, \
                 storage is often switched off: open SEND Log in a normal window."
            ),
            StoreError::Load(problem) => problem.fmt(f),
        }
    }
}

impl From<rexie::Error> for StoreError {
    fn from(error: rexie::Error) -> Self {
        StoreError::Browser(error.to_string())
    }
}

/// The open database. Cloning it shares the one connection, and the one journal.
#[derive(Clone)]
pub struct Store {
    db: Rc<Rexie>,
    /// The journal entries stored and not yet written into buckets (see [`layout::Journal`]).
    journal: Rc<RefCell<layout::Journal>>,
    /// Changes waiting for the write under way (see [`layout::Queue`]).
    queue: Rc<RefCell<layout::Queue<&'static str>>>,
}

impl Store {
    /// Opens (and on first use, creates or upgrades) the database.
    pub async fn open() -> Result<Store, StoreError> {
        let db = Rexie::builder(&super::install::named(DB_NAME))
            .version(DB_VERSION)
            .add_object_store(ObjectStore::new(BUCKETS))
            .build()
            .await?;
        Ok(Store {
            db: Rc::new(db),
            journal: Rc::default(),
            queue: Rc::default(),
        })
    }

    /// Reads the record to start the app: everything but the older history, which
    /// [`Store::load_earlier_history`] reads afterwards (a large school's record holds four
    /// history entries to each action, and the app need not wait for them to open). If the
    /// buckets need laying out again (an older schema, or a gap), the whole record is read and
    /// rewritten in one transaction before it is handed over.
    pub async fn load(&self) -> Result<Record, StoreError> {
        let newest = match first_read().await {
            Some(read) => Some(read),
            None => self.read_newest().await?,
        };
        // Anything start-up cannot read on its own, the whole read reads (or says what is
        // wrong): a record the whole read accepts is never refused at start-up.
        if let Some((buckets, entries)) = newest {
            if let Ok(Some(loaded)) = layout::decode_newest(entries, buckets) {
                self.write_meta_if_missing(&loaded).await?;
                *self.journal.borrow_mut() = loaded.journal;
                return Ok(loaded.record);
            }
        }
        self.load_whole().await
    }

    /// The start-up read: every bucket but the history before the newest, with the number of
    /// history buckets; nothing when the record is to be read whole.
    async fn read_newest(&self) -> Result<Option<StartUpRead>, StoreError> {
        let tx = self.db.transaction(&[BUCKETS], TransactionMode::ReadOnly)?;
        let store = tx.store(BUCKETS)?;
        let keys: Vec<String> = store
            .get_all_keys(None, None)
            .await?
            .into_iter()
            .map(key_text)
            .collect();
        let Some(buckets) = layout::newest_history_read(&keys) else {
            tx.done().await?;
            return Ok(None);
        };
        let newest = layout::bucket_key(Kind::History, buckets - 1);
        let from_newest =
            KeyRange::lower_bound(&JsValue::from_str(&newest), None).map_err(rexie::Error::from)?;
        let mut entries = read_pairs(&store, Some(range_below("history/")?)).await?;
        entries.extend(read_pairs(&store, Some(from_newest)).await?);
        tx.done().await?;
        debug_assert_eq!(
            layout::is_start_up_read(&keys, entries.iter().map(|(key, _)| key)),
            Some(buckets)
        );
        Ok(Some((buckets, entries)))
    }

    /// Every stored key and value, as they are, for [`super::dump`]: read even when the record
    /// cannot be decoded, so that it can be taken off the device.
    pub async fn stored_values(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let tx = self.db.transaction(&[BUCKETS], TransactionMode::ReadOnly)?;
        let entries = read_pairs(&tx.store(BUCKETS)?, None).await?;
        tx.done().await?;
        Ok(entries
            .into_iter()
            .map(|(key, value)| (key, bytes_of(value.0)))
            .collect())
    }

    /// Reads every bucket, rewriting them in one transaction if they need laying out again.
    async fn load_whole(&self) -> Result<Record, StoreError> {
        let tx = self.db.transaction(&[BUCKETS], TransactionMode::ReadOnly)?;
        let store = tx.store(BUCKETS)?;
        let entries = read_pairs(&store, None).await?;
        tx.done().await?;
        let loaded = layout::decode(entries).map_err(StoreError::Load)?;
        if loaded.needs_rewrite {
            self.write(layout::encode_all(&loaded.record), &loaded.stale_keys)
                .await?;
        } else {
            self.write_meta_if_missing(&loaded).await?;
        }
        *self.journal.borrow_mut() = loaded.journal;
        Ok(loaded.record)
    }

    /// On a new device, writes the value that names the format and schema, once.
    async fn write_meta_if_missing(&self, loaded: &layout::Loaded) -> Result<(), StoreError> {
        if loaded.meta_missing {
            let meta = (layout::META_KEY.to_string(), layout::encode_meta());
            self.write(vec![meta], &[]).await?;
        }
        Ok(())
    }

    /// The history that [`Store::load`] left for later: every entry before `history_from`
    /// (the record's [`Record::history_from`]), to be read and decoded a few buckets at a time
    /// ([`EarlierHistory::read_more`]) so that the app answers taps meanwhile.
    pub fn earlier_history(&self, history_from: usize) -> EarlierHistory {
        EarlierHistory {
            store: self.clone(),
            buckets: history_from / layout::BUCKET_SIZE,
            // With room for the newest history as well, which joins it at the end: the whole
            // history is then never copied to a larger place (nor memory grown to hold both).
            decoded: Vec::with_capacity(history_from + 2 * layout::BUCKET_SIZE),
        }
    }

    /// A change to save, named `change`: the changes to [`Store::save`] now, or none while a
    /// write is under way. Then the change waits, and [`Store::write_ended`] hands it back.
    pub fn queue(&self, touched: &Touched, change: &'static str) -> Option<Waiting> {
        self.queue.borrow_mut().add(touched, change)
    }

    /// The write of the last [`Store::save`] has committed or failed: the changes that waited
    /// for it, to save now.
    pub fn write_ended(&self) -> Option<Waiting> {
        self.queue.borrow_mut().ended()
    }

    /// Saves changes in one transaction, resolving when it has committed: a small change as
    /// one journal entry, a large one (or the one that fills the journal) as the buckets it and
    /// the journal touched. What to write is encoded now, before the future runs, so what is
    /// saved is the record as it is now even if more changes follow before the write. One
    /// save at a time: see [`Store::queue`].
    pub fn save(
        &self,
        record: &Record,
        touched: &Touched,
    ) -> impl Future<Output = Result<(), StoreError>> + 'static {
        let (writes, retry) = self.journal.borrow_mut().save(record, touched);
        let store = self.clone();
        async move {
            let written = store.write(writes.puts, &writes.deletes).await;
            if written.is_err() {
                store.journal.borrow_mut().failed(retry);
            }
            written
        }
    }

    /// One read-write transaction: removes `remove`, puts every write, waits for the commit.
    async fn write(
        &self,
        writes: Vec<(String, Vec<u8>)>,
        remove: &[String],
    ) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[BUCKETS], TransactionMode::ReadWrite)?;
        let store = tx.store(BUCKETS)?;
        // The journal's entries go in one request: every key between its first and last is
        // one of them.
        let (journal, buckets): (Vec<&String>, Vec<&String>) = remove
            .iter()
            .partition(|key| key.starts_with(layout::JOURNAL_PREFIX));
        if let (Some(first), Some(last)) = (journal.iter().min(), journal.iter().max()) {
            let entries = KeyRange::bound(
                &JsValue::from_str(first),
                &JsValue::from_str(last),
                None,
                None,
            )
            .map_err(rexie::Error::from)?;
            store.delete(entries.into()).await?;
        }
        for key in buckets {
            store.delete(JsValue::from_str(key)).await?;
        }
        // Each value is stored as bytes (a JSON text's, or a compact bucket's): IndexedDB copies
        // bytes as they are, where a string is first turned into the browser's own text and
        // back again.
        let puts = writes.into_iter().map(|(key, value)| {
            let bytes: JsValue = Uint8Array::from(&value[..]).into();
            (bytes, Some(JsValue::from_str(&key)))
        });
        store.put_all(puts).await?;
        // Every request in a transaction can succeed and the transaction still be stopped
        // before it commits (the device full, say): then nothing of it was written.
        if tx.done().await?.is_committed() {
            Ok(())
        } else {
            Err(StoreError::Browser(
                "the write was stopped before it finished".into(),
            ))
        }
    }
}

/// A stored value as IndexedDB handed it over, copied into the app's memory only while it is
/// decoded (WebAssembly memory, once grown, is never given back).
struct Held(JsValue);

impl layout::Stored for Held {
    fn bytes<R>(&self, look: impl FnOnce(&[u8]) -> R) -> R {
        look(&bytes_of(self.0.clone()))
    }
}

/// The `(key, value)` pairs of a key range (or of the whole store).
async fn read_pairs(
    store: &rexie::Store,
    range: Option<KeyRange>,
) -> Result<Vec<(String, Held)>, StoreError> {
    let keys = store.get_all_keys(range.clone(), None).await?;
    let values = store.get_all(range, None).await?;
    Ok(keys
        .into_iter()
        .map(key_text)
        .zip(values.into_iter().map(Held))
        .collect())
}

/// A stored key as text: every key this app stores is a string; any other reads as "", which
/// names no bucket.
fn key_text(key: JsValue) -> String {
    key.as_string().unwrap_or_default()
}

/// A stored value's bytes: as this version stores them, or the JSON string an earlier one
/// stored. The readers check the bytes as they read. Anything else gives its JSON (or nothing), which
/// this version does not write and so fails to decode: the record is refused with the key named
/// rather than read wrongly, and "Download what is stored" still takes it off the device.
fn bytes_of(value: JsValue) -> Vec<u8> {
    match value.dyn_into::<Uint8Array>() {
        Ok(bytes) => bytes.to_vec(),
        Err(value) => value
            .as_string()
            .or_else(|| js_sys::JSON::stringify(&value).ok().map(String::from))
            .unwrap_or_default()
            .into_bytes(),
    }
}

/// What start-up reads: the number of history buckets, and every bucket but the older history.
type StartUpRead = (usize, Vec<(String, Held)>);

/// What the page's own first read (`first_read.js`, begun before the WebAssembly had loaded)
/// found, taken once: only if it is exactly what [`Store::read_newest`] would read, the same
/// keys in the same order; otherwise (no database yet, one history bucket or none, anything
/// unexpected) nothing, and the app reads for itself.
async fn first_read() -> Option<StartUpRead> {
    let window = web_sys::window()?;
    let name = JsValue::from_str("sendlogFirstRead");
    let pending = js_sys::Reflect::get(&window, &name).ok()?;
    // Taken once: a later read must read what is stored then.
    let _ = js_sys::Reflect::delete_property(&window, &name);
    let found = wasm_bindgen_futures::JsFuture::from(pending.dyn_into::<js_sys::Promise>().ok()?)
        .await
        .ok()?;
    let field = |of: &JsValue, name: &str| {
        js_sys::Reflect::get(of, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
    };
    let keys: Vec<String> = field(&found, "keys")?.iter().map(key_text).collect();
    let mut entries = Vec::new();
    for part in field(&found, "read")?.iter() {
        let (read_keys, values) = (field(&part, "keys")?, field(&part, "values")?);
        if read_keys.length() != values.length() {
            return None;
        }
        entries.extend(read_keys.iter().map(key_text).zip(values.iter().map(Held)));
    }
    let buckets = layout::is_start_up_read(&keys, entries.iter().map(|(key, _)| key))?;
    mark("sendlog:first-read-taken");
    Some((buckets, entries))
}

/// A mark on the page's performance timeline (the benchmark and the tests read it).
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Every key that sorts before `prefix`.
fn range_below(prefix: &str) -> Result<KeyRange, rexie::Error> {
    Ok(KeyRange::upper_bound(
        &JsValue::from_str(prefix),
        Some(true),
    )?)
}

/// Older history, read and decoded a few buckets at a time. Those buckets never change once
/// the newer history is in memory (changes only add to the newest), so reading them in several
/// transactions reads them as they are.
pub struct EarlierHistory {
    store: Store,
    buckets: usize,
    decoded: Vec<HistoryEntry>,
}

impl EarlierHistory {
    /// Reads and decodes up to `buckets` more buckets; says whether all of them are in.
    pub async fn read_more(&mut self, buckets: usize) -> Result<bool, StoreError> {
        let start = self.decoded.len() / layout::BUCKET_SIZE;
        let end = (start + buckets).min(self.buckets);
        if start < end {
            let range = KeyRange::bound(
                &JsValue::from_str(&layout::bucket_key(Kind::History, start)),
                &JsValue::from_str(&layout::bucket_key(Kind::History, end)),
                None,
                Some(true),
            )
            .map_err(rexie::Error::from)?;
            let tx = self
                .store
                .db
                .transaction(&[BUCKETS], TransactionMode::ReadOnly)?;
            let store = tx.store(BUCKETS)?;
            let entries = read_pairs(&store, Some(range)).await?;
            tx.done().await?;
            let history = layout::decode_history(entries, start).map_err(StoreError::Load)?;
            self.decoded.extend(history);
        }
        Ok(end == self.buckets)
    }

    /// Every entry, once [`EarlierHistory::read_more`] has said so.
    pub fn into_entries(self) -> Vec<HistoryEntry> {
        self.decoded
    }
}
