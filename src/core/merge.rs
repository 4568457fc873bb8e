//! Bringing a file into the record: an [`ImportPlan`] says, before anything changes, what an
//! import would add, update and leave alone, which rows disagree (conflicts), and what is wrong
//! with the file. [`apply`] then brings the rows in through the record's own
//! [`Record::bring_in`], every change or none, and hands back the patch that "Undo" replays to
//! put the record back exactly as it was (the rows replaced, as they were, and the lengths
//! before).
//!
//! Merging is by record id. Each pupil, meeting and action carries the time it last changed (its
//! clock): the newer version wins; two different versions with the same clock are a conflict,
//! shown side by side, and this device's version is kept unless the person chooses the file's.
//! History entries never change once written, so they are brought in by id: one not yet on this
//! device is added, one already here is left alone. Importing the same file twice therefore
//! changes nothing the second time.

use super::action::Action;
use super::choice::Choice;
use super::dates;
use super::history::HistoryEntry;
use super::id::{ActionId, EntryId, MeetingId, PupilId};
use super::meeting::Meeting;
use super::pupil::Pupil;
use super::record::{Patch, Record, Refusal, Touched, Undo};
use chrono::{DateTime, Utc};
use rustc_hash::FxHashSet as HashSet;
use std::hash::Hash;

/// Something wrong with one row or field of a file. Any problem stops the import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, as a person finds it: "Row 5" in a spreadsheet, "Action 12" in a bundle.
    pub place: String,
    /// The column or field: "Due".
    pub column: String,
    /// What is wrong and how to put it right.
    pub message: String,
}

impl Problem {
    /// What stops a whole file being read: "The file: it ends too soon…".
    pub fn with_file(message: impl Into<String>) -> Self {
        Problem {
            place: FILE.into(),
            column: String::new(),
            message: message.into(),
        }
    }

    /// The problem is with the whole file, not one row.
    pub fn is_with_file(&self) -> bool {
        self.place == FILE
    }
}

/// Where a problem with a whole file is said to be.
const FILE: &str = "The file";

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "{}: {}", self.place, self.message)
        } else {
            write!(f, "{}, {}: {}", self.place, self.column, self.message)
        }
    }
}

/// One field that differs between two versions of a row, as a person reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub label: &'static str,
    pub ours: String,
    pub theirs: String,
}

/// A pupil, meeting or action as the merge sees it.
pub trait Entity: Clone + PartialEq + std::fmt::Debug {
    type Id: Copy + Eq + Hash + std::fmt::Display;
    fn id(&self) -> Self::Id;
    /// When this version was made; the newer version wins.
    fn clock(&self) -> DateTime<Utc>;
    /// The fields a person reads that differ from `theirs`.
    fn field_differences(&self, theirs: &Self) -> Vec<Difference>;
    /// What differs from `theirs`: the fields, or when no field does, when each was last changed.
    fn differences(&self, theirs: &Self) -> Vec<Difference> {
        let mut out = self.field_differences(theirs);
        if out.is_empty() && self.clock() != theirs.clock() {
            let moment = |at: DateTime<Utc>| {
                format!(
                    "{} {} UTC",
                    dates::uk(at.date_naive()),
                    dates::hours_minutes(at)
                )
            };
            differ(
                &mut out,
                "Last changed",
                moment(self.clock()),
                moment(theirs.clock()),
            );
        }
        out
    }
    fn rows(record: &Record) -> &[Self];
    fn position(record: &Record, id: Self::Id) -> Option<usize>;
}

/// Pushes a difference when the two texts differ.
fn differ(out: &mut Vec<Difference>, label: &'static str, ours: String, theirs: String) {
    if ours != theirs {
        out.push(Difference {
            label,
            ours,
            theirs,
        });
    }
}

fn date_text(date: Option<chrono::NaiveDate>) -> String {
    date.map(dates::uk).unwrap_or_else(|| "none".into())
}

impl Entity for Pupil {
    type Id = PupilId;
    fn id(&self) -> PupilId {
        self.id
    }
    fn clock(&self) -> DateTime<Utc> {
        self.updated_at
    }
    fn field_differences(&self, theirs: &Self) -> Vec<Difference> {
        let mut out = Vec::new();
        differ(&mut out, "Name", self.name.clone(), theirs.name.clone());
        differ(
            &mut out,
            "Year group",
            self.year_group.label().into(),
            theirs.year_group.label().into(),
        );
        differ(
            &mut out,
            "SEND status",
            self.send_status.label().into(),
            theirs.send_status.label().into(),
        );
        differ(
            &mut out,
            "Annual review",
            date_text(self.annual_review),
            date_text(theirs.annual_review),
        );
        out
    }
    fn rows(record: &Record) -> &[Self] {
        record.pupils()
    }
    fn position(record: &Record, id: PupilId) -> Option<usize> {
        record.position_of_pupil(id)
    }
}

impl Entity for Meeting {
    type Id = MeetingId;
    fn id(&self) -> MeetingId {
        self.id
    }
    fn clock(&self) -> DateTime<Utc> {
        self.updated_at
    }
    fn field_differences(&self, theirs: &Self) -> Vec<Difference> {
        let mut out = Vec::new();
        differ(
            &mut out,
            "Date",
            dates::uk(self.date),
            dates::uk(theirs.date),
        );
        differ(
            &mut out,
            "Type",
            self.meeting_type.label().into(),
            theirs.meeting_type.label().into(),
        );
        differ(
            &mut out,
            "Who was there",
            self.attendees.join(", "),
            theirs.attendees.join(", "),
        );
        differ(
            &mut out,
            "Summary",
            self.summary.clone(),
            theirs.summary.clone(),
        );
        differ(
            &mut out,
            "Working notes",
            self.working_notes.clone(),
            theirs.working_notes.clone(),
        );
        if self.pupil != theirs.pupil {
            differ(
                &mut out,
                "Pupil",
                self.pupil.to_string(),
                theirs.pupil.to_string(),
            );
        }
        out
    }
    fn rows(record: &Record) -> &[Self] {
        record.meetings()
    }
    fn position(record: &Record, id: MeetingId) -> Option<usize> {
        record.position_of_meeting(id)
    }
}

impl Entity for Action {
    type Id = ActionId;
    fn id(&self) -> ActionId {
        self.id
    }
    fn clock(&self) -> DateTime<Utc> {
        self.last_update.at
    }
    fn field_differences(&self, theirs: &Self) -> Vec<Difference> {
        let mut out = Vec::new();
        let d = &mut out;
        differ(d, "Pupil", self.pupil.to_string(), theirs.pupil.to_string());
        differ(
            d,
            "Date raised",
            dates::uk(self.raised),
            dates::uk(theirs.raised),
        );
        differ(
            d,
            "Meeting",
            self.meeting.map(|m| m.to_string()).unwrap_or_default(),
            theirs.meeting.map(|m| m.to_string()).unwrap_or_default(),
        );
        differ(
            d,
            "Item type",
            self.item_type.label().into(),
            theirs.item_type.label().into(),
        );
        differ(
            d,
            "Issue or decision",
            self.decision.clone(),
            theirs.decision.clone(),
        );
        differ(
            d,
            "Action",
            self.next_step.clone(),
            theirs.next_step.clone(),
        );
        differ(d, "Owner", self.owner.clone(), theirs.owner.clone());
        differ(d, "Due", dates::uk(self.due), dates::uk(theirs.due));
        differ(
            d,
            "Status",
            self.status.label().into(),
            theirs.status.label().into(),
        );
        differ(
            d,
            "Last update",
            self.last_update.note.clone(),
            theirs.last_update.note.clone(),
        );
        differ(
            d,
            "Evidence or note",
            self.evidence.clone(),
            theirs.evidence.clone(),
        );
        differ(
            d,
            "Next review",
            date_text(self.next_review),
            date_text(theirs.next_review),
        );
        let yes_no = |flag: bool| if flag { "yes" } else { "no" }.to_string();
        differ(
            d,
            "Needs escalation",
            yes_no(self.escalate),
            yes_no(theirs.escalate),
        );
        out
    }
    fn rows(record: &Record) -> &[Self] {
        record.actions()
    }
    fn position(record: &Record, id: ActionId) -> Option<usize> {
        record.position_of_action(id)
    }
}

/// Two versions of a row with the same clock that say different things.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict<T> {
    pub position: usize,
    /// What the row is, for a person: "Action for Siân Evans: Send the reading log".
    pub what: String,
    pub ours: T,
    pub theirs: T,
    pub differences: Vec<Difference>,
    /// The person chose the file's version; by default this device's is kept.
    pub take_theirs: bool,
}

/// What an import does to one kind of row.
#[derive(Clone, Debug, PartialEq)]
pub struct Changes<T> {
    /// Rows not on this device yet.
    pub added: Vec<T>,
    /// Rows the file changes: (position, as it is here, as it will be).
    pub replaced: Vec<(usize, T, T)>,
    pub conflicts: Vec<Conflict<T>>,
    /// Rows already here exactly as in the file.
    pub unchanged: usize,
    /// Rows changed more recently on this device than in the file: this device's are kept.
    pub kept_newer: usize,
}

impl<T> Default for Changes<T> {
    fn default() -> Self {
        Changes {
            added: Vec::new(),
            replaced: Vec::new(),
            conflicts: Vec::new(),
            unchanged: 0,
            kept_newer: 0,
        }
    }
}

impl<T: Entity> Changes<T> {
    /// Sorts the file's rows against this device's, by id and clock.
    pub fn merge(record: &Record, incoming: Vec<T>, describe: impl Fn(&T) -> String) -> Self {
        let mut changes = Changes::default();
        for theirs in incoming {
            let Some(position) = T::position(record, theirs.id()) else {
                changes.added.push(theirs);
                continue;
            };
            let ours = &T::rows(record)[position];
            if *ours == theirs {
                changes.unchanged += 1;
            } else if theirs.clock() > ours.clock() {
                changes.replaced.push((position, ours.clone(), theirs));
            } else if theirs.clock() < ours.clock() {
                changes.kept_newer += 1;
            } else {
                changes.conflicts.push(Conflict {
                    position,
                    what: describe(ours),
                    differences: ours.differences(&theirs),
                    ours: ours.clone(),
                    theirs,
                    take_theirs: false,
                });
            }
        }
        changes
    }

    fn writes(&self) -> impl Iterator<Item = (usize, &T, &T)> {
        let replaced = self
            .replaced
            .iter()
            .map(|(p, ours, theirs)| (*p, ours, theirs));
        let chosen = self
            .conflicts
            .iter()
            .filter(|c| c.take_theirs)
            .map(|c| (c.position, &c.ours, &c.theirs));
        replaced.chain(chosen)
    }

    /// How many rows this import would write.
    pub fn changed(&self) -> usize {
        self.added.len() + self.writes().count()
    }
}

/// Everything an import would do, worked out before anything changes.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPlan {
    /// The file's name, for messages and history notes.
    pub source: String,
    pub pupils: Changes<Pupil>,
    pub meetings: Changes<Meeting>,
    pub actions: Changes<Action>,
    /// History entries not yet on this device, in the order they will be added.
    pub history: Vec<HistoryEntry>,
    /// What is wrong with the file: while there is any, nothing can be imported.
    pub problems: Vec<Problem>,
    /// Worth a look, but no reason to refuse the file (a vague action, say).
    pub warnings: Vec<Problem>,
    /// How the file was read ("The column Notes2 was not used").
    pub notes: Vec<String>,
    lengths: [usize; 4],
}

impl ImportPlan {
    /// An empty plan for a file, against the record as it is now.
    pub fn new(record: &Record, source: &str) -> Self {
        ImportPlan {
            source: source.to_string(),
            pupils: Changes::default(),
            meetings: Changes::default(),
            actions: Changes::default(),
            history: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            notes: Vec::new(),
            lengths: record.lengths(),
        }
    }

    /// A plan that refuses the whole file for one reason.
    pub fn refused(record: &Record, source: &str, problem: Problem) -> Self {
        let mut plan = ImportPlan::new(record, source);
        plan.problems.push(problem);
        plan
    }

    /// Nothing is wrong with the file.
    pub fn can_apply(&self) -> bool {
        self.problems.is_empty()
    }

    /// Applying it would change nothing.
    pub fn changes_nothing(&self) -> bool {
        self.pupils.changed()
            + self.meetings.changed()
            + self.actions.changed()
            + self.history.len()
            == 0
    }

    /// Everything in the file is already here: nothing would change and nothing needs choosing.
    pub fn already_here(&self) -> bool {
        self.changes_nothing() && self.conflict_count() == 0
    }

    /// Every conflict, for a person to choose between the two versions.
    pub fn conflict_count(&self) -> usize {
        self.pupils.conflicts.len() + self.meetings.conflicts.len() + self.actions.conflicts.len()
    }

    /// Chooses, for every conflict at once, the file's version (`true`) or this device's.
    pub fn take_theirs_everywhere(&mut self, take: bool) {
        self.pupils
            .conflicts
            .iter_mut()
            .for_each(|c| c.take_theirs = take);
        self.meetings
            .conflicts
            .iter_mut()
            .for_each(|c| c.take_theirs = take);
        self.actions
            .conflicts
            .iter_mut()
            .for_each(|c| c.take_theirs = take);
    }
}

/// "1 new action", "3 new actions".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One row an import changes, for a person to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub what: String,
    pub differences: Vec<Difference>,
}

impl ImportPlan {
    /// What the import would do, a line each, leaving out what it does not do at all.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = |n: usize, text: String| {
            if n > 0 {
                lines.push(text)
            }
        };
        let added = |n: usize, one: &str, many: &str| (n, count(n, one, many));
        let (n, text) = added(self.actions.added.len(), "new action", "new actions");
        line(n, text);
        let (n, text) = added(self.pupils.added.len(), "new pupil", "new pupils");
        line(n, text);
        let (n, text) = added(self.meetings.added.len(), "new meeting", "new meetings");
        line(n, text);
        let updated = self.actions.replaced.len();
        line(updated, count(updated, "action updated", "actions updated"));
        let others = self.pupils.replaced.len() + self.meetings.replaced.len();
        line(
            others,
            count(
                others,
                "pupil or meeting updated",
                "pupils or meetings updated",
            ),
        );
        let added_history = self.history.len();
        line(
            added_history,
            count(
                added_history,
                "history entry added",
                "history entries added",
            ),
        );
        let unchanged = self.actions.unchanged;
        line(
            unchanged,
            format!(
                "{} already on this device, unchanged",
                count(unchanged, "action", "actions")
            ),
        );
        let kept = self.pupils.kept_newer + self.meetings.kept_newer + self.actions.kept_newer;
        line(
            kept,
            format!(
                "{} kept as on this device, where {} changed more recently",
                count(kept, "row", "rows"),
                if kept == 1 { "it was" } else { "they were" }
            ),
        );
        let conflicts = self.conflict_count();
        line(
            conflicts,
            format!(
                "{}: changed differently here and in the file; choose which to keep",
                count(conflicts, "conflict", "conflicts")
            ),
        );
        lines
    }

    /// What was imported, in a few words, for the announcement and the undo button.
    pub fn headline(&self) -> String {
        let mut parts = Vec::new();
        let added = self.actions.added.len();
        if added > 0 {
            parts.push(count(added, "new action", "new actions"));
        }
        let updated = self.actions.writes().count();
        if updated > 0 {
            parts.push(count(updated, "action updated", "actions updated"));
        }
        let others = self.pupils.changed() + self.meetings.changed();
        if parts.is_empty() && others > 0 {
            parts.push(count(others, "pupil or meeting", "pupils or meetings"));
        }
        if parts.is_empty() {
            parts.push(count(
                self.history.len(),
                "history entry",
                "history entries",
            ));
        }
        format!("Imported {}: {}", self.source, parts.join(", "))
    }

    /// The rows the import would change (not add), described, at most `limit` of them.
    pub fn updates(&self, record: &Record, limit: usize) -> Vec<Update> {
        let pupil_name = |id: PupilId| {
            record
                .pupil(id)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| "an unknown pupil".into())
        };
        let pupils = self.pupils.replaced.iter().map(|(_, ours, theirs)| Update {
            what: format!("Pupil {}", ours.name),
            differences: ours.differences(theirs),
        });
        let meetings = self
            .meetings
            .replaced
            .iter()
            .map(|(_, ours, theirs)| Update {
                what: format!(
                    "{} for {} on {}",
                    ours.meeting_type.label(),
                    pupil_name(ours.pupil),
                    dates::uk(ours.date)
                ),
                differences: ours.differences(theirs),
            });
        let actions = self
            .actions
            .replaced
            .iter()
            .map(|(_, ours, theirs)| Update {
                what: format!("Action for {}: {}", pupil_name(ours.pupil), ours.next_step),
                differences: ours.differences(theirs),
            });
        pupils.chain(meetings).chain(actions).take(limit).collect()
    }
}

/// History entries of `incoming` not yet in the record, each once.
pub fn new_history(record: &Record, incoming: Vec<HistoryEntry>) -> Vec<HistoryEntry> {
    let mut seen: HashSet<EntryId> = record.history().iter().map(|h| h.id).collect();
    incoming
        .into_iter()
        .filter(|entry| seen.insert(entry.id))
        .collect()
}

/// Makes every change of the plan, or none. Refused when the file has problems, or when the
/// record changed after the plan was made (choose the file again to see a fresh preview).
// Never inlined into the app's views, which are compiled for size (see Cargo.toml).
#[inline(never)]
pub fn apply(record: &mut Record, plan: &ImportPlan) -> Result<(Undo, Touched), Refusal> {
    if !plan.can_apply() {
        return Err(Refusal::Import(format!(
            "Nothing was imported: the file has {} problem(s) to put right first.",
            plan.problems.len()
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
    use chrono::{NaiveDate, TimeZone};

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
