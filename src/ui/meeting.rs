//! A meeting in progress. It opens with the pupil's live actions from before — each marked done
//! with evidence, moved to a later date, re-assigned, or left as it is — then the actions agreed
//! now, and the working notes, which are kept apart and never counted as actions.

use super::action_card::{overdue_text, step_and_decision};
use super::action_form::{AddAction, OwnersUsed, Place};
use super::edit_action::EditAction;
use super::one_writer;
use super::route::Route;
use super::state::AppState;
use super::widgets::DateInput;
use super::widgets::{choice_select_then, not_on_this_device};
use crate::core::meeting::names_in;
use crate::core::record::{MeetingEdit, Refusal, Review};
use crate::core::Kind;
use crate::core::{dates, draft, query};
use crate::core::{ActionId, Choice, MeetingId, MeetingType};
use crate::store::device;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

/// Working notes are saved this long after the last keystroke (and at once when the box is left).
const NOTES_PAUSE: Duration = Duration::from_millis(600);

#[component]
pub fn MeetingScreen(id: MeetingId) -> impl IntoView {
    let state = AppState::get();
    // Until its read-back is reached, Home offers to continue it.
    if state.peek(|r| r.meeting(id).is_some()) {
        device::keep_left_open(Some(id));
    }
    // Only what the heading shows: saving the working notes must not rebuild the screen (and
    // lose a half-typed action).
    let meeting = Memo::new(move |_| {
        state.read(&Kind::ALL, |r| {
            r.meeting(id).map(|m| {
                let mut heading = m.clone();
                heading.working_notes.clear();
                heading.updated_at = chrono::DateTime::UNIX_EPOCH;
                heading
            })
        })
    });
    // The screen is drawn again only when the meeting comes or goes: a change to its date, who
    // was there or the summary changes just the heading's text.
    let here = Memo::new(move |_| meeting.with(|m| m.as_ref().map(|m| m.pupil)));
    move || match here.get() {
        None => not_on_this_device("meeting").into_any(),
        Some(pupil_id) => {
            let pupil = state
                .peek(|r| {
                    r.pupil(pupil_id)
                        .map(|p| (p.name.clone(), p.year_group.label()))
                })
                .unwrap_or_else(|| ("Unknown pupil".into(), ""));
            let place = Place::Meeting {
                pupil: pupil_id,
                meeting: id,
            };
            let name = pupil.0.clone();
            let heading = move || {
                meeting.with(|m| {
                    m.as_ref()
                        .map(|m| format!("{} — {}", m.meeting_type.label(), name))
                        .unwrap_or_default()
                })
            };
            let year = pupil.1;
            let with = move || {
                meeting.with(|m| {
                    let Some(m) = m else {
                        return String::new();
                    };
                    let with = if m.attendees.is_empty() {
                        String::new()
                    } else {
                        format!(" · With {}", m.attendees.join(", "))
                    };
                    format!("{year} · {}{with}", dates::uk(m.date))
                })
            };
            let summary =
                move || meeting.with(|m| m.as_ref().map(|m| m.summary.clone()).unwrap_or_default());
            view! {
                <section class="card meeting-head" aria-labelledby="meeting-heading">
                    <h2 id="meeting-heading">{heading}</h2>
                    <p class="muted">{with}</p>
                    <Show when=move || !summary().is_empty()>
                        <p class="summary">{summary}</p>
                    </Show>
                    <MeetingDetails meeting=id />
                </section>
                // Side by side on a tablet held sideways: what was agreed before, and the form.
                <div class="meeting-columns">
                    <EarlierActions meeting=id pupil_name=pupil.0.clone() />
                    <section class="card" aria-labelledby="agreed-heading">
                        <h2 id="agreed-heading">"Agree actions"</h2>
                        <AgreedSoFar meeting=id />
                        <AddAction place heading="Add an agreed action" />
                    </section>
                </div>
                <WorkingNotes meeting=id />
                <div class="finish">
                    <a class="button primary big" href=Route::Agreed(id).href()>"Finish meeting"</a>
                    <p class="hint">"Shows what was agreed, to read back before everyone leaves."</p>
                </div>
            }
            .into_any()
        }
    }
}

/// The meeting's date, type, who was there and its summary, changed while it goes on (the wrong
/// date or type was picked, someone arrives late, the summary is written at the end). The type
/// is stored when chosen, who was there and the summary as they are typed (as working notes
/// are); the date when **Move the meeting** is tapped, since the actions raised at it move with
/// it.
#[component]
fn MeetingDetails(meeting: MeetingId) -> impl IntoView {
    let state = AppState::get();
    let (held, kind, attendees, summary) = state
        .peek(|r| {
            r.meeting(meeting).map(|m| {
                (
                    dates::iso(m.date),
                    m.meeting_type.code().to_string(),
                    m.attendees.join(", "),
                    m.summary.clone(),
                )
            })
        })
        .unwrap_or_default();
    let held = RwSignal::new(held);
    let moved = RwSignal::new(String::new());
    let move_meeting = move |_| {
        let date = match dates::parse_typed(&held.get_untracked(), "Meeting date") {
            Ok(Some(date)) => date,
            Ok(None) => {
                moved
                    .set("Choose the date the meeting was held, then tap Move the meeting.".into());
                return;
            }
            Err(wrong) => return moved.set(wrong),
        };
        moved.set(
            match state.change(|record, _, now| record.move_meeting(meeting, date, now)) {
                Ok(0) => format!("The meeting is on {}.", dates::uk_with_day(date)),
                Ok(actions) => format!(
                    "Moved to {}, with the {} raised at it.",
                    dates::uk_with_day(date),
                    if actions == 1 {
                        "action".to_string()
                    } else {
                        format!("{actions} actions")
                    }
                ),
                Err(problem) => problem.to_string(),
            },
        );
    };
    let kind = RwSignal::new(kind);
    let kind_changed = Callback::new(move |()| {
        if let Some(kind) = MeetingType::from_text(&kind.get_untracked()) {
            let edit = MeetingEdit::Type(kind);
            if let Err(problem) = state
                .change(|record, _, now| record.edit_meeting(meeting, edit, now).map(|t| ((), t)))
            {
                state.announcement.set(problem.to_string());
            }
        }
    });
    let attendees = saved_as_typed(state, meeting, "attendees", attendees, |text| {
        MeetingEdit::Attendees(names_in(&text))
    });
    let summary = saved_as_typed(state, meeting, "summary", summary, |text| {
        MeetingEdit::Summary(text.trim().to_string())
    });
    // Open, to show it, when what was typed in it is not saved yet.
    let unsaved =
        attendees.note.get_untracked().is_some() || summary.note.get_untracked().is_some();
    view! {
        <details class="meeting-details" open=unsaved>
            <summary>"Change the date, type, who was there or the summary"</summary>
            <div class="field">
                <label for="meeting-date-now">"Date of the meeting"</label>
                <DateInput id="meeting-date-now" value=held described_by="meeting-date-hint" />
                <p class="hint" id="meeting-date-hint">"The actions raised at the meeting move with it."</p>
                <button type="button" class="secondary" on:click=move_meeting>"Move the meeting"</button>
                <p class="hint" role="status">{move || moved.get()}</p>
            </div>
            <div class="field">
                <label for="meeting-type-now">"Type of meeting"</label>
                {choice_select_then::<MeetingType>("meeting-type-now", kind, kind_changed)}
            </div>
            <div class="field">
                <label for="meeting-attendees">"Who was there (names or roles, separated by commas)"</label>
                <input id="meeting-attendees" type="text" autocomplete="off"
                    aria-describedby="meeting-attendees-note"
                    prop:value=attendees.initial on:input=attendees.on_input on:blur=attendees.on_blur />
                {box_note("meeting-attendees-note", attendees.note)}
            </div>
            <div class="field">
                <label for="meeting-summary-now">"Short summary"</label>
                <textarea id="meeting-summary-now" rows="2" aria-describedby="meeting-summary-note"
                    prop:value=summary.initial on:input=summary.on_input on:blur=summary.on_blur></textarea>
                {box_note("meeting-summary-note", summary.note)}
            </div>
        </details>
    }
}

/// The pupil's actions from before: live ones, and those already checked at this meeting.
#[component]
fn EarlierActions(meeting: MeetingId, pupil_name: String) -> impl IntoView {
    let state = AppState::get();
    let ids = Memo::new(move |_| state.read(&Kind::ALL, |r| r.to_check_at(meeting)));
    view! {
        <section class="card" aria-labelledby="earlier-heading">
            <h2 id="earlier-heading">
                {move || format!("Check earlier actions ({})", ids.with(Vec::len))}
            </h2>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty">{format!("{pupil_name} has no open actions from before.")}</p>
            </Show>
            <ul class="actions">
                <For each=move || ids.get() key=|id| *id let(action)>
                    <EarlierAction meeting action />
                </For>
            </ul>
        </section>
    }
}

/// What is open beneath an earlier action.
#[derive(Clone, Copy, PartialEq)]
enum Panel {
    Closed,
    Done,
    Move,
    Reassign,
}

#[component]
fn EarlierAction(meeting: MeetingId, action: ActionId) -> impl IntoView {
    let state = AppState::get();
    let row = Memo::new(move |_| state.read(&Kind::ALL, |r| r.action(action).cloned()));
    let outcome = Memo::new(move |_| {
        state.read(&Kind::ALL, |r| {
            r.reviewed_at(meeting)
                .into_iter()
                .rev()
                .find(|h| h.action == action)
                .map(|h| h.note.clone())
        })
    });
    let panel = RwSignal::new(Panel::Closed);
    let left = RwSignal::new(false);
    let evidence = RwSignal::new(String::new());
    let new_due = RwSignal::new(String::new());
    let new_owner = RwSignal::new(String::new());
    // The action's pupil, whose key adults the re-assign suggestions offer first.
    let pupil = Signal::derive(move || {
        row.with(|a| a.as_ref().map(|a| a.pupil.to_string()))
            .unwrap_or_default()
    });
    let problem = RwSignal::new(None::<String>);
    let key = action.to_string();
    let (evidence_id, due_id, owner_id, notes_id, list_id) = (
        format!("evidence-{key}"),
        format!("due-{key}"),
        format!("owner-{key}"),
        format!("notes-{key}"),
        format!("owners-{key}"),
    );

    let review = move |review: Review| {
        let result = state.change_undoably(|record, _, now| {
            record.review_announced(action, meeting, review, now)
        });
        match result {
            Ok(()) => {
                problem.set(None);
                panel.set(Panel::Closed);
            }
            Err(refusal) => problem.set(Some(refusal.to_string())),
        }
    };
    let step = move || row.with(|a| a.as_ref().map(|a| a.next_step.clone()).unwrap_or_default());
    let open = move |which: Panel| {
        problem.set(None);
        left.set(false);
        panel.update(|p| *p = if *p == which { Panel::Closed } else { which });
    };
    let notes_for = notes_id.clone();

    let overdue = move || row.with(|a| a.as_ref().and_then(|a| a.days_overdue(AppState::today())));
    let live = move || row.with(|a| a.as_ref().is_some_and(|a| a.status.is_live()));
    view! {
        <li class="action earlier" class:overdue=move || overdue().is_some() class:closed=move || !live()>
        {move || row.get().map(|a| view! {
            <div class="action-head">
                <span class="badge status-badge">{a.status.label()}</span>
                {overdue().map(|days| view! { <span class="badge overdue">{overdue_text(days)}</span> })}
                <span class="muted">"Raised "{dates::uk(a.raised)}</span>
            </div>
            {step_and_decision(&a)}
            <dl class="facts">
                <div><dt>"Owner"</dt><dd>{state.peek(|r| query::owner_shown(r, &a).into_owned())}</dd></div>
                <div><dt>"Due"</dt><dd>{dates::uk(a.due)}</dd></div>
                {(!a.evidence.is_empty()).then(|| view! {
                    <div><dt>"Evidence"</dt><dd>{a.evidence.clone()}</dd></div>
                })}
            </dl>
        })}
        <div class="review" role="group" aria-label=move || format!("Check: {}", step())>
            {move || outcome.get().map(|note| view! { <p class="outcome">"✓ "{note}</p> })}
            {move || left.get().then(|| view! { <p class="outcome">"Left as it is."</p> })}
            <div class="review-buttons" class:hidden=move || !live()>
                <button type="button" aria-expanded=move || (panel.get() == Panel::Done).to_string()
                    on:click=move |_| open(Panel::Done)>"Mark done"</button>
                <button type="button" aria-expanded=move || (panel.get() == Panel::Move).to_string()
                    on:click=move |_| open(Panel::Move)>"New date"</button>
                <button type="button" aria-expanded=move || (panel.get() == Panel::Reassign).to_string()
                    on:click=move |_| open(Panel::Reassign)>"Re-assign"</button>
                <button type="button" on:click=move |_| { panel.set(Panel::Closed); left.set(true); }>
                    "Leave as it is"
                </button>
            </div>
            {
                let (evidence_id, due_id, owner_id, notes_id, list_id) =
                    (evidence_id.clone(), due_id.clone(), owner_id.clone(), notes_id.clone(), list_id.clone());
                move || match panel.get() {
                    Panel::Closed => ().into_any(),
                    Panel::Done => {
                        let id = evidence_id.clone();
                        view! {
                            <div class="panel">
                                <label for=id.clone()>"Evidence or outcome"</label>
                                <textarea id=id rows="2" aria-describedby=notes_id.clone()
                                    prop:value=move || evidence.get()
                                    on:input=move |ev| evidence.set(event_target_value(&ev))></textarea>
                                <button type="button" class="primary" on:click=move |_| {
                                    review(Review::Done { evidence: evidence.get_untracked() })
                                }>"Confirm done"</button>
                            </div>
                        }.into_any()
                    }
                    Panel::Move => {
                        let id = due_id.clone();
                        view! {
                            <div class="panel">
                                <label for=id.clone()>"New due date"</label>
                                <DateInput id=id value=new_due quick=true />
                                <button type="button" class="primary" on:click=move |_| {
                                    match dates::parse_typed(&new_due.get_untracked(), "New due date") {
                                        Ok(Some(due)) => review(Review::Moved { due }),
                                        Ok(None) => problem.set(Some("Choose the new date: tap a quick date or pick one.".into())),
                                        Err(wrong) => problem.set(Some(wrong)),
                                    }
                                }>"Move to this date"</button>
                            </div>
                        }.into_any()
                    }
                    Panel::Reassign => {
                        let id = owner_id.clone();
                        view! {
                            <div class="panel">
                                <label for=id.clone()>"New owner"</label>
                                <input id=id type="text" autocomplete="off" list=list_id.clone()
                                    aria-describedby=notes_id.clone()
                                    prop:value=move || new_owner.get()
                                    on:input=move |ev| new_owner.set(event_target_value(&ev)) />
                                <OwnersUsed list_id=list_id.clone() pupil=pupil
                                    pick=Callback::new(move |owner: String| new_owner.set(owner)) />
                                <button type="button" class="primary" on:click=move |_| {
                                    review(Review::Reassigned { owner: new_owner.get_untracked() })
                                }>"Re-assign"</button>
                            </div>
                        }.into_any()
                    }
                }
            }
            <div id=notes_for class="field-notes" aria-live="polite">
                {move || problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
            </div>
        </div>
        </li>
    }
}

/// The actions agreed in this meeting so far, each editable (a typo put right before the
/// read-back).
#[component]
fn AgreedSoFar(meeting: MeetingId) -> impl IntoView {
    let state = AppState::get();
    let agreed = Memo::new(move |_| {
        state.read(&Kind::ALL, |r| {
            r.actions_of_meeting(meeting)
                .into_iter()
                .map(|a| (a.id, a.next_step.clone(), a.owner.clone(), a.due))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || agreed.with(|a| !a.is_empty())>
            <ol class="agreed-so-far" aria-label="Agreed so far">
                <For each=move || agreed.get() key=|row| row.clone() let((id, step, owner, due))>
                    <AgreedRow id step owner due />
                </For>
            </ol>
        </Show>
    }
}

/// One action agreed so far, with Edit to open the edit form beneath it.
#[component]
fn AgreedRow(id: ActionId, step: String, owner: String, due: chrono::NaiveDate) -> impl IntoView {
    let editing = RwSignal::new(false);
    let label = format!("Edit: {step}");
    view! {
        <li>
            <strong>{step}</strong>" — "{owner}", by "{dates::uk(due)}" "
            <button type="button" class="secondary" aria-label=label
                aria-expanded=move || editing.get().to_string()
                on:click=move |_| editing.update(|open| *open = !*open)>"Edit"</button>
            <Show when=move || editing.get()>
                <EditAction id closed=Callback::new(move |()| editing.set(false)) />
            </Show>
        </li>
    }
}

/// Working notes ("early thoughts"): kept with the meeting, looking unlike an action, saved as
/// they are typed, never counted as an action.
#[component]
fn WorkingNotes(meeting: MeetingId) -> impl IntoView {
    let state = AppState::get();
    let stored = state
        .peek(|r| r.meeting(meeting).map(|m| m.working_notes.clone()))
        .unwrap_or_default();
    let notes = saved_as_typed(state, meeting, "notes", stored, MeetingEdit::WorkingNotes);
    view! {
        <section class="card working-notes" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Working notes"</h2>
            <p class="hint" id="notes-hint">
                "Early thoughts, kept with this meeting. They are not actions: they are never counted as actions or shown in the tracker."
            </p>
            <label for="working-notes" class="visually-hidden">"Working notes"</label>
            <textarea id="working-notes" rows="4" aria-describedby="notes-hint working-notes-note"
                prop:value=notes.initial on:input=notes.on_input on:blur=notes.on_blur></textarea>
            {box_note("working-notes-note", notes.note)}
        </section>
    }
}

/// A text box of a meeting saved as it is typed ([`saved_as_typed`]).
struct TypedBox<I, B> {
    /// What the box starts with: the meeting's text, or what was typed and kept unsaved.
    initial: String,
    /// What to say beside the box when its text was not saved.
    note: RwSignal<Option<String>>,
    on_input: I,
    on_blur: B,
}

/// Handlers that save a text box of a meeting as it is typed: after a pause, when the box is
/// left, when the app is hidden or the page closed, and when the screen goes. The text waiting
/// to be saved is held outside the screen's signals, so it is still saved if the screen is left
/// before the pause is over. `edit` makes the text a change to the meeting; unchanged text
/// writes nothing, so saving again is harmless.
///
/// While SEND Log is open in another tab, what is typed is refused and kept on the device
/// instead ([`one_writer::keep`]), keystroke by keystroke, with a note beside the box; the box
/// shows it again when it is next shown, and saves it once the tab may change the record.
fn saved_as_typed(
    state: AppState,
    meeting: MeetingId,
    field: &'static str,
    stored: String,
    edit: fn(String) -> MeetingEdit,
) -> TypedBox<impl Fn(leptos::ev::Event) + 'static, impl Fn(leptos::ev::FocusEvent) + 'static> {
    let place = Rc::new(draft::meeting_box(meeting, field));
    let kept = one_writer::kept(state, &place);
    let note = RwSignal::new(None::<String>);
    let typed = Rc::new(RefCell::new(kept.clone()));
    // Whether what was kept for this box is being put back: once saved, it is forgotten. (Only
    // then: the other tab may be keeping text for this box meanwhile.)
    let picking_up = Rc::new(Cell::new(kept.is_some()));
    let keystrokes = Rc::new(Cell::new(0u64));
    let holding = Rc::new(Cell::new(false));
    let save = {
        let (typed, holding) = (Rc::clone(&typed), Rc::clone(&holding));
        let picking_up = Rc::clone(&picking_up);
        Rc::new(move || {
            if let Some(text) = typed.borrow_mut().take() {
                let saved = state.change(|record, _, now| {
                    record
                        .edit_meeting(meeting, edit(text.clone()), now)
                        .map(|t| ((), t))
                });
                note.set(match saved {
                    Ok(()) => {
                        if picking_up.replace(false) {
                            one_writer::saved(state, &place);
                        }
                        None
                    }
                    Err(Refusal::NotHere(_)) => Some(one_writer::keep(state, &place, &text).into()),
                    Err(refusal) => Some(refusal.to_string()),
                });
            }
            if holding.replace(false) {
                state.release();
            }
        })
    };
    if kept.is_some() {
        // Kept from a tab that could not save it: saved now if this one may (after the screen
        // is drawn), otherwise shown as not saved.
        if state.elsewhere.get_untracked() {
            note.set(Some(one_writer::NOT_SAVED_HERE.into()));
        } else {
            let save = SendWrapper::new(Rc::clone(&save));
            request_animation_frame(move || {
                save();
            });
        }
    }
    let on_input = {
        let save = Rc::clone(&save);
        move |ev: leptos::ev::Event| {
            *typed.borrow_mut() = Some(event_target_value(&ev));
            if state.elsewhere.get_untracked() {
                // Refused and kept at once: nothing waits for a pause that cannot save.
                save();
                return;
            }
            if !holding.replace(true) {
                state.hold();
            }
            let this = keystrokes.get() + 1;
            keystrokes.set(this);
            let (save, keystrokes) = (Rc::clone(&save), Rc::clone(&keystrokes));
            set_timeout(
                move || {
                    if keystrokes.get() == this {
                        save()
                    }
                },
                NOTES_PAUSE,
            );
        }
    };
    let on_blur = {
        let save = Rc::clone(&save);
        move |_: leptos::ev::FocusEvent| save()
    };
    let hidden = {
        let save = Rc::clone(&save);
        window_event_listener(leptos::ev::visibilitychange, move |_| save())
    };
    let closing = {
        let save = Rc::clone(&save);
        window_event_listener(leptos::ev::pagehide, move |_| save())
    };
    let flush = SendWrapper::new(save);
    on_cleanup(move || {
        flush();
        hidden.remove();
        closing.remove();
    });
    TypedBox {
        initial: kept.unwrap_or(stored),
        note,
        on_input,
        on_blur,
    }
}

/// The note beside a box saved as it is typed, when its text was not saved.
fn box_note(id: &'static str, note: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <div id=id class="field-notes" aria-live="polite">
            {move || note.get().map(|n| view! { <p class="note refusal">{n}</p> })}
        </div>
    }
}
