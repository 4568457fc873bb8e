//! Keeping a copy of the record: on the home screen, a reminder when the record holds changes
//! that no exported copy has (`core::backup` decides when); on Import and export, when the last
//! copy was made.

use super::route::Route;
use super::state::AppState;
use crate::core::backup::Reminder;
use crate::core::dates;
use chrono::{DateTime, Local, Utc};
use leptos::prelude::*;

/// "23 Nov 2026 at 09:05", in this device's time.
fn when(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    format!(
        "{} at {}",
        dates::uk(local.date_naive()),
        dates::hours_minutes(local)
    )
}

/// Asks for a copy of the record while it holds changes no export has.
#[component]
pub fn BackupReminder() -> impl IntoView {
    let state = AppState::get();
    move || {
        let reminder = state.backup_reminder()?;
        let (heading, said) = match reminder {
            Reminder::NeverExported => (
                "Keep a copy of the record",
                "This record is kept only on this device: if the tablet is lost, broken or reset, \
                 the record goes with it. Download everything (JSON) on Import and export, and \
                 keep the file where your school keeps personal data. The same file moves the \
                 record to another device."
                    .to_string(),
            ),
            Reminder::ChangedSince(exported) => {
                let days =
                    (AppState::today() - exported.with_timezone(&Local).date_naive()).num_days();
                (
                    "Time for a fresh copy of the record",
                    format!(
                        "The last copy was exported on {} ({days} days ago). The changes made \
                         since are only on this device: download everything (JSON) again on \
                         Import and export.",
                        when(exported)
                    ),
                )
            }
        };
        Some(view! {
            <section class="notice backup-reminder" aria-labelledby="backup-heading">
                <h2 id="backup-heading">{heading}</h2>
                <p>{said}</p>
                <a class="button" href=Route::Share.href()>"Import and export"</a>
            </section>
        })
    }
}

/// When the whole record was last exported from this device.
#[component]
pub fn LastCopy() -> impl IntoView {
    let state = AppState::get();
    view! {
        <p class="hint last-copy" role="status">
            {move || match state.last_export.get() {
                Some(at) => format!(
                    "The last copy of the whole record was exported from this device on {}.",
                    when(at)
                ),
                None => "The whole record has not been exported from this device yet.".to_string(),
            }}
        </p>
    }
}
