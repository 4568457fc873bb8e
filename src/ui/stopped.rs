//! When things go wrong: the plain screen shown if SEND Log stops unexpectedly (a panic), the
//! text on screen kept from that moment and offered back at the next start, and the button
//! that takes everything stored off the device when the record cannot be opened.

use super::files;
use crate::store::{device, dump, Store};
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};

/// What the screen says when SEND Log has stopped.
const STOPPED: &str = "SEND Log stopped unexpectedly";
const SAFE: &str = "Everything already saved is safe.";

/// Makes a panic show the stopped screen. The release build aborts on a panic, after which no
/// tap does anything: without this the page would look alive and silently ignore the person.
/// Before the screen is shown, the text in every box on screen is kept on the device, so that
/// what was being typed since the last save is offered back after the reload.
pub fn catch_panics() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        rescue_typed_text();
        show_stopped_screen();
    }));
    // The browser tests stand for a panic with an event no person can send from the page:
    // without one, the screen above could not be tested, since nothing a person does panics.
    if let Some(window) = web_sys::window() {
        let stop = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
            panic!("the test event sendlog-test-panic");
        });
        let _ = window
            .add_event_listener_with_callback("sendlog-test-panic", stop.as_ref().unchecked_ref());
        stop.forget();
    }
}

/// Keeps the text of every box on screen that holds some, with its label.
fn rescue_typed_text() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(boxes) = document.query_selector_all("textarea, input:not([type]), input[type=text]")
    else {
        return;
    };
    let mut kept: Vec<(String, String)> = Vec::new();
    for n in 0..boxes.length() {
        let Some(node) = boxes.item(n) else { continue };
        let (element, value) = if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
            (input.labels().and_then(|l| l.item(0)), input.value())
        } else if let Some(area) = node.dyn_ref::<HtmlTextAreaElement>() {
            (area.labels().item(0), area.value())
        } else {
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        let label = element
            .and_then(|l| l.text_content())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "A box on the screen".into());
        kept.push((label, value));
    }
    if !kept.is_empty() {
        if let Ok(text) = serde_json::to_string(&kept) {
            device::keep_rescued(Some(&text));
        }
    }
}

/// Covers the page with the stopped screen. Built from plain elements, not Leptos: after a
/// panic the app's code may not run again. The Reload button submits a form, which the browser
/// carries out without any of the app's code.
fn show_stopped_screen() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("stopped").is_some() {
        return;
    }
    let children = body.children();
    for n in 0..children.length() {
        if let Some(child) = children.item(n) {
            // `hidden`, which the stylesheet makes win over any display of its own (a style
            // attribute would be refused by the page's Content-Security-Policy).
            let _ = child.set_attribute("hidden", "");
        }
    }
    let Ok(screen) = document.create_element("div") else {
        return;
    };
    screen.set_id("stopped");
    let _ = screen.set_attribute("class", "stopped");
    let _ = screen.set_attribute("role", "alert");
    screen.set_inner_html(&format!(
        "<h1>{STOPPED}</h1><p>{SAFE} Anything typed since it was last saved is kept on this \
         device and offered again after the reload.</p>\
         <form method=\"get\"><button type=\"submit\">Reload SEND Log</button></form>"
    ));
    let _ = body.prepend_with_node_1(&screen);
}

/// The text kept when SEND Log last stopped, offered back to copy, until dismissed.
#[component]
pub fn Rescued() -> impl IntoView {
    let kept = RwSignal::new(
        device::rescued()
            .and_then(|text| serde_json::from_str::<Vec<(String, String)>>(&text).ok())
            .unwrap_or_default(),
    );
    let dismiss = move |_| {
        device::keep_rescued(None);
        kept.set(Vec::new());
    };
    move || {
        (!kept.with(Vec::is_empty)).then(|| {
            view! {
                <section class="notice warning-notice rescued" aria-labelledby="rescued-heading">
                    <h2 id="rescued-heading">"Typed before SEND Log stopped"</h2>
                    <p>"SEND Log stopped unexpectedly last time. This text was on the screen then, and may not have been saved: copy what you need into its place, then dismiss this."</p>
                    {kept.get().into_iter().enumerate().map(|(n, (label, text))| {
                        let id = format!("rescued-{n}");
                        view! {
                            <label for=id.clone()>{label}</label>
                            <textarea id=id readonly rows="3" prop:value=text></textarea>
                        }
                    }).collect_view()}
                    <button type="button" class="secondary" on:click=dismiss>"Dismiss"</button>
                </section>
            }
        })
    }
}

/// When the record cannot be opened: takes every stored key and value off the device as one
/// file ([`dump`]), changing nothing, so the record is never trapped.
#[component]
pub fn DownloadStored(store: Store) -> impl IntoView {
    let said = RwSignal::new(String::new());
    let download = move |_| {
        let store = store.clone();
        spawn_local(async move {
            said.set(match store.stored_values().await {
                Ok(entries) => {
                    let bytes = dump::dump(&entries, Utc::now());
                    let name = format!(
                        "sendlog-stored-{}.json",
                        crate::core::dates::iso(Utc::now().date_naive())
                    );
                    match files::download(&bytes, &name, "application/json") {
                        Ok(()) => format!(
                            "Downloaded {name}: {} stored values, exactly as they are. Nothing \
                             on this device has changed.",
                            entries.len()
                        ),
                        Err(problem) => problem,
                    }
                }
                Err(problem) => problem.to_string(),
            });
        });
    };
    view! {
        <section class="download-stored" aria-labelledby="stored-heading">
            <h2 id="stored-heading">"Keep what is stored"</h2>
            <p>"Nothing on this device has been changed or removed. Download what is stored to keep a copy of everything SEND Log holds here, exactly as it is, in one file that a later version of SEND Log, or someone helping you, can read. It holds the pupils' records: keep it as safe as the tablet."</p>
            <button type="button" on:click=download>"Download what is stored"</button>
            <p role="status">{move || said.get()}</p>
        </section>
    }
}
