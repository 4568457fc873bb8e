//! The tracker's lists as a table where the screen has room (a tablet either way up): one
//! compact row per action, sorted by a tap on a column's header, its status changed from the
//! row, and the rest of the action (decision, facts, Edit, Escalate, history) one tap away.

use super::action_card::{tick, ActionBody, Row};
use super::state::AppState;
use super::table_line::{arrow, details_id, tick_box, Line, Parts};
use crate::core::lines::Lines;
use crate::core::query::{Filter, SortBy};
use crate::core::record::Edit;
use crate::core::{ActionId, Choice, Status};
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
    /// The filter the rows answer: the rows of a new one are shown by the lines in place.
    restart: Option<Memo<Filter>>,
    label: String,
) -> impl IntoView {
    // The rows whose details are open.
    let open = RwSignal::new(Vec::<ActionId>::new());
    // Which line shows which action: one that stays in the list keeps its line.
    // Which line shows which action: one that stays in the list keeps its line through an edit,
    // while a new search or order is shown by the lines in their places.
    let lines = Memo::new(move |before: Option<&(Option<Filter>, Lines<ActionId>)>| {
        let filter = restart.map(|f| f.get());
        let ids: Vec<ActionId> = rows.with(|r| r.iter().map(|row| row.action.id).collect());
        let lines = match before {
            None => Lines::new(&ids),
            Some((seen, lines)) if *seen == filter => lines.follow(&ids),
            Some((_, lines)) => lines.by_place(&ids),
        };
        (filter, lines)
    });
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
            <For each=move || lines.with(|(_, l)| l.lines.clone()) key=|line| *line let(line)>
                <ActionRow row=Memo::new(move |_| {
                    lines.with(|(_, l)| l.at(line)).and_then(|at| rows.with(|r| r.get(at).cloned()))
                }) selection open columns />
            </For>
        </table>
    }
}

/// One line of the table, and the details of its action beneath it once opened. An action
/// that stays in the list keeps its line ([`Lines`]); a line whose action has left shows one
/// that has come, its words rewritten in place ([`Parts::show`]), rather than being put away
/// and another drawn.
///
/// The line's controls are handled by the line itself (their events bubble up to it), for
/// whichever action it shows at the time.
#[component]
fn ActionRow(
    row: Memo<Option<Row>>,
    selection: Option<RwSignal<Vec<ActionId>>>,
    open: RwSignal<Vec<ActionId>>,
    columns: usize,
) -> impl IntoView {
    let state = AppState::get();
    let today = AppState::today();
    let tr = NodeRef::<leptos::html::Tr>::new();
    let line = Memo::new(move |_| row.with(|r| r.as_ref().map(|r| Line::of(r, today))));
    let id = Memo::new(move |_| line.with(|l| l.as_ref().map(|l| l.id)));
    let is_open = Memo::new(move |_| id.get().is_some_and(|id| open.with(|o| o.contains(&id))));
    let is_selected = move || match (selection, id.get()) {
        (Some(s), Some(id)) => s.with(|s| s.contains(&id)),
        _ => false,
    };
    let toggle = move || {
        let Some(id) = id.get_untracked() else {
            return;
        };
        open.update(|o| match o.iter().position(|x| *x == id) {
            Some(at) => {
                o.remove(at);
            }
            None => o.push(id),
        })
    };
    // A tap anywhere on the line but its controls opens or closes its details, as does its
    // Details button.
    let tap_row = move |ev: leptos::ev::MouseEvent| {
        let on = |selector: &str| {
            ev.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest(selector).ok().flatten())
                .is_some()
        };
        if on("button.more") || !on("a, button, select, input, label") {
            toggle();
        }
    };
    let changed = move |ev: leptos::ev::Event| {
        let (Some(target), Some(id)) = (
            ev.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok()),
            id.get_untracked(),
        ) else {
            return;
        };
        if let (Some(selected), Some(ticked)) =
            (selection, target.dyn_ref::<web_sys::HtmlInputElement>())
        {
            tick(selected, id, ticked.checked());
        } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
            let before = line.with_untracked(|l| l.as_ref().map(|l| l.status));
            if let (Some(status), Some(before)) = (Status::from_text(&select.value()), before) {
                set_status(state, id, status, before, select, tr);
            }
        }
    };
    // The line as first drawn; afterwards each change rewrites what differs from what it
    // shows. (It keeps what it showed once its place has left the list, for the moment
    // before the list takes it away.)
    let mut first = Some(line.get_untracked());
    let html = first.clone().flatten().map_or_else(String::new, |l| {
        l.html(
            selection.map(|_| untrack(is_selected)),
            is_open.get_untracked(),
        )
    });
    Effect::new(move |before: Option<(Option<Line>, Option<Parts>)>| {
        let now = line.get();
        let (shown, mut parts) = before.unwrap_or_else(|| (first.take().flatten(), None));
        let Some(drawn) = tr.get_untracked() else {
            return (shown, parts);
        };
        match (&shown, &now) {
            (Some(shown), Some(now)) if shown != now => {
                if parts.is_none() {
                    parts = Parts::find(&drawn);
                }
                if let Some(parts) = &parts {
                    parts.show(shown, now);
                }
            }
            (None, Some(now)) => {
                drawn.set_inner_html(&now.html(
                    selection.map(|_| untrack(is_selected)),
                    is_open.get_untracked(),
                ));
                parts = None;
            }
            _ => {}
        }
        (now.or(shown), parts)
    });
    // What changes without the action changing is set on the line as drawn: its tick, and
    // whether its details are open. Only when it differs from what the line shows.
    Effect::new(move |_| {
        let on = is_selected();
        if let Some(tick) = tr.get().and_then(|tr| tick_box(&tr)) {
            if tick.checked() != on {
                tick.set_checked(on);
            }
        }
    });
    Effect::new(move |_| {
        let open = is_open.get().to_string();
        let button = tr
            .get()
            .and_then(|tr| tr.query_selector("button.more").ok().flatten());
        if let Some(button) = button {
            if button.get_attribute("aria-expanded").as_deref() != Some(open.as_str()) {
                let _ = button.set_attribute("aria-expanded", &open);
                if let Ok(Some(shown)) = button.query_selector("span") {
                    shown.set_text_content(Some(arrow(open == "true")));
                }
            }
        }
    });
    let class = move || line.with(|l| l.as_ref().map(|l| l.class(is_open.get())));
    view! {
        <tbody class=class data-id=move || id.get().map(|id| id.to_string())>
            <tr class="action-line" node_ref=tr inner_html=html on:click=tap_row on:change=changed></tr>
            <Show when=move || is_open.get()>
                <tr class="details-line" id=move || id.get().map(details_id)>
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

/// Changes action `id`'s status from its line's box, `select`. Done from the line is done at
/// once; what shows it was done can be added with Edit.
fn set_status(
    state: AppState,
    id: ActionId,
    status: Status,
    before: Status,
    select: &web_sys::HtmlSelectElement,
    line: NodeRef<leptos::html::Tr>,
) {
    let result = state.change_undoably(|record, _, now| match status {
        Status::Done => record.done_announced(&[id], "", now),
        other => record.edit_announced(&[id], &[Edit::Status(other)], None, now),
    });
    match result {
        // The action moves to another line if the order says so: the focus goes to its box
        // there once the list is drawn (only then, as focusing lays the page out).
        Ok(()) => set_timeout(
            move || {
                let table = line
                    .try_get_untracked()
                    .flatten()
                    .and_then(|tr| tr.closest("table").ok().flatten());
                let showing = format!(r#"tbody.action[data-id="{id}"] select.status-select"#);
                let Some(select) = table.and_then(|t| t.query_selector(&showing).ok().flatten())
                else {
                    return;
                };
                let focused = document().active_element();
                if focused.as_ref() != Some(&select) {
                    let _ = select.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            },
            std::time::Duration::ZERO,
        ),
        Err(problem) => {
            state.announcement.set(problem.to_string());
            select.set_value(before.code());
        }
    }
}
