//! The weekly review (overdue, due this week, waiting, escalated, stale, statutory deadlines)
//! and the school week.

use super::reviews::is_statutory_soon;
use super::tracker::sort;
use super::SortBy;
use crate::action::{Action, Status};
use crate::record::Record;
use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A live row with no update for this many days is stale: a "dead record".
pub const STALE_AFTER_DAYS: i64 = 28;

/// The school week a date falls in, Monday to Friday; at a weekend, the coming week.
pub fn school_week(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = match today.weekday() {
        Weekday::Sat => today + Days::new(2),
        Weekday::Sun => today + Days::new(1),
        day => today - Days::new(u64::from(day.num_days_from_monday())),
    };
    (monday, monday + Days::new(4))
}

/// A live row with no update for [`STALE_AFTER_DAYS`] days or more.
pub fn is_stale(action: &Action, today: NaiveDate) -> bool {
    action.status.is_live()
        && (today - action.last_update.at.date_naive()).num_days() >= STALE_AFTER_DAYS
}

/// The weekly review: each list holds positions of live actions, soonest due first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeeklyReview {
    pub overdue: Vec<usize>,
    /// Due from today to the end of this school week (and not already overdue).
    pub due_this_week: Vec<usize>,
    pub waiting: Vec<usize>,
    pub escalated: Vec<usize>,
    pub stale: Vec<usize>,
    /// Statutory steps due in the next four weeks, or already missed.
    pub statutory: Vec<usize>,
}

/// What Home leads with: the live actions due by Friday of this school week, soonest first, so
/// the overdue come first (the weekly review's overdue, then its due this week), found without
/// working out the review's other lists.
pub fn due_by_friday(record: &Record, today: NaiveDate) -> Vec<usize> {
    let (_, friday) = school_week(today);
    let mut due: Vec<usize> = (0..record.actions().len())
        .filter(|&at| {
            let a = &record.actions()[at];
            a.status.is_live() && a.due <= friday
        })
        .collect();
    sort(record, &mut due, SortBy::Due);
    due
}

/// What the weekly review shows, as of `today`.
pub fn weekly_review(record: &Record, today: NaiveDate) -> WeeklyReview {
    let (_, friday) = school_week(today);
    let mut review = WeeklyReview::default();
    for (at, a) in record.actions().iter().enumerate() {
        if !a.status.is_live() {
            continue;
        }
        if a.is_overdue(today) {
            review.overdue.push(at);
        } else if a.due <= friday {
            review.due_this_week.push(at);
        }
        if a.status == Status::Waiting {
            review.waiting.push(at);
        }
        if a.escalate {
            review.escalated.push(at);
        }
        if is_stale(a, today) {
            review.stale.push(at);
        }
        if is_statutory_soon(a, today) {
            review.statutory.push(at);
        }
    }
    for list in [
        &mut review.overdue,
        &mut review.due_this_week,
        &mut review.waiting,
        &mut review.escalated,
        &mut review.stale,
        &mut review.statutory,
    ] {
        sort(record, list, SortBy::Due);
    }
    review
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::record::Edit;

    #[test]
    fn the_school_week_runs_monday_to_friday() {
        assert_eq!(school_week(day(23)), (day(20), day(24)));
        assert_eq!(school_week(day(20)), (day(20), day(24)));
        // At the weekend, the coming week.
        assert_eq!(
            school_week(day(25)),
            (day(27), NaiveDate::from_ymd_opt(2026, 5, 1).unwrap())
        );
        assert_eq!(
            school_week(day(26)),
            (day(27), NaiveDate::from_ymd_opt(2026, 5, 1).unwrap())
        );
    }

    #[test]
    fn the_weekly_review_sorts_live_rows_into_its_five_questions() {
        let mut s = school();
        let (zoe, ben) = (s.zoe, s.ben);
        let late = act(
            &mut s,
            zoe,
            "Send the sleep diary",
            "Parent",
            21,
            Status::Open,
        );
        let today_due = act(
            &mut s,
            zoe,
            "Call the parent",
            "SENCO",
            23,
            Status::InProgress,
        );
        let friday = act(
            &mut s,
            ben,
            "Send the referral",
            "SENCO",
            24,
            Status::Waiting,
        );
        let next_week = act(&mut s, ben, "Review the plan", "SENCO", 28, Status::Open);
        let closed_late = act(&mut s, ben, "Share the report", "Parent", 2, Status::Done);
        let id = s.record.actions()[next_week].id;
        s.record
            .edit_action(id, &[Edit::Escalate(true)], None, at(20))
            .unwrap();

        let review = weekly_review(&s.record, today());
        assert_eq!(review.overdue, vec![late]);
        assert_eq!(review.due_this_week, vec![today_due, friday]);
        assert_eq!(
            due_by_friday(&s.record, today()),
            vec![late, today_due, friday]
        );
        let both: Vec<usize> = review
            .overdue
            .iter()
            .chain(&review.due_this_week)
            .copied()
            .collect();
        assert_eq!(
            due_by_friday(&s.record, today()),
            both,
            "the review's overdue, then its week"
        );
        assert_eq!(review.waiting, vec![friday]);
        assert_eq!(review.escalated, vec![next_week]);
        assert!(review.stale.is_empty());
        assert!(
            !review.overdue.contains(&closed_late),
            "closed rows are never overdue"
        );
    }

    #[test]
    fn a_live_row_with_no_update_for_28_days_is_stale() {
        let mut s = school();
        let zoe = s.zoe;
        let row = act(
            &mut s,
            zoe,
            "Check the reading log",
            "Class teacher",
            30,
            Status::Open,
        );
        let updated = s.record.actions()[row].last_update.at.date_naive();
        assert!(!is_stale(&s.record.actions()[row], updated + Days::new(27)));
        assert!(is_stale(&s.record.actions()[row], updated + Days::new(28)));
        let later = updated + Days::new(40);
        assert_eq!(weekly_review(&s.record, later).stale, vec![row]);
        let id = s.record.actions()[row].id;
        s.record
            .edit_action(id, &[Edit::Status(Status::Parked)], None, at(22))
            .unwrap();
        assert!(
            weekly_review(&s.record, later).stale.is_empty(),
            "a parked row is not stale"
        );
    }
}
