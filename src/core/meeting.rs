//! A meeting or event about a pupil, from which actions are agreed.

use super::choice::choice_enum;
use super::id::{MeetingId, PupilId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

choice_enum!(
    /// What kind of meeting or event it was.
    MeetingType {
        AnnualReview => ("annual_review", "Annual review"),
        SenSupportMeeting => ("sen_support_meeting", "SEN support meeting"),
        ParentConversation => ("parent_conversation", "Parent conversation"),
        TransitionMeeting => ("transition_meeting", "Transition meeting"),
        ComplaintOrConcern => ("complaint_or_concern", "Complaint or concern"),
        PastoralCheckIn => ("pastoral_check_in", "Pastoral check-in"),
        Other => ("other", "Other"),
    }
);

/// The names in a box of "names or roles, separated by commas", as typed: the record tidies
/// them (trims them, drops empty ones and repeats) when it keeps them.
pub fn names_in(text: &str) -> Vec<String> {
    text.split(',').map(String::from).collect()
}

impl Meeting {
    /// Who was there and the summary, as one line to read: "With SENCO, Parent. Reviewed the
    /// plan." (empty when neither is given).
    pub fn described(&self) -> String {
        [
            (!self.attendees.is_empty()).then(|| format!("With {}.", self.attendees.join(", "))),
            (!self.summary.is_empty()).then(|| self.summary.clone()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    }
}

impl MeetingType {
    /// The meeting named inside a sentence ("Agreed at the SEN support meeting for …"):
    /// lower case but for acronyms, and a noun where the label is not one.
    pub fn in_sentence(self) -> &'static str {
        match self {
            MeetingType::AnnualReview => "annual review",
            MeetingType::SenSupportMeeting => "SEN support meeting",
            MeetingType::ParentConversation => "parent conversation",
            MeetingType::TransitionMeeting => "transition meeting",
            MeetingType::ComplaintOrConcern => "meeting about a complaint or concern",
            MeetingType::PastoralCheckIn => "pastoral check-in",
            MeetingType::Other => "meeting",
        }
    }
}

/// A meeting or event about one pupil.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: MeetingId,
    #[serde(with = "super::dates::day")]
    pub date: NaiveDate,
    pub pupil: PupilId,
    pub meeting_type: MeetingType,
    /// Who was there, one name or role each.
    #[serde(default)]
    pub attendees: Vec<String>,
    #[serde(default)]
    pub summary: String,
    /// Working notes ("early thoughts"): kept apart from agreed actions, never counted as one.
    #[serde(default)]
    pub working_notes: String,
    /// When this record last changed; the newer edit wins in a merge.
    #[serde(with = "super::dates::moment")]
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choice::Choice;

    #[test]
    fn names_are_read_from_a_box_separated_by_commas() {
        assert_eq!(
            names_in("Mrs Ó Briain, Dr Łukasz Nowak (EP),,"),
            ["Mrs Ó Briain", " Dr Łukasz Nowak (EP)", "", ""]
        );
        assert_eq!(names_in(""), [""]);
    }

    #[test]
    fn a_meeting_is_described_by_who_was_there_and_its_summary() {
        let mut meeting = Meeting {
            id: MeetingId::new(),
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            pupil: PupilId::new(),
            meeting_type: MeetingType::AnnualReview,
            attendees: vec!["SENCO".into(), "Parent".into()],
            summary: "Reviewed the plan.".into(),
            working_notes: "Not this".into(),
            updated_at: DateTime::<Utc>::default(),
        };
        assert_eq!(
            meeting.described(),
            "With SENCO, Parent. Reviewed the plan."
        );
        meeting.attendees.clear();
        assert_eq!(meeting.described(), "Reviewed the plan.");
        meeting.summary.clear();
        assert_eq!(meeting.described(), "");
    }

    #[test]
    fn every_meeting_type_reads_well_inside_a_sentence() {
        for &kind in MeetingType::ALL {
            let phrase = kind.in_sentence();
            let label = kind.label();
            // Acronyms keep their capitals; nothing else is capitalised mid-sentence.
            assert!(
                phrase.starts_with("SEN ") || phrase.chars().next().unwrap().is_lowercase(),
                "{phrase}"
            );
            assert!(
                phrase.to_lowercase().contains(&label.to_lowercase()) || kind == MeetingType::Other,
                "{phrase} / {label}"
            );
        }
    }
}
