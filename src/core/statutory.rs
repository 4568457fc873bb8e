//! The statutory calendar of an EHC plan in England: the annual review's steps and their
//! deadlines, and the phase-transfer deadlines, as data with their sources; worked out from a
//! review date or a year group, with chrono's calendar (never by hand).
//!
//! Sources: the Children and Families Act 2014, s.44 (a plan is reviewed at least every 12
//! months); the SEND Regulations 2014 (SI 2014/1530), reg. 18 (a transfer between phases: the
//! plan reviewed and amended by 15 February in the calendar year of the transfer, or 31 March for
//! a move from secondary school to post-16) and reg. 20 (a review at a school: at least two weeks'
//! notice of the meeting, the advice and information circulated at least two weeks before it,
//! the report sent within two weeks after it, and the local authority's decision within four
//! weeks of the meeting; reg. 22 then governs an amendment); the SEND Code of Practice 0–25
//! (2015), 9.166–9.185 (and 9.178: every three to six months for a child under five).

use super::choice::Choice;
use super::dates;
use super::YearGroup;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// One statutory step of an annual review, or a phase transfer's amendment (stored by its code:
/// "invitations", "report", "transfer").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Invite the parents, the young person and the professionals (reg. 20: at least two weeks'
    /// notice of the meeting; four weeks is the usual practice, and the default here).
    Invitations,
    /// Request the advice and information, and send it out (reg. 20: at least two weeks before).
    Advice,
    /// Hold the review meeting (the review date).
    Meeting,
    /// Send the review report to the local authority and everyone invited (reg. 20: within two
    /// weeks of the meeting).
    Report,
    /// Check the local authority's decision to keep, amend or cease the plan (reg. 20: within
    /// four weeks of the meeting).
    Decision,
    /// Check that the plan is amended naming the next setting by the phase-transfer deadline
    /// (reg. 18): its link's date is that deadline, not a review's.
    Transfer,
}

/// A step's rule: its due date, counted in days from the review meeting, and the latest the law
/// allows when that is not the same.
pub struct StepRule {
    pub step: Step,
    /// Its stable name, as stored with the action ("invitations").
    pub code: &'static str,
    /// The action, as it is added ("Send the invitations to the EHC plan annual review").
    pub action: &'static str,
    /// What the law asks, as a missed deadline says it.
    pub deadline: &'static str,
    /// Days from the meeting to the due date (negative: before it).
    pub due: i64,
    /// Days from the meeting to the latest date the law allows, when later than `due`.
    pub latest: Option<i64>,
}

/// The steps of an annual review, in order (their sources in the module's doc).
pub const STEPS: [StepRule; 5] = [
    StepRule {
        step: Step::Invitations,
        code: "invitations",
        action: "Send the invitations to the EHC plan annual review",
        deadline: "the invitations must go out at least 2 weeks before the meeting",
        due: -28,
        latest: Some(-14),
    },
    StepRule {
        step: Step::Advice,
        code: "advice",
        action: "Request the advice and information for the annual review and send it out",
        deadline: "the advice must go out at least 2 weeks before the meeting",
        due: -14,
        latest: None,
    },
    StepRule {
        step: Step::Meeting,
        code: "meeting",
        action: "Hold the EHC plan annual review meeting",
        deadline: "the meeting was planned for this day",
        due: 0,
        latest: None,
    },
    StepRule {
        step: Step::Report,
        code: "report",
        action: "Send the annual review report to the local authority and everyone invited",
        deadline: "the report must be sent within 2 weeks of the meeting",
        due: 14,
        latest: None,
    },
    StepRule {
        step: Step::Decision,
        code: "decision",
        action: "Check the local authority's decision on the EHC plan (keep, amend or cease)",
        deadline: "the local authority must decide within 4 weeks of the meeting",
        due: 28,
        latest: None,
    },
];

/// A phase transfer's step: due on the transfer deadline itself (see [`transfer_deadline`]).
pub const TRANSFER: StepRule = StepRule {
    step: Step::Transfer,
    code: "transfer",
    action: "Check the EHC plan is amended naming the next school or setting (phase transfer)",
    deadline: "the EHC plan must be amended naming the next setting by the phase-transfer deadline",
    due: 0,
    latest: None,
};

impl Step {
    pub fn rule(self) -> &'static StepRule {
        match self {
            Step::Invitations => &STEPS[0],
            Step::Advice => &STEPS[1],
            Step::Meeting => &STEPS[2],
            Step::Report => &STEPS[3],
            Step::Decision => &STEPS[4],
            Step::Transfer => &TRANSFER,
        }
    }

    /// The step stored as `code`.
    pub fn from_code(code: &str) -> Option<Step> {
        STEPS
            .iter()
            .chain([&TRANSFER])
            .find(|r| r.code == code)
            .map(|r| r.step)
    }

    /// Its due date for a review meeting on `review`; `None` past the calendar's ends.
    pub fn due(self, review: NaiveDate) -> Option<NaiveDate> {
        shift(review, self.rule().due)
    }

    /// The latest the law allows for a review on `review` (the due date where none is later).
    pub fn latest(self, review: NaiveDate) -> Option<NaiveDate> {
        shift(review, self.rule().latest.unwrap_or(self.rule().due))
    }

    /// The stage a review has reached once this step is done ("Invitations sent").
    pub fn stage(self) -> &'static str {
        match self {
            Step::Invitations => "Invitations sent",
            Step::Advice => "Advice in",
            Step::Meeting => "Meeting held",
            Step::Report => "Report sent",
            Step::Decision => "Decision received",
            Step::Transfer => "Plan amended for the transfer",
        }
    }

    /// What a statutory action past its latest date says: "Missed: the report must be sent
    /// within 2 weeks of the meeting (review on 12 Mar 2027, by 26 Mar 2027)".
    pub fn missed(self, review: NaiveDate) -> String {
        if self == Step::Transfer {
            return format!("Missed: {} ({})", self.rule().deadline, dates::uk(review));
        }
        let by = self
            .latest(review)
            .map(|d| format!(", by {}", dates::uk(d)))
            .unwrap_or_default();
        format!(
            "Missed: {} (review on {}{by})",
            self.rule().deadline,
            dates::uk(review)
        )
    }
}

fn shift(day: NaiveDate, by: i64) -> Option<NaiveDate> {
    let days = Days::new(by.unsigned_abs());
    if by < 0 {
        day.checked_sub_days(days)
    } else {
        day.checked_add_days(days)
    }
}

/// What marks an action as a statutory step of one pupil's annual review: the review meeting's
/// date and the step. Moving the review moves the actions of its steps not yet done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Statutory {
    #[serde(with = "super::dates::day")]
    pub review: NaiveDate,
    pub step: Step,
}

impl Statutory {
    /// "Statutory: report, review on 12 Mar 2027", as a row's history says it.
    pub fn describe(self) -> String {
        format!("Statutory: {}", self.summary())
    }

    /// "report, review on 12 Mar 2027", as a row's card says it beside "Statutory deadline".
    pub fn summary(self) -> String {
        if self.step == Step::Transfer {
            return format!("phase transfer, by {}", dates::uk(self.review));
        }
        format!(
            "{}, review on {}",
            self.step.rule().code,
            dates::uk(self.review)
        )
    }
}

/// One step worked out for a review date.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    pub step: Step,
    pub due: NaiveDate,
    /// The latest the law allows, when later than `due` (the invitations).
    pub latest: Option<NaiveDate>,
}

/// Every step of a review meeting on `review`, in order; a step whose date would fall outside
/// the calendar is left out.
pub fn plan(review: NaiveDate) -> Vec<Planned> {
    STEPS
        .iter()
        .filter_map(|rule| {
            let due = rule.step.due(review)?;
            let latest = rule.latest.and_then(|days| shift(review, days));
            Some(Planned {
                step: rule.step,
                due,
                latest,
            })
        })
        .collect()
}

/// The next annual review after one held on `held`: twelve months on (29 February to 28
/// February).
pub fn next_review(held: NaiveDate) -> Option<NaiveDate> {
    held.checked_add_months(Months::new(12))
}

/// How far a review has got, from which of its steps are done: the last step done in order
/// ("Advice in"), or "Not started".
pub fn stage(done: &[Step]) -> &'static str {
    STEPS
        .iter()
        .rev()
        .find(|r| done.contains(&r.step))
        .map_or("Not started", |r| r.step.stage())
}

/// The year groups whose EHC plans are amended for a move to the next phase, unless a setting
/// chooses others: nursery to school, infant to junior, primary to secondary, secondary to
/// post-16.
pub const TRANSFER_YEARS: [YearGroup; 4] = [
    YearGroup::Nursery,
    YearGroup::Year2,
    YearGroup::Year6,
    YearGroup::Year11,
];

/// A setting's own transfer years as kept on a device: their codes, comma-separated
/// ("year_4,year_8").
pub fn years_code(years: &[YearGroup]) -> String {
    years.iter().map(|y| y.code()).collect::<Vec<_>>().join(",")
}

/// The setting's own transfer years read back from [`years_code`]; a code not understood (a
/// year group of a later version) is left out, and the statutory ones are never listed twice.
pub fn years_from_code(code: &str) -> Vec<YearGroup> {
    let mut years: Vec<YearGroup> = Vec::new();
    for year in code
        .split(',')
        .filter_map(|c| YearGroup::from_text(c.trim()))
    {
        if !years.contains(&year) && !TRANSFER_YEARS.contains(&year) {
            years.push(year);
        }
    }
    years
}

/// The phase-transfer deadline for a pupil in `year` in the school year that includes `today`
/// (which starts on 1 September), when `year` is a transfer year (one of [`TRANSFER_YEARS`] or
/// of `also`): 15 February of the calendar year of the transfer, or 31 March from Year 11.
pub fn transfer_deadline(
    year: YearGroup,
    also: &[YearGroup],
    today: NaiveDate,
) -> Option<NaiveDate> {
    if !TRANSFER_YEARS.contains(&year) && !also.contains(&year) {
        return None;
    }
    // The transfer is in the September that ends this school year.
    let transfer_year = if today.month() >= 9 {
        today.year().checked_add(1)?
    } else {
        today.year()
    };
    let (month, day) = if year == YearGroup::Year11 {
        (3, 31)
    } else {
        (2, 15)
    };
    NaiveDate::from_ymd_opt(transfer_year, month, day)
}

/// The transfer deadline as a pupil's page says it.
pub fn transfer_text(year: YearGroup, deadline: NaiveDate) -> String {
    let to = if year == YearGroup::Year11 {
        "post-16"
    } else {
        "the next school"
    };
    format!(
        "Phase transfer: the EHC plan must be amended naming {to} by {}",
        dates::uk(deadline)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dues(review: NaiveDate) -> Vec<(Step, NaiveDate, Option<NaiveDate>)> {
        plan(review)
            .into_iter()
            .map(|p| (p.step, p.due, p.latest))
            .collect()
    }

    #[test]
    fn a_review_on_12_march_2027_plans_the_issues_worked_example() {
        assert_eq!(
            dues(day(2027, 3, 12)),
            [
                (Step::Invitations, day(2027, 2, 12), Some(day(2027, 2, 26))),
                (Step::Advice, day(2027, 2, 26), None),
                (Step::Meeting, day(2027, 3, 12), None),
                (Step::Report, day(2027, 3, 26), None),
                (Step::Decision, day(2027, 4, 9), None),
            ]
        );
        assert_eq!(
            Step::Report.missed(day(2027, 3, 12)),
            "Missed: the report must be sent within 2 weeks of the meeting (review on 12 Mar 2027, by 26 Mar 2027)"
        );
        assert_eq!(
            Step::Invitations.latest(day(2027, 3, 12)),
            Some(day(2027, 2, 26))
        );
    }

    #[test]
    fn reviews_near_the_year_end_and_29_february_count_across_them() {
        // A review on 3 January: the invitations go out in December.
        assert_eq!(
            dues(day(2028, 1, 3))[..2],
            [
                (Step::Invitations, day(2027, 12, 6), Some(day(2027, 12, 20))),
                (Step::Advice, day(2027, 12, 20), None),
            ]
        );
        // A review on 18 December (the last week of the autumn term): the report and the
        // decision fall in the holiday and the new year.
        assert_eq!(
            dues(day(2026, 12, 18))[3..],
            [
                (Step::Report, day(2027, 1, 1), None),
                (Step::Decision, day(2027, 1, 15), None),
            ]
        );
        // 29 February 2028: the steps count days through it, and next year's review is the
        // 28th.
        assert_eq!(dues(day(2028, 3, 14))[0].1, day(2028, 2, 15));
        assert_eq!(dues(day(2028, 2, 29))[3].1, day(2028, 3, 14));
        assert_eq!(next_review(day(2028, 2, 29)), Some(day(2029, 2, 28)));
        assert_eq!(next_review(day(2027, 3, 12)), Some(day(2028, 3, 12)));
    }

    #[test]
    fn the_ends_of_the_calendar_leave_steps_out_rather_than_panic() {
        assert_eq!(
            plan(NaiveDate::MIN).len(),
            3,
            "nothing before the first day"
        );
        assert_eq!(plan(NaiveDate::MAX).len(), 3, "nothing after the last");
        assert_eq!(next_review(NaiveDate::MAX), None);
        assert_eq!(plan(day(1, 1, 1))[2].due, day(1, 1, 1));
        assert_eq!(plan(day(9999, 12, 31)).len(), 5);
    }

    #[test]
    fn the_stage_is_the_last_step_done() {
        assert_eq!(stage(&[]), "Not started");
        assert_eq!(stage(&[Step::Invitations]), "Invitations sent");
        assert_eq!(stage(&[Step::Invitations, Step::Advice]), "Advice in");
        assert_eq!(stage(&[Step::Meeting, Step::Invitations]), "Meeting held");
        assert_eq!(
            stage(&STEPS.iter().map(|r| r.step).collect::<Vec<_>>()),
            "Decision received"
        );
        for rule in &STEPS {
            assert_eq!(Step::from_code(rule.code), Some(rule.step));
        }
        assert_eq!(Step::from_code("Invitations"), None);
    }

    #[test]
    fn transfer_years_have_their_deadline_in_the_year_of_the_move() {
        let autumn = day(2026, 10, 1);
        let spring = day(2027, 3, 1);
        assert_eq!(
            transfer_deadline(YearGroup::Year6, &[], autumn),
            Some(day(2027, 2, 15))
        );
        assert_eq!(
            transfer_deadline(YearGroup::Year6, &[], spring),
            Some(day(2027, 2, 15))
        );
        assert_eq!(
            transfer_deadline(YearGroup::Year11, &[], autumn),
            Some(day(2027, 3, 31))
        );
        assert_eq!(transfer_deadline(YearGroup::Year5, &[], autumn), None);
        assert_eq!(
            transfer_deadline(YearGroup::Year9, &[YearGroup::Year9], autumn),
            Some(day(2027, 2, 15)),
            "a middle school's own transfer year"
        );
        assert_eq!(
            transfer_deadline(YearGroup::Nursery, &[], NaiveDate::MAX),
            None
        );
        assert_eq!(
            transfer_text(YearGroup::Year11, day(2027, 3, 31)),
            "Phase transfer: the EHC plan must be amended naming post-16 by 31 Mar 2027"
        );
    }

    proptest::proptest! {
        /// Any day from 0001 to 9999: planning never panics, the steps keep their order, and
        /// each is as many days from the meeting as its rule says.
        #[test]
        fn any_review_date_plans_the_steps_in_order(days in 0i64..3_652_059) {
            let review = day(1, 1, 1) + chrono::Duration::days(days);
            let planned = plan(review);
            for pair in planned.windows(2) {
                proptest::prop_assert!(pair[0].step < pair[1].step && pair[0].due <= pair[1].due);
            }
            for p in &planned {
                proptest::prop_assert_eq!((p.due - review).num_days(), p.step.rule().due);
                proptest::prop_assert!(p.latest.is_none_or(|l| l >= p.due && l < review));
            }
            let _ = next_review(review);
            let _ = transfer_deadline(YearGroup::Year11, &[], review);
        }
    }

    #[test]
    fn a_settings_own_transfer_years_are_kept_as_codes_and_read_back() {
        let years = [YearGroup::Year4, YearGroup::Year8];
        assert_eq!(years_code(&years), "year_4,year_8");
        assert_eq!(years_from_code("year_4,year_8"), years);
        assert_eq!(
            years_from_code(" year_4 ,year_6,nonsense,,year_4"),
            [YearGroup::Year4],
            "the statutory ones, repeats and unknown codes left out"
        );
        assert_eq!(years_from_code(""), []);
    }
}
