//! Choosing a pupil, or adding a new one on the spot. Used when adding an action and when
//! starting a meeting.

use super::state::AppState;
use super::widgets::{choice_select, keep_selected, DateInput};
use crate::core::dates;
use crate::core::record::NewPupil;
use crate::core::Kind;
use crate::core::{Choice, PupilId, SendStatus, YearGroup};
use leptos::prelude::*;

/// A pupil select with a "New pupil" button beside it; `value` holds the chosen pupil's id.
/// `notes` is rendered under the select (the guard's notes about the pupil).
#[component]
pub fn PupilPicker(
    id: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] described_by: Option<&'static str>,
) -> impl IntoView {
    let state = AppState::get();
    // Open at first on an empty record; closed again once pupils arrive (the example loaded, a
    // file brought in), unless the person opened it themselves.
    let adding = RwSignal::new(state.peek(|r| r.pupils().is_empty()));
    let opened_by_tap = RwSignal::new(false);
    let pupils = pupil_options(state);
    Effect::new(move |_| {
        if pupils.with(|p| !p.is_empty()) && !opened_by_tap.get_untracked() {
            adding.set(false);
        }
    });
    let select = NodeRef::new();
    keep_selected(select, move || {
        pupils.track();
        value.get()
    });
    view! {
        <div class="row">
            <select id=id aria-describedby=described_by node_ref=select
                on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">"Choose a pupil…"</option>
                <For each=move || pupils.get() key=|(id, name)| (id.clone(), name.clone()) let((pupil, name))>
                    <option value=pupil>{name}</option>
                </For>
            </select>
            <button type="button" class="secondary"
                aria-expanded=move || adding.get().to_string()
                on:click=move |_| {
                    opened_by_tap.set(true);
                    adding.update(|open| *open = !*open);
                }>
                "New pupil"
            </button>
        </div>
        <Show when=move || adding.get()>
            <NewPupilForm prefix=id on_added=Callback::new(move |pupil: PupilId| {
                value.set(pupil.to_string());
                adding.set(false);
            }) />
        </Show>
    }
}

/// Every pupil as a select offers them, by name: (id, "Zoë Brown (Year 4)").
pub fn pupil_options(state: AppState) -> Memo<Vec<(String, String)>> {
    Memo::new(move |_| {
        state.read(&[Kind::Pupils], |r| {
            r.pupils_by_name()
                .into_iter()
                .map(|p| (p.id.to_string(), format!("{} ({})", p.name, p.year_group)))
                .collect()
        })
    })
}

/// Adds a pupil on the spot.
#[component]
fn NewPupilForm(prefix: &'static str, on_added: Callback<PupilId>) -> impl IntoView {
    let state = AppState::get();
    let field = move |name: &str| format!("{prefix}-new-{name}");
    let name = RwSignal::new(String::new());
    let year_group = RwSignal::new(YearGroup::Year7.code().to_string());
    let send_status = RwSignal::new(SendStatus::SenSupport.code().to_string());
    let annual_review = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let add = move |_| {
        let annual_review =
            match dates::parse_typed(&annual_review.get_untracked(), "EHC plan annual review") {
                Ok(date) => date,
                Err(wrong) => return problem.set(Some(wrong)),
            };
        let new = NewPupil {
            name: name.get_untracked(),
            year_group: YearGroup::from_text(&year_group.get_untracked())
                .unwrap_or(YearGroup::Year7),
            send_status: SendStatus::from_text(&send_status.get_untracked())
                .unwrap_or(SendStatus::SenSupport),
            annual_review,
        };
        let added_name = new.name.trim().to_string();
        match state.change(|record, _, now| record.add_pupil(new, now)) {
            Ok(pupil) => {
                problem.set(None);
                name.set(String::new());
                state.announcement.set(format!("{added_name} added."));
                on_added.run(pupil);
            }
            Err(refusal) => problem.set(Some(refusal.to_string())),
        }
    };
    view! {
        <fieldset class="new-pupil">
            <legend>"New pupil"</legend>
            <div class="grid">
                <div class="field">
                    <label for=field("name")>"Name"</label>
                    <input id=field("name") type="text" autocomplete="off"
                        aria-describedby=field("notes")
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev)) />
                    <div id=field("notes") class="field-notes" aria-live="polite">
                        {move || problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                    </div>
                </div>
                <div class="field">
                    <label for=field("year")>"Year group"</label>
                    {choice_select::<YearGroup>(field("year"), year_group)}
                </div>
                <div class="field">
                    <label for=field("send")>"SEND status"</label>
                    {choice_select::<SendStatus>(field("send"), send_status)}
                </div>
                <div class="field">
                    <label for=field("review")>"EHC plan annual review (if any)"</label>
                    <DateInput id=field("review") value=annual_review />
                </div>
            </div>
            <button type="button" class="primary" on:click=add>"Add pupil"</button>
        </fieldset>
    }
}
