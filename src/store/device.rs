//! What the browser says about this device's storage: whether the record is kept even when space
//! runs short (persistent storage), and how much is used; and when the whole record was last
//! exported from this device (a small note in localStorage, see `core::backup`).

use chrono::{DateTime, FixedOffset, Utc};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// This device's storage, as the browser reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StorageReport {
    /// The browser will not clear the record to make room.
    pub persisted: bool,
    /// Bytes used by this app, if the browser says.
    pub used: Option<f64>,
    /// Bytes the browser would let it use, if the browser says.
    pub quota: Option<f64>,
}

fn manager() -> Option<web_sys::StorageManager> {
    web_sys::window().map(|w| w.navigator().storage())
}

async fn ask(
    promise: Result<js_sys::Promise, wasm_bindgen::JsValue>,
) -> Option<wasm_bindgen::JsValue> {
    JsFuture::from(promise.ok()?).await.ok()
}

/// Asks the browser to keep the record even when the device runs short of space. Browsers may
/// grant it at once, ask the person, or decide by how the app is used; the answer is returned.
pub async fn request_persistence() -> bool {
    let Some(storage) = manager() else {
        return false;
    };
    ask(storage.persist())
        .await
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Whether storage is persistent, and how much is used, now.
pub async fn report() -> StorageReport {
    let Some(storage) = manager() else {
        return StorageReport {
            persisted: false,
            used: None,
            quota: None,
        };
    };
    let persisted = ask(storage.persisted())
        .await
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    // A dictionary, not a class: there is nothing to check it against.
    let estimate = ask(storage.estimate())
        .await
        .filter(|v| v.is_object())
        .map(|v| v.unchecked_into::<web_sys::StorageEstimate>());
    StorageReport {
        persisted,
        used: estimate.as_ref().and_then(|e| e.get_usage()),
        quota: estimate.as_ref().and_then(|e| e.get_quota()),
    }
}

/// Where the time of the last export of the whole record is noted.
const LAST_EXPORT: &str = "sendlog:last-export";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// When the whole record was last exported from this device, if the browser kept the note.
pub fn last_export() -> Option<DateTime<Utc>> {
    let text = local_storage()?.get_item(LAST_EXPORT).ok()??;
    let moment = text.parse::<DateTime<FixedOffset>>().ok()?;
    Some(moment.with_timezone(&Utc))
}

/// Notes that the whole record was exported now. If the browser will not keep the note, the
/// app asks for a copy again: the safer mistake.
pub fn note_export(at: DateTime<Utc>) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LAST_EXPORT, &at.to_rfc3339());
    }
}
