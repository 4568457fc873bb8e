//! Dates as people read them (23 Apr 2026) and as files hold them (2026-04-23), and the quick
//! due-date picks offered in a meeting.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A date on screen, UK style: "23 Apr 2026".
pub fn uk(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// A date on screen with its weekday, for choosing a due date: "Fri 24 Apr 2026".
pub fn uk_with_day(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// A date in a file or a form value: "2026-04-23".
pub fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Reads "2026-04-23" (a date input's value or a file's date); anything else is `None`.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A quick pick for a due date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuickDue {
    /// This Friday (today, if today is a Friday; next Friday at the weekend).
    Friday,
    OneWeek,
    TwoWeeks,
    /// The last school day before the next half-term or holiday (see [`end_of_half_term`]).
    EndOfHalfTerm,
}

impl QuickDue {
    pub const ALL: [QuickDue; 4] = [
        QuickDue::Friday,
        QuickDue::OneWeek,
        QuickDue::TwoWeeks,
        QuickDue::EndOfHalfTerm,
    ];

    pub fn label(self) -> &'static str {
        match self {
            QuickDue::Friday => "Friday",
            QuickDue::OneWeek => "+1 week",
            QuickDue::TwoWeeks => "+2 weeks",
            QuickDue::EndOfHalfTerm => "End of half term",
        }
    }

    /// The date this pick means, counted from `today`.
    pub fn from(self, today: NaiveDate) -> NaiveDate {
        match self {
            QuickDue::Friday => {
                let ahead = (Weekday::Fri.num_days_from_monday() + 7
                    - today.weekday().num_days_from_monday())
                    % 7;
                today + Days::new(u64::from(ahead))
            }
            QuickDue::OneWeek => today + Days::new(7),
            QuickDue::TwoWeeks => today + Days::new(14),
            QuickDue::EndOfHalfTerm => end_of_half_term(today),
        }
    }
}

/// The Friday on or before `date`.
fn friday_on_or_before(date: NaiveDate) -> NaiveDate {
    let back =
        (date.weekday().num_days_from_monday() + 7 - Weekday::Fri.num_days_from_monday()) % 7;
    date - Days::new(u64::from(back))
}

/// The school day (Monday to Friday) on or before `date`.
fn weekday_on_or_before(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat | Weekday::Sun => friday_on_or_before(date),
        _ => date,
    }
}

/// The Monday on or before `date`.
fn monday_on_or_before(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// The last school days before the six breaks of the school year that starts in September of
/// `year`, by the usual pattern in England: October half term in the last full week of October,
/// Christmas after 20 December (or the Friday before, at a weekend), February half term from the
/// third Monday of February, Easter from the Monday before Easter Sunday, May half term from the
/// late-May bank holiday, and summer after 22 July (or the Friday before). Schools' own dates differ by a few
/// days; the date is shown before it is used, and can be changed.
fn half_term_ends(year: i32) -> Option<[NaiveDate; 6]> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let friday_before = |monday: NaiveDate| monday - Days::new(3);
    let next = year + 1;
    let october = friday_before(monday_on_or_before(date(year, 10, 27)?));
    let christmas = weekday_on_or_before(date(year, 12, 20)?);
    let february = friday_before(NaiveDate::from_weekday_of_month_opt(
        next,
        2,
        Weekday::Mon,
        3,
    )?);
    let easter = computus::gregorian_naive(next).ok()? - Days::new(9);
    let may = friday_before(monday_on_or_before(date(next, 5, 31)?));
    let summer = weekday_on_or_before(date(next, 7, 22)?);
    Some([october, christmas, february, easter, may, summer])
}

/// The end of the current half term: the last school day before the next break.
pub fn end_of_half_term(today: NaiveDate) -> NaiveDate {
    (today.year() - 1..=today.year() + 1)
        .filter_map(half_term_ends)
        .flatten()
        .find(|end| *end >= today)
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_show_in_uk_form_and_files_use_iso() {
        assert_eq!(uk(date(2026, 4, 23)), "23 Apr 2026");
        assert_eq!(uk(date(2026, 12, 1)), "1 Dec 2026");
        assert_eq!(uk_with_day(date(2026, 4, 24)), "Fri 24 Apr 2026");
        assert_eq!(iso(date(2026, 4, 3)), "2026-04-03");
        assert_eq!(parse_iso("2026-04-23"), Some(date(2026, 4, 23)));
        assert_eq!(parse_iso("2026-02-30"), None);
        assert_eq!(parse_iso(""), None);
    }

    #[test]
    fn friday_is_the_coming_friday() {
        // 23 Apr 2026 is a Thursday.
        assert_eq!(QuickDue::Friday.from(date(2026, 4, 23)), date(2026, 4, 24));
        assert_eq!(QuickDue::Friday.from(date(2026, 4, 24)), date(2026, 4, 24));
        assert_eq!(QuickDue::Friday.from(date(2026, 4, 25)), date(2026, 5, 1));
        assert_eq!(QuickDue::OneWeek.from(date(2026, 4, 23)), date(2026, 4, 30));
        assert_eq!(
            QuickDue::TwoWeeks.from(date(2026, 12, 25)),
            date(2027, 1, 8)
        );
    }
}
