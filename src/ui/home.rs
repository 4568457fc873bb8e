//! The home screen: on a new device a welcome with the example record; a reminder to keep a copy
//! of the record; today's meetings and one left unfinished, to continue; start a meeting, add a
//! stand-alone action, and the actions newest first, each with its status changed in one tap.

use super::action_card::{days_overdue_text, Page, RowList};
use super::action_form::{AddAction, Place};
use super::backup::BackupReminder;
use super::drafts::DraftsKept;
use super::pupil_picker::PupilPicker;
use super::route::Route;
use super::state::AppState;
use super::welcome::Welcome;
use super::widgets::{choice_select, DateInput};
use crate::core::dates;
use crate::core::draft;
use crate::core::meeting::names_in;
use crate::core::query::{self, to_resume};
use crate::core::record::NewMeeting;
use crate::core::Kind;
use crate::core::{Choice, MeetingType, PupilId};
use crate::store::device;
use leptos::prelude::*;

/// People who are often at a meeting, offered as one-tap choices.
const USUAL_ATTENDEES: &[&str] = &[
    "Parent or carer",
    "SENCO",
    "Class teacher",
    "Pupil",
    "Teaching assistant",
];

#[component]
pub fn HomeScreen() -> impl IntoView {
    view! {
        <Welcome />
        <BackupReminder />
        <StartMeeting />
        <ThisWeek />
        <AddHere />
        <ActionList />
    }
}

/// Starts a meeting: the first tap opens this form, the second starts the meeting.
/// The form for an action outside a meeting, one tap away: open from the start only while the
/// record has no actions yet or an action is half typed.
#[component]
fn AddHere() -> impl IntoView {
    let state = AppState::get();
    let open = state.peek(|r| r.actions().is_empty()) || device::draft(draft::ANYWHERE).is_some();
    view! {
        <section class="card" aria-labelledby="add-heading">
            <details class="add-action" open=open>
                <summary><h2 id="add-heading">"Add an action"</h2></summary>
                <p class="hint">"A stand-alone item, or one for a meeting that has already happened."</p>
                <AddAction place=Place::Anywhere heading="Add an action" />
                <DraftsKept />
            </details>
        </section>
    }
}

/// What is overdue and what is due by Friday, a line each: what a SENCO looks at first. Each line
/// goes to the pupil's page; the statuses are changed there, in the tracker or in the review.
#[component]
fn ThisWeek() -> impl IntoView {
    let state = AppState::get();
    let today = AppState::today();
    let due = Memo::new(move |_| {
        state.read(&[Kind::Actions, Kind::Pupils], |r| {
            let positions = query::due_by_friday(r, today);
            let lines = positions
                .iter()
                .take(DUE_LINES)
                .filter_map(|&at| {
                    let a = r.actions().get(at)?;
                    let name = r.pupil(a.pupil).map(|p| p.name.clone()).unwrap_or_default();
                    Some((
                        a.pupil,
                        name,
                        a.next_step.clone(),
                        a.due,
                        a.days_overdue(today),
                    ))
                })
                .collect::<Vec<_>>();
            (positions.len(), lines)
        })
    });
    let (_, friday) = query::school_week(today);
    view! {
        <Show when=move || due.with(|d| d.0 > 0)>
            <section class="card" aria-labelledby="week-heading">
                <h2 id="week-heading">
                    "Due this week "<span class="count-pill">{move || due.with(|d| d.0)}</span>
                </h2>
                <p class="hint">{format!("Overdue first, then due by Friday {}.", dates::uk(friday))}</p>
                <ul class="due-lines" aria-label="Due this week">
                    {move || due.with(|d| d.1.iter().map(|(pupil, name, step, when, overdue)| view! {
                        <li class="due-line">
                            <a href=Route::Pupil(*pupil).href()>{name.clone()}</a>
                            <span class="due-step">{step.clone()}</span>
                            <span class:overdue-days=overdue.is_some()>{match overdue {
                                Some(days) => days_overdue_text(*days),
                                None => format!("Due {}", dates::uk(*when)),
                            }}</span>
                        </li>
                    }).collect_view())}
                </ul>
                <p class="hint">
                    {move || due.with(|d| (d.0 > DUE_LINES).then(|| format!("And {} more. ", d.0 - DUE_LINES)))}
                    "The whole week is in the "<a href=Route::Review.href()>"review"</a>"."
                </p>
            </section>
        </Show>
    }
}

/// How many of this week's actions Home lists.
const DUE_LINES: usize = 8;

#[component]
fn StartMeeting() -> impl IntoView {
    let state = AppState::get();
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
        let date = match dates::parse_typed(&date.get_untracked(), "Meeting date") {
            Ok(date) => date.unwrap_or_else(AppState::today),
            Err(wrong) => return problem.set(Some(wrong)),
        };
        let mut attendees: Vec<String> = present
            .get_untracked()
            .into_iter()
            .map(String::from)
            .collect();
        attendees.extend(names_in(&others.get_untracked()));
        let new = NewMeeting {
            pupil,
            date,
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
            <ToResume />
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" class="primary big" on:click=move |_| open.set(true)>
                        "Start a meeting"
                    </button>
                }
            >
                <form on:submit=start novalidate aria-label="Start a meeting">
                    <div class="field">
                        <label for="meeting-pupil">"Pupil"</label>
                        <PupilPicker id="meeting-pupil" value=pupil described_by="meeting-pupil-notes" />
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

/// Today's meetings, and the one left open on this device without reaching its read-back, each
/// with **Continue**.
#[component]
fn ToResume() -> impl IntoView {
    let state = AppState::get();
    let left_open = device::left_open();
    let shown = Memo::new(move |_| {
        state.read(&[Kind::Meetings, Kind::Pupils], |r| {
            to_resume(r, AppState::today(), left_open)
        })
    });
    view! {
        <Show when=move || shown.with(|s| !s.is_empty())>
            <ul class="resume" aria-label="Meetings to continue">
                <For each=move || shown.get() key=|m| (m.meeting, m.unfinished) let:m>
                    <li class="resume-line">
                        <div class="resume-text">
                            <strong>{m.title.clone()}</strong>
                            <span class="muted">
                                {if m.unfinished {
                                    format!("Not finished · {}", dates::uk(m.date))
                                } else {
                                    "Today".to_string()
                                }}
                                {(!m.about.is_empty()).then(|| format!(" · {}", m.about))}
                            </span>
                        </div>
                        <div class="row">
                            <a class="button primary" href=Route::Meeting(m.meeting).href()
                                aria-label=format!("Continue: {}", m.title)>"Continue"</a>
                            {m.unfinished.then(|| view! {
                                <a class="button secondary" href=Route::Agreed(m.meeting).href()
                                    aria-label=format!("Finish: {}", m.title)>"Finish"</a>
                            })}
                        </div>
                    </li>
                </For>
            </ul>
        </Show>
    }
}

/// The actions, newest first, a page at a time.
#[component]
fn ActionList() -> impl IntoView {
    let state = AppState::get();
    let count = Memo::new(move |_| state.read(&[Kind::Actions], |r| r.actions().len()));
    let newest = Callback::new(move |limit: usize| {
        state.read(&[Kind::Actions], |r| Page {
            ids: r.actions().iter().rev().take(limit).map(|a| a.id).collect(),
            total: r.actions().len(),
        })
    });
    view! {
        <section class="card" aria-labelledby="list-heading">
            <h2 id="list-heading">"Actions"</h2>
            <Show when=move || count.get() == 0>
                <p class="empty">"No actions yet. Start a meeting, or add one above: it is stored on this device as soon as it is added."</p>
            </Show>
            <RowList rows=newest page=20 label="Newest actions" />
        </section>
    }
}
