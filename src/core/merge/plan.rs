//! The plan of an import, worked out before anything changes: each kind of row sorted against
//! this device's by id and clock, the history to add, and what the plan says it would do.

use super::{Difference, Entity, Problem};
use crate::action::Action;
use crate::choice::Choice;
use crate::dates;
use crate::history::HistoryEntry;
use crate::id::{EntryId, PupilId};
use crate::meeting::Meeting;
use crate::pupil::{Pupil, YearGroup};
use crate::record::Record;
use rustc_hash::FxHashSet as HashSet;

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

    pub(super) fn writes(&self) -> impl Iterator<Item = (usize, &T, &T)> {
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

/// A pupil a spreadsheet adds without a year group, and the one chosen for them in the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearToChoose {
    /// As the file first writes it.
    pub name: String,
    pub chosen: Option<YearGroup>,
    /// The file's class or form for the pupil, when it suggested the year group chosen.
    pub from_class: Option<String>,
}

/// A value of a spreadsheet's column that SEND Log does not know ("Amber" as a status), and
/// the choice the person made for it in the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueToChoose {
    /// The column, by the file's header; and the SEND Log field it fills, by its header.
    pub header: String,
    pub field: &'static str,
    /// The value, as the file first writes it.
    pub text: String,
    /// The first few rows with it, and how many have it.
    pub rows: Vec<usize>,
    pub count: usize,
    /// What it can be (labels), and what the person chose.
    pub choices: Vec<&'static str>,
    pub chosen: Option<&'static str>,
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
    /// New pupils the file gives no year group: nothing can be imported until each has one.
    pub years_to_choose: Vec<YearToChoose>,
    /// Values the file uses that SEND Log does not know: nothing can be imported until each
    /// has a choice.
    pub values_to_choose: Vec<ValueToChoose>,
    pub(super) lengths: [usize; 4],
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
            years_to_choose: Vec::new(),
            values_to_choose: Vec::new(),
            lengths: record.lengths(),
        }
    }

    /// A plan that refuses the whole file for one reason.
    pub fn refused(record: &Record, source: &str, problem: Problem) -> Self {
        let mut plan = ImportPlan::new(record, source);
        plan.problems.push(problem);
        plan
    }

    /// Nothing is wrong with the file, and nothing is left to choose.
    pub fn can_apply(&self) -> bool {
        self.problems.is_empty()
            && self.years_to_choose.iter().all(|y| y.chosen.is_some())
            && self.values_to_choose.iter().all(|v| v.chosen.is_some())
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
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
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
