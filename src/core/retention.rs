//! The school's retention rule for SEND records, and the pupils past it: who is due for removal
//! and from when. Sources differ, so the rule is the school's choice; the common ones are named.

use super::dates;
use super::id::PupilId;
use super::record::Record;
use super::Pupil;
use chrono::{Months, NaiveDate};

/// What a retention period is counted from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The day the pupil left the school.
    Left,
    /// The pupil's date of birth.
    Born,
}

/// Keep a pupil's records for `years` after the `basis` date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub basis: Basis,
    pub years: u32,
}

/// The most years a rule may give: beyond any schedule schools follow.
pub const MOST_YEARS: u32 = 100;

/// The rules schools commonly follow, with where each comes from. The IRMS Information
/// Management Toolkit for Schools (v5, 2019) gives SEN files, reviews and EHC plans "date of
/// birth of the pupil + 31 years" (an EHC plan can run to 25, and 6 years are added), and a
/// pupil's educational record at secondary school "date of birth + 25 years"; some local
/// authorities' schedules count from the day the pupil leaves instead.
pub const NAMED: [(Rule, &str); 3] = [
    (
        Rule {
            basis: Basis::Born,
            years: 31,
        },
        "Date of birth + 31 years (IRMS toolkit: SEN files, reviews and EHC plans)",
    ),
    (
        Rule {
            basis: Basis::Born,
            years: 25,
        },
        "Date of birth + 25 years (IRMS toolkit: a secondary school's pupil record)",
    ),
    (
        Rule {
            basis: Basis::Left,
            years: 6,
        },
        "6 years after the pupil leaves (some local authorities' schedules)",
    ),
];

impl Rule {
    /// How a rule is kept on the device: "born:31", "left:6".
    pub fn code(self) -> String {
        let basis = match self.basis {
            Basis::Left => "left",
            Basis::Born => "born",
        };
        format!("{basis}:{}", self.years)
    }

    /// A rule kept by [`Rule::code`]; anything else reads as no rule chosen.
    pub fn from_code(code: &str) -> Option<Rule> {
        let (basis, years) = code.trim().split_once(':')?;
        let basis = match basis {
            "left" => Basis::Left,
            "born" => Basis::Born,
            _ => return None,
        };
        let years = years
            .parse()
            .ok()
            .filter(|y| (1..=MOST_YEARS).contains(y))?;
        Some(Rule { basis, years })
    }

    /// A rule of the school's own, as typed in Settings: the years a whole number from 1 to
    /// [`MOST_YEARS`].
    pub fn typed(basis: Basis, years: &str) -> Result<Rule, String> {
        match years.trim().parse::<u32>() {
            Ok(years) if (1..=MOST_YEARS).contains(&years) => Ok(Rule { basis, years }),
            _ => Err(format!(
                "Write the years as a whole number from 1 to {MOST_YEARS} (\"{}\" is not one). Nothing was changed.",
                years.trim()
            )),
        }
    }

    /// The rule in words: "Date of birth + 31 years", "6 years after the pupil leaves".
    pub fn describe(self) -> String {
        match self.basis {
            Basis::Born => format!("Date of birth + {} years", self.years),
            Basis::Left => format!("{} years after the pupil leaves", self.years),
        }
    }

    /// The day a pupil's records are due for removal, when the date it counts from is known.
    /// Counting 31 years from 29 February lands on 28 February; past chrono's last year it is never.
    pub fn removal_due(self, pupil: &Pupil) -> Option<NaiveDate> {
        let from = match self.basis {
            Basis::Left => pupil.left_on?,
            Basis::Born => pupil.born?,
        };
        from.checked_add_months(Months::new(self.years.checked_mul(12)?))
    }
}

/// One pupil past the rule's date.
#[derive(Clone, Debug, PartialEq)]
pub struct DueForRemoval {
    pub pupil: PupilId,
    pub name: String,
    pub due: NaiveDate,
    /// "Left 22 Jul 2019; due for removal from 22 Jul 2025".
    pub why: String,
}

/// The pupils past the rule on `today`, longest past first; and how many pupils who have left
/// could not be judged because the date the rule counts from is not recorded for them.
pub fn due_for_removal(
    record: &Record,
    rule: Rule,
    today: NaiveDate,
) -> (Vec<DueForRemoval>, usize) {
    let mut due = Vec::new();
    let mut unknown = 0;
    for pupil in record.pupils() {
        match rule.removal_due(pupil) {
            Some(date) if date <= today => due.push(DueForRemoval {
                pupil: pupil.id,
                name: pupil.name.clone(),
                due: date,
                why: why(pupil, date),
            }),
            Some(_) => {}
            None if pupil.left_on.is_some() => unknown += 1,
            None => {}
        }
    }
    due.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.name.cmp(&b.name)));
    (due, unknown)
}

fn why(pupil: &Pupil, due: NaiveDate) -> String {
    let mut parts = Vec::new();
    if let Some(born) = pupil.born {
        parts.push(format!("born {}", dates::uk(born)));
    }
    if let Some(left) = pupil.left_on {
        parts.push(format!("left {}", dates::uk(left)));
    }
    let said = parts.join(", ");
    let mut said = said.chars();
    let first = said.next().map(|c| c.to_uppercase().collect::<String>());
    format!(
        "{}{}; due for removal from {}",
        first.unwrap_or_default(),
        said.as_str(),
        dates::uk(due)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{NewPupil, PupilEdit};
    use crate::{SendStatus, YearGroup};
    use chrono::{TimeZone, Utc};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn school() -> (Record, [PupilId; 4]) {
        let mut record = Record::default();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let mut add = |name: &str, born: Option<NaiveDate>, left: Option<NaiveDate>| {
            let (id, _) = record
                .add_pupil(
                    NewPupil {
                        name: name.into(),
                        year_group: YearGroup::Year11,
                        send_status: SendStatus::EhcPlan,
                        annual_review: None,
                    },
                    now,
                )
                .unwrap();
            record.edit_pupil(id, PupilEdit::Born(born), now).unwrap();
            record.edit_pupil(id, PupilEdit::LeftOn(left), now).unwrap();
            id
        };
        let old = add(
            "Gwen Llywelyn",
            Some(day(1994, 3, 1)),
            Some(day(2010, 7, 20)),
        );
        let leap = add(
            "Łucja Wiśniewska",
            Some(day(1996, 2, 29)),
            Some(day(2012, 7, 20)),
        );
        let young = add("Elif Yılmaz", Some(day(2010, 9, 1)), Some(day(2026, 7, 22)));
        let unknown = add("Νίκος Παπαδόπουλος", None, Some(day(2015, 7, 20)));
        (record, [old, leap, young, unknown])
    }

    #[test]
    fn the_named_rules_are_kept_and_read_back() {
        for (rule, label) in NAMED {
            assert_eq!(Rule::from_code(&rule.code()), Some(rule));
            assert!(label.starts_with(&rule.describe()[..5]), "{label}");
        }
        assert_eq!(Rule::from_code("born:0"), None);
        assert_eq!(Rule::from_code("born:101"), None);
        assert_eq!(Rule::from_code("died:3"), None);
        assert_eq!(Rule::from_code(""), None);
        assert_eq!(
            Rule::typed(Basis::Left, " 7 "),
            Ok(Rule {
                basis: Basis::Left,
                years: 7
            })
        );
        for wrong in ["", "0", "seven", "7.5", "-3", "101", "٧"] {
            assert!(Rule::typed(Basis::Born, wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn pupils_past_the_date_of_birth_rule_are_due_and_the_rest_are_not() {
        let (record, [old, leap, young, _]) = school();
        let rule = NAMED[0].0;
        // Born 1 Mar 1994: due 1 Mar 2025. Born 29 Feb 1996: due 28 Feb 2027.
        let (due, unknown) = due_for_removal(&record, rule, day(2027, 2, 27));
        assert_eq!(due.iter().map(|d| d.pupil).collect::<Vec<_>>(), [old]);
        assert_eq!(due[0].due, day(2025, 3, 1));
        assert_eq!(
            due[0].why,
            "Born 1 Mar 1994, left 20 Jul 2010; due for removal from 1 Mar 2025"
        );
        assert_eq!(unknown, 1, "the pupil who left with no date of birth");
        let (due, _) = due_for_removal(&record, rule, day(2027, 2, 28));
        assert_eq!(due.iter().map(|d| d.pupil).collect::<Vec<_>>(), [old, leap]);
        assert!(!due.iter().any(|d| d.pupil == young));
    }

    #[test]
    fn the_leaving_rule_counts_from_the_day_they_left() {
        let (record, [old, leap, _, unknown]) = school();
        let rule = Rule {
            basis: Basis::Left,
            years: 6,
        };
        let (due, not_judged) = due_for_removal(&record, rule, day(2026, 12, 1));
        assert_eq!(
            due.iter().map(|d| d.pupil).collect::<Vec<_>>(),
            [old, leap, unknown]
        );
        assert_eq!(not_judged, 0);
    }

    #[test]
    fn dates_at_the_ends_of_the_calendar_never_panic() {
        let mut pupil = school().0.pupils()[0].clone();
        pupil.born = Some(NaiveDate::MAX);
        pupil.left_on = Some(NaiveDate::MIN);
        for years in [1, 31, MOST_YEARS, u32::MAX] {
            let born = Rule {
                basis: Basis::Born,
                years,
            };
            assert_eq!(born.removal_due(&pupil), None);
            let left = Rule {
                basis: Basis::Left,
                years,
            };
            let _ = left.removal_due(&pupil);
        }
        pupil.born = Some(day(9999, 12, 31));
        assert_eq!(NAMED[0].0.removal_due(&pupil), Some(day(10030, 12, 31)));
        pupil.born = Some(day(1, 1, 1));
        assert_eq!(NAMED[0].0.removal_due(&pupil), Some(day(32, 1, 1)));
    }
}
