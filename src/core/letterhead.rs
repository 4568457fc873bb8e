//! The school's name and a contact line, set once in Settings and printed on the parent's copy
//! of what a meeting agreed, so that the parent knows whom it is from and whom to ask.

/// The longest school name kept, in characters: the longest names on the register of schools
/// are under 100.
pub const SCHOOL_MAX: usize = 120;
/// The longest contact line kept, in characters: a name, a role, a phone number and an email.
pub const CONTACT_MAX: usize = 300;

/// What the parent's copy says about where it is from. Both parts may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Letterhead {
    /// "Greenfield Primary School".
    pub school: String,
    /// "Mrs Khan (SENCO), 01234 567890, senco@greenfield.sch.uk".
    pub contact: String,
}

impl Letterhead {
    /// The letterhead as typed, each part on one line (spaces and line breaks run together), or
    /// what is wrong with it: a part longer than is kept.
    pub fn typed(school: &str, contact: &str) -> Result<Letterhead, String> {
        let one_line = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (school, contact) = (one_line(school), one_line(contact));
        let over = |text: &str, max: usize| text.chars().count() > max;
        if over(&school, SCHOOL_MAX) {
            return Err(format!(
                "The school's name is longer than {SCHOOL_MAX} characters: shorten it."
            ));
        }
        if over(&contact, CONTACT_MAX) {
            return Err(format!(
                "The contact line is longer than {CONTACT_MAX} characters: keep it to a name, a phone number and an email."
            ));
        }
        Ok(Letterhead { school, contact })
    }

    /// Neither part is set.
    pub fn is_empty(&self) -> bool {
        self.school.is_empty() && self.contact.is_empty()
    }

    /// "Questions about these actions: Mrs Khan (SENCO), 01234 567890", when a contact is set.
    pub fn contact_line(&self) -> Option<String> {
        (!self.contact.is_empty())
            .then(|| format!("Questions about these actions: {}", self.contact))
    }

    /// As kept on the device: a JSON array of the two parts.
    pub fn encode(&self) -> String {
        serde_json::to_string(&[&self.school, &self.contact]).unwrap_or_default()
    }

    /// A kept letterhead, read as typed again (so a note edited by hand is held to the same
    /// limits); empty if it cannot be read.
    pub fn decode(text: &str) -> Letterhead {
        serde_json::from_str::<[String; 2]>(text)
            .ok()
            .and_then(|[school, contact]| Letterhead::typed(&school, &contact).ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letterhead_is_kept_on_one_line_and_reads_back_as_it_was() {
        let typed = Letterhead::typed(
            "  Ysgol Gymraeg\nPen-y-bryn ",
            "Mrs Łucja Öztürk (SENCO),\t01234 567890",
        )
        .unwrap();
        assert_eq!(typed.school, "Ysgol Gymraeg Pen-y-bryn");
        assert_eq!(typed.contact, "Mrs Łucja Öztürk (SENCO), 01234 567890");
        assert_eq!(Letterhead::decode(&typed.encode()), typed);
        assert_eq!(
            typed.contact_line().unwrap(),
            "Questions about these actions: Mrs Łucja Öztürk (SENCO), 01234 567890"
        );
        let blank = Letterhead::typed(" ", "\n").unwrap();
        assert!(blank.is_empty() && blank.contact_line().is_none());
    }

    #[test]
    fn a_part_too_long_is_refused_and_a_kept_note_that_cannot_be_read_is_empty() {
        let long = "Ω".repeat(SCHOOL_MAX + 1);
        assert!(Letterhead::typed(&long, "").unwrap_err().contains("120"));
        assert!(Letterhead::typed(&long[..SCHOOL_MAX * 2], "").is_ok());
        let contact = "x ".repeat(CONTACT_MAX);
        assert!(Letterhead::typed("", &contact).is_err());
        assert!(Letterhead::decode("[\"cut").is_empty());
        assert!(Letterhead::decode(&format!("[\"{long}\",\"\"]")).is_empty());
    }
}
