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
    std::str::from_utf8(buffer)
        .expect("digits and dashes")
        .into()
}

/// Reads "2026-04-23" (a date input's value or a file's date); anything else is `None`.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    parse_with(text.trim(), &ISO_ITEMS)
}

/// Reads a date from a spreadsheet cell: 2026-04-23, 23/04/2026 (day first, as in the UK; also
/// with dots or dashes), or 23 Apr 2026. A time of midnight after it, as Excel sometimes adds,
/// is ignored. The error says what is wrong and how to write the date instead.
pub fn parse_cell(text: &str) -> Result<NaiveDate, String> {
    if let Some(date) = quick_day(text) {
        return Ok(date);
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
        return NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(impossible);
    }
    if let Some(date) = parse_with(date, &UK_ITEMS) {
        return Ok(date);
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

/// Reads the four digits of a year, two of a month, … at the start of `bytes`.
fn number(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// "2026-04-23" read without chrono's general parser; `None` for anything else.
fn quick_day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(number(&b[..4])? as i32, number(&b[5..7])?, number(&b[8..])?)
}

/// "2026-04-23T09:05:00Z", with 3, 6 or 9 digits of a second or none, read without chrono's
/// general parser; `None` for anything else (another offset, a leap second).
fn quick_moment(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let b = text.as_bytes();
    let date = quick_day(text.get(..10)?)?;
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[b.len() - 1] != b'Z' {
        return None;
    }
    let (hour, minute, second) = (
        number(&b[11..13])?,
        number(&b[14..16])?,
        number(&b[17..19])?,
    );
    let nanos = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', digits @ ..] if matches!(digits.len(), 3 | 6 | 9) => {
            number(digits)? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    if second > 59 {
        return None;
    }
    Some(
        date.and_hms_nano_opt(hour, minute, second, nanos)?
            .and_utc(),
    )
}

/// A moment as chrono writes it in JSON ("2026-04-23T09:05:00.123Z": the digits of a second
/// only as many as it needs, 3, 6 or 9), into `buffer`; `None` where chrono must write it (a
/// year outside 0–9999, a leap second).
fn quick_moment_text(
    moment: &chrono::DateTime<chrono::Utc>,
    buffer: &mut [u8; 30],
) -> Option<usize> {
    use chrono::Timelike;
    let nanos = moment.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    let mut day = [0; 10];
    let std::borrow::Cow::Borrowed(day) = iso_in(moment.date_naive(), &mut day) else {
        return None;
    };
    buffer[..10].copy_from_slice(day.as_bytes());
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let (h, m, s) = (moment.hour(), moment.minute(), moment.second());
    buffer[10..19].copy_from_slice(&[
        b'T',
        digit(h / 10),
        digit(h),
        b':',
        digit(m / 10),
        digit(m),
        b':',
        digit(s / 10),
        digit(s),
    ]);
    let (fraction, digits) = match nanos {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (n / 1_000_000, 3),
        n if n % 1_000 == 0 => (n / 1_000, 6),
        n => (n, 9),
    };
    let mut end = 19;
    if digits > 0 {
        buffer[end] = b'.';
        for place in 0..digits {
            buffer[end + digits - place] = digit(fraction / 10u32.pow(place as u32));
        }
        end += digits + 1;
    }
    buffer[end] = b'Z';
    Some(end + 1)
}

/// Serde for a stored day, written and read as chrono does ("2026-04-23") but without its
/// general formatter and parser, which took much of the time of saving and opening a large
/// record. Anything the quick way does not read goes to chrono, so nothing chrono reads is
/// refused. Use with `#[serde(with = "dates::day")]`.
pub mod day {
    use chrono::NaiveDate;
    use serde::{de, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::iso_in(*date, &mut [0; 10]))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        deserializer.deserialize_str(Day)
    }

    pub(super) struct Day;

    impl de::Visitor<'_> for Day {
        type Value = NaiveDate;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a date such as 2026-04-23")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
            super::quick_day(text).map_or_else(|| text.parse().map_err(E::custom), Ok)
        }
    }
}

/// [`day`] for a day that may be missing (`null`).
pub mod maybe_day {
    use chrono::NaiveDate;
    use serde::{de, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        date: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => super::day::serialize(date, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        deserializer.deserialize_option(MaybeDay)
    }

    struct MaybeDay;

    impl<'de> de::Visitor<'de> for MaybeDay {
        type Value = Option<NaiveDate>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a date such as 2026-04-23, or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(super::day::Day).map(Some)
        }
    }
}

/// Serde for a stored moment, written and read as chrono does ("2026-04-23T09:05:00.123Z"),
/// the quick way where it can (see [`day`]).
pub mod moment {
    use chrono::{DateTime, FixedOffset, Utc};
    use serde::{de, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        moment: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut buffer = [0; 30];
        match super::quick_moment_text(moment, &mut buffer) {
            Some(end) => serializer
                .serialize_str(std::str::from_utf8(&buffer[..end]).expect("digits and separators")),
            None => moment.serialize(serializer),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        deserializer.deserialize_str(Moment)
    }

    struct Moment;

    impl de::Visitor<'_> for Moment {
        type Value = DateTime<Utc>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a moment such as 2026-04-23T09:05:00Z")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime<Utc>, E> {
            match super::quick_moment(text) {
                Some(moment) => Ok(moment),
                None => text
                    .parse::<DateTime<FixedOffset>>()
                    .map(|moment| moment.with_timezone(&Utc))
                    .map_err(E::custom),
            }
        }
    }
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

    /// Stored through [`day`], [`maybe_day`] and [`moment`], as chrono would store it.
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Quick {
        #[serde(with = "day")]
        day: NaiveDate,
        #[serde(with = "maybe_day")]
        maybe: Option<NaiveDate>,
        #[serde(with = "moment")]
        at: chrono::DateTime<chrono::Utc>,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct ByChrono {
        day: NaiveDate,
        maybe: Option<NaiveDate>,
        at: chrono::DateTime<chrono::Utc>,
    }

    #[test]
    fn stored_dates_are_written_and_read_exactly_as_chrono_does() {
        use chrono::{TimeZone, Utc};
        let mut rng = fastrand::Rng::with_seed(7);
        for n in 0..20_000 {
            let day = NaiveDate::from_num_days_from_ce_opt(rng.i32(1..3_652_059)).unwrap();
            let nanos = match n % 4 {
                0 => 0,
                1 => rng.u32(0..1_000) * 1_000_000,
                2 => rng.u32(0..1_000_000) * 1_000,
                _ => rng.u32(0..1_000_000_000),
            };
            let at = Utc
                .timestamp_opt(rng.i64(-62_000_000_000..250_000_000_000), nanos)
                .unwrap();
            let maybe = (n % 3 != 0).then_some(day);
            let chrono = serde_json::to_string(&ByChrono { day, maybe, at }).unwrap();
            let quick = serde_json::to_string(&Quick { day, maybe, at }).unwrap();
            assert_eq!(quick, chrono);
            assert_eq!(
                serde_json::from_str::<Quick>(&chrono).unwrap(),
                Quick { day, maybe, at }
            );
        }
        // What the quick way does not read goes to chrono: another offset, a leap second, a
        // missing field; and what chrono refuses is refused.
        let other = r#"{"day":"2026-04-23","maybe":null,"at":"2026-04-23T10:05:00+01:00"}"#;
        let read: Quick = serde_json::from_str(other).unwrap();
        assert_eq!(read.at, Utc.with_ymd_and_hms(2026, 4, 23, 9, 5, 0).unwrap());
        let leap = r#"{"day":"2026-04-23","maybe":"2026-05-01","at":"2016-12-31T23:59:60.5Z"}"#;
        assert_eq!(
            serde_json::from_str::<Quick>(leap).unwrap().at,
            serde_json::from_str::<ByChrono>(leap).unwrap().at
        );
        for wrong in [
            r#"{"day":"2026-02-30","maybe":null,"at":"2026-04-23T09:05:00Z"}"#,
            r#"{"day":"2026-04-23","maybe":"23/04/2026","at":"2026-04-23T09:05:00Z"}"#,
            r#"{"day":"2026-04-23","maybe":null,"at":"2026-04-23T25:05:00Z"}"#,
            r#"{"day":"2026-04-23","maybe":null,"at":"2026-04-23T09:05:00.12Z"}"#,
            r#"{"day":"2026-04-23","maybe":null,"at":"2026-04-23 09:05"}"#,
        ] {
            assert_eq!(
                serde_json::from_str::<Quick>(wrong).is_ok(),
                serde_json::from_str::<ByChrono>(wrong).is_ok(),
                "{wrong}"
            );
        }
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
