//! What the browser says about this device's storage: whether the record is kept even when space
//! runs short (persistent storage), and how much is used. And small notes kept in localStorage:
//! when the whole record was last exported from this device (see `core::backup`); what is typed
//! into an action not yet added (a draft), so that a reload or a trip to another screen does not
//! lose it; text typed in a tab that may not change the record (`ui::one_writer`); and the text
//! on screen when SEND Log last stopped unexpectedly (`ui::stopped`); the meeting left open
//! without finishing it; the school's name and contact line for the parent's copy; and how
//! the columns of a spreadsheet were matched by hand, for the next file with the same header;
//! the school's retention rule; and the setting's own phase-transfer years.

use super::install::named;
use crate::core::draft;
use crate::core::letterhead::Letterhead;
use crate::core::record::Record;
use crate::core::retention::Rule;
use crate::core::statutory;
use crate::core::MeetingId;
use crate::core::YearGroup;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// This device's storage, as the browser reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StorageReport {
    /// The browser can be asked to keep the record (it has `navigator.storage`; WebKitGTK and
    /// older Safari have none).
    pub can_ask: bool,
    /// The browser will not clear the record to make room.
    pub persisted: bool,
    /// Bytes used by this app, if the browser says.
    pub used: Option<f64>,
    /// Bytes the browser would let it use, if the browser says.
    pub quota: Option<f64>,
}

/// `navigator.storage`, where the browser has it. web-sys would hand back `undefined` typed as a
/// StorageManager, so it is looked up first.
fn manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &"storage".into())
        .ok()
        .filter(|storage| storage.is_object())
        .map(|storage| storage.unchecked_into())
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
            can_ask: false,
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
        can_ask: true,
        persisted,
        used: estimate.as_ref().and_then(|e| e.get_usage()),
        quota: estimate.as_ref().and_then(|e| e.get_quota()),
    }
}

/// Where the time of the last export of the whole record is noted.
const LAST_EXPORT: &str = "sendlog:last-export";

/// localStorage, as this copy of the app keeps its notes there: every key is named through
/// [`super::install`], so copies at two paths of one host keep theirs apart.
struct Notes(web_sys::Storage);

impl Notes {
    fn get_item(&self, key: &str) -> Result<Option<String>, wasm_bindgen::JsValue> {
        self.0.get_item(&named(key))
    }

    fn set_item(&self, key: &str, value: &str) -> Result<(), wasm_bindgen::JsValue> {
        self.0.set_item(&named(key), value)
    }

    fn remove_item(&self, key: &str) -> Result<(), wasm_bindgen::JsValue> {
        self.0.remove_item(&named(key))
    }

    /// The rest of every key of this copy that begins with `prefix`.
    fn keys_after(&self, prefix: &str) -> Vec<String> {
        let prefix = named(prefix);
        let count = self.0.length().unwrap_or(0);
        (0..count)
            .filter_map(|n| self.0.key(n).ok().flatten())
            .filter_map(|key| key.strip_prefix(&prefix).map(String::from))
            .collect()
    }
}

fn local_storage() -> Option<Notes> {
    web_sys::window()?.local_storage().ok()?.map(Notes)
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

/// Where drafts are kept: `sendlog:draft:` and the form's place.
const DRAFT_PREFIX: &str = "sendlog:draft:";

/// The draft kept for the form at `place`, if any.
pub fn draft(place: &str) -> Option<String> {
    local_storage()?
        .get_item(&format!("{DRAFT_PREFIX}{place}"))
        .ok()?
}

/// Keeps `text` as the draft for the form at `place`, or, given nothing, forgets it. A draft the
/// browser will not keep is only lost if the page is reloaded before it is added.
pub fn keep_draft(place: &str, text: Option<&str>) {
    let Some(storage) = local_storage() else {
        return;
    };
    let key = format!("{DRAFT_PREFIX}{place}");
    let _ = match text {
        Some(text) => storage.set_item(&key, text),
        None => storage.remove_item(&key),
    };
}

/// Forgets every draft of an action kept on this device (Settings' "Clear the drafts").
pub fn forget_drafts() {
    for place in draft_places() {
        keep_draft(&place, None);
    }
}

/// The places of every draft kept.
pub fn draft_places() -> Vec<String> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    storage.keys_after(DRAFT_PREFIX)
}

/// Forgets what is typed on this device about pupils and meetings no longer in `record` (after
/// their records are removed at the end of retention, say): drafts of actions and text kept
/// unsaved in a second tab go with them, and drafts a week old (the rules are [`draft`]'s).
pub fn forget_strays(record: &Record, today: NaiveDate) {
    for place in draft_places() {
        let text = self::draft(&place);
        if draft::draft_is_stray(&place, text.as_deref(), record, today) {
            keep_draft(&place, None);
        } else if let Some(dated) = text.and_then(|t| draft::dated(&t, today)) {
            keep_draft(&place, Some(&dated));
        }
    }
    for place in unsaved_places() {
        if draft::unsaved_is_stray(&place, record) {
            keep_unsaved(&place, None);
        }
    }
}

/// Forgets the text kept when SEND Log last stopped if it names any of these pupils (whose
/// records have been removed).
pub fn forget_rescued_about(names: &[String]) {
    if rescued().is_some_and(|text| draft::names_any(&text, names)) {
        keep_rescued(None);
    }
}

/// Where text typed in a tab that may not change the record (SEND Log is open in another tab,
/// see `ui::one_writer`) is kept until a tab that may saves it: `sendlog:unsaved:` and the
/// place of the box it was typed in.
const UNSAVED_PREFIX: &str = "sendlog:unsaved:";

/// The text kept unsaved for the box at `place`, if any.
pub fn unsaved(place: &str) -> Option<String> {
    local_storage()?
        .get_item(&format!("{UNSAVED_PREFIX}{place}"))
        .ok()?
}

/// Keeps `text`, not yet saved, for the box at `place`, or, given nothing, forgets it. Says
/// whether the browser did so.
pub fn keep_unsaved(place: &str, text: Option<&str>) -> bool {
    let Some(storage) = local_storage() else {
        return false;
    };
    let key = format!("{UNSAVED_PREFIX}{place}");
    match text {
        Some(text) => storage.set_item(&key, text),
        None => storage.remove_item(&key),
    }
    .is_ok()
}

/// The places of every text kept unsaved.
pub fn unsaved_places() -> Vec<String> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    storage.keys_after(UNSAVED_PREFIX)
}

/// Where the text on screen is kept when SEND Log stops unexpectedly (see `ui::stopped`).
const RESCUED: &str = "sendlog:rescued";

/// Keeps the text that was on screen when SEND Log stopped (a JSON array of `[label, text]`),
/// to be offered back at the next start; given nothing, forgets it.
pub fn keep_rescued(text: Option<&str>) {
    let Some(storage) = local_storage() else {
        return;
    };
    let _ = match text {
        Some(text) => storage.set_item(RESCUED, text),
        None => storage.remove_item(RESCUED),
    };
}

/// The text kept when SEND Log last stopped, if any.
pub fn rescued() -> Option<String> {
    local_storage()?.get_item(RESCUED).ok()?
}

/// Where the meeting open on this device and not yet finished is noted (see
/// `core::query::to_resume`).
const LEFT_OPEN: &str = "sendlog:meeting-left-open";

/// The meeting opened on this device whose read-back was not reached since, if any.
pub fn left_open() -> Option<MeetingId> {
    MeetingId::parse(&local_storage()?.get_item(LEFT_OPEN).ok()??)
}

/// Notes `meeting` as open and not finished; given nothing, forgets the note.
pub fn keep_left_open(meeting: Option<MeetingId>) {
    let Some(storage) = local_storage() else {
        return;
    };
    let _ = match meeting {
        Some(id) => storage.set_item(LEFT_OPEN, &id.to_string()),
        None => storage.remove_item(LEFT_OPEN),
    };
}

/// Where the school's name and contact line are kept.
const LETTERHEAD: &str = "sendlog:letterhead";

/// The school's name and contact line as set in Settings on this device (empty if not set).
pub fn letterhead() -> Letterhead {
    local_storage()
        .and_then(|storage| storage.get_item(LETTERHEAD).ok().flatten())
        .map(|text| Letterhead::decode(&text))
        .unwrap_or_default()
}

/// Keeps the school's name and contact line; says whether the browser kept them.
pub fn keep_letterhead(letterhead: &Letterhead) -> bool {
    local_storage().is_some_and(|storage| {
        if letterhead.is_empty() {
            storage.remove_item(LETTERHEAD).is_ok()
        } else {
            storage.set_item(LETTERHEAD, &letterhead.encode()).is_ok()
        }
    })
}

/// Where the school's retention rule is kept.
const RETENTION: &str = "sendlog:retention";

/// The school's retention rule as chosen in Settings on this device, if one is.
pub fn retention_rule() -> Option<Rule> {
    let code = local_storage()?.get_item(RETENTION).ok()??;
    Rule::from_code(&code)
}

/// Keeps the school's retention rule (none: not chosen); says whether the browser kept it.
pub fn keep_retention_rule(rule: Option<Rule>) -> bool {
    local_storage().is_some_and(|storage| match rule {
        Some(rule) => storage.set_item(RETENTION, &rule.code()).is_ok(),
        None => storage.remove_item(RETENTION).is_ok(),
    })
}

/// Where the setting's own phase-transfer years are kept (besides the statutory ones).
const TRANSFER_YEARS: &str = "sendlog:transfer-years";

/// The setting's own transfer years (a middle school's Year 4, say); none unless chosen.
pub fn transfer_years() -> Vec<YearGroup> {
    local_storage()
        .and_then(|s| s.get_item(TRANSFER_YEARS).ok().flatten())
        .map(|code| statutory::years_from_code(&code))
        .unwrap_or_default()
}

/// Keeps the setting's own transfer years; says whether the browser kept them.
pub fn keep_transfer_years(years: &[YearGroup]) -> bool {
    local_storage().is_some_and(|storage| {
        if years.is_empty() {
            storage.remove_item(TRANSFER_YEARS).is_ok()
        } else {
            storage
                .set_item(TRANSFER_YEARS, &statutory::years_code(years))
                .is_ok()
        }
    })
}

/// Where the columns matched by hand are kept: `sendlog:columns:` and the header row (squashed,
/// as `CsvImport::header_key` gives it).
const COLUMNS_PREFIX: &str = "sendlog:columns:";

/// The columns matched by hand for a file with this header row, if any were kept.
pub fn column_choices(header: &str) -> Option<String> {
    local_storage()?
        .get_item(&format!("{COLUMNS_PREFIX}{header}"))
        .ok()?
}

/// Keeps how the columns of a file with this header row were matched (`CsvImport::choices_text`).
/// If the browser will not keep it, the next such file is matched by hand again.
pub fn keep_column_choices(header: &str, choices: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(&format!("{COLUMNS_PREFIX}{header}"), choices);
    }
}
