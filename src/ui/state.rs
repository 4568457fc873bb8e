//! The app's shared state, handed to every screen by context: the record as a signal, the open
//! store, and whether the last changes are saved. A screen calls [`AppState::change`] with a
//! core operation; the change is made in memory, shown at once and saved in the background.

use super::files;
use crate::core::backup::{self, Reminder};
use crate::core::example;
use crate::core::merge::{self, ImportPlan};
use crate::core::query::{self, OwnerWatch, SearchIndex};
use crate::core::record::{Kind, Record, Refusal, Removed, Touched, Undo};
use crate::core::{ActionId, PupilId};
use crate::store::{device, Store, StoreError, Waiting};
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

/// Why a change is refused while another tab or window has the record open.
pub const ELSEWHERE: &str = "SEND Log is open in another tab or window, and changes are made in \
    one place at a time so that neither overwrites the other. Nothing was changed here: make the \
    change there, or close it and this one will take over.";

/// How long after a change the reading of the older history waits before going on.
const QUIET_MS: f64 = 1000.0;

/// The reading of the older history waits for quiet at most this long after it starts.
const HISTORY_WAITS_AT_MOST_MS: f64 = 10_000.0;

/// Whether the older history, read after start-up, is in memory yet.
#[derive(Clone, Debug, PartialEq)]
pub enum History {
    Reading,
    Ready,
    Failed(String),
}

/// The last change, which "Undo" takes back: what a person reads, and how.
#[derive(Clone, Debug, PartialEq)]
pub struct LastChange {
    pub label: String,
    undo: Undo,
}

/// The state every screen shares.
///
/// The record is read through [`AppState::read`], which names the kinds of record a view
/// depends on: an edit of an action then re-runs what shows actions, and not the pupil lists or
/// meeting pickers. The search index is kept up to date row by row as actions change, never
/// rebuilt for one edit.
#[derive(Clone, Copy)]
pub struct AppState {
    record: StoredValue<Record, LocalStorage>,
    /// One trigger per kind of record, in [`Kind::ALL`] order, fired when a change touches it.
    changed: [Trigger; 4],
    owners_changed: Trigger,
    index: StoredValue<SearchIndex, LocalStorage>,
    owner_watch: StoredValue<OwnerWatch, LocalStorage>,
    /// The owners already used, alphabetically: worked out again only when an owner changes.
    pub owners: Memo<Vec<String>>,
    /// The owners the tracker's filter offers, as shown (the people named through a role
    /// first): worked out again only when an owner or a pupil changes.
    pub owner_choices: Memo<Vec<String>>,
    /// How many changes the record has had: what was worked out from it is good while this
    /// stays the same.
    version: StoredValue<u64>,
    /// The actions the last change edited in place, when it only edited (added, removed and
    /// moved nothing): lists of rows can then be brought up to date row by row.
    edited: StoredValue<Option<Vec<usize>>>,
    pub saving: RwSignal<Saving>,
    /// The last change that can be undone; cleared by the next change or by undoing it.
    pub last_change: RwSignal<Option<LastChange>>,
    /// What the last change or undo did, read out to screen readers and shown briefly.
    pub announcement: RwSignal<String>,
    pending: RwSignal<u32>,
    /// When the last change was made ([`files::now`]).
    changed_at: StoredValue<f64>,
    /// Whether every history entry is in memory (see [`AppState::read_earlier_history`]).
    pub history: RwSignal<History>,
    /// SEND Log is open in another tab or window, which alone may change the record
    /// (see [`super::one_writer`]).
    pub elsewhere: RwSignal<bool>,
    store: StoredValue<Option<Store>, LocalStorage>,
    /// When the whole record was last exported from this device (see [`backup`]).
    pub last_export: RwSignal<Option<DateTime<Utc>>>,
    /// The rows ticked in the tracker or the archive for a bulk change (see [`super::bulk`]).
    pub ticked: RwSignal<Vec<ActionId>>,
}

/// A change to the record, as [`AppState::apply`] makes it.
type Operation<'a> =
    dyn FnMut(&mut Record, NaiveDate, DateTime<Utc>) -> Result<Touched, Refusal> + 'a;

impl AppState {
    /// The state of the open record, from the context the app provides once the record is open
    /// (see `App` in [`super`]). Every component below the open record gets its state this way,
    /// in its body: `let state = AppState::get();`. Not in an event handler or a spawned task,
    /// which run outside the component tree: take the state in the body and move it in (it is
    /// `Copy`). Panics where no record is open, which no screen of an open record can be.
    pub fn get() -> AppState {
        expect_context::<AppState>()
    }

    pub fn new(record: Record, store: Store) -> Self {
        let owners_changed = Trigger::new();
        let changed = [
            Trigger::new(),
            Trigger::new(),
            Trigger::new(),
            Trigger::new(),
        ];
        // A pupil's key adults change how their actions' owners are shown.
        let pupils_changed = changed[Kind::Pupils as usize];
        let record = StoredValue::new_local(record);
        AppState {
            // Built by the first search, not before the first screen.
            index: StoredValue::new_local(SearchIndex::later()),
            // Taken with the search index, in the first quiet second after the history is in.
            owner_watch: StoredValue::new_local(OwnerWatch::later()),
            owners: Memo::new(move |_| {
                owners_changed.track();
                record.with_value(Record::owners)
            }),
            owner_choices: Memo::new(move |_| {
                owners_changed.track();
                pupils_changed.track();
                record.with_value(query::owner_choices)
            }),
            owners_changed,
            record,
            changed,
            version: StoredValue::new(0),
            edited: StoredValue::new(None),
            saving: RwSignal::new(Saving::Saved),
            last_change: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            pending: RwSignal::new(0),
            changed_at: StoredValue::new(f64::NEG_INFINITY),
            history: RwSignal::new(History::Reading),
            elsewhere: RwSignal::new(false),
            store: StoredValue::new_local(Some(store)),
            last_export: RwSignal::new(device::last_export()),
            ticked: RwSignal::new(Vec::new()),
        }
    }

    /// Reads the record; a view or memo that reads it runs again when a change touches any of
    /// `kinds`.
    pub fn read<T>(&self, kinds: &[Kind], look: impl FnOnce(&Record) -> T) -> T {
        for kind in kinds {
            self.changed[*kind as usize].track();
        }
        self.record.with_value(look)
    }

    /// The actions edited in place by the change that made `version`, if that change only
    /// edited actions (see [`crate::core::query::tracker_after_edit`]).
    pub fn edited_in(&self, version: u64) -> Option<Vec<usize>> {
        (self.version() == version)
            .then(|| self.edited.get_value())
            .flatten()
    }

    /// How many changes the record has had since the app opened.
    pub fn version(&self) -> u64 {
        self.version.get_value()
    }

    /// Reads the record without following its changes (in an event handler, say).
    pub fn peek<T>(&self, look: impl FnOnce(&Record) -> T) -> T {
        self.record.with_value(look)
    }

    /// Reads the record and its search index; runs again when an action or pupil changes.
    pub fn search<T>(&self, look: impl FnOnce(&Record, &SearchIndex) -> T) -> T {
        self.changed[Kind::Actions as usize].track();
        self.changed[Kind::Pupils as usize].track();
        self.index
            .with_value(|index| self.record.with_value(|record| look(record, index)))
    }

    /// Whether to ask for a copy of the record ([`backup::reminder`]): worked out again when the
    /// pupils change or the record is exported, not on every edit.
    pub fn backup_reminder(&self) -> Option<Reminder> {
        let last_export = self.last_export.get();
        self.read(&[Kind::Pupils], |record| {
            backup::reminder(record, last_export, Utc::now())
        })
    }

    /// Notes that the whole record has just been exported.
    pub fn note_export(&self) {
        let now = Utc::now();
        device::note_export(now);
        self.last_export.set(Some(now));
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
        let mut operation = Some(operation);
        let mut value = None;
        self.apply(measure, &mut |record, today, now| {
            let operation = operation.take().expect("a change is made once");
            operation(record, today, now).map(|(made, touched)| {
                value = Some(made);
                touched
            })
        })?;
        Ok(value.expect("a change that is made has a value"))
    }

    /// The body of [`AppState::change_timed`], compiled once rather than once for every kind of
    /// change.
    fn apply(&self, measure: &'static str, operation: &mut Operation) -> Result<(), Refusal> {
        if self.elsewhere.get_untracked() {
            let reason = ELSEWHERE.to_string();
            self.announcement.set(reason.clone());
            return Err(Refusal::NotHere(reason));
        }
        files::time_from(measure);
        self.changed_at.set_value(files::now());
        let mut outcome = None;
        let mut lengths = [0; 4];
        self.record.update_value(|record| {
            lengths = record.lengths();
            outcome = Some(operation(record, Self::today(), Utc::now()));
        });
        let touched = outcome.expect("the record is always there")?;
        if !touched.is_empty() {
            // The write starts first, so the database works while the screen catches up.
            self.persist(&touched, measure);
            // An import is undone by putting rows back where they were before it: once anything
            // else has changed, that would take the later change with it, so its "Undo" goes.
            let after_import = self.last_change.with_untracked(|last| {
                last.as_ref()
                    .is_some_and(|last| matches!(last.undo, Undo::Imported(_)))
            });
            if after_import {
                self.last_change.set(None);
            }
            let only_edits = self.peek(|r| r.lengths()[..3] == lengths[..3])
                && touched
                    .0
                    .iter()
                    .all(|(kind, _)| matches!(kind, Kind::Actions | Kind::History));
            // The screen catches up in the next task, once the write has been handed to the
            // database (the write's task was queued first), so IndexedDB works meanwhile.
            let state = *self;
            spawn_local(async move { state.catch_up(&touched, only_edits) });
        }
        Ok(())
    }

    /// Brings the search index and the list of owners up to date with a change, then tells
    /// the views that show what it touched.
    ///
    /// The version and the edited rows change here too, with the index, so that whatever is
    /// worked out before this runs is worked out from the version before, and is worked out
    /// again after.
    fn catch_up(&self, touched: &Touched, only_edits: bool) {
        files::time_from("sendlog:catch-up");
        self.version.update_value(|v| *v += 1);
        self.edited.set_value(only_edits.then(|| {
            touched
                .0
                .iter()
                .filter(|(kind, _)| *kind == Kind::Actions)
                .map(|&(_, position)| position)
                .collect()
        }));
        let owners_changed = self.record.with_value(|record| {
            self.index
                .update_value(|index| index.refresh(record, touched));
            let mut changed = false;
            self.owner_watch
                .update_value(|watch| changed = watch.refresh(record, touched));
            changed
        });
        if owners_changed {
            self.owners_changed.notify();
        }
        for kind in Kind::ALL {
            if touched.0.iter().any(|(k, _)| *k == kind) {
                self.changed[kind as usize].notify();
            }
        }
        files::time_to("sendlog:catch-up");
    }

    /// Applies an import, all or nothing, as one change that "Undo" takes back whole. `label`
    /// says what was imported.
    pub fn import(&self, plan: &ImportPlan, label: String) -> Result<(), Refusal> {
        self.undoable("sendlog:import-apply", |record, _, _| {
            files::time_from("sendlog:import-merge");
            let applied = merge::apply(record, plan);
            files::time_to("sendlog:import-merge");
            applied.map(|(undo, touched)| ((label, undo), touched))
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

    /// Loads the example record, as an import that "Undo" takes back.
    pub fn load_example(&self) -> Result<(), Refusal> {
        let plan = self.peek(|record| example::plan(record, Self::today(), Utc::now()));
        self.import(&plan, "Loaded the example record.".into())
    }

    /// Removes the example's pupils and everything about them; whatever else is in the record
    /// stays.
    pub async fn clear_example(&self) -> Result<(), String> {
        let pupils = example::example_pupils();
        self.remove_pupils(&pupils, |_| "Cleared the example record.".into())
            .await
    }

    /// Removes a pupil's records from this device for good (at the end of their retention
    /// period), and says what went.
    pub async fn remove_pupil(&self, pupil: PupilId) -> Result<(), String> {
        let name = self
            .peek(|record| record.pupil(pupil).map(|p| p.name.clone()))
            .unwrap_or_default();
        self.remove_pupils(&[pupil], |removed| {
            let count = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            format!(
                "Removed {name}'s records from this device: {}, {} and their history.",
                count(removed.meetings, "meeting", "meetings"),
                count(removed.actions, "action", "actions")
            )
        })
        .await
    }

    /// Removes pupils and everything about them, once the whole history is in memory, and
    /// announces what `done` says of it. The last change can no longer be undone (the rows after
    /// theirs have moved), so "Undo" goes.
    async fn remove_pupils(
        &self,
        pupils: &[PupilId],
        done: impl FnOnce(Removed) -> String,
    ) -> Result<(), String> {
        self.whole_history().await?;
        let names: Vec<String> = self.peek(|record| {
            pupils
                .iter()
                .filter_map(|id| record.pupil(*id).map(|p| p.name.clone()))
                .collect()
        });
        let removed = self
            .change(|record, _, _| Ok(record.remove_pupils(pupils)))
            .map_err(|refusal| refusal.to_string())?;
        self.last_change.set(None);
        // Nothing typed about them stays on the device either: drafts, text kept in a second
        // tab, and text kept when SEND Log last stopped, if it names them.
        self.peek(|r| device::forget_strays(r, AppState::today()));
        device::forget_rescued_about(&names);
        self.announcement.set(done(removed));
        Ok(())
    }

    /// Reads the older history that start-up left for later, and takes it into the record.
    /// Until then, changes work as usual; a row's full history, an import and a JSON export
    /// wait for it ([`AppState::whole_history`]).
    pub fn read_earlier_history(&self) {
        let from = self.peek(Record::history_from);
        let Some(store) = self.store.with_value(Clone::clone).filter(|_| from > 0) else {
            self.history.set(History::Ready);
            return;
        };
        let state = *self;
        spawn_local(async move {
            files::time_from("sendlog:history");
            let mut earlier = store.earlier_history(from);
            let started = files::now();
            let earlier = loop {
                // IndexedDB does one transaction at a time, so a change made while a read is
                // under way waits for it: the reading starts after a quiet second from opening
                // (someone may tap at once) and, while changes are being made, waits for a
                // quiet second again, but never more than ten seconds in all.
                while files::now() - state.changed_at.get_value().max(started) < QUIET_MS
                    && files::now() - started < HISTORY_WAITS_AT_MOST_MS
                {
                    files::pause(100).await;
                }
                // A few buckets at a time, letting taps and drawing in between.
                match earlier.read_more(4).await {
                    Ok(true) => break Ok(earlier.into_entries()),
                    Ok(false) => files::let_the_page_draw().await,
                    Err(problem) => break Err(problem.to_string()),
                }
            };
            let mut taken = Err(String::new());
            state.record.update_value(|record| {
                taken =
                    earlier.and_then(|h| record.take_earlier_history(h).map_err(|e| e.to_string()));
            });
            match taken {
                Ok(()) => {
                    files::time_to("sendlog:history");
                    state.history.set(History::Ready);
                    state.changed[Kind::History as usize].notify();
                    // The search's text of every action, and each action's owner, taken now
                    // while nothing is asked of the app rather than at the first key typed into
                    // Search or before the first screen.
                    spawn_local(async move {
                        while files::now() - state.changed_at.get_value() < QUIET_MS {
                            files::pause(100).await;
                        }
                        state.record.with_value(|r| {
                            state.index.with_value(|index| index.build(r));
                            state.owner_watch.update_value(|watch| watch.take(r));
                        });
                    });
                }
                Err(problem) => state.history.set(History::Failed(format!(
                    "The older history of the record could not be read ({problem}). Nothing \
                     has been changed. Reload SEND Log; if this happens again, export the \
                     record and ask for help."
                ))),
            }
        });
    }

    /// Waits until every history entry is in memory; the error says why it never will be.
    pub async fn whole_history(&self) -> Result<(), String> {
        loop {
            match self.history.get_untracked() {
                History::Ready => return Ok(()),
                History::Failed(problem) => return Err(problem),
                History::Reading => files::let_the_page_draw().await,
            }
        }
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

    /// Saves a change, or, while a write is under way, lets it wait for that write to end
    /// (see [`crate::store::layout::Queue`]).
    fn persist(&self, touched: &Touched, measure: &'static str) {
        let Some(store) = self.store.with_value(Clone::clone) else {
            return;
        };
        self.hold();
        if let Some(changes) = store.queue(touched, measure) {
            self.write(store, changes);
        }
    }

    /// Writes changes, then whatever waited for them, one write at a time.
    fn write(&self, store: Store, changes: Waiting) {
        files::time_from("sendlog:encode");
        let write = self
            .record
            .with_value(|record| store.save(record, &changes.touched));
        files::time_to("sendlog:encode");
        let state = *self;
        spawn_local(async move {
            let written = write.await;
            let count = u32::try_from(changes.changes.len()).unwrap_or(u32::MAX);
            state.pending.update(|n| *n = n.saturating_sub(count));
            match written {
                Ok(()) => {
                    for measure in changes.changes {
                        files::time_to(measure);
                    }
                    // A write after a failed one also writes what that one left out, so once
                    // one succeeds, what is on screen is stored again.
                    state.saving.set(if state.pending.get_untracked() == 0 {
                        Saving::Saved
                    } else {
                        Saving::Writing
                    });
                }
                Err(problem) => state.saving.set(Saving::Failed(not_saved(&problem))),
            }
            if let Some(next) = store.write_ended() {
                state.write(store, next);
            }
        });
    }

    /// After a write failed, writes again what it left out (once space is freed, say).
    /// While another tab writes the record, nothing is written here: the header keeps saying
    /// what is not saved ([`super::one_writer::keep`]), and the reason is announced.
    pub fn save_again(&self) {
        if self.elsewhere.get_untracked() {
            self.announcement.set(ELSEWHERE.to_string());
            return;
        }
        self.persist(&Touched::default(), "sendlog:save");
    }
}

/// What to say when a change could not be stored.
fn not_saved(problem: &StoreError) -> String {
    match problem {
        StoreError::Browser(detail) => format!(
            "Not saved on this device: the browser would not store the last change. Everything \
             is still on screen. If the device is short of space, free some, then tap Try \
             again; keep SEND Log open until it says Saved. (The browser said: {detail}.)"
        ),
        StoreError::Load(problem) => format!("Not saved on this device: {problem}"),
    }
}
