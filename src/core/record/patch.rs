//! A change kept by position ([`Patch`]), and putting it back over the record ([`Record::replay`]).

use super::{Kind, Record, RecordError, Touched};
use crate::action::Action;
use crate::history::HistoryEntry;
use crate::meeting::Meeting;
use crate::pupil::Pupil;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::hash::Hash;

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
    /// hold an id twice, and then nothing changes: a stored record is then not consistent, and
    /// is not used.
    pub fn replay(&mut self, patch: Patch) -> Result<(), RecordError> {
        // Every kind is checked before any changes, so that a refused patch changes nothing.
        let [pupils, meetings, actions, history] = patch.lengths;
        let no_ids = HashMap::default();
        fits(
            (&self.pupils, 0),
            &self.pupil_at,
            Kind::Pupils,
            &patch.pupils,
            pupils,
            |p| p.id,
        )?;
        fits(
            (&self.meetings, 0),
            &self.meeting_at,
            Kind::Meetings,
            &patch.meetings,
            meetings,
            |m| m.id,
        )?;
        fits(
            (&self.actions, 0),
            &self.action_at,
            Kind::Actions,
            &patch.actions,
            actions,
            |a| a.id,
        )?;
        // History entries are found by position, never by id: only the patch's own ids are
        // checked for repeats.
        fits(
            (&self.history, self.history_from),
            &no_ids,
            Kind::History,
            &patch.history,
            history,
            |h| h.id,
        )?;
        let from = self.history_from;
        put(
            &mut self.pupils,
            0,
            Some(&mut self.pupil_at),
            patch.pupils,
            pupils,
            |p| p.id,
        );
        put(
            &mut self.meetings,
            0,
            Some(&mut self.meeting_at),
            patch.meetings,
            meetings,
            |m| m.id,
        );
        put(
            &mut self.actions,
            0,
            Some(&mut self.action_at),
            patch.actions,
            actions,
            |a| a.id,
        );
        put(&mut self.history, from, None, patch.history, history, |h| {
            h.id
        });
        Ok(())
    }

    /// Brings rows in by position, as an import does and as taking one back does: each row of
    /// `rows` is put at its position (the next position adds it) and each kind is cut to the
    /// patch's length, all or nothing ([`Record::replay`]). Hands back the patch that takes it
    /// back — the rows at those positions as they were, with the lengths before — and the
    /// positions written: the patch's rows, and any cut off.
    pub fn bring_in(&mut self, rows: Patch) -> Result<(Patch, Touched), RecordError> {
        let now = self.lengths();
        let mut touched = Touched::default();
        for (kind, positions) in Kind::ALL.into_iter().zip(rows.positions()) {
            touched.0.extend(positions.map(|position| (kind, position)));
            let cut = rows.lengths[kind as usize]..now[kind as usize];
            touched.0.extend(cut.map(|position| (kind, position)));
        }
        let before = self.patch(&touched);
        self.replay(rows)?;
        Ok((before, touched))
    }
}

impl Patch {
    /// The positions of the patch's rows, kind by kind in [`Kind::ALL`] order.
    fn positions(&self) -> [Box<dyn Iterator<Item = usize> + '_>; 4] {
        fn of<T>(rows: &[(usize, T)]) -> Box<dyn Iterator<Item = usize> + '_> {
            Box::new(rows.iter().map(|(position, _)| *position))
        }
        [
            of(&self.pupils),
            of(&self.meetings),
            of(&self.actions),
            of(&self.history),
        ]
    }
}

/// Whether [`put`] can put the rows of one kind (held from position `from` on, with `at`, each
/// row's position by id) and cut the kind to `length`: why not is the first gap or repeated id
/// it would meet, in the patch's order.
fn fits<T, K: Hash + Eq + ToString>(
    (rows, from): (&[T], usize),
    at: &HashMap<K, usize>,
    kind: Kind,
    patch: &[(usize, T)],
    length: usize,
    key: impl Fn(&T) -> K,
) -> Result<(), RecordError> {
    // The rows replaced or cut off give up their ids, so that a row that moved up (when rows
    // before it were removed) is not taken for a second copy.
    let replaced: HashSet<usize> = patch.iter().map(|(position, _)| *position).collect();
    let going = |position: usize| replaced.contains(&position) || position >= length.max(from);
    let mut end = from + rows.len();
    let mut put: HashMap<K, usize> = HashMap::default();
    for (position, row) in patch {
        let position = *position;
        if position < from || position > end {
            return Err(RecordError::Gap(kind, position));
        }
        if position == end {
            end += 1;
        }
        let id = key(row);
        let held_elsewhere = match put.get(&id) {
            Some(&earlier) => earlier != position,
            None => at.get(&id).is_some_and(|&p| p != position && !going(p)),
        };
        if held_elsewhere {
            return Err(RecordError::DuplicateId(kind, id.to_string()));
        }
        put.insert(id, position);
    }
    if length < from || length > end {
        return Err(RecordError::Gap(kind, length));
    }
    Ok(())
}

/// Puts each row of one kind, held from position `from` on, and cuts the kind to `length`,
/// keeping `at` (each row's position by id, when the kind has one) in step. [`fits`] has said
/// it can.
fn put<T, K: Hash + Eq>(
    rows: &mut Vec<T>,
    from: usize,
    mut at: Option<&mut HashMap<K, usize>>,
    patch: Vec<(usize, T)>,
    length: usize,
    key: impl Fn(&T) -> K,
) {
    if let Some(at) = at.as_deref_mut() {
        let going = patch
            .iter()
            .map(|(position, _)| position - from)
            .chain(length - from..rows.len());
        for held in going {
            if let Some(row) = rows.get(held) {
                let id = key(row);
                if at.get(&id) == Some(&(held + from)) {
                    at.remove(&id);
                }
            }
        }
    }
    for (position, row) in patch {
        let held = position - from;
        if held < rows.len() {
            rows[held] = row;
        } else {
            rows.push(row);
        }
        if let Some(at) = at.as_deref_mut() {
            at.insert(key(&rows[held]), position);
        }
    }
    rows.truncate(length - from);
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
    fn a_patch_that_leaves_a_gap_or_repeats_an_id_is_refused_and_changes_nothing() {
        let (mut record, pupil) = record_with_pupil();
        record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let before = record.clone();
        let row = record.actions()[0].clone();
        let renamed = Pupil {
            name: "Zoë Nowak".into(),
            ..record.pupils()[0].clone()
        };
        let refused = [
            (
                // The pupil fits; the action after it does not, so the pupil is not put either.
                Patch {
                    lengths: [1, 0, 3, 1],
                    pupils: vec![(0, renamed)],
                    actions: vec![(2, row.clone())],
                    ..Patch::default()
                },
                RecordError::Gap(Kind::Actions, 2),
            ),
            (
                Patch {
                    lengths: [1, 0, 2, 1],
                    actions: vec![(1, row.clone())],
                    ..Patch::default()
                },
                RecordError::DuplicateId(Kind::Actions, row.id.to_string()),
            ),
            (
                Patch {
                    lengths: [1, 0, 5, 1],
                    ..Patch::default()
                },
                RecordError::Gap(Kind::Actions, 5),
            ),
            (
                Patch {
                    lengths: [1, 0, 1, 3],
                    history: vec![
                        (1, record.history()[0].clone()),
                        (2, record.history()[0].clone()),
                    ],
                    ..Patch::default()
                },
                RecordError::DuplicateId(Kind::History, record.history()[0].id.to_string()),
            ),
        ];
        for (patch, why) in refused {
            assert_eq!(record.replay(patch.clone()), Err(why), "{patch:?}");
            assert_eq!(record, before);
            assert!(record.bring_in(patch).is_err());
            assert_eq!(record, before);
        }
        // A row may move to where another stood, when that one is replaced or cut off.
        let [a, b] = [draft(pupil, "Parent"), draft(pupil, "Class teacher")];
        record.add_actions(&[a, b], today(), at(11)).unwrap();
        let ids: Vec<_> = record.actions().iter().map(|a| a.id).collect();
        let swapped = Patch {
            lengths: [1, 0, 2, 3],
            actions: vec![
                (0, record.actions()[2].clone()),
                (1, record.actions()[0].clone()),
            ],
            ..Patch::default()
        };
        record.replay(swapped).unwrap();
        let now: Vec<_> = record.actions().iter().map(|a| a.id).collect();
        assert_eq!(now, [ids[2], ids[0]]);
        assert_eq!(record.position_of_action(ids[2]), Some(0));
        assert_eq!(record.position_of_action(ids[0]), Some(1));
        assert_eq!(
            record.action(ids[1]),
            None,
            "the row cut off is gone by id too"
        );
    }

    #[test]
    fn rows_brought_in_are_taken_back_by_the_patch_handed_back() {
        let (mut record, pupil) = record_with_pupil();
        record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let before = record.clone();
        let mut other = record.clone();
        let (_, _) = other
            .edit_action(
                other.actions()[0].id,
                &[Edit::Owner("Parent".into())],
                None,
                at(11),
            )
            .unwrap();
        let (_, _) = other
            .add_action(&draft(pupil, "Class teacher"), today(), at(11))
            .unwrap();
        let rows = Patch {
            lengths: other.lengths(),
            actions: vec![
                (0, other.actions()[0].clone()),
                (1, other.actions()[1].clone()),
            ],
            history: (1..3).map(|p| (p, other.history()[p].clone())).collect(),
            ..Patch::default()
        };
        let (back, touched) = record.bring_in(rows).unwrap();
        assert_eq!(record, other);
        assert_eq!(
            touched,
            Touched(vec![
                (Kind::Actions, 0),
                (Kind::Actions, 1),
                (Kind::History, 1),
                (Kind::History, 2)
            ])
        );
        assert_eq!(back.lengths, before.lengths());
        assert_eq!(back.actions, vec![(0, before.actions()[0].clone())]);
        // Taking it back writes the row put back and every position cut off.
        let (_, touched) = record.bring_in(back).unwrap();
        assert_eq!(record, before);
        assert_eq!(
            touched,
            Touched(vec![
                (Kind::Actions, 0),
                (Kind::Actions, 1),
                (Kind::History, 1),
                (Kind::History, 2)
            ])
        );
    }
}
