//! One tab or window changes the record at a time. Each holds the whole record in memory and
//! saves the buckets it touched, so two writing at once would overwrite each other's changes.
//! The first to open takes a Web Lock for as long as it is open; another one opened meanwhile
//! shows the record but refuses changes, says why, and reloads itself (reading what the first
//! one saved) as soon as the first is closed. A browser without Web Locks writes as before.

use js_sys::{Function, Object, Promise, Reflect};
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

/// Takes the lock if no other tab holds it; says whether this tab may change the record.
pub async fn claim() -> bool {
    let Some((locks, request)) = request() else {
        return true;
    };
    let mut settle = None;
    let decided = Promise::new(&mut |resolve, _| settle = Some(resolve));
    let Some(settle) = settle else { return true };
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
    let asked = request.call3(&locks, &JsValue::from_str(LOCK), &options, &callback);
    if asked.is_err() {
        return true;
    }
    JsFuture::from(decided)
        .await
        .ok()
        .and_then(|granted| granted.as_bool())
        .unwrap_or(true)
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
    let _ = request.call2(&locks, &JsValue::from_str(LOCK), &callback);
}
