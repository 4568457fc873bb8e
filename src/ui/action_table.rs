//! The tracker's lists as a table where the screen has room (a tablet either way up): one
//! compact row per action, sorted by a tap on a column's header, its status changed from the
//! row, and the rest of the action (decision, facts, Edit, Escalate, history) one tap away.

use super::action_card::{days_overdue_text, select_box, ActionBody, Row, Rows};
use super::route::Route;
use super::state::AppState;
use crate::core::dates;
use crate::core::query::{is_stale, missed_deadline, SortBy};
use crate::core::record::Edit;
use crate::core::{Action, ActionId, Choice, Status};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// How a table is sorted, and what a tap on a column's header asks for.
#[derive(Clone, Copy)]
pub struct Sorting {
    pub by: Memo<SortBy>,
    /// Whether the largest comes first (the latest due date, the newest update).
    pub descending: Memo<bool>,
    pub choose: Callback<SortBy>,
}

/// The rows as a table with a header kept in view. Without `sorting`, the order is the list's
/// own (the weekly review's sections) and the headers are plain.
#[component]
pub fn ActionTable(
    rows: Memo<Vec<Row>>,
    selection: Option<RwSignal<Vec<ActionId>>>,
    sorting: Option<Sorting>,
    label: String,
) -> impl IntoView {
    // The rows whose details are open.
    let open = RwSignal::new(Vec::<ActionId>::new());
    let keyed = Rows::new(rows);
    let head = move |text: &'static str, by: Option<SortBy>, class: &'static str| {
        let sorted = move || {
            let (s, by) = (sorting?, by?);
            (s.by.get() == by).then_some(if s.descending.get() {
                "descending"
            } else {
                "ascending"
            })
        };
        let control = match (sorting, by) {
            (Some(s), Some(by)) => view! {
                <button type="button" class="sort" on:click=move |_| s.choose.run(by)>{text}</button>
            }
            .into_any(),
            _ => text.into_any(),
        };
        view! { <th scope="col" class=class aria-sort=sorted>{control}</th> }
    };
    let columns = 8 + usize::from(selection.is_some());
    view! {
        <table class="action-table" aria-label=label>
            <thead>
                <tr>
                    {selection.map(|_| view! {
                        <th scope="col" class="col-select"><span class="visually-hidden">"Selected"</span></th>
                    })}
                    {head("Pupil", Some(SortBy::Pupil), "col-pupil")}
                    {head("Type", None, "col-type")}
                    {head("Action", None, "col-action")}
                    {head("Owner", Some(SortBy::Owner), "col-owner")}
                    {head("Due", Some(SortBy::Due), "col-due")}
                    {head("Status", Some(SortBy::Status), "col-status")}
                    {head("Last update", Some(SortBy::LastUpdate), "col-updated")}
                    <th scope="col" class="col-more"><span class="visually-hidden">"Details"</span></th>
                </tr>
            </thead>
            <For each=move || keyed.ids() key=|id| *id let(id)>
                <ActionRow row=keyed.row(id) id selection open columns />
            </For>
        </table>
    }
}

/// One action as a table row, and its details beneath it once opened. Its elements stay while
/// it is in the list; a change to the action redraws the words that changed, in place.
#[component]
fn ActionRow(
    row: Memo<Option<Row>>,
    id: ActionId,
    selection: Option<RwSignal<Vec<ActionId>>>,
    open: RwSignal<Vec<ActionId>>,
    columns: usize,
) -> impl IntoView {
    let is_open = Memo::new(move |_| open.with(|o| o.contains(&id)));
    let toggle = move || {
        open.update(|o| match o.iter().position(|x| *x == id) {
            Some(at) => {
                o.remove(at);
            }
            None => o.push(id),
        })
    };
    // A tap anywhere on the row but its controls opens or closes its details.
    let tap_row = move |ev: leptos::ev::MouseEvent| {
        let on_control = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a, button, select, input, label").ok().flatten())
            .is_some();
        if !on_control {
            toggle();
        }
    };
    let today = AppState::today();
    let flag = move |test: fn(&Action, chrono::NaiveDate) -> bool| {
        move || row.with(|r| r.as_ref().is_some_and(|r| test(&r.action, today)))
    };
    let details = format!("details-{id}");
    view! {
        <tbody class="action" class:overdue=flag(|a, today| a.days_overdue(today).is_some())
            class:closed=flag(|a, _| !a.status.is_live())
            class:statutory-missed=flag(|a, today| missed_deadline(a, today).is_some())
            class:open=is_open>
            <tr class="action-line" on:click=tap_row>
                {move || row.with(|r| r.as_ref().map(|r| cells(r, selection, is_open, toggle, &details)))}
            </tr>
            <Show when=move || is_open.get()>
                <tr class="details-line" id=format!("details-{id}")>
                    <td colspan=columns>
                        {move || row.with(|r| r.as_ref().map(|r| view! {
                            <ActionBody action=r.action.clone() owner=r.owner.clone() />
                        }))}
                    </td>
                </tr>
            </Show>
        </tbody>
    }
}

/// A table line's cells: drawn again in place, element by element, when the action changes.
fn cells(
    row: &Row,
    selection: Option<RwSignal<Vec<ActionId>>>,
    is_open: Memo<bool>,
    toggle: impl Fn() + Copy + 'static,
    details: &str,
) -> impl IntoView {
    let state = AppState::get();
    let Row {
        action,
        pupil,
        year_group,
        owner,
    } = row;
    let id = action.id;
    let today = AppState::today();
    let current = action.status;
    let step = &action.next_step;
    let kind = action.item_type.label();
    let updated = dates::uk(
        action
            .last_update
            .at
            .with_timezone(&chrono::Local)
            .date_naive(),
    );
    let set_status = move |ev: leptos::ev::Event| {
        let Some(status) = Status::from_text(&event_target_value(&ev)) else {
            return;
        };
        // Done from the row is done at once; what shows it was done can be added with Edit.
        let result = state.change_undoably(|record, _, now| match status {
            Status::Done => record.done_announced(&[id], "", now),
            other => record.edit_announced(&[id], &[Edit::Status(other)], None, now),
        });
        let select = event_target::<web_sys::HtmlSelectElement>(&ev);
        match result {
            // The line stays, but moves if the order does, and moving it takes the focus away:
            // it is put back once the list is drawn (only then, as focusing lays the page out).
            Ok(()) => set_timeout(
                move || {
                    let focused = document().active_element();
                    if select.is_connected() && focused.as_deref() != Some(select.as_ref()) {
                        let _ = select.focus();
                    }
                },
                std::time::Duration::ZERO,
            ),
            Err(problem) => {
                state.announcement.set(problem.to_string());
                select.set_value(current.code());
            }
        }
    };
    let select = selection.map(|selected| {
        view! { <td class="col-select">{select_box(selected, id, step)}</td> }
    });
    // Short words, on one line: the details say each in full.
    let stale = is_stale(action, today);
    let badges = (action.statutory.is_some() || action.escalate || stale).then(|| {
        view! {
            <span class="badges">
                {action.statutory.map(|_| view! { <span class="badge statutory">"Statutory"</span> })}
                {action.escalate.then(|| view! { <span class="badge escalate">"Needs escalation"</span> })}
                {stale.then(|| view! { <span class="badge stale" title="No update for 4 weeks">"Stale"</span> })}
            </span>
        }
    });
    // A missed statutory step says which deadline it missed in the row itself.
    let missed = missed_deadline(action, today);
    view! {
        {select}
        <td class="col-pupil">
            <a class="pupil" href=Route::Pupil(action.pupil).href()>
                <span class="clamp"><span class="pupil-name">{pupil.clone()}</span>" "
                <span class="sub">{*year_group}<span class="narrow">" · "{kind}</span></span></span>
            </a>
        </td>
        <td class="col-type"><span class="clamp">{kind}</span></td>
        <td class="col-action">
            <span class="next-step clamp">{step.clone()}</span>{badges}
            {missed.map(|text| view! { <span class="note statutory-missed">{text}</span> })}
            <span class="narrow sub">"Updated "{updated.clone()}</span>
        </td>
        <td class="col-owner"><span class="clamp">{owner.clone()}</span></td>
        <td class="col-due">
            <span class="due-date">{dates::uk(action.due)}</span>
            {action.days_overdue(today).map(|days| view! { <span class="overdue-days">{days_overdue_text(days)}</span> })}
        </td>
        <td class="col-status">
            // The value as a property as well: once a person has chosen in the box, only the
            // property moves it (after an Undo, say).
            <select class="status-select" aria-label=format!("Status of: {step}")
                prop:value=current.code() on:change=set_status>
                {Status::ALL.iter().map(|&s| view! {
                    <option value=s.code() selected=s == current>{s.short_label()}</option>
                }).collect_view()}
            </select>
        </td>
        <td class="col-updated">{updated}</td>
        <td class="col-more">
            <button type="button" class="more" aria-label=format!("Details of: {step}")
                aria-expanded=move || is_open.get().to_string() aria-controls=details.to_string()
                on:click=move |_| toggle()>
                <span aria-hidden="true">{move || if is_open.get() { "▴" } else { "▾" }}</span>
            </button>
        </td>
    }
}
