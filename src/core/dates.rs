//! Dates as people read them (23 Apr 2026) and as files hold them (2026-04-23), and the quick
//! due-date picks offered in a meeting.

use chrono::format::{Fixed, Item, Numeric, Pad, Parsed};
use chrono::{Datelike, Days, NaiveDate, Timelike, Weekday};

// Dates are written and read with chrono's own items rather than strftime strings such as
// "%-d %b %Y": a strftime string is parsed when the program runs, and its parser and the
// general formatter would be part of every download.

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The first year SEND Log accepts in a date or a moment, from any source: typed, a
/// spreadsheet, a bundle, a stored bucket or journal entry. A school's record holds pupils' and
/// staff's dates of this century and the last; a year outside is a slip (0001 for 2001, 20026),
/// and refusing it keeps every sum on a date (a week on, the end of half term, days overdue) far
/// from the limits of chrono's calendar.
pub const EARLIEST_YEAR: i32 = 1900;
/// The last year SEND Log accepts (see [`EARLIEST_YEAR`]).
pub const LATEST_YEAR: i32 = 2199;
/// The first day SEND Log accepts.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(EARLIEST_YEAR, 1, 1) {
    Some(date) => date,
    None => panic!("a real date"),
};
/// The last day SEND Log accepts.
pub const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(LATEST_YEAR, 12, 31) {
    Some(date) => date,
    None => panic!("a real date"),
};

/// The date is in the years SEND Log accepts. The one test of the range: every source of a
/// date asks it, through [`check_year`] or [`check_moment`].
pub fn in_range(date: NaiveDate) -> bool {
    (EARLIEST..=LATEST).contains(&date)
}

/// What to say of `what` (a date as typed or as read) outside the years SEND Log accepts.
pub fn outside_years(what: &str) -> String {
    format!(
        "{what} is outside the years {EARLIEST_YEAR}–{LATEST_YEAR} SEND Log accepts; check the year."
    )
}

/// The message says a date is outside the years SEND Log accepts (see [`outside_years`]).
pub fn is_outside_years(message: &str) -> bool {
    message.contains(outside_years("").trim_start())
}

/// The date, or why it is refused: "Due date 0001-01-01 is outside the years 1900–2199 SEND
/// Log accepts; check the year." `what` names it ("Due date").
pub fn check_year(date: NaiveDate, what: &str) -> Result<NaiveDate, String> {
    if in_range(date) {
        Ok(date)
    } else {
        Err(outside_years(&format!("{what} {}", iso(date))))
    }
}

/// [`check_year`] for a moment, by its day in UTC.
pub fn check_moment(
    moment: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if in_range(moment.date_naive()) {
        Ok(moment)
    } else {
        Err(outside_years(&format!(
            "The time {}",
            moment.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        )))
    }
}

/// A year as chrono's `%Y` writes it: four digits, or with its sign outside 0 to 9999.
fn full_year(date: NaiveDate) -> String {
    let year = date.year();
    if (0..10_000).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    }
}

/// A date on screen, UK style: "23 Apr 2026".
pub fn uk(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        full_year(date)
    )
}

/// A date on screen with its weekday, for choosing a due date: "Fri 24 Apr 2026".
pub fn uk_with_day(date: NaiveDate) -> String {
    let weekday = WEEKDAYS[date.weekday().num_days_from_monday() as usize];
    format!("{weekday} {}", uk(date))
}

/// A time of day on screen: "09:05".
pub fn hours_minutes(time: impl Timelike) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// chrono's items for "%Y-%m-%d".
const ISO_ITEMS: [Item<'static>; 5] = [
    Item::Numeric(Numeric::Year, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Month, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Day, Pad::Zero),
];

/// chrono's items for "%d %b %Y".
const UK_ITEMS: [Item<'static>; 5] = [
    Item::Numeric(Numeric::Day, Pad::Zero),
    Item::Space(" "),
    Item::Fixed(Fixed::ShortMonthName),
    Item::Space(" "),
    Item::Numeric(Numeric::Year, Pad::Zero),
];

/// `NaiveDate::parse_from_str` with the format already read into items.
fn parse_with(text: &str, items: &[Item<'static>]) -> Option<NaiveDate> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, items.iter()).ok()?;
    parsed.to_naive_date().ok()
}

/// A date in a file or a form value: "2026-04-23".
pub fn iso(date: NaiveDate) -> String {
    iso_in(date, &mut [0; 10]).into_owned()
}

/// [`iso`], written into `buffer` rather than a new string (for a year of four digits, which
/// is every date SEND Log reads): exports write hundreds of thousands.
pub fn iso_in(date: NaiveDate, buffer: &mut [u8; 10]) -> std::borrow::Cow<'_, str> {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return format!("{}-{:02}-{:02}", full_year(date), date.month(), date.day()).into();
    }
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let (y, m, d) = (year as u32, date.month(), date.day());
    *buffer = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
    ];
    match std::str::from_utf8(buffer) {
        Ok(text) => text.into(),
        // Not reached: every byte is a digit or a dash.
        Err(_) => format!("{}-{:02}-{:02}", full_year(date), date.month(), date.day()).into(),
    }
}

/// Reads "2026-04-23" (a date input's value); anything else, and a date outside the years SEND
/// Log accepts, is `None`. [`parse_typed`] says why.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    parse_with(text.trim(), &ISO_ITEMS).filter(|&date| in_range(date))
}

/// Reads a date input's value as [`parse_iso`] does, saying what is wrong with one it refuses:
/// `Ok(None)` when it is empty. `what` names the field ("Due date").
pub fn parse_typed(text: &str, what: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match parse_with(text, &ISO_ITEMS) {
        Some(date) => check_year(date, what).map(Some),
        None => Err(format!(
            "{what} \"{text}\" is not a date. Choose one with the date picker, or write it as \
             2026-04-23."
        )),
    }
}

/// Reads a date from a spreadsheet cell: 2026-04-23, 23/04/2026 (day first, as in the UK; also
/// with dots or dashes), or 23 Apr 2026. A time of midnight after it, as Excel sometimes adds,
/// is ignored. The error says what is wrong and how to write the date instead.
pub fn parse_cell(text: &str) -> Result<NaiveDate, String> {
    let accepted = |date: NaiveDate| {
        if in_range(date) {
            Ok(date)
        } else {
            Err(outside_years(&format!("\"{}\"", text.trim())))
        }
    };
    if let Some(date) = stored::quick_day(text) {
        return accepted(date);
    }
    let text = text.trim();
    let date = text
        .strip_suffix(" 00:00:00")
        .or_else(|| text.strip_suffix(" 00:00"))
        .unwrap_or(text);
    let how = "write it as 23/04/2026 or 2026-04-23";
    let impossible = || format!("\"{text}\" is not a real date (day/month/year): {how}.");
    let number = |part: &str| part.parse::<u32>().ok();
    let mut split = date.split(['-', '/', '.']);
    let found = [split.next(), split.next(), split.next(), split.next()];
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
    if let [Some(first), Some(second), Some(third), None] = found {
        let parts = [first, second, third];
        if !parts.iter().all(|p| digits(p)) {
            return Err(format!("\"{text}\" is not a date: {how}."));
        }
        let (year, month, day) = if parts[0].len() == 4 {
            (parts[0], parts[1], parts[2])
        } else {
            (parts[2], parts[1], parts[0])
        };
        if year.len() != 4 {
            return Err(format!(
                "\"{text}\" has a two-digit year, which could be either century: {how}."
            ));
        }
        let (Some(y), Some(m), Some(d)) = (number(year), number(month), number(day)) else {
            return Err(impossible());
        };
        // Four digits are at most 9999, well inside an i32.
        let year = i32::try_from(y).map_err(|_| impossible())?;
        return NaiveDate::from_ymd_opt(year, m, d)
            .ok_or_else(impossible)
            .and_then(accepted);
    }
    if let Some(date) = parse_with(date, &UK_ITEMS) {
        return accepted(date);
    }
    if !date.is_empty() && date.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "\"{text}\" is a number, not a date (Excel shows dates as numbers when the column \
             is not formatted as a date): {how}."
        ));
    }
    Err(format!("\"{text}\" is not a date: {how}."))
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
        let ahead = match self {
            QuickDue::Friday => {
                (Weekday::Fri.num_days_from_monday() + 7 - today.weekday().num_days_from_monday())
                    % 7
            }
            QuickDue::OneWeek => 7,
            QuickDue::TwoWeeks => 14,
            QuickDue::EndOfHalfTerm => return end_of_half_term(today),
        };
        // Only a day at the very end of chrono's calendar, far outside the years SEND Log
        // accepts, has no day a fortnight on: the pick is then the day itself, which the form
        // refuses with the reason.
        today
            .checked_add_days(Days::new(u64::from(ahead)))
            .unwrap_or(today)
    }
}

/// The day `days` before `date`, if the calendar has one.
fn back(date: NaiveDate, days: u32) -> Option<NaiveDate> {
    date.checked_sub_days(Days::new(u64::from(days)))
}

/// The Friday on or before `date`.
fn friday_on_or_before(date: NaiveDate) -> Option<NaiveDate> {
    let days =
        (date.weekday().num_days_from_monday() + 7 - Weekday::Fri.num_days_from_monday()) % 7;
    back(date, days)
}

/// The school day (Monday to Friday) on or before `date`.
fn weekday_on_or_before(date: NaiveDate) -> Option<NaiveDate> {
    match date.weekday() {
        Weekday::Sat | Weekday::Sun => friday_on_or_before(date),
        _ => Some(date),
    }
}

/// The Monday on or before `date`.
fn monday_on_or_before(date: NaiveDate) -> Option<NaiveDate> {
    back(date, date.weekday().num_days_from_monday())
}

/// The last school days before the six breaks of the school year that starts in September of
/// `year`, by the usual pattern in England: October half term in the last full week of October,
/// Christmas after 20 December (or the Friday before, at a weekend), February half term from the
/// third Monday of February, Easter from the Monday before Easter Sunday, May half term from the
/// late-May bank holiday, and summer after 22 July (or the Friday before). Schools' own dates differ by a few
/// days; the date is shown before it is used, and can be changed.
fn half_term_ends(year: i32) -> Option<[NaiveDate; 6]> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let friday_before = |monday: NaiveDate| back(monday, 3);
    let next = year.checked_add(1)?;
    let october = friday_before(monday_on_or_before(date(year, 10, 27)?)?)?;
    let christmas = weekday_on_or_before(date(year, 12, 20)?)?;
    let february = friday_before(NaiveDate::from_weekday_of_month_opt(
        next,
        2,
        Weekday::Mon,
        3,
    )?)?;
    let easter = back(computus::gregorian_naive(next).ok()?, 9)?;
    let may = friday_before(monday_on_or_before(date(next, 5, 31)?)?)?;
    let summer = weekday_on_or_before(date(next, 7, 22)?)?;
    Some([october, christmas, february, easter, may, summer])
}

/// The end of the current half term: the last school day before the next break. A day outside
/// the years SEND Log accepts has none worked out: it is given back as it is.
pub fn end_of_half_term(today: NaiveDate) -> NaiveDate {
    if !in_range(today) {
        return today;
    }
    // Within the range, the years either side are real years of the calendar.
    (today.year() - 1..=today.year() + 1)
        .filter_map(half_term_ends)
        .flatten()
        .find(|end| *end >= today)
        .unwrap_or(today)
}

mod stored;
pub use stored::{day, maybe_day, moment};

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

    #[test]
    fn spreadsheet_dates_are_read_day_first_or_iso_and_wrong_ones_say_why() {
        let april = Ok(date(2026, 4, 23));
        for text in [
            "2026-04-23",
            "23/04/2026",
            "23/4/2026",
            "23.04.2026",
            "23-04-2026",
        ] {
            assert_eq!(parse_cell(text), april, "{text}");
        }
        assert_eq!(parse_cell(" 23 Apr 2026 "), april);
        assert_eq!(
            parse_cell("23/04/2026 00:00"),
            april,
            "Excel's midnight is ignored"
        );
        assert_eq!(
            parse_cell("1/5/2026"),
            Ok(date(2026, 5, 1)),
            "day first, as in the UK"
        );
        let error = |text: &str| parse_cell(text).unwrap_err();
        assert!(error("31/02/2026").contains("is not a real date"));
        assert!(
            error("04/23/2026").contains("is not a real date"),
            "month first is refused"
        );
        assert!(error("23/04/26").contains("two-digit year"));
        assert!(error("46135").contains("a number, not a date"));
        assert!(error("next Friday").contains("is not a date"));
        assert!(error("2026-13-01").contains("is not a real date"));
    }

    #[test]
    fn dates_outside_the_years_accepted_are_refused_from_every_typed_source() {
        assert_eq!(
            check_year(date(1, 1, 1), "Due date"),
            Err(
                "Due date 0001-01-01 is outside the years 1900–2199 SEND Log accepts; check the \
                 year."
                    .into()
            )
        );
        assert_eq!(check_year(EARLIEST, "Due date"), Ok(EARLIEST));
        assert_eq!(check_year(LATEST, "Due date"), Ok(LATEST));
        assert!(!in_range(date(1899, 12, 31)) && !in_range(date(2200, 1, 1)));
        // A date input's value.
        assert_eq!(parse_iso("1900-01-01"), Some(EARLIEST));
        for text in [
            "0001-01-01",
            "1899-12-31",
            "2200-01-01",
            "275760-09-13",
            "+10000-01-01",
        ] {
            assert_eq!(parse_iso(text), None, "{text}");
        }
        assert_eq!(parse_typed("  ", "Due date"), Ok(None));
        assert_eq!(
            parse_typed("2026-04-23", "Due date"),
            Ok(Some(date(2026, 4, 23)))
        );
        let typed = parse_typed("0001-01-01", "Due date").unwrap_err();
        assert!(
            typed.starts_with("Due date 0001-01-01 is outside"),
            "{typed}"
        );
        let typed = parse_typed("soon", "Due date").unwrap_err();
        assert!(typed.contains("\"soon\" is not a date"), "{typed}");
        // A spreadsheet cell, in each way of writing a date.
        for text in [
            "0001-01-01",
            "01/01/0001",
            "1 Jan 0001",
            "31/12/1899",
            "1 Jan 2200",
            "1 Jan 3000",
        ] {
            let error = parse_cell(text).unwrap_err();
            assert_eq!(
                error,
                format!(
                    "\"{text}\" is outside the years 1900–2199 SEND Log accepts; check the year."
                ),
            );
        }
        assert_eq!(parse_cell("01/01/1900"), Ok(EARLIEST));
        assert_eq!(parse_cell("31 Dec 2199"), Ok(LATEST));
    }

    #[test]
    fn quick_picks_never_overflow_even_at_the_ends_of_the_calendar() {
        for day in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            EARLIEST,
            LATEST,
            date(1, 1, 1),
        ] {
            for pick in QuickDue::ALL {
                let due = pick.from(day);
                assert!(due >= day, "{pick:?} from {day}");
            }
        }
        assert_eq!(QuickDue::TwoWeeks.from(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(end_of_half_term(NaiveDate::MIN), NaiveDate::MIN);
        assert_eq!(
            end_of_half_term(date(1, 1, 1)),
            date(1, 1, 1),
            "outside the range"
        );
        // 31 Dec 2199 has a half term worked out from the school year that starts in 2199.
        assert!(end_of_half_term(LATEST) > LATEST);
    }

    #[test]
    fn iso_dates_written_by_hand_are_what_chrono_writes() {
        let mut buffer = [0; 10];
        for date in [
            date(2026, 4, 3),
            date(1999, 12, 31),
            date(2000, 1, 1),
            date(33, 2, 9),
        ] {
            assert_eq!(
                iso_in(date, &mut buffer),
                date.format("%Y-%m-%d").to_string()
            );
            assert_eq!(iso(date), date.format("%Y-%m-%d").to_string());
        }
        assert_eq!(iso_in(date(2026, 4, 3), &mut buffer), "2026-04-03");
    }

    #[test]
    fn dates_and_times_written_by_hand_are_what_chrono_writes() {
        let days = (0..800).map(|n| date(2025, 12, 20) + Days::new(n * 3));
        let edges = [
            NaiveDate::MIN,
            NaiveDate::MAX,
            date(-1, 3, 4),
            date(0, 1, 1),
            date(9999, 12, 31),
            date(10_000, 1, 1),
            date(33, 2, 9),
        ];
        for date in days.chain(edges) {
            assert_eq!(uk(date), date.format("%-d %b %Y").to_string());
            assert_eq!(uk_with_day(date), date.format("%a %-d %b %Y").to_string());
            assert_eq!(iso(date), date.format("%Y-%m-%d").to_string());
        }
        for minutes in (0..24 * 60).step_by(7) {
            let time = chrono::NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 31).unwrap();
            assert_eq!(hours_minutes(time), time.format("%H:%M").to_string());
        }
    }

    #[test]
    fn the_items_are_what_chrono_reads_the_formats_into() {
        let items = |format| chrono::format::StrftimeItems::new(format).collect::<Vec<_>>();
        assert_eq!(items("%Y-%m-%d"), ISO_ITEMS);
        assert_eq!(items("%d %b %Y"), UK_ITEMS);
        for text in [
            "2026-04-23",
            "2026-4-3",
            "+2026-04-23",
            "02026-04-23",
            "2026-04-23x",
            "23 Apr 2026",
            "23 april 2026",
            "3 APR 2026",
            "23  Apr  2026",
            "23Apr2026",
            "23 Apr 26",
            "",
        ] {
            assert_eq!(
                parse_with(text, &ISO_ITEMS),
                NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
                "{text}"
            );
            assert_eq!(
                parse_with(text, &UK_ITEMS),
                NaiveDate::parse_from_str(text, "%d %b %Y").ok(),
                "{text}"
            );
        }
    }
}
