//! A pupil's review planned, moved, held and followed by the next, as a SENCO does it.

use super::*;
use crate::pupil::YearGroup;
use crate::query::weekly_review;
use crate::record::{NewPupil, PupilEdit};
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn now(on: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&on.and_hms_opt(9, 0, 0).unwrap())
}

fn with_plan(review: Option<NaiveDate>, send_status: SendStatus) -> (Record, PupilId) {
    let mut record = Record::default();
    let new = NewPupil {
        name: "Dilek Yılmaz".into(),
        year_group: YearGroup::Year6,
        send_status,
        annual_review: review,
    };
    let (id, _) = record.add_pupil(new, now(day(2026, 9, 1))).unwrap();
    (record, id)
}

fn offered(record: &Record, pupil: PupilId, today: NaiveDate) -> Option<Offer> {
    offer(record, record.pupil(pupil).unwrap(), today)
}

/// Adds what a plan offers, as the one tap does.
fn take_plan(record: &mut Record, pupil: PupilId, today: NaiveDate) -> Vec<ActionId> {
    let Some(offer @ Offer::Plan { .. }) = offered(record, pupil, today) else {
        panic!("a plan was offered");
    };
    let before: Vec<ActionId> = record.actions().iter().map(|a| a.id).collect();
    take_offer(record, pupil, &offer, today, now(today)).unwrap();
    record
        .actions()
        .iter()
        .map(|a| a.id)
        .filter(|id| !before.contains(id))
        .collect()
}

fn set_status(record: &mut Record, id: ActionId, status: Status, on: NaiveDate) {
    record
        .edit_action(id, &[Edit::Status(status)], None, now(on))
        .unwrap();
}

#[test]
fn a_review_date_offers_its_five_steps_with_the_issues_dates() {
    let review = day(2027, 3, 12);
    let today = day(2027, 1, 4);
    let (mut record, pupil) = with_plan(Some(review), SendStatus::EhcPlan);
    let Some(Offer::Plan { review: r, drafts }) = offered(&record, pupil, today) else {
        panic!("a plan was offered");
    };
    assert_eq!(r, review);
    let dues: Vec<_> = drafts.iter().map(|d| d.due.unwrap()).collect();
    assert_eq!(
        dues,
        [
            day(2027, 2, 12),
            day(2027, 2, 26),
            day(2027, 3, 12),
            day(2027, 3, 26),
            day(2027, 4, 9)
        ]
    );
    let given = Offer::Plan {
        review,
        drafts: drafts.clone(),
    }
    .with_owner(" Mrs Patel (Assistant SENCO) ");
    let Offer::Plan { drafts: given, .. } = given else {
        panic!("still a plan");
    };
    assert!(given
        .iter()
        .all(|d| d.owner == "Mrs Patel (Assistant SENCO)"));
    for draft in &drafts {
        assert_eq!(draft.owner, "SENCO");
        assert_eq!(draft.item_type, Some(ItemType::Review));
        assert_eq!(draft.statutory.unwrap().review, review);
        assert_eq!(draft.decision, "EHC plan annual review on 12 Mar 2027");
    }
    let offer = offered(&record, pupil, today).unwrap();
    let ((label, undo), _) = take_offer(&mut record, pupil, &offer, today, now(today)).unwrap();
    assert_eq!(
        label,
        "5 statutory actions added for Dilek Yılmaz's EHC plan review on 12 Mar 2027."
    );
    assert_eq!(record.actions().len(), 5);
    // One Undo takes the five back.
    record.undo(&undo, now(today)).unwrap();
    assert!(record.actions().is_empty());
    assert_eq!(offered(&record, pupil, today), Some(offer));
    take_plan(&mut record, pupil, today);
    assert_eq!(
        offered(&record, pupil, today),
        None,
        "planned once, not offered again"
    );
    let lines = reviews_of(&record, pupil);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].stage(), "Not started");
}

#[test]
fn only_a_pupil_with_an_ehc_plan_and_a_review_date_is_offered_a_plan() {
    let today = day(2027, 1, 4);
    let (record, pupil) = with_plan(Some(day(2027, 3, 12)), SendStatus::SenSupport);
    assert_eq!(offered(&record, pupil, today), None);
    let (record, pupil) = with_plan(None, SendStatus::EhcPlan);
    assert_eq!(offered(&record, pupil, today), None);
}

#[test]
fn moving_the_review_moves_the_steps_not_yet_done_and_the_next_year_follows_the_meeting() {
    let today = day(2027, 1, 4);
    let (mut record, pupil) = with_plan(Some(day(2027, 3, 12)), SendStatus::EhcPlan);
    let ids = take_plan(&mut record, pupil, today);
    set_status(&mut record, ids[0], Status::Done, today);
    assert_eq!(reviews_of(&record, pupil)[0].stage(), "Invitations sent");

    // The meeting moves a week later.
    let later = day(2027, 3, 19);
    record
        .edit_pupil(pupil, PupilEdit::AnnualReview(Some(later)), now(today))
        .unwrap();
    let offer = offered(&record, pupil, today).unwrap();
    let Offer::Move { from, to, moves } = &offer else {
        panic!("a move was offered");
    };
    assert_eq!((*from, *to), (day(2027, 3, 12), later));
    assert_eq!(moves.len(), 4, "the invitations sent stay as they were");
    assert!(moves.iter().all(|m| m.action != ids[0]));
    let history_before = record.history().len();
    let actions_before = record.actions().to_vec();
    let ((label, undo), _) = take_offer(&mut record, pupil, &offer, today, now(today)).unwrap();
    assert_eq!(
        label,
        "4 statutory actions moved to Dilek Yılmaz's EHC plan review on 19 Mar 2027."
    );
    assert_eq!(record.history().len(), history_before + 4, "one entry each");
    assert_eq!(record.action(ids[4]).unwrap().due, day(2027, 4, 16));
    assert_eq!(
        record.action(ids[4]).unwrap().last_update.note,
        "Review moved from 12 Mar 2027 to 19 Mar 2027"
    );
    // Undo puts every row back as it was; taken again, it moves them again.
    record.undo(&undo, now(today)).unwrap();
    assert_eq!(record.actions(), &actions_before[..]);
    take_offer(&mut record, pupil, &offer, today, now(today)).unwrap();
    assert_eq!(record.action(ids[4]).unwrap().due, day(2027, 4, 16));
    assert_eq!(
        record.action(ids[0]).unwrap().statutory.unwrap().review,
        day(2027, 3, 12)
    );
    // The new date needs its own invitations: the one step missing is offered.
    let Some(Offer::Plan { drafts, .. }) = offered(&record, pupil, today) else {
        panic!("the missing step was offered");
    };
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].statutory.unwrap().step, Step::Invitations);
    take_plan(&mut record, pupil, today);

    // Held: the next year's review is offered, and the old review's last steps stay with it.
    let meeting = record
        .actions()
        .iter()
        .find(|a| {
            a.statutory
                == Some(Statutory {
                    review: later,
                    step: Step::Meeting,
                })
        })
        .unwrap()
        .id;
    set_status(&mut record, meeting, Status::Done, later);
    assert_eq!(
        offered(&record, pupil, later),
        Some(Offer::Next {
            held: later,
            next: day(2028, 3, 19)
        })
    );
    record
        .edit_pupil(
            pupil,
            PupilEdit::AnnualReview(Some(day(2028, 3, 19))),
            now(later),
        )
        .unwrap();
    let Some(Offer::Plan { drafts, .. }) = offered(&record, pupil, later) else {
        panic!("next year's review is planned, not the held one moved");
    };
    assert_eq!(drafts.len(), 5);
}

#[test]
fn a_review_planned_late_is_due_at_once_and_its_passed_deadlines_show_as_missed() {
    let review = day(2027, 3, 12);
    let today = day(2027, 3, 1);
    let (mut record, pupil) = with_plan(Some(review), SendStatus::EhcPlan);
    let ids = take_plan(&mut record, pupil, today);
    let invitations = record.action(ids[0]).unwrap();
    assert_eq!(
        invitations.due, today,
        "the latest date has passed: due today"
    );
    assert!(is_missed(invitations, today));
    assert!(is_missed(record.action(ids[1]).unwrap(), today));
    assert!(!is_missed(record.action(ids[2]).unwrap(), today));
    let said = missed_deadline(invitations, today).unwrap_or_default();
    assert!(said.starts_with("Missed: "), "{said}");
    assert_eq!(missed_deadline(record.action(ids[2]).unwrap(), today), None);
    // 20 Feb: the usual date passed, the legal one still ahead.
    assert_eq!(
        planned_due(Step::Invitations, review, day(2027, 2, 20)),
        Some(day(2027, 2, 26))
    );
}

#[test]
fn the_weekly_review_warns_of_statutory_deadlines_four_weeks_ahead_and_missed_ones() {
    let review = day(2027, 3, 12);
    let (mut record, pupil) = with_plan(Some(review), SendStatus::EhcPlan);
    let ids = take_plan(&mut record, pupil, day(2027, 1, 4));
    let today = day(2027, 2, 15);
    let warned = |record: &Record| -> Vec<ActionId> {
        let review = weekly_review(record, today);
        review
            .statutory
            .iter()
            .map(|&at| record.actions()[at].id)
            .collect()
    };
    // Invitations (12 Feb, overdue but not yet missed), advice, meeting; not the report (26 Mar).
    assert_eq!(warned(&record), ids[..3].to_vec());
    set_status(&mut record, ids[0], Status::Done, today);
    assert_eq!(
        warned(&record),
        ids[1..3].to_vec(),
        "done: no longer warned"
    );
}

proptest! {
    /// Whatever the review date and the day, from year 1 to 9999: offering never panics, and a
    /// plan it offers is always accepted by the record's guards, and one is offered wherever a
    /// step falls in the years the record accepts.
    #[test]
    fn any_review_date_plans_without_refusal(
        // Mostly about the years the record accepts (1900–2199) and their edges; some anywhere.
        review in prop_oneof![3 => 693_500i32..803_600, 1 => 0i32..3_652_059],
        today in prop_oneof![3 => 693_500i32..803_600, 1 => 0i32..3_652_059],
    ) {
        let first = day(1, 1, 1);
        let review = first + chrono::Duration::days(i64::from(review));
        let today = first + chrono::Duration::days(i64::from(today));
        let (mut record, pupil) = with_plan(Some(review), SendStatus::EhcPlan);
        if let Some(Offer::Plan { drafts, .. }) = offered(&record, pupil, today) {
            prop_assert!(!drafts.is_empty());
            prop_assert!(record.add_actions(&drafts, today, now(today)).is_ok());
            prop_assert_eq!(offered(&record, pupil, today), None);
        } else {
            // Only where no step falls in the years the record accepts.
            prop_assert!(STEPS.iter().all(|r| planned_due(r.step, review, today).is_none()));
        }
    }
}

#[test]
fn a_year_6_pupil_with_a_plan_shows_the_15_february_deadline_from_the_autumn_term() {
    let (mut record, pupil) = with_plan(None, SendStatus::EhcPlan);
    let (other, _) = record
        .add_pupil(
            NewPupil {
                name: "Ben O'Neil".into(),
                year_group: YearGroup::Year11,
                send_status: SendStatus::EhcPlan,
                annual_review: None,
            },
            now(day(2026, 9, 1)),
        )
        .unwrap();
    let autumn = day(2026, 10, 5);
    assert_eq!(
        transfers(&record, &[], autumn),
        [(pupil, day(2027, 2, 15)), (other, day(2027, 3, 31))]
    );
    // Past 15 February only the move to post-16 is still to come.
    assert_eq!(
        transfers(&record, &[], day(2027, 2, 16)),
        [(other, day(2027, 3, 31))]
    );
    // A pupil who has left, or without a plan, is not listed.
    record
        .edit_pupil(
            pupil,
            PupilEdit::SendStatus(SendStatus::SenSupport),
            now(autumn),
        )
        .unwrap();
    assert_eq!(transfers(&record, &[], autumn), [(other, day(2027, 3, 31))]);
}

#[test]
fn a_transfer_year_offers_the_amendment_deadline_once_as_a_statutory_action() {
    let autumn = day(2026, 10, 5);
    let (mut record, pupil) = with_plan(None, SendStatus::EhcPlan);
    let Some(offer @ Offer::Transfer { deadline, .. }) =
        transfer_offer(&record, record.pupil(pupil).unwrap(), &[], autumn)
    else {
        panic!("the transfer was offered");
    };
    assert_eq!(deadline, day(2027, 2, 15));
    let ((label, _), _) = take_offer(&mut record, pupil, &offer, autumn, now(autumn)).unwrap();
    assert_eq!(
        label,
        "Phase-transfer deadline added for Dilek Yılmaz: 15 Feb 2027."
    );
    let action = &record.actions()[0];
    assert_eq!(action.due, deadline);
    assert_eq!(action.statutory.unwrap().step, Step::Transfer);
    assert_eq!(
        action.statutory.unwrap().summary(),
        "phase transfer, by 15 Feb 2027"
    );
    assert_eq!(
        transfer_offer(&record, record.pupil(pupil).unwrap(), &[], autumn),
        None,
        "offered once"
    );
    assert!(reviews_of(&record, pupil).is_empty(), "not a review");
    // Missed once the deadline has passed with the action still open.
    assert!(is_missed(action, day(2027, 2, 16)));
    assert!(!is_missed(action, day(2027, 2, 15)));
    // Year 5 is no transfer year, unless the setting says so.
    let (mut other, year5) = with_plan(None, SendStatus::EhcPlan);
    other
        .edit_pupil(year5, PupilEdit::YearGroup(YearGroup::Year5), now(autumn))
        .unwrap();
    let p = other.pupil(year5).unwrap();
    assert_eq!(transfer_offer(&other, p, &[], autumn), None);
    assert!(transfer_offer(&other, p, &[YearGroup::Year5], autumn).is_some());
}

#[test]
fn a_transfer_year_pupil_is_told_to_hold_a_review_before_the_deadline_until_one_is_set() {
    let autumn = day(2026, 10, 5);
    let (mut record, pupil) = with_plan(None, SendStatus::EhcPlan);
    let deadline = transfer_due(record.pupil(pupil).unwrap(), &[], autumn).unwrap();
    assert_eq!(deadline, day(2027, 2, 15));
    assert!(needs_review_before(record.pupil(pupil).unwrap(), deadline));
    record
        .edit_pupil(
            pupil,
            PupilEdit::AnnualReview(Some(day(2027, 3, 1))),
            now(autumn),
        )
        .unwrap();
    assert!(
        needs_review_before(record.pupil(pupil).unwrap(), deadline),
        "a review after the deadline is too late"
    );
    record
        .edit_pupil(
            pupil,
            PupilEdit::AnnualReview(Some(day(2026, 11, 20))),
            now(autumn),
        )
        .unwrap();
    assert!(!needs_review_before(record.pupil(pupil).unwrap(), deadline));
    // A pupil who has left has no transfer to come.
    record
        .edit_pupil(pupil, PupilEdit::LeftOn(Some(autumn)), now(autumn))
        .unwrap();
    assert_eq!(
        transfer_due(record.pupil(pupil).unwrap(), &[], autumn),
        None
    );
}

#[test]
fn the_pupils_page_reads_the_same_offers_in_one_pass() {
    let autumn = day(2026, 10, 5);
    let (mut record, pupil) = with_plan(Some(day(2027, 1, 20)), SendStatus::EhcPlan);
    let each = |record: &Record| {
        let p = record.pupil(pupil).unwrap();
        [
            offer(record, p, autumn),
            transfer_offer(record, p, &[], autumn),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
    };
    fn together(record: &Record, pupil: PupilId, today: NaiveDate) -> PupilReviews<'_> {
        pupil_reviews(record, record.pupil(pupil).unwrap(), &[], today)
    }
    assert_eq!(
        together(&record, pupil, autumn).offers.len(),
        2,
        "the review and the transfer"
    );
    assert_eq!(together(&record, pupil, autumn).offers, each(&record));
    take_plan(&mut record, pupil, autumn);
    assert_eq!(together(&record, pupil, autumn).offers, each(&record));
    assert_eq!(
        together(&record, pupil, autumn).lines,
        reviews_of(&record, pupil)
    );
}
