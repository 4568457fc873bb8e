//! Whether to remind that the record is kept only on this device. A school's SEND record lives
//! on one tablet: lost, broken or reset (or its browser's storage cleared), the tablet takes the
//! record with it, unless a copy of the whole record was exported. The app notes when that was
//! last done on this device, and asks for a fresh copy when there are changes it does not hold.

use crate::example;
use crate::record::Record;
use chrono::{DateTime, TimeDelta, Utc};

/// A copy this old, with changes made since, is worth making again.
pub const REFRESH_AFTER_DAYS: i64 = 7;

/// Why a copy of the record is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reminder {
    /// The whole record has never been exported from this device.
    NeverExported,
    /// The last copy of the whole record was exported then, and the record has changed since.
    ChangedSince(DateTime<Utc>),
}

/// Whether to ask for a copy of the record, given when the whole record was last exported from
/// this device. Nothing is asked of an empty record, or of one that holds only the example.
pub fn reminder(
    record: &Record,
    last_export: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<Reminder> {
    let example = example::example_pupils();
    if record.pupils().iter().all(|p| example.contains(&p.id)) {
        return None;
    }
    let changed = last_changed(record)?;
    match last_export {
        None => Some(Reminder::NeverExported),
        Some(exported)
            if changed > exported && now - exported >= TimeDelta::days(REFRESH_AFTER_DAYS) =>
        {
            Some(Reminder::ChangedSince(exported))
        }
        Some(_) => None,
    }
}

/// When anything in the record last changed: a pupil's details, a meeting, or an action (every
/// change to an action sets its last update).
pub fn last_changed(record: &Record) -> Option<DateTime<Utc>> {
    let pupils = record.pupils().iter().map(|p| p.updated_at);
    let meetings = record.meetings().iter().map(|m| m.updated_at);
    let actions = record.actions().iter().map(|a| a.last_update.at);
    pupils.chain(meetings).chain(actions).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::NewPupil;
    use crate::{ActionDraft, Edit, SendStatus, Status, YearGroup};
    use chrono::{NaiveDate, TimeZone};

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, 9, 30, 0).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
    }

    /// Adds a pupil of the school's own on 2 Nov 2026.
    fn add_aisha(record: &mut Record) -> crate::PupilId {
        let aisha = NewPupil {
            name: "Aisha Begum".into(),
            year_group: YearGroup::Year3,
            send_status: SendStatus::SenSupport,
            annual_review: None,
        };
        record.add_pupil(aisha, day(2)).unwrap().0
    }

    /// A record with one pupil and one action, made on 2 Nov 2026.
    fn school_record() -> (Record, crate::ActionId) {
        let mut record = Record::default();
        let pupil = add_aisha(&mut record);
        let draft = ActionDraft {
            pupil: Some(pupil),
            next_step: "Send the reading record home every Friday".into(),
            owner: "Class teacher".into(),
            due: NaiveDate::from_ymd_opt(2026, 11, 20),
            ..ActionDraft::default()
        };
        let (action, _) = record.add_action(&draft, today(), day(2)).unwrap();
        (record, action)
    }

    #[test]
    fn an_empty_record_or_the_example_alone_needs_no_copy() {
        assert_eq!(reminder(&Record::default(), None, day(20)), None);
        let example = example::example(today());
        assert_eq!(reminder(&example, None, day(20)), None);
    }

    #[test]
    fn a_school_record_never_exported_is_asked_for_at_once() {
        let (record, _) = school_record();
        assert_eq!(
            reminder(&record, None, day(2)),
            Some(Reminder::NeverExported)
        );
    }

    #[test]
    fn a_copy_is_asked_for_again_a_week_after_the_last_one_once_the_record_has_changed() {
        let (mut record, action) = school_record();
        let exported = day(3);
        // Nothing changed since the copy: no reminder, however old it is.
        assert_eq!(reminder(&record, Some(exported), day(30)), None);

        record
            .edit_action(action, &[Edit::Status(Status::Done)], None, day(5))
            .unwrap();
        assert_eq!(last_changed(&record), Some(day(5)));
        // Changed since, but the copy is less than a week old.
        assert_eq!(reminder(&record, Some(exported), day(9)), None);
        assert_eq!(
            reminder(&record, Some(exported), day(10)),
            Some(Reminder::ChangedSince(exported))
        );
    }

    #[test]
    fn a_meeting_or_a_pupils_details_count_as_changes_too() {
        let (mut record, _) = school_record();
        let exported = day(3);
        let pupil = record.pupils()[0].id;
        record
            .start_meeting(
                crate::NewMeeting {
                    pupil,
                    date: today(),
                    meeting_type: crate::MeetingType::ParentConversation,
                    attendees: vec![],
                    summary: String::new(),
                },
                day(4),
            )
            .unwrap();
        assert_eq!(last_changed(&record), Some(day(4)));
        assert_eq!(
            reminder(&record, Some(exported), day(12)),
            Some(Reminder::ChangedSince(exported))
        );
        // With the example loaded beside the school's own pupils, the school's record still
        // needs its copy.
        let mut both = example::example(today());
        add_aisha(&mut both);
        assert_eq!(reminder(&both, None, day(2)), Some(Reminder::NeverExported));
    }
}
