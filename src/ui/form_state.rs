//! What the action form holds while an action is typed or edited: its boxes as text, which the
//! person has touched, what the next action inherits from the last, and the form read as a draft.

use super::state::AppState;
use crate::core::guard::{Concern, Verdict};
use crate::core::typed::{Carried, DateBoxes, KEPT_FOR_NEXT};
use crate::core::{dates, draft};
use crate::core::{Action, ActionDraft, Choice, Field, ItemType, MeetingId, PupilId, Status};
use chrono::NaiveDate;
use leptos::prelude::*;

/// What the action form holds while it is typed. Everything typed stays until it is added.
#[derive(Clone, Copy)]
pub(super) struct ActionForm {
    pub pupil: RwSignal<String>,
    pub raised: RwSignal<String>,
    pub meeting: RwSignal<String>,
    pub item_type: RwSignal<String>,
    pub decision: RwSignal<String>,
    pub next_step: RwSignal<String>,
    pub owner: RwSignal<String>,
    pub due: RwSignal<String>,
    pub status: RwSignal<String>,
    pub evidence: RwSignal<String>,
    pub next_review: RwSignal<String>,
    pub escalate: RwSignal<bool>,
    /// Fields the person has typed in: their notes show as they type.
    pub touched: RwSignal<Vec<Field>>,
    /// "Add" was tapped: every field's notes show.
    pub attempted: RwSignal<bool>,
    /// What the boxes hold from the action added last, said beside them until changed.
    pub carried: RwSignal<Carried>,
}

impl ActionForm {
    pub fn new(pupil: Option<PupilId>, meeting: Option<MeetingId>, raised: NaiveDate) -> Self {
        let text = |id: Option<String>| RwSignal::new(id.unwrap_or_default());
        ActionForm {
            pupil: text(pupil.map(|p| p.to_string())),
            raised: RwSignal::new(dates::iso(raised)),
            meeting: text(meeting.map(|m| m.to_string())),
            item_type: RwSignal::new(ItemType::NEW.code().into()),
            decision: RwSignal::new(String::new()),
            next_step: RwSignal::new(String::new()),
            owner: RwSignal::new(String::new()),
            due: RwSignal::new(String::new()),
            status: RwSignal::new(Status::NEW.code().into()),
            evidence: RwSignal::new(String::new()),
            next_review: RwSignal::new(String::new()),
            escalate: RwSignal::new(false),
            touched: RwSignal::new(Vec::new()),
            attempted: RwSignal::new(false),
            carried: RwSignal::new(Carried::default()),
        }
    }

    /// The form holding `action` as it is, to edit it.
    pub fn of(action: &Action) -> Self {
        let form = ActionForm::new(Some(action.pupil), action.meeting, action.raised);
        form.item_type.set(action.item_type.code().into());
        form.decision.set(action.decision.clone());
        form.next_step.set(action.next_step.clone());
        form.owner.set(action.owner.clone());
        form.due.set(dates::iso(action.due));
        form.status.set(action.status.code().into());
        form.evidence.set(action.evidence.clone());
        form.next_review
            .set(action.next_review.map(dates::iso).unwrap_or_default());
        form.escalate.set(action.escalate);
        form
    }

    /// The form read as a draft, with what is wrong with any date box that cannot be read.
    pub fn draft(&self) -> (ActionDraft, DateBoxes) {
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
            // Only a review's planned steps are statutory (core::statutory): no form sets it.
            statutory: None,
        };
        (draft, boxes)
    }

    pub fn draft_untracked(&self) -> (ActionDraft, DateBoxes) {
        untrack(|| self.draft())
    }

    /// The person typed in or chose `field`: its notes show, and it is no longer inherited.
    pub fn touch(&self, field: Field) {
        if !self.touched.with_untracked(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
        if self.carried.with_untracked(|c| c.note(field).is_some()) {
            self.carried.update(|c| c.changed(field));
        }
    }

    /// After `added` is added: empty what belongs to that row, keep what core says the next
    /// one keeps ([`KEPT_FOR_NEXT`]), and say what it inherits.
    pub fn clear_row(&self, added: &ActionDraft) {
        for (field, text) in self.text_fields() {
            if !KEPT_FOR_NEXT.contains(&field) {
                text.set(String::new());
            }
        }
        if !KEPT_FOR_NEXT.contains(&Field::Escalate) {
            self.escalate.set(false);
        }
        self.touched.set(Vec::new());
        self.attempted.set(false);
        self.carried.set(Carried::after(added));
    }

    /// The text boxes with the field each holds, in the order a draft keeps them.
    fn text_fields(&self) -> [(Field, RwSignal<String>); draft::TEXT_CELLS] {
        [
            (Field::Pupil, self.pupil),
            (Field::Raised, self.raised),
            (Field::Meeting, self.meeting),
            (Field::ItemType, self.item_type),
            (Field::Decision, self.decision),
            (Field::NextStep, self.next_step),
            (Field::Owner, self.owner),
            (Field::Due, self.due),
            (Field::Status, self.status),
            (Field::Evidence, self.evidence),
            (Field::NextReview, self.next_review),
        ]
    }

    /// The form as a draft to keep (a JSON array of its fields), or `None` when nothing has been
    /// typed into it. Tracks every field.
    pub fn as_draft(&self) -> Option<String> {
        let typed = [self.decision, self.next_step, self.owner, self.evidence]
            .iter()
            .any(|text| text.with(|t| !t.trim().is_empty()));
        let cells = self.text_fields().map(|(_, text)| text.get());
        let escalate = self.escalate.get();
        typed.then(|| draft::encode(&cells, escalate, AppState::today()))
    }

    /// Fills the form from a kept draft, but for the first `fixed` fields (a meeting's pupil,
    /// meeting and date raised are the meeting's). Says whether the draft could be read.
    pub fn restore(&self, draft: &str, fixed: usize) -> bool {
        let Some((cells, escalate)) = draft::decode(draft) else {
            return false;
        };
        for ((_, text), cell) in self.text_fields().iter().zip(cells).skip(fixed) {
            text.set(cell);
        }
        self.escalate.set(escalate);
        true
    }

    /// The notes to show beside `field`: all of them once touched or after an attempt.
    pub fn notes(&self, verdict: Memo<Verdict>, field: Field) -> Signal<Vec<Concern>> {
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

    /// What `field`'s box holds from the action added last, in words, while it does.
    pub fn carried_note(&self, field: Field) -> Signal<String> {
        let carried = self.carried;
        Signal::derive(move || {
            carried.with(|c| c.note(field).map(str::to_string).unwrap_or_default())
        })
    }
}
