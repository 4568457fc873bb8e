//! The app's shared state, handed to every screen by context: the record as a signal, the open
//! store, and whether the last changes are saved. A screen calls [`AppState::change`] with a
//! core operation; the change is made in memory, shown at once and saved in the background.

use super::files;
use crate::core::merge::{self, ImportPlan};
use crate::core::record::{Record, Refusal, Touched, Undo};
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

/// The last change, which "Undo" takes back: what a person reads, and how.
#[derive(Clone, Debug, PartialEq)]
pub struct LastChange {
    pub label: String,
    undo: Undo,
}

/// The state every screen shares.
#[derive(Clone, Copy)]
pub struct AppState {
    pub record: RwSignal<Record>,
    pub saving: RwSignal<Saving>,
    /// The last change that can be undone; cleared by the next change or by undoing it.
    pub last_change: RwSignal<Option<LastChange>>,
    /// What the last change or undo did, read out to screen readers and shown briefly.
    pub announcement: RwSignal<String>,
    pending: RwSignal<u32>,
    store: StoredValue<Option<Store>, LocalStorage>,
}

impl AppState {
    pub fn new(record: Record, store: Store) -> Self {
        AppState {
            record: RwSignal::new(record),
            saving: RwSignal::new(Saving::Saved),
            last_change: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
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
        self.change_timed("sendlog:save", operation)
    }

    /// [`AppState::change`], timed from the change until it is stored, under `measure`.
    fn change_timed<T>(
        &self,
        measure: &'static str,
        operation: impl FnOnce(&mut Record, NaiveDate, DateTime<Utc>) -> Result<(T, Touched), Refusal>,
    ) -> Result<T, Refusal> {
        files::time_from(measure);
        let (value, touched) = self
            .record
            .update_untracked(|record| operation(record, Self::today(), Utc::now()))?;
        if !touched.is_empty() {
            self.record.notify();
            self.persist(&touched, measure);
        }
        Ok(value)
    }

    /// Applies an import, all or nothing, as one change that "Undo" takes back whole. `label`
    /// says what was imported.
    pub fn import(&self, plan: &ImportPlan, label: String) -> Result<(), Refusal> {
        self.undoable("sendlog:import-apply", |record, _, _| {
            merge::apply(record, plan).map(|(undo, touched)| ((label, undo), touched))
        })
    }

    /// Makes a change that "Undo" can take back. The operation hands back what to announce
    /// (and show beside "Undo") with how to undo it.
    pub fn change_undoably(
        &self,
        operation: impl FnOnce(
            &mut Record,
            NaiveDate,
            DateTime<Utc>,
        ) -> Result<((String, Undo), Touched), Refusal>,
    ) -> Result<(), Refusal> {
        self.undoable("sendlog:save", operation)
    }

    fn undoable(
        &self,
        measure: &'static str,
        operation: impl FnOnce(
            &mut Record,
            NaiveDate,
            DateTime<Utc>,
        ) -> Result<((String, Undo), Touched), Refusal>,
    ) -> Result<(), Refusal> {
        let last = self.change_timed(measure, |record, today, now| {
            operation(record, today, now).map(|((label, undo), touched)| {
                let kept = (!touched.is_empty()).then_some(LastChange { label, undo });
                (kept, touched)
            })
        })?;
        if let Some(last) = last {
            self.announcement.set(last.label.clone());
            self.last_change.set(Some(last));
        }
        Ok(())
    }

    /// Takes back the last change.
    pub fn undo(&self) {
        let Some(last) = self.last_change.get_untracked() else {
            return;
        };
        let result = self.change(|record, _, now| record.undo(&last.undo, now).map(|t| ((), t)));
        self.last_change.set(None);
        self.announcement.set(match result {
            Ok(()) => format!("Undone: {}", last.label),
            Err(problem) => format!("Could not undo: {problem}"),
        });
    }

    /// Something typed will be saved after a pause: until [`AppState::release`], the header
    /// says "Saving…", never "Saved".
    pub fn hold(&self) {
        self.pending.update(|n| *n += 1);
        if !matches!(self.saving.get_untracked(), Saving::Failed(_)) {
            self.saving.set(Saving::Writing);
        }
    }

    /// What was held is saved (or its write has started, and holds on its own).
    pub fn release(&self) {
        self.pending.update(|n| *n = n.saturating_sub(1));
        if self.pending.get_untracked() == 0
            && !matches!(self.saving.get_untracked(), Saving::Failed(_))
        {
            self.saving.set(Saving::Saved);
        }
    }

    fn persist(&self, touched: &Touched, measure: &'static str) {
        let Some(store) = self.store.with_value(Clone::clone) else {
            return;
        };
        let write = self
            .record
            .with_untracked(|record| store.save(record, touched));
        self.hold();
        let state = *self;
        spawn_local(async move {
            match write.await {
                Ok(()) => {
                    files::time_to(measure);
                    state.release()
                }
                Err(problem) => {
                    state.pending.update(|n| *n = n.saturating_sub(1));
                    state.saving.set(Saving::Failed(format!(
                        "Not saved on this device: {problem}"
                    )));
                }
            }
        });
    }
}
