//! What each change says on screen, with how to undo it: the words of the Undo bar ("Action
//! added for Zoë Brown.", "Owner set to Mrs Patel for 3 actions."), so that no view composes them.

use super::edits::{edited, edits_from_draft};
use super::{Edit, Record, Refusal, Review, Touched, Undo};
use crate::action::{ActionDraft, Status};
use crate::choice::Choice;
use crate::dates;
use crate::id::{ActionId, MeetingId};
use chrono::{DateTime, NaiveDate, Utc};

/// A change's words and its undo, as the Undo bar shows them.
pub type Announced = ((String, Undo), Touched);

impl Edit {
    /// The edit in words, as a sentence without its full stop: "Status set to Done".
    pub fn announced(&self) -> String {
        match self {
            Edit::Raised(date) => format!("Date raised set to {}", dates::uk(*date)),
            Edit::Status(status) => format!("Status set to {status}"),
            Edit::Owner(owner) => format!("Owner set to {}", owner.trim()),
            Edit::Due(date) => format!("Due date set to {}", dates::uk(*date)),
            Edit::ItemType(item) => format!("Item type set to {}", item.label()),
            Edit::Decision(_) => "Issue or decision changed".into(),
            Edit::NextStep(_) => "Action changed".into(),
            Edit::Evidence(text) if text.trim().is_empty() => "Evidence or note cleared".into(),
            Edit::Evidence(_) => "Evidence or note changed".into(),
            Edit::NextReview(Some(date)) => format!("Next review set to {}", dates::uk(*date)),
            Edit::NextReview(None) => "Next review cleared".into(),
            Edit::Escalate(true) => "Flagged for escalation".into(),
            Edit::Escalate(false) => "Escalation cleared".into(),
            Edit::Statutory(Some(statutory)) => {
                format!("Review moved to {}", dates::uk(statutory.review))
            }
            Edit::Statutory(None) => "No longer a statutory deadline".into(),
        }
    }
}

impl Review {
    /// What the meeting decided, in words: "Marked done", "Moved to 4 Dec 2026".
    pub fn announced(&self) -> String {
        match self {
            Review::Done { .. } => "Marked done".into(),
            Review::Moved { due } => format!("Moved to {}", dates::uk(*due)),
            Review::Reassigned { owner } => format!("Re-assigned to {}", owner.trim()),
        }
    }
}

impl Record {
    /// Adds the rows of a draft (one, or one per owner after a split), all or none, and says
    /// so in words with how to undo it: "Action added for Zoë Brown." or "2 actions added for
    /// Zoë Brown, one per owner."
    pub fn add_announced(
        &mut self,
        drafts: &[ActionDraft],
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Announced, Refusal> {
        let (ids, touched) = match drafts {
            [draft] => {
                let (id, touched) = self.add_action(draft, today, now)?;
                (vec![id], touched)
            }
            drafts => self.add_actions(drafts, today, now)?,
        };
        let pupil = ids
            .first()
            .and_then(|&id| self.action(id))
            .and_then(|a| self.pupil(a.pupil))
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let label = match ids.len() {
            1 => format!("Action added for {pupil}."),
            n => format!("{n} actions added for {pupil}, one per owner."),
        };
        Ok(((label, Undo::Added(ids)), touched))
    }

    /// Makes `edits` to every row of `ids` ([`Record::edit_actions`], all or none) and says so:
    /// the note when there is one ("Restored from the archive."), else the edit ("Status set to
    /// Done."), or, for several edits, the fields they changed ("Changed: Owner, Due date.");
    /// with "for 3 actions" when there are several rows.
    pub fn edit_announced(
        &mut self,
        ids: &[ActionId],
        edits: &[Edit],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Announced, Refusal> {
        let what = match (note, edits) {
            (Some(note), _) => note.trim().trim_end_matches('.').to_string(),
            (None, [edit]) => edit.announced(),
            (None, _) => self.changed_fields(ids, edits, now)?,
        };
        let (undo, touched) = self.edit_actions(ids, edits, note, now)?;
        let label = match ids.len() {
            1 => format!("{what}."),
            n => format!("{what} for {n} actions."),
        };
        Ok(((label, undo), touched))
    }

    /// Makes action `id` what the edit form holds ([`edits_from_draft`]: the changed fields,
    /// if the guards let the row through) and says so as [`Record::edit_announced`] does: "Action
    /// changed.", "Changed: Owner, Due date."
    pub fn edit_from_form_announced(
        &mut self,
        id: ActionId,
        draft: &ActionDraft,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Announced, Refusal> {
        let current = self.action(id).ok_or(Refusal::NoSuchAction)?;
        let edits = edits_from_draft(current, draft, today)?;
        self.edit_announced(&[id], &edits, None, now)
    }

    /// Marks every row of `ids` done, with what shows it was done when it is given (optional
    /// here; a meeting's Mark done asks for it, [`Review::Done`]): kept as the row's evidence
    /// and in its last update ("Done: reading log seen"). Without it the rows' evidence is left
    /// as it was. Said as [`Record::edit_announced`] says it: "Done: reading log seen." or
    /// "Status set to Done for 3 actions."
    pub fn done_announced(
        &mut self,
        ids: &[ActionId],
        evidence: &str,
        now: DateTime<Utc>,
    ) -> Result<Announced, Refusal> {
        let evidence = evidence.trim();
        let mut edits = vec![Edit::Status(Status::Done)];
        let note = (!evidence.is_empty()).then(|| {
            edits.push(Edit::Evidence(evidence.to_string()));
            format!("Done: {evidence}")
        });
        self.edit_announced(ids, &edits, note.as_deref(), now)
    }

    /// Records what a meeting decided about an earlier action ([`Record::review_action`]) and
    /// says so: "Marked done.", "Moved to 4 Dec 2026.", "Re-assigned to Mrs Patel."
    pub fn review_announced(
        &mut self,
        id: ActionId,
        meeting: MeetingId,
        review: Review,
        now: DateTime<Utc>,
    ) -> Result<Announced, Refusal> {
        let label = format!("{}.", review.announced());
        let (undo, touched) = self.review_action(id, meeting, review, now)?;
        Ok(((label, undo), touched))
    }

    /// "Changed: Owner, Due date": the fields `edits` change on the first row of `ids`.
    fn changed_fields(
        &self,
        ids: &[ActionId],
        edits: &[Edit],
        now: DateTime<Utc>,
    ) -> Result<String, Refusal> {
        let first = ids.first().and_then(|&id| self.action(id));
        let changes = match first {
            Some(action) => edited(action, edits, None, now)?.map(|(_, c)| c),
            None => None,
        };
        Ok(match changes {
            Some(changes) => {
                let fields: Vec<&str> = changes.iter().map(|c| c.field.label()).collect();
                format!("Changed: {}", fields.join(", "))
            }
            None => "Nothing changed".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;
    use crate::record::tests::{at, draft, meeting_for, record_with_pupil, today};

    #[test]
    fn an_add_is_announced_in_words_with_its_undo() {
        let (mut record, pupil) = record_with_pupil();
        let ((label, undo), touched) = record
            .add_announced(&[draft(pupil, "SENCO")], today(), at(10))
            .unwrap();
        assert_eq!(label, "Action added for Zoë Łukasz-O'Neil.");
        assert!(!touched.is_empty());
        let split = draft(pupil, "SENCO and Parent").split_by_owner().unwrap();
        let ((label, both), _) = record.add_announced(&split, today(), at(11)).unwrap();
        assert_eq!(
            label,
            "2 actions added for Zoë Łukasz-O'Neil, one per owner."
        );
        assert_eq!(record.actions().len(), 3);
        record.undo(&both, at(12)).unwrap();
        record.undo(&undo, at(13)).unwrap();
        assert!(record.actions().is_empty());
        // A refused add changes nothing and is handed back.
        let mut no_owner = draft(pupil, "");
        no_owner.owner.clear();
        let before = record.clone();
        assert!(record.add_announced(&[no_owner], today(), at(14)).is_err());
        assert_eq!(record, before);
    }

    #[test]
    fn an_edit_is_announced_by_what_it_changed_and_how_many_rows() {
        let (mut record, pupil) = record_with_pupil();
        let (ids, _) = record
            .add_actions(
                &[draft(pupil, "SENCO"), draft(pupil, "Parent")],
                today(),
                at(10),
            )
            .unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let ((one, _), _) = record
            .edit_announced(&ids[..1], &[Edit::Due(due)], None, at(11))
            .unwrap();
        assert_eq!(one, "Due date set to 4 Dec 2026.");
        let ((both, undo), _) = record
            .edit_announced(&ids, &[Edit::Owner(" Mrs Patel ".into())], None, at(12))
            .unwrap();
        assert_eq!(both, "Owner set to Mrs Patel for 2 actions.");
        record.undo(&undo, at(13)).unwrap();
        assert_eq!(record.action(ids[1]).unwrap().owner, "Parent");
        let edits = [Edit::Owner("SENCO".into()), Edit::Status(Status::Waiting)];
        let ((several, _), _) = record
            .edit_announced(&ids[1..], &edits, None, at(14))
            .unwrap();
        assert_eq!(several, "Changed: Owner, Status.");
        let note = Some("Restored from the archive");
        let ((noted, _), _) = record
            .edit_announced(&ids[..1], &[Edit::Status(Status::Open)], note, at(15))
            .unwrap();
        assert_eq!(noted, "Restored from the archive.");
        // A refused edit is handed back and changes nothing.
        let before = record.clone();
        let empty = [Edit::NextStep("  ".into()), Edit::Owner("SENCO".into())];
        assert!(record.edit_announced(&ids, &empty, None, at(16)).is_err());
        assert_eq!(record, before);
    }

    #[test]
    fn a_review_is_announced_in_words() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let meeting = meeting_for(&mut record, pupil);
        let due = NaiveDate::from_ymd_opt(2027, 1, 8).unwrap();
        let ((moved, _), _) = record
            .review_announced(id, meeting, Review::Moved { due }, at(11))
            .unwrap();
        assert_eq!(moved, "Moved to 8 Jan 2027.");
        let owner = Review::Reassigned {
            owner: "Mr Jones ".into(),
        };
        let ((given, _), _) = record.review_announced(id, meeting, owner, at(12)).unwrap();
        assert_eq!(given, "Re-assigned to Mr Jones.");
    }
    #[test]
    fn an_edit_from_the_form_is_announced_and_one_undo_restores_the_row() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let before = record.action(id).unwrap().clone();
        let mut form = draft(pupil, "Mrs Patel");
        form.next_step = "Check the reading log on Fridays".into();
        let ((label, undo), touched) = record
            .edit_from_form_announced(id, &form, today(), at(11))
            .unwrap();
        assert_eq!(label, "Changed: Owner, Action.");
        assert!(!touched.is_empty());
        let history = record.history_of(id);
        let last = history.last().unwrap();
        assert!(last
            .changes
            .iter()
            .any(|c| c.before == "SENCO" && c.after == "Mrs Patel"));
        record.undo(&undo, at(12)).unwrap();
        let back = record.action(id).unwrap();
        assert_eq!(
            Action {
                last_update: before.last_update.clone(),
                ..back.clone()
            },
            before
        );
        // A refused edit changes nothing.
        let copy = record.clone();
        form.owner = "SENCO and Parent".into();
        assert!(record
            .edit_from_form_announced(id, &form, today(), at(13))
            .is_err());
        assert_eq!(record, copy);
    }
    #[test]
    fn done_anywhere_keeps_what_shows_it_was_done_when_it_is_given() {
        let (mut record, pupil) = record_with_pupil();
        let (ids, _) = record
            .add_actions(
                &[draft(pupil, "SENCO"), draft(pupil, "Parent")],
                today(),
                at(10),
            )
            .unwrap();
        let ((said, undo), _) = record
            .done_announced(&ids[..1], "  Reading log seen, 12 entries ", at(11))
            .unwrap();
        assert_eq!(said, "Done: Reading log seen, 12 entries.");
        let done = record.action(ids[0]).unwrap();
        assert_eq!(done.status, Status::Done);
        assert_eq!(done.evidence, "Reading log seen, 12 entries");
        assert_eq!(done.last_update.note, "Done: Reading log seen, 12 entries");
        record.undo(&undo, at(12)).unwrap();
        assert_eq!(record.action(ids[0]).unwrap().status, Status::Open);
        // Without evidence: one tap, the evidence left as it was.
        let mut kept = draft(pupil, "SENCO");
        kept.evidence = "Plan sent home".into();
        let (id, _) = record.add_action(&kept, today(), at(13)).unwrap();
        let ((said, _), _) = record.done_announced(&[id], " ", at(14)).unwrap();
        assert_eq!(said, "Status set to Done.");
        assert_eq!(record.action(id).unwrap().evidence, "Plan sent home");
        let ((said, _), _) = record.done_announced(&ids, "", at(15)).unwrap();
        assert_eq!(said, "Status set to Done for 2 actions.");
    }
}
