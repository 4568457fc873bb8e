//! The columns SEND Log writes and reads: each one's header, other names and cell readers.

use super::squash;
use crate::choice::Choice;
use crate::pupil::{SendStatus, YearGroup};
use rustc_hash::FxHashMap as HashMap;

/// A column SEND Log writes and reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    DateRaised,
    Pupil,
    YearGroup,
    SendStatus,
    MeetingDate,
    MeetingType,
    ItemType,
    Decision,
    NextStep,
    Owner,
    Due,
    Status,
    DaysOverdue,
    NeedsEscalation,
    LastUpdated,
    LastUpdateNote,
    Evidence,
    NextReview,
    ActionId,
    PupilId,
    MeetingId,
}

impl Column {
    pub(super) const ALL: [Column; 21] = [
        Column::DateRaised,
        Column::Pupil,
        Column::YearGroup,
        Column::SendStatus,
        Column::MeetingDate,
        Column::MeetingType,
        Column::ItemType,
        Column::Decision,
        Column::NextStep,
        Column::Owner,
        Column::Due,
        Column::Status,
        Column::DaysOverdue,
        Column::NeedsEscalation,
        Column::LastUpdated,
        Column::LastUpdateNote,
        Column::Evidence,
        Column::NextReview,
        Column::ActionId,
        Column::PupilId,
        Column::MeetingId,
    ];

    /// The header written.
    pub fn header(self) -> &'static str {
        match self {
            Column::DateRaised => "Date raised",
            Column::Pupil => "Pupil",
            Column::YearGroup => "Year group",
            Column::SendStatus => "SEND status",
            Column::MeetingDate => "Meeting date",
            Column::MeetingType => "Meeting type",
            Column::ItemType => "Item type",
            Column::Decision => "Issue or decision",
            Column::NextStep => "Action",
            Column::Owner => "Owner",
            Column::Due => "Due",
            Column::Status => "Status",
            Column::DaysOverdue => "Days overdue",
            Column::NeedsEscalation => "Needs escalation",
            Column::LastUpdated => "Last updated",
            Column::LastUpdateNote => "Last update note",
            Column::Evidence => "Evidence or note",
            Column::NextReview => "Next review",
            Column::ActionId => "Action ID",
            Column::PupilId => "Pupil ID",
            Column::MeetingId => "Meeting ID",
        }
    }

    /// Other headers a person might have typed for the same column.
    pub(super) fn other_names(self) -> &'static [&'static str] {
        match self {
            Column::DateRaised => &["Raised", "Date"],
            Column::Pupil => &["Pupil name", "Name", "Student"],
            Column::YearGroup => &["Year"],
            Column::SendStatus => &["SEND", "SEN status"],
            Column::Decision => &["Decision", "Issue", "Issue / decision"],
            Column::NextStep => &["Next step", "Action / next step"],
            Column::Due => &["Due date", "Due or review date", "Review date"],
            Column::NeedsEscalation => &["Escalate", "Escalation"],
            Column::LastUpdated => &["Last update", "Updated"],
            Column::LastUpdateNote => &["Update note"],
            Column::Evidence => &["Evidence", "Note", "Notes"],
            _ => &[],
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

pub(super) fn labels<T: Choice>() -> String {
    T::ALL
        .iter()
        .map(|c| c.label())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn yes_no(text: &str) -> Option<bool> {
    // As SEND Log writes it, found without making a new string: an import asks every row.
    match text {
        "No" | "" => return Some(false),
        "Yes" => return Some(true),
        _ => {}
    }
    match squash(text).as_str() {
        "" | "no" | "n" | "false" | "0" => Some(false),
        "yes" | "y" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// "Year 7", "Y7", "Yr 7", "7", "R", "Reception", "N", "Nursery".
pub(super) fn year_group(text: &str) -> Option<YearGroup> {
    if let Some(year) = YearGroup::from_text(text) {
        return Some(year);
    }
    let short = squash(text);
    let number = short
        .trim_start_matches("year")
        .trim_start_matches("yr")
        .trim_start_matches('y');
    match number {
        "r" | "rec" => Some(YearGroup::Reception),
        "n" | "nur" => Some(YearGroup::Nursery),
        _ => {
            let wanted = format!("year{number}");
            YearGroup::ALL
                .iter()
                .copied()
                .find(|y| squash(y.label()) == wanted)
        }
    }
}

/// A SEND status, also as schools abbreviate it ("EHCP", "SEN-S").
pub(super) fn send_status(text: &str) -> Option<SendStatus> {
    SendStatus::from_text(text).or(match squash(text).as_str() {
        "ehcp" | "ehc" | "e" => Some(SendStatus::EhcPlan),
        "sens" | "sen" | "k" => Some(SendStatus::SenSupport),
        "m" => Some(SendStatus::Monitoring),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spreadsheet::Table;

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
    fn every_column_is_in_the_action_log_but_the_one_worked_out() {
        let log = Table::ActionLog.columns();
        for column in Column::ALL {
            assert_eq!(
                log.contains(&column),
                column != Column::DaysOverdue,
                "{column:?}"
            );
        }
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

    #[test]
    fn year_groups_are_read_as_schools_write_them() {
        for (text, year) in [
            ("Year 7", YearGroup::Year7),
            ("year_7", YearGroup::Year7),
            ("Y7", YearGroup::Year7),
            ("Yr 7", YearGroup::Year7),
            ("7", YearGroup::Year7),
            ("13", YearGroup::Year13),
            ("R", YearGroup::Reception),
            ("Rec", YearGroup::Reception),
            ("reception", YearGroup::Reception),
            ("N", YearGroup::Nursery),
            ("Nursery", YearGroup::Nursery),
        ] {
            assert_eq!(year_group(text), Some(year), "{text}");
        }
        for text in ["Year 14", "0", "Y", "", "Sixth form"] {
            assert_eq!(year_group(text), None, "{text}");
        }
        for &year in YearGroup::ALL {
            assert_eq!(year_group(year.label()), Some(year));
        }
    }

    #[test]
    fn send_statuses_are_read_also_as_abbreviated() {
        for (text, status) in [
            ("EHC plan", SendStatus::EhcPlan),
            ("EHCP", SendStatus::EhcPlan),
            ("e", SendStatus::EhcPlan),
            ("SEN support", SendStatus::SenSupport),
            ("SEN-S", SendStatus::SenSupport),
            ("K", SendStatus::SenSupport),
            ("Monitoring", SendStatus::Monitoring),
            ("M", SendStatus::Monitoring),
        ] {
            assert_eq!(send_status(text), Some(status), "{text}");
        }
        assert_eq!(send_status("Statement"), None);
    }

    #[test]
    fn yes_and_no_are_read_in_the_usual_ways_and_nothing_else() {
        for text in ["Yes", "yes", "Y", "TRUE", "1"] {
            assert_eq!(yes_no(text), Some(true), "{text}");
        }
        for text in ["No", "no", "n", "false", "0", ""] {
            assert_eq!(yes_no(text), Some(false), "{text}");
        }
        for text in ["Maybe", "2", "Yes please"] {
            assert_eq!(yes_no(text), None, "{text}");
        }
    }

    #[test]
    fn the_choices_a_message_offers_are_every_label_in_order() {
        assert_eq!(labels::<SendStatus>(), "SEN support, EHC plan, Monitoring");
    }
}
