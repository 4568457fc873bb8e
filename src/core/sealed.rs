//! Encrypted files (`.sendlog`): an export sealed with a passphrase. This module is the format —
//! its header, the key schedule's names and numbers, the checks that tell a wrong passphrase
//! from a changed or cut-short file, and the passphrase rule. The cryptography itself is the
//! browser's Web Crypto (src/ui/sealing.rs); nothing here encrypts.
//!
//! # The format, version 1
//!
//! A file is one line of JSON (UTF-8), a line feed (byte 0x0A), then the ciphertext:
//!
//! ```text
//! {"format":"sendlog-sealed","version":1,"contents":"application/json",
//!  "kdf":{"name":"PBKDF2-HMAC-SHA-256","iterations":600000,"salt":"<16 bytes, base64>"},
//!  "cipher":{"name":"AES-256-GCM","nonce":"<12 bytes, base64>"},
//!  "check":"<16 bytes, base64>","length":<bytes after the line feed>}
//! <ciphertext, then GCM's 16-byte tag>
//! ```
//!
//! (on one line in the file). To open it: take the passphrase as UTF-8 (normalised to Unicode
//! NFC); `master` = PBKDF2-HMAC-SHA-256(passphrase, salt, iterations, 32 bytes); `key` =
//! HKDF-SHA-256(master, empty salt, info "sendlog-sealed 1 key", 32 bytes); `check` =
//! HKDF-SHA-256(master, empty salt, info "sendlog-sealed 1 check", 16 bytes). A `check` unlike
//! the header's means a wrong passphrase. Then AES-256-GCM decrypts the bytes after the line
//! feed with `key`, the nonce, and the header line's bytes (without the line feed) as the
//! additional authenticated data: a failed tag means the file (its header or its body) has been
//! changed. The plaintext is the export named by `contents`: a JSON bundle or a CSV table.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// What the header's `format` says.
pub const FORMAT: &str = "sendlog-sealed";
/// The version of the format this build writes and reads.
pub const VERSION: u32 = 1;
/// The file name's ending.
pub const EXTENSION: &str = "sendlog";
/// The key derivation, as the header names it.
pub const KDF: &str = "PBKDF2-HMAC-SHA-256";
/// The cipher, as the header names it.
pub const CIPHER: &str = "AES-256-GCM";
/// PBKDF2's iterations in a file made here: OWASP's figure for PBKDF2-HMAC-SHA-256 (2023).
pub const ITERATIONS: u32 = 600_000;
/// The most a file may ask for: more would keep a tablet busy for minutes, so such a file was
/// not made by SEND Log and is refused before any work.
pub const MOST_ITERATIONS: u32 = 10_000_000;
pub const SALT_BYTES: usize = 16;
pub const NONCE_BYTES: usize = 12;
pub const CHECK_BYTES: usize = 16;
/// GCM's authentication tag, at the end of the ciphertext.
pub const TAG_BYTES: usize = 16;
/// HKDF's `info` for the AES key.
pub const KEY_INFO: &str = "sendlog-sealed 1 key";
/// HKDF's `info` for the passphrase check.
pub const CHECK_INFO: &str = "sendlog-sealed 1 check";
/// The longest header line read: a real one is about 300 bytes.
const HEADER_LIMIT: usize = 4096;
/// The largest encrypted file read: the largest bundle or CSV the import reads, and its header.
pub const LIMIT_BYTES: usize = {
    let bundle = crate::bundle::JSON_LIMIT_BYTES;
    let table = crate::spreadsheet::CSV_LIMIT_BYTES;
    (if bundle > table { bundle } else { table }) + HEADER_LIMIT
};
/// The fewest characters a passphrase may have.
pub const SHORTEST_PASSPHRASE: usize = 12;

/// What a sealed file holds once opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Contents {
    /// A JSON bundle (the whole record, some rows, or one pupil).
    #[serde(rename = "application/json")]
    Bundle,
    /// A CSV table (the action log or the tracker).
    #[serde(rename = "text/csv")]
    Table,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kdf {
    pub name: String,
    pub iterations: u32,
    pub salt: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cipher {
    pub name: String,
    pub nonce: String,
}

/// The header line, as written (its fields in this order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub contents: Contents,
    pub kdf: Kdf,
    pub cipher: Cipher,
    pub check: String,
    pub length: u64,
}

/// The random values and derived check a new file is made with.
pub struct Sealing {
    pub salt: [u8; SALT_BYTES],
    pub nonce: [u8; NONCE_BYTES],
    pub iterations: u32,
    pub contents: Contents,
}

impl Sealing {
    /// The header line (no line feed) for a ciphertext of `length` bytes (tag included) and the
    /// passphrase's `check`: the additional authenticated data, so it must be fixed before the
    /// encryption. The ciphertext is as long as the plaintext and the tag.
    pub fn header_line(&self, check: &[u8], length: usize) -> String {
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            contents: self.contents,
            kdf: Kdf {
                name: KDF.into(),
                iterations: self.iterations,
                salt: BASE64.encode(self.salt),
            },
            cipher: Cipher {
                name: CIPHER.into(),
                nonce: BASE64.encode(self.nonce),
            },
            check: BASE64.encode(check),
            length: length as u64,
        };
        serde_json::to_string(&header).unwrap_or_default()
    }
}

/// The file: the header line, a line feed, the ciphertext.
pub fn file(header_line: &str, ciphertext: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(header_line.len() + 1 + ciphertext.len());
    bytes.extend_from_slice(header_line.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(ciphertext);
    bytes
}

/// A sealed file read apart, ready for the key derivation and the decryption.
#[derive(Debug, PartialEq)]
pub struct Opened<'a> {
    pub contents: Contents,
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub nonce: Vec<u8>,
    pub check: Vec<u8>,
    /// The header line's bytes: GCM's additional authenticated data.
    pub header_line: &'a [u8],
    pub ciphertext: &'a [u8],
}

/// Why a sealed file did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The derived check is not the header's.
    WrongPassphrase,
    /// The passphrase is right but the tag failed: the header or the body was changed.
    Altered,
    /// The header is unreadable, or its values are not ones this format uses.
    DamagedHeader(String),
    /// Fewer bytes follow the header than it says.
    CutShort { expected: u64, found: u64 },
    /// Made by a later version of the format.
    Newer(u32),
    /// This browser cannot do the cryptography (no Web Crypto, or it refused): what it said.
    NoCrypto(String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::WrongPassphrase => write!(
                f,
                "That passphrase does not open this file. Capitals, spaces and accents count: \
                 check it with the person who made the file and type it again."
            ),
            Problem::Altered => write!(
                f,
                "The passphrase is right, but the file has been changed since it was made, so \
                 it cannot be trusted and nothing was imported. Ask for it to be sent again."
            ),
            Problem::DamagedHeader(what) => write!(
                f,
                "The file's first line, which says how it is encrypted, is damaged ({what}), \
                 so it cannot be opened and nothing was imported. Ask for it to be sent again."
            ),
            Problem::CutShort { expected, found } => write!(
                f,
                "The file is cut short: it should hold {expected} bytes of encrypted record and \
                 holds {found}. It may not have finished downloading or copying; ask for it \
                 again. Nothing was imported."
            ),
            Problem::Newer(version) => write!(
                f,
                "The file was encrypted by a newer SEND Log (format version {version}; this \
                 one reads version {VERSION}). Update SEND Log on this device, then import it \
                 again."
            ),
            Problem::NoCrypto(what) => write!(
                f,
                "This browser cannot encrypt or decrypt files here ({what}). Open SEND Log from \
                 its https address in an up-to-date browser."
            ),
        }
    }
}

/// Whether `bytes` start as a sealed file does: a first line that is a JSON object whose
/// `format` is [`FORMAT`]. Cheap: only the first line is read.
pub fn is_sealed(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Named {
        format: Option<String>,
    }
    first_line(bytes).is_some_and(|line| {
        serde_json::from_slice::<Named>(line).is_ok_and(|n| n.format.as_deref() == Some(FORMAT))
    })
}

fn first_line(bytes: &[u8]) -> Option<&[u8]> {
    let end = memchr::memchr(b'\n', &bytes[..bytes.len().min(HEADER_LIMIT)])?;
    Some(&bytes[..end])
}

/// Reads a sealed file apart, checking everything that can be checked without the passphrase.
pub fn open(bytes: &[u8]) -> Result<Opened<'_>, Problem> {
    let damaged = |what: &str| Problem::DamagedHeader(what.to_string());
    let line = first_line(bytes).ok_or_else(|| damaged("no header line"))?;
    let header: Header = serde_json::from_slice(line).map_err(|_| damaged("not readable"))?;
    if header.format != FORMAT {
        return Err(damaged("not a SEND Log encrypted file"));
    }
    if header.version > VERSION {
        return Err(Problem::Newer(header.version));
    }
    if header.version < 1 {
        return Err(damaged("no such version"));
    }
    if header.kdf.name != KDF {
        return Err(damaged("an unknown key derivation"));
    }
    if !(ITERATIONS..=MOST_ITERATIONS).contains(&header.kdf.iterations) {
        return Err(damaged("an iteration count SEND Log does not use"));
    }
    if header.cipher.name != CIPHER {
        return Err(damaged("an unknown cipher"));
    }
    let sized = |text: &str, len: usize, what: &str| {
        BASE64
            .decode(text)
            .ok()
            .filter(|b| b.len() == len)
            .ok_or_else(|| damaged(what))
    };
    let salt = sized(&header.kdf.salt, SALT_BYTES, "the salt")?;
    let nonce = sized(&header.cipher.nonce, NONCE_BYTES, "the nonce")?;
    let check = sized(&header.check, CHECK_BYTES, "the check")?;
    let ciphertext = &bytes[line.len() + 1..];
    let found = ciphertext.len() as u64;
    if header.length < TAG_BYTES as u64 {
        return Err(damaged("the length"));
    }
    if found < header.length {
        return Err(Problem::CutShort {
            expected: header.length,
            found,
        });
    }
    if found > header.length {
        // Bytes added after the end: the file has been changed.
        return Err(Problem::Altered);
    }
    Ok(Opened {
        contents: header.contents,
        iterations: header.kdf.iterations,
        salt,
        nonce,
        check,
        header_line: line,
        ciphertext,
    })
}

/// Whether the check derived from the passphrase typed is the file's: if not, the passphrase is
/// wrong (and nothing is decrypted).
pub fn passphrase_fits(opened: &Opened<'_>, derived_check: &[u8]) -> Result<(), Problem> {
    if opened.check == derived_check {
        Ok(())
    } else {
        Err(Problem::WrongPassphrase)
    }
}

/// How hard a passphrase is to guess, as the person is told while typing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Fewer than [`SHORTEST_PASSPHRASE`] characters: refused.
    TooShort,
    /// Long enough but made of few different characters ("aaaaaaaaaaaa", "123412341234"):
    /// refused.
    TooSimple,
    Fair,
    Strong,
}

impl Strength {
    /// Whether a file may be encrypted with it.
    pub fn accepted(self) -> bool {
        self >= Strength::Fair
    }

    /// What the person is told when the passphrase is refused, or how to make it stronger.
    pub fn advice(self) -> &'static str {
        match self {
            Strength::TooShort => "Too short: use at least 12 characters. Three or four random words are easy to remember and hard to guess.",
            Strength::TooSimple => "Too easy to guess: it repeats a few characters. Three or four random words are easy to remember and hard to guess.",
            Strength::Fair => "Fair. Longer is stronger: a fourth random word makes it much harder to guess.",
            Strength::Strong => "Strong.",
        }
    }
}

/// A passphrase's strength, by its length and variety. Written here rather than with a
/// password-strength crate because those carry dictionaries of hundreds of kilobytes, more than
/// the whole app's download budget leaves; the rule is the NCSC's "three random words".
pub fn strength(passphrase: &str) -> Strength {
    let count = passphrase.chars().count();
    if count < SHORTEST_PASSPHRASE {
        return Strength::TooShort;
    }
    let mut different: Vec<char> = passphrase.chars().flat_map(char::to_lowercase).collect();
    different.sort_unstable();
    different.dedup();
    if different.len() < 6 {
        return Strength::TooSimple;
    }
    let words = passphrase.split_whitespace().count();
    if count >= 20 || (words >= 4 && count >= 16) {
        Strength::Strong
    } else {
        Strength::Fair
    }
}

/// The file's name for an export named `plain` (its ending replaced).
pub fn file_name(plain: &str) -> String {
    let stem = plain.rsplit_once('.').map_or(plain, |(stem, _)| stem);
    format!("{stem}.{EXTENSION}")
}
