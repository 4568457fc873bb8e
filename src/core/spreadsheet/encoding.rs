//! The two encodings other than UTF-8 that Excel saves a spreadsheet in: Windows-1252 (its
//! plain "CSV (Comma delimited)" on a UK PC) and UTF-16 (its "Unicode text"), read as UTF-8.
//!
//! Written here rather than through `encoding_rs`, which decodes every encoding on the web and
//! took its tables for all of them into the download (+130 KB gzipped, measured; see
//! BENCHMARKS.md): Windows-1252 is one table of 32 characters, and UTF-16 is the standard
//! library's. The tests check both against `encoding_rs` (a dev-dependency), byte for byte.

use crate::merge::Problem;

/// Windows-1252's characters for the bytes 0x80 to 0x9F; every other byte is the character of
/// its own number (Latin-1). The five bytes Windows-1252 leaves unassigned read as the control
/// character of their number, as the WHATWG encoding standard (and so `encoding_rs`) reads them.
const HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The character of one Windows-1252 byte.
fn windows_1252_char(byte: u8) -> char {
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Text saved in Windows-1252, as UTF-8 (every byte is a character there, so it always reads).
pub(super) fn from_windows_1252(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| windows_1252_char(b)).collect()
}

/// The Windows-1252 bytes of `text`, or `None` if it has a character Windows-1252 lacks.
pub fn to_windows_1252(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| match u8::try_from(u32::from(c)) {
            Ok(byte) if windows_1252_char(byte) == c => Some(byte),
            _ => HIGH
                .iter()
                .position(|&high| high == c)
                .and_then(|at| u8::try_from(at).ok())
                .map(|at| 0x80 + at),
        })
        .collect()
}

/// UTF-16 text after its byte order mark, as UTF-8: `None` if it is not whole UTF-16 (an odd
/// byte at the end, or half of a character).
pub(super) fn from_utf16(bytes: &[u8], big_endian: bool) -> Option<String> {
    if bytes.len() % 2 == 1 {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// An encoding other than UTF-8 that a spreadsheet is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Encoding {
    /// Excel's "CSV (Comma delimited)" on a UK PC.
    Windows1252,
    /// Excel's "Unicode text".
    Utf16,
}

impl Encoding {
    /// How the preview names it.
    pub(super) fn said(self) -> &'static str {
        match self {
            Encoding::Windows1252 => "Windows-1252 (Excel's CSV)",
            Encoding::Utf16 => "UTF-16 (Excel's Unicode text)",
        }
    }
}

/// The bytes of a file as UTF-8 text, where the text starts in them (after a UTF-8 byte order
/// mark, which is stepped over rather than cut off, so that no byte moves), and the encoding it
/// was read from if not UTF-8. A file that is not text is refused.
pub(super) fn as_utf8(bytes: Vec<u8>) -> Result<(Vec<u8>, usize, Option<Encoding>), Problem> {
    // Excel's "Unicode text" is UTF-16 with a byte order mark (and tabs between cells):
    // read as the same text in UTF-8.
    let utf16 = [(b"\xFF\xFE", false), (b"\xFE\xFF", true)]
        .into_iter()
        .find(|(bom, _)| bytes.starts_with(*bom));
    let (bytes, mut read_as) = match utf16 {
        Some((_, big_endian)) => match from_utf16(&bytes[2..], big_endian) {
            Some(text) => (text.into_bytes(), Some(Encoding::Utf16)),
            None => {
                return Err(Problem::with_file(
                    "it is saved as \"Unicode text\" (UTF-16), but parts of it cannot be \
                         read as text. Save it again, or save it as \"CSV UTF-8 (Comma \
                         delimited)\" and import that file.",
                ))
            }
        },
        None => (bytes, None),
    };
    // The byte order mark Excel writes is stepped over, not cut off (which would move
    // every byte after it).
    let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let text = &bytes[start..];
    // A picture, a PDF or an Excel workbook has zero bytes near its start. (Only the start
    // is looked at: a school's file is 20 MB, and every byte is checked as UTF-8 anyway.)
    // None starts with the byte order mark of UTF-8 text, which SEND Log's own files do:
    // a zero character in a cell of one (from a bundle, say) reads back as it was written.
    let head = text.get(..text.len().min(64 * 1024)).unwrap_or(text);
    if start == 0 && memchr::memchr(0, head).is_some() {
        return Err(Problem::with_file(
            "it is not a text file. Choose a .csv spreadsheet or a .json bundle.",
        ));
    }
    // Not UTF-8: Excel's plain "CSV (Comma delimited)", which a UK PC writes in
    // Windows-1252. Every byte is a character there, so it always reads; the preview shows
    // the names read, for the person to see they are right.
    let (bytes, start) = if std::str::from_utf8(text).is_err() {
        read_as = Some(Encoding::Windows1252);
        (from_windows_1252(text).into_bytes(), 0)
    } else {
        (bytes, start)
    };
    Ok((bytes, start, read_as))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_byte_reads_as_encoding_rs_reads_windows_1252() {
        let every: Vec<u8> = (0..=255).collect();
        let (theirs, _, _) = encoding_rs::WINDOWS_1252.decode(&every);
        assert_eq!(from_windows_1252(&every), theirs);
        assert_eq!(
            from_windows_1252(b"Zo\xEB Bront\xEB \x80 \x93a\x94"),
            "Zoë Brontë € “a”"
        );
        assert_eq!(to_windows_1252(&theirs), Some(every));
        assert_eq!(to_windows_1252("Łucja"), None);
    }

    proptest! {
        #[test]
        fn any_bytes_read_as_encoding_rs_reads_them(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let (theirs, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            prop_assert_eq!(from_windows_1252(&bytes), theirs.into_owned());
            for (encoding, big_endian) in [(encoding_rs::UTF_16LE, false), (encoding_rs::UTF_16BE, true)] {
                let (theirs, malformed) = encoding.decode_without_bom_handling(&bytes);
                let ours = from_utf16(&bytes, big_endian);
                prop_assert_eq!(ours.clone(), (!malformed).then(|| theirs.into_owned()));
            }
        }

        #[test]
        fn any_text_goes_to_windows_1252_as_encoding_rs_writes_it(text in "\\PC{0,40}") {
            let (theirs, _, lost) = encoding_rs::WINDOWS_1252.encode(&text);
            prop_assert_eq!(to_windows_1252(&text), (!lost).then(|| theirs.into_owned()));
        }
    }
}
