//! An edit of one field of an action ([`Edit`]), the row it makes, and the change in words; and
//! the edits the edit form asks for ([`edits_from_draft`]), checked by the same guards as adding.

use super::Refusal;
use crate::action::{Action, ActionDraft, ItemType, LastUpdate, Status};
use crate::choice::Choice;
use crate::dates;
use crate::fields::{date_or_none, statutory_text, yes_no};
use crate::guard::{self, Concern, OwnerCheck, Severity, Verdict};
use crate::history::{Field, FieldChange};
use crate::statutory::Statutory;
use chrono::{DateTime, NaiveDate, Utc};

/// A change to one field of an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// The date raised: moved only with the meeting it was raised at ([`Record::move_meeting`]).
    Raised(NaiveDate),
    Status(Status),
    Owner(String),
    Due(NaiveDate),
    ItemType(ItemType),
    Decision(String),
    NextStep(String),
    Evidence(String),
    NextReview(Option<NaiveDate>),
    Escalate(bool),
    /// Which statutory step of which review it is, or none (see [`crate::statutory`]).
    Statutory(Option<Statutory>),
}

/// The action with `edits` made, its last update set, and what changed; `None` when the edits
/// change nothing. `note` is the one-line note of what changed; without one, the change itself
/// is described. The record is not touched: [`Record::edit_action`](super::Record::edit_action)
/// and imports store the result.
pub fn edited(
    action: &Action,
    edits: &[Edit],
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<(Action, Vec<FieldChange>)>, Refusal> {
    let mut action = action.clone();
    let mut changes = Vec::new();
    for edit in edits {
        let (field, before, after) = apply(&mut action, edit)?;
        if before != after {
            changes.push(FieldChange {
                field,
                before,
                after,
            });
        }
    }
    if changes.is_empty() {
        return Ok(None);
    }
    let note = match note.map(str::trim) {
        Some(note) if !note.is_empty() => note.to_string(),
        _ => describe(&changes),
    };
    action.last_update = LastUpdate { at: now, note };
    Ok(Some((action, changes)))
}

/// Applies one edit to a copy of the action; returns the field and its text before and after.
pub(super) fn apply(action: &mut Action, edit: &Edit) -> Result<(Field, String, String), Refusal> {
    Ok(match edit {
        Edit::Raised(raised) => {
            let before = dates::uk(action.raised);
            action.raised = *raised;
            (Field::Raised, before, dates::uk(*raised))
        }
        Edit::Status(status) => {
            let before = action.status.label().to_string();
            action.status = *status;
            (Field::Status, before, status.label().to_string())
        }
        Edit::Owner(owner) => {
            let owner = match guard::check_owner(owner) {
                OwnerCheck::One(owner) => owner,
                OwnerCheck::Refused(reason) => return Err(Refusal::Field(Field::Owner, reason)),
                OwnerCheck::Several(owners) => {
                    return Err(Refusal::Field(
                        Field::Owner,
                        format!("One owner per row: this names {}.", owners.join(" and ")),
                    ))
                }
            };
            let before = std::mem::replace(&mut action.owner, owner);
            (Field::Owner, before, action.owner.clone())
        }
        Edit::Due(due) => {
            let before = dates::uk(action.due);
            action.due = *due;
            (Field::Due, before, dates::uk(*due))
        }
        Edit::ItemType(item_type) => {
            let before = action.item_type.label().to_string();
            action.item_type = *item_type;
            (Field::ItemType, before, item_type.label().to_string())
        }
        Edit::Decision(text) => {
            let before = std::mem::replace(&mut action.decision, text.trim().to_string());
            (Field::Decision, before, action.decision.clone())
        }
        Edit::NextStep(text) => {
            if text.trim().is_empty() {
                return Err(Refusal::Field(
                    Field::NextStep,
                    "The action cannot be empty: write the next step.".into(),
                ));
            }
            let before = std::mem::replace(&mut action.next_step, text.trim().to_string());
            (Field::NextStep, before, action.next_step.clone())
        }
        Edit::Evidence(text) => {
            let before = std::mem::replace(&mut action.evidence, text.trim().to_string());
            (Field::Evidence, before, action.evidence.clone())
        }
        Edit::NextReview(date) => {
            let before = date_or_none(action.next_review);
            action.next_review = *date;
            (Field::NextReview, before, date_or_none(*date))
        }
        Edit::Escalate(flag) => {
            let before = yes_no(action.escalate);
            action.escalate = *flag;
            (Field::Escalate, before, yes_no(*flag))
        }
        Edit::Statutory(statutory) => {
            let before = statutory_text(action.statutory);
            action.statutory = *statutory;
            (Field::Statutory, before, statutory_text(*statutory))
        }
    })
}

/// The guards' verdict on an edited row: what adding says ([`guard::check`]), but a row that
/// names two owners is not split (a split adds a row, and an edit changes one): it is refused,
/// saying how to put it right.
pub fn check_edit(draft: &ActionDraft, today: NaiveDate) -> Verdict {
    let mut verdict = guard::check(draft, today);
    if let Some(owners) = verdict.split.take() {
        verdict.concerns.retain(|c| c.field != Field::Owner);
        verdict.concerns.push(Concern {
            field: Field::Owner,
            severity: Severity::Refusal,
            message: format!(
                "One owner per row: \"{}\" names {} people. Keep the one who leads here, then \
                 add an action for {}.",
                draft.owner.trim(),
                owners.len(),
                if owners.len() == 2 {
                    "the other"
                } else {
                    "each of the others"
                }
            ),
        });
    }
    verdict
}

/// The edits that make `current` what the edit form holds (`draft`), only for the fields that
/// differ, if the guards let the row through as they would an added one ([`check_edit`]): a
/// refusal (no next step, no due date, two owners, a year like 0001) carries the verdict and
/// changes nothing. An action stays where it was agreed: its pupil and meeting are never
/// edited, and the date raised only for a stand-alone item (one raised at a meeting moves with
/// the meeting, [`Record::move_meeting`](super::Record::move_meeting)).
pub fn edits_from_draft(
    current: &Action,
    draft: &ActionDraft,
    today: NaiveDate,
) -> Result<Vec<Edit>, Refusal> {
    let raised = match current.meeting {
        Some(_) => current.raised,
        None => draft.raised.unwrap_or(current.raised),
    };
    let checked = ActionDraft {
        pupil: Some(current.pupil),
        raised: Some(raised),
        meeting: current.meeting,
        ..draft.clone()
    };
    let verdict = check_edit(&checked, today);
    let Some(due) = checked.due.filter(|_| !verdict.is_refused()) else {
        return Err(Refusal::Row(verdict));
    };
    let wanted = Action {
        raised,
        item_type: draft.item_type.unwrap_or(current.item_type),
        decision: draft.decision.trim().to_string(),
        next_step: draft.next_step.trim().to_string(),
        owner: draft.owner.trim().to_string(),
        due,
        status: draft.status.unwrap_or(current.status),
        evidence: draft.evidence.trim().to_string(),
        next_review: draft.next_review,
        escalate: draft.escalate,
        ..current.clone()
    };
    Ok(edits_between(current, &wanted))
}

/// "Status: Open → Done; Owner: SENCO → Class teacher".
pub fn describe(changes: &[FieldChange]) -> String {
    changes
        .iter()
        .map(|c| change_text(c.field.label(), &c.before, &c.after))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One change as people read it: "Owner: SENCO → Class teacher".
pub(super) fn change_text(label: &str, before: &str, after: &str) -> String {
    format!("{label}: {before} → {after}")
}

/// The edits that turn `current` back into `old`. `old` is destructured without `..`, so a
/// field added to `Action` does not compile here until it says how it is undone.
pub(super) fn edits_between(current: &Action, old: &Action) -> Vec<Edit> {
    let Action {
        // Never edited: an action keeps its id, pupil and meeting; its last update is written
        // by the edit itself.
        id: _,
        pupil: _,
        meeting: _,
        last_update: _,
        raised,
        item_type,
        decision,
        next_step,
        owner,
        due,
        status,
        evidence,
        next_review,
        escalate,
        statutory,
    } = old;
    let mut edits = Vec::new();
    let mut differ = |same: bool, edit: Edit| {
        if !same {
            edits.push(edit)
        }
    };
    differ(current.raised == *raised, Edit::Raised(*raised));
    differ(current.status == *status, Edit::Status(*status));
    differ(current.owner == *owner, Edit::Owner(owner.clone()));
    differ(current.due == *due, Edit::Due(*due));
    differ(current.item_type == *item_type, Edit::ItemType(*item_type));
    differ(
        current.decision == *decision,
        Edit::Decision(decision.clone()),
    );
    differ(
        current.next_step == *next_step,
        Edit::NextStep(next_step.clone()),
    );
    differ(
        current.evidence == *evidence,
        Edit::Evidence(evidence.clone()),
    );
    differ(
        current.next_review == *next_review,
        Edit::NextReview(*next_review),
    );
    differ(current.escalate == *escalate, Edit::Escalate(*escalate));
    differ(current.statutory == *statutory, Edit::Statutory(*statutory));
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{at, draft, record_with_pupil, today};

    /// An action and a copy with every field an edit reaches changed.
    fn action_and_changed() -> (Action, Action) {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let action = record.action(id).unwrap().clone();
        let changed = Action {
            raised: action.raised - chrono::Days::new(2),
            status: Status::Waiting,
            owner: "Class teacher".into(),
            due: action.due + chrono::Days::new(7),
            item_type: ItemType::Referral,
            decision: "Reading is slow".into(),
            next_step: "Refer to the speech and language service".into(),
            evidence: "Form sent".into(),
            next_review: NaiveDate::from_ymd_opt(2026, 6, 1),
            escalate: true,
            ..action.clone()
        };
        (action, changed)
    }

    #[test]
    fn the_edits_between_two_rows_turn_one_back_into_the_other() {
        let (action, changed) = action_and_changed();
        let edits = edits_between(&changed, &action);
        assert_eq!(
            edits.len(),
            10,
            "one edit per field that differs: {edits:?}"
        );
        let (back, changes) = edited(&changed, &edits, None, at(11)).unwrap().unwrap();
        assert_eq!(
            Action {
                last_update: action.last_update.clone(),
                ..back
            },
            action
        );
        assert_eq!(changes.len(), 10);
        assert_eq!(back.last_update.at, at(11));
        assert!(edits_between(&action, &action).is_empty());
        assert_eq!(edited(&action, &[], None, at(11)), Ok(None));
    }

    #[test]
    fn a_change_is_put_in_words_field_by_field() {
        let (action, _) = action_and_changed();
        let edits = [Edit::Status(Status::Done), Edit::Owner("Mrs Patel".into())];
        let (after, changes) = edited(&action, &edits, None, at(11)).unwrap().unwrap();
        assert_eq!(
            describe(&changes),
            "Status: Open → Done; Owner: SENCO → Mrs Patel"
        );
        assert_eq!(after.last_update.note, describe(&changes));
        // A note given is kept as the row's last update instead, trimmed; a blank one is not.
        let (after, _) = edited(&action, &edits, Some(" Done at the review "), at(11))
            .unwrap()
            .unwrap();
        assert_eq!(after.last_update.note, "Done at the review");
        let (after, _) = edited(&action, &edits, Some("  "), at(11))
            .unwrap()
            .unwrap();
        assert_eq!(after.last_update.note, describe(&changes));
        assert_eq!(date_or_none(None), "none");
        assert_eq!(date_or_none(Some(today())), "23 Apr 2026");
    }
    /// The form holding `action` as it is.
    fn form_of(action: &Action) -> ActionDraft {
        ActionDraft {
            pupil: Some(action.pupil),
            raised: Some(action.raised),
            meeting: action.meeting,
            item_type: Some(action.item_type),
            decision: action.decision.clone(),
            next_step: action.next_step.clone(),
            owner: action.owner.clone(),
            due: Some(action.due),
            status: Some(action.status),
            evidence: action.evidence.clone(),
            next_review: action.next_review,
            escalate: action.escalate,
            statutory: action.statutory,
        }
    }

    #[test]
    fn the_edit_form_asks_for_the_fields_that_differ_and_nothing_else() {
        let (action, changed) = action_and_changed();
        assert_eq!(
            edits_from_draft(&action, &form_of(&action), today()),
            Ok(vec![])
        );
        // Spaces typed around a word are not a change.
        let mut form = form_of(&action);
        form.next_step = format!("  {}  ", action.next_step);
        assert_eq!(edits_from_draft(&action, &form, today()), Ok(vec![]));
        // Every field the form holds, changed: the edits make the row the form.
        let edits = edits_from_draft(&action, &form_of(&changed), today()).unwrap();
        assert_eq!(edits.len(), 10, "{edits:?}");
        let (after, changes) = edited(&action, &edits, None, at(11)).unwrap().unwrap();
        assert_eq!(
            Action {
                last_update: changed.last_update.clone(),
                ..after
            },
            changed
        );
        assert!(changes
            .iter()
            .any(|c| c.field == Field::Decision && c.before == action.decision));
        // One typo put right is one edit.
        let mut form = form_of(&action);
        form.next_step = "Check the reading log every Friday".into();
        assert_eq!(
            edits_from_draft(&action, &form, today()),
            Ok(vec![Edit::NextStep(
                "Check the reading log every Friday".into()
            )])
        );
    }

    #[test]
    fn the_pupil_and_meeting_stay_and_a_meetings_date_raised_moves_only_with_it() {
        let (action, _) = action_and_changed();
        let mut form = form_of(&action);
        form.pupil = Some(crate::PupilId::new());
        form.meeting = Some(crate::MeetingId::new());
        assert_eq!(edits_from_draft(&action, &form, today()), Ok(vec![]));
        let at_meeting = Action {
            meeting: Some(crate::MeetingId::new()),
            ..action.clone()
        };
        let mut form = form_of(&at_meeting);
        form.raised = Some(action.raised - chrono::Days::new(1));
        assert_eq!(edits_from_draft(&at_meeting, &form, today()), Ok(vec![]));
    }

    #[test]
    fn an_edit_is_refused_as_an_add_would_be_and_two_owners_are_not_split() {
        let (action, _) = action_and_changed();
        let refused = |form: ActionDraft| match edits_from_draft(&action, &form, today()) {
            Err(Refusal::Row(verdict)) => verdict,
            other => panic!("{other:?}"),
        };
        let mut form = form_of(&action);
        form.next_step = "  ".into();
        assert!(refused(form).about(Field::NextStep).next().is_some());
        let mut form = form_of(&action);
        form.due = None;
        assert!(refused(form).about(Field::Due).next().is_some());
        let mut form = form_of(&action);
        form.owner = "SENCO and Parent".into();
        let verdict = refused(form.clone());
        assert_eq!(verdict.split, None, "an edit offers no split");
        let owner: Vec<_> = verdict.about(Field::Owner).collect();
        assert_eq!(owner.len(), 1, "{owner:?}");
        assert!(
            owner[0].message.contains("add an action for the other"),
            "{owner:?}"
        );
        // Adding the same row still offers the split.
        assert!(guard::check(&form, today()).split.is_some());
        // A warning does not stop an edit: a due date already passed.
        let mut form = form_of(&action);
        form.due = Some(today() - chrono::Days::new(3));
        assert_eq!(
            edits_from_draft(&action, &form, today()),
            Ok(vec![Edit::Due(today() - chrono::Days::new(3))])
        );
    }
}
