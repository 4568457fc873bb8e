//! What is typed on this device and not yet in the record — an action's form before it is added
//! (a draft), a box typed in a tab that may not save — and which of it names a pupil or meeting
//! the record no longer has, so that it is forgotten with them.
//!
//! A place names the form or box: `anywhere` (the home screen's form), `meeting:<id>` (a
//! meeting's form), `meeting:<id>:<box>` and `pupil:<id>:<box>` (boxes kept unsaved).

use crate::id::{MeetingId, PupilId};
use crate::record::Record;
use chrono::NaiveDate;

/// The place of the home screen's form, which may name any pupil and meeting.
pub const ANYWHERE: &str = "anywhere";

/// The place of a meeting's form.
pub fn in_meeting(meeting: MeetingId) -> String {
    format!("meeting:{meeting}")
}

/// The place of a box about one meeting (`field` names the box).
pub fn meeting_box(meeting: MeetingId, field: &str) -> String {
    format!("meeting:{meeting}:{field}")
}

/// The place of a box about one pupil (`field` names the box).
pub fn pupil_box(pupil: PupilId, field: &str) -> String {
    format!("pupil:{pupil}:{field}")
}

/// How many text cells a draft keeps, in the form's order with the pupil first (the form
/// says which is which); a last cell says whether to escalate.
pub const TEXT_CELLS: usize = 11;

/// How long a draft is kept after it was last typed in: a week. A draft names a pupil and
/// what was being agreed about them, so it is not left on the device as a forgotten record.
pub const KEPT_DAYS: i64 = 7;

/// A draft as it is kept: a JSON array of the text cells, then "yes" when it is to be
/// escalated, then the day it was typed (ISO 8601).
pub fn encode(cells: &[String; TEXT_CELLS], escalate: bool, today: NaiveDate) -> String {
    let mut all = cells.to_vec();
    all.push(if escalate { "yes" } else { "" }.into());
    all.push(today.to_string());
    serde_json::to_string(&all).unwrap_or_default()
}

/// A kept draft's text cells, whether to escalate, and the day it was typed (none in a draft
/// kept before drafts were dated); `None` if it cannot be read (written by another version,
/// or cut short).
fn read(text: &str) -> Option<([String; TEXT_CELLS], bool, Option<NaiveDate>)> {
    let mut cells = serde_json::from_str::<Vec<String>>(text).ok()?;
    let typed_on = if cells.len() == TEXT_CELLS + 2 {
        Some(cells.pop()?.parse().ok()?)
    } else {
        None
    };
    let escalate = cells.pop()? == "yes";
    Some((cells.try_into().ok()?, escalate, typed_on))
}

/// A kept draft's text cells and whether to escalate; `None` if it cannot be read.
pub fn decode(text: &str) -> Option<([String; TEXT_CELLS], bool)> {
    read(text).map(|(cells, escalate, _)| (cells, escalate))
}

/// A draft kept before drafts were dated, dated `today` (so it is kept a week from now);
/// `None` for one that is dated already or cannot be read.
pub fn dated(text: &str, today: NaiveDate) -> Option<String> {
    match read(text)? {
        (cells, escalate, None) => Some(encode(&cells, escalate, today)),
        (_, _, Some(_)) => None,
    }
}

/// Whether the draft kept at `place` should go: its meeting is not in the record, or it names
/// a pupil who is not, or it was last typed in [`KEPT_DAYS`] or more days ago, or it cannot be
/// read at all.
pub fn draft_is_stray(place: &str, text: Option<&str>, record: &Record, today: NaiveDate) -> bool {
    let read = text.and_then(read);
    let old = read
        .as_ref()
        .and_then(|(_, _, on)| *on)
        .is_some_and(|on| today.signed_duration_since(on).num_days() >= KEPT_DAYS);
    old || match place.strip_prefix("meeting:") {
        Some(id) => !meeting_on_record(record, id),
        None => match read {
            None => true,
            Some((cells, _, _)) => !cells[0].is_empty() && !pupil_on_record(record, &cells[0]),
        },
    }
}

/// Whether the text kept unsaved at `place` should go: the meeting or pupil it is about is
/// not in the record, or the place is not one SEND Log writes.
pub fn unsaved_is_stray(place: &str, record: &Record) -> bool {
    let mut parts = place.split(':');
    let on_record = match (parts.next(), parts.next()) {
        (Some("meeting"), Some(id)) => meeting_on_record(record, id),
        (Some("pupil"), Some(id)) => pupil_on_record(record, id),
        _ => false,
    };
    !on_record
}

/// Whether `id` (as a form holds it) names a pupil in the record.
pub fn pupil_on_record(record: &Record, id: &str) -> bool {
    PupilId::parse(id).is_some_and(|id| record.pupil(id).is_some())
}

/// Whether `id` (as a form holds it) names a meeting in the record.
pub fn meeting_on_record(record: &Record, id: &str) -> bool {
    MeetingId::parse(id).is_some_and(|id| record.meeting(id).is_some())
}

/// Whether text kept when SEND Log last stopped names any of these pupils (whose records are
/// being removed), so that it goes with them.
pub fn names_any(text: &str, names: &[String]) -> bool {
    names
        .iter()
        .any(|name| !name.trim().is_empty() && text.contains(name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{meeting_for, record_with_pupil};

    fn cells(pupil: &str) -> [String; TEXT_CELLS] {
        let mut cells: [String; TEXT_CELLS] = Default::default();
        cells[0] = pupil.into();
        cells[5] = "Ring the parent — Zoë's mum".into();
        cells
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_draft_reads_back_as_it_was_kept_and_a_cut_one_does_not_read() {
        let today = day("2026-04-23");
        let kept = encode(&cells("p-1"), true, today);
        assert_eq!(decode(&kept), Some((cells("p-1"), true)));
        assert_eq!(
            decode(&encode(&cells(""), false, today)),
            Some((cells(""), false))
        );
        assert_eq!(dated(&kept, today), None, "dated already");
        // A draft kept before drafts were dated reads, and is dated when next looked at.
        let mut undated = serde_json::from_str::<Vec<String>>(&kept).unwrap();
        undated.pop();
        let undated = serde_json::to_string(&undated).unwrap();
        assert_eq!(decode(&undated), Some((cells("p-1"), true)));
        assert_eq!(dated(&undated, today).as_deref(), Some(&*kept));
        assert_eq!(decode(&kept.replace("2026-04-23", "23/04/2026")), None);
        assert_eq!(decode(&kept[..kept.len() - 3]), None);
        assert_eq!(decode("[]"), None);
        assert_eq!(decode(r#"["a","yes"]"#), None);
        assert_eq!(decode("not json"), None);
    }

    #[test]
    fn drafts_about_pupils_and_meetings_that_have_gone_are_stray() {
        let (mut record, pupil) = record_with_pupil();
        let meeting = meeting_for(&mut record, pupil);
        let here = pupil.to_string();
        let today = day("2026-04-23");
        let kept = encode(&cells(&here), false, today);
        assert!(!draft_is_stray(ANYWHERE, Some(&kept), &record, today));
        assert!(!draft_is_stray(&in_meeting(meeting), None, &record, today));
        // A form with no pupil chosen yet stays; one that cannot be read goes.
        assert!(!draft_is_stray(
            ANYWHERE,
            Some(&encode(&cells(""), false, today)),
            &record,
            today
        ));
        assert!(draft_is_stray(ANYWHERE, Some("[\"cut"), &record, today));
        assert!(draft_is_stray(ANYWHERE, None, &record, today));
        assert!(!unsaved_is_stray(&meeting_box(meeting, "notes"), &record));
        assert!(!unsaved_is_stray(&pupil_box(pupil, "review"), &record));
        assert!(unsaved_is_stray("something:else", &record));

        record.remove_pupils(&[pupil]);
        assert!(draft_is_stray(ANYWHERE, Some(&kept), &record, today));
        assert!(draft_is_stray(&in_meeting(meeting), None, &record, today));
        assert!(unsaved_is_stray(&meeting_box(meeting, "notes"), &record));
        assert!(unsaved_is_stray(&pupil_box(pupil, "review"), &record));
    }

    #[test]
    fn a_draft_is_kept_a_week_after_it_was_last_typed_in_and_no_longer() {
        let (mut record, pupil) = record_with_pupil();
        let meeting = meeting_for(&mut record, pupil);
        let typed = day("2026-02-24");
        let kept = encode(&cells(&pupil.to_string()), false, typed);
        for place in [ANYWHERE.to_string(), in_meeting(meeting)] {
            for (today, stray) in [
                ("2026-02-24", false),
                ("2026-03-02", false),
                ("2026-03-03", true),
                ("2027-02-24", true),
            ] {
                assert_eq!(
                    draft_is_stray(&place, Some(&kept), &record, day(today)),
                    stray,
                    "{place} on {today}"
                );
            }
        }
        // A clock set back (a draft "typed" tomorrow) keeps it.
        assert!(!draft_is_stray(
            ANYWHERE,
            Some(&kept),
            &record,
            day("2026-02-01")
        ));
    }

    #[test]
    fn rescued_text_goes_with_the_pupils_it_names() {
        let text = r#"[["Action","Ring Siân Ó Briain's mum"]]"#;
        assert!(names_any(text, &["Siân Ó Briain".into()]));
        assert!(!names_any(text, &["Zoë Brown".into(), " ".into()]));
        assert!(!names_any(text, &[]));
    }
}
