//! Closed lists of choices (year groups, statuses, item types, …) with the words a person reads.
//!
//! Each list is an enum that knows its on-screen label and its stable file name (the serde
//! name, used in JSON and as the value of a `<select>` option).

/// A closed list of choices shown to a person.
pub trait Choice: Copy + Eq + 'static {
    /// Every choice, in the order it is offered on screen.
    const ALL: &'static [Self];
    /// What a person reads: "In progress", "Year 7".
    fn label(self) -> &'static str;
    /// The stable name in files and form values: "in_progress", "year_7".
    fn code(self) -> &'static str;

    /// The choice with this code, or with this label (any case, any spacing). A label exactly
    /// as SEND Log writes it (in its own spreadsheets) is found first, without comparing letter
    /// by letter.
    fn from_text(text: &str) -> Option<Self> {
        let all = Self::ALL.iter().copied();
        all.clone().find(|c| c.label() == text).or_else(|| {
            all.clone()
                .find(|c| same_letters(c.code(), text) || same_letters(c.label(), text))
        })
    }
}

/// The same letters and digits in the same order, ignoring case, spaces and punctuation.
/// Compared as it goes, with nothing allocated: imports read it for every row.
fn same_letters(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        fn ascii(text: &str) -> impl Iterator<Item = u8> + '_ {
            text.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| b.to_ascii_lowercase())
        }
        return ascii(a).eq(ascii(b));
    }
    fn letters(text: &str) -> impl Iterator<Item = char> + '_ {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
    }
    letters(a).eq(letters(b))
}

/// Defines a `Choice` enum: `Variant => ("code", "Label")`.
macro_rules! choice_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $crate::choice::Choice for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::choice::Choice::label(*self))
            }
        }
    };
}
pub(crate) use choice_enum;
