//! Taking back the last change ([`Undo`]): an add, an edit, an import or a pupil's details.

use super::edits::{edited, edits_between};
use super::{cut, Kind, Patch, Record, Refusal, Touched};
use crate::action::Action;
use crate::history::FieldChange;
use crate::id::ActionId;
use crate::pupil::Pupil;
use chrono::{DateTime, Utc};

/// A change that can be taken back: "Undo" takes back the last one.
#[derive(Clone, Debug, PartialEq)]
pub enum Undo {
    /// Rows were added: undoing removes them and their history, as if never added.
    Added(Vec<ActionId>),
    /// Rows were edited: undoing puts back these rows exactly as they were, their last update
    /// (its moment and note) included, so every list reads as before; the undo itself is one
    /// more entry in their history ("Undone: status back to Open").
    Edited(Vec<Action>),
    /// A file was imported: undoing brings in this patch — the rows the import replaced, as they
    /// were, at their positions, with every kind's length before it — so the record is exactly
    /// as it was. By position, so it is offered only until anything else changes.
    Imported(Patch),
    /// A pupil's details were changed: undoing puts back these.
    PupilEdited(Box<Pupil>),
}

impl Record {
    /// Takes back a change, all or nothing. Undoing an edit is itself recorded in the rows'
    /// history, and leaves no other trace.
    pub fn undo(&mut self, undo: &Undo, now: DateTime<Utc>) -> Result<Touched, Refusal> {
        match undo {
            Undo::Added(ids) => Ok(self.withdraw(ids)),
            Undo::Imported(before) => match self.bring_in(before.clone()) {
                Ok((_, touched)) => Ok(touched),
                Err(_) => Err(Refusal::NotHere(
                    "The record has changed since the import, so it cannot be undone.".into(),
                )),
            },
            Undo::PupilEdited(before) => {
                let &position = self.pupil_at.get(&before.id).ok_or(Refusal::NoSuchPupil)?;
                self.pupils[position] = Pupil {
                    updated_at: now,
                    ..(**before).clone()
                };
                Ok(Touched(vec![(Kind::Pupils, position)]))
            }
            Undo::Edited(before) => {
                // Every row checked first, so that a refusal changes none of them.
                let mut undone = Vec::with_capacity(before.len());
                for old in before {
                    let &position = self.action_at.get(&old.id).ok_or(Refusal::NoSuchAction)?;
                    let edits = edits_between(&self.actions[position], old);
                    if let Some((_, changes)) = edited(&self.actions[position], &edits, None, now)?
                    {
                        undone.push((position, old, changes));
                    }
                }
                let mut touched = Touched::default();
                for (position, old, changes) in undone {
                    self.actions[position] = old.clone();
                    let note = undone_note(&changes);
                    let history = self.record_history(old.id, now, note, changes);
                    touched.0.extend([(Kind::Actions, position), history]);
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

/// The history note of an undo, in words: "Undone: status back to Open; owner back to SENCO;
/// evidence or note cleared".
fn undone_note(changes: &[FieldChange]) -> String {
    let back: Vec<String> = changes
        .iter()
        .map(|c| {
            let label = c.field.label();
            let mut first = label.chars();
            let label = match first.next() {
                // Labels start with a capital in English ("Status"): lower it mid-sentence,
                // keeping a label that is an acronym ("SEND …") as it is.
                Some(c) if !label.starts_with("SEN") => c.to_lowercase().chain(first).collect(),
                _ => label.to_string(),
            };
            if c.after.is_empty() {
                format!("{label} cleared")
            } else {
                format!("{label} back to {}", c.after)
            }
        })
        .collect();
    format!("Undone: {}", back.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Status;
    use crate::record::tests::from_rows;
    use crate::record::tests::{at, draft, record_with_pupil, today};
    use crate::record::Edit;
    use chrono::TimeZone;

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
        // The row is exactly as it was, its last update included: no list it was in (stale,
        // overdue, waiting) reads differently.
        assert_eq!(record.action(id).unwrap(), &before);
        assert_eq!(record.history_of(id).len(), 3, "created, edited, undone");
        let undone = record.history_of(id)[2];
        assert_eq!(undone.at, at(12));
        assert_eq!(
            undone.note,
            "Undone: status back to Open; owner back to SENCO; evidence or note cleared"
        );
        assert_eq!(undone.changes.len(), 3);
        assert_eq!(from_rows(&record), record);
    }

    #[test]
    fn a_bulk_change_undone_leaves_the_weekly_review_as_it_was() {
        let mut record = school(3);
        // A week later than the sample's today: some rows have had no update for weeks.
        let later = today() + chrono::Days::new(30);
        let before = crate::query::weekly_review(&record, later);
        assert!(!before.stale.is_empty(), "the sample has stale rows");
        let mut chosen: Vec<ActionId> = record.action_ids(&before.stale);
        chosen.extend(record.action_ids(&before.overdue));
        chosen.sort();
        chosen.dedup();
        let now = Utc.with_ymd_and_hms(2026, 5, 23, 9, 0, 0).unwrap();
        let (undo, _) = record
            .edit_actions(&chosen, &[Edit::Status(Status::Waiting)], None, now)
            .unwrap();
        assert_ne!(crate::query::weekly_review(&record, later), before);
        record.undo(&undo, now).unwrap();
        assert_eq!(crate::query::weekly_review(&record, later), before);
        for id in &chosen {
            let status = record.action(*id).unwrap().status;
            let entry = record.history_of(*id).last().copied().unwrap();
            if status != Status::Waiting {
                assert_eq!(entry.note, format!("Undone: status back to {status}"));
            }
        }
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

    fn school(seed: u64) -> Record {
        let size = crate::sample::SampleSize {
            pupils: 12,
            actions: 150,
        };
        crate::sample::sample(seed, size, today())
    }

    /// Takes back rows brought in, as "Undo" takes back an import, and checks that the record is
    /// exactly as before, indexes and all, and that every position the import wrote is written.
    fn brought_in_and_undone(mut record: Record, rows: Patch) {
        let before = record.clone();
        let (back, brought) = record.bring_in(rows).unwrap();
        assert_ne!(record, before);
        let touched = record.undo(&Undo::Imported(back), at(12)).unwrap();
        assert_eq!(record, before);
        assert_eq!(from_rows(&record), before);
        let mut written = touched.0.clone();
        let mut wrote = brought.0.clone();
        written.sort();
        wrote.sort();
        assert_eq!(written, wrote, "undo writes again what the import wrote");
    }

    #[test]
    fn undoing_an_import_that_adds_rows_gives_back_the_record_before_it() {
        let record = school(7);
        let other = school(8);
        let lengths = record.lengths();
        let after = |from: usize, n: usize| from..from + n;
        let rows = Patch {
            lengths: [0, 1, 2, 3].map(|k| lengths[k] + other.lengths()[k]),
            pupils: after(lengths[0], other.pupils().len())
                .zip(other.pupils().iter().cloned())
                .collect(),
            meetings: after(lengths[1], other.meetings().len())
                .zip(other.meetings().iter().cloned())
                .collect(),
            actions: after(lengths[2], other.actions().len())
                .zip(other.actions().iter().cloned())
                .collect(),
            history: after(lengths[3], other.history().len())
                .zip(other.history().iter().cloned())
                .collect(),
        };
        assert!(!rows.meetings.is_empty() && !rows.history.is_empty());
        brought_in_and_undone(record, rows);
    }

    #[test]
    fn undoing_an_import_that_updates_rows_gives_back_the_record_before_it() {
        let record = school(7);
        // The file: the same record, changed on another device.
        let mut theirs = record.clone();
        let mut touched = Touched::default();
        for position in [3, 40, 41, 149] {
            let id = theirs.actions()[position].id;
            let edits = [
                Edit::Status(Status::Parked),
                Edit::Owner("Mrs Patel".into()),
            ];
            let (_, more) = theirs.edit_action(id, &edits, None, at(11)).unwrap();
            touched.0.extend(more.0);
        }
        let pupil = theirs.pupils()[5].id;
        let rename = crate::record::PupilEdit::Name("Ada Lovelace".into());
        let (_, more) = theirs.edit_pupil(pupil, rename, at(11)).unwrap();
        touched.0.extend(more.0);
        let meeting = theirs.meetings()[0].id;
        let notes = crate::record::MeetingEdit::Summary("Talked it through again".into());
        touched
            .0
            .extend(theirs.edit_meeting(meeting, notes, at(11)).unwrap().0);
        let rows = theirs.patch(&touched);
        assert_eq!(rows.actions.len(), 4);
        assert_eq!(rows.history.len(), 4, "one history entry a row edited");
        brought_in_and_undone(record, rows);
    }

    #[test]
    fn an_import_is_not_undone_once_the_record_no_longer_fits_its_patch() {
        let mut record = school(7);
        let other = school(8);
        let at_end = record.lengths()[0];
        let rows = Patch {
            lengths: [
                at_end + 1,
                record.lengths()[1],
                record.lengths()[2],
                record.lengths()[3],
            ],
            pupils: vec![(at_end, other.pupils()[0].clone())],
            ..Patch::default()
        };
        let (back, _) = record.bring_in(rows).unwrap();
        // Something else changed meanwhile (the app would no longer offer this Undo).
        let everyone: Vec<_> = record.pupils().iter().map(|p| p.id).collect();
        record.remove_pupils(&everyone);
        let now = record.clone();
        let refused = record.undo(&Undo::Imported(back), at(12));
        assert!(matches!(refused, Err(Refusal::NotHere(_))), "{refused:?}");
        assert_eq!(record, now);
    }
}
