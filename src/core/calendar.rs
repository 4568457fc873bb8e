//! Due dates for a calendar: an iCalendar file (RFC 5545, `.ics`) of some actions, one all-day
//! event each.
//!
//! Each event's UID is the action's id (`<id>@sendlog`), so that importing a newer file into
//! Outlook or Google Calendar updates the events it imported before instead of doubling them.
//!
//! Written here, not with the `icalendar` crate: its line folding lets the last piece of a long
//! line reach 76 octets (RFC 5545 3.1 allows 75, the leading space included), which the property
//! test in tests/calendar.rs found; the writing side of the format is the few lines below (text
//! escaping and folding), and the tests read every file back with that crate's parser too.

use crate::bundle::{self, Part};
use crate::choice::Choice;
use crate::query::{is_missed, owner_shown};
use crate::record::Record;
use chrono::{DateTime, Datelike, Days, NaiveDate, Timelike, Utc};

/// The file's extension.
pub const EXTENSION: &str = "ics";
/// Its media type.
pub const MIME: &str = "text/calendar;charset=utf-8";
/// The longest line RFC 5545 allows, in octets, without its CRLF.
const LINE_OCTETS: usize = 75;

/// How a calendar file is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Each pupil by their initials ("ZB"), not their name, in the events' titles and text.
    pub initials_only: bool,
    /// The app's own address (where it is served), for a link back to the pupil's page in
    /// each event; none, no link.
    pub app: Option<String>,
    /// When the file is made (each event's DTSTAMP).
    pub now: DateTime<Utc>,
    /// Today, for a statutory step's missed deadline.
    pub today: NaiveDate,
}

/// "ZB" for "Zoë Brown", "ŁW" for "Łukasz Wiśniewski", "AKO" for "Amara Khan-Okafor": the first
/// letter of each part of the name, in capitals.
pub fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|part| part.chars().find(|c| c.is_alphanumeric()))
        .flat_map(char::to_uppercase)
        .collect()
}

/// The file name: `sendlog-calendar-2026-04-23-senco.ics`.
pub fn file_name(today: NaiveDate, about: Option<&str>) -> String {
    bundle::file_name("calendar", today, about, EXTENSION)
}

/// The iCalendar file of the actions of `part`, each an all-day event on its due date titled
/// with its pupil (or their initials) and the action.
pub fn ics(record: &Record, part: &Part, options: &Options) -> Vec<u8> {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SEND Log//SEND Log actions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:SEND Log actions",
    ] {
        push_line(&mut out, line);
    }
    for action in bundle::actions_of(record, part) {
        let name = record.pupil(action.pupil).map_or("", |p| p.name.as_str());
        let who = if options.initials_only {
            initials(name)
        } else {
            name.to_string()
        };
        let closed = if action.status.is_live() {
            String::new()
        } else {
            format!("{}: ", action.status.label())
        };
        let mut text = vec![
            format!("Pupil: {who}"),
            format!("Owner: {}", owner_shown(record, action)),
            format!("Status: {}", action.status.label()),
        ];
        if !action.decision.is_empty() {
            text.push(format!("Issue or decision: {}", action.decision));
        }
        if let Some(link) = action.statutory {
            text.push(link.describe());
            if is_missed(action, options.today) {
                text.push(link.step.missed(link.review));
            }
        }
        let href = options
            .app
            .as_ref()
            .map(|app| format!("{app}#/pupil/{}", action.pupil));
        if let Some(href) = &href {
            text.push(format!("In SEND Log: {href}"));
        }
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}@sendlog", action.id));
        push_line(&mut out, &format!("DTSTAMP:{}", moment(options.now)));
        push_line(
            &mut out,
            &format!("LAST-MODIFIED:{}", moment(action.last_update.at)),
        );
        push_line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", date(action.due)),
        );
        // An all-day event ends (not inclusive) the next day.
        if let Some(next) = action.due.checked_add_days(Days::new(1)) {
            push_line(&mut out, &format!("DTEND;VALUE=DATE:{}", date(next)));
        }
        let summary = format!("{closed}{who}: {}", action.next_step);
        push_line(&mut out, &format!("SUMMARY:{}", escaped(&summary)));
        push_line(
            &mut out,
            &format!("DESCRIPTION:{}", escaped(&text.join("\n"))),
        );
        let categories = if action.statutory.is_some() {
            "SEND Log,Statutory"
        } else {
            "SEND Log"
        };
        push_line(&mut out, &format!("CATEGORIES:{categories}"));
        if let Some(href) = &href {
            push_line(&mut out, &format!("URL:{href}"));
        }
        push_line(&mut out, "TRANSP:TRANSPARENT");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out.into_bytes()
}

/// A day as a DATE value: 20270212. (Not chrono's `format`: its formatter costs the download
/// several kilobytes, as BENCHMARKS.md records.)
fn date(day: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", day.year(), day.month(), day.day())
}

/// A moment as a UTC DATE-TIME value: 20270104T090000Z.
fn moment(at: DateTime<Utc>) -> String {
    format!(
        "{}T{:02}{:02}{:02}Z",
        date(at.date_naive()),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A TEXT value escaped (RFC 5545 3.3.11): backslash, semicolon and comma with a backslash, a
/// line break as `\n`; a carriage return, which may not stand alone in a value, dropped.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Adds a content line, folded (RFC 5545 3.1): no physical line longer than 75 octets, each
/// continuation starting with one space, never splitting a character; then CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut room = LINE_OCTETS;
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > room {
            out.push_str("\r\n ");
            // The leading space is one of the next line's 75 octets.
            room = LINE_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}
