//! The action's text: vague wording that cannot be checked later, and a narrative that belongs
//! in the note.

use super::{normalise, Concern, Severity};
use crate::history::Field;

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

#[cfg(test)]
mod tests {
    use super::*;

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
