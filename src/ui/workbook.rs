//! The page's side of the workbook worker (src/bin/xlsx.rs): a workbook's bytes in, its sheets out.

use crate::core::spreadsheet::Sheet;
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

/// The worker's script, as trunk writes it beside the page (a relative address, so the app
/// works at any path; its service worker keeps it for offline use like every other file).
const WORKER: &str = "./public/sendlog-xlsx_start.js";

/// How long a workbook may take to read before the reading is given up.
const GIVE_UP_MS: i32 = 90_000;

/// What the person is told when the worker stops part way (it follows "It cannot be
/// imported: ").
const STOPPED: &str = "reading it as a workbook stopped part way: it may be damaged, or too \
    large for this device. Open it in Excel or LibreOffice and save it again, or save the sheet \
    with the actions as \"CSV UTF-8\" and import that.";

/// Reads a workbook in a worker started for it, and ends the worker once it has answered.
pub async fn read(bytes: Vec<u8>) -> Result<Vec<Sheet>, String> {
    let worker = Worker::new(WORKER).map_err(|e| {
        format!("the part of SEND Log that reads workbooks could not be started ({e:?}). Reload the page and try again.")
    })?;
    // The three ways it ends, each settling the one promise: an answer, an error, or time up.
    let mut keep: Vec<Closure<dyn FnMut(JsValue)>> = Vec::new();
    let sent = Uint8Array::from(bytes.as_slice());
    drop(bytes);
    let mut timer = None;
    let answer = Promise::new(&mut |resolve, reject| {
        // The worker says "ready" once its WebAssembly has started (a message sent before
        // then would be lost); it is then sent the workbook, and its next message is the answer.
        let answered = {
            let worker = worker.clone();
            let sent = sent.clone();
            let reject = reject.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let data = event
                    .dyn_into::<MessageEvent>()
                    .map(|m| m.data())
                    .unwrap_or(JsValue::NULL);
                if data.as_string().as_deref() == Some("ready") {
                    if let Err(e) =
                        worker.post_message_with_transfer(&sent, &Array::of1(&sent.buffer()))
                    {
                        let why = format!("it could not be handed to the workbook reader ({e:?}).");
                        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
                    }
                } else {
                    let _ = resolve.call1(&JsValue::NULL, &data);
                }
            })
        };
        let failed = {
            let reject = reject.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(STOPPED));
            })
        };
        let late = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(STOPPED));
        });
        worker.set_onmessage(Some(answered.as_ref().unchecked_ref()));
        worker.set_onerror(Some(failed.as_ref().unchecked_ref()));
        timer = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    late.as_ref().unchecked_ref(),
                    GIVE_UP_MS,
                )
                .ok()
        });
        keep.extend([answered, failed, late]);
    });
    let result = JsFuture::from(answer)
        .await
        .map_err(|why| why.as_string().unwrap_or_else(|| STOPPED.to_string()));
    // Nothing may call a closure once it is dropped: the timer is cleared and the worker ended first.
    if let (Some(window), Some(timer)) = (web_sys::window(), timer) {
        window.clear_timeout_with_handle(timer);
    }
    worker.terminate();
    worker.set_onmessage(None);
    worker.set_onerror(None);
    drop(keep);
    sheets_of(&Array::from(&result?))
}

/// The worker's answer read back (see src/bin/xlsx.rs for its shape).
fn sheets_of(answer: &Array) -> Result<Vec<Sheet>, String> {
    match answer.get(0).as_string().as_deref() {
        Some("sheets") => {
            let values: Vec<JsValue> = answer.iter().skip(1).collect();
            Ok(values
                .chunks_exact(4)
                .map(|group| Sheet {
                    name: group[0].as_string().unwrap_or_default(),
                    csv: Uint8Array::new(&group[1]).to_vec(),
                    header_row: group[2].as_f64().map_or(1, |n| n as usize),
                    empty: group[3].as_bool().unwrap_or(false),
                })
                .collect())
        }
        Some("refused") => Err(answer
            .get(1)
            .as_string()
            .unwrap_or_else(|| STOPPED.to_string())),
        _ => Err(STOPPED.to_string()),
    }
}
