//! Stored days and moments: written as chrono writes them, read the quick way, years checked.

use super::{check_moment, check_year, iso_in};
use chrono::NaiveDate;

/// Reads the four digits of a year, two of a month, … at the start of `bytes`.
fn number(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, &b| {
        let digit = b.is_ascii_digit().then(|| u32::from(b - b'0'))?;
        n.checked_mul(10)?.checked_add(digit)
    })
}

/// "2026-04-23" read without chrono's general parser; `None` for anything else.
pub(super) fn quick_day(text: &str) -> Option<NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text.as_bytes() else {
        return None;
    };
    // Four digits are at most 9999, well inside an i32.
    let year = i32::try_from(number(&[y0, y1, y2, y3])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&[m0, m1])?, number(&[d0, d1])?)
}

/// "2026-04-23T09:05:00Z", with 3, 6 or 9 digits of a second or none, read without chrono's
/// general parser; `None` for anything else (another offset, a leap second).
fn quick_moment(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let date = quick_day(text.get(..10)?)?;
    let [b'T', h0, h1, b':', m0, m1, b':', s0, s1, ref rest @ .., b'Z'] =
        *text.as_bytes().get(10..)?
    else {
        return None;
    };
    let (hour, minute, second) = (number(&[h0, h1])?, number(&[m0, m1])?, number(&[s0, s1])?);
    let nanos = match rest {
        [] => 0,
        // At most nine digits: below 10^9, so neither the number nor its scaling overflows.
        [b'.', digits @ ..] if matches!(digits.len(), 3 | 6 | 9) => {
            let scale = 10u32.checked_pow(9 - u32::try_from(digits.len()).ok()?)?;
            number(digits)?.checked_mul(scale)?
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
    // Every place written is inside the 30 bytes: ten of the day, nine of the time, then at
    // most a point, nine digits and the Z.
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
            let date = match super::quick_day(text) {
                Some(date) => date,
                None => text.parse().map_err(E::custom)?,
            };
            super::check_year(date, "The date").map_err(E::custom)
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
        let quick = super::quick_moment_text(moment, &mut buffer)
            .and_then(|end| std::str::from_utf8(buffer.get(..end)?).ok());
        match quick {
            Some(text) => serializer.serialize_str(text),
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
            let moment = match super::quick_moment(text) {
                Some(moment) => moment,
                None => text
                    .parse::<DateTime<FixedOffset>>()
                    .map(|moment| moment.with_timezone(&Utc))
                    .map_err(E::custom)?,
            };
            super::check_moment(moment).map_err(E::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

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
    fn stored_days_and_moments_outside_the_years_accepted_are_refused_with_the_reason() {
        let read = |day: &str, at: &str| {
            serde_json::from_str::<Quick>(&format!(
                r#"{{"day":"{day}","maybe":"{day}","at":"{at}"}}"#
            ))
        };
        let fine = "2026-04-23T09:05:00Z";
        for day in ["1900-01-01", "2199-12-31"] {
            assert!(read(day, fine).is_ok(), "{day}");
        }
        for at in [
            "1900-01-01T00:00:00Z",
            "2199-12-31T23:59:59.999999999Z",
            "1900-01-01T00:30:00-01:00",
        ] {
            assert!(read("2026-04-23", at).is_ok(), "{at}");
        }
        // The quick way (ten characters) and chrono's way (a sign, more digits) alike.
        for day in [
            "0001-01-01",
            "1899-12-31",
            "2200-01-01",
            "9999-12-31",
            "+10000-01-01",
        ] {
            let error = read(day, fine).map(|_| ()).unwrap_err().to_string();
            assert!(
                error.contains("is outside the years 1900–2199 SEND Log accepts; check the year"),
                "{day}: {error}"
            );
        }
        for at in [
            "1899-12-31T23:59:59Z",
            "2200-01-01T00:00:00Z",
            "1900-01-01T00:30:00+01:00",
            "0001-01-01T00:00:00.123Z",
        ] {
            let error = read("2026-04-23", at).map(|_| ()).unwrap_err().to_string();
            assert!(error.contains("The time"), "{at}: {error}");
            assert!(
                error.contains("is outside the years 1900–2199"),
                "{at}: {error}"
            );
        }
    }

    #[test]
    fn stored_dates_are_written_and_read_exactly_as_chrono_does() {
        use chrono::{TimeZone, Utc};
        let mut rng = fastrand::Rng::with_seed(7);
        let days =
            crate::dates::EARLIEST.num_days_from_ce()..=crate::dates::LATEST.num_days_from_ce();
        let (first, last) = (
            crate::dates::EARLIEST
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp(),
            crate::dates::LATEST
                .and_hms_opt(23, 59, 59)
                .unwrap()
                .and_utc()
                .timestamp(),
        );
        for n in 0..20_000 {
            let day = NaiveDate::from_num_days_from_ce_opt(rng.i32(days.clone())).unwrap();
            let nanos = match n % 4 {
                0 => 0,
                1 => rng.u32(0..1_000) * 1_000_000,
                2 => rng.u32(0..1_000_000) * 1_000,
                _ => rng.u32(0..1_000_000_000),
            };
            let at = Utc.timestamp_opt(rng.i64(first..=last), nanos).unwrap();
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
}
