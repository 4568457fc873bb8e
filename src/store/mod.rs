//! The browser's storage. Nothing else in the app touches IndexedDB or localStorage.
//!
//! # Layout
//! One IndexedDB database, `sendlog` (`sendlog@/its/folder/` for a copy served from a folder, see
//! [`install`]), with one object store, `buckets`. The record is kept as
//! buckets of up to 1,000 records, each stored as bytes: the UTF-8 of one JSON text, or for
//! actions, history and meetings a compact bucket (see [`layout`] and `core::bucket::compact`; an
//! earlier version stored JSON text as a string, which is still read):
//! `pupils/000000`, `actions/000000` … `actions/000049`, `history/000000` …, and `meta`, which
//! names the format and schema version.
//!
//! Why buckets and not one IndexedDB object per action: at 50,000 actions, one object per row
//! costs 4–5 s to write and about 1 s to read, because every object is cloned and indexed on its
//! own. Fifty JSON strings of 1,000 rows each are written in about 0.3 s and read in about
//! 0.2 s (figures in ENGINEERING.md). Queries run over the record in memory, so IndexedDB
//! indexes are not needed.
//!
//! Saving one change never writes the whole record: a small change is one journal entry of the
//! rows it touched (`journal/000000042`), read back over the buckets at start-up; a large one,
//! or every 200th small one, rewrites just the buckets it and the journal touched, in one
//! transaction (see [`layout::Journal`]).
//!
//! # Upgrades
//! The IndexedDB version ([`DB_VERSION`]) covers object stores; raise it to add a store and
//! the browser runs the upgrade on the next open. The record's own schema version is in `meta`
//! and in every bucket: a bucket of an older schema is read, upgraded in memory and written
//! back whole; a newer one is refused with a message and nothing is written.
//!
//! # Start-up
//! The start-up read begins before the app has loaded: `first_read.js`, inlined into the page,
//! reads what start-up reads while the WebAssembly is fetched and compiled, and [`Store::load`]
//! takes it when it is exactly that read (`layout::is_start_up_read`), or reads for itself.
//!
//! localStorage is used only for small preferences, never for the record (it holds ~5 MB).
//! [`device`] asks for persistent storage and reports how much is used.

pub mod dump;
pub mod install;
pub mod layout;
#[cfg(test)]
mod simulation;

#[cfg(target_arch = "wasm32")]
pub mod device;
#[cfg(target_arch = "wasm32")]
mod idb;
#[cfg(target_arch = "wasm32")]
pub use idb::{EarlierHistory, Store, StoreError, Waiting};

/// The IndexedDB database name at the root of a host; a copy elsewhere adds its folder
/// ([`install`]).
pub const DB_NAME: &str = "sendlog";
/// The IndexedDB schema version: which object stores exist.
pub const DB_VERSION: u32 = 1;
/// The one object store: bucket key → bucket JSON.
pub const BUCKETS: &str = "buckets";
