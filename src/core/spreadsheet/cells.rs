//! The value of one cell: what a column writes and reads back, its text, and schools' spellings.

use super::squash;
use crate::action::{ItemType, Status};
use crate::choice::Choice;
use crate::dates;
use crate::id::{ActionId, MeetingId, PupilId};
use crate::meeting::MeetingType;
use crate::pupil::{SendStatus, YearGroup};
use crate::statutory::{Statutory, Step};
use chrono::NaiveDate;
use std::borrow::Cow;

/// The value of one cell, between the record and the text of the file: what a column writes,
/// and what reading its cell gives back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Value<'a> {
    /// An empty cell: no date, no meeting, no pupil.
    Empty,
    /// Text as the person typed it (trimmed, without the formula guard, when read).
    Text(&'a str),
    Date(NaiveDate),
    /// Yes or No.
    Flag(bool),
    Days(i64),
    Year(YearGroup),
    Send(SendStatus),
    Kind(MeetingType),
    Item(ItemType),
    Status(Status),
    Action(ActionId),
    Pupil(PupilId),
    Meeting(MeetingId),
    Statutory(Statutory),
}

/// `Value::date(self)` and the like: the value if it is of that kind.
macro_rules! kinds {
    ($($name:ident: $variant:ident($type:ty),)*) => {
        impl<'a> Value<'a> {
            $(
                pub(super) fn $name(self) -> Option<$type> {
                    match self {
                        Value::$variant(value) => Some(value),
                        _ => None,
                    }
                }
            )*
        }
    };
}
kinds! {
    date: Date(NaiveDate),
    flag: Flag(bool),
    year: Year(YearGroup),
    send: Send(SendStatus),
    kind: Kind(MeetingType),
    item: Item(ItemType),
    status: Status(Status),
    action_id: Action(ActionId),
    pupil_id: Pupil(PupilId),
    meeting_id: Meeting(MeetingId),
    statutory: Statutory(Statutory),
}

/// Room for the text of a cell that the record does not hold as written (an id, a date), so
/// that an export of hundreds of thousands of cells makes no new string for them.
pub(super) struct Scratch {
    id: [u8; 45],
    day: [u8; 10],
}

impl Scratch {
    pub(super) fn new() -> Self {
        Scratch {
            id: uuid::Uuid::encode_buffer(),
            day: [0; 10],
        }
    }
}

impl<'a> Value<'a> {
    /// The text of the cell, before its formula guard: borrowed where the record holds it as it
    /// is written, written into `scratch` for ids and dates.
    pub(super) fn written(self, scratch: &'a mut Scratch) -> Cow<'a, str> {
        let Scratch { id, day } = scratch;
        match self {
            Value::Empty => "".into(),
            Value::Text(text) => text.into(),
            Value::Date(date) => dates::iso_in(date, day),
            Value::Flag(flag) => if flag { "Yes" } else { "No" }.into(),
            Value::Days(days) => days.to_string().into(),
            Value::Year(year) => year.label().into(),
            Value::Send(status) => status.label().into(),
            Value::Kind(kind) => kind.label().into(),
            Value::Item(item) => item.label().into(),
            Value::Status(status) => status.label().into(),
            Value::Action(action) => action.encode(id).into(),
            Value::Pupil(pupil) => pupil.encode(id).into(),
            Value::Meeting(meeting) => meeting.encode(id).into(),
            Value::Statutory(statutory) => format!(
                "{}, review {}",
                statutory.step.rule().code,
                dates::iso(statutory.review)
            )
            .into(),
        }
    }
}

/// A statutory step as SEND Log writes it in a cell: "report, review 2027-03-12".
pub(super) fn statutory(text: &str) -> Result<Statutory, String> {
    let wrong = || {
        format!(
            "\"{}\" is not a statutory step as SEND Log writes one: the step (invitations, advice, \
             meeting, report, decision or transfer), a comma, then \"review\" and the review's date, as in \
             \"report, review 2027-03-12\".",
            text.trim()
        )
    };
    let (step, review) = text.split_once(',').ok_or_else(wrong)?;
    let step = Step::from_code(&step.trim().to_lowercase()).ok_or_else(wrong)?;
    let review = review.trim();
    let date = review
        .get(..6)
        .filter(|word| word.eq_ignore_ascii_case("review"))
        .and_then(|_| review.get(6..))
        .ok_or_else(wrong)?;
    let review = dates::parse_cell(date)?;
    Ok(Statutory { review, step })
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

/// The year group a class or form name suggests: "5B", "10MJ", "Y5 Oak", "Year 2 Willow",
/// "Reception Ash". A hint, never a year group read as such: "Oak" suggests nothing, and the
/// preview asks the person to check each one.
pub(super) fn year_from_class(text: &str) -> Option<YearGroup> {
    let first = text.split_whitespace().next()?;
    if let Some(year) = year_group(first) {
        return Some(year);
    }
    // "Year 2 Willow" and "Y 5": the number is the second word.
    let mut words = text.split_whitespace();
    if let (Some(word), Some(number)) = (words.next(), words.next()) {
        if matches!(squash(word).as_str(), "year" | "yr" | "y") {
            return year_group(number);
        }
    }
    // "5B", "10MJ", "11-3": the digits at the start.
    let digits: String = first.chars().take_while(char::is_ascii_digit).collect();
    let rest = &first[digits.len()..];
    let letters_after = rest.chars().next().is_some_and(|c| !c.is_ascii_digit());
    (!digits.is_empty() && letters_after)
        .then(|| year_group(&digits))
        .flatten()
}

/// A status, also as a school's tracker words it: "Not started", "To do" or "New" (open),
/// "Started" or "Ongoing" (in progress), "On hold" (waiting), "Complete", "Closed" or
/// "Finished" (done). "Overdue" is not one: it is worked out from the due date.
pub(super) fn status(text: &str) -> Option<Status> {
    Status::from_text(text).or(match squash(text).as_str() {
        "notstarted" | "todo" | "new" | "notyetstarted" => Some(Status::Open),
        "started" | "ongoing" | "underway" | "inhand" => Some(Status::InProgress),
        "onhold" | "waitingon" | "pending" => Some(Status::Waiting),
        "complete" | "completed" | "closed" | "finished" | "achieved" => Some(Status::Done),
        _ => None,
    })
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

    #[test]
    fn a_class_or_form_suggests_a_year_group_only_when_it_names_one() {
        for (class, wanted) in [
            ("5B", Some(YearGroup::Year5)),
            ("10MJ", Some(YearGroup::Year10)),
            ("11-3", Some(YearGroup::Year11)),
            ("Y5 Oak", Some(YearGroup::Year5)),
            ("Year 2 Willow", Some(YearGroup::Year2)),
            ("Reception Ash", Some(YearGroup::Reception)),
            ("Nursery", Some(YearGroup::Nursery)),
            ("Oak", None),
            ("Ysgol Gymraeg", None),
            ("14C", None),
            ("2026", None),
            ("", None),
            ("İ5", None),
        ] {
            assert_eq!(year_from_class(class), wanted, "{class:?}");
        }
    }

    #[test]
    fn statuses_are_read_as_a_schools_tracker_words_them() {
        for (text, wanted) in [
            ("Not started", Status::Open),
            ("to do", Status::Open),
            ("New", Status::Open),
            ("Open", Status::Open),
            ("Started", Status::InProgress),
            ("ongoing", Status::InProgress),
            ("In progress", Status::InProgress),
            ("On hold", Status::Waiting),
            ("Waiting on someone else", Status::Waiting),
            ("waiting", Status::Waiting),
            ("Complete", Status::Done),
            ("COMPLETED", Status::Done),
            ("Closed", Status::Done),
            ("finished", Status::Done),
            ("Parked", Status::Parked),
        ] {
            assert_eq!(status(text), Some(wanted), "{text}");
        }
        for text in ["Overdue", "Red", "", "Maybe"] {
            assert_eq!(status(text), None, "{text}");
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
