//! The bulk change: the rows ticked in the tracker or the archive changed at once (status, owner
//! or due date), from a bar at the foot of the screen that stays in view however far the list
//! is scrolled. Undo takes a bulk change back whole.

use super::state::AppState;
use super::widgets::DateInput;
use crate::core::dates;
use crate::core::record::Edit;
use crate::core::{ActionId, Choice, Kind, Status};
use leptos::prelude::*;

/// Changes the ticked rows (`selected`, held by the app so that the bar can sit beneath the
/// screen rather than in it): shown while any is ticked.
#[component]
pub fn BulkChange(selected: RwSignal<Vec<ActionId>>) -> impl IntoView {
    let state = AppState::get();
    // No status until one is chosen: a tap on Apply changes nothing by default.
    let status = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // A selected row that goes (an add undone, a pupil's records removed) leaves the selection.
    Effect::new(move |_| {
        let gone = state.read(&[Kind::Actions], |r| {
            selected.with_untracked(|ids| ids.iter().any(|&id| r.action(id).is_none()))
        });
        if gone {
            selected.update(|ids| state.peek(|r| ids.retain(|&id| r.action(id).is_some())));
        }
    });
    let apply = move |edit: Edit| {
        let ids = selected.get_untracked();
        let result = match edit {
            // Done, with what shows it was done if it was given.
            Edit::Status(Status::Done) => {
                let evidence = evidence.get_untracked();
                state.change_undoably(|record, _, now| record.done_announced(&ids, &evidence, now))
            }
            edit => state
                .change_undoably(|record, _, now| record.edit_announced(&ids, &[edit], None, now)),
        };
        match result {
            Ok(()) => {
                problem.set(None);
                evidence.set(String::new());
                status.set(String::new());
                selected.set(Vec::new());
            }
            Err(refusal) => problem.set(Some(refusal.to_string())),
        }
    };
    let apply_status = move |_| match Status::from_text(&status.get_untracked()) {
        Some(chosen) => apply(Edit::Status(chosen)),
        None => problem.set(Some("Choose the status first.".into())),
    };
    let apply_due = move |_| match dates::parse_typed(&due.get_untracked(), "New due date") {
        Ok(Some(date)) => apply(Edit::Due(date)),
        Ok(None) => problem.set(Some("Choose the new due date first.".into())),
        Err(wrong) => problem.set(Some(wrong)),
    };
    view! {
        <Show when=move || selected.with(|s| !s.is_empty())>
            <div class="bulk" role="region" aria-label="Change selected actions">
                <div class="bulk-line">
                    <span class="selected-count">{move || format!("{} selected", selected.with(Vec::len))}</span>
                    <button type="button" class="secondary" on:click=move |_| selected.set(Vec::new())>"Clear selection"</button>
                    <label for="bulk-status">"Set status"</label>
                    <select id="bulk-status" aria-describedby="bulk-notes" on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || status.with(String::is_empty)>"Choose a status"</option>
                        {Status::ALL.iter().map(|&s| view! { <option value=s.code() prop:selected=move || status.get() == s.code()>{s.label()}</option> }).collect_view()}
                    </select>
                    <button type="button" class="primary" on:click=apply_status>"Apply status"</button>
                </div>
                <Show when=move || status.with(|s| Status::from_text(s) == Some(Status::Done))>
                    <div class="field bulk-evidence">
                        <label for="bulk-evidence">"What shows it was done (optional)"</label>
                        <textarea id="bulk-evidence" rows="2"
                            prop:value=move || evidence.get()
                            on:input=move |ev| evidence.set(event_target_value(&ev))></textarea>
                    </div>
                </Show>
                <details class="bulk-more">
                    <summary>"Change the owner or the due date"</summary>
                    <div class="grid bulk-grid">
                        <div class="field">
                            <label for="bulk-owner">"Set owner"</label>
                            <div class="row">
                                <input id="bulk-owner" type="text" autocomplete="off" aria-describedby="bulk-notes"
                                    prop:value=move || owner.get() on:input=move |ev| owner.set(event_target_value(&ev)) />
                                <button type="button" class="primary" on:click=move |_| {
                                    apply(Edit::Owner(owner.get_untracked()))
                                }>"Apply owner"</button>
                            </div>
                        </div>
                        <div class="field">
                            <label for="bulk-due">"Set due date"</label>
                            <DateInput id="bulk-due" value=due />
                            <button type="button" class="primary" on:click=apply_due>"Apply due date"</button>
                        </div>
                    </div>
                </details>
                <div id="bulk-notes" class="field-notes" aria-live="polite">
                    {move || problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                </div>
            </div>
        </Show>
    }
}
