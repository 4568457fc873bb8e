//! The form that adds an action, with the row guards shown beside the fields as they are typed.
//! On the home screen it adds a stand-alone item for any pupil; in a meeting the pupil and the
//! meeting are fixed and only the row's own fields are asked for.

use super::pupil_picker::PupilPicker;
use super::state::AppState;
use super::widgets::{choice_select, DateInput, FieldNotes};
use crate::core::guard::{Concern, Verdict};
use crate::core::key_adults;
use crate::core::record::Refusal;
use crate::core::typed::DateBoxes;
use crate::core::Kind;
use crate::core::{dates, draft};
use crate::core::{ActionDraft, Choice, Field, ItemType, MeetingId, PupilId, Status};
use crate::store::device;
use chrono::NaiveDate;
use leptos::html;
use leptos::prelude::*;

/// What the action form holds while it is typed. Everything typed stays until it is added.
#[derive(Clone, Copy)]
struct ActionForm {
    pupil: RwSignal<String>,
    raised: RwSignal<String>,
    meeting: RwSignal<String>,
    item_type: RwSignal<String>,
    decision: RwSignal<String>,
    next_step: RwSignal<String>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
    status: RwSignal<String>,
    evidence: RwSignal<String>,
    next_review: RwSignal<String>,
    escalate: RwSignal<bool>,
    /// Fields the person has typed in: their notes show as they type.
    touched: RwSignal<Vec<Field>>,
    /// "Add" was tapped: every field's notes show.
    attempted: RwSignal<bool>,
}

impl ActionForm {
    fn new(pupil: Option<PupilId>, meeting: Option<MeetingId>, raised: NaiveDate) -> Self {
        let text = |id: Option<String>| RwSignal::new(id.unwrap_or_default());
        ActionForm {
            pupil: text(pupil.map(|p| p.to_string())),
            raised: RwSignal::new(dates::iso(raised)),
            meeting: text(meeting.map(|m| m.to_string())),
            item_type: RwSignal::new(ItemType::FollowUp.code().into()),
            decision: RwSignal::new(String::new()),
            next_step: RwSignal::new(String::new()),
            owner: RwSignal::new(String::new()),
            due: RwSignal::new(String::new()),
            status: RwSignal::new(Status::Open.code().into()),
            evidence: RwSignal::new(String::new()),
            next_review: RwSignal::new(String::new()),
            escalate: RwSignal::new(false),
            touched: RwSignal::new(Vec::new()),
            attempted: RwSignal::new(false),
        }
    }

    /// The form read as a draft, with what is wrong with any date box that cannot be read.
    fn draft(&self) -> (ActionDraft, DateBoxes) {
        let mut boxes = DateBoxes::default();
        let draft = ActionDraft {
            pupil: PupilId::parse(&self.pupil.get()),
            raised: boxes.read(Field::Raised, &self.raised.get()),
            meeting: MeetingId::parse(&self.meeting.get()),
            item_type: ItemType::from_text(&self.item_type.get()),
            decision: self.decision.get(),
            next_step: self.next_step.get(),
            owner: self.owner.get(),
            due: boxes.read(Field::Due, &self.due.get()),
            status: Status::from_text(&self.status.get()),
            evidence: self.evidence.get(),
            next_review: boxes.read(Field::NextReview, &self.next_review.get()),
            escalate: self.escalate.get(),
        };
        (draft, boxes)
    }

    fn draft_untracked(&self) -> (ActionDraft, DateBoxes) {
        untrack(|| self.draft())
    }

    fn touch(&self, field: Field) {
        if !self.touched.with_untracked(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
    }

    /// After a row is added: clear what belongs to that row; keep the pupil, meeting and dates.
    fn clear_row(&self) {
        for text in [
            self.decision,
            self.next_step,
            self.owner,
            self.evidence,
            self.next_review,
        ] {
            text.set(String::new());
        }
        self.escalate.set(false);
        self.touched.set(Vec::new());
        self.attempted.set(false);
    }

    /// The fields a draft keeps, in the order it keeps them (then whether to escalate).
    fn kept(&self) -> [RwSignal<String>; draft::TEXT_CELLS] {
        [
            self.pupil,
            self.raised,
            self.meeting,
            self.item_type,
            self.decision,
            self.next_step,
            self.owner,
            self.due,
            self.status,
            self.evidence,
            self.next_review,
        ]
    }

    /// The form as a draft to keep (a JSON array of its fields), or `None` when nothing has been
    /// typed into it. Tracks every field.
    fn as_draft(&self) -> Option<String> {
        let typed = [self.decision, self.next_step, self.owner, self.evidence]
            .iter()
            .any(|text| text.with(|t| !t.trim().is_empty()));
        let cells = self.kept().map(|field| field.get());
        let escalate = self.escalate.get();
        typed.then(|| draft::encode(&cells, escalate))
    }

    /// Fills the form from a kept draft, but for the first `fixed` fields (a meeting's pupil,
    /// meeting and date raised are the meeting's). Says whether the draft could be read.
    fn restore(&self, draft: &str, fixed: usize) -> bool {
        let Some((cells, escalate)) = draft::decode(draft) else {
            return false;
        };
        for (field, cell) in self.kept().iter().zip(cells).skip(fixed) {
            field.set(cell);
        }
        self.escalate.set(escalate);
        true
    }

    /// The notes to show beside `field`: all of them once touched or after an attempt.
    fn notes(&self, verdict: Memo<Verdict>, field: Field) -> Signal<Vec<Concern>> {
        let form = *self;
        Signal::derive(move || {
            let shown = form.attempted.get() || form.touched.with(|t| t.contains(&field));
            if shown {
                verdict.with(|v| v.about(field).cloned().collect())
            } else {
                Vec::new()
            }
        })
    }
}

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

    let after_add = move |result: Result<(), Refusal>| match result {
        Ok(()) => {
            refusal.set(None);
            form.clear_row();
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
        let result =
            state.change_undoably(|record, today, now| record.add_announced(&[draft], today, now));
        after_add(result);
    };
    let split = move |_| {
        let Some(rows) = readable(form).and_then(|draft| draft.split_by_owner()) else {
            return;
        };
        let result =
            state.change_undoably(|record, today, now| record.add_announced(&rows, today, now));
        after_add(result);
    };
    let touch = move |field: Field| Callback::new(move |()| form.touch(field));

    view! {
        <form class="add-action" on:submit=add novalidate aria-label=heading>
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
                        {choice_select::<Status>("status", form.status)}
                    </div>
                </div>
            })}

            <div class="field">
                <label for="decision">"Issue or decision"</label>
                <p class="hint" id="decision-hint">"What was agreed, in a sentence."</p>
                <textarea id="decision" rows="2" node_ref=decision_box
                    aria-describedby="decision-hint decision-notes"
                    prop:value=move || form.decision.get()
                    on:input=move |ev| { form.decision.set(event_target_value(&ev)); form.touch(Field::Decision); }
                ></textarea>
                <FieldNotes id="decision-notes" notes=form.notes(verdict, Field::Decision) />
            </div>

            <div class="field">
                <label for="next-step">"Action"</label>
                <p class="hint" id="next-step-hint">"The next step: specific, and checkable later."</p>
                <textarea id="next-step" rows="2"
                    aria-describedby="next-step-hint next-step-notes"
                    prop:value=move || form.next_step.get()
                    on:input=move |ev| { form.next_step.set(event_target_value(&ev)); form.touch(Field::NextStep); }
                ></textarea>
                <FieldNotes id="next-step-notes" notes=form.notes(verdict, Field::NextStep) />
            </div>

            <div class="field">
                <label for="owner">"Owner"</label>
                <p class="hint" id="owner-hint">"One named person or role."</p>
                <input id="owner" type="text" list="owners-used" autocomplete="off"
                    aria-describedby="owner-hint owner-notes"
                    prop:value=move || form.owner.get()
                    on:input=move |ev| { form.owner.set(event_target_value(&ev)); form.touch(Field::Owner); }
                />
                <OwnersUsed list_id="owners-used" pupil=form.pupil pick=Callback::new(move |owner: String| {
                    form.owner.set(owner);
                    form.touch(Field::Owner);
                }) />
                <FieldNotes id="owner-notes" notes=form.notes(verdict, Field::Owner) />
                <Show when=move || verdict.with(|v| v.split.is_some())>
                    <button type="button" class="secondary split" on:click=split>
                        {move || verdict.with(|v| {
                            let owners = v.split.clone().unwrap_or_default();
                            format!("Split into {} actions: {}", owners.len(), owners.join(", "))
                        })}
                    </button>
                </Show>
            </div>

            <div class="grid">
                <div class="field">
                    <label for="due">"Due or review date"</label>
                    <DateInput id="due" value=form.due quick=true described_by="due-notes"
                        on_input=touch(Field::Due) />
                    <FieldNotes id="due-notes" notes=form.notes(verdict, Field::Due) />
                </div>
                <div class="field">
                    <label for="item-type">"Item type"</label>
                    {choice_select::<ItemType>("item-type", form.item_type)}
                </div>
            </div>

            <details class="more-fields">
                <summary>"Evidence, next review, escalation"</summary>
                <div class="field">
                    <label for="evidence">"Evidence or note"</label>
                    <textarea id="evidence" rows="2"
                        prop:value=move || form.evidence.get()
                        on:input=move |ev| form.evidence.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <div class="field">
                    <label for="next-review">"Next review date"</label>
                    <DateInput id="next-review" value=form.next_review described_by="next-review-notes"
                        on_input=touch(Field::NextReview) />
                    <FieldNotes id="next-review-notes" notes=form.notes(verdict, Field::NextReview) />
                </div>
                <div class="field check">
                    <input id="escalate" type="checkbox"
                        prop:checked=move || form.escalate.get()
                        on:change=move |ev| form.escalate.set(event_target_checked(&ev)) />
                    <label for="escalate">"Needs escalation"</label>
                </div>
            </details>

            {move || refusal.get().map(|text| view! {
                <p class="refused" role="alert">{text}</p>
            })}
            <button type="submit" class="primary">"Add action"</button>
        </form>
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
