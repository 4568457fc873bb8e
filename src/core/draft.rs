//! What is typed on this device and not yet in the record — an action's form before it is added
//! (a draft), a box typed in a tab that may not save — and which of it names a pupil or meeting
//! the record no longer has, so that it is forgotten with them.
//!
//! A place names the form or box: `anywhere` (the home screen's form), `meeting:<id>` (a
//! meeting's form), `meeting:<id>:<box>` and `pupil:<id>:<box>` (boxes kept unsaved).

use crate::id::{MeetingId, PupilId};
use crate::record::Record;

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

/// A draft as it is kept: a JSON array of the text cells, then "yes" when it is to be
/// escalated.
pub fn encode(cells: &[String; TEXT_CELLS], escalate: bool) -> String {
    let mut all = cells.to_vec();
    all.push(if escalate { "yes" } else { "" }.into());
    serde_json::to_string(&all).unwrap_or_default()
}

/// A kept draft's text cells and whether to escalate; `None` if it cannot be read (written by
/// another version, or cut short).
pub fn decode(text: &str) -> Option<([String; TEXT_CELLS], bool)> {
    let mut cells = serde_json::from_str::<Vec<String>>(text).ok()?;
    let escalate = cells.pop()? == "yes";
    Some((cells.try_into().ok()?, escalate))
}

/// Whether the draft kept at `place` should go: its meeting is not in the record, or it names
/// a pupil who is not, or it cannot be read at all.
pub fn draft_is_stray(place: &str, text: Option<&str>, record: &Record) -> bool {
    match place.strip_prefix("meeting:") {
        Some(id) => !meeting_on_record(record, id),
        None => match text.and_then(decode) {
            None => true,
            Some((cells, _)) => !cells[0].is_empty() && !pupil_on_record(record, &cells[0]),
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

    #[test]
    fn a_draft_reads_back_as_it_was_kept_and_a_cut_one_does_not_read() {
        let kept = encode(&cells("p-1"), true);
        assert_eq!(decode(&kept), Some((cells("p-1"), true)));
        assert_eq!(decode(&encode(&cells(""), false)), Some((cells(""), false)));
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
        let kept = encode(&cells(&here), false);
        assert!(!draft_is_stray(ANYWHERE, Some(&kept), &record));
        assert!(!draft_is_stray(&in_meeting(meeting), None, &record));
        // A form with no pupil chosen yet stays; one that cannot be read goes.
        assert!(!draft_is_stray(
            ANYWHERE,
            Some(&encode(&cells(""), false)),
            &record
        ));
        assert!(draft_is_stray(ANYWHERE, Some("[\"cut"), &record));
        assert!(draft_is_stray(ANYWHERE, None, &record));
        assert!(!unsaved_is_stray(&meeting_box(meeting, "notes"), &record));
        assert!(!unsaved_is_stray(&pupil_box(pupil, "review"), &record));
        assert!(unsaved_is_stray("something:else", &record));

        record.remove_pupils(&[pupil]);
        assert!(draft_is_stray(ANYWHERE, Some(&kept), &record));
        assert!(draft_is_stray(&in_meeting(meeting), None, &record));
        assert!(unsaved_is_stray(&meeting_box(meeting, "notes"), &record));
        assert!(unsaved_is_stray(&pupil_box(pupil, "review"), &record));
    }

    #[test]
    fn rescued_text_goes_with_the_pupils_it_names() {
        let text = r#"[["Action","Ring Siân Ó Briain's mum"]]"#;
        assert!(names_any(text, &["Siân Ó Briain".into()]));
        assert!(!names_any(text, &["Zoë Brown".into(), " ".into()]));
        assert!(!names_any(text, &[]));
    }
}
