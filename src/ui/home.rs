//! The home screen: start a meeting, add a stand-alone action, and the actions newest first,
//! each with its status changed in one tap.

use super::action_form::{AddAction, Place};
use super::pupil_picker::PupilPicker;
use super::route::Route;
use super::state::AppState;
use super::widgets::{choice_select, DateInput};
use crate::core::dates;
use crate::core::record::{Edit, NewMeeting};
use crate::core::{Action, Choice, MeetingType, PupilId, Status};
use leptos::prelude::*;

/// Rows shown at a time; "Show more" adds another page.
const PAGE: usize = 20;

/// People who are often at a meeting, offered as one-tap choices.
const USUAL_ATTENDEES: &[&str] = &[
    "Parent or carer",
    "SENCO",
    "Class teacher",
    "Pupil",
    "Teaching assistant",
];

#[component]
pub fn HomeScreen(state: AppState) -> impl IntoView {
    view! {
        <StartMeeting state />
        <section class="card" aria-labelledby="add-heading">
            <h2 id="add-heading">"Add an action"</h2>
            <p class="hint">"A stand-alone item, or one for a meeting that has already happened."</p>
            <AddAction state place=Place::Anywhere heading="Add an action" />
        </section>
        <ActionList state />
    }
}

/// Starts a meeting: the first tap opens this form, the second starts the meeting.
#[component]
fn StartMeeting(state: AppState) -> impl IntoView {
    let open = RwSignal::new(false);
    let pupil = RwSignal::new(String::new());
    let meeting_type = RwSignal::new(MeetingType::ParentConversation.code().to_string());
    let date = RwSignal::new(dates::iso(AppState::today()));
    let present = RwSignal::new(Vec::<&'static str>::new());
    let others = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(pupil) = PupilId::parse(&pupil.get_untracked()) else {
            problem.set(Some(
                "Choose the pupil the meeting is about, or add a new pupil.".into(),
            ));
            return;
        };
        let mut attendees: Vec<String> = present
            .get_untracked()
            .into_iter()
            .map(String::from)
            .collect();
        attendees.extend(others.get_untracked().split(',').map(String::from));
        let new = NewMeeting {
            pupil,
            date: dates::parse_iso(&date.get_untracked()).unwrap_or_else(AppState::today),
            meeting_type: MeetingType::from_text(&meeting_type.get_untracked())
                .unwrap_or(MeetingType::Other),
            attendees,
            summary: summary.get_untracked(),
        };
        match state.change(|record, _, now| record.start_meeting(new, now)) {
            Ok(meeting) => Route::Meeting(meeting).go(),
            Err(refusal) => problem.set(Some(refusal.to_string())),
        }
    };
    view! {
        <section class="card start" aria-labelledby="start-heading">
            <h2 id="start-heading">"Meetings"</h2>
            <Show when=move || !open.get()>
                <button type="button" class="primary big" on:click=move |_| open.set(true)>
                    "Start a meeting"
                </button>
            </Show>
            <Show when=move || open.get()>
                <form on:submit=start novalidate aria-label="Start a meeting">
                    <div class="field">
                        <label for="meeting-pupil">"Pupil"</label>
                        <PupilPicker state id="meeting-pupil" value=pupil described_by="meeting-pupil-notes" />
                        <div id="meeting-pupil-notes" class="field-notes" aria-live="polite">
                            {move || problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                        </div>
                    </div>
                    <div class="grid">
                        <div class="field">
                            <label for="meeting-type">"Type of meeting"</label>
                            {choice_select::<MeetingType>("meeting-type", meeting_type)}
                        </div>
                        <div class="field">
                            <label for="meeting-date">"Date"</label>
                            <DateInput id="meeting-date" value=date />
                        </div>
                    </div>
                    <fieldset class="plain">
                        <legend>"Who was there"</legend>
                        <div class="quick-picks">
                            {USUAL_ATTENDEES.iter().map(|&who| view! {
                                <button type="button" class="chip toggle"
                                    aria-pressed=move || present.with(|p| p.contains(&who)).to_string()
                                    on:click=move |_| present.update(|p| {
                                        if let Some(at) = p.iter().position(|x| *x == who) { p.remove(at); } else { p.push(who); }
                                    })>
                                    {who}
                                </button>
                            }).collect_view()}
                        </div>
                        <label for="meeting-others" class="sub-label">"Others (names or roles, separated by commas)"</label>
                        <input id="meeting-others" type="text" autocomplete="off"
                            prop:value=move || others.get()
                            on:input=move |ev| others.set(event_target_value(&ev)) />
                    </fieldset>
                    <div class="field">
                        <label for="meeting-summary">"Short summary (optional)"</label>
                        <textarea id="meeting-summary" rows="2"
                            prop:value=move || summary.get()
                            on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                    </div>
                    <div class="row">
                        <button type="submit" class="primary">"Start meeting"</button>
                        <button type="button" class="secondary" on:click=move |_| open.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// One action as the list shows it.
#[derive(Clone, PartialEq)]
struct Row {
    action: Action,
    pupil: String,
    year_group: String,
}

/// The actions, newest first, a page at a time.
#[component]
fn ActionList(state: AppState) -> impl IntoView {
    let shown = RwSignal::new(PAGE);
    let total = Memo::new(move |_| state.record.with(|r| r.actions().len()));
    let rows = Memo::new(move |_| {
        state.record.with(|r| {
            r.newest_actions(0, shown.get())
                .map(|action| {
                    let pupil = r.pupil(action.pupil);
                    Row {
                        action: action.clone(),
                        pupil: pupil
                            .map(|p| p.name.clone())
                            .unwrap_or_else(|| "Unknown pupil".into()),
                        year_group: pupil
                            .map(|p| p.year_group.label().to_string())
                            .unwrap_or_default(),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card" aria-labelledby="list-heading">
            <h2 id="list-heading">"Actions"</h2>
            <Show when=move || total.get() == 0>
                <p class="empty">"No actions yet. Start a meeting, or add one above: it is stored on this device as soon as it is added."</p>
            </Show>
            <ul class="actions">
                <For each=move || rows.get()
                    key=|row| (row.action.id, row.action.last_update.at, row.pupil.clone())
                    let(row)>
                    <ActionRow state row />
                </For>
            </ul>
            <Show when=move || { total.get() > shown.get() }>
                <button type="button" class="secondary" on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || format!("Show more ({} of {} shown)", shown.get().min(total.get()), total.get())}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn ActionRow(state: AppState, row: Row) -> impl IntoView {
    let Row {
        action,
        pupil,
        year_group,
    } = row;
    let id = action.id;
    let overdue = action.days_overdue(AppState::today());
    let step = action.next_step.clone();
    let set_status = move |status: Status| {
        let label = format!("Status set to {status}.");
        if let Err(problem) = state.change_undoably(|record, _, now| {
            let (undo, touched) = record.edit_action(id, &[Edit::Status(status)], None, now)?;
            Ok(((label, undo), touched))
        }) {
            state.announcement.set(problem.to_string());
        }
    };
    let current = action.status;
    view! {
        <li class="action" class:overdue=overdue.is_some() class:closed=!current.is_live()>
            <div class="action-head">
                <span class="pupil">{pupil}</span>
                <span class="muted">{year_group}" · "{action.item_type.label()}</span>
                {overdue.map(|days| view! { <span class="badge overdue">{overdue_text(days)}</span> })}
                {action.escalate.then(|| view! { <span class="badge escalate">"Needs escalation"</span> })}
            </div>
            <p class="next-step">{action.next_step.clone()}</p>
            {(!action.decision.is_empty()).then(|| view! {
                <p class="decision"><span class="muted">"Decision: "</span>{action.decision.clone()}</p>
            })}
            <dl class="facts">
                <div><dt>"Owner"</dt><dd>{action.owner.clone()}</dd></div>
                <div><dt>"Due"</dt><dd>{dates::uk(action.due)}</dd></div>
                <div><dt>"Raised"</dt><dd>{dates::uk(action.raised)}</dd></div>
                {action.next_review.map(|d| view! { <div><dt>"Next review"</dt><dd>{dates::uk(d)}</dd></div> })}
                {(!action.evidence.is_empty()).then(|| view! {
                    <div><dt>"Evidence or note"</dt><dd>{action.evidence.clone()}</dd></div>
                })}
            </dl>
            <div class="statuses" role="group" aria-label=format!("Status of: {step}")>
                {Status::ALL.iter().map(|&status| view! {
                    <button type="button" class="status" class:on=status == current
                        aria-pressed=(status == current).to_string()
                        on:click=move |_| set_status(status)>
                        {status.short_label()}
                    </button>
                }).collect_view()}
            </div>
            <p class="last-update muted">
                "Last update "{dates::uk(action.last_update.at.with_timezone(&chrono::Local).date_naive())}
                ": "{action.last_update.note.clone()}
            </p>
        </li>
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
