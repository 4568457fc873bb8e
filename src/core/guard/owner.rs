//! The owner of an action: one named person or role, never a group or a placeholder, and two
//! owners in one field found and offered as a split.

use super::normalise;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
