//! A pupil's key adults (their class teacher, key worker or TA, and others, by name), and the
//! rule that makes an action's owner given as a role the person it is for that pupil.
//!
//! **How they are kept.** A pupil holds a short list of [`KeyAdult`]s, each a role from a closed
//! list ([`KeyRole`]) and a name as typed: `[{"role": "class_teacher", "name": "Mrs Patel"}]`.
//! A closed list, rather than a role typed freely, because an owner is matched to a role by the
//! words schools write for it ("Class teacher", "TA", "Teaching assistant", "Key worker"), which
//! a typed role would make a guess; "Other" is for anyone else, found by their name alone.
//!
//! **The rule.** An action's owner is for one person, [`who`]: the pupil's key adult when the
//! owner names their role ("Class teacher" and the pupil's class teacher is Mrs Patel: Mrs
//! Patel), the name in brackets when the owner is written as a role and a name ("Class teacher
//! (Mrs Patel)", as the owner suggestions write it), and otherwise the owner as typed (a person,
//! or a role nobody is named for). It is shown as [`shown`] ("Class teacher (Mrs Patel)"), and an
//! owner filter lets a row through when both are for the same person (an [`OwnerFilter`]), so
//! "Mrs Patel" and "Class teacher (Mrs Patel)" find the same rows: those owned by her name and
//! those owned by the role she holds for the pupil. A role with no name for the pupil is shown
//! and found as before. Worked out row by row from the row's own pupil, so a filter costs the
//! same per row at 50 actions as at 50,000, and nothing is kept to go stale: a role owner
//! follows the pupil's key adults as they change (a new class teacher in September takes over
//! the actions owned by "Class teacher", while one owned by "Class teacher (Mrs Patel)" stays
//! hers). When a pupil has two adults of one role, the role is for the first.

use crate::choice::{choice_enum, Choice};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

choice_enum!(
    /// A key adult's role for a pupil.
    KeyRole {
        ClassTeacher => ("class_teacher", "Class teacher"),
        KeyWorker => ("key_worker", "Key worker or TA"),
        FormTutor => ("form_tutor", "Form tutor"),
        HeadOfYear => ("head_of_year", "Head of year"),
        Other => ("other", "Other"),
    }
);

impl KeyRole {
    /// How an owner names the role, the first as the suggestions write it (never with "or" or
    /// "and", which the owner's guard reads as two people). Other is named by no words.
    pub fn owner_words(self) -> &'static [&'static str] {
        match self {
            KeyRole::ClassTeacher => &["Class teacher", "Form teacher", "Teacher"],
            KeyRole::KeyWorker => &[
                "Key worker",
                "TA",
                "Teaching assistant",
                "Key adult",
                "LSA",
                "Learning support assistant",
            ],
            KeyRole::FormTutor => &["Form tutor", "Tutor"],
            KeyRole::HeadOfYear => &["Head of year", "Year head", "Year leader"],
            KeyRole::Other => &[],
        }
    }

    /// The role an owner names, if it names one: "class  TEACHER " is the class teacher.
    pub fn named_by(owner: &str) -> Option<KeyRole> {
        KeyRole::ALL
            .iter()
            .copied()
            .find(|role| role.owner_words().iter().any(|words| same(words, owner)))
    }
}

/// One of a pupil's key adults: a role and a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAdult {
    pub role: KeyRole,
    pub name: String,
}

impl KeyAdult {
    /// The adult as an owner is written for them: "Class teacher (Mrs Patel)", or for Other
    /// their name alone.
    pub fn as_owner(&self) -> String {
        match self.role.owner_words().first() {
            Some(words) => format!("{words} ({})", self.name),
            None => self.name.clone(),
        }
    }

    /// The adult as a person reads them in a list: "Class teacher: Mrs Patel".
    pub fn readable(&self) -> String {
        format!("{}: {}", self.role.label(), self.name)
    }
}

/// A pupil's key adults as a person reads them: "Class teacher: Mrs Patel; Key worker or TA:
/// Mr Ahmed", or "none".
pub fn readable(adults: &[KeyAdult]) -> String {
    if adults.is_empty() {
        return "none".into();
    }
    adults
        .iter()
        .map(KeyAdult::readable)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The key adults as typed, tidied to keep: spaces trimmed and runs of them made one, rows with
/// no name left out (a row just added and not yet named), each adult once.
pub fn tidy(adults: &[KeyAdult]) -> Vec<KeyAdult> {
    let mut kept: Vec<KeyAdult> = Vec::with_capacity(adults.len());
    for adult in adults {
        let name = adult.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if !name.is_empty()
            && !kept
                .iter()
                .any(|k| k.role == adult.role && same(&k.name, &name))
        {
            kept.push(KeyAdult {
                role: adult.role,
                name,
            });
        }
    }
    kept
}

/// The same words, whatever their case and spacing: "mrs  patel" is "Mrs Patel". Compared as
/// it goes, with nothing allocated: a filter asks it of every row.
pub fn same(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.split_whitespace(), b.split_whitespace());
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) || folded(x).eq(folded(y)) => {}
            _ => return false,
        }
    }
}

/// A word's letters in lower case, as a search folds them (the dot a capital İ leaves when
/// lower-cased dropped, so "İlker" is "ilker"), and a Greek final sigma as any other
/// ("ΔΗΜΗΤΡΗΣ" is "δημητρης").
fn folded(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| c != '\u{307}')
        .map(|c| if c == 'ς' { 'σ' } else { c })
}

/// An owner written as a role and a name, "Class teacher (Mrs Patel)": the role and the name.
fn role_and_name(owner: &str) -> Option<(KeyRole, &str)> {
    let (role, name) = owner.trim().strip_suffix(')')?.split_once('(')?;
    let name = name.trim();
    let role = KeyRole::named_by(role)?;
    (!name.is_empty()).then_some((role, name))
}

/// The person an owner is, for a pupil with these key adults (see the module's doc): a key
/// adult's name for a role they hold, the name in "Role (Name)", or the owner as typed.
pub fn who<'a>(owner: &'a str, adults: &'a [KeyAdult]) -> &'a str {
    if let Some((_, name)) = role_and_name(owner) {
        return name;
    }
    match named_for(owner, adults) {
        Some(adult) => &adult.name,
        None => owner.trim(),
    }
}

/// The key adult a role owner is for, when the owner names a role the pupil has a name for.
fn named_for<'a>(owner: &str, adults: &'a [KeyAdult]) -> Option<&'a KeyAdult> {
    if adults.is_empty() {
        return None;
    }
    let role = KeyRole::named_by(owner)?;
    adults.iter().find(|adult| adult.role == role)
}

/// An owner as it is shown for a pupil with these key adults: "Class teacher (Mrs Patel)" for a
/// role they have a name for, otherwise the owner as typed.
pub fn shown<'a>(owner: &'a str, adults: &[KeyAdult]) -> Cow<'a, str> {
    match named_for(owner, adults) {
        Some(adult) => Cow::Owned(format!("{} ({})", owner.trim(), adult.name)),
        None => Cow::Borrowed(owner.trim()),
    }
}

/// Whether an owner, as shown, names a person through a role: "Class teacher (Mrs Patel)".
pub fn is_named_role(shown: &str) -> bool {
    role_and_name(shown).is_some()
}

/// An owner filter, ready to ask of one row after another: a row is let through when its owner
/// is for the same person as the filter ([`who`]).
#[derive(Clone, Debug)]
pub struct OwnerFilter {
    person: String,
}

impl OwnerFilter {
    /// A filter for an owner as chosen: "Class teacher (Mrs Patel)", "Mrs Patel", "SENCO".
    pub fn new(owner: &str) -> Self {
        OwnerFilter {
            person: who(owner, &[]).to_string(),
        }
    }

    /// Whether a row owned by `owner`, about a pupil with these key adults, is let through.
    pub fn admits(&self, owner: &str, adults: &[KeyAdult]) -> bool {
        same(who(owner, adults), &self.person)
    }
}

/// The owner suggestions for a form that knows its pupil: the pupil's key adults first, as an
/// owner is written for them ("Class teacher (Mrs Patel)"), in the order the pupil's page lists
/// them, then the owners already used, in their own order, each once.
pub fn suggestions(adults: &[KeyAdult], used: &[String]) -> Vec<String> {
    let mut all: Vec<String> = adults.iter().map(KeyAdult::as_owner).collect();
    let named = all.len();
    for owner in used {
        if !all[..named].iter().any(|o| same(o, owner)) {
            all.push(owner.clone());
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adult(role: KeyRole, name: &str) -> KeyAdult {
        KeyAdult {
            role,
            name: name.into(),
        }
    }

    #[test]
    fn a_role_owner_is_the_pupil_s_key_adult_and_a_role_with_no_name_is_as_typed() {
        let patel = [
            adult(KeyRole::ClassTeacher, "Mrs Patel"),
            adult(KeyRole::KeyWorker, "Mr Øberg"),
        ];
        assert_eq!(who("Class teacher", &patel), "Mrs Patel");
        assert_eq!(who(" class  TEACHER ", &patel), "Mrs Patel");
        assert_eq!(shown("Class teacher", &patel), "Class teacher (Mrs Patel)");
        assert_eq!(who("TA", &patel), "Mr Øberg");
        assert_eq!(
            shown("Teaching assistant", &patel),
            "Teaching assistant (Mr Øberg)"
        );
        // No form tutor named: as now.
        assert_eq!(who("Form tutor", &patel), "Form tutor");
        assert_eq!(shown("Form tutor", &patel), "Form tutor");
        assert_eq!(shown(" SENCO ", &patel), "SENCO");
        assert_eq!(who("Class teacher", &[]), "Class teacher");
        // Written with the name, it is that person whoever holds the role now.
        assert_eq!(who("Class teacher (Mr Evans)", &patel), "Mr Evans");
        assert_eq!(
            shown("Class teacher (Mr Evans)", &patel),
            "Class teacher (Mr Evans)"
        );
        // Brackets that are not a role and a name are part of the owner.
        assert_eq!(who("Dr Ahmed (SALT)", &patel), "Dr Ahmed (SALT)");
        assert_eq!(who("Class teacher ()", &patel), "Class teacher ()");
    }

    #[test]
    fn a_person_filter_finds_their_role_owned_and_name_owned_rows_and_no_one_else_s() {
        let patel = [adult(KeyRole::ClassTeacher, "Mrs Patel")];
        let evans = [adult(KeyRole::ClassTeacher, "Mr Evans")];
        let nobody: [KeyAdult; 0] = [];
        for filter in [
            "Class teacher (Mrs Patel)",
            "mrs patel",
            "Key worker (Mrs Patel)",
        ] {
            let f = OwnerFilter::new(filter);
            assert!(f.admits("Class teacher", &patel), "{filter}");
            assert!(f.admits("Mrs Patel", &evans), "{filter}: owned by her name");
            assert!(f.admits("Class teacher (Mrs Patel)", &nobody), "{filter}");
            assert!(!f.admits("Class teacher", &evans), "{filter}");
            assert!(!f.admits("Class teacher", &nobody), "{filter}");
        }
        // A role with no name finds the rows whose pupil has no one named for it, as now.
        let role = OwnerFilter::new("Class teacher");
        assert!(role.admits("class teacher", &nobody));
        assert!(!role.admits("Class teacher", &patel));
        let senco = OwnerFilter::new("SENCO");
        assert!(senco.admits(" senco", &patel));
        assert!(!senco.admits("Class teacher", &patel));
    }

    #[test]
    fn names_are_the_same_whatever_their_case_and_spacing_in_any_alphabet() {
        assert!(same("Mrs  Łukasz-Öztürk", "mrs łukasz-öztürk "));
        assert!(same("ΔΗΜΗΤΡΗΣ", "δημητρης"));
        assert!(same("İlker Yılmaz", "ilker yılmaz"));
        assert!(same("Siân Ap Gwilym", "SIÂN ap gwilym"));
        assert!(!same("Mrs Patel", "Mrs Pate"));
        assert!(!same("Mrs Patel", "Mrs Patel Jones"));
        assert!(same("", "  "));
    }

    #[test]
    fn suggestions_put_the_pupil_s_adults_first_then_the_owners_used_each_once() {
        let adults = [
            adult(KeyRole::ClassTeacher, "Mrs Patel"),
            adult(KeyRole::Other, "Dr Ahmed"),
        ];
        let used = vec![
            "Class teacher (Mrs Patel)".to_string(),
            "Parent".to_string(),
            "SENCO".to_string(),
        ];
        assert_eq!(
            suggestions(&adults, &used),
            vec!["Class teacher (Mrs Patel)", "Dr Ahmed", "Parent", "SENCO"]
        );
        assert_eq!(suggestions(&[], &used), used);
        // Every role's first words are one owner to the guard, never a split.
        for role in KeyRole::ALL {
            if let Some(words) = role.owner_words().first() {
                let owner = adult(*role, "Mrs Patel").as_owner();
                assert!(
                    matches!(
                        crate::guard::check_owner(&owner),
                        crate::guard::OwnerCheck::One(_)
                    ),
                    "{words}"
                );
                assert_eq!(KeyRole::named_by(words), Some(*role));
            }
        }
    }

    #[test]
    fn key_adults_are_kept_tidy_and_read_in_words() {
        let typed = [
            adult(KeyRole::ClassTeacher, "  Mrs   Patel "),
            adult(KeyRole::KeyWorker, " "),
            adult(KeyRole::ClassTeacher, "mrs patel"),
            adult(KeyRole::Other, "Dr Ahmed"),
        ];
        let kept = tidy(&typed);
        assert_eq!(
            kept,
            vec![
                adult(KeyRole::ClassTeacher, "Mrs Patel"),
                adult(KeyRole::Other, "Dr Ahmed")
            ]
        );
        assert_eq!(readable(&kept), "Class teacher: Mrs Patel; Other: Dr Ahmed");
        assert_eq!(readable(&[]), "none");
    }
}
