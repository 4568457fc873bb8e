//! Bringing a file into the record: an [`ImportPlan`] says, before anything changes, what an
//! import would add, update and leave alone, which rows disagree (conflicts), and what is wrong
//! with the file. [`apply`] then makes every change or none, and hands back a snapshot that
//! "Undo" uses to put the record back exactly as it was.
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
use super::record::{Kind, Record, Refusal, Touched, Undo};
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
    const KIND: Kind;
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
    const KIND: Kind = Kind::Pupils;
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
    const KIND: Kind = Kind::Meetings;
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
    const KIND: Kind = Kind::Actions;
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

/// What the record was before an import, so that "Undo" puts it back exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    lengths: [usize; 4],
    pupils: Vec<(usize, Pupil)>,
    meetings: Vec<(usize, Meeting)>,
    actions: Vec<(usize, Action)>,
    /// Words for the announcement: "the import of sendlog-2026-04-23.json".
    pub label: String,
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
    let lengths = record.lengths();
    let mut snapshot = Snapshot {
        lengths,
        pupils: Vec::new(),
        meetings: Vec::new(),
        actions: Vec::new(),
        label: format!("the import of {}", plan.source),
    };
    let mut touched = Touched::default();
    {
        let rows = record.rows_mut();
        put(rows.0, &plan.pupils, &mut snapshot.pupils, &mut touched);
        put(rows.1, &plan.meetings, &mut snapshot.meetings, &mut touched);
        put(rows.2, &plan.actions, &mut snapshot.actions, &mut touched);
        let first = rows.3.len();
        rows.3.extend(plan.history.iter().cloned());
        touched
            .0
            .extend((first..rows.3.len()).map(|p| (Kind::History, p)));
    }
    record.reindex();
    Ok((Undo::Imported(Box::new(snapshot)), touched))
}

fn still_as_planned<T: Entity>(record: &Record, changes: &Changes<T>) -> bool {
    let rows = T::rows(record);
    changes
        .writes()
        .all(|(position, ours, _)| rows.get(position) == Some(ours))
}

fn put<T: Entity>(
    rows: &mut Vec<T>,
    changes: &Changes<T>,
    before: &mut Vec<(usize, T)>,
    touched: &mut Touched,
) {
    for (position, ours, theirs) in changes.writes() {
        before.push((position, ours.clone()));
        rows[position] = theirs.clone();
        touched.0.push((T::KIND, position));
    }
    let first = rows.len();
    rows.extend(changes.added.iter().cloned());
    touched.0.extend((first..rows.len()).map(|p| (T::KIND, p)));
}

/// Puts the record back as it was before an import: rows it changed get their old versions,
/// rows it added go. Every bucket from the first added row to the old end is written again.
pub fn restore(record: &mut Record, snapshot: &Snapshot) -> Touched {
    let mut touched = Touched::default();
    let now = record.lengths();
    {
        let rows = record.rows_mut();
        take_back(rows.0, &snapshot.pupils, snapshot.lengths[0], &mut touched);
        take_back(
            rows.1,
            &snapshot.meetings,
            snapshot.lengths[1],
            &mut touched,
        );
        take_back(rows.2, &snapshot.actions, snapshot.lengths[2], &mut touched);
        rows.3.truncate(snapshot.lengths[3]);
        touched
            .0
            .extend((snapshot.lengths[3]..now[3]).map(|p| (Kind::History, p)));
    }
    record.reindex();
    touched
}

fn take_back<T: Entity>(
    rows: &mut Vec<T>,
    before: &[(usize, T)],
    length: usize,
    touched: &mut Touched,
) {
    let now = rows.len();
    rows.truncate(length);
    for (position, old) in before {
        rows[*position] = old.clone();
        touched.0.push((T::KIND, *position));
    }
    touched.0.extend((length..now).map(|p| (T::KIND, p)));
}
