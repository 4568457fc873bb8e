//! The meetings Home offers to continue: every meeting held today, and the one this device left
//! open without finishing it (its read-back never reached), whatever its date.

use crate::id::MeetingId;
use crate::record::Record;
use chrono::NaiveDate;

/// A meeting Home offers to continue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resume {
    pub meeting: MeetingId,
    /// "Annual review for Zoë Brown".
    pub title: String,
    /// Who was there and the summary, if given.
    pub about: String,
    pub date: NaiveDate,
    /// Left open on this device without reaching the read-back.
    pub unfinished: bool,
}

/// The meetings to continue as of `today`: the one left open on this device first (if it is
/// still in the record), then today's, the latest started first. One pass over the meetings;
/// no pass over the actions, so adding an action does not grow it.
pub fn to_resume(record: &Record, today: NaiveDate, left_open: Option<MeetingId>) -> Vec<Resume> {
    let line = |id: MeetingId, unfinished: bool| {
        let meeting = record.meeting(id)?;
        let pupil = record.pupil(meeting.pupil).map(|p| p.name.as_str());
        Some(Resume {
            meeting: id,
            title: format!(
                "{} for {}",
                meeting.meeting_type,
                pupil.unwrap_or("a pupil")
            ),
            about: meeting.described(),
            date: meeting.date,
            unfinished,
        })
    };
    let mut shown: Vec<Resume> = left_open
        .and_then(|id| line(id, true))
        .into_iter()
        .collect();
    let mut today_held: Vec<_> = record
        .meetings()
        .iter()
        .filter(|m| m.date == today && Some(m.id) != left_open)
        .collect();
    today_held.sort_by_key(|m| std::cmp::Reverse(m.updated_at));
    shown.extend(today_held.into_iter().filter_map(|m| line(m.id, false)));
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::MeetingType;
    use crate::record::tests::{at, record_with_pupil, today};
    use crate::record::NewMeeting;
    use chrono::Days;

    fn start(record: &mut Record, date: NaiveDate, hour: u32, kind: MeetingType) -> MeetingId {
        let pupil = record.pupils()[0].id;
        let new = NewMeeting {
            pupil,
            date,
            meeting_type: kind,
            attendees: vec!["Parent".into()],
            summary: String::new(),
        };
        record.start_meeting(new, at(hour)).unwrap().0
    }

    #[test]
    fn todays_meetings_latest_first_and_the_one_left_open_before_them() {
        let (mut record, _) = record_with_pupil();
        let yesterday = today() - Days::new(1);
        let old = start(&mut record, yesterday, 9, MeetingType::AnnualReview);
        let first = start(&mut record, today(), 10, MeetingType::ParentConversation);
        let second = start(&mut record, today(), 11, MeetingType::SenSupportMeeting);
        let ids = |shown: &[Resume]| shown.iter().map(|r| r.meeting).collect::<Vec<_>>();

        let shown = to_resume(&record, today(), None);
        assert_eq!(ids(&shown), [second, first]);
        assert_eq!(shown[0].title, "SEN support meeting for Zoë Łukasz-O'Neil");
        assert_eq!(shown[0].about, "With Parent.");
        assert!(shown.iter().all(|r| !r.unfinished));

        let shown = to_resume(&record, today(), Some(old));
        assert_eq!(ids(&shown), [old, second, first]);
        assert!(shown[0].unfinished && shown[0].date == yesterday);
        // Today's meeting left open is listed once, as unfinished.
        let shown = to_resume(&record, today(), Some(first));
        assert_eq!(ids(&shown), [first, second]);
        assert!(shown[0].unfinished);
        // Tomorrow, only what was left open.
        let tomorrow = today() + Days::new(1);
        assert_eq!(ids(&to_resume(&record, tomorrow, Some(first))), [first]);
    }

    #[test]
    fn a_meeting_no_longer_in_the_record_is_not_offered() {
        let (mut record, pupil) = record_with_pupil();
        let gone = start(&mut record, today(), 10, MeetingType::Other);
        record.remove_pupils(&[pupil]);
        assert!(to_resume(&record, today(), Some(gone)).is_empty());
    }
}
