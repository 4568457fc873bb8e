//! A file read, planned whole: its rows against the record, and the notes the preview shows on
//! how the file was read (defaults taken, cells not used).

use super::columns::Column;
use super::matching::{MeetingKey, Names};
use super::plan::Rows;
use super::read::{CsvImport, RowAt, RowIn};
use super::squash;
use crate::dates;
use crate::merge::{count, ImportPlan, Problem};
use crate::record::Record;
use chrono::{DateTime, NaiveDate, Utc};
use rustc_hash::FxHashMap as HashMap;

impl CsvImport {
    /// Works out what importing the rows read would do (reading any rows not read yet). Nothing
    /// changes until the plan is applied with [`crate::merge::apply`]; the import is kept, so
    /// that it can be planned again after a choice in the preview.
    #[inline(never)] // as `open`
    pub fn plan(&mut self, record: &Record, today: NaiveDate, now: DateTime<Utc>) -> ImportPlan {
        while !self.read(10_000) {}
        let mut plan = ImportPlan::new(record, &self.source);
        let (problems, notes) = self.column_problems_and_notes();
        plan.problems.clone_from(&self.problems);
        plan.problems.extend(problems);
        plan.notes = notes;
        plan.notes.extend(self.notes.iter().cloned());
        // Said first, and before the columns are matched: the names read are how the person
        // sees whether the file was read in the right encoding.
        if let Some(note) = self.encoding_note() {
            plan.notes.insert(0, note);
        }
        if plan.problems.iter().any(Problem::is_with_file) {
            return plan;
        }
        if self.rows.is_empty() {
            plan.problems.push(Problem::with_file(
                "it has column names but no rows of actions.",
            ));
            return plan;
        }
        let mut rows = Rows {
            record,
            plan: &mut plan,
            headers: &self.headers,
            today,
            now,
            pupils_by_name: Names::default(),
            new_pupils: HashMap::default(),
            new_meetings: HashMap::default(),
            held: record
                .meetings()
                .iter()
                .map(|m| (MeetingKey::Held(m.pupil, m.date, m.meeting_type), m.id))
                .collect(),
            seen: HashMap::default(),
            defaulted_send_status: 0,
            owners: HashMap::default(),
            imported: format!("Imported from {}", self.source),
            not_moved: Vec::new(),
            raised_today: 0,
            overdue: 0,
            chosen_years: &self.chosen_years,
            note_columns: &self.note_columns,
            asked_years: HashMap::default(),
            chosen_values: &self.chosen_values,
            asked_values: HashMap::default(),
        };
        for pupil in record.pupils() {
            rows.pupils_by_name
                .add(squash(&pupil.name), Some(pupil.year_group), pupil.id);
        }
        // Room for every row added, so 50,000 rows are not copied as the lists grow.
        rows.plan.actions.added.reserve(self.rows.len());
        rows.plan.history.reserve(self.rows.len());
        let ends = &self.cells.ends;
        let Ok(text) = std::str::from_utf8(&self.cells.bytes) else {
            // Not reached: the file was checked as UTF-8 when it was opened.
            rows.plan
                .problems
                .push(Problem::with_file("it is not saved as UTF-8 text."));
            return plan;
        };
        let row_in = |at: &RowAt| RowIn {
            number: at.number,
            text,
            ends,
            first: at.first,
            count: at.count,
            places: &self.places,
        };
        for at in &self.rows {
            rows.row(&row_in(at));
        }
        let not_moved = std::mem::take(&mut rows.not_moved);
        self.asked_years = rows.asked_years.into_keys().collect();
        let (defaulted, raised_today, overdue) =
            (rows.defaulted_send_status, rows.raised_today, rows.overdue);
        if !not_moved.is_empty() {
            let numbers: Vec<String> = not_moved.iter().take(10).map(|n| n.to_string()).collect();
            let one = not_moved.len() == 1;
            plan.notes.push(format!(
                "{} ({} {}{}) {} an action on this device another pupil, meeting or date raised. \
                 An import does not move an action, so those cells were not used; add a new row \
                 for the other pupil instead.",
                count(not_moved.len(), "row", "rows"),
                if one { "row" } else { "rows" },
                numbers.join(", "),
                if not_moved.len() > 10 { ", …" } else { "" },
                if one { "gives" } else { "give" },
            ));
        }
        if defaulted > 0 && plan.problems.is_empty() {
            plan.notes.push(format!(
                "New pupils without a SEND status in the file ({defaulted}) will be added as SEN \
                 support; change it on the pupil's page if that is wrong."
            ));
        }
        if raised_today > 0 {
            plan.notes.push(format!(
                "{} no date raised, so {} dated today ({}).",
                count(raised_today, "row has", "rows have"),
                if raised_today == 1 {
                    "its action is"
                } else {
                    "their actions are"
                },
                dates::uk(today)
            ));
        }
        if overdue > 0 {
            plan.notes.push(format!(
                "{} Overdue. SEND Log works out what is overdue from the due date, so a new \
                 action is added as Open (and one already here keeps its status).",
                count(overdue, "row says", "rows say")
            ));
        }
        plan
    }

    /// "Read as Windows-1252 …: check the names look right: Zoë Brontë, Siân…" for a file that
    /// was not UTF-8; the column matching's first values show the text when no column is the
    /// pupil's yet.
    fn encoding_note(&self) -> Option<String> {
        let encoding = self.read_as?;
        let text = std::str::from_utf8(&self.cells.bytes).unwrap_or_default();
        let rows = self.rows.iter().map(|at| RowIn {
            number: at.number,
            text,
            ends: &self.cells.ends,
            first: at.first,
            count: at.count,
            places: &self.places,
        });
        let names = names_to_check(rows);
        let check = if names.is_empty() {
            ": check the first values shown in the column matching look right.".to_string()
        } else {
            format!(": check the names look right: {}…", names.join(", "))
        };
        Some(format!("Read as {}{check}", encoding.said()))
    }
}

/// The first few pupils' names of a file read from another encoding, those with letters other
/// than A to Z first (a Zoë or a Siân is where a wrong encoding shows).
fn names_to_check<'a>(rows: impl Iterator<Item = RowIn<'a>>) -> Vec<&'a str> {
    const SHOWN: usize = 5;
    let (mut accented, mut plain) = (Vec::new(), Vec::new());
    for row in rows {
        let Some(name) = row.filled(Column::Pupil) else {
            continue;
        };
        let list = if name.is_ascii() {
            &mut plain
        } else {
            &mut accented
        };
        if list.len() < SHOWN && !list.contains(&name) {
            list.push(name);
        }
        if accented.len() == SHOWN {
            break;
        }
    }
    accented.extend(plain);
    accented.truncate(SHOWN);
    accented
}
