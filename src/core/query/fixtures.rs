//! A small school the queries' tests start from: two pupils, and actions added to order.

use crate::action::{ItemType, Status};
use crate::id::PupilId;
use crate::pupil::YearGroup;
use crate::record::{Edit, NewPupil, Record};
use crate::{ActionDraft, SendStatus};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// Thursday 23 April 2026.
pub(super) fn today() -> NaiveDate {
    day(23)
}
pub(super) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, d).unwrap()
}
pub(super) fn at(d: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day(d).and_hms_opt(9, 0, 0).unwrap())
}

pub(super) struct School {
    pub(super) record: Record,
    pub(super) zoe: PupilId,
    pub(super) ben: PupilId,
}

pub(super) fn pupil(record: &mut Record, name: &str, year_group: YearGroup) -> PupilId {
    let new = NewPupil {
        name: name.into(),
        year_group,
        send_status: SendStatus::SenSupport,
        annual_review: None,
    };
    record.add_pupil(new, at(1)).unwrap().0
}

/// Adds an action raised on `raised`, due on `due`, then sets its status on `raised`.
pub(super) fn act(
    s: &mut School,
    pupil: PupilId,
    step: &str,
    owner: &str,
    due: u32,
    status: Status,
) -> usize {
    let draft = ActionDraft {
        pupil: Some(pupil),
        raised: Some(day(1)),
        next_step: step.into(),
        owner: owner.into(),
        due: Some(day(due)),
        item_type: Some(ItemType::FollowUp),
        ..ActionDraft::default()
    };
    let (id, _) = s.record.add_action(&draft, day(1), at(1)).unwrap();
    s.record
        .edit_action(id, &[Edit::Status(status)], None, at(20))
        .unwrap();
    s.record.actions().len() - 1
}

pub(super) fn school() -> School {
    let mut record = Record::default();
    let zoe = pupil(&mut record, "Zoë Brown", YearGroup::Year4);
    let ben = pupil(&mut record, "Ben O'Neil", YearGroup::Year9);
    School { record, zoe, ben }
}
