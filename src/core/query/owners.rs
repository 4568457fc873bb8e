//! Owners as people: each action's owner shown for its pupil ("Class teacher (Mrs Patel)"), and
//! the owners the tracker's filter offers, in one order that does not move as rows are added.

use crate::action::Action;
use crate::key_adults::{self, KeyAdult};
use crate::record::Record;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The key adults of an action's pupil (none when the pupil is not in the record).
pub fn adults_of<'r>(record: &'r Record, action: &Action) -> &'r [KeyAdult] {
    record
        .pupil(action.pupil)
        .map_or(&[], |pupil| pupil.key_adults.as_slice())
}

/// An action's owner as it is shown: the person a role is for its pupil, "Class teacher (Mrs
/// Patel)", or the owner as typed. One lookup of its pupil, whatever the size of the record.
pub fn owner_shown<'a>(record: &'a Record, action: &'a Action) -> Cow<'a, str> {
    key_adults::shown(&action.owner, adults_of(record, action))
}

/// The owners the tracker's filter offers, each as it is shown, once (any case): first the
/// people named through a role ("Class teacher (Mrs Patel)"), then every other owner used,
/// each part in alphabetical order, so a choice keeps its place however often it is used.
pub fn owner_choices(record: &Record) -> Vec<String> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for action in record.actions() {
        let shown = owner_shown(record, action);
        if shown.is_empty() {
            continue;
        }
        let key = shown.to_lowercase();
        seen.entry(key).or_insert_with(|| shown.into_owned());
    }
    // The map is in alphabetical order already (of the lower-case text); the people named
    // through a role are taken out to go first.
    let (mut choices, others): (Vec<String>, Vec<String>) = seen
        .into_values()
        .partition(|shown| key_adults::is_named_role(shown));
    choices.extend(others);
    choices
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::{tracker, Filter, SearchIndex};
    use super::*;
    use crate::action::Status;
    use crate::key_adults::KeyRole;
    use crate::record::PupilEdit;

    fn teacher(s: &mut School, pupil: crate::PupilId, name: &str) {
        let adults = vec![KeyAdult {
            role: KeyRole::ClassTeacher,
            name: name.into(),
        }];
        s.record
            .edit_pupil(pupil, PupilEdit::KeyAdults(adults), at(21))
            .unwrap();
    }

    #[test]
    fn two_pupils_class_teachers_are_two_people_to_the_owner_filter() {
        let mut s = school();
        let (zoe, ben) = (s.zoe, s.ben);
        let zoe_ct = act(
            &mut s,
            zoe,
            "Reduce written work",
            "Class teacher",
            30,
            Status::Open,
        );
        let ben_ct = act(
            &mut s,
            ben,
            "Seat him near the door",
            "class teacher",
            28,
            Status::Open,
        );
        let by_name = act(
            &mut s,
            ben,
            "Send the reading list",
            "Mrs Patel",
            29,
            Status::Open,
        );
        let senco = act(&mut s, zoe, "Ring the parent", "SENCO", 27, Status::Open);
        let find = |s: &School, owner: &str| {
            let filter = Filter {
                owner: Some(owner.into()),
                ..Filter::default()
            };
            tracker(&s.record, &SearchIndex::new(&s.record), &filter)
        };
        // No one named yet: as before, the role is one owner.
        assert_eq!(find(&s, "Class teacher"), vec![ben_ct, zoe_ct]);
        assert_eq!(
            owner_choices(&s.record),
            vec!["Class teacher", "Mrs Patel", "SENCO"]
        );
        teacher(&mut s, zoe, "Mrs Patel");
        teacher(&mut s, ben, "Mr Evans");
        assert_eq!(find(&s, "Class teacher (Mrs Patel)"), vec![by_name, zoe_ct]);
        assert_eq!(find(&s, "mrs patel"), vec![by_name, zoe_ct]);
        assert_eq!(find(&s, "Class teacher (Mr Evans)"), vec![ben_ct]);
        assert_eq!(find(&s, "Class teacher"), Vec::<usize>::new());
        assert_eq!(find(&s, "SENCO"), vec![senco]);
        assert_eq!(
            owner_shown(&s.record, &s.record.actions()[ben_ct]),
            "class teacher (Mr Evans)"
        );
        assert_eq!(
            owner_choices(&s.record),
            vec![
                "class teacher (Mr Evans)",
                "Class teacher (Mrs Patel)",
                "Mrs Patel",
                "SENCO"
            ]
        );
        // The search finds a row by the person its role is for.
        let search = Filter {
            text: "evans".into(),
            ..Filter::default()
        };
        let index = SearchIndex::new(&s.record);
        assert_eq!(tracker(&s.record, &index, &search), vec![ben_ct]);
    }

    #[test]
    fn the_filter_s_choices_keep_their_order_however_often_each_is_used() {
        let mut s = school();
        let zoe = s.zoe;
        for owner in ["SENCO", "Parent", "Class teacher"] {
            act(&mut s, zoe, "Ring", owner, 30, Status::Open);
        }
        let before = owner_choices(&s.record);
        for _ in 0..5 {
            act(&mut s, zoe, "Ring", "Parent", 30, Status::Open);
        }
        assert_eq!(owner_choices(&s.record), before);
        assert_eq!(before, vec!["Class teacher", "Parent", "SENCO"]);
    }
}
