//! A form's date boxes read as the record reads them: each date, or what is wrong with what was
//! typed (a year like 0001 or 9999, a date cut short), to show beside the box that holds it;
//! and what the next action takes from the one just added, said beside its box ([`Carried`]).

use super::action::{ActionDraft, ItemType, Status};
use super::choice::Choice;
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
        self.check_with(guard::check(draft, today))
    }

    /// [`DateBoxes::check`] for a verdict already given (an edit's, which offers no split).
    pub fn check_with(&self, mut verdict: Verdict) -> Verdict {
        verdict
            .concerns
            .retain(|c| !self.problems.iter().any(|p| p.field == c.field));
        verdict.concerns.extend(self.problems.iter().cloned());
        verdict
    }
}

/// The fields the add form keeps for the next action after one is added: where the actions go
/// (the pupil, the meeting, the date raised), and what is often the same for the next one (the
/// due date, item type and status). Every other field starts empty again.
pub const KEPT_FOR_NEXT: [Field; 6] = [
    Field::Pupil,
    Field::Meeting,
    Field::Raised,
    Field::Due,
    Field::ItemType,
    Field::Status,
];

/// What the next action inherits from the one just added, each with the note shown beside its
/// box ("Same as the last: Fri 4 Dec 2026") until the person changes it, so that nothing is
/// saved with the last row's value unseen. The pupil, meeting and date raised are not noted:
/// they say where the actions are added, shown above the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Carried {
    notes: Vec<(Field, String)>,
}

impl Carried {
    /// What the next action inherits after `added` is added: its due date, and its item type and
    /// status when they are not what a new form starts with (a new form's Follow-up and Open
    /// are not inherited).
    pub fn after(added: &ActionDraft) -> Carried {
        let mut notes = Vec::new();
        if let Some(due) = added.due {
            notes.push((Field::Due, dates::uk_with_day(due)));
        }
        if let Some(item) = added.item_type.filter(|&i| i != ItemType::NEW) {
            notes.push((Field::ItemType, item.label().to_string()));
        }
        if let Some(status) = added.status.filter(|&s| s != Status::NEW) {
            notes.push((Field::Status, status.label().to_string()));
        }
        let notes = notes
            .into_iter()
            .map(|(field, value)| (field, format!("Same as the last: {value}")))
            .collect();
        Carried { notes }
    }

    /// The note beside `field`'s box, while what it holds is inherited.
    pub fn note(&self, field: Field) -> Option<&str> {
        self.notes
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, note)| note.as_str())
    }

    /// The person changed `field`: what it holds is theirs now, no longer inherited.
    pub fn changed(&mut self, field: Field) {
        self.notes.retain(|(f, _)| *f != field);
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
    #[test]
    fn what_the_next_action_inherits_is_said_until_it_is_changed() {
        let mut added = draft(NaiveDate::from_ymd_opt(2026, 12, 4));
        added.item_type = Some(ItemType::Referral);
        added.status = Some(Status::NEW);
        let mut carried = Carried::after(&added);
        assert_eq!(
            carried.note(Field::Due),
            Some("Same as the last: Fri 4 Dec 2026")
        );
        assert_eq!(
            carried.note(Field::ItemType),
            Some("Same as the last: Referral")
        );
        // A new form starts Open: nothing is inherited there.
        assert_eq!(carried.note(Field::Status), None);
        assert_eq!(carried.note(Field::Owner), None);
        carried.changed(Field::Due);
        assert_eq!(carried.note(Field::Due), None);
        assert!(carried.note(Field::ItemType).is_some());
        // What is inherited is what the form keeps; what is not kept is never noted.
        for field in Field::ALL {
            if !KEPT_FOR_NEXT.contains(field) {
                assert_eq!(Carried::after(&added).note(*field), None, "{field:?}");
            }
        }
        let mut plain = draft(None);
        plain.item_type = Some(ItemType::NEW);
        assert_eq!(Carried::after(&plain), Carried::default());
        plain.status = Some(Status::Waiting);
        assert_eq!(
            Carried::after(&plain).note(Field::Status),
            Some("Same as the last: Waiting on someone else")
        );
    }
}
