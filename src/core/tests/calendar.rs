//! The calendar file (`.ics`) read back as RFC 5545 says a calendar reads it: lines of at most
//! 75 octets ended by CRLF, folded and unfolded, text escaped; one all-day event per action
//! with a UID from its id, so a newer file updates the same events; names from every language,
//! or initials only.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use sendlog_core::bundle::Part;
use sendlog_core::calendar::{self, initials, Options};
use sendlog_core::record::{Edit, NewPupil};
use sendlog_core::statutory::{Statutory, Step};
use sendlog_core::{ActionDraft, ActionId, ItemType, Record, SendStatus, YearGroup};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(on: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&on.and_hms_opt(9, 0, 0).unwrap())
}

fn options(initials_only: bool) -> Options {
    Options {
        initials_only,
        app: Some("https://school.example/sendlog/".into()),
        now: at(day(2027, 1, 4)),
        today: day(2027, 1, 4),
    }
}

/// A pupil named `name` with one action of `step`, due on `due`.
fn record_with(name: &str, step: &str, decision: &str, due: NaiveDate) -> (Record, ActionId) {
    let mut record = Record::default();
    let new = NewPupil {
        name: name.into(),
        year_group: YearGroup::Year6,
        send_status: SendStatus::EhcPlan,
        annual_review: None,
    };
    let (pupil, _) = record.add_pupil(new, at(day(2026, 9, 1))).unwrap();
    let draft = ActionDraft {
        pupil: Some(pupil),
        raised: Some(day(2026, 9, 1)),
        item_type: Some(ItemType::Review),
        decision: decision.into(),
        next_step: step.into(),
        owner: "SENCO".into(),
        due: Some(due),
        ..ActionDraft::default()
    };
    let (id, _) = record
        .add_action(&draft, day(2026, 9, 1), at(day(2026, 9, 1)))
        .unwrap();
    (record, id)
}

fn text_of(record: &Record, options: &Options) -> String {
    String::from_utf8(calendar::ics(record, &Part::Everything, options)).unwrap()
}

/// The file's lines unfolded (RFC 5545 3.1: a CRLF followed by one space or tab is removed),
/// after checking every physical line is at most 75 octets and ends with CRLF.
fn unfolded(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"), "the last line ends with CRLF");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "a bare line break: {line:?}"
        );
    }
    text.replace("\r\n ", "")
        .replace("\r\n\t", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A TEXT value as it was before escaping (RFC 5545 3.3.11).
fn unescaped(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The value of the first property named `name` (before any parameters) in the lines.
fn value<'a>(lines: &'a [String], name: &str) -> Option<&'a str> {
    lines.iter().find_map(|l| {
        let (head, value) = l.split_once(':')?;
        (head == name || head.starts_with(&format!("{name};"))).then_some(value)
    })
}

#[test]
fn each_action_is_an_all_day_event_on_its_due_date_with_a_uid_from_its_id() {
    let (record, id) = record_with(
        "Siân Llewelyn",
        "Send the invitations to the EHC plan annual review",
        "Annual review; parents, school, speech therapist",
        day(2027, 2, 12),
    );
    let lines = unfolded(&text_of(&record, &options(false)));
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert_eq!(value(&lines, "VERSION"), Some("2.0"));
    assert!(value(&lines, "PRODID").is_some());
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
    assert_eq!(value(&lines, "UID"), Some(format!("{id}@sendlog").as_str()));
    assert_eq!(value(&lines, "DTSTART;VALUE=DATE"), Some("20270212"));
    assert_eq!(value(&lines, "DTEND;VALUE=DATE"), Some("20270213"));
    assert_eq!(value(&lines, "DTSTAMP"), Some("20270104T090000Z"));
    assert_eq!(
        unescaped(value(&lines, "SUMMARY").unwrap()),
        "Siân Llewelyn: Send the invitations to the EHC plan annual review"
    );
    let description = unescaped(value(&lines, "DESCRIPTION").unwrap());
    assert!(
        description.contains("Issue or decision: Annual review; parents, school, speech therapist"),
        "{description}"
    );
    let url = value(&lines, "URL").unwrap();
    assert!(
        url.starts_with("https://school.example/sendlog/#/pupil/"),
        "{url}"
    );
    // The crate's own reader agrees it is a calendar with one event.
    let text = text_of(&record, &options(false));
    let unfolded_text = icalendar::parser::unfold(&text);
    let parsed = icalendar::parser::read_calendar(&unfolded_text).unwrap();
    assert_eq!(
        parsed
            .components
            .iter()
            .filter(|c| c.name == "VEVENT")
            .count(),
        1
    );
}

#[test]
fn a_newer_file_keeps_each_events_uid_so_a_calendar_updates_it() {
    let (mut record, id) = record_with("Zoë Brown", "Book the hearing test", "", day(2027, 2, 12));
    let before = unfolded(&text_of(&record, &options(false)));
    record
        .edit_action(id, &[Edit::Due(day(2027, 3, 5))], None, at(day(2027, 1, 5)))
        .unwrap();
    let after = unfolded(&text_of(&record, &options(false)));
    assert_eq!(value(&before, "UID"), value(&after, "UID"));
    assert_eq!(value(&after, "DTSTART;VALUE=DATE"), Some("20270305"));
    assert_eq!(value(&after, "LAST-MODIFIED"), Some("20270105T090000Z"));
}

#[test]
fn initials_only_leaves_the_pupils_name_out_of_the_whole_file() {
    let (record, _) = record_with(
        "Łukasz Wiśniewski-Nowak",
        "Share the speech and language report",
        "",
        day(2027, 2, 12),
    );
    let text = text_of(&record, &options(true));
    let lines = unfolded(&text);
    assert!(
        !text.contains("Łukasz") && !text.contains("Wiśniewski"),
        "{text}"
    );
    assert_eq!(
        unescaped(value(&lines, "SUMMARY").unwrap()),
        "ŁWN: Share the speech and language report"
    );
    assert_eq!(initials("Zoë Brown"), "ZB");
    assert_eq!(initials("  İlker   Çelik "), "İÇ");
    assert_eq!(initials("Ffion ap Gruffudd"), "FAG");
}

#[test]
fn a_statutory_step_says_so_and_a_missed_one_says_which_deadline() {
    let (mut record, id) = record_with(
        "Dilek Yılmaz",
        "Send the annual review report",
        "",
        day(2026, 12, 10),
    );
    let link = Statutory {
        review: day(2026, 11, 26),
        step: Step::Report,
    };
    record
        .edit_action(
            id,
            &[Edit::Statutory(Some(link))],
            None,
            at(day(2026, 12, 1)),
        )
        .unwrap();
    let lines = unfolded(&text_of(&record, &options(false)));
    assert_eq!(value(&lines, "CATEGORIES"), Some("SEND Log,Statutory"));
    let description = unescaped(value(&lines, "DESCRIPTION").unwrap());
    assert!(
        description.contains("Statutory: report, review on 26 Nov 2026"),
        "{description}"
    );
    assert!(
        description.contains("Missed: the report must be sent within 2 weeks of the meeting"),
        "{description}"
    );
}

#[test]
fn a_due_date_on_the_last_day_the_record_accepts_still_ends_the_next_day() {
    let (record, _) = record_with("Ben O'Neil", "Review", "", day(2199, 12, 31));
    let lines = unfolded(&text_of(&record, &options(false)));
    assert_eq!(value(&lines, "DTSTART;VALUE=DATE"), Some("21991231"));
    assert_eq!(value(&lines, "DTEND;VALUE=DATE"), Some("22000101"));
}

proptest! {
    /// Whatever a school types (any Unicode, commas, semicolons, backslashes, line breaks,
    /// long lines of many-byte letters), the file folds within 75 octets on character
    /// boundaries and reads back to exactly what was typed.
    #[test]
    fn any_text_folds_and_reads_back_exactly(
        name in "[A-Za-zÀ-žΑ-ωİıŁłŵŷ' -]{1,40}",
        step in "[ -~À-žΑ-ω\\\\;,\n🙂]{1,200}",
    ) {
        prop_assume!(!name.trim().is_empty() && !step.trim().is_empty());
        let mut record = Record::default();
        let new = NewPupil { name: name.clone(), year_group: YearGroup::Year6, send_status: SendStatus::SenSupport, annual_review: None };
        let Ok((pupil, _)) = record.add_pupil(new, at(day(2026, 9, 1))) else { return Ok(()); };
        let draft = ActionDraft {
            pupil: Some(pupil),
            next_step: step.clone(),
            owner: "SENCO".into(),
            due: Some(day(2027, 2, 12)),
            ..ActionDraft::default()
        };
        let Ok(_) = record.add_action(&draft, day(2026, 9, 1), at(day(2026, 9, 1))) else { return Ok(()); };
        let stored = record.actions()[0].next_step.clone();
        let shown = record.pupils()[0].name.clone();
        let text = text_of(&record, &options(false));
        let lines = unfolded(&text);
        prop_assert_eq!(unescaped(value(&lines, "SUMMARY").unwrap()), format!("{shown}: {stored}"));
        let unfolded_text = icalendar::parser::unfold(&text);
        prop_assert!(icalendar::parser::read_calendar(&unfolded_text).is_ok());
    }
}
