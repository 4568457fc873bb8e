//! Files in and out of the browser: handing the person a download, reading the file they chose,
//! letting the page draw between batches of work, and the timings the benchmark reads.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `bytes` as a file download. A link to the bytes is clicked, which works in iPad
/// Safari (which shows its download sheet) and Android Chrome alike; nothing leaves the device.
pub fn download(bytes: &[u8], file_name: &str, mime: &str) -> Result<(), String> {
    let fail = |e: JsValue| format!("The browser would not save the file ({e:?}).");
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    // SAFETY: the view of the bytes in WebAssembly memory is used only by the Blob constructor,
    // which copies them, before anything in Rust runs again (nothing can allocate, so the
    // memory cannot move). A file of tens of megabytes is so copied once, not twice.
    let view = unsafe { Uint8Array::view(bytes) };
    let parts = Array::of1(&view);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("There is no page to download from.")?;
    let link: HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.set_hidden(true);
    let body = document
        .body()
        .ok_or("There is no page to download from.")?;
    body.append_child(&link).map_err(fail)?;
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
