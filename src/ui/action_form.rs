//! The form that adds an action, with the row guards shown beside the fields as they are typed,
//! and the boxes it shares with the form that edits one ([`row_boxes`]). On the home screen it
//! adds a stand-alone item for any pupil; in a meeting the pupil and the meeting are fixed and
//! only the row's own fields are asked for.

use super::form_state::ActionForm;
use super::pupil_picker::PupilPicker;
use super::state::AppState;
use super::widgets::{choice_select_noted, DateInput, FieldNotes};
use crate::core::guard::Verdict;
use crate::core::key_adults;
use crate::core::record::Refusal;
use crate::core::Kind;
use crate::core::{dates, draft};
use crate::core::{Field, ItemType, MeetingId, PupilId, Status};
use crate::store::device;
use leptos::html;
use leptos::prelude::*;

/// Where the form adds its rows: any pupil, or one meeting's pupil.
#[derive(Clone, Copy, PartialEq)]
pub enum Place {
    /// The home screen: any pupil, any meeting or none.
    Anywhere,
    /// In a meeting: its pupil, its date (as it is now) as the date raised.
    Meeting { pupil: PupilId, meeting: MeetingId },
}

impl Place {
    /// Where this form's draft is kept (see [`store::device::draft`]).
    fn draft_place(self) -> String {
        match self {
            Place::Anywhere => draft::ANYWHERE.into(),
            Place::Meeting { meeting, .. } => draft::in_meeting(meeting),
        }
    }
}

#[component]
pub fn AddAction(place: Place, heading: &'static str) -> impl IntoView {
    let state = AppState::get();
    let form = match place {
        Place::Anywhere => ActionForm::new(None, None, AppState::today()),
        Place::Meeting { pupil, meeting } => {
            let form = ActionForm::new(Some(pupil), Some(meeting), AppState::today());
            // Raised on the meeting's date, which can be put right while the form is open.
            Effect::new(move |_| {
                let held = state.read(&[Kind::Meetings], |r| r.meeting(meeting).map(|m| m.date));
                if let Some(held) = held.map(dates::iso) {
                    if form.raised.with_untracked(|raised| *raised != held) {
                        form.raised.set(held);
                    }
                }
            });
            form
        }
    };
    let in_meeting = matches!(place, Place::Meeting { .. });
    // What was typed and not added is kept on this device, and comes back after a reload or a
    // trip to another screen, until it is added or emptied.
    let draft_place = place.draft_place();
    let restored = RwSignal::new(
        device::draft(&draft_place)
            .is_some_and(|draft| form.restore(&draft, if in_meeting { 3 } else { 0 })),
    );
    // A draft's pupil or meeting may have gone since (an import undone, say).
    if restored.get_untracked() && !in_meeting {
        if !form
            .pupil
            .with_untracked(|id| state.peek(|r| draft::pupil_on_record(r, id)))
        {
            form.pupil.set(String::new());
        }
        if !form
            .meeting
            .with_untracked(|id| state.peek(|r| draft::meeting_on_record(r, id)))
        {
            form.meeting.set(String::new());
        }
    }
    Effect::new(move |_| {
        let draft = form.as_draft();
        if draft.is_none() {
            restored.set(false);
        }
        device::keep_draft(&draft_place, draft.as_deref());
    });
    let verdict = Memo::new(move |_| {
        let (draft, boxes) = form.draft();
        boxes.check(&draft, AppState::today())
    });
    let refusal = RwSignal::new(None::<String>);
    let decision_box = NodeRef::<html::Textarea>::new();

    let after_add =
        move |result: Result<(), Refusal>, added: &crate::core::ActionDraft| match result {
            Ok(()) => {
                refusal.set(None);
                form.clear_row(added);
                if let Some(decision) = decision_box.get_untracked() {
                    let _ = decision.focus();
                }
            }
            Err(problem) => refusal.set(Some(refusal_text(&problem))),
        };
    // A date box that cannot be read (a year like 0001) stops the add, saying which and why.
    let readable = move |form: ActionForm| {
        let (draft, boxes) = form.draft_untracked();
        match boxes.first_problem() {
            Some(problem) => {
                refusal.set(Some(format!(
                    "Not added yet — {problem} Everything you typed is still here."
                )));
                None
            }
            None => Some(draft),
        }
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.attempted.set(true);
        let Some(draft) = readable(form) else {
            return;
        };
        let result = state.change_undoably(|record, today, now| {
            record.add_announced(std::slice::from_ref(&draft), today, now)
        });
        after_add(result, &draft);
    };
    let split = Callback::new(move |()| {
        let Some(draft) = readable(form) else {
            return;
        };
        let Some(rows) = draft.split_by_owner() else {
            return;
        };
        let result =
            state.change_undoably(|record, today, now| record.add_announced(&rows, today, now));
        after_add(result, &draft);
    });
    let touch = move |field: Field| Callback::new(move |()| form.touch(field));
    let ids = Ids::new("");
    view! {
        <form class="add-action" on:submit=add on:keydown=no_enter_submit novalidate aria-label=heading>
            <Show when=move || restored.get()>
                <p class="note warning kept-draft" role="status">"Kept from before: this action is not added yet. Check it, then tap Add action."</p>
            </Show>
            {(!in_meeting).then(|| view! {
                <div class="field">
                    <label for="pupil">"Pupil"</label>
                    <PupilPicker id="pupil" value=form.pupil described_by="pupil-notes" />
                    <FieldNotes id="pupil-notes" notes=form.notes(verdict, Field::Pupil) />
                </div>
                <div class="grid">
                    <div class="field">
                        <label for="raised">"Date raised"</label>
                        <DateInput id="raised" value=form.raised described_by="raised-notes"
                            on_input=touch(Field::Raised) />
                        <FieldNotes id="raised-notes" notes=form.notes(verdict, Field::Raised) />
                    </div>
                    <div class="field">
                        <label for="meeting">"From meeting"</label>
                        <MeetingSelect pupil=form.pupil value=form.meeting />
                    </div>
                    <div class="field">
                        <label for="status">"Status"</label>
                        {choice_select_noted::<Status>("status", form.status, "status-carried", touch(Field::Status))}
                        {carried_note("status-carried".into(), form.carried_note(Field::Status))}
                    </div>
                </div>
            })}
            {row_boxes(form, verdict, ids, Some(split), Some(decision_box), false)}
            {move || refusal.get().map(|text| view! {
                <p class="refused" role="alert">{text}</p>
            })}
            <button type="submit" class="primary">"Add action"</button>
        </form>
    }
}

/// The ids of one form's boxes: the add form's as they are ("owner"), an edit form's with a
/// prefix of its own, so that several forms can be on one screen.
#[derive(Clone)]
pub(super) struct Ids(String);

impl Ids {
    pub fn new(prefix: &str) -> Ids {
        Ids(prefix.to_string())
    }

    /// The id of the box (or note) called `name` in this form.
    pub fn of(&self, name: &str) -> String {
        format!("{}{name}", self.0)
    }
}

/// The boxes every action form shows, adding or editing, with the guards' notes beside them:
/// the decision, the action, the owner (and the split, when `split` is given), the due date,
/// the item type, and the evidence, next review and escalation (shown at once when
/// `more_open`). What a box inherits from the action added last is said beside it.
pub(super) fn row_boxes(
    form: ActionForm,
    verdict: Memo<Verdict>,
    ids: Ids,
    split: Option<Callback<()>>,
    decision_box: Option<NodeRef<html::Textarea>>,
    more_open: bool,
) -> impl IntoView {
    let touch = move |field: Field| Callback::new(move |()| form.touch(field));
    let id = move |name: &str| ids.of(name);
    let decision_box = decision_box.unwrap_or_default();
    let split_offered = move || split.is_some() && verdict.with(|v| v.split.is_some());
    view! {
        <div class="field">
            <label for=id("decision")>"Issue or decision"</label>
            <p class="hint" id=id("decision-hint")>"What was agreed, in a sentence."</p>
            <textarea id=id("decision") rows="2" node_ref=decision_box
                aria-describedby=format!("{} {}", id("decision-hint"), id("decision-notes"))
                prop:value=move || form.decision.get()
                on:input=move |ev| { form.decision.set(event_target_value(&ev)); form.touch(Field::Decision); }
            ></textarea>
            <FieldNotes id=id("decision-notes") notes=form.notes(verdict, Field::Decision) />
        </div>

        <div class="field">
            <label for=id("next-step")>"Action"</label>
            <p class="hint" id=id("next-step-hint")>"The next step: specific, and checkable later."</p>
            <textarea id=id("next-step") rows="2"
                aria-describedby=format!("{} {}", id("next-step-hint"), id("next-step-notes"))
                prop:value=move || form.next_step.get()
                on:input=move |ev| { form.next_step.set(event_target_value(&ev)); form.touch(Field::NextStep); }
            ></textarea>
            <FieldNotes id=id("next-step-notes") notes=form.notes(verdict, Field::NextStep) />
        </div>

        <div class="field">
            <label for=id("owner")>"Owner"</label>
            <p class="hint" id=id("owner-hint")>"One named person or role."</p>
            <input id=id("owner") type="text" list=id("owners-used") autocomplete="off"
                aria-describedby=format!("{} {}", id("owner-hint"), id("owner-notes"))
                prop:value=move || form.owner.get()
                on:input=move |ev| { form.owner.set(event_target_value(&ev)); form.touch(Field::Owner); }
            />
            <OwnersUsed list_id=id("owners-used") pupil=form.pupil pick=Callback::new(move |owner: String| {
                form.owner.set(owner);
                form.touch(Field::Owner);
            }) />
            <FieldNotes id=id("owner-notes") notes=form.notes(verdict, Field::Owner) />
            <Show when=split_offered>
                <button type="button" class="secondary split" on:click=move |_| {
                    if let Some(split) = split { split.run(()) }
                }>
                    {move || verdict.with(|v| {
                        let owners = v.split.clone().unwrap_or_default();
                        format!("Split into {} actions: {}", owners.len(), owners.join(", "))
                    })}
                </button>
            </Show>
        </div>

        <div class="grid">
            <div class="field">
                <label for=id("due")>"Due or review date"</label>
                <DateInput id=id("due") value=form.due quick=true
                    described_by=format!("{} {}", id("due-notes"), id("due-carried"))
                    on_input=touch(Field::Due) />
                {carried_note(id("due-carried"), form.carried_note(Field::Due))}
                <FieldNotes id=id("due-notes") notes=form.notes(verdict, Field::Due) />
            </div>
            <div class="field">
                <label for=id("item-type")>"Item type"</label>
                {choice_select_noted::<ItemType>(id("item-type"), form.item_type, id("item-type-carried"), touch(Field::ItemType))}
                {carried_note(id("item-type-carried"), form.carried_note(Field::ItemType))}
            </div>
        </div>

        <details class="more-fields" open=more_open>
            <summary>"Evidence, next review, escalation"</summary>
            <div class="field">
                <label for=id("evidence")>"Evidence or note"</label>
                <textarea id=id("evidence") rows="2"
                    prop:value=move || form.evidence.get()
                    on:input=move |ev| form.evidence.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div class="field">
                <label for=id("next-review")>"Next review date"</label>
                <DateInput id=id("next-review") value=form.next_review described_by=id("next-review-notes")
                    on_input=touch(Field::NextReview) />
                <FieldNotes id=id("next-review-notes") notes=form.notes(verdict, Field::NextReview) />
            </div>
            <div class="field check">
                <input id=id("escalate") type="checkbox"
                    prop:checked=move || form.escalate.get()
                    on:change=move |ev| form.escalate.set(event_target_checked(&ev)) />
                <label for=id("escalate")>"Needs escalation"</label>
            </div>
        </details>
    }
}

/// "Same as the last: Fri 4 Dec 2026" beside a box that holds what the last action had; empty
/// (but there, for the box's aria-describedby) once the person changes it.
fn carried_note(id: String, note: Signal<String>) -> impl IntoView {
    view! {
        <p id=id class="hint inherited" aria-live="polite">{move || note.get()}</p>
    }
}

/// Return in a box of an action form never submits it (it would add, or save, a row half
/// checked): only the form's button does. A text area still takes Return as a new line.
pub(super) fn no_enter_submit(ev: leptos::ev::KeyboardEvent) {
    use leptos::wasm_bindgen::JsCast;
    let in_a_box = ev
        .target()
        .is_some_and(|t| t.dyn_ref::<web_sys::HtmlInputElement>().is_some());
    if ev.key() == "Enter" && in_a_box {
        ev.prevent_default();
    }
}

fn refusal_text(problem: &Refusal) -> String {
    match problem {
        Refusal::Row(_) => {
            format!("Not added yet — {problem} Everything you typed is still here.")
        }
        other => format!("Not added: {other}"),
    }
}

/// Picks the meeting the action came from, among the pupil's meetings; none for a stand-alone item.
#[component]
fn MeetingSelect(pupil: RwSignal<String>, value: RwSignal<String>) -> impl IntoView {
    let state = AppState::get();
    let meetings = Memo::new(move |_| {
        let pupil = PupilId::parse(&pupil.get());
        state.read(&[Kind::Meetings], |r| {
            r.meetings()
                .iter()
                .filter(|m| Some(m.pupil) == pupil)
                .map(|m| {
                    (
                        m.id.to_string(),
                        format!("{} — {}", dates::uk(m.date), m.meeting_type),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <select id="meeting" on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="" prop:selected=move || value.get().is_empty()>"None — a stand-alone item"</option>
            <For each=move || meetings.get() key=|(id, _)| id.clone() let((id, label))>
                {
                    let chosen = id.clone();
                    view! { <option value=id prop:selected=move || value.get() == chosen>{label}</option> }
                }
            </For>
        </select>
    }
}

/// Owner suggestions, as typed and as the first six one-tap chips, in one order that does not
/// move as owners are used: the pupil's key adults first ("Class teacher (Mrs Patel)"), when
/// `pupil` (a pupil's id as a form holds it) names one, then the owners already used,
/// alphabetically.
#[component]
pub fn OwnersUsed(
    #[prop(into)] list_id: String,
    pick: Callback<String>,
    #[prop(optional, into)] pupil: Option<Signal<String>>,
) -> impl IntoView {
    let state = AppState::get();
    let used = state.owners;
    let adults = Memo::new(move |_| {
        let id = pupil.and_then(|p| PupilId::parse(&p.get()));
        state.read(&[Kind::Pupils], |r| {
            id.and_then(|id| r.pupil(id))
                .map(|p| p.key_adults.clone())
                .unwrap_or_default()
        })
    });
    let owners =
        Memo::new(move |_| used.with(|used| adults.with(|a| key_adults::suggestions(a, used))));
    view! {
        <datalist id=list_id>
            {move || owners.get().into_iter().map(|o| view! { <option value=o></option> }).collect_view()}
        </datalist>
        <Show when=move || owners.with(|o| !o.is_empty())>
            <div class="quick-picks" role="group" aria-label="Owners already used">
                {move || owners.get().into_iter().take(6).map(|owner| {
                    let chosen = owner.clone();
                    view! {
                        <button type="button" class="chip" on:click=move |_| pick.run(chosen.clone())>
                            {owner}
                        </button>
                    }
                }).collect_view()}
            </div>
        </Show>
    }
}
