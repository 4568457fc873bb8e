//! The actions screen: add an action for a pupil, with the row guards shown beside the fields as
//! they are typed, and the list of actions with their status, changed in one tap.

use super::state::AppState;
use super::widgets::{choice_select, DateInput, FieldNotes};
use crate::core::dates;
use crate::core::guard::{self, Concern, Verdict};
use crate::core::record::{Edit, NewPupil, Refusal};
use crate::core::{
    Action, ActionDraft, Choice, Field, ItemType, MeetingId, PupilId, SendStatus, Status, YearGroup,
};
use leptos::html;
use leptos::prelude::*;

/// Rows shown at a time; "Show more" adds another page.
const PAGE: usize = 20;

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
    fn new() -> Self {
        ActionForm {
            pupil: RwSignal::new(String::new()),
            raised: RwSignal::new(dates::iso(AppState::today())),
            meeting: RwSignal::new(String::new()),
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

    fn draft(&self) -> ActionDraft {
        ActionDraft {
            pupil: PupilId::parse(&self.pupil.get()),
            raised: dates::parse_iso(&self.raised.get()),
            meeting: MeetingId::parse(&self.meeting.get()),
            item_type: ItemType::from_text(&self.item_type.get()),
            decision: self.decision.get(),
            next_step: self.next_step.get(),
            owner: self.owner.get(),
            due: dates::parse_iso(&self.due.get()),
            status: Status::from_text(&self.status.get()),
            evidence: self.evidence.get(),
            next_review: dates::parse_iso(&self.next_review.get()),
            escalate: self.escalate.get(),
        }
    }

    fn touch(&self, field: Field) {
        if !self.touched.with_untracked(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
    }

    /// After a row is added: clear what belongs to that row, keep the pupil, meeting and dates.
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

#[component]
pub fn ActionsScreen(state: AppState) -> impl IntoView {
    let form = ActionForm::new();
    let announcement = RwSignal::new(String::new());
    view! {
        <AddAction state form announcement />
        <ActionList state announcement />
    }
}

#[component]
fn AddAction(state: AppState, form: ActionForm, announcement: RwSignal<String>) -> impl IntoView {
    let verdict = Memo::new(move |_| guard::check(&form.draft(), AppState::today()));
    let adding_pupil = RwSignal::new(state.record.with_untracked(|r| r.pupils().is_empty()));
    let refusal = RwSignal::new(None::<String>);
    let decision_box = NodeRef::<html::Textarea>::new();

    let added = move |count: usize| {
        let pupil = PupilId::parse(&form.pupil.get_untracked())
            .and_then(|id| {
                state
                    .record
                    .with_untracked(|r| r.pupil(id).map(|p| p.name.clone()))
            })
            .unwrap_or_default();
        announcement.set(if count == 1 {
            format!("Action added for {pupil}.")
        } else {
            format!("{count} actions added for {pupil}, one per owner.")
        });
        refusal.set(None);
        form.clear_row();
        if let Some(decision) = decision_box.get_untracked() {
            let _ = decision.focus();
        }
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.attempted.set(true);
        let draft = form.draft_untracked();
        match state.change(|record, today, now| record.add_action(&draft, today, now)) {
            Ok(_) => added(1),
            Err(problem) => refusal.set(Some(refusal_text(&problem))),
        }
    };
    let split = move |_| {
        let Some(rows) = form.draft_untracked().split_by_owner() else {
            return;
        };
        match state.change(|record, today, now| record.add_actions(&rows, today, now)) {
            Ok(ids) => added(ids.len()),
            Err(problem) => refusal.set(Some(refusal_text(&problem))),
        }
    };
    let touch = move |field: Field| Callback::new(move |()| form.touch(field));

    view! {
        <section class="card" aria-labelledby="add-heading">
            <h2 id="add-heading">"Add an action"</h2>
            <form on:submit=add novalidate>
                <div class="field">
                    <label for="pupil">"Pupil"</label>
                    <div class="row">
                        <PupilSelect state value=form.pupil />
                        <button type="button" class="secondary"
                            aria-expanded=move || adding_pupil.get().to_string()
                            on:click=move |_| adding_pupil.update(|open| *open = !*open)>
                            "New pupil"
                        </button>
                    </div>
                    <FieldNotes id="pupil-notes" notes=form.notes(verdict, Field::Pupil) />
                </div>
                <Show when=move || adding_pupil.get()>
                    <NewPupilForm state on_added=Callback::new(move |id: PupilId| {
                        form.pupil.set(id.to_string());
                        adding_pupil.set(false);
                    }) />
                </Show>

                <div class="grid">
                    <div class="field">
                        <label for="raised">"Date raised"</label>
                        <DateInput id="raised" value=form.raised />
                    </div>
                    <div class="field">
                        <label for="meeting">"From meeting"</label>
                        <MeetingSelect state pupil=form.pupil value=form.meeting />
                    </div>
                    <div class="field">
                        <label for="item-type">"Item type"</label>
                        {choice_select::<ItemType>("item-type", form.item_type)}
                    </div>
                    <div class="field">
                        <label for="status">"Status"</label>
                        {choice_select::<Status>("status", form.status)}
                    </div>
                </div>

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
                    <OwnersUsed state form />
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
                        <label for="next-review">"Next review date"</label>
                        <DateInput id="next-review" value=form.next_review />
                    </div>
                </div>

                <div class="field">
                    <label for="evidence">"Evidence or note"</label>
                    <textarea id="evidence" rows="2"
                        prop:value=move || form.evidence.get()
                        on:input=move |ev| form.evidence.set(event_target_value(&ev))
                    ></textarea>
                </div>

                <div class="field check">
                    <input id="escalate" type="checkbox"
                        prop:checked=move || form.escalate.get()
                        on:change=move |ev| form.escalate.set(event_target_checked(&ev)) />
                    <label for="escalate">"Needs escalation"</label>
                </div>

                {move || refusal.get().map(|text| view! {
                    <p class="refused" role="alert">{text}</p>
                })}
                <button type="submit" class="primary">"Add action"</button>
            </form>
        </section>
    }
}

impl ActionForm {
    fn draft_untracked(&self) -> ActionDraft {
        leptos::prelude::untrack(|| self.draft())
    }
}

fn refusal_text(problem: &Refusal) -> String {
    match problem {
        Refusal::Row(_) => format!("Not added yet — {problem} Everything you typed is still here."),
        other => format!("Not added: {other}"),
    }
}

/// Picks the pupil, by name.
#[component]
fn PupilSelect(state: AppState, value: RwSignal<String>) -> impl IntoView {
    let pupils = Memo::new(move |_| {
        state.record.with(|r| {
            r.pupils_by_name()
                .into_iter()
                .map(|p| (p.id.to_string(), format!("{} ({})", p.name, p.year_group)))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <select id="pupil" aria-describedby="pupil-notes"
            on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="" prop:selected=move || value.get().is_empty()>"Choose a pupil…"</option>
            <For each=move || pupils.get() key=|(id, name)| (id.clone(), name.clone()) let((id, name))>
                {
                    let selected_id = id.clone();
                    view! { <option value=id prop:selected=move || value.get() == selected_id>{name}</option> }
                }
            </For>
        </select>
    }
}

/// Picks the meeting the action came from, among the pupil's meetings; none for a stand-alone item.
#[component]
fn MeetingSelect(
    state: AppState,
    pupil: RwSignal<String>,
    value: RwSignal<String>,
) -> impl IntoView {
    let meetings = Memo::new(move |_| {
        let pupil = PupilId::parse(&pupil.get());
        state.record.with(|r| {
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
                    let selected_id = id.clone();
                    view! { <option value=id prop:selected=move || value.get() == selected_id>{label}</option> }
                }
            </For>
        </select>
    }
}

/// Owners already used, as a list the owner field suggests from and as chips for a quick tap.
#[component]
fn OwnersUsed(state: AppState, form: ActionForm) -> impl IntoView {
    let owners = Memo::new(move |_| state.record.with(|r| r.owners()));
    view! {
        <datalist id="owners-used">
            {move || owners.get().into_iter().map(|o| view! { <option value=o></option> }).collect_view()}
        </datalist>
        <Show when=move || owners.with(|o| !o.is_empty())>
            <div class="quick-picks" role="group" aria-label="Owners already used">
                {move || owners.get().into_iter().take(6).map(|owner| {
                    let pick = owner.clone();
                    view! {
                        <button type="button" class="chip" on:click=move |_| {
                            form.owner.set(pick.clone());
                            form.touch(Field::Owner);
                        }>{owner}</button>
                    }
                }).collect_view()}
            </div>
        </Show>
    }
}

/// Adds a pupil on the spot.
#[component]
fn NewPupilForm(state: AppState, on_added: Callback<PupilId>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let year_group = RwSignal::new(YearGroup::Year7.code().to_string());
    let send_status = RwSignal::new(SendStatus::SenSupport.code().to_string());
    let annual_review = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let add = move |_| {
        let new = NewPupil {
            name: name.get_untracked(),
            year_group: YearGroup::from_text(&year_group.get_untracked())
                .unwrap_or(YearGroup::Year7),
            send_status: SendStatus::from_text(&send_status.get_untracked())
                .unwrap_or(SendStatus::SenSupport),
            annual_review: dates::parse_iso(&annual_review.get_untracked()),
        };
        match state.change(|record, _, now| record.add_pupil(new, now)) {
            Ok(id) => {
                problem.set(None);
                name.set(String::new());
                on_added.run(id);
            }
            Err(refusal) => problem.set(Some(refusal.to_string())),
        }
    };
    view! {
        <fieldset class="new-pupil">
            <legend>"New pupil"</legend>
            <div class="grid">
                <div class="field">
                    <label for="pupil-name">"Name"</label>
                    <input id="pupil-name" type="text" autocomplete="off"
                        aria-describedby="pupil-name-notes"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev)) />
                    <div id="pupil-name-notes" class="field-notes" aria-live="polite">
                        {move || problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                    </div>
                </div>
                <div class="field">
                    <label for="pupil-year">"Year group"</label>
                    {choice_select::<YearGroup>("pupil-year", year_group)}
                </div>
                <div class="field">
                    <label for="pupil-send">"SEND status"</label>
                    {choice_select::<SendStatus>("pupil-send", send_status)}
                </div>
                <div class="field">
                    <label for="pupil-review">"EHC plan annual review (if any)"</label>
                    <DateInput id="pupil-review" value=annual_review />
                </div>
            </div>
            <button type="button" class="primary" on:click=add>"Add pupil"</button>
        </fieldset>
    }
}

/// One action as the list shows it.
#[derive(Clone, PartialEq)]
struct Row {
    action: Action,
    pupil: String,
    year_group: String,
}

/// The actions, newest first, a page at a time, each with its status changed in one tap.
#[component]
fn ActionList(state: AppState, announcement: RwSignal<String>) -> impl IntoView {
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
            <p class="announcement" role="status" aria-live="polite">{move || announcement.get()}</p>
            <Show when=move || total.get() == 0>
                <p class="empty">"No actions yet. Add the first one above: it is stored on this device as soon as it is added."</p>
            </Show>
            <ul class="actions">
                <For each=move || rows.get()
                    key=|row| (row.action.id, row.action.last_update.at, row.pupil.clone())
                    let(row)>
                    <ActionRow state row announcement />
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
fn ActionRow(state: AppState, row: Row, announcement: RwSignal<String>) -> impl IntoView {
    let Row {
        action,
        pupil,
        year_group,
    } = row;
    let id = action.id;
    let today = AppState::today();
    let overdue = action.days_overdue(today);
    let set_status = move |status: Status| {
        let result = state.change(|record, _, now| {
            record
                .edit_action(id, &[Edit::Status(status)], None, now)
                .map(|t| ((), t))
        });
        announcement.set(match result {
            Ok(()) => format!("Status set to {status}."),
            Err(problem) => problem.to_string(),
        });
    };
    let current = action.status;
    let step = action.next_step.clone();
    view! {
        <li class="action" class:overdue=overdue.is_some() class:closed=!current.is_live()>
            <div class="action-head">
                <span class="pupil">{pupil}</span>
                <span class="muted">{year_group}" · "{action.item_type.label()}</span>
                {overdue.map(|days| view! {
                    <span class="badge overdue">{overdue_text(days)}</span>
                })}
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

fn overdue_text(days: i64) -> String {
    if days == 1 {
        "Overdue by 1 day".into()
    } else {
        format!("Overdue by {days} days")
    }
}
