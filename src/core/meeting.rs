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
