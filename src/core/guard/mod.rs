//! The rules that guard the quality of a row, as pure functions that return reasons a person can
//! read. They warn and explain; the caller decides. A refusal stops the row from being added, a
//! warning does not — and neither ever clears what was typed.
//!
//! By what each guards: the owner (`owner`: one person or role, or a split), the action's text
//! (`next_step`: vague or a narrative), and here the whole draft ([`check`]) with the words of a
//! text as both read them (`normalise`).

mod next_step;
mod owner;

pub use next_step::{check_next_step, CHECKABLE_EXAMPLE, LONG_NEXT_STEP};
pub use owner::{check_owner, OwnerCheck, OWNER_SEPARATORS, ROLES_WITH_AND};

use super::action::ActionDraft;
use super::dates;
use super::history::Field;
use chrono::NaiveDate;

/// How much a concern matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The row cannot be added like this.
    Refusal,
    /// The row can be added; the person should look again.
    Warning,
}

/// One thing wrong, or worth a second look, with the field it belongs beside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concern {
    pub field: Field,
    pub severity: Severity,
    pub message: String,
}

/// Everything the guards say about a draft action.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub concerns: Vec<Concern>,
    /// When the owner names several people: one owner per row, offered as a split.
    pub split: Option<Vec<String>>,
}

impl Verdict {
    /// The row cannot be added as it is (a split may still be offered).
    pub fn is_refused(&self) -> bool {
        self.split.is_some()
            || self
                .concerns
                .iter()
                .any(|c| c.severity == Severity::Refusal)
    }

    /// The concerns to show beside one field.
    pub fn about(&self, field: Field) -> impl Iterator<Item = &Concern> {
        self.concerns.iter().filter(move |c| c.field == field)
    }
}

/// Checks a whole draft action, as the person types it.
pub fn check(draft: &ActionDraft, today: NaiveDate) -> Verdict {
    let mut verdict = Verdict::default();
    let mut refuse = |field, message: &str| {
        verdict.concerns.push(Concern {
            field,
            severity: Severity::Refusal,
            message: message.to_string(),
        })
    };
    if draft.pupil.is_none() {
        refuse(
            Field::Pupil,
            "Choose the pupil this action is for, or add a new pupil.",
        );
    }
    if draft.next_step.trim().is_empty() {
        refuse(
            Field::NextStep,
            "Write the next step: what will be done, specific enough to check later.",
        );
    }
    if draft.due.is_none() {
        refuse(
            Field::Due,
            "Every action needs a due or review date. Pick a quick date or choose one.",
        );
    }
    for (field, date) in [
        (Field::Raised, draft.raised),
        (Field::Due, draft.due),
        (Field::NextReview, draft.next_review),
    ] {
        if let Some(Err(reason)) = date.map(|date| dates::check_year(date, field.label())) {
            refuse(field, &reason);
        }
    }
    match check_owner(&draft.owner) {
        OwnerCheck::One(_) => {}
        OwnerCheck::Refused(reason) => refuse(Field::Owner, &reason),
        OwnerCheck::Several(owners) => {
            verdict.concerns.push(Concern {
                field: Field::Owner,
                severity: Severity::Refusal,
                message: format!(
                    "One owner per row: \"{}\" names {} people. Split it into {} actions, one \
                     each, or name the one person who leads.",
                    draft.owner.trim(),
                    owners.len(),
                    owners.len()
                ),
            });
            verdict.split = Some(owners);
        }
    }
    if draft.decision.trim().is_empty() {
        verdict.concerns.push(Concern {
            field: Field::Decision,
            severity: Severity::Warning,
            message: "Add the issue or decision this comes from, so the log makes sense later."
                .into(),
        });
    }
    verdict.concerns.extend(check_next_step(&draft.next_step));
    if let Some(due) = draft.due {
        let raised = draft.raised.unwrap_or(today);
        let message = if due < raised {
            Some("The due date is before the date raised. Check the date.")
        } else if due < today {
            Some("This due date has passed, so the row will show as overdue.")
        } else {
            None
        };
        if let Some(message) = message {
            verdict.concerns.push(Concern {
                field: Field::Due,
                severity: Severity::Warning,
                message: message.into(),
            });
        }
    }
    verdict
}

impl ActionDraft {
    /// One draft per owner, everything else the same: the split a two-owner row is offered.
    pub fn split_by_owner(&self) -> Option<Vec<ActionDraft>> {
        match check_owner(&self.owner) {
            OwnerCheck::Several(owners) => Some(
                owners
                    .into_iter()
                    .map(|owner| ActionDraft {
                        owner,
                        ..self.clone()
                    })
                    .collect(),
            ),
            _ => None,
        }
    }
}

/// Each ASCII letter or digit as [`normalise`] writes it (lower case); 0 for anything else.
const WORD_BYTES: [u8; 128] = {
    let mut bytes = [0; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            bytes[b] = byte.to_ascii_lowercase();
        }
        b += 1;
    }
    bytes
};

/// Lower case, letters and digits only, single spaces. One pass and one allocation, byte by
/// byte when the text is plain ASCII (most is): an import asks this of every row.
fn normalise(text: &str) -> String {
    let mut gap = false;
    if text.is_ascii() {
        let mut words = Vec::with_capacity(text.len());
        for b in text.bytes() {
            let letter = WORD_BYTES[usize::from(b & 0x7f)];
            if letter != 0 {
                if gap && !words.is_empty() {
                    words.push(b' ');
                }
                gap = false;
                words.push(letter);
            } else {
                gap = true;
            }
        }
        // ASCII letters, digits and spaces only, so always UTF-8: nothing is ever dropped.
        return String::from_utf8(words).unwrap_or_default();
    }
    let mut words = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !words.is_empty() {
                words.push(' ');
            }
            gap = false;
            words.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::PupilId;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
    }

    fn good_draft() -> ActionDraft {
        ActionDraft {
            pupil: Some(PupilId::new()),
            raised: Some(today()),
            decision: "Reading support to be reviewed".into(),
            next_step: "Check reading task completion every Friday for four weeks".into(),
            owner: "Class teacher".into(),
            due: NaiveDate::from_ymd_opt(2026, 5, 21),
            ..ActionDraft::default()
        }
    }

    #[test]
    fn a_two_owner_draft_splits_into_two_rows_that_pass() {
        let draft = ActionDraft {
            owner: "class teacher and SENCO".into(),
            ..good_draft()
        };
        let verdict = check(&draft, today());
        assert!(verdict.is_refused());
        assert_eq!(
            verdict.split,
            Some(vec!["class teacher".into(), "SENCO".into()])
        );
        let rows = draft.split_by_owner().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].owner, "SENCO");
        assert_eq!(rows[1].next_step, draft.next_step);
        assert!(rows.iter().all(|row| !check(row, today()).is_refused()));
    }

    #[test]
    fn a_good_draft_passes_without_concerns() {
        let verdict = check(&good_draft(), today());
        assert!(!verdict.is_refused());
        assert_eq!(verdict.concerns, vec![]);
    }

    #[test]
    fn a_missing_due_date_is_refused() {
        let draft = ActionDraft {
            due: None,
            ..good_draft()
        };
        let verdict = check(&draft, today());
        assert!(verdict.is_refused());
        assert_eq!(verdict.about(Field::Due).count(), 1);
        assert!(verdict
            .about(Field::Due)
            .next()
            .unwrap()
            .message
            .contains("due"));
    }

    #[test]
    fn refused_owner_tbc_is_reported_beside_the_owner_field() {
        let draft = ActionDraft {
            owner: "TBC".into(),
            ..good_draft()
        };
        let verdict = check(&draft, today());
        assert!(verdict.is_refused());
        let owner: Vec<_> = verdict.about(Field::Owner).collect();
        assert_eq!(owner.len(), 1);
        assert_eq!(owner[0].severity, Severity::Refusal);
        assert!(owner[0].message.contains("\"TBC\" is not one person"));
    }

    #[test]
    fn a_missing_pupil_or_next_step_is_refused() {
        let draft = ActionDraft {
            pupil: None,
            next_step: " ".into(),
            ..good_draft()
        };
        let verdict = check(&draft, today());
        assert_eq!(verdict.about(Field::Pupil).count(), 1);
        assert_eq!(verdict.about(Field::NextStep).count(), 1);
    }

    #[test]
    fn past_due_dates_are_warned_not_refused() {
        let draft = ActionDraft {
            due: NaiveDate::from_ymd_opt(2026, 4, 1),
            raised: NaiveDate::from_ymd_opt(2026, 3, 1),
            ..good_draft()
        };
        let verdict = check(&draft, today());
        assert!(!verdict.is_refused());
        assert!(verdict
            .about(Field::Due)
            .any(|c| c.message.contains("overdue")));
        let backwards = ActionDraft {
            due: NaiveDate::from_ymd_opt(2026, 4, 1),
            ..good_draft()
        };
        assert!(check(&backwards, today())
            .about(Field::Due)
            .any(|c| c.message.contains("before the date raised")));
    }
}
