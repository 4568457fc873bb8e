//! The drafts kept on this device — actions typed and not added — counted on the home screen,
//! and cleared from Settings. Each is forgotten a week after it was last typed in
//! (`core::draft::KEPT_DAYS`), so a draft about a pupil is not a forgotten record.

use crate::core::draft::KEPT_DAYS;
use crate::store::device;
use leptos::prelude::*;

/// "2 drafts of actions are kept on this device…", when there are any.
#[component]
pub fn DraftsKept() -> impl IntoView {
    let count = device::draft_places().len();
    (count > 0).then(|| {
        view! { <p class="hint drafts-kept">{said(count)}" Settings can clear them."</p> }
    })
}

/// Settings' section: how many drafts there are, and clearing them all.
#[component]
pub fn DraftsSettings() -> impl IntoView {
    let count = RwSignal::new(device::draft_places().len());
    let confirming = RwSignal::new(false);
    let clear = move |_| {
        device::forget_drafts();
        count.set(device::draft_places().len());
        confirming.set(false);
    };
    view! {
        <section class="card" aria-labelledby="drafts-heading">
            <h2 id="drafts-heading">"Drafts on this device"</h2>
            <p role="status">{move || match count.get() {
                0 => format!("No drafts are kept on this device. An action typed and not added is kept as a draft for {KEPT_DAYS} days after it was last typed in."),
                n => said(n),
            }}</p>
            <Show when=move || { count.get() > 0 }>
                <Show when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="secondary" on:click=move |_| confirming.set(true)>"Clear the drafts"</button>
                    }>
                    <div role="group" aria-labelledby="drafts-question">
                        <p id="drafts-question"><strong>"Clear every draft? What was typed in them and not added is gone."</strong></p>
                        <div class="row">
                            <button type="button" class="primary" on:click=clear>"Yes, clear the drafts"</button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Keep them"</button>
                        </div>
                    </div>
                </Show>
            </Show>
        </section>
    }
}

fn said(count: usize) -> String {
    let (drafts, are) = if count == 1 {
        ("1 draft of an action is", "it is")
    } else {
        ("drafts of actions are", "each is")
    };
    let drafts = if count == 1 {
        drafts.to_string()
    } else {
        format!("{count} {drafts}")
    };
    format!("{drafts} kept on this device (typed and not added); {are} cleared {KEPT_DAYS} days after it was last typed in.")
}
