//! The workbook worker: reads an .xlsx, .xls or .ods sent by the page, in a Web Worker of its own.
//!
//! Built by trunk as a worker of its own (index.html, `data-type="worker"`), so the code that
//! reads workbooks (calamine, with its zip and XML readers) is fetched apart from the app and
//! never slows its start; and a workbook that stops the reader (damaged, or too large for the
//! tablet's memory) stops this worker, never the page. It says "ready" once started; then each
//! message is a workbook's bytes (an ArrayBuffer); the answer is `["sheets", name, csv, header_row, empty, …]`, a group of
//! four for each sheet (`csv` a Uint8Array of UTF-8 CSV), or `["refused", why]`. The page
//! side is `src/ui/workbook.rs`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use js_sys::{Array, Uint8Array};
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let read = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let bytes = Uint8Array::new(&event.data()).to_vec();
        let answer = Array::new();
        match sendlog_core::spreadsheet::read_workbook(&bytes) {
            Ok(sheets) => {
                answer.push(&JsValue::from_str("sheets"));
                for sheet in sheets {
                    answer.push(&JsValue::from_str(&sheet.name));
                    answer.push(&Uint8Array::from(sheet.csv.as_slice()));
                    answer.push(&JsValue::from_f64(sheet.header_row as f64));
                    answer.push(&JsValue::from_bool(sheet.empty));
                }
            }
            Err(why) => {
                answer.push(&JsValue::from_str("refused"));
                answer.push(&JsValue::from_str(&why));
            }
        }
        let _ = reply.post_message(&answer);
    });
    scope.set_onmessage(Some(read.as_ref().unchecked_ref()));
    // A message sent before this point would have been lost: the page waits for this one.
    let _ = scope.post_message(&JsValue::from_str("ready"));
    // The worker lives until the page ends it, which it does once it has its answer.
    read.forget();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The workbook worker runs in the browser, started by SEND Log (see README.md).");
}
