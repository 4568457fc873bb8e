//! Actions: adding them, editing them, and a meeting's review of an action from before.
//!
//! Each change goes into the action's history with what every field was before.

use super::edits::{apply, edited};
use super::{Edit, Kind, Record, Refusal, Touched, Undo};
use crate::action::{Action, ActionDraft, ItemType, LastUpdate, Status};
use crate::dates;
use crate::guard;
use crate::history::{Field, FieldChange, HistoryEntry};
use crate::id::{ActionId, EntryId, MeetingId, PupilId};
use chrono::{DateTime, NaiveDate, Utc};

/// What a meeting decided about an action from before.
#[derive(Clone, Debug, PartialEq)]
pub enum Review {
    /// Done, with the evidence or outcome.
    Done { evidence: String },
    /// Moved to a later date.
    Moved { due: NaiveDate },
    /// Given to another owner.
    Reassigned { owner: String },
}

impl Record {
    /// Adds an action typed as `draft`, if the row guards allow it. A refusal changes nothing
    /// and carries the verdict, so every reason can be shown beside its field.
    pub fn add_action(
        &mut self,
        draft: &ActionDraft,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(ActionId, Touched), Refusal> {
        let (pupil, due) = self.admit(draft, today)?;
        let note = "Created".to_string();
        let action = Action {
            id: ActionId::new(),
            pupil,
            raised: draft.raised.unwrap_or(today),
            meeting: draft.meeting,
            item_type: draft.item_type.unwrap_or(ItemType::NEW),
            decision: draft.decision.trim().to_string(),
            next_step: draft.next_step.trim().to_string(),
            owner: draft.owner.trim().to_string(),
            due,
            status: draft.status.unwrap_or(Status::NEW),
            last_update: LastUpdate {
                at: now,
                note: note.clone(),
            },
            evidence: draft.evidence.trim().to_string(),
            next_review: draft.next_review,
            escalate: draft.escalate,
            statutory: draft.statutory,
        };
        let id = action.id;
        self.action_at.insert(id, self.actions.len());
        self.actions.push(action);
        let mut touched = Touched(vec![(Kind::Actions, self.actions.len() - 1)]);
        touched
            .0
            .push(self.record_history(id, now, note, Vec::new()));
        Ok((id, touched))
    }

    /// The pupil and due date of a draft the guards let through, or why it is refused.
    fn admit(
        &self,
        draft: &ActionDraft,
        today: NaiveDate,
    ) -> Result<(PupilId, NaiveDate), Refusal> {
        let verdict = guard::check(draft, today);
        let (Some(pupil), Some(due), false) = (draft.pupil, draft.due, verdict.is_refused()) else {
            return Err(Refusal::Row(verdict));
        };
        if self.pupil(pupil).is_none() {
            return Err(Refusal::Field(
                Field::Pupil,
                "That pupil is not in the record any more. Choose another.".into(),
            ));
        }
        Ok((pupil, due))
    }

    /// Adds several rows at once (the rows of a split), all or none: if any is refused, the
    /// record is unchanged and the first refusal is handed back.
    pub fn add_actions(
        &mut self,
        drafts: &[ActionDraft],
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(Vec<ActionId>, Touched), Refusal> {
        for draft in drafts {
            self.admit(draft, today)?;
        }
        let mut ids = Vec::with_capacity(drafts.len());
        let mut touched = Touched::default();
        for draft in drafts {
            let (id, more) = self.add_action(draft, today, now)?;
            ids.push(id);
            touched.0.extend(more.0);
        }
        Ok((ids, touched))
    }

    /// Changes fields of one action, records what each was before, and sets its last update.
    /// `note` is the one-line note of what changed; without one, the change itself is described.
    /// Edits that change nothing write nothing. Hands back how to undo the change.
    pub fn edit_action(
        &mut self,
        id: ActionId,
        edits: &[Edit],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Undo, Touched), Refusal> {
        let &position = self.action_at.get(&id).ok_or(Refusal::NoSuchAction)?;
        let undo = Undo::Edited(vec![self.actions[position].clone()]);
        let Some((action, changes)) = edited(&self.actions[position], edits, note, now)? else {
            return Ok((undo, Touched::default()));
        };
        let note = action.last_update.note.clone();
        self.actions[position] = action;
        let history = self.record_history(id, now, note, changes);
        Ok((undo, Touched(vec![(Kind::Actions, position), history])))
    }

    /// Applies the same edits to several rows at once, all or none: if any row refuses, the
    /// record is unchanged. Undo takes back every row together.
    pub fn edit_actions(
        &mut self,
        ids: &[ActionId],
        edits: &[Edit],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Undo, Touched), Refusal> {
        let rows: Vec<(ActionId, Vec<Edit>)> = ids.iter().map(|id| (*id, edits.to_vec())).collect();
        self.edit_each(&rows, note, now)
    }

    /// Applies each row's own edits (a review's steps moved, each to its own date), all or none:
    /// if any row refuses, the record is unchanged. Undo takes back every row together.
    pub fn edit_each(
        &mut self,
        rows: &[(ActionId, Vec<Edit>)],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Undo, Touched), Refusal> {
        for (id, edits) in rows {
            let mut trial = self.action(*id).ok_or(Refusal::NoSuchAction)?.clone();
            for edit in edits {
                apply(&mut trial, edit)?;
            }
        }
        let mut before = Vec::with_capacity(rows.len());
        let mut touched = Touched::default();
        for (id, edits) in rows {
            let (undo, more) = self.edit_action(*id, edits, note, now)?;
            if let (Undo::Edited(rows), false) = (undo, more.is_empty()) {
                before.extend(rows);
            }
            touched.0.extend(more.0);
        }
        Ok((Undo::Edited(before), touched))
    }

    /// Records what a meeting decided about an action from before: done with evidence, moved
    /// to a later date, or re-assigned. The history entry names the meeting.
    pub fn review_action(
        &mut self,
        id: ActionId,
        meeting: MeetingId,
        review: Review,
        now: DateTime<Utc>,
    ) -> Result<(Undo, Touched), Refusal> {
        let held = self.meeting(meeting).ok_or(Refusal::NoSuchMeeting)?;
        let action = self.action(id).ok_or(Refusal::NoSuchAction)?;
        let at = format!(
            "at the {} on {}",
            held.meeting_type.in_sentence(),
            dates::uk(held.date)
        );
        let (edits, note) = match review {
            Review::Done { evidence } => {
                let evidence = evidence.trim().to_string();
                if evidence.is_empty() {
                    return Err(Refusal::Field(
                        Field::Evidence,
                        "Say what shows it was done: a short note, or where the record is.".into(),
                    ));
                }
                let note = format!("Done {at}: {evidence}");
                (
                    vec![Edit::Status(Status::Done), Edit::Evidence(evidence)],
                    note,
                )
            }
            Review::Moved { due } => {
                if due <= action.due {
                    return Err(Refusal::Field(
                        Field::Due,
                        format!(
                            "Choose a date after {}, the date it is due now.",
                            dates::uk(action.due)
                        ),
                    ));
                }
                let note = format!(
                    "Moved from {} to {} {at}",
                    dates::uk(action.due),
                    dates::uk(due)
                );
                (vec![Edit::Due(due)], note)
            }
            Review::Reassigned { owner } => {
                let note = format!("Re-assigned from {} to {} {at}", action.owner, owner.trim());
                (vec![Edit::Owner(owner)], note)
            }
        };
        let (undo, touched) = self.edit_action(id, &edits, Some(&note), now)?;
        if let Some(&(Kind::History, position)) = touched.0.last() {
            self.history[position - self.history_from].meeting = Some(meeting);
        }
        Ok((undo, touched))
    }

    pub(super) fn record_history(
        &mut self,
        action: ActionId,
        at: DateTime<Utc>,
        note: String,
        changes: Vec<FieldChange>,
    ) -> (Kind, usize) {
        let meeting = self
            .action(action)
            .and_then(|a| a.meeting)
            .filter(|_| changes.is_empty());
        self.history.push(HistoryEntry {
            id: EntryId::new(),
            action,
            at,
            note,
            meeting,
            changes,
        });
        (Kind::History, self.history_from + self.history.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{at, draft, meeting_for, record_with_pupil, today};

    #[test]
    fn a_meeting_reviews_earlier_actions_and_each_review_is_in_the_history() {
        let (mut record, pupil) = record_with_pupil();
        let (first, _) = record
            .add_action(&draft(pupil, "Class teacher"), today(), at(10))
            .unwrap();
        let (second, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let (third, _) = record
            .add_action(&draft(pupil, "Parent"), today(), at(10))
            .unwrap();
        let meeting = meeting_for(&mut record, pupil);
        let later = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();

        record
            .review_action(
                first,
                meeting,
                Review::Done {
                    evidence: "Work samples seen".into(),
                },
                at(11),
            )
            .unwrap();
        record
            .review_action(
                second,
                meeting,
                Review::Reassigned {
                    owner: "Mrs Patel".into(),
                },
                at(11),
            )
            .unwrap();
        record
            .review_action(third, meeting, Review::Moved { due: later }, at(11))
            .unwrap();

        let first = record.action(first).unwrap();
        assert_eq!(
            (first.status, first.evidence.as_str()),
            (Status::Done, "Work samples seen")
        );
        assert_eq!(
            first.last_update.note,
            "Done at the parent conversation on 23 Apr 2026: Work samples seen"
        );
        assert_eq!(record.action(second).unwrap().owner, "Mrs Patel");
        assert_eq!(record.action(third).unwrap().due, later);
        assert_eq!(
            record.action(third).unwrap().last_update.note,
            "Moved from 7 May 2026 to 1 Jun 2026 at the parent conversation on 23 Apr 2026"
        );
        let reviewed: Vec<ActionId> = record
            .reviewed_at(meeting)
            .iter()
            .map(|h| h.action)
            .collect();
        assert_eq!(reviewed, vec![first.id, second, third]);
    }

    #[test]
    fn a_review_that_cannot_stand_changes_nothing() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let meeting = meeting_for(&mut record, pupil);
        let before = record.clone();
        let earlier = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        for review in [
            Review::Done {
                evidence: "  ".into(),
            },
            Review::Moved { due: earlier },
            Review::Reassigned {
                owner: "TBC".into(),
            },
            Review::Reassigned {
                owner: "Parent and SENCO".into(),
            },
        ] {
            assert!(
                record
                    .review_action(id, meeting, review.clone(), at(11))
                    .is_err(),
                "{review:?}"
            );
            assert_eq!(record, before);
        }
    }

    #[test]
    fn a_bulk_edit_changes_every_row_or_none() {
        let (mut record, pupil) = record_with_pupil();
        let ids: Vec<ActionId> = ["SENCO", "Parent", "Class teacher"]
            .iter()
            .map(|o| {
                record
                    .add_action(&draft(pupil, o), today(), at(10))
                    .unwrap()
                    .0
            })
            .collect();
        let before = record.clone();
        let refused = record.edit_actions(&ids, &[Edit::Owner("everyone".into())], None, at(11));
        assert!(matches!(refused, Err(Refusal::Field(Field::Owner, _))));
        assert_eq!(record, before);

        let (undo, touched) = record
            .edit_actions(
                &ids[..2],
                &[
                    Edit::Owner("Mrs Patel".into()),
                    Edit::Status(Status::Waiting),
                ],
                None,
                at(11),
            )
            .unwrap();
        assert_eq!(touched.0.len(), 4);
        assert!(ids[..2]
            .iter()
            .all(|id| record.action(*id).unwrap().owner == "Mrs Patel"));
        assert_eq!(record.action(ids[2]).unwrap().owner, "Class teacher");
        record.undo(&undo, at(12)).unwrap();
        assert_eq!(record.action(ids[0]).unwrap().owner, "SENCO");
        assert_eq!(record.action(ids[1]).unwrap().status, Status::Open);
    }

    #[test]
    fn adding_an_action_stores_it_open_with_a_created_history_entry() {
        let (mut record, pupil) = record_with_pupil();
        assert_eq!(record.pupil(pupil).unwrap().name, "Zoë Łukasz-O'Neil");
        let (id, touched) = record
            .add_action(&draft(pupil, "Class teacher"), today(), at(10))
            .unwrap();
        assert_eq!(
            touched,
            Touched(vec![(Kind::Actions, 0), (Kind::History, 0)])
        );
        let action = record.action(id).unwrap();
        assert_eq!(action.status, Status::Open);
        assert_eq!(action.raised, today());
        assert_eq!(action.item_type, ItemType::FollowUp);
        assert_eq!(action.last_update.at, at(10));
        assert_eq!(record.history()[0].action, id);
        assert_eq!(record.history()[0].note, "Created");
    }

    #[test]
    fn a_refused_row_changes_nothing_and_says_why() {
        let (mut record, pupil) = record_with_pupil();
        let before = record.clone();
        let refused = record.add_action(&draft(pupil, "TBC"), today(), at(10));
        match refused {
            Err(Refusal::Row(verdict)) => {
                assert!(verdict
                    .about(Field::Owner)
                    .any(|c| c.message.contains("TBC")))
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(record, before);
    }

    #[test]
    fn an_action_for_a_missing_pupil_is_refused() {
        let (mut record, _) = record_with_pupil();
        let refused = record.add_action(&draft(PupilId::new(), "SENCO"), today(), at(10));
        assert!(matches!(refused, Err(Refusal::Field(Field::Pupil, _))));
        assert!(record.actions().is_empty());
    }

    #[test]
    fn a_split_adds_one_row_per_owner_or_none_at_all() {
        let (mut record, pupil) = record_with_pupil();
        let rows = draft(pupil, "class teacher and SENCO")
            .split_by_owner()
            .unwrap();
        let (ids, touched) = record.add_actions(&rows, today(), at(10)).unwrap();
        assert_eq!(ids.len(), 2);
        assert_eq!(touched.0.len(), 4);
        let owners: Vec<&str> = record.actions().iter().map(|a| a.owner.as_str()).collect();
        assert_eq!(owners, vec!["class teacher", "SENCO"]);

        let before = record.clone();
        let mut bad = draft(pupil, "SENCO / team").split_by_owner();
        assert!(
            bad.is_none(),
            "a split that names a group is refused, not offered"
        );
        bad = Some(vec![draft(pupil, "Parent"), draft(pupil, "TBC")]);
        assert!(record.add_actions(&bad.unwrap(), today(), at(11)).is_err());
        assert_eq!(record, before);
    }

    #[test]
    fn an_edit_keeps_what_it_was_before_in_the_history() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let (_, touched) = record
            .edit_action(id, &[Edit::Status(Status::Done)], None, at(11))
            .unwrap();
        assert_eq!(
            touched,
            Touched(vec![(Kind::Actions, 0), (Kind::History, 1)])
        );
        let action = record.action(id).unwrap();
        assert_eq!(action.status, Status::Done);
        assert_eq!(action.last_update.note, "Status: Open → Done");
        assert_eq!(action.last_update.at, at(11));
        let entry = &record.history()[1];
        assert_eq!(
            entry.changes,
            vec![FieldChange {
                field: Field::Status,
                before: "Open".into(),
                after: "Done".into()
            }]
        );
    }

    #[test]
    fn an_edit_that_changes_nothing_writes_nothing() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let (_, touched) = record
            .edit_action(id, &[Edit::Status(Status::Open)], None, at(11))
            .unwrap();
        assert!(touched.is_empty());
        assert_eq!(record.history().len(), 1);
    }

    #[test]
    fn a_refused_owner_edit_changes_nothing() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let before = record.clone();
        for owner in ["team", "SENCO and parent"] {
            let refused = record.edit_action(
                id,
                &[Edit::Status(Status::Done), Edit::Owner(owner.into())],
                None,
                at(11),
            );
            assert!(
                matches!(refused, Err(Refusal::Field(Field::Owner, _))),
                "{owner}"
            );
            assert_eq!(record, before);
        }
    }
}
