//! One tab or window changes the record at a time. Each holds the whole record in memory and
//! saves the buckets it touched, so two writing at once would overwrite each other's changes.
//! The first to open takes a Web Lock for as long as it is open; another one opened meanwhile
//! shows the record but refuses changes, says why, and reloads itself (reading what the first
//! one saved) as soon as the first is closed. A browser without Web Locks writes as before.
//! Text typed in the tab that may not write is kept on the device meanwhile ([`keep`]), and
//! saved once the tab takes over.

use super::state::{AppState, Saving};
use crate::store::{device, install};
use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::{GetUntracked, Set};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The lock's name, the same in every tab of this origin.
const LOCK: &str = "sendlog-record";

/// `navigator.locks.request`, bound to the lock manager, where the browser has Web Locks.
fn request() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request = Reflect::get(&locks, &JsValue::from_str("request")).ok()?;
    Some((locks, request.dyn_into().ok()?))
}

/// A promise that never settles: a lock callback that returns it holds the lock until the page
/// goes.
fn forever() -> JsValue {
    Promise::new(&mut |_, _| {}).into()
}

/// Asks for the lock at once, if no other tab holds it; the future says whether this tab may
/// change the record. The asking goes out now, so the record can be read meanwhile.
pub fn claim() -> impl std::future::Future<Output = bool> {
    let decided = ask();
    async move {
        let Some(decided) = decided else { return true };
        JsFuture::from(decided)
            .await
            .ok()
            .and_then(|granted| granted.as_bool())
            .unwrap_or(true)
    }
}

/// Asks for the lock; the promise settles with whether it was granted. `None` where the
/// browser has no Web Locks (or would not ask), which writes as before.
fn ask() -> Option<Promise> {
    let (locks, request) = request()?;
    let mut settle = None;
    let decided = Promise::new(&mut |resolve, _| settle = Some(resolve));
    let settle = settle?;
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let granted = !lock.is_null();
        let _ = settle.call1(&JsValue::NULL, &JsValue::from_bool(granted));
        if granted {
            forever()
        } else {
            JsValue::UNDEFINED
        }
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    request
        .call3(
            &locks,
            &JsValue::from_str(&install::named(LOCK)),
            &options,
            &callback,
        )
        .ok()?;
    Some(decided)
}

/// Waits for the tab that holds the lock to close, then reloads this one, which then takes the
/// lock and reads the record as the other tab left it.
pub fn reload_when_free() {
    let Some((locks, request)) = request() else {
        return;
    };
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
        forever()
    });
    let _ = request.call2(&locks, &JsValue::from_str(&install::named(LOCK)), &callback);
}

/// Beside a box whose text was refused here: what happened, and what to do.
pub const NOT_SAVED_HERE: &str = "Not saved: SEND Log is open in another tab or window. What you \
    typed is kept on this device, and saved here as soon as this tab takes over: close the other \
    one.";

/// Beside a box whose text was refused here and that the browser would not keep either.
const NOT_KEPT: &str = "Not saved: SEND Log is open in another tab or window, and this browser \
    would not keep what you typed either. Copy it into the other tab or window before closing \
    this one.";

/// What the header's bar says while something typed here is kept but not saved.
const KEPT_NOT_SAVED: &str = "Not saved: SEND Log is open in another tab or window, which alone \
    changes the record. What you typed here is kept on this device and saved as soon as this tab \
    takes over: close the other tab or window.";

/// Text typed in a tab that may not change the record is kept on the device (in localStorage,
/// not in the record) under the place of its box — `meeting:<id>:notes`, say — until the box is
/// next shown in a tab that may: after this tab reloads itself on taking over, say. The box
/// then puts it back and saves it.
///
/// Keeps `text` for the box at `place`; the header says nothing is saved until this tab takes
/// over. Hands back the note to show beside the box.
pub fn keep(state: AppState, place: &str, text: &str) -> &'static str {
    state.saving.set(Saving::Failed(KEPT_NOT_SAVED.into()));
    if device::keep_unsaved(place, Some(text)) {
        NOT_SAVED_HERE
    } else {
        NOT_KEPT
    }
}

/// What was kept for the box at `place`, not saved yet. In a tab that still may not change the
/// record, the header says so.
pub fn kept(state: AppState, place: &str) -> Option<String> {
    let text = device::unsaved(place)?;
    if state.elsewhere.get_untracked() {
        state.saving.set(Saving::Failed(KEPT_NOT_SAVED.into()));
    }
    Some(text)
}

/// The box at `place` has been saved: what was kept for it goes, and so does whatever was kept
/// for a meeting or pupil no longer in the record (removed in the other tab, say).
pub fn saved(state: AppState, place: &str) {
    device::keep_unsaved(place, None);
    state.peek(|r| device::forget_strays(r, AppState::today()));
}
