//! The tracker's lists as a table where the screen has room (a tablet either way up): one
//! compact row per action, sorted by a tap on a column's header, its status changed from the
//! row, and the rest of the action (decision, facts, Edit, Escalate, history) one tap away.

use super::action_card::{days_overdue_text, tick, ActionBody, Row, Rows};
use super::route::Route;
use super::state::AppState;
use crate::core::dates;
use crate::core::query::{is_stale, missed_deadline, SortBy};
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
/// it is in the list; a change to the action draws its line again, in place.
///
/// The line's cells are drawn as one piece of HTML ([`line_html`]) rather than element by
/// element: a new search draws a screenful of new lines on every keystroke, and on a tablet
/// building each of their forty-odd elements from WebAssembly took most of the keystroke. The
/// line's controls are handled by the line itself (their events bubble up to it).
#[component]
fn ActionRow(
    row: Memo<Option<Row>>,
    id: ActionId,
    selection: Option<RwSignal<Vec<ActionId>>>,
    open: RwSignal<Vec<ActionId>>,
    columns: usize,
) -> impl IntoView {
    let state = AppState::get();
    let today = AppState::today();
    let line = NodeRef::<leptos::html::Tr>::new();
    let is_open = Memo::new(move |_| open.with(|o| o.contains(&id)));
    let is_selected = move || selection.is_some_and(|s| s.with(|s| s.contains(&id)));
    let toggle = move || {
        open.update(|o| match o.iter().position(|x| *x == id) {
            Some(at) => {
                o.remove(at);
            }
            None => o.push(id),
        })
    };
    // The line's control of `selector`, as drawn now (none once the line has gone: a line
    // whose action is done leaves the tracker).
    let control = move |selector: &str| {
        line.try_get_untracked()
            .flatten()
            .and_then(|tr| tr.query_selector(selector).ok().flatten())
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
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if let (Some(selected), Some(ticked)) =
            (selection, target.dyn_ref::<web_sys::HtmlInputElement>())
        {
            tick(selected, id, ticked.checked());
        } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
            let before = row.with_untracked(|r| r.as_ref().map(|r| r.action.status));
            if let (Some(status), Some(before)) = (Status::from_text(&select.value()), before) {
                set_status(state, id, status, before, select, control);
            }
        }
    };
    // What changes without the action changing is set on the line as drawn: its tick, and
    // whether its details are open. Only when it differs from what the line shows (a new line
    // is drawn showing both already).
    Effect::new(move |_| {
        let on = is_selected();
        if let Some(tick) = control("input.select") {
            let tick = tick.unchecked_into::<web_sys::HtmlInputElement>();
            if tick.checked() != on {
                tick.set_checked(on);
            }
        }
    });
    Effect::new(move |_| {
        let open = is_open.get().to_string();
        if let Some(button) = control("button.more") {
            if button.get_attribute("aria-expanded").as_deref() != Some(open.as_str()) {
                let _ = button.set_attribute("aria-expanded", &open);
                if let Ok(Some(shown)) = button.query_selector("span") {
                    shown.set_text_content(Some(arrow(open == "true")));
                }
            }
        }
    });
    let html = move || {
        row.with(|r| {
            r.as_ref().map_or_else(String::new, |r| {
                let ticked = selection.map(|_| untrack(is_selected));
                line_html(r, ticked, untrack(|| is_open.get()), today)
            })
        })
    };
    let class = move || {
        row.with(|r| {
            let mut class = String::from("action");
            if let Some(r) = r {
                let a = &r.action;
                for (on, name) in [
                    (a.days_overdue(today).is_some(), " overdue"),
                    (!a.status.is_live(), " closed"),
                    (missed_deadline(a, today).is_some(), " statutory-missed"),
                ] {
                    if on {
                        class.push_str(name);
                    }
                }
            }
            if is_open.get() {
                class.push_str(" open");
            }
            class
        })
    };
    view! {
        <tbody class=class>
            <tr class="action-line" node_ref=line inner_html=html on:click=tap_row on:change=changed></tr>
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

/// The Details button's arrow: up once open.
fn arrow(open: bool) -> &'static str {
    if open {
        "▴"
    } else {
        "▾"
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
    control: impl Fn(&str) -> Option<web_sys::Element> + 'static,
) {
    let result = state.change_undoably(|record, _, now| match status {
        Status::Done => record.done_announced(&[id], "", now),
        other => record.edit_announced(&[id], &[Edit::Status(other)], None, now),
    });
    match result {
        // The line is drawn again, and moves if the order does: the focus is put in its new
        // box once the list is drawn (only then, as focusing lays the page out).
        Ok(()) => set_timeout(
            move || {
                let Some(select) = control("select.status-select") else {
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

/// A table line's cells as HTML, every word from the record escaped. `ticked` is whether the
/// line is selected, where lines can be; `open`, whether its details are.
fn line_html(row: &Row, ticked: Option<bool>, open: bool, today: chrono::NaiveDate) -> String {
    use html_escape::{
        encode_double_quoted_attribute_to_string as attr, encode_text_to_string as text,
    };
    let Row {
        action,
        pupil,
        year_group,
        owner,
    } = row;
    let step = action.next_step.as_str();
    let kind = action.item_type.label();
    let updated = dates::uk(
        action
            .last_update
            .at
            .with_timezone(&chrono::Local)
            .date_naive(),
    );
    let mut h = String::with_capacity(2048);
    if let Some(ticked) = ticked {
        h.push_str(
            r#"<td class="col-select"><input type="checkbox" class="select" aria-label="Select: "#,
        );
        attr(step, &mut h);
        h.push_str(if ticked {
            r#"" checked></td>"#
        } else {
            r#""></td>"#
        });
    }
    h.push_str(r#"<td class="col-pupil"><a class="pupil" href=""#);
    attr(Route::Pupil(action.pupil).href(), &mut h);
    h.push_str(r#""><span class="clamp"><span class="pupil-name">"#);
    text(pupil, &mut h);
    h.push_str(r#"</span> <span class="sub">"#);
    text(year_group, &mut h);
    h.push_str(r#"<span class="narrow"> · "#);
    text(kind, &mut h);
    h.push_str(r#"</span></span></span></a></td><td class="col-type"><span class="clamp">"#);
    text(kind, &mut h);
    h.push_str(r#"</span></td><td class="col-action"><span class="next-step clamp">"#);
    text(step, &mut h);
    h.push_str("</span>");
    // Short words, on one line: the details say each in full.
    let stale = is_stale(action, today);
    if action.statutory.is_some() || action.escalate || stale {
        h.push_str(r#"<span class="badges">"#);
        if action.statutory.is_some() {
            h.push_str(r#"<span class="badge statutory">Statutory</span>"#);
        }
        if action.escalate {
            h.push_str(r#"<span class="badge escalate">Needs escalation</span>"#);
        }
        if stale {
            h.push_str(r#"<span class="badge stale" title="No update for 4 weeks">Stale</span>"#);
        }
        h.push_str("</span>");
    }
    // A missed statutory step says which deadline it missed in the line itself.
    if let Some(missed) = missed_deadline(action, today) {
        h.push_str(r#"<span class="note statutory-missed">"#);
        text(&missed, &mut h);
        h.push_str("</span>");
    }
    h.push_str(r#"<span class="narrow sub">Updated "#);
    text(&updated, &mut h);
    h.push_str(r#"</span></td><td class="col-owner"><span class="clamp">"#);
    text(owner, &mut h);
    h.push_str(r#"</span></td><td class="col-due"><span class="due-date">"#);
    text(dates::uk(action.due), &mut h);
    h.push_str("</span>");
    if let Some(days) = action.days_overdue(today) {
        h.push_str(r#"<span class="overdue-days">"#);
        text(days_overdue_text(days), &mut h);
        h.push_str("</span>");
    }
    h.push_str(
        r#"</td><td class="col-status"><select class="status-select" aria-label="Status of: "#,
    );
    attr(step, &mut h);
    h.push_str(r#"">"#);
    for &s in Status::ALL {
        h.push_str(r#"<option value=""#);
        attr(s.code(), &mut h);
        h.push_str(if s == action.status {
            r#"" selected>"#
        } else {
            r#"">"#
        });
        text(s.short_label(), &mut h);
        h.push_str("</option>");
    }
    h.push_str(r#"</select></td><td class="col-updated">"#);
    text(&updated, &mut h);
    h.push_str(
        r#"</td><td class="col-more"><button type="button" class="more" aria-label="Details of: "#,
    );
    attr(step, &mut h);
    h.push_str(r#"" aria-expanded=""#);
    h.push_str(if open { "true" } else { "false" });
    h.push_str(&format!(
        r#"" aria-controls="details-{}"><span aria-hidden="true">"#,
        action.id
    ));
    h.push_str(arrow(open));
    h.push_str("</span></button></td>");
    h
}
