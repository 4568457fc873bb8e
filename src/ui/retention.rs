//! The school's retention rule (in Settings) and the pupils past it (Due for removal, on the
//! Pupils screen), each removable there with the usual confirmed removal.

use super::remove_pupil::RemovePupil;
use super::route::Route;
use super::state::AppState;
use crate::core::retention::{due_for_removal, Basis, Rule, NAMED};
use crate::core::Kind;
use crate::store::device;
use leptos::prelude::*;

/// What the rule's list holds for "a rule of our own".
const OWN: &str = "own";

/// Settings: the rule chosen from the common ones, or the school's own.
#[component]
pub fn RetentionSettings() -> impl IntoView {
    let kept = device::retention_rule();
    let choice = RwSignal::new(match kept {
        None => String::new(),
        Some(rule) => NAMED
            .iter()
            .position(|(named, _)| *named == rule)
            .map_or(OWN.to_string(), |at| at.to_string()),
    });
    let born = RwSignal::new(kept.is_some_and(|r| r.basis == Basis::Born));
    let years = RwSignal::new(kept.map(|r| r.years.to_string()).unwrap_or_default());
    let said = RwSignal::new(None::<(bool, String)>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = choice.get_untracked();
        let rule = match chosen.as_str() {
            "" => Ok(None),
            OWN => {
                let basis = if born.get_untracked() {
                    Basis::Born
                } else {
                    Basis::Left
                };
                Rule::typed(basis, &years.get_untracked()).map(Some)
            }
            at => Ok(at
                .parse::<usize>()
                .ok()
                .and_then(|at| NAMED.get(at))
                .map(|(r, _)| *r)),
        };
        said.set(Some(match rule {
            Err(wrong) => (false, wrong),
            Ok(rule) if device::keep_retention_rule(rule) => (true, match rule {
                Some(rule) => format!("Saved on this device: {}. Pupils → Due for removal lists the pupils past it.", rule.describe()),
                None => "Saved on this device: no rule chosen.".to_string(),
            }),
            Ok(_) => (false, "This browser would not keep it: check that it is not in private browsing, then save again.".into()),
        }));
    };
    view! {
        <section class="card" aria-labelledby="retention-heading">
            <h2 id="retention-heading">"Retention of SEND records"</h2>
            <p id="retention-hint">"How long your school keeps a pupil's SEND records, from your records management policy. Pupils → Due for removal then lists the pupils past it, to remove from this device. Kept on this device: set it on each device that holds the record."</p>
            <form on:submit=save novalidate aria-describedby="retention-hint">
                <div class="field">
                    <label for="retention-rule">"Your school's rule"</label>
                    <select id="retention-rule" on:change=move |ev| choice.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || choice.with(String::is_empty)>"Not chosen yet"</option>
                        {NAMED.iter().enumerate().map(|(at, (_, label))| view! {
                            <option value=at.to_string() prop:selected=move || choice.with(|c| *c == at.to_string())>{*label}</option>
                        }).collect_view()}
                        <option value=OWN prop:selected=move || choice.with(|c| c == OWN)>"A rule of our own"</option>
                    </select>
                </div>
                <Show when=move || choice.with(|c| c == OWN)>
                    <div class="grid">
                        <div class="field">
                            <label for="retention-years">"Years"</label>
                            <input id="retention-years" type="text" inputmode="numeric" autocomplete="off"
                                prop:value=move || years.get() on:input=move |ev| years.set(event_target_value(&ev)) />
                        </div>
                        <div class="field">
                            <label for="retention-basis">"Counted from"</label>
                            <select id="retention-basis" on:change=move |ev| born.set(event_target_value(&ev) == "born")>
                                <option value="left" prop:selected=move || !born.get()>"the day the pupil leaves"</option>
                                <option value="born" prop:selected=move || born.get()>"the pupil's date of birth"</option>
                            </select>
                        </div>
                    </div>
                </Show>
                <div class="field-notes" role="status">
                    {move || said.get().map(|(ok, text)| view! { <p class="note" class:refusal=!ok>{text}</p> })}
                </div>
                <button type="submit" class="primary">"Save the retention rule"</button>
            </form>
        </section>
    }
}

/// The pupils past the school's rule, longest past first, each removable here.
#[component]
pub fn DueForRemoval() -> impl IntoView {
    let state = AppState::get();
    let rule = device::retention_rule();
    let found = Memo::new(move |_| {
        rule.map(|rule| {
            state.read(&[Kind::Pupils], |r| {
                due_for_removal(r, rule, AppState::today())
            })
        })
    });
    let count = move || found.with(|f| f.as_ref().map_or(0, |(due, _)| due.len()));
    view! {
        <section class="card" aria-labelledby="due-removal-heading">
            <h2 id="due-removal-heading">{move || format!("Due for removal ({})", count())}</h2>
            {match rule {
                None => view! {
                    <p>"Choose your school's retention rule in "<a href=Route::Settings.href()>"Settings"</a>" to list here the pupils whose records are past it."</p>
                }.into_any(),
                Some(rule) => view! {
                    <p class="hint">{format!("Your school's rule: {}. A pupil's records are listed here once it has passed; removing them removes their meetings, actions and history from this device for good (download their record from their page first if it must be kept).", rule.describe())}</p>
                }.into_any(),
            }}
            <Show when=move || rule.is_some() && count() == 0>
                <p class="empty">"No pupil's records are past the rule."</p>
            </Show>
            <ul class="pupils due-removal" aria-label="Due for removal">
                <For each=move || found.get().map(|(due, _)| due).unwrap_or_default() key=|d| d.pupil let(due)>
                    <li class="pupil-line">
                        <a href=Route::Pupil(due.pupil).href()>{due.name.clone()}</a>
                        <span class="muted">{due.why.clone()}</span>
                        <RemovePupil id=due.pupil name=Signal::stored(due.name.clone()) in_list=true />
                    </li>
                </For>
            </ul>
            {move || {
                let unknown = found.with(|f| f.as_ref().map_or(0, |(_, unknown)| *unknown));
                let who = match unknown {
                    0 => return None,
                    1 => "1 pupil who has left has".to_string(),
                    n => format!("{n} pupils who have left have"),
                };
                Some(view! {
                    <p class="note warning">{format!("{who} no date of birth recorded, so the rule cannot be worked out for them: add it on their page.")}</p>
                })
            }}
        </section>
    }
}
