//! An import plan carried out, every change or none, and the undo that puts the record back.

use super::{Changes, Entity, ImportPlan};
use crate::record::{Patch, Record, Refusal, Touched, Undo};

/// Makes every change of the plan, or none. Refused when the file has problems, or when the
/// record changed after the plan was made (choose the file again to see a fresh preview).
// Never inlined into the app's views, which are compiled for size (see Cargo.toml).
#[inline(never)]
pub fn apply(record: &mut Record, plan: &ImportPlan) -> Result<(Undo, Touched), Refusal> {
    if !plan.can_apply() {
        return Err(Refusal::Import(format!(
            "Nothing was imported: the file has {} to put right first.",
            super::count(plan.problems.len(), "problem", "problems")
        )));
    }
    if !record.history_complete() {
        return Err(Refusal::Import(
            "The record's history is still being read. Nothing was imported: try again in a \
             moment."
                .into(),
        ));
    }
    let stale = || {
        Refusal::Import(
            "The record changed after this preview was made. Nothing was imported: choose the \
             file again to see what it would change now."
                .into(),
        )
    };
    if record.lengths() != plan.lengths
        || !still_as_planned(record, &plan.pupils)
        || !still_as_planned(record, &plan.meetings)
        || !still_as_planned(record, &plan.actions)
    {
        return Err(stale());
    }
    let [pupils, meetings, actions, history] = record.lengths();
    let rows = Patch {
        lengths: [
            pupils + plan.pupils.added.len(),
            meetings + plan.meetings.added.len(),
            actions + plan.actions.added.len(),
            history + plan.history.len(),
        ],
        pupils: rows_of(&plan.pupils, pupils),
        meetings: rows_of(&plan.meetings, meetings),
        actions: rows_of(&plan.actions, actions),
        history: (history..).zip(plan.history.iter().cloned()).collect(),
    };
    // The plan was checked against the record just above, so the record only refuses the rows
    // if something the checks do not see has changed: the answer is the same.
    let (before, touched) = record.bring_in(rows).map_err(|_| stale())?;
    Ok((Undo::Imported(before), touched))
}

fn still_as_planned<T: Entity>(record: &Record, changes: &Changes<T>) -> bool {
    let rows = T::rows(record);
    changes
        .writes()
        .all(|(position, ours, _)| rows.get(position) == Some(ours))
}

/// The rows of one kind an import writes, at their positions: those it replaces where they
/// stand, then those it adds from `length` (the kind's length now) on.
fn rows_of<T: Entity>(changes: &Changes<T>, length: usize) -> Vec<(usize, T)> {
    let replaced = changes
        .writes()
        .map(|(position, _, theirs)| (position, theirs.clone()));
    let added = (length..).zip(changes.added.iter().cloned());
    replaced.chain(added).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Status;
    use crate::bundle::{self, Part};
    use crate::record::tests::from_rows;
    use crate::record::{Edit, MeetingEdit, PupilEdit};
    use crate::sample::{sample, SampleSize};
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
    }
    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 23, hour, 0, 0).unwrap()
    }
    fn school(seed: u64) -> Record {
        let size = SampleSize {
            pupils: 20,
            actions: 400,
        };
        sample(seed, size, today())
    }
    /// Imports `file` into `ours`, undoes it, and checks the record is exactly as before.
    fn imported_and_undone(mut ours: Record, file: &Record, take_theirs: bool) -> ImportPlan {
        let before = ours.clone();
        let bytes = bundle::export(file, &Part::Everything, at(15));
        let mut plan = bundle::plan(&ours, "sendlog-2026-04-23.json", &bytes);
        assert!(plan.can_apply(), "{:?}", plan.problems);
        plan.take_theirs_everywhere(take_theirs);
        let (undo, touched) = apply(&mut ours, &plan).unwrap();
        assert!(matches!(undo, Undo::Imported(_)));
        assert_ne!(ours, before);
        assert_eq!(
            from_rows(&ours),
            ours,
            "every row is found by id after the import"
        );
        let undone = ours.undo(&undo, at(16)).unwrap();
        assert_eq!(ours, before);
        assert_eq!(from_rows(&ours), before);
        let sorted = |t: &Touched| {
            let mut positions = t.0.clone();
            positions.sort();
            positions
        };
        assert_eq!(sorted(&undone), sorted(&touched));
        plan
    }

    #[test]
    fn undoing_an_import_that_adds_rows_gives_back_the_record_before_it() {
        let plan = imported_and_undone(school(7), &school(8), false);
        assert!(plan.pupils.added.len() == 20 && plan.actions.added.len() == 400);
        assert!(!plan.meetings.added.is_empty() && !plan.history.is_empty());
    }

    #[test]
    fn undoing_an_import_that_updates_rows_gives_back_the_record_before_it() {
        let mut ours = school(7);
        let mut theirs = ours.clone();
        for position in [0, 150, 399] {
            let id = theirs.actions()[position].id;
            let edits = [Edit::Status(Status::Parked)];
            theirs.edit_action(id, &edits, None, at(11)).unwrap();
        }
        let pupil = theirs.pupils()[3].id;
        let rename = PupilEdit::Name("Ada Lovelace".into());
        theirs.edit_pupil(pupil, rename, at(11)).unwrap();
        let meeting = theirs.meetings()[2].id;
        let summary = MeetingEdit::Summary("Talked it through again".into());
        theirs.edit_meeting(meeting, summary, at(11)).unwrap();
        // The same row changed differently at the same moment on both devices: a conflict,
        // settled for the file's version.
        let id = ours.actions()[200].id;
        ours.edit_action(id, &[Edit::Owner("Mr Carter".into())], None, at(12))
            .unwrap();
        theirs
            .edit_action(id, &[Edit::Owner("Mrs Patel".into())], None, at(12))
            .unwrap();
        let plan = imported_and_undone(ours, &theirs, true);
        assert_eq!(plan.actions.replaced.len(), 3);
        assert_eq!(plan.actions.conflicts.len(), 1);
        assert_eq!(plan.pupils.replaced.len(), 1);
        assert_eq!(plan.meetings.replaced.len(), 1);
        assert!(plan.actions.added.is_empty() && plan.pupils.added.is_empty());
        assert_eq!(
            plan.history.len(),
            4,
            "the file's history entries of its edits"
        );
    }
}
