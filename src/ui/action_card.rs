//! One action as every list shows it: pupil, what and who, due date, overdue, status changed in
//! one tap (Done with what shows it was done, if the person says), escalation, restore from the
//! archive, every field edited, and the row's history when asked for.

use super::action_table::{ActionTable, Sorting};
use super::edit_action::EditAction;
use super::route::Route;
use super::state::{AppState, History};
use super::viewport::{when_near, Wide};
use crate::core::dates;
use crate::core::history::Field;
use crate::core::query::{self, is_missed, is_stale, missed_deadline, Filter};
use crate::core::record::Edit;
use crate::core::Kind;
use crate::core::{Action, ActionId, Choice, Record, Status};
use leptos::prelude::*;

/// One action with what the card shows about its pupil.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub action: Action,
    pub pupil: String,
    pub year_group: &'static str,
    /// The owner as shown for the pupil: "Class teacher (Mrs Patel)".
    pub owner: String,
}

impl Row {
    /// The row of action `id`, if it is in the record.
    pub fn of(record: &Record, id: ActionId) -> Option<Row> {
        let action = record.action(id)?.clone();
        let pupil = record.pupil(action.pupil);
        Some(Row {
            pupil: pupil.map_or_else(|| "Unknown pupil".into(), |p| p.name.clone()),
            year_group: pupil.map_or("", |p| p.year_group.label()),
            owner: query::owner_shown(record, &action).into_owned(),
            action,
        })
    }
}

/// A list's rows by id, each drawn where it is and redrawn in place when it changes: a list
/// keyed by id alone keeps a row's elements, and the focus in them, through an edit, and an
/// edit changes the few words it changed rather than drawing its row again.
#[derive(Clone, Copy)]
pub struct Rows {
    rows: Memo<Vec<Row>>,
    /// Where each id stands in `rows`, so a row finds itself without reading the list through.
    at: Memo<std::collections::HashMap<ActionId, usize>>,
}

impl Rows {
    pub fn new(rows: Memo<Vec<Row>>) -> Rows {
        let at = Memo::new(move |_| {
            rows.with(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, row)| (row.action.id, i))
                    .collect()
            })
        });
        Rows { rows, at }
    }

    /// The ids in the list's order: what a list is keyed by.
    pub fn ids(&self) -> Vec<ActionId> {
        self.rows
            .with(|r| r.iter().map(|row| row.action.id).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.rows.with(|r| r.is_empty())
    }

    /// Row `id` as it is now. It keeps what it last showed once the row has left the list,
    /// for the moment before the list takes it away.
    pub fn row(&self, id: ActionId) -> Memo<Option<Row>> {
        let Rows { rows, at } = *self;
        Memo::new(move |before: Option<&Option<Row>>| {
            let now = at
                .with(|at| at.get(&id).copied())
                .and_then(|i| rows.with(|r| r.get(i).cloned()));
            now.or_else(|| before.cloned().flatten())
        })
    }
}

/// The first rows of a list, by id (rows are held by id, never by position, so a change made
/// meanwhile cannot make a list show or act on the wrong row), and how many it has in all.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub ids: Vec<ActionId>,
    pub total: usize,
}

impl Page {
    /// The first `limit` of `ids`.
    pub fn first(ids: &[ActionId], limit: usize) -> Page {
        Page {
            ids: ids.iter().take(limit).copied().collect(),
            total: ids.len(),
        }
    }
}

/// Rows of a list, a page at a time, with "Show more". `rows` gives the first so many rows.
#[component]
pub fn RowList(
    rows: Callback<usize, Page>,
    #[prop(optional)] selection: Option<RwSignal<Vec<ActionId>>>,
    #[prop(default = 50)] page: usize,
    #[prop(into)] label: String,
    /// Drawn as a table where the screen has room (the tracker, the archive, the weekly review).
    #[prop(default = false)]
    table: bool,
    /// The table's order, chosen by a tap on a column's header.
    #[prop(optional)]
    sorting: Option<Sorting>,
    /// Draw the next page by itself as the end of the list is scrolled into view.
    #[prop(default = false)]
    more_on_scroll: bool,
    /// The filter the rows answer: a new one draws the list from its first page again.
    #[prop(optional)]
    restart: Option<Memo<Filter>>,
) -> impl IntoView {
    let state = AppState::get();
    let shown = RwSignal::new(page);
    if let Some(filter) = restart {
        Effect::new(move |_| {
            filter.track();
            if shown.get_untracked() != page {
                shown.set(page);
            }
        });
    }
    let more = NodeRef::<leptos::html::Button>::new();
    if more_on_scroll {
        // Drawn as the end comes near, not before: a new search draws only what is in view.
        when_near(
            more,
            100,
            move || shown.track(),
            move || shown.update(|n| *n += page),
        );
    }
    let first = Memo::new(move |_| rows.run(shown.get()));
    let total = Memo::new(move |_| first.with(|p| p.total));
    let page_rows = Memo::new(move |_| {
        first.with(|p| {
            state.read(&[Kind::Actions, Kind::Pupils], |r| {
                p.ids
                    .iter()
                    .filter_map(|&id| Row::of(r, id))
                    .collect::<Vec<_>>()
            })
        })
    });
    let keyed = Rows::new(page_rows);
    let rows = move || {
        let label = label.clone();
        if table && Wide::get() {
            // No header over no rows: the list's own words say it is empty.
            view! {
                <Show when=move || !keyed.is_empty()>
                    <ActionTable rows=page_rows selection sorting restart label=label.clone() />
                </Show>
            }
            .into_any()
        } else {
            view! {
                <ul class="actions" aria-label=label>
                    <For each=move || keyed.ids() key=|id| *id let(id)>
                        <ActionCard row=keyed.row(id) selection=selection />
                    </For>
                </ul>
            }
            .into_any()
        }
    };
    view! {
        {rows}
        <Show when=move || { total.get() > shown.get() }>
            <button type="button" class="secondary" node_ref=more on:click=move |_| shown.update(|n| *n += page)>
                {move || format!("Show more ({} of {} shown)", shown.get().min(total.get()), total.get())}
            </button>
        </Show>
    }
}

/// One action as a card: drawn again in place when the action changes.
#[component]
pub fn ActionCard(
    row: Memo<Option<Row>>,
    selection: Option<RwSignal<Vec<ActionId>>>,
) -> impl IntoView {
    move || row.with(|r| r.clone().map(|row| card(row, selection)))
}

fn card(row: Row, selection: Option<RwSignal<Vec<ActionId>>>) -> impl IntoView {
    let Row {
        action,
        pupil,
        year_group,
        owner,
    } = row;
    let id = action.id;
    let today = AppState::today();
    let overdue = action.days_overdue(today);
    let stale = is_stale(&action, today);
    let step = action.next_step.clone();
    let select = selection.map(|selected| select_box(selected, id, &step));
    let (closed, missed) = (!action.status.is_live(), is_missed(&action, today));
    view! {
        <li class="action" class:overdue=overdue.is_some() class:closed=closed
            class:statutory-missed=missed>
            <div class="action-head">
                {select}
                <a class="pupil" href=Route::Pupil(action.pupil).href()>{pupil}</a>
                <span class="muted">{year_group}" · "{action.item_type.label()}</span>
                {overdue.map(|days| view! { <span class="badge overdue">{overdue_text(days)}</span> })}
                {action.statutory.map(|_| view! { <span class="badge statutory">"Statutory"</span> })}
                {action.escalate.then(|| view! { <span class="badge escalate">"Needs escalation"</span> })}
                {stale.then(|| view! { <span class="badge stale">"No update for 4 weeks"</span> })}
            </div>
            <ActionBody action owner />
        </li>
    }
}

/// The tick box that puts a row in the selection a bulk change acts on.
pub fn select_box(selected: RwSignal<Vec<ActionId>>, id: ActionId, step: &str) -> impl IntoView {
    view! {
        <input type="checkbox" class="select" aria-label=format!("Select: {step}")
            prop:checked=move || selected.with(|s| s.contains(&id))
            on:change=move |ev| tick(selected, id, event_target_checked(&ev)) />
    }
}

/// Puts action `id` in the ticked rows, `selected`, or takes it out.
pub fn tick(selected: RwSignal<Vec<ActionId>>, id: ActionId, on: bool) {
    selected.update(|s| {
        s.retain(|x| *x != id);
        if on {
            s.push(id);
        }
    });
}

/// Everything about an action but its pupil: the action itself, the decision, the facts, its
/// status in one tap, Edit, Escalate or Restore, and its history.
#[component]
pub fn ActionBody(action: Action, owner: String) -> impl IntoView {
    let state = AppState::get();
    let id = action.id;
    let today = AppState::today();
    // A statutory step past the latest date the law allows stands out more, and says which.
    let missed = missed_deadline(&action, today);
    let step = action.next_step.clone();
    let current = action.status;
    let escalated = action.escalate;
    let edit = move |edit: Edit, note: Option<&'static str>| {
        if let Err(problem) =
            state.change_undoably(|record, _, now| record.edit_announced(&[id], &[edit], note, now))
        {
            state.announcement.set(problem.to_string());
        }
    };
    let editing = RwSignal::new(false);
    let done_open = RwSignal::new(false);
    let done_evidence = RwSignal::new(String::new());
    let confirm_done = move |_| {
        let evidence = done_evidence.get_untracked();
        match state.change_undoably(|record, _, now| record.done_announced(&[id], &evidence, now)) {
            Ok(()) => done_open.set(false),
            Err(problem) => state.announcement.set(problem.to_string()),
        }
    };
    let tap_status = move |status: Status| {
        if status == Status::Done && current != Status::Done {
            done_open.update(|open| *open = !*open);
        } else {
            done_open.set(false);
            edit(Edit::Status(status), None);
        }
    };
    let done_box = format!("done-{id}");
    view! {
        {step_and_decision(&action)}
        {missed.map(|text| view! { <p class="note statutory-missed">{text}</p> })}
        <dl class="facts">
            <div><dt>"Owner"</dt><dd>{owner}</dd></div>
            <div><dt>"Due"</dt><dd>{dates::uk(action.due)}</dd></div>
            <div><dt>"Raised"</dt><dd>{dates::uk(action.raised)}</dd></div>
            {action.next_review.map(|d| view! { <div><dt>"Next review"</dt><dd>{dates::uk(d)}</dd></div> })}
            {action.statutory.map(|s| view! {
                <div><dt>{Field::Statutory.label()}</dt><dd>{s.summary()}</dd></div>
            })}
            {(!action.evidence.is_empty()).then(|| view! {
                <div><dt>"Evidence or note"</dt><dd>{action.evidence.clone()}</dd></div>
            })}
        </dl>
        <div class="statuses" role="group" aria-label=format!("Status of: {step}")>
            {Status::ALL.iter().map(|&status| {
                let asks = status == Status::Done && current != Status::Done;
                view! {
                    <button type="button" class="status" class:on=status == current
                        aria-pressed=(status == current).to_string()
                        aria-expanded=move || asks.then(|| done_open.get().to_string())
                        on:click=move |_| tap_status(status)>
                        {status.short_label()}
                    </button>
                }
            }).collect_view()}
        </div>
        <Show when=move || done_open.get()>
            <div class="panel done-panel">
                <label for=done_box.clone()>"What shows it was done (optional)"</label>
                <textarea id=done_box.clone() rows="2"
                    prop:value=move || done_evidence.get()
                    on:input=move |ev| done_evidence.set(event_target_value(&ev))></textarea>
                <div class="row">
                    <button type="button" class="primary" on:click=confirm_done>"Confirm done"</button>
                    <button type="button" class="secondary" on:click=move |_| done_open.set(false)>"Cancel"</button>
                </div>
            </div>
        </Show>
        <div class="row card-actions">
            <button type="button" class="secondary" aria-expanded=move || editing.get().to_string()
                on:click=move |_| editing.update(|open| *open = !*open)>"Edit"</button>
            {(!current.is_live()).then(|| view! {
                <button type="button" class="secondary" on:click=move |_| {
                    edit(Edit::Status(Status::Open), Some("Restored from the archive"))
                }>"Restore"</button>
            })}
            {current.is_live().then(|| view! {
                <button type="button" class="secondary" aria-pressed=escalated.to_string()
                    on:click=move |_| {
                        edit(Edit::Escalate(!escalated), None)
                    }>
                    {if escalated { "Clear escalation" } else { "Escalate" }}
                </button>
            })}
        </div>
        <Show when=move || editing.get()>
            <EditAction id closed=Callback::new(move |()| editing.set(false)) />
        </Show>
        <p class="last-update muted">
            "Last update "{dates::uk(action.last_update.at.with_timezone(&chrono::Local).date_naive())}
            ": "{action.last_update.note.clone()}
        </p>
        <RowHistory id />
    }
}

/// The row's history, read only when opened.
#[component]
fn RowHistory(id: ActionId) -> impl IntoView {
    let state = AppState::get();
    let open = RwSignal::new(false);
    view! {
        <details class="history" on:toggle=move |ev| {
            use leptos::wasm_bindgen::JsCast;
            let opened = ev.target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                .is_some_and(|d| d.open());
            open.set(opened);
        }>
            <summary>"History"</summary>
            {move || (open.get() && state.history.get() != History::Ready).then(|| view! {
                <p class="muted" role="status">"Reading the history…"</p>
            })}
            {move || (open.get() && state.history.get() == History::Ready).then(|| {
                let entries = state.read(&[Kind::History], |r| {
                    r.history_of(id).into_iter().rev().map(|h| {
                        let when = h.at.with_timezone(&chrono::Local);
                        let changes = h.changes.iter().map(|c| {
                            format!("{}: was “{}”, now “{}”", c.field.label(), c.before, c.after)
                        }).collect::<Vec<_>>();
                        (format!("{} {}", dates::uk(when.date_naive()), dates::hours_minutes(when)), h.note.clone(), changes)
                    }).collect::<Vec<_>>()
                });
                view! {
                    <ol class="history-list">
                        {entries.into_iter().map(|(when, note, changes)| view! {
                            <li>
                                <span class="muted">{when}</span>" — "{note}
                                {(!changes.is_empty()).then(|| view! {
                                    <ul>{changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                                })}
                            </li>
                        }).collect_view()}
                    </ol>
                }
            })}
        </details>
    }
}

/// The action itself and the decision it came from, as every row shows them.
pub fn step_and_decision(action: &Action) -> impl IntoView {
    let decision = action.decision.clone();
    view! {
        <p class="next-step">{action.next_step.clone()}</p>
        {(!decision.is_empty()).then(|| view! {
            <p class="decision"><span class="muted">"Decision: "</span>{decision}</p>
        })}
    }
}

/// "3 days overdue", where a table has less room.
pub fn days_overdue_text(days: i64) -> String {
    if days == 1 {
        "1 day overdue".into()
    } else {
        format!("{days} days overdue")
    }
}

/// "Overdue by 3 days".
pub fn overdue_text(days: i64) -> String {
    if days == 1 {
        "Overdue by 1 day".into()
    } else {
        format!("Overdue by {days} days")
    }
}
