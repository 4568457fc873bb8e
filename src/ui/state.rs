//! The app's shared state, handed to every screen by context: the record as a signal, the open
//! store, and whether the last changes are saved. A screen calls [`AppState::change`] with a
//! core operation; the change is made in memory, shown at once and saved in the background.

use crate::core::record::{Record, Refusal, Touched};
use crate::store::Store;
use chrono::{DateTime, Local, NaiveDate, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Whether what is on screen is stored on the device.
#[derive(Clone, Debug, PartialEq)]
pub enum Saving {
    /// Every change so far is stored.
    Saved,
    /// Changes are being written.
    Writing,
    /// A write failed: the message says what happened and what to do.
    Failed(String),
}

/// The state every screen shares.
#[derive(Clone, Copy)]
pub struct AppState {
    pub record: RwSignal<Record>,
    pub saving: RwSignal<Saving>,
    pending: RwSignal<u32>,
    store: StoredValue<Option<Store>, LocalStorage>,
}

impl AppState {
    pub fn new(record: Record, store: Store) -> Self {
        AppState {
            record: RwSignal::new(record),
            saving: RwSignal::new(Saving::Saved),
            pending: RwSignal::new(0),
            store: StoredValue::new_local(Some(store)),
        }
    }

    /// Today on this device.
    pub fn today() -> NaiveDate {
        Local::now().date_naive()
    }

    /// Makes a change with a core operation and stores what it touched. A refusal changes
    /// nothing, on screen or on the device, and is handed back to be shown.
    pub fn change<T>(
        &self,
        operation: impl FnOnce(&mut Record, NaiveDate, DateTime<Utc>) -> Result<(T, Touched), Refusal>,
    ) -> Result<T, Refusal> {
        let (value, touched) = self
            .record
            .update_untracked(|record| operation(record, Self::today(), Utc::now()))?;
        if !touched.is_empty() {
            self.record.notify();
            self.persist(&touched);
        }
        Ok(value)
    }

    fn persist(&self, touched: &Touched) {
        let Some(store) = self.store.with_value(Clone::clone) else {
            return;
        };
        let write = self
            .record
            .with_untracked(|record| store.save(record, touched));
        self.pending.update(|n| *n += 1);
        if !matches!(self.saving.get_untracked(), Saving::Failed(_)) {
            self.saving.set(Saving::Writing);
        }
        let state = *self;
        spawn_local(async move {
            let result = write.await;
            state.pending.update(|n| *n -= 1);
            match result {
                Err(problem) => state.saving.set(Saving::Failed(format!(
                    "Not saved on this device: {problem}"
                ))),
                Ok(()) if state.pending.get_untracked() == 0 => {
                    if !matches!(state.saving.get_untracked(), Saving::Failed(_)) {
                        state.saving.set(Saving::Saved);
                    }
                }
                Ok(()) => {}
            }
        });
    }
}
