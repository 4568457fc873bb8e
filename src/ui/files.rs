//! Files in and out of the browser: handing the person a download, reading the file they chose,
//! letting the page draw between batches of work, and the timings the benchmark reads.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FilePropertyBag, HtmlAnchorElement, ShareData, Url};

/// Offers `bytes` as a file download. A link to the bytes is clicked, which works in iPad
/// Safari (which shows its download sheet) and Android Chrome alike; nothing leaves the device.
pub fn download(bytes: &[u8], file_name: &str, mime: &str) -> Result<(), String> {
    download_file(&file_of(bytes, file_name, mime)?)
}

/// `bytes` as a file named `file_name`, to download or share.
pub fn file_of(bytes: &[u8], file_name: &str, mime: &str) -> Result<File, String> {
    let options = FilePropertyBag::new();
    options.set_type(mime);
    // SAFETY: the view of the bytes in WebAssembly memory is used only by the File constructor,
    // which copies them, before anything in Rust runs again (nothing can allocate, so the
    // memory cannot move). A file of tens of megabytes is so copied once, not twice.
    let view = unsafe { Uint8Array::view(bytes) };
    let parts = Array::of1(&view);
    File::new_with_u8_array_sequence_and_options(&parts, file_name, &options).map_err(refused)
}

fn refused(e: JsValue) -> String {
    format!("The browser would not save the file ({e:?}).")
}

/// Offers a file as a download, as [`download`] does.
pub fn download_file(file: &File) -> Result<(), String> {
    let url = Url::create_object_url_with_blob(file).map_err(refused)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("There is no page to download from.")?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(refused)?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(&file.name());
    link.set_hidden(true);
    let body = document
        .body()
        .ok_or("There is no page to download from.")?;
    body.append_child(&link).map_err(refused)?;
    link.click();
    link.remove();
    // The link is clicked; the browser keeps the blob until the download has started.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}

/// The file in a share, as the Web Share API takes it.
fn share_data(file: &File) -> ShareData {
    let data = ShareData::new();
    data.set_files(&Array::of1(file));
    data
}

/// Whether this browser can share such a file with other apps (AirDrop, Mail, Teams, Files):
/// iPad Safari and Android Chrome can; most desktop browsers cannot, and then the file is
/// downloaded instead. `canShare` is looked for first: calling it where it is missing would throw.
pub fn can_share(file: &File) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let has = |name: &str| {
        js_sys::Reflect::get(&navigator, &JsValue::from_str(name)).is_ok_and(|f| f.is_function())
    };
    has("canShare") && has("share") && navigator.can_share_with_data(&share_data(file))
}

/// What became of a share.
pub enum Shared {
    Done,
    /// The person closed the share sheet without choosing anywhere.
    Cancelled,
}

/// Hands the file to the device's share sheet. Called straight from a tap: browsers share only
/// in answer to one.
pub async fn share(file: &File) -> Result<Shared, String> {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Err("There is no page to share from.".into());
    };
    match JsFuture::from(navigator.share_with_data(&share_data(file))).await {
        Ok(_) => Ok(Shared::Done),
        Err(e) => {
            let name = js_sys::Reflect::get(&e, &JsValue::from_str("name"))
                .ok()
                .and_then(|n| n.as_string());
            match name.as_deref() {
                Some("AbortError") => Ok(Shared::Cancelled),
                _ => Err(format!(
                    "The file could not be shared ({}). Save it to this device instead.",
                    name.unwrap_or_else(|| format!("{e:?}"))
                )),
            }
        }
    }
}

/// The whole of a chosen file, as bytes.
pub async fn read(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("The file could not be read ({e:?}). Choose it again."))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Lets the browser draw (a progress bar, say) before the next batch of work.
pub async fn let_the_page_draw() {
    pause(0).await;
}

/// Waits `ms` milliseconds, letting the browser get on meanwhile.
pub async fn pause(ms: i32) {
    let wait = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(wait).await;
}

/// Milliseconds since the page opened (`performance.now()`).
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Marks the start of something the benchmark times (`sendlog:save`, `sendlog:search`, …).
pub fn time_from(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(&format!("{name}:start"));
    }
}

/// Records how long it took since [`time_from`], as a performance measure named `name`.
pub fn time_to(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark(name, &format!("{name}:start"));
    }
}
