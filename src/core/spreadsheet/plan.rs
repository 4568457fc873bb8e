//! What importing the rows would do: each row an action added, or one on this device updated.

use super::cells::Value;
use super::columns::Column;
use super::matching::{MeetingKey, Names};
use super::read::{header_of, RowIn};
use super::squash;
use crate::action::{Action, ItemType, LastUpdate, Status};
use crate::choice::Choice;
use crate::dates;
use crate::guard::{self, OwnerCheck};
use crate::history::HistoryEntry;
use crate::id::{ActionId, EntryId, MeetingId, PupilId};
use crate::merge::{Conflict, ImportPlan, Problem, ValueToChoose};
use crate::pupil::YearGroup;
use crate::record::{self, Edit, Record};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rustc_hash::FxHashMap as HashMap;

/// The rows of a spreadsheet, turned into changes to the record one by one.
pub(super) struct Rows<'a> {
    pub(super) record: &'a Record,
    pub(super) plan: &'a mut ImportPlan,
    pub(super) headers: &'a HashMap<Column, String>,
    pub(super) today: NaiveDate,
    pub(super) now: DateTime<Utc>,
    pub(super) pupils_by_name: Names,
    /// Pupils this file adds: by id, their place in the plan.
    pub(super) new_pupils: HashMap<PupilId, usize>,
    /// Meetings this file adds, with their dates: by id, and by (pupil, date, type) for rows
    /// without an id.
    pub(super) new_meetings: HashMap<MeetingKey, (MeetingId, NaiveDate)>,
    /// This device's meetings, by (pupil, date, type), for rows that name a meeting that way.
    pub(super) held: HashMap<MeetingKey, MeetingId>,
    /// Action ids already met in the file, with the row that had each.
    pub(super) seen: HashMap<ActionId, usize>,
    pub(super) defaulted_send_status: usize,
    /// What the owner check said of each owner met so far.
    pub(super) owners: HashMap<String, OwnerCheck>,
    /// "Imported from …": the note of every row this file adds or changes.
    pub(super) imported: String,
    /// Rows that name another pupil, meeting or date raised for an action on this device.
    pub(super) not_moved: Vec<usize>,
    /// Actions added with no date in their row, so raised today.
    pub(super) raised_today: usize,
    /// The year groups chosen in the preview for new pupils the file gives none, by squashed
    /// name; and the names asked about so far.
    pub(super) chosen_years: &'a HashMap<String, YearGroup>,
    pub(super) asked_years: HashMap<String, ()>,
    /// Columns the person chose to add to the note: place and header.
    pub(super) note_columns: &'a [(u32, String)],
    /// Rows whose status says Overdue (read as none: overdue is worked out from the due date).
    pub(super) overdue: usize,
    /// Values chosen in the preview for those SEND Log does not know; and where each value
    /// asked about is in the plan's list.
    pub(super) chosen_values: &'a HashMap<(Column, String), &'static str>,
    pub(super) asked_values: HashMap<(Column, String), usize>,
}

/// The rows named for a value to choose; the rest are counted.
const ROWS_NAMED: usize = 5;

/// The labels a column's values can be chosen from in the preview, when the file writes one
/// SEND Log does not know (a RAG colour as a status, a school's own item type).
pub(super) fn choices_of(column: Column) -> Option<Vec<&'static str>> {
    fn labels<T: Choice>() -> Vec<&'static str> {
        T::ALL.iter().map(|c| c.label()).collect()
    }
    match column {
        Column::Status => Some(labels::<Status>()),
        Column::ItemType => Some(labels::<ItemType>()),
        _ => None,
    }
}

/// A wrong cell, listed as a problem of its row.
pub(super) struct Listed;

/// The fields of a row, read and checked.
#[derive(Default)]
struct Fields {
    item_type: Option<ItemType>,
    status: Option<Status>,
    due: Option<NaiveDate>,
    next_review: Option<Option<NaiveDate>>,
    escalate: Option<bool>,
    /// `Some(None)`: an empty cell, an ordinary action.
    statutory: Option<Option<crate::statutory::Statutory>>,
    raised: Option<NaiveDate>,
    last_updated: Option<NaiveDate>,
}

impl Rows<'_> {
    pub(super) fn problem(&mut self, row: &RowIn, column: Column, message: String) {
        self.plan.problems.push(Problem {
            place: format!("Row {}", row.number),
            column: header_of(self.headers, column),
            message,
        });
    }

    /// The value of a column's cell as the column table reads it: `Ok(None)` when the file has
    /// no such column; [`Listed`] when the cell is wrong, which is listed as a problem.
    pub(super) fn read<'r>(
        &mut self,
        row: &RowIn<'r>,
        column: Column,
    ) -> Result<Option<Value<'r>>, Listed> {
        match row.read(column) {
            None => Ok(None),
            Some(Ok(value)) => Ok(Some(value)),
            Some(Err(message)) => match choices_of(column) {
                Some(choices) => Ok(self.chosen_value(row, column, choices)),
                None => {
                    self.problem(row, column, message);
                    Err(Listed)
                }
            },
        }
    }

    /// A value SEND Log does not know, in a column whose values the person can choose: what
    /// they chose for it, or none (listed in the preview for a choice) until they have.
    fn chosen_value(
        &mut self,
        row: &RowIn,
        column: Column,
        choices: Vec<&'static str>,
    ) -> Option<Value<'static>> {
        let text = row.get(column).unwrap_or_default();
        let key = (column, squash(text));
        let chosen = self.chosen_values.get(&key).copied();
        let value = chosen
            .and_then(|label| column.read(label))
            .and_then(Result::ok);
        let header = header_of(self.headers, column);
        let asked = &mut self.plan.values_to_choose;
        let at = *self.asked_values.entry(key).or_insert_with(|| {
            asked.push(ValueToChoose {
                header,
                field: column.header(),
                text: text.to_string(),
                rows: Vec::new(),
                count: 0,
                choices,
                chosen,
            });
            asked.len() - 1
        });
        if let Some(asked) = self.plan.values_to_choose.get_mut(at) {
            asked.count += 1;
            if asked.rows.len() < ROWS_NAMED {
                asked.rows.push(row.number);
            }
        }
        value
    }

    /// [`Rows::read`], a wrong cell (listed as a problem) as none.
    pub(super) fn value<'r>(&mut self, row: &RowIn<'r>, column: Column) -> Option<Value<'r>> {
        self.read(row, column).ok().flatten()
    }

    pub(super) fn row(&mut self, row: &RowIn) {
        let Ok(id) = self.read(row, Column::ActionId) else {
            return;
        };
        let id = id.and_then(Value::action_id);
        if let Some(id) = id {
            if let Some(first) = self.seen.insert(id, row.number) {
                self.problem(
                    row,
                    Column::ActionId,
                    format!("the same action is on row {first} too. Keep one of the two rows."),
                );
                return;
            }
        }
        let before = self.plan.problems.len();
        let fields = self.fields(row);
        let problems_in_fields = self.plan.problems.len() > before;
        match id.and_then(|id| self.record.action(id)) {
            Some(action) => self.update(row, action, fields),
            None => self.add(row, id, fields, !problems_in_fields),
        }
    }

    /// Reads the typed fields of a row (dates, choices, yes/no), listing each one that is wrong.
    fn fields(&mut self, row: &RowIn) -> Fields {
        let date = |rows: &mut Self, column| rows.value(row, column).and_then(Value::date);
        if row
            .get(Column::Status)
            .is_some_and(|text| text.eq_ignore_ascii_case("overdue"))
        {
            self.overdue += 1;
        }
        Fields {
            due: date(self, Column::Due),
            raised: date(self, Column::DateRaised),
            last_updated: date(self, Column::LastUpdated),
            // An empty cell clears the next review: `Some(None)`.
            next_review: self.value(row, Column::NextReview).map(Value::date),
            status: self.value(row, Column::Status).and_then(Value::status),
            item_type: self.value(row, Column::ItemType).and_then(Value::item),
            escalate: self
                .value(row, Column::NeedsEscalation)
                .and_then(Value::flag),
            statutory: self.value(row, Column::Statutory).map(Value::statutory),
        }
    }

    fn update(&mut self, row: &RowIn, action: &Action, fields: Fields) {
        // A filled cell of a column: its value, or `None` if it cannot be read.
        let filled = |column| {
            row.read(column)
                .filter(|value| *value != Ok(Value::Empty))
                .map(Result::ok)
        };
        let other_pupil = filled(Column::PupilId)
            .is_some_and(|id| id.and_then(Value::pupil_id) != Some(action.pupil))
            || row.filled(Column::Pupil).is_some_and(|name| {
                self.record
                    .pupil(action.pupil)
                    .is_some_and(|p| squash(&p.name) != squash(name))
            });
        let other_meeting = filled(Column::MeetingId)
            .is_some_and(|id| id.and_then(Value::meeting_id) != action.meeting);
        let other_day = fields.raised.is_some_and(|raised| raised != action.raised);
        if other_pupil || other_meeting || other_day {
            self.not_moved.push(row.number);
        }
        let mut edits = Vec::new();
        if let Some(text) = row.get(Column::NextStep) {
            edits.push(Edit::NextStep(text.to_string()));
        }
        if let Some(text) = row.get(Column::Owner) {
            if let Some(owner) = self.owner(row, text) {
                edits.push(Edit::Owner(owner));
            }
        }
        if row.get(Column::Due).is_some() {
            match fields.due {
                Some(due) => edits.push(Edit::Due(due)),
                None if row.filled(Column::Due).is_none() => self.problem(
                    row,
                    Column::Due,
                    "is empty: every action needs a due or review date.".into(),
                ),
                None => {}
            }
        }
        if let Some(text) = row.get(Column::Decision) {
            edits.push(Edit::Decision(text.to_string()));
        }
        if let Some(text) = self.evidence(row) {
            edits.push(Edit::Evidence(text));
        }
        edits.extend(fields.status.map(Edit::Status));
        edits.extend(fields.item_type.map(Edit::ItemType));
        edits.extend(fields.next_review.map(Edit::NextReview));
        edits.extend(fields.escalate.map(Edit::Escalate));
        edits.extend(fields.statutory.map(Edit::Statutory));
        let note = &self.imported;
        match record::edited(action, &edits, None, self.now) {
            Err(refusal) => self.problem(row, Column::NextStep, refusal.to_string()),
            Ok(None) => self.plan.actions.unchanged += 1,
            Ok(Some((mut after, changes))) => {
                let Some(position) = self.record.position_of_action(action.id) else {
                    // Not reached: the action was found in this record by its id.
                    let message = "that action is not on this device. Clear the cell to add the \
                                   row as a new action."
                        .into();
                    return self.problem(row, Column::ActionId, message);
                };
                after.last_update.note = format!("{note}: {}", record::describe(&changes));
                self.plan.history.push(HistoryEntry {
                    id: EntryId::new(),
                    action: action.id,
                    at: self.now,
                    note: after.last_update.note.clone(),
                    meeting: None,
                    changes,
                });
                let changed_here_since = fields
                    .last_updated
                    .is_some_and(|file| action.last_update.at.date_naive() > file);
                if changed_here_since {
                    let pupil = self.record.pupil(action.pupil).map(|p| p.name.as_str());
                    self.plan.history.pop();
                    self.plan.actions.conflicts.push(Conflict {
                        position,
                        what: format!(
                            "Action for {}: {} (changed on this device on {}, after the file's \
                             last update)",
                            pupil.unwrap_or("an unknown pupil"),
                            action.next_step,
                            dates::uk(action.last_update.at.date_naive())
                        ),
                        differences: crate::merge::Entity::differences(action, &after),
                        ours: action.clone(),
                        theirs: after,
                        take_theirs: false,
                    });
                } else {
                    self.plan
                        .actions
                        .replaced
                        .push((position, action.clone(), after));
                }
            }
        }
    }

    /// The evidence or note of a row: its own column's, then each column chosen to go into the
    /// note as "Header: value"; `None` when the file has neither.
    fn evidence(&self, row: &RowIn) -> Option<String> {
        let own = row.get(Column::Evidence);
        if self.note_columns.is_empty() {
            return own.map(String::from);
        }
        let mut parts: Vec<String> = own
            .filter(|t| !t.is_empty())
            .map(String::from)
            .into_iter()
            .collect();
        for (at, header) in self.note_columns {
            let value = row.cell(*at);
            if !value.is_empty() {
                parts.push(format!("{header}: {value}"));
            }
        }
        Some(parts.join("; "))
    }

    fn owner(&mut self, row: &RowIn, text: &str) -> Option<String> {
        // A school has a few hundred owners at most, named again and again: each is checked once.
        let check = match self.owners.get(text) {
            Some(check) => check.clone(),
            None => {
                let check = guard::check_owner(text);
                self.owners.insert(text.to_string(), check.clone());
                check
            }
        };
        match check {
            OwnerCheck::One(owner) => Some(owner),
            OwnerCheck::Refused(reason) => {
                // The reason names what was typed; an empty cell is said to be empty first.
                let message = if text.trim().is_empty() {
                    format!("is empty. {reason}")
                } else {
                    reason
                };
                self.problem(row, Column::Owner, message);
                None
            }
            OwnerCheck::Several(owners) => {
                let message = format!(
                    "names {} people ({}): one owner per row. Copy the row, one for each.",
                    owners.len(),
                    owners.join(", ")
                );
                self.problem(row, Column::Owner, message);
                None
            }
        }
    }

    /// Adds the row as a new action; `clean` says its typed fields were all readable. Every
    /// problem of the row is listed either way.
    fn add(&mut self, row: &RowIn, id: Option<ActionId>, fields: Fields, clean: bool) {
        let owner = self.owner(row, row.get(Column::Owner).unwrap_or_default());
        let next_step = row.filled(Column::NextStep);
        if next_step.is_none() {
            self.problem(
                row,
                Column::NextStep,
                "is empty: write the next step, specific enough to check.".into(),
            );
        }
        if row.filled(Column::Due).is_none() {
            self.problem(
                row,
                Column::Due,
                "is empty: every action needs a due or review date.".into(),
            );
        }
        let Some(pupil) = self.pupil(row) else { return };
        let meeting = self.meeting(row, pupil);
        let (Some(owner), Some(next_step), Some(due), Some(meeting), true) =
            (owner, next_step, fields.due, meeting, clean)
        else {
            return;
        };
        for concern in guard::check_next_step(next_step) {
            self.plan.warnings.push(Problem {
                place: format!("Row {}", row.number),
                column: header_of(self.headers, Column::NextStep),
                message: concern.message,
            });
        }
        let meeting_date = meeting.and_then(|m| {
            self.record.meeting(m).map(|m| m.date).or_else(|| {
                self.new_meetings
                    .get(&MeetingKey::Id(m))
                    .map(|&(_, date)| date)
            })
        });
        let id = id.unwrap_or_default();
        let imported = self.imported.clone();
        let last_update = LastUpdate {
            at: fields
                .last_updated
                .map(|d| d.and_time(NaiveTime::MIN).and_utc())
                .unwrap_or(self.now),
            note: row
                .filled(Column::LastUpdateNote)
                .map(String::from)
                .unwrap_or_else(|| imported.clone()),
        };
        let raised = fields.raised.or(meeting_date).unwrap_or_else(|| {
            self.raised_today += 1;
            self.today
        });
        self.plan.actions.added.push(Action {
            id,
            pupil,
            raised,
            meeting,
            item_type: fields.item_type.unwrap_or(ItemType::Other),
            decision: row.get(Column::Decision).unwrap_or_default().to_string(),
            next_step: next_step.to_string(),
            owner,
            due,
            status: fields.status.unwrap_or(Status::Open),
            last_update,
            evidence: self.evidence(row).unwrap_or_default(),
            next_review: fields.next_review.flatten(),
            escalate: fields.escalate.unwrap_or(false),
            statutory: fields.statutory.flatten(),
        });
        self.plan.history.push(HistoryEntry {
            id: EntryId::new(),
            action: id,
            at: self.now,
            note: imported,
            meeting: None,
            changes: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::action::{ItemType, Status};
    use crate::spreadsheet::tests::{day, now, plan, problems, school, today, SOURCE};

    const HEADER: &str = "Pupil,Year group,Action,Owner,Due";

    #[test]
    fn a_row_without_an_id_adds_an_action_with_the_defaults_and_a_history_entry() {
        let school = school();
        let plan = plan(
            &school.record,
            &format!("{HEADER}\nZoë Brontë,Year 5,Ring home,SENCO,01/05/2026\n"),
        );
        assert_eq!(problems(&plan), Vec::<String>::new());
        let [added] = &plan.actions.added[..] else {
            panic!("{:?}", plan.actions.added)
        };
        assert_eq!(added.pupil, school.zoe);
        assert_eq!((&*added.next_step, &*added.owner), ("Ring home", "SENCO"));
        assert_eq!(
            (added.due, added.raised),
            (day(5, 1), today()),
            "raised today"
        );
        let defaults = (added.status, added.item_type, added.meeting, added.escalate);
        assert_eq!(defaults, (Status::Open, ItemType::Other, None, false));
        let imported = format!("Imported from {SOURCE}");
        assert_eq!(added.last_update.note, imported);
        assert_eq!(added.last_update.at, now());
        assert_eq!(plan.history.len(), 1);
        assert_eq!(plan.history[0].action, added.id);
        assert_eq!(plan.history[0].note, imported);
        assert!(plan.pupils.added.is_empty() && plan.meetings.added.is_empty());
    }

    #[test]
    fn a_row_with_the_id_of_an_action_here_updates_it_and_says_what_changed() {
        let school = school();
        let id = school.at_review;
        let text = format!(
            "Action ID,Action,Status,Needs escalation\n\
             {id},Send the referral form,In progress,yes\n"
        );
        let update = plan(&school.record, &text);
        assert_eq!(problems(&update), Vec::<String>::new());
        let [(position, before, after)] = &update.actions.replaced[..] else {
            panic!("{:?}", update.actions)
        };
        assert_eq!(school.record.actions()[*position].id, id);
        assert_eq!(before, school.record.action(id).unwrap());
        assert_eq!((after.status, after.escalate), (Status::InProgress, true));
        assert_eq!(after.next_step, before.next_step);
        assert!(after
            .last_update
            .note
            .starts_with(&format!("Imported from {SOURCE}: ")));
        assert_eq!(update.history[0].changes.len(), 2);
        // A row that says what the action already holds changes nothing.
        let text = format!("Action ID,Action,Status\n{id},Send the referral form,Open\n");
        let same = plan(&school.record, &text);
        assert_eq!(same.actions.unchanged, 1);
        assert!(same.actions.replaced.is_empty() && same.history.is_empty());
    }

    #[test]
    fn each_wrong_cell_is_named_by_its_row_number_and_the_file_s_header() {
        let school = school();
        let text = "Pupil,Year group,Action,Owner,due date,Status,Item type,Escalate,Action ID\n\
             Zoë Brontë,Year 5,Ring home,SENCO,31/02/2026,,,,\n\
             Zoë Brontë,Year 5,Ring home,SENCO,2026-05-01,Late,Thing,Maybe,\n\
             Zoë Brontë,Year 5,Ring home,SENCO,2026-05-01,,,,abc\n\
             Zoë Brontë,Year 5,,,,,,,\n";
        let plan = plan(&school.record, text);
        let found = problems(&plan);
        let expected = [
            "Row 2, due date: \"31/02/2026\" is not a real date",
            "Row 3, Escalate: \"Maybe\" is neither Yes nor No.",
            "Row 4, Action ID: \"abc\" is not an id SEND Log wrote.",
            "Row 5, Owner: is empty. ",
            "Row 5, Action: is empty: write the next step",
            "Row 5, due date: is empty: every action needs a due or review date.",
        ];
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for (found, expected) in found.iter().zip(expected) {
            assert!(found.starts_with(expected), "{found}\n  is not\n{expected}");
        }
        assert!(
            plan.actions.added.is_empty(),
            "no row with a problem is added"
        );
        // A status or item type SEND Log does not know is a choice, not a problem.
        let asked: Vec<_> = plan
            .values_to_choose
            .iter()
            .map(|v| (&*v.header, &*v.text, &v.rows[..]))
            .collect();
        assert_eq!(
            asked,
            [("Status", "Late", &[3][..]), ("Item type", "Thing", &[3])]
        );
    }

    #[test]
    fn one_owner_per_row_and_the_same_action_once() {
        let school = school();
        let id = school.overdue;
        let text = format!(
            "{HEADER},Action ID\n\
             Zoë Brontë,Year 5,Ring home,SENCO and class teacher,2026-05-01,\n\
             Sam Lee,Year 5,Call home,Class teacher,2026-05-01,{id}\n\
             Sam Lee,Year 5,Call home,Class teacher,2026-05-01,{id}\n"
        );
        let found = problems(&plan(&school.record, &text));
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("Row 2, Owner: names 2 people (SENCO, class teacher)"));
        assert_eq!(
            found[1],
            "Row 4, Action ID: the same action is on row 3 too. Keep one of the two rows."
        );
    }

    #[test]
    fn a_vague_action_is_a_warning_by_row_not_a_problem() {
        let school = school();
        let text = format!("{HEADER}\nZoë Brontë,Year 5,Monitor progress,SENCO,2026-05-01\n");
        let plan = plan(&school.record, &text);
        assert!(plan.problems.is_empty());
        assert_eq!(plan.actions.added.len(), 1);
        assert_eq!(plan.warnings.len(), 1);
        assert_eq!(
            (
                plan.warnings[0].place.as_str(),
                plan.warnings[0].column.as_str()
            ),
            ("Row 2", "Action")
        );
    }

    #[test]
    fn a_row_changed_here_after_the_file_s_last_update_is_a_conflict() {
        let school = school();
        let id = school.at_review;
        let text = format!("Action ID,Action,Last updated\n{id},Phone the clinic,2026-03-01\n");
        let plan = plan(&school.record, &text);
        assert!(plan.actions.replaced.is_empty());
        let [conflict] = &plan.actions.conflicts[..] else {
            panic!("{:?}", plan.actions)
        };
        assert!(!conflict.take_theirs);
        assert_eq!(conflict.theirs.next_step, "Phone the clinic");
        assert!(conflict
            .what
            .starts_with("Action for Zoë Brontë: Send the referral form"));
        assert!(plan.history.is_empty(), "no history until it is chosen");
    }

    #[test]
    fn an_import_does_not_move_an_action_and_says_which_rows_tried() {
        let school = school();
        let id = school.at_review;
        let text = format!(
            "Action ID,Pupil,Date raised,Action\n{id},Sam Lee,2026-04-21,Send the referral form\n"
        );
        let plan = plan(&school.record, &text);
        assert!(plan.problems.is_empty());
        assert_eq!(plan.actions.unchanged, 1);
        assert!(
            plan.notes[0].starts_with("1 row (row 2) gives an action on this device another pupil")
        );
    }

    #[test]
    fn column_names_and_no_rows_is_a_problem_of_the_file() {
        let school = school();
        let plan = plan(&school.record, &format!("{HEADER}\n,,,,\n"));
        assert_eq!(
            problems(&plan),
            ["The file: it has column names but no rows of actions."]
        );
    }
}
