//! Settings: how to install the app on this device, whether the record is safely stored
//! (persistent storage, space used), the school's name and contact line for the parent's copy,
//! which release this is, and fetching the app's files again.

use super::annual_review::TransferSettings;
use super::drafts::DraftsSettings;
use super::install_steps::InstallSteps;
use super::installed::Installation;
use super::retention::RetentionSettings;
use crate::core::letterhead::Letterhead;
use crate::core::{bundle, dates};
use crate::store::device::{self, StorageReport};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SettingsScreen() -> impl IntoView {
    let installation = Installation::get();
    let report = RwSignal::new(None::<StorageReport>);
    let refresh = move || spawn_local(async move { report.set(Some(device::report().await)) });
    refresh();
    let ask_again = move |_| {
        spawn_local(async move {
            device::request_persistence().await;
            report.set(Some(device::report().await));
        })
    };
    view! {
        <section class="card" aria-labelledby="install-heading">
            <h2 id="install-heading">"Install SEND Log"</h2>
            <InstallSteps others=true />
            {(installation.apple && !installation.installed).then(|| view! {
                <p class="notice warning-notice">
                    "On an iPad, Safari may clear the data of websites that have not been opened for seven days. "
                    "Add SEND Log to the Home Screen to keep its record safe, and export a copy regularly."
                </p>
            })}
        </section>
        <section class="card" aria-labelledby="storage-heading">
            <h2 id="storage-heading">"Storage on this device"</h2>
            <p>"The record is kept only in this browser, on this device. Nothing is sent anywhere."</p>
            {move || match report.get() {
                None => view! { <p>"Checking…"</p> }.into_any(),
                Some(report) => view! {
                    <dl class="facts stacked">
                        <div>
                            <dt>"Persistent storage"</dt>
                            <dd>{if report.persisted {
                                "Granted: the browser will not clear the record to make room."
                            } else if report.can_ask {
                                "Not granted: if the device runs short of space, the browser may clear the record. Install the app, and export a copy regularly."
                            } else {
                                "This browser cannot be asked to keep the record: if the device runs short of space, it may clear it. Install the app, and export a copy regularly."
                            }}</dd>
                        </div>
                        <div>
                            <dt>"Space used"</dt>
                            <dd>{space(report)}</dd>
                        </div>
                    </dl>
                    {(report.can_ask && !report.persisted).then(|| view! {
                        <button type="button" class="secondary" on:click=ask_again>"Ask for persistent storage"</button>
                    })}
                }.into_any(),
            }}
        </section>
        <DraftsSettings />
        <ParentCopy />
        <RetentionSettings />
        <TransferSettings />
        <ReloadFiles />
        <section class="card" aria-labelledby="release-heading">
            <h2 id="release-heading">"This copy of SEND Log"</h2>
            <p class="release">{release()}</p>
        </section>
    }
}

/// The school's name and a contact line, printed on the parent's copy of what a meeting agreed.
#[component]
fn ParentCopy() -> impl IntoView {
    let kept = device::letterhead();
    let school = RwSignal::new(kept.school);
    let contact = RwSignal::new(kept.contact);
    let said = RwSignal::new(None::<(bool, String)>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        said.set(Some(
            match Letterhead::typed(&school.get_untracked(), &contact.get_untracked()) {
                Err(wrong) => (false, wrong),
                Ok(letterhead) if device::keep_letterhead(&letterhead) => {
                    school.set(letterhead.school);
                    contact.set(letterhead.contact);
                    (true, "Saved on this device: the parent's copy of each meeting now carries it.".into())
                }
                Ok(_) => (false, "This browser would not keep it: check that it is not in private browsing, then save again.".into()),
            },
        ));
    };
    view! {
        <section class="card" aria-labelledby="parent-copy-heading">
            <h2 id="parent-copy-heading">"The parent's copy"</h2>
            <p id="parent-copy-hint">"Printed at the top and foot of what a meeting agreed, so the parent knows which school it is from and whom to ask. Kept on this device: set it on each device that prints."</p>
            <form on:submit=save novalidate aria-describedby="parent-copy-hint">
                <div class="field">
                    <label for="school-name">"School name"</label>
                    <input id="school-name" type="text" autocomplete="organization"
                        prop:value=move || school.get() on:input=move |ev| school.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="school-contact">"Contact (a name, role, phone number or email)"</label>
                    <input id="school-contact" type="text" autocomplete="off"
                        aria-describedby="parent-copy-notes"
                        prop:value=move || contact.get() on:input=move |ev| contact.set(event_target_value(&ev)) />
                </div>
                <div id="parent-copy-notes" class="field-notes" role="status">
                    {move || said.get().map(|(ok, text)| view! { <p class="note" class:refusal=!ok>{text}</p> })}
                </div>
                <button type="submit" class="primary">"Save for the parent's copy"</button>
            </form>
        </section>
    }
}

/// **Reload the app's files**, for an app that misbehaves after an update: the app is fetched
/// again from the server; the record stays as it is.
#[component]
fn ReloadFiles() -> impl IntoView {
    let installation = Installation::get();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let reload = move |_| {
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            if let Err(why) = installation.reload_files().await {
                problem.set(Some(why));
                busy.set(false);
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="reload-heading">
            <h2 id="reload-heading">"If SEND Log misbehaves after an update"</h2>
            <p id="reload-hint">"This fetches SEND Log's own files again from the internet and reloads it. The record on this device is not touched: every pupil, meeting and action stays as it is. It needs the network."</p>
            <button type="button" class="secondary" aria-describedby="reload-hint" disabled=move || busy.get() on:click=reload>
                {move || if busy.get() { "Reloading the app's files…" } else { "Reload the app's files" }}
            </button>
            <p role="status">{move || problem.get()}</p>
        </section>
    }
}

/// "2.4 MB of 1,200 MB".
fn space(report: StorageReport) -> String {
    let mb = |bytes: f64| {
        let mb = bytes / 1_000_000.0;
        if mb < 10.0 {
            format!("{mb:.1} MB")
        } else {
            format!("{} MB", mb.round() as u64)
        }
    };
    match (report.used, report.quota) {
        (Some(used), Some(quota)) => format!("{} of {} this browser allows", mb(used), mb(quota)),
        (Some(used), None) => mb(used),
        _ => "This browser does not say.".into(),
    }
}

/// "SEND Log 0.1.0, built 2 Dec 2026": the version every exported file records, and the build's
/// date, which the build writes into the page (scripts/offline.mjs).
fn release() -> String {
    let built = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=sendlog-built]").ok().flatten())
        .and_then(|meta| meta.get_attribute("content"))
        .and_then(|text| dates::parse_typed(&text, "built").ok().flatten());
    match built {
        Some(day) => format!("{}, built {}", bundle::written_by(), dates::uk(day)),
        None => bundle::written_by(),
    }
}
