//! A change kept by position ([`Patch`]), and putting it back over the record ([`Record::replay`]).

use super::{Kind, Record, RecordError, Touched};
use crate::action::Action;
use crate::history::HistoryEntry;
use crate::meeting::Meeting;
use crate::pupil::Pupil;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The rows a change touched, as they stand after it, by position, with every kind's length
/// after it. The store keeps one of these for a small change (a journal entry of a few hundred
/// bytes) instead of rewriting the buckets that hold those rows, and puts it back over the
/// buckets when the record is read ([`Record::replay`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Patch {
    pub lengths: [usize; 4],
    #[serde(default)]
    pub pupils: Vec<(usize, Pupil)>,
    #[serde(default)]
    pub meetings: Vec<(usize, Meeting)>,
    #[serde(default)]
    pub actions: Vec<(usize, Action)>,
    #[serde(default)]
    pub history: Vec<(usize, HistoryEntry)>,
}

impl Record {
    /// The rows at the touched positions as they are now, and the lengths: what to keep to
    /// redo this change over the record as it was before it.
    pub fn patch(&self, touched: &Touched) -> Patch {
        let positions = |kind: Kind| -> BTreeSet<usize> {
            touched
                .0
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|&(_, position)| position)
                .collect()
        };
        fn rows<T: Clone>(rows: &[T], from: usize, positions: BTreeSet<usize>) -> Vec<(usize, T)> {
            positions
                .into_iter()
                .filter_map(|p| Some((p, rows.get(p.checked_sub(from)?)?.clone())))
                .collect()
        }
        Patch {
            lengths: self.lengths(),
            pupils: rows(&self.pupils, 0, positions(Kind::Pupils)),
            meetings: rows(&self.meetings, 0, positions(Kind::Meetings)),
            actions: rows(&self.actions, 0, positions(Kind::Actions)),
            history: rows(&self.history, self.history_from, positions(Kind::History)),
        }
    }

    /// Redoes a change kept as a [`Patch`]: puts each row at its position (the next position
    /// adds it) and cuts each kind to the patch's length. Refused if a row would leave a gap or
    /// hold an id twice: the stored record is then not consistent, and is not used.
    pub fn replay(&mut self, patch: Patch) -> Result<(), RecordError> {
        /// Puts each row of one kind, held from position `from` on, and cuts the kind to
        /// `length`, keeping `at` (each row's position by id) in step.
        fn put<T, K: std::hash::Hash + Eq + ToString>(
            (rows, from): (&mut Vec<T>, usize),
            at: &mut HashMap<K, usize>,
            kind: Kind,
            patch: Vec<(usize, T)>,
            length: usize,
            key: impl Fn(&T) -> K,
        ) -> Result<(), RecordError> {
            // First the ids of the rows that are replaced or cut off go, so that a row that
            // moved up (when rows before it were removed) is not taken for a second copy.
            let cut_from = length.saturating_sub(from);
            let going = patch
                .iter()
                .filter_map(|(position, _)| position.checked_sub(from))
                .chain(cut_from..rows.len());
            for held in going {
                if let Some(row) = rows.get(held) {
                    let id = key(row);
                    if at.get(&id) == Some(&(held + from)) {
                        at.remove(&id);
                    }
                }
            }
            for (position, row) in patch {
                let held = position.checked_sub(from);
                match held.map(|held| held.cmp(&rows.len())) {
                    Some(std::cmp::Ordering::Less) => rows[position - from] = row,
                    Some(std::cmp::Ordering::Equal) => rows.push(row),
                    _ => return Err(RecordError::Gap(kind, position)),
                }
                let id = key(&rows[position - from]);
                if at.insert(id, position).is_some_and(|p| p != position) {
                    let id = key(&rows[position - from]).to_string();
                    return Err(RecordError::DuplicateId(kind, id));
                }
            }
            match length.checked_sub(from) {
                Some(held) if held <= rows.len() => {
                    rows.truncate(held);
                    Ok(())
                }
                _ => Err(RecordError::Gap(kind, length)),
            }
        }
        let [pupils, meetings, actions, history] = patch.lengths;
        let rows = (&mut self.pupils, 0);
        put(
            rows,
            &mut self.pupil_at,
            Kind::Pupils,
            patch.pupils,
            pupils,
            |p| p.id,
        )?;
        let rows = (&mut self.meetings, 0);
        put(
            rows,
            &mut self.meeting_at,
            Kind::Meetings,
            patch.meetings,
            meetings,
            |m| m.id,
        )?;
        let rows = (&mut self.actions, 0);
        put(
            rows,
            &mut self.action_at,
            Kind::Actions,
            patch.actions,
            actions,
            |a| a.id,
        )?;
        // History entries are found by position, never by id: their map is only for the check.
        let rows = (&mut self.history, self.history_from);
        put(
            rows,
            &mut HashMap::default(),
            Kind::History,
            patch.history,
            history,
            |h| h.id,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{at, draft, record_with_pupil, today};
    use crate::record::Edit;

    #[test]
    fn a_change_kept_as_a_patch_is_made_again_over_the_record_before_it() {
        let (mut record, pupil) = record_with_pupil();
        for owner in ["SENCO", "Parent", "Class teacher"] {
            record
                .add_action(&draft(pupil, owner), today(), at(10))
                .unwrap();
        }
        let before = record.clone();
        let ids: Vec<_> = record.actions().iter().map(|a| a.id).collect();
        let (_, mut touched) = record
            .edit_action(ids[1], &[Edit::Owner("Mrs Patel".into())], None, at(11))
            .unwrap();
        let (_, added) = record
            .add_action(&draft(pupil, "Form tutor"), today(), at(12))
            .unwrap();
        touched.0.extend(added.0);
        let patch = record.patch(&touched);
        assert_eq!(patch.lengths, [1, 0, 4, 5]);
        assert_eq!(
            patch.actions.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
            [1, 3]
        );

        let mut again = before.clone();
        again.replay(patch).unwrap();
        assert_eq!(again, record);

        // Removing rows is kept as the shorter lengths: replaying cuts them off.
        let (_, touched) = record.remove_pupils(&[pupil]);
        let patch = record.patch(&touched);
        assert_eq!(patch.lengths, [0; 4]);
        let mut cut = before.clone();
        cut.replay(patch).unwrap();
        assert_eq!(cut, record);
    }

    #[test]
    fn a_patch_that_leaves_a_gap_or_repeats_an_id_is_refused() {
        let (mut record, pupil) = record_with_pupil();
        record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let row = record.actions()[0].clone();
        let past_the_end = Patch {
            lengths: [1, 0, 3, 1],
            actions: vec![(2, row.clone())],
            ..Patch::default()
        };
        assert_eq!(
            record.clone().replay(past_the_end),
            Err(RecordError::Gap(Kind::Actions, 2))
        );
        let twice = Patch {
            lengths: [1, 0, 2, 1],
            actions: vec![(1, row)],
            ..Patch::default()
        };
        assert!(matches!(
            record.clone().replay(twice),
            Err(RecordError::DuplicateId(Kind::Actions, _))
        ));
        let too_long = Patch {
            lengths: [1, 0, 5, 1],
            ..Patch::default()
        };
        assert_eq!(
            record.replay(too_long),
            Err(RecordError::Gap(Kind::Actions, 5))
        );
    }
}
