//! Taking back the last change ([`Undo`]): an add, an edit, an import or a pupil's details.

use super::edits::edits_between;
use super::{cut, Kind, Record, Refusal, Touched};
use crate::action::Action;
use crate::id::ActionId;
use crate::merge;
use crate::pupil::Pupil;
use chrono::{DateTime, Utc};

/// A change that can be taken back: "Undo" takes back the last one.
#[derive(Clone, Debug, PartialEq)]
pub enum Undo {
    /// Rows were added: undoing removes them and their history, as if never added.
    Added(Vec<ActionId>),
    /// Rows were edited: undoing puts back these rows' values, itself a change in their history.
    Edited(Vec<Action>),
    /// A file was imported: undoing puts the record back exactly as it was before.
    Imported(Box<merge::Snapshot>),
    /// A pupil's details were changed: undoing puts back these.
    PupilEdited(Box<Pupil>),
}

impl Record {
    /// Takes back a change. Undoing an edit is itself recorded in the rows' history.
    pub fn undo(&mut self, undo: &Undo, now: DateTime<Utc>) -> Result<Touched, Refusal> {
        match undo {
            Undo::Added(ids) => Ok(self.withdraw(ids)),
            Undo::Imported(snapshot) => Ok(merge::restore(self, snapshot)),
            Undo::PupilEdited(before) => {
                let &position = self.pupil_at.get(&before.id).ok_or(Refusal::NoSuchPupil)?;
                self.pupils[position] = Pupil {
                    updated_at: now,
                    ..(**before).clone()
                };
                Ok(Touched(vec![(Kind::Pupils, position)]))
            }
            Undo::Edited(before) => {
                let mut touched = Touched::default();
                for old in before {
                    let current = self.action(old.id).ok_or(Refusal::NoSuchAction)?;
                    let note = format!("Undone: {}", current.last_update.note);
                    let edits = edits_between(current, old);
                    let (_, more) = self.edit_action(old.id, &edits, Some(&note), now)?;
                    touched.0.extend(more.0);
                }
                Ok(touched)
            }
        }
    }

    /// Removes just-added rows and their history. Every later position moves down, so the
    /// buckets from the first removed position to the old end are written again.
    fn withdraw(&mut self, ids: &[ActionId]) -> Touched {
        let mut touched = Touched::default();
        let kept = |a: &Action| !ids.contains(&a.id);
        if let Some(first) = cut(&mut self.actions, 0, Kind::Actions, &mut touched, kept) {
            for id in ids {
                self.action_at.remove(id);
            }
            for (position, action) in self.actions.iter().enumerate().skip(first) {
                self.action_at.insert(action.id, position);
            }
        }
        let from = self.history_from;
        cut(&mut self.history, from, Kind::History, &mut touched, |h| {
            !ids.contains(&h.action)
        });
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Status;
    use crate::record::tests::{at, draft, record_with_pupil, today};
    use crate::record::Edit;

    #[test]
    fn undo_takes_back_an_edit_and_says_so_in_the_history() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let before = record.action(id).unwrap().clone();
        let (undo, _) = record
            .edit_action(
                id,
                &[
                    Edit::Status(Status::Done),
                    Edit::Evidence("Seen in the reading log".into()),
                    Edit::Owner("Class teacher".into()),
                ],
                Some("Done: seen in the reading log"),
                at(11),
            )
            .unwrap();
        let touched = record.undo(&undo, at(12)).unwrap();
        assert_eq!(
            touched,
            Touched(vec![(Kind::Actions, 0), (Kind::History, 2)])
        );
        let after = record.action(id).unwrap();
        assert_eq!(after.status, before.status);
        assert_eq!(after.owner, before.owner);
        assert_eq!(after.evidence, before.evidence);
        assert_eq!(
            after.last_update.note,
            "Undone: Done: seen in the reading log"
        );
        assert_eq!(record.history_of(id).len(), 3, "created, edited, undone");
    }

    #[test]
    fn undo_takes_back_an_add_as_if_it_was_never_made() {
        let (mut record, pupil) = record_with_pupil();
        let (kept, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let before = record.clone();
        let rows = draft(pupil, "Parent and SENCO").split_by_owner().unwrap();
        let (ids, _) = record.add_actions(&rows, today(), at(11)).unwrap();
        let touched = record.undo(&Undo::Added(ids), at(12)).unwrap();
        assert_eq!(record, before);
        assert!(record.action(kept).is_some());
        assert_eq!(
            touched,
            Touched(vec![
                (Kind::Actions, 1),
                (Kind::Actions, 2),
                (Kind::History, 1),
                (Kind::History, 2)
            ])
        );
    }
}
