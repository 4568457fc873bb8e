//! The form that edits an action already added: the add form's boxes, guards, refusals and
//! warnings, filled with the row as it is. Its pupil and meeting are shown, not editable; the
//! date raised is editable only for a stand-alone item. Saving records every change in the
//! row's history with what it was before, and one Undo takes it all back.

use super::action_form::{no_enter_submit, row_boxes, Ids};
use super::form_state::ActionForm;
use super::state::AppState;
use super::widgets::{choice_select, DateInput, FieldNotes};
use crate::core::dates;
use crate::core::record::check_edit;
use crate::core::{ActionId, Field, Status};
use leptos::prelude::*;

/// Edits action `id`; `closed` is called when it is saved or given up.
#[component]
pub fn EditAction(id: ActionId, closed: Callback<()>) -> impl IntoView {
    let state = AppState::get();
    let Some((action, pupil, meeting)) = state.peek(|r| {
        r.action(id).map(|a| {
            let pupil = r.pupil(a.pupil).map(|p| p.name.clone()).unwrap_or_default();
            let meeting = a
                .meeting
                .and_then(|m| r.meeting(m))
                .map(|m| format!("{} — {}", dates::uk(m.date), m.meeting_type));
            (a.clone(), pupil, meeting)
        })
    }) else {
        return view! { <p class="note refusal" role="alert">"That action is no longer in the record."</p> }.into_any();
    };
    let form = ActionForm::of(&action);
    let ids = Ids::new(&format!("edit-{id}-"));
    let verdict = Memo::new(move |_| {
        let (draft, boxes) = form.draft();
        boxes.check_with(check_edit(&draft, AppState::today()))
    });
    let refusal = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.attempted.set(true);
        let (draft, boxes) = form.draft_untracked();
        if let Some(problem) = boxes.first_problem() {
            refusal.set(Some(format!(
                "Not changed yet — {problem} Everything you typed is still here."
            )));
            return;
        }
        match state.change_undoably(|record, today, now| {
            record.edit_from_form_announced(id, &draft, today, now)
        }) {
            Ok(()) => closed.run(()),
            Err(problem) => refusal.set(Some(format!(
                "Not changed yet — {problem} Everything you typed is still here."
            ))),
        }
    };
    let stand_alone = action.meeting.is_none();
    let raised_id = ids.of("raised");
    let status_id = ids.of("status");
    let raised_notes = ids.of("raised-notes");
    let step = action.next_step.clone();
    view! {
        <form class="add-action edit-action" on:submit=save on:keydown=no_enter_submit novalidate
            aria-label=format!("Edit: {step}")>
            <dl class="facts fixed">
                <div><dt>"Pupil"</dt><dd>{pupil}</dd></div>
                <div><dt>"From meeting"</dt><dd>{meeting.unwrap_or_else(|| "None — a stand-alone item".into())}</dd></div>
                {(!stand_alone).then(|| view! {
                    <div><dt>"Date raised"</dt><dd>{dates::uk(action.raised)}</dd></div>
                })}
            </dl>
            <p class="hint">"An action stays with its pupil and meeting; everything else can be changed."</p>
            <div class="grid">
                {stand_alone.then(|| view! {
                    <div class="field">
                        <label for=raised_id.clone()>"Date raised"</label>
                        <DateInput id=raised_id value=form.raised described_by=raised_notes.clone()
                            on_input=Callback::new(move |()| form.touch(Field::Raised)) />
                        <FieldNotes id=raised_notes notes=form.notes(verdict, Field::Raised) />
                    </div>
                })}
                <div class="field">
                    <label for=status_id.clone()>"Status"</label>
                    {choice_select::<Status>(status_id, form.status)}
                </div>
            </div>
            {row_boxes(form, verdict, ids, None, None, true)}
            {move || refusal.get().map(|text| view! {
                <p class="refused" role="alert">{text}</p>
            })}
            <div class="row">
                <button type="submit" class="primary">"Save changes"</button>
                <button type="button" class="secondary" on:click=move |_| closed.run(())>"Cancel"</button>
            </div>
        </form>
    }
    .into_any()
}
