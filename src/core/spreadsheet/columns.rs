//! The columns SEND Log writes and reads, one table: each one's header, names and cell.
//!
//! Every fact about a column is in its one entry of the `columns!` table below: its name in the
//! code, the header written, the other headers a person may have typed, how its cell is written
//! from an action's row ([`Source`] to a [`Value`], see `cells.rs`) and how a cell is read back
//! (text to a [`Value`], or what is wrong with it; an empty cell as the entry says). The enum
//! [`Column`], the list of every column, the look-up of headers and the places of a row read all
//! follow from it; a test reads every column's written cell back and compares the two.
//!
//! **A new column** is one more entry in that table, and nothing else in this file. Two steps
//! remain, which the compiler cannot ask for: naming it in the layout of each file that holds
//! it (`Table::columns`, in `write.rs`; a test fails while a column that is read is missing from
//! the action log), and using its value (`Rows::value`) where a row becomes an action
//! (`plan.rs`) or finds its pupil or meeting (`matching.rs`).

use super::cells::{labels, send_status, status, statutory, year_group, yes_no, Value};
use super::squash;
use crate::action::{Action, ItemType, Status};
use crate::choice::Choice;
use crate::dates;
use crate::history::Field;
use crate::id::{ActionId, MeetingId, PupilId};
use crate::meeting::{Meeting, MeetingType};
use crate::pupil::{Pupil, SendStatus};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;

/// What an action's row is written from.
#[derive(Clone, Copy)]
pub(super) struct Source<'a> {
    pub(super) action: &'a Action,
    pub(super) pupil: Option<&'a Pupil>,
    pub(super) meeting: Option<&'a Meeting>,
    /// For the days overdue.
    pub(super) today: NaiveDate,
}

/// How a column's cell is read.
pub(super) enum Read {
    /// A filled cell by `cell`, which says what is wrong with one it cannot read; an empty cell
    /// as `blank`.
    Cell {
        cell: fn(&str) -> Result<Value<'_>, String>,
        blank: Value<'static>,
    },
    /// Never read: worked out from `from` (the file's cell is ignored, and the preview says so).
    WorkedOut { from: &'static str },
}

/// One column: the entry of the table below.
pub(super) struct Spec {
    /// The header written.
    pub(super) header: &'static str,
    /// Other headers a person might have typed for the same column.
    pub(super) other_names: &'static [&'static str],
    /// Its cell in an action's row.
    pub(super) write: for<'a> fn(&Source<'a>) -> Value<'a>,
    pub(super) read: Read,
}

/// Declares the columns: the enum, the list of them all and the table of their [`Spec`]s, from
/// one entry each.
macro_rules! columns {
    ($(
        $(#[$doc:meta])*
        $name:ident {
            header: $header:literal,
            other_names: [$($other:literal),* $(,)?],
            write: $write:expr,
            read: $read:expr $(,)?
        }
    )*) => {
        /// A column SEND Log writes and reads.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Column {
            $($(#[$doc])* $name,)*
        }

        impl Column {
            /// Every column, in the order of the table.
            pub(super) const ALL: [Column; [$(stringify!($name)),*].len()] = [$(Column::$name),*];
            const SPECS: [Spec; Column::ALL.len()] = [$(Spec {
                header: $header,
                other_names: &[$($other),*],
                write: $write,
                read: $read,
            }),*];
        }
    };
}

/// A filled cell read as text, an empty one as empty text.
const TEXT: Read = Read::Cell {
    cell: |text| Ok(Value::Text(text)),
    blank: Value::Text(""),
};
/// A date as [`dates::parse_cell`] reads one.
const DATE: Read = Read::Cell {
    cell: |text| dates::parse_cell(text).map(Value::Date),
    blank: Value::Empty,
};

columns! {
    DateRaised {
        header: "Date raised",
        other_names: ["Raised", "Date"],
        write: |s| Value::Date(s.action.raised),
        read: DATE,
    }
    Pupil {
        header: "Pupil",
        other_names: [
            "Pupil name", "Name", "Student", "Student name", "Child", "Child's name", "Learner",
        ],
        write: |s| Value::Text(s.pupil.map_or("", |p| &p.name)),
        read: TEXT,
    }
    YearGroup {
        header: "Year group",
        other_names: ["Year", "Yr", "Yr group", "Year grp", "NC year", "National curriculum year"],
        write: |s| s.pupil.map_or(Value::Empty, |p| Value::Year(p.year_group)),
        read: Read::Cell {
            cell: |text| year_group(text).map(Value::Year).ok_or_else(|| {
                format!(
                    "\"{text}\" is not a year group. Write Nursery, Reception or Year 1 to Year 13."
                )
            }),
            blank: Value::Empty,
        },
    }
    /// A class or form ("5B", "Oak"): not a year group, only a hint for a new pupil's.
    ClassOrForm {
        header: "Class or form",
        other_names: ["Class", "Form", "Form group", "Tutor group", "Registration group", "Reg group"],
        write: |_| Value::Text(""),
        read: TEXT,
    }
    SendStatus {
        header: "SEND status",
        other_names: ["SEND", "SEN status"],
        write: |s| s.pupil.map_or(Value::Empty, |p| Value::Send(p.send_status)),
        read: Read::Cell {
            cell: |text| send_status(text).map(Value::Send).ok_or_else(|| {
                format!(
                    "\"{text}\" is not a SEND status. Write one of: {}.",
                    labels::<SendStatus>()
                )
            }),
            blank: Value::Empty,
        },
    }
    LeftOn {
        header: "Left the school on",
        other_names: ["Left school", "Left on", "Date left", "Leaving date"],
        write: |s| s.pupil.and_then(|p| p.left_on).map_or(Value::Empty, Value::Date),
        read: DATE,
    }
    Born {
        header: "Date of birth",
        other_names: ["DOB", "Birth date", "Born"],
        write: |s| s.pupil.and_then(|p| p.born).map_or(Value::Empty, Value::Date),
        read: DATE,
    }
    MeetingDate {
        header: "Meeting date",
        other_names: [],
        write: |s| s.meeting.map_or(Value::Empty, |m| Value::Date(m.date)),
        read: DATE,
    }
    MeetingType {
        header: "Meeting type",
        other_names: ["Meeting or event type", "Event type", "Type of meeting", "Meeting"],
        write: |s| s.meeting.map_or(Value::Empty, |m| Value::Kind(m.meeting_type)),
        read: Read::Cell {
            cell: |text| MeetingType::from_text(text).map(Value::Kind).ok_or_else(|| {
                format!(
                    "\"{text}\" is not a meeting type. Write one of: {}.",
                    labels::<MeetingType>()
                )
            }),
            blank: Value::Empty,
        },
    }
    ItemType {
        header: "Item type",
        other_names: [],
        write: |s| Value::Item(s.action.item_type),
        read: Read::Cell {
            cell: |text| ItemType::from_text(text).map(Value::Item).ok_or_else(|| {
                format!("\"{text}\" is not an item type. Write one of: {}.", labels::<ItemType>())
            }),
            blank: Value::Empty,
        },
    }
    Decision {
        header: "Issue or decision",
        other_names: ["Decision", "Issue", "Issue / decision"],
        write: |s| Value::Text(&s.action.decision),
        read: TEXT,
    }
    NextStep {
        header: "Action",
        other_names: [
            "Next step", "Next steps", "Action / next step", "Action agreed", "Agreed action",
            "Task", "What needs doing", "To do",
        ],
        write: |s| Value::Text(&s.action.next_step),
        read: TEXT,
    }
    Owner {
        header: "Owner",
        other_names: [
            "Person responsible", "Responsible", "Lead", "Who", "Assigned to", "Action by",
        ],
        write: |s| Value::Text(&s.action.owner),
        read: TEXT,
    }
    Due {
        header: "Due",
        other_names: [
            "Due date", "Due or review date", "Review date", "Deadline", "Deadline or review date",
            "Due by", "By when", "Target date",
        ],
        write: |s| Value::Date(s.action.due),
        read: DATE,
    }
    Status {
        header: "Status",
        other_names: [],
        write: |s| Value::Status(s.action.status),
        read: Read::Cell {
            // "Overdue" reads as no status: it is worked out from the due date (a new action
            // is open, one already here keeps its status), and the preview says so.
            cell: |text| match status(text) {
                Some(status) => Ok(Value::Status(status)),
                None if text.eq_ignore_ascii_case("overdue") => Ok(Value::Empty),
                None => Err(format!(
                    "\"{text}\" is not a status. Write one of: {}.",
                    labels::<Status>()
                )),
            },
            blank: Value::Empty,
        },
    }
    DaysOverdue {
        header: "Days overdue",
        other_names: [],
        write: |s| s.action.days_overdue(s.today).map_or(Value::Empty, Value::Days),
        read: Read::WorkedOut { from: "the due date" },
    }
    NeedsEscalation {
        header: "Needs escalation",
        other_names: ["Escalate", "Escalation"],
        write: |s| Value::Flag(s.action.escalate),
        read: Read::Cell {
            cell: |text| {
                yes_no(text)
                    .map(Value::Flag)
                    .ok_or_else(|| format!("\"{text}\" is neither Yes nor No."))
            },
            // An empty cell says No: escalation is cleared.
            blank: Value::Flag(false),
        },
    }
    LastUpdated {
        header: "Last updated",
        other_names: ["Last update", "Updated"],
        write: |s| Value::Date(s.action.last_update.at.date_naive()),
        read: DATE,
    }
    LastUpdateNote {
        header: "Last update note",
        other_names: ["Update note"],
        write: |s| Value::Text(&s.action.last_update.note),
        read: TEXT,
    }
    Evidence {
        header: "Evidence or note",
        other_names: ["Evidence", "Note", "Notes", "Comments", "Comment", "Evidence or notes"],
        write: |s| Value::Text(&s.action.evidence),
        read: TEXT,
    }
    Statutory {
        header: "Statutory deadline",
        other_names: ["Statutory"],
        write: |s| s.action.statutory.map_or(Value::Empty, Value::Statutory),
        // An empty cell says it is an ordinary action.
        read: Read::Cell {
            cell: |text| statutory(text).map(Value::Statutory),
            blank: Value::Empty,
        },
    }
    NextReview {
        header: "Next review",
        other_names: [],
        write: |s| s.action.next_review.map_or(Value::Empty, Value::Date),
        // An empty cell says there is none: the next review is cleared.
        read: DATE,
    }
    ActionId {
        header: "Action ID",
        other_names: [],
        write: |s| Value::Action(s.action.id),
        read: Read::Cell {
            cell: |text| ActionId::parse(text).map(Value::Action).ok_or_else(|| {
                format!(
                    "\"{text}\" is not an id SEND Log wrote. Clear the cell to add the row as a \
                     new action."
                )
            }),
            blank: Value::Empty,
        },
    }
    PupilId {
        header: "Pupil ID",
        other_names: [],
        write: |s| Value::Pupil(s.action.pupil),
        read: Read::Cell {
            cell: |text| PupilId::parse(text).map(Value::Pupil).ok_or_else(|| {
                format!(
                    "\"{text}\" is not an id SEND Log wrote. Clear the cell to find the pupil by \
                     name."
                )
            }),
            blank: Value::Empty,
        },
    }
    MeetingId {
        header: "Meeting ID",
        other_names: [],
        write: |s| s.action.meeting.map_or(Value::Empty, Value::Meeting),
        read: Read::Cell {
            cell: |text| MeetingId::parse(text).map(Value::Meeting).ok_or_else(|| {
                format!(
                    "\"{text}\" is not an id SEND Log wrote. Clear the cell (keeping the meeting \
                     date and type) to find or add the meeting."
                )
            }),
            blank: Value::Empty,
        },
    }
}

impl Column {
    /// The column's entry in the table.
    pub(super) fn spec(self) -> &'static Spec {
        &Column::SPECS[self as usize]
    }

    /// The header written.
    pub fn header(self) -> &'static str {
        self.spec().header
    }

    /// Other headers a person might have typed for the same column.
    pub(super) fn other_names(self) -> &'static [&'static str] {
        self.spec().other_names
    }

    /// Its cell in an action's row.
    pub(super) fn write<'a>(self, source: &Source<'a>) -> Value<'a> {
        (self.spec().write)(source)
    }

    /// Reads a cell of the column, trimmed and without its formula guard: `None` for a column
    /// never read.
    pub(super) fn read(self, cell: &str) -> Option<Result<Value<'_>, String>> {
        match self.spec().read {
            Read::Cell { blank, .. } if cell.is_empty() => Some(Ok(blank)),
            Read::Cell { cell: read, .. } => Some(read(cell)),
            Read::WorkedOut { .. } => None,
        }
    }

    /// The column that holds each field of an action: a field added to [`Field`] does not
    /// compile here until it has one (and a test then asks for it in the action log).
    pub fn of_field(field: Field) -> Column {
        match field {
            Field::Pupil => Column::PupilId,
            Field::Raised => Column::DateRaised,
            Field::Meeting => Column::MeetingId,
            Field::ItemType => Column::ItemType,
            Field::Decision => Column::Decision,
            Field::NextStep => Column::NextStep,
            Field::Owner => Column::Owner,
            Field::Due => Column::Due,
            Field::Status => Column::Status,
            Field::Evidence => Column::Evidence,
            Field::NextReview => Column::NextReview,
            Field::Escalate => Column::NeedsEscalation,
            Field::Statutory => Column::Statutory,
        }
    }

    /// Every column by each of its names, [`squash`]ed: a header is squashed once and looked
    /// up, so a header row of a million cells is read in one pass.
    pub(super) fn by_name() -> HashMap<String, Column> {
        let mut names = HashMap::default();
        for column in Column::ALL {
            for name in std::iter::once(column.header()).chain(column.other_names().iter().copied())
            {
                names.entry(squash(name)).or_insert(column);
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use crate::spreadsheet::cells::Scratch;
    use crate::spreadsheet::tests::{school, today};
    use crate::spreadsheet::{guard_cell, unguard, Table};

    #[test]
    fn no_two_columns_answer_to_the_same_name() {
        let mut seen = std::collections::HashMap::new();
        for column in Column::ALL {
            for name in std::iter::once(column.header()).chain(column.other_names().iter().copied())
            {
                if let Some(other) = seen.insert(squash(name), column) {
                    panic!("{name:?} names both {other:?} and {column:?}");
                }
            }
        }
    }

    #[test]
    fn the_usual_names_of_a_school_s_columns_are_recognised_however_they_are_written() {
        let names = Column::by_name();
        let expected = [
            (
                Column::Pupil,
                &["Pupil name", "Child", "Student", "NAME", "child's name"][..],
            ),
            (Column::YearGroup, &["Year group", "Yr", "yr.", "Year"]),
            (
                Column::NextStep,
                &[
                    "Task",
                    "Action agreed",
                    "Next step",
                    "What needs doing",
                    "next-step",
                ],
            ),
            (
                Column::Due,
                &[
                    "Deadline",
                    "Due date",
                    "Review date",
                    "Deadline or review date",
                    "Due",
                ],
            ),
            (
                Column::Owner,
                &["Person responsible", "Lead", "Responsible", "Owner"],
            ),
            (
                Column::Evidence,
                &["Notes", "Comments", "Evidence", "Evidence or note"],
            ),
        ];
        for (column, written) in expected {
            for name in written {
                assert_eq!(names.get(&squash(name)), Some(&column), "{name:?}");
            }
        }
    }

    #[test]
    fn every_field_of_an_action_has_its_own_column_in_the_action_log() {
        let mut columns: Vec<Column> = Field::ALL.iter().map(|&f| Column::of_field(f)).collect();
        for column in &columns {
            assert!(
                Table::ActionLog.columns().contains(column),
                "{} is not in the action log",
                column.header()
            );
        }
        columns.sort_by_key(|c| *c as usize);
        columns.dedup();
        assert_eq!(columns.len(), Field::ALL.len(), "one column each");
    }

    /// The row of an action, as the export writes it.
    fn source<'a>(record: &'a Record, action: crate::id::ActionId) -> Source<'a> {
        let action = record.action(action).unwrap();
        Source {
            action,
            pupil: record.pupil(action.pupil),
            meeting: action.meeting.and_then(|m| record.meeting(m)),
            today: today(),
        }
    }

    #[test]
    fn every_column_reads_back_what_it_writes() {
        let school = school();
        let mut scratch = Scratch::new();
        let mut kinds = Vec::new();
        for id in [school.at_review, school.overdue, school.done] {
            let source = source(&school.record, id);
            for column in Column::ALL {
                let value = column.write(&source);
                let text = value.written(&mut scratch).into_owned();
                let cell = guard_cell(&text);
                match column.read(unguard(&cell)) {
                    Some(read) => assert_eq!(read, Ok(value), "{column:?}: {text:?}"),
                    None => assert_eq!(column, Column::DaysOverdue),
                }
                kinds.push(std::mem::discriminant(&value));
            }
        }
        // Every kind of value was tried, empty cells too.
        kinds.sort_by_key(|kind| format!("{kind:?}"));
        kinds.dedup();
        assert_eq!(kinds.len(), 13);
        // And the row of an action with neither pupil nor meeting (a file naming a pupil no
        // longer here): empty cells read back empty.
        let mut source = source(&school.record, school.overdue);
        source.pupil = None;
        for column in [Column::Pupil, Column::YearGroup, Column::SendStatus] {
            let value = column.write(&source);
            let text = value.written(&mut scratch).into_owned();
            assert_eq!(text, "");
            assert_eq!(column.read(&text), Some(Ok(value)), "{column:?}");
        }
    }

    #[test]
    fn a_cell_that_cannot_be_read_says_what_was_typed() {
        for column in Column::ALL {
            let Read::Cell { blank, .. } = column.spec().read else {
                continue;
            };
            match column.read("Not this") {
                Some(Ok(value)) => {
                    assert_eq!(value, Value::Text("Not this"), "{column:?}");
                    assert_eq!(blank, Value::Text(""), "{column:?}");
                }
                Some(Err(message)) => {
                    assert!(message.contains("\"Not this\""), "{column:?}: {message}");
                }
                None => unreachable!("{column:?} is read"),
            }
        }
        assert_eq!(Column::Status.read("Overdue"), Some(Ok(Value::Empty)));
        assert_eq!(
            Column::NeedsEscalation.read(""),
            Some(Ok(Value::Flag(false)))
        );
        assert_eq!(Column::NextReview.read(""), Some(Ok(Value::Empty)));
        assert_eq!(Column::DaysOverdue.read("3"), None);
        let report = crate::statutory::Statutory {
            review: NaiveDate::from_ymd_opt(2027, 3, 12).unwrap(),
            step: crate::statutory::Step::Report,
        };
        let mut scratch = Scratch::new();
        assert_eq!(
            Value::Statutory(report).written(&mut scratch),
            "report, review 2027-03-12"
        );
        for typed in ["report, review 2027-03-12", " Report ,Review 12/03/2027 "] {
            assert_eq!(
                Column::Statutory.read(typed),
                Some(Ok(Value::Statutory(report))),
                "{typed}"
            );
        }
        for wrong in [
            "report",
            "reports, review 2027-03-12",
            "report, 2027-03-12",
            "report, review 0001-01-01",
            "ı, review",
        ] {
            assert!(
                matches!(Column::Statutory.read(wrong), Some(Err(_))),
                "{wrong}"
            );
        }
    }

    #[test]
    fn every_column_has_a_header_and_no_name_is_shared_by_two_columns() {
        let mut seen: HashMap<String, Column> = HashMap::default();
        for column in Column::ALL {
            assert!(
                !column.header().trim().is_empty(),
                "{column:?} has no header"
            );
            for name in std::iter::once(column.header()).chain(column.other_names().iter().copied())
            {
                let key = squash(name);
                assert!(
                    !key.is_empty(),
                    "{column:?}: \"{name}\" squashes to nothing"
                );
                if let Some(other) = seen.insert(key, column) {
                    assert_eq!(other, column, "\"{name}\" names {other:?} and {column:?}");
                }
            }
        }
        // Every name reads as its own column, whatever its case and spacing.
        let names = Column::by_name();
        for column in Column::ALL {
            let shouted = format!("  {}  ", column.header().to_uppercase());
            assert_eq!(names.get(&squash(&shouted)), Some(&column));
            for name in column.other_names() {
                assert_eq!(names.get(&squash(name)), Some(&column), "{name}");
            }
        }
    }

    #[test]
    fn every_column_read_back_is_in_the_action_log_and_only_those() {
        let log = Table::ActionLog.columns();
        for column in Column::ALL {
            // A class or form is read only as a hint for a new pupil's year group: SEND Log
            // keeps no class, so writes none.
            let read =
                matches!(column.spec().read, Read::Cell { .. }) && column != Column::ClassOrForm;
            assert_eq!(log.contains(&column), read, "{column:?}");
        }
        assert!(matches!(
            Column::DaysOverdue.spec().read,
            Read::WorkedOut { .. }
        ));
        for table in [Table::ActionLog, Table::Tracker] {
            let columns = table.columns();
            for (at, column) in columns.iter().enumerate() {
                assert!(
                    !columns[..at].contains(column),
                    "{column:?} twice in {table:?}"
                );
            }
        }
    }
}
