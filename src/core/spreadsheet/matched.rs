//! Which SEND Log field each column of a file fills: guessed from its header (see `columns.rs`),
//! or chosen by the person in the preview's column-matching step, and kept on the device for the
//! next file with the same header row.

use super::columns::{Column, Read};
use super::read::{header_of, CsvImport};
use super::{squash, CELL_LIMIT_CHARS};
use crate::merge::Problem;

/// What a column of the file fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Field(Column),
    /// Added to the action's evidence or note, as "Header: value" (a RAG colour, say).
    Note,
    /// Not read.
    Leave,
}

impl Target {
    /// Every target a column can be given, as the preview offers them.
    pub fn all() -> impl Iterator<Item = Target> {
        let fields = Column::ALL
            .into_iter()
            .filter(|c| matches!(c.spec().read, Read::Cell { .. }))
            .map(Target::Field);
        [Target::Leave, Target::Note].into_iter().chain(fields)
    }

    /// Its stable name in a form value and on the device: a field's header, "note" or "leave".
    pub fn code(self) -> &'static str {
        match self {
            Target::Field(column) => column.header(),
            Target::Note => "note",
            Target::Leave => "leave",
        }
    }

    pub fn from_code(code: &str) -> Option<Target> {
        Target::all().find(|t| t.code() == code)
    }

    /// What the person reads.
    pub fn label(self) -> String {
        match self {
            Target::Field(column) => column.header().to_string(),
            Target::Note => "Add to the note (as “Header: value”)".into(),
            Target::Leave => "Leave out".into(),
        }
    }
}

/// One column of the file, as the column-matching step shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMatch {
    pub header: String,
    /// The first few filled cells.
    pub samples: Vec<String>,
    pub target: Target,
    /// Chosen by the person (not guessed from the header).
    pub chosen: bool,
}

/// The fields every file needs (unless it updates actions by Action ID).
const NEEDED: [Column; 4] = [Column::NextStep, Column::Owner, Column::Due, Column::Pupil];

impl CsvImport {
    /// Works out the columns' places from the guesses and the choices.
    pub(super) fn match_columns(&mut self) {
        let mut targets: Vec<Target> = self
            .guessed
            .iter()
            .map(|g| g.map_or(Target::Leave, Target::Field))
            .collect();
        let chosen_fields: Vec<Target> = self.chosen.iter().map(|&(_, t)| t).collect();
        for (target, guessed) in targets.iter_mut().zip(&self.guessed) {
            // A field chosen for another column is no longer guessed for this one.
            if guessed.is_some() && chosen_fields.contains(target) {
                *target = Target::Leave;
            }
        }
        for &(at, target) in &self.chosen {
            if let Some(slot) = targets.get_mut(at) {
                *slot = target;
            }
        }
        self.columns.clear();
        self.places = [None; Column::ALL.len()];
        self.headers.clear();
        self.note_columns.clear();
        for (at, (target, header)) in targets.iter().zip(&self.found).enumerate() {
            let place = u32::try_from(at).ok();
            match *target {
                Target::Field(column) => {
                    self.places[column as usize] = place;
                    self.headers.insert(column, header.clone());
                    self.columns.push(Some(column));
                }
                Target::Note => {
                    self.note_columns.extend(place.map(|p| (p, header.clone())));
                    self.columns.push(None);
                }
                Target::Leave => self.columns.push(None),
            }
        }
        self.targets = targets;
    }

    /// Takes the person's choice for the `at`th column: a field chosen for one column is taken
    /// from any other column chosen for it.
    pub(super) fn choose_column(&mut self, at: usize, target: Target) {
        if at >= self.found.len() {
            return;
        }
        let field = matches!(target, Target::Field(_));
        self.chosen
            .retain(|&(other, t)| other != at && !(field && t == target));
        self.chosen.push((at, target));
        self.match_columns();
    }

    /// What the file's columns mean for its plan: a problem of the file when a needed field has
    /// no column, problems for long cells in columns read, and notes on columns not read.
    pub(super) fn column_problems_and_notes(&self) -> (Vec<Problem>, Vec<String>) {
        let has = |c: Column| self.headers.contains_key(&c);
        let mut problems = Vec::new();
        let needed: Vec<&str> = NEEDED
            .into_iter()
            .filter(|&c| !(has(c) || c == Column::Pupil && has(Column::PupilId)))
            .map(Column::header)
            .collect();
        if !needed.is_empty() && !has(Column::ActionId) {
            problems.push(Problem::with_file(format!(
                "it has no column for {}. Its first row should hold the column names; it holds: \
                 {}. SEND Log needs at least Pupil, Action, Owner and Due: choose which column \
                 holds each in the column matching above.",
                needed.join(", "),
                self.found
                    .iter()
                    .take(12)
                    .map(|h| format!("\"{h}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        for &(number, at, chars) in &self.long_cells {
            let read = match self.targets.get(at) {
                Some(Target::Field(column)) => Some(header_of(&self.headers, *column)),
                Some(Target::Note) => self.found.get(at).cloned(),
                _ => None,
            };
            if let Some(column) = read {
                problems.push(Problem {
                    place: format!("Row {number}"),
                    column,
                    message: format!(
                        "holds {chars} characters; a cell may hold at most {CELL_LIMIT_CHARS}. \
                         Shorten it, or keep the long text elsewhere and link to it."
                    ),
                });
            }
        }
        let unused: Vec<String> = self
            .targets
            .iter()
            .zip(&self.found)
            .filter(|(t, h)| **t == Target::Leave && !h.is_empty())
            .map(|(_, h)| format!("\"{h}\""))
            .collect();
        let mut notes = Vec::new();
        if !unused.is_empty() {
            // The first dozen are named; a file of thousands of columns is not listed whole.
            let more = unused.len().saturating_sub(12);
            let mut named = unused[..unused.len().min(12)].to_vec();
            if more > 0 {
                named.push(format!("and {more} more"));
            }
            notes.push(format!(
                "Not read, because SEND Log has no such field: {}.",
                named.join(", ")
            ));
        }
        for column in Column::ALL.into_iter().filter(|&c| has(c)) {
            if let Read::WorkedOut { from } = column.spec().read {
                let header = column.header();
                notes.push(format!(
                    "{header} is worked out from {from}, so that column was not read."
                ));
            }
        }
        (problems, notes)
    }

    /// Every column of the file, its first few values and what it fills, for the preview.
    pub fn matching(&self) -> Vec<ColumnMatch> {
        const SAMPLES: usize = 3;
        // Each cell shown is read as text on its own, rather than the whole file's cells at
        // every call (19 MB for a large school's export).
        let cell = |row: &super::read::RowAt, at: usize| -> Option<&str> {
            let at_u32 = u32::try_from(at).ok()?;
            (at_u32 < row.count).then_some(())?;
            let index = usize::try_from(row.first.checked_add(at_u32)?).ok()?;
            let start = match index.checked_sub(1) {
                None => 0,
                Some(before) => *self.cells.ends.get(before)? as usize,
            };
            let end = *self.cells.ends.get(index)? as usize;
            let text = std::str::from_utf8(self.cells.bytes.get(start..end)?).ok()?;
            Some(text.trim()).filter(|t| !t.is_empty())
        };
        self.found
            .iter()
            .enumerate()
            .map(|(at, header)| ColumnMatch {
                header: header.clone(),
                samples: self
                    .rows
                    .iter()
                    .filter_map(|row| cell(row, at))
                    .take(SAMPLES)
                    .map(|t| t.chars().take(60).collect())
                    .collect(),
                target: self.targets.get(at).copied().unwrap_or(Target::Leave),
                chosen: self.chosen.iter().any(|&(c, _)| c == at),
            })
            .collect()
    }

    /// Whether the person should be asked to match columns: a column with a header SEND Log did
    /// not place, or a needed field without a column.
    pub fn needs_matching(&self) -> bool {
        let has = |c: Column| self.headers.contains_key(&c);
        let chosen = |at: usize| self.chosen.iter().any(|&(c, _)| c == at);
        let unplaced = self
            .targets
            .iter()
            .zip(&self.found)
            .enumerate()
            .any(|(at, (t, h))| *t == Target::Leave && !h.is_empty() && !chosen(at));
        let missing = !has(Column::ActionId)
            && NEEDED
                .into_iter()
                .any(|c| !(has(c) || c == Column::Pupil && has(Column::PupilId)));
        unplaced || missing
    }

    /// The key the choices are kept under on the device: the header row, squashed.
    pub fn header_key(&self) -> String {
        self.found
            .iter()
            .map(|h| squash(h))
            .collect::<Vec<_>>()
            .join("|")
    }

    /// The choices, as kept on the device: a line "column number=target" each.
    pub fn choices_text(&self) -> String {
        self.chosen
            .iter()
            .map(|&(at, target)| format!("{at}={}", target.code()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Takes the choices kept for a file of the same header row (lines that do not read are
    /// passed over).
    pub fn take_choices_text(&mut self, text: &str) {
        for line in text.lines() {
            let Some((at, code)) = line.split_once('=') else {
                continue;
            };
            if let (Ok(at), Some(target)) = (at.parse(), Target::from_code(code)) {
                self.choose_column(at, target);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spreadsheet::tests::{now, open, problems, school, today};
    use crate::spreadsheet::ImportChoice;

    const SHEET: &str = "Kid,Thing to do,Who,When,RAG,Notes\n\
                         Zoë Brontë,Ring home,SENCO,01/05/2026,Red,Left a message\n\
                         Zoë Brontë,Write up,SENCO,02/05/2026,,\n";

    #[test]
    fn columns_nothing_recognises_are_matched_by_hand_and_the_choices_kept() {
        let school = school();
        let mut import = open(SHEET).unwrap();
        let plan = import.plan(&school.record, today(), now());
        // "Who" is one of Owner's other names; nothing else is recognised.
        assert!(problems(&plan)[0]
            .starts_with("The file: it has no column for Action, Due, Pupil. Its first row"));
        assert!(import.needs_matching());
        let shown = import.matching();
        assert_eq!(shown[0].header, "Kid");
        assert_eq!(shown[0].samples, ["Zoë Brontë", "Zoë Brontë"]);
        assert_eq!(shown[4].samples, ["Red"]);
        assert_eq!(shown[0].target, Target::Leave);
        assert_eq!(
            (shown[5].target, shown[5].chosen),
            (Target::Field(Column::Evidence), false)
        );
        for (at, target) in [
            (0, Target::Field(Column::Pupil)),
            (1, Target::Field(Column::NextStep)),
            (2, Target::Field(Column::Owner)),
            (3, Target::Field(Column::Due)),
            (4, Target::Note),
        ] {
            import.choose(ImportChoice::Column { at, target });
        }
        assert!(!import.needs_matching());
        let plan = import.plan(&school.record, today(), now());
        assert_eq!(problems(&plan), Vec::<String>::new());
        let evidence: Vec<_> = plan.actions.added.iter().map(|a| &*a.evidence).collect();
        assert_eq!(evidence, ["Left a message; RAG: Red", ""]);
        assert_eq!(plan.actions.added[0].next_step, "Ring home");

        // A guessed column matched again: Notes left out, and Who read as the action instead.
        import.choose(ImportChoice::Column {
            at: 5,
            target: Target::Leave,
        });
        import.choose(ImportChoice::Column {
            at: 2,
            target: Target::Field(Column::NextStep),
        });
        let shown = import.matching();
        assert_eq!(shown[1].target, Target::Leave, "a field is one column's");
        let plan = import.plan(&school.record, today(), now());
        assert!(problems(&plan)[0].starts_with("The file: it has no column for Owner."));
        import.choose(ImportChoice::Column {
            at: 1,
            target: Target::Field(Column::NextStep),
        });
        import.choose(ImportChoice::Column {
            at: 2,
            target: Target::Field(Column::Owner),
        });
        let kept = import.choices_text();

        // The next file with the same header row takes the choices kept.
        let mut next = open(SHEET).unwrap();
        assert_eq!(next.header_key(), import.header_key());
        next.take_choices_text(&kept);
        next.take_choices_text("not a choice\n99=Due\n1=nothing");
        let plan = next.plan(&school.record, today(), now());
        assert_eq!(problems(&plan), Vec::<String>::new());
        assert_eq!(plan.actions.added[0].evidence, "RAG: Red");
        assert!(
            plan.notes.is_empty() || !plan.notes[0].contains("\"Kid\""),
            "{:?}",
            plan.notes
        );
    }

    #[test]
    fn every_target_has_a_code_that_reads_back() {
        for target in Target::all() {
            assert_eq!(Target::from_code(target.code()), Some(target));
        }
        assert!(!Target::all().any(|t| t == Target::Field(Column::DaysOverdue)));
    }
}
