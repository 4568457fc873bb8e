//! The Pupils screen: every pupil, found by name, narrowed by year group and SEND status, each
//! with their live and overdue actions and a link to their page — the way to a pupil who has no
//! live action to be found by.

use super::retention::DueForRemoval;
use super::route::Route;
use super::state::AppState;
use super::widgets::choice_options;
use crate::core::dates;
use crate::core::query::{pupils, PupilFilter, PupilLine};
use crate::core::{Choice, Kind, SendStatus, YearGroup};
use leptos::prelude::*;

/// How many pupils are drawn at first, and with each "Show more".
const PAGE: usize = 50;

#[component]
pub fn PupilsScreen() -> impl IntoView {
    let state = AppState::get();
    let name = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let send = RwSignal::new(String::new());
    let leavers = RwSignal::new(false);
    let shown = RwSignal::new(PAGE);
    let found = Memo::new(move |_| {
        let filter = PupilFilter {
            name: name.get(),
            year_group: YearGroup::from_text(&year.get()),
            send_status: SendStatus::from_text(&send.get()),
            with_leavers: leavers.get(),
        };
        state.read(&[Kind::Pupils, Kind::Actions], |r| {
            pupils(r, &filter, AppState::today())
        })
    });
    let page = Memo::new(move |_| {
        found.with(|all| all.iter().take(shown.get()).cloned().collect::<Vec<_>>())
    });
    let count = move || match found.with(Vec::len) {
        1 => "1 pupil".to_string(),
        n => format!("{n} pupils"),
    };
    view! {
        <section class="card" aria-labelledby="pupils-heading">
            <h2 id="pupils-heading">"Pupils"</h2>
            <div role="search" aria-label="Find a pupil" class="grid filters-grid">
                <div class="field">
                    <label for="pupils-name">"Name"</label>
                    <input id="pupils-name" type="search" autocomplete="off"
                        prop:value=move || name.get()
                        on:input=move |ev| { name.set(event_target_value(&ev)); shown.set(PAGE); } />
                </div>
                <div class="field">
                    <label for="pupils-year">"Year group"</label>
                    <select id="pupils-year" on:change=move |ev| { year.set(event_target_value(&ev)); shown.set(PAGE); }>
                        {choice_options::<YearGroup>("All year groups", Signal::from(year))}
                    </select>
                </div>
                <div class="field">
                    <label for="pupils-send">"SEND status"</label>
                    <select id="pupils-send" on:change=move |ev| { send.set(event_target_value(&ev)); shown.set(PAGE); }>
                        {choice_options::<SendStatus>("Any SEND status", Signal::from(send))}
                    </select>
                </div>
                <div class="field check">
                    <input id="pupils-leavers" type="checkbox"
                        prop:checked=move || leavers.get()
                        on:change=move |ev| leavers.set(event_target_checked(&ev)) />
                    <label for="pupils-leavers">"Include pupils who have left"</label>
                </div>
            </div>
            <p class="count" aria-live="polite">{count}</p>
            <Show when=move || found.with(Vec::is_empty)>
                <p class="empty">"No pupil matches. Clear the name, or choose all year groups."</p>
            </Show>
            <ul class="pupils" aria-label="Pupils">
                <For each=move || page.get() key=|line| (line.id, line.live, line.overdue, line.name.clone()) let(line)>
                    <PupilItem line />
                </For>
            </ul>
            <Show when=move || { found.with(Vec::len) > shown.get() }>
                <button type="button" class="secondary" on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || format!("Show more ({} of {} shown)", shown.get().min(found.with(Vec::len)), found.with(Vec::len))}
                </button>
            </Show>
        </section>
        <DueForRemoval />
    }
}

/// One pupil in the list: their name (a link to their page), year group, SEND status and counts.
#[component]
fn PupilItem(line: PupilLine) -> impl IntoView {
    let PupilLine {
        id,
        name,
        year_group,
        send_status,
        left_on,
        live,
        overdue,
    } = line;
    let counts = match (live, overdue) {
        (0, _) => "No live actions".to_string(),
        (1, 0) => "1 live action".to_string(),
        (n, 0) => format!("{n} live actions"),
        (n, o) => format!("{n} live, {o} overdue"),
    };
    let late = overdue > 0;
    view! {
        <li class="pupil-line" class:overdue=late>
            <a href=Route::Pupil(id).href()>{name}</a>
            <span class="muted">{format!("{} · {}", year_group.label(), send_status.label())}</span>
            {left_on.map(|day| view! { <span class="badge">{format!("Left {}", dates::uk(day))}</span> })}
            <span class="counts">{counts}</span>
        </li>
    }
}
