//! A form's date boxes read as the record reads them: each date, or what is wrong with what was
//! typed (a year like 0001 or 9999, a date cut short), to show beside the box that holds it.

use super::action::ActionDraft;
use super::dates;
use super::guard::{self, Concern, Severity, Verdict};
use super::history::Field;
use chrono::NaiveDate;

/// The date boxes of one form, read one by one; what could not be read is kept to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateBoxes {
    problems: Vec<Concern>,
}

impl DateBoxes {
    /// Reads the box for `field`: its date, or `None` when it is empty or cannot be read (and
    /// then what is wrong is kept, naming the field as the form labels it).
    pub fn read(&mut self, field: Field, text: &str) -> Option<NaiveDate> {
        match dates::parse_typed(text, field.label()) {
            Ok(date) => date,
            Err(message) => {
                self.problems.push(Concern {
                    field,
                    severity: Severity::Refusal,
                    message,
                });
                None
            }
        }
    }

    /// What is wrong with the first box that could not be read, if any: nothing may be saved
    /// from the form while one cannot (an unread date would be saved as empty, or as today).
    pub fn first_problem(&self) -> Option<&str> {
        self.problems.first().map(|c| c.message.as_str())
    }

    /// The guard's verdict on `draft`, read from these boxes: what the guard says of a field
    /// whose box could not be read ("needs a due date") gives way to what is wrong with it.
    pub fn check(&self, draft: &ActionDraft, today: NaiveDate) -> Verdict {
        let mut verdict = guard::check(draft, today);
        verdict
            .concerns
            .retain(|c| !self.problems.iter().any(|p| p.field == c.field));
        verdict.concerns.extend(self.problems.iter().cloned());
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PupilId;

    fn draft(due: Option<NaiveDate>) -> ActionDraft {
        ActionDraft {
            pupil: Some(PupilId::new()),
            decision: "Reading support agreed".into(),
            next_step: "Check the reading log every Friday for four weeks".into(),
            owner: "SENCO".into(),
            due,
            ..ActionDraft::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
    }

    #[test]
    fn a_year_outside_the_range_is_named_beside_its_box_and_not_read() {
        for typed in ["0001-01-01", "9999-12-31", "2200-01-01", "1899-12-31"] {
            let mut boxes = DateBoxes::default();
            assert_eq!(boxes.read(Field::Due, typed), None, "{typed}");
            let verdict = boxes.check(&draft(None), today());
            let notes: Vec<_> = verdict.about(Field::Due).collect();
            assert_eq!(notes.len(), 1, "{typed}: {notes:?}");
            assert!(
                dates::is_outside_years(&notes[0].message),
                "{typed}: {notes:?}"
            );
            assert!(notes[0].message.contains(typed), "{typed}: {notes:?}");
            assert!(notes[0].message.starts_with("Due date"), "{notes:?}");
            assert!(verdict.is_refused());
            assert_eq!(boxes.first_problem(), Some(notes[0].message.as_str()));
        }
    }

    #[test]
    fn a_readable_or_empty_box_adds_nothing_to_the_guards_verdict() {
        let mut boxes = DateBoxes::default();
        let due = boxes.read(Field::Due, " 2026-05-01 ");
        assert_eq!(due, NaiveDate::from_ymd_opt(2026, 5, 1));
        assert_eq!(boxes.read(Field::NextReview, ""), None);
        assert_eq!(boxes.first_problem(), None);
        assert_eq!(
            boxes.check(&draft(due), today()),
            guard::check(&draft(due), today())
        );
        // An empty due box gets the guard's own note, not a date problem.
        let empty = boxes.check(&draft(None), today());
        assert_eq!(empty, guard::check(&draft(None), today()));
        assert!(empty.about(Field::Due).next().is_some());
    }

    #[test]
    fn text_that_is_not_a_date_says_so_and_the_other_boxes_still_read() {
        let mut boxes = DateBoxes::default();
        assert_eq!(boxes.read(Field::Raised, "23/04"), None);
        assert_eq!(
            boxes.read(Field::Due, "2026-05-01"),
            NaiveDate::from_ymd_opt(2026, 5, 1)
        );
        let verdict = boxes.check(&draft(NaiveDate::from_ymd_opt(2026, 5, 1)), today());
        let raised: Vec<_> = verdict.about(Field::Raised).collect();
        assert_eq!(raised.len(), 1);
        assert!(raised[0].message.contains("\"23/04\" is not a date"));
        assert!(verdict.about(Field::Due).next().is_none());
    }
}
