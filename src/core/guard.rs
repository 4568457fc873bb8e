//! The rules that guard the quality of a row, as pure functions that return reasons a person can
//! read. They warn and explain; the caller decides. A refusal stops the row from being added, a
//! warning does not — and neither ever clears what was typed.

use super::action::ActionDraft;
use super::dates;
use super::history::Field;
use chrono::NaiveDate;

/// Words that name a group or a placeholder, never one person.
const NOT_ONE_PERSON: &[&str] = &[
    "team",
    "school",
    "tbc",
    "tba",
    "tbd",
    "everyone",
    "everybody",
    "staff",
    "all",
    "all staff",
    "teachers",
    "nobody",
    "none",
    "n a",
    "someone",
    "somebody",
    "unknown",
    "whole school",
    "department",
    "the school",
    "the team",
    "various",
    "everyone involved",
];

/// A group of people said with a group word at the end ("SEND team", "pastoral staff").
const GROUP_ENDINGS: &[&str] = &["team", "staff", "department", "teachers", "everyone"];

/// Ways of writing two owners in one field.
pub const OWNER_SEPARATORS: &[&str] = &[" and ", " & ", "/", " + ", ",", ";", " or "];

/// Role names with "and" inside them: one role, not two owners.
pub const ROLES_WITH_AND: &[&str] = &[
    "speech and language",
    "teaching and learning",
    "health and care",
    "health and social care",
    "children and families",
    "attendance and welfare",
    "behaviour and attendance",
    "send and inclusion",
    "sen and disability",
    "safeguarding and wellbeing",
];

/// Phrases that describe an intention rather than a step someone can check was done.
const VAGUE_PHRASES: &[&str] = &[
    "monitor progress",
    "monitor closely",
    "continue to monitor",
    "support discussed",
    "discussed",
    "keep an eye on",
    "keep an eye",
    "look into",
    "looking into",
    "be aware",
    "as needed",
    "as appropriate",
    "as required",
    "when possible",
    "ongoing",
    "consider",
    "think about",
    "touch base",
];

/// An action longer than this reads as a narrative rather than one next step.
pub const LONG_NEXT_STEP: usize = 200;

/// An example of an action someone can check was done.
pub const CHECKABLE_EXAMPLE: &str =
    "Check reading task completion every Friday for four weeks and note it in the reading log";

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

/// What the owner field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnerCheck {
    /// One person or role: the owner as typed, trimmed.
    One(String),
    /// Not an owner; the reason says why and what to write instead.
    Refused(String),
    /// Two or more people: one row each is offered.
    Several(Vec<String>),
}

/// Checks that an owner is one named person or role.
pub fn check_owner(owner: &str) -> OwnerCheck {
    let owner = owner.trim();
    if owner.is_empty() {
        return OwnerCheck::Refused(
            "Every action needs one owner: a named person or a role, such as \"Class teacher\" \
             or \"Mrs Patel\"."
                .into(),
        );
    }
    if let Some(reason) = group_reason(owner) {
        return OwnerCheck::Refused(reason);
    }
    let parts = split_owners(owner);
    if parts.len() > 1 {
        if let Some(reason) = parts.iter().find_map(|part| group_reason(part)) {
            return OwnerCheck::Refused(reason);
        }
        return OwnerCheck::Several(parts);
    }
    OwnerCheck::One(owner.to_string())
}

fn group_reason(owner: &str) -> Option<String> {
    let words = normalise(owner);
    let last_word = words.rsplit(' ').next().unwrap_or("");
    let is_group = words.is_empty()
        || NOT_ONE_PERSON.contains(&words.as_str())
        || GROUP_ENDINGS.contains(&last_word);
    is_group.then(|| {
        format!(
            "\"{}\" is not one person. Name the one person or role who will do it, such as \
             \"Class teacher\" or \"Mr Jones (Year 4 lead)\".",
            owner.trim()
        )
    })
}

/// Whether `pattern` (ASCII, lower case) is at byte `at` of `text`, in any case. Compared on the
/// text as typed, byte by byte: an ASCII letter matches only itself in either case, never a
/// byte of another character, so a match starts and ends between characters and its positions
/// are the text's own (never found in a lower-cased copy, whose lengths differ: "İ" lower-cased
/// is three bytes, "ẞ" two). What lower-casing first would add is nothing here: the only
/// letters outside ASCII that lower-case into it are the Kelvin sign (to "k", in no pattern)
/// and "İ" (to "i" and a combining dot, which no pattern has after an "i").
fn matches_at(text: &[u8], at: usize, pattern: &str) -> bool {
    at.checked_add(pattern.len())
        .and_then(|end| text.get(at..end))
        .is_some_and(|here| here.eq_ignore_ascii_case(pattern.as_bytes()))
}

/// The owners an owner field names, split at [`OWNER_SEPARATORS`] except inside one of
/// [`ROLES_WITH_AND`]. One pass over the text, each place compared with the few patterns: a
/// pasted owner of 10,000 characters is answered at once.
fn split_owners(owner: &str) -> Vec<String> {
    let text = owner.as_bytes();
    let mut parts = Vec::new();
    // Where the part being read starts, and where the furthest role found so far ends.
    let (mut start, mut role_until) = (0, 0);
    for at in 0..text.len() {
        for role in ROLES_WITH_AND {
            if matches_at(text, at, role) {
                role_until = role_until.max(at + role.len());
            }
        }
        if at < start || at < role_until {
            continue;
        }
        if let Some(separator) = OWNER_SEPARATORS.iter().find(|s| matches_at(text, at, s)) {
            // Between characters (see `matches_at`); `get` rather than a slice all the same.
            parts.push(owner.get(start..at).unwrap_or_default());
            start = at + separator.len();
        }
    }
    parts.push(owner.get(start..).unwrap_or_default());
    parts
        .into_iter()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(String::from)
        .collect()
}

/// Warnings about the action text: vague wording, or a narrative that belongs in the note.
pub fn check_next_step(text: &str) -> Vec<Concern> {
    let mut concerns = Vec::new();
    if let Some(phrase) = vague_phrase(&normalise(text)) {
        concerns.push(Concern {
            field: Field::NextStep,
            severity: Severity::Warning,
            message: format!(
                "\"{phrase}\" is hard to check later. Say who does what, and by when — for \
                 example: \"{CHECKABLE_EXAMPLE}\"."
            ),
        });
    }
    let length = text.trim().chars().count();
    if length > LONG_NEXT_STEP || three_sentences(text) {
        concerns.push(Concern {
            field: Field::NextStep,
            severity: Severity::Warning,
            message: format!(
                "This reads like a narrative ({length} characters). Keep the action to the one \
                 next step and move the rest into \"Evidence or note\"."
            ),
        });
    }
    concerns
}

/// The first of [`VAGUE_PHRASES`] (in the list's order) that `words` ([`normalise`]d) holds as
/// whole words: "discussed" but not "undiscussed". One pass over the word starts, each compared
/// with the phrases: an import asks this of every row.
fn vague_phrase(words: &str) -> Option<&'static str> {
    let words = words.as_bytes();
    let starts = std::iter::once(0).chain(
        words
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b' ')
            .map(|(at, _)| at + 1),
    );
    let mut first = VAGUE_PHRASES.len();
    for start in starts {
        let rest = &words[start..];
        let Some(&letter) = rest.first() else { break };
        // Only the phrases that start with the word's letter (most words start with a letter
        // no phrase does), and only those earlier in the list than one already found.
        let mut candidates = PHRASES_BY_LETTER[usize::from(letter)] & ((1 << first) - 1);
        while candidates != 0 {
            let i = candidates.trailing_zeros() as usize;
            let phrase = VAGUE_PHRASES[i].as_bytes();
            if rest.starts_with(phrase) && rest.get(phrase.len()).is_none_or(|&b| b == b' ') {
                first = i;
                break;
            }
            candidates &= candidates - 1;
        }
    }
    VAGUE_PHRASES.get(first).copied()
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

/// For each letter, the [`VAGUE_PHRASES`] that start with it: bit `i` for phrase `i`.
const PHRASES_BY_LETTER: [u32; 256] = {
    assert!(VAGUE_PHRASES.len() < 32, "one bit for each phrase");
    let mut phrases = [0; 256];
    let mut i = 0;
    while i < VAGUE_PHRASES.len() {
        phrases[VAGUE_PHRASES[i].as_bytes()[0] as usize] |= 1 << i;
        i += 1;
    }
    phrases
};

/// Three or more sentences of three words or more. Three sentences need two full stops (or
/// question or exclamation marks) between them, which most actions do not have.
fn three_sentences(text: &str) -> bool {
    let stops = text
        .bytes()
        .filter(|b| matches!(b, b'.' | b'!' | b'?'))
        .count();
    stops >= 2
        && text
            .split(['.', '!', '?'])
            .filter(|s| s.split_whitespace().count() >= 3)
            .count()
            >= 3
}

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

    fn is_vague(text: &str) -> bool {
        check_next_step(text)
            .iter()
            .any(|c| c.message.contains("hard to check"))
    }

    #[test]
    fn vague_actions_are_warned_with_an_example() {
        for text in [
            "support discussed",
            "Monitor progress",
            "Keep an eye on attendance",
            "SENCO to look into it",
        ] {
            let concerns = check_next_step(text);
            assert!(is_vague(text), "{text:?} should be vague");
            assert!(concerns[0].message.contains(CHECKABLE_EXAMPLE));
            assert_eq!(concerns[0].severity, Severity::Warning);
        }
    }

    #[test]
    fn a_checkable_action_is_not_vague() {
        assert!(
            check_next_step("Check reading task completion every Friday for four weeks").is_empty()
        );
        assert!(!is_vague("Send the sleep diary to the SENCO by Friday"));
        // "discussed" as a word, not a fragment of another word.
        assert!(!is_vague("Share undiscussedness notes"));
    }

    #[test]
    fn a_long_narrative_is_warned_to_move_into_the_note() {
        let story = "Mum explained that mornings have been very difficult since the move. \
                     She said he is not sleeping and is anxious about the bus. \
                     We agreed that school would think about what might help.";
        let concerns = check_next_step(story);
        assert!(concerns
            .iter()
            .any(|c| c.message.contains("Evidence or note")));
        let long = "Speak to the speech and language therapist ".repeat(6);
        assert!(long.chars().count() > LONG_NEXT_STEP);
        assert!(check_next_step(&long)
            .iter()
            .any(|c| c.message.contains("narrative")));
        assert!(
            !check_next_step("Send the sleep diary by Friday. Bring it to reception.")
                .iter()
                .any(|c| c.message.contains("narrative"))
        );
    }

    #[test]
    fn groups_and_placeholders_are_refused_as_owners() {
        for owner in [
            "team",
            "school",
            "TBC",
            "Everyone",
            "staff",
            "all",
            "SEND team",
            " Staff ",
        ] {
            match check_owner(owner) {
                OwnerCheck::Refused(reason) => {
                    assert!(reason.contains("not one person"), "{owner}: {reason}")
                }
                other => panic!("{owner:?} should be refused, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_missing_owner_is_refused_with_a_reason() {
        for owner in ["", "   "] {
            assert!(
                matches!(check_owner(owner), OwnerCheck::Refused(r) if r.contains("one owner"))
            );
        }
    }

    #[test]
    fn one_person_or_role_is_accepted() {
        for owner in [
            "SENCO",
            "Class teacher",
            "Mrs O'Neil",
            "Year 7 team leader",
            "Parent",
        ] {
            assert_eq!(check_owner(owner), OwnerCheck::One(owner.to_string()));
        }
    }

    #[test]
    fn two_owners_are_offered_a_split() {
        assert_eq!(
            check_owner("class teacher and SENCO"),
            OwnerCheck::Several(vec!["class teacher".into(), "SENCO".into()])
        );
        assert_eq!(
            check_owner("Ms Khan / Mr Lee"),
            OwnerCheck::Several(vec!["Ms Khan".into(), "Mr Lee".into()])
        );
        assert_eq!(
            check_owner("Parent & SENCO"),
            OwnerCheck::Several(vec!["Parent".into(), "SENCO".into()])
        );
        assert!(matches!(
            check_owner("SENCO and team"),
            OwnerCheck::Refused(_)
        ));
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

    mod quick_paths {
        use super::super::*;
        use proptest::prelude::*;

        /// What the quick paths must agree with: a phrase as whole words found anywhere,
        /// the first in the list's order; letters lower-cased one character at a time.
        fn vague_by_search(words: &str) -> Option<&'static str> {
            VAGUE_PHRASES.iter().copied().find(|phrase| {
                words.match_indices(phrase).any(|(at, _)| {
                    let end = at + phrase.len();
                    (at == 0 || words.as_bytes()[at - 1] == b' ')
                        && (end == words.len() || words.as_bytes()[end] == b' ')
                })
            })
        }
        fn normalise_by_chars(text: &str) -> String {
            let words: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            words.join(" ")
        }
        fn sentences_by_split(text: &str) -> usize {
            text.split(['.', '!', '?'])
                .filter(|s| s.split_whitespace().count() >= 3)
                .count()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn they_say_what_the_plain_ways_say(
                words in prop::collection::vec(
                    prop::sample::select(vec![
                        "monitor", "progress", "closely", "continue", "to", "support", "discussed",
                        "undiscussed", "keep", "an", "eye", "on", "look", "into", "looking", "be",
                        "aware", "as", "needed", "required", "when", "possible", "ongoing",
                        "consider", "think", "about", "touch", "base", "Friday", "SENCO", "Zoë",
                        "Siân", "İ", "ẞ", "call", "mum", "2", "the",
                    ]),
                    0..12,
                ),
                gaps in prop::collection::vec(
                    prop::sample::select(vec![" ", "  ", ". ", ", ", "!", "?", "-", "\u{a0}", "\t"]),
                    12,
                ),
            ) {
                let text: String = words
                    .iter()
                    .zip(&gaps)
                    .flat_map(|(word, gap)| [*word, *gap])
                    .collect();
                let normalised = normalise(&text);
                prop_assert_eq!(&normalised, &normalise_by_chars(&text));
                prop_assert_eq!(vague_phrase(&normalised), vague_by_search(&normalised));
                prop_assert_eq!(three_sentences(&text), sentences_by_split(&text) >= 3);
            }
        }
    }
}
