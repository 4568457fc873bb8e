//! Import and export: download the record (JSON), its tables (CSV) or its due dates for a
//! calendar (.ics), and bring a file in. The export buttons are shared with the tracker and the
//! pupil page, which export what they show.

use super::backup::LastCopy;
use super::files;
use super::import_file::ImportFile;
use super::passphrase::{ProtectChoice, Protection};
use super::sealing;
use super::state::AppState;
use super::widgets::focus;
use crate::core::bundle::{self, Part};
use crate::core::calendar;
use crate::core::sealed::{self, Contents};
use crate::core::spreadsheet::{self, Table};
use crate::core::{ActionId, PupilId};
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ShareScreen() -> impl IntoView {
    view! {
        <h2>"Import and export"</h2>
        <section class="card" aria-labelledby="export-heading">
            <h3 id="export-heading">"Export"</h3>
            <p>"Files go to this device's downloads; nothing is sent anywhere. Share them as your school shares personal data, and delete copies you no longer need."</p>
            <ul class="hint">
                <li><strong>"Everything (JSON)"</strong>": an exact copy of the whole record — pupils, meetings, actions and every change — to move it to another device or keep as a backup."</li>
                <li><strong>"The action log (CSV)"</strong>": every action, live and archived, as a table for Excel."</li>
                <li><strong>"The tracker (CSV)"</strong>": the live actions, soonest due first. To export one pupil or one owner, filter the tracker and use its download buttons."</li>
            </ul>
            <ExportButtons chosen=Callback::new(|_| Chosen::Everything) labels=EVERYTHING />
            <LastCopy />
        </section>
        <section class="card" aria-labelledby="import-heading">
            <h3 id="import-heading">"Import"</h3>
            <ImportFile />
        </section>
    }
}

/// Which rows an export holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Chosen {
    Everything,
    /// The rows a filter shows, and words for the file name.
    Rows(Vec<ActionId>, Option<String>),
    /// One pupil's whole record, with their name for the file name.
    Pupil(PupilId, String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    Json,
    Csv(Table),
    /// Due dates for a calendar (.ics).
    Calendar,
}

/// The buttons' names, for the JSON bundle, the action log, the tracker and the calendar.
pub type Labels = [&'static str; 4];

pub const EVERYTHING: Labels = [
    "Download everything (JSON)",
    "Download the action log (CSV)",
    "Download the tracker (CSV)",
    "Download every due date for a calendar (.ics)",
];
pub const THESE_ROWS: Labels = [
    "Download these rows with their history (JSON)",
    "Download these rows as the action log (CSV)",
    "Download these rows as the tracker (CSV)",
    "Download these rows for a calendar (.ics)",
];
pub const THIS_PUPIL: Labels = [
    "Download this pupil's record (JSON)",
    "Download this pupil's action log (CSV)",
    "Download this pupil's tracker (CSV)",
    "Download this pupil's due dates for a calendar (.ics)",
];

/// Download buttons for what `chosen` picks when one is pressed: the JSON bundle, and the CSV
/// tables.
#[component]
pub fn ExportButtons(chosen: Callback<(), Chosen>, labels: Labels) -> impl IntoView {
    let state = AppState::get();
    let busy = RwSignal::new(None::<String>);
    let said = RwSignal::new(String::new());
    // A file made ready on a device that can share files, and whether it is the whole record.
    let ready = RwSignal::new_local(None::<(web_sys::File, bool)>);
    let protection = Protection::new();
    let initials_only = RwSignal::new(false);
    let export = move |format: Format| {
        if format == Format::Calendar && protection.on.get_untracked() {
            said.set("A calendar cannot open an encrypted file, so nothing was downloaded. Untick \"Encrypt with a passphrase\" to download the due dates for a calendar.".into());
            return;
        }
        let passphrase = match protection.chosen() {
            Ok(passphrase) => passphrase,
            Err((problem, field)) => {
                said.set(problem);
                focus(field);
                return;
            }
        };
        let chosen = chosen.run(());
        let today = AppState::today();
        let (word, extension, mime) = match format {
            Format::Json => ("record", "json", "application/json"),
            Format::Csv(table) => (table.file_word(), "csv", "text/csv;charset=utf-8"),
            Format::Calendar => ("calendar", calendar::EXTENSION, calendar::MIME),
        };
        let about = match &chosen {
            Chosen::Everything => None,
            Chosen::Rows(_, about) => about.clone(),
            Chosen::Pupil(_, name) => Some(name.clone()),
        };
        let mut name = bundle::file_name(word, today, about.as_deref(), extension);
        if passphrase.is_some() {
            name = sealed::file_name(&name);
        }
        busy.set(Some(format!("Preparing {name}…")));
        said.set(String::new());
        ready.set(None);
        spawn_local(async move {
            files::let_the_page_draw().await;
            if format == Format::Json {
                if let Err(problem) = state.whole_history().await {
                    busy.set(None);
                    said.set(problem);
                    return;
                }
            }
            files::time_from("sendlog:export");
            let bytes = state.peek(|record| {
                let part = match &chosen {
                    Chosen::Everything => Part::Everything,
                    Chosen::Rows(rows, _) => Part::Actions(rows),
                    Chosen::Pupil(pupil, _) => Part::Pupil(*pupil),
                };
                match format {
                    Format::Json => bundle::export(record, &part, Utc::now()),
                    Format::Csv(table) => spreadsheet::export(record, table, &part, today),
                    Format::Calendar => {
                        let options = calendar::Options {
                            initials_only: initials_only.get_untracked(),
                            app: app_address(),
                            now: Utc::now(),
                            today,
                        };
                        calendar::ics(record, &part, &options)
                    }
                }
            });
            let whole = format == Format::Json && chosen == Chosen::Everything;
            let (bytes, mime) = match passphrase {
                None => (bytes, mime),
                Some(passphrase) => {
                    busy.set(Some(format!("Encrypting {name}…")));
                    let contents = match format {
                        Format::Json => Contents::Bundle,
                        Format::Csv(_) | Format::Calendar => Contents::Table,
                    };
                    match sealing::seal(&bytes, &passphrase, contents).await {
                        Ok(sealed) => (sealed, "application/octet-stream"),
                        Err(problem) => {
                            busy.set(None);
                            said.set(format!("Nothing was downloaded: {problem}"));
                            return;
                        }
                    }
                }
            };
            let file = files::file_of(&bytes, &name, mime);
            files::time_to("sendlog:export");
            busy.set(None);
            // Where files can be shared (a tablet), the person chooses: share or save.
            if let Ok(file) = &file {
                if files::can_share(file) {
                    said.set(format!(
                        "{name} is ready. Share it, or save it to this device."
                    ));
                    ready.set(Some((file.clone(), whole)));
                    return;
                }
            }
            said.set(saved(
                file.and_then(|f| files::download_file(&f)),
                &name,
                whole,
                state,
            ));
        });
    };
    let share = move |_| {
        let Some((file, whole)) = ready.get_untracked() else {
            return;
        };
        let name = file.name();
        spawn_local(async move {
            match files::share(&file).await {
                Ok(files::Shared::Done) => {
                    if whole {
                        state.note_export();
                    }
                    ready.set(None);
                    said.set(format!("{name} is shared."));
                }
                Ok(files::Shared::Cancelled) => said.set(format!(
                    "{name} was not shared. Share it, or save it to this device."
                )),
                Err(problem) => said.set(problem),
            }
        });
    };
    let save = move |_| {
        if let Some((file, whole)) = ready.get_untracked() {
            ready.set(None);
            said.set(saved(
                files::download_file(&file),
                &file.name(),
                whole,
                state,
            ));
        }
    };
    let formats = [
        Format::Json,
        Format::Csv(Table::ActionLog),
        Format::Csv(Table::Tracker),
        Format::Calendar,
    ];
    view! {
        <ProtectChoice protection />
        <div class="row exports">
            {formats.into_iter().zip(labels).map(|(format, label)| view! {
                <button type="button" class="secondary" disabled=move || busy.with(Option::is_some)
                    on:click=move |_| export(format)>
                    {label}
                </button>
            }).collect_view()}
        </div>
        <div class="field check">
            <input id="calendar-initials" type="checkbox" aria-describedby="calendar-initials-hint"
                prop:checked=move || initials_only.get()
                on:change=move |ev| initials_only.set(event_target_checked(&ev)) />
            <label for="calendar-initials">"In the calendar file, pupils by their initials only"</label>
        </div>
        <p class="hint" id="calendar-initials-hint">"A calendar file has one all-day event per action on its due date, for Outlook, Google Calendar or the iPad's Calendar; importing a newer one updates the same events. A calendar shared or synced to a phone shows what is in it: with initials only, no pupil is named."</p>
        <p role="status" class="hint">{move || busy.get().unwrap_or_else(|| said.get())}</p>
        <Show when=move || ready.with(Option::is_some)>
            <div class="row exports">
                <button type="button" class="primary" on:click=share>"Share…"</button>
                <button type="button" class="secondary" on:click=save>"Save to this device"</button>
            </div>
        </Show>
    }
}

/// What a download said; the whole record's is noted as the last copy made.
fn saved(result: Result<(), String>, name: &str, whole: bool, state: AppState) -> String {
    match result {
        Ok(()) => {
            if whole {
                state.note_export();
            }
            let carry = if name.ends_with(sealed::EXTENSION) {
                " Send its passphrase another way than the file."
            } else {
                ""
            };
            format!("{name} is saved to this device's downloads.{carry}")
        }
        Err(problem) => problem,
    }
}

/// Where this copy of the app is served (its address without the screen after `#`), for the
/// links back to it in a calendar's events.
fn app_address() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    Some(href.split('#').next().unwrap_or_default().to_string())
}
