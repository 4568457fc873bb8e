//! The encrypted format (`.sendlog`) checked with a second implementation of its cryptography
//! (RustCrypto's; the app uses the browser's Web Crypto): the primitives against their published
//! test vectors, a round trip, and a wrong passphrase, a changed byte and a cut-off file each
//! refused with its own reason.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use proptest::prelude::*;
use sendlog_core::sealed::{
    self, Contents, Problem, Sealing, Strength, CHECK_INFO, ITERATIONS, KEY_INFO,
};
use sha2::Sha256;

fn hex(text: &str) -> Vec<u8> {
    let text: String = text.split_whitespace().collect();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The key and the check, as the format's documentation says (sealed.rs).
fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> ([u8; 32], [u8; 16]) {
    let mut master = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(passphrase.as_bytes(), salt, iterations, &mut master);
    let hkdf = hkdf::Hkdf::<Sha256>::new(Some(&[]), &master);
    let mut key = [0u8; 32];
    let mut check = [0u8; 16];
    hkdf.expand(KEY_INFO.as_bytes(), &mut key).unwrap();
    hkdf.expand(CHECK_INFO.as_bytes(), &mut check).unwrap();
    (key, check)
}

/// A file sealed as the app seals one, with chosen random values.
fn seal(passphrase: &str, plain: &[u8], iterations: u32, random: u8) -> Vec<u8> {
    let sealing = Sealing {
        salt: [random; 16],
        nonce: [random.wrapping_add(1); 12],
        iterations,
        contents: Contents::Bundle,
    };
    let (key, check) = derive(passphrase, &sealing.salt, iterations);
    let line = sealing.header_line(&check, plain.len() + sealed::TAG_BYTES);
    let cipher = Aes256Gcm::new_from_slice(&key).unwrap();
    let ciphertext = cipher
        .encrypt(
            Nonce::from_slice(&sealing.nonce),
            Payload {
                msg: plain,
                aad: line.as_bytes(),
            },
        )
        .unwrap();
    sealed::file(&line, &ciphertext)
}

/// Opens a file as the app does: read apart, check the passphrase, decrypt.
fn unseal(bytes: &[u8], passphrase: &str) -> Result<Vec<u8>, Problem> {
    let opened = sealed::open(bytes)?;
    let (key, check) = derive(passphrase, &opened.salt, opened.iterations);
    sealed::passphrase_fits(&opened, &check)?;
    let cipher = Aes256Gcm::new_from_slice(&key).unwrap();
    cipher
        .decrypt(
            Nonce::from_slice(&opened.nonce),
            Payload {
                msg: opened.ciphertext,
                aad: opened.header_line,
            },
        )
        .map_err(|_| Problem::Altered)
}

/// The fewest iterations a file may have, to keep the property tests quick.
const QUICK: u32 = ITERATIONS;

#[test]
fn pbkdf2_hmac_sha256_gives_rfc_7914s_vector() {
    let mut out = [0u8; 64];
    pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
    assert_eq!(
        out.to_vec(),
        hex("55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05 f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc
             49 ca 9c cc f1 79 b6 45 99 16 64 b3 9d 77 ef 31 7c 71 b8 45 b1 e3 0b d5 09 11 20 41 d3 a1 97 83")
    );
}

#[test]
fn hkdf_sha256_with_no_salt_gives_rfc_5869s_third_vector() {
    let ikm = [0x0b_u8; 22];
    let mut okm = [0u8; 42];
    hkdf::Hkdf::<Sha256>::new(Some(&[]), &ikm)
        .expand(&[], &mut okm)
        .unwrap();
    assert_eq!(
        okm.to_vec(),
        hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    );
}

#[test]
fn aes_256_gcm_gives_the_gcm_specifications_vectors_13_and_14() {
    let cipher = Aes256Gcm::new_from_slice(&[0u8; 32]).unwrap();
    let nonce = Nonce::from_slice(&[0u8; 12]);
    assert_eq!(
        cipher.encrypt(nonce, &[][..]).unwrap(),
        hex("530f8afbc74536b9a963b4f1c4cb738b")
    );
    assert_eq!(
        cipher.encrypt(nonce, &[0u8; 16][..]).unwrap(),
        hex("cea7403d4d606b6e074ec5d3baf39d18 d0d1c8a799996bf0265b98b5d48ab919")
    );
}

#[test]
fn a_sealed_file_opens_with_its_passphrase_and_says_what_it_holds() {
    let plain = r#"{"format":"sendlog","pupils":["Zoë Çelik-Şahin"]}"#.as_bytes();
    let file = seal("three random words", plain, ITERATIONS, 7);
    assert!(sealed::is_sealed(&file));
    assert!(!sealed::is_sealed(plain), "a bundle is not sealed");
    let header = std::str::from_utf8(&file[..file.iter().position(|&b| b == b'\n').unwrap()])
        .unwrap()
        .to_string();
    for part in [
        r#""format":"sendlog-sealed""#,
        r#""version":1"#,
        r#""contents":"application/json""#,
        r#""name":"PBKDF2-HMAC-SHA-256","iterations":600000"#,
        r#""name":"AES-256-GCM""#,
    ] {
        assert!(header.contains(part), "{part} in {header}");
    }
    assert_eq!(sealed::open(&file).unwrap().contents, Contents::Bundle);
    assert_eq!(unseal(&file, "three random words").unwrap(), plain);
    // The plaintext is nowhere in the file.
    let name = "Zoë Çelik-Şahin".as_bytes();
    assert!(plain.windows(name.len()).any(|w| w == name));
    assert!(!file.windows(name.len()).any(|w| w == name));
}

#[test]
fn a_wrong_passphrase_is_told_apart_from_a_changed_file() {
    let file = seal("three random words", b"the record", QUICK, 1);
    assert_eq!(
        unseal(&file, "three random word"),
        Err(Problem::WrongPassphrase)
    );
    assert_eq!(
        unseal(&file, "Three random words"),
        Err(Problem::WrongPassphrase)
    );
    let mut changed = file.clone();
    *changed.last_mut().unwrap() ^= 1;
    assert_eq!(
        unseal(&changed, "three random words"),
        Err(Problem::Altered)
    );
    // The header is authenticated too: a changed `contents` fails the tag.
    let body = file.iter().position(|&b| b == b'\n').unwrap();
    let header = String::from_utf8(file[..body].to_vec()).unwrap();
    let mut relabelled = header.replace("application/json", "text/csv").into_bytes();
    relabelled.extend_from_slice(&file[body..]);
    assert_eq!(
        unseal(&relabelled, "three random words"),
        Err(Problem::Altered)
    );
}

#[test]
fn a_file_cut_short_says_so_with_its_lengths() {
    let file = seal("three random words", b"0123456789", QUICK, 2);
    let cut = &file[..file.len() - 3];
    assert_eq!(
        unseal(cut, "anything at all"),
        Err(Problem::CutShort {
            expected: 26,
            found: 23
        })
    );
    let header_only = &file[..40];
    assert!(matches!(
        sealed::open(header_only),
        Err(Problem::DamagedHeader(_))
    ));
}

#[test]
fn a_file_from_a_newer_format_or_with_impossible_work_is_refused_before_any() {
    let file = seal("three random words", b"x", QUICK, 3);
    let text = String::from_utf8_lossy(&file).to_string();
    let newer = text.replace(r#""version":1"#, r#""version":2"#);
    assert_eq!(sealed::open(newer.as_bytes()), Err(Problem::Newer(2)));
    let endless = text.replace("600000", "4000000000");
    assert!(matches!(
        sealed::open(endless.as_bytes()),
        Err(Problem::DamagedHeader(_))
    ));
    let weak = text.replace("600000", "1000");
    assert!(matches!(
        sealed::open(weak.as_bytes()),
        Err(Problem::DamagedHeader(_))
    ));
}

#[test]
fn passphrases_are_measured_in_characters_and_variety() {
    assert_eq!(sealed::strength(""), Strength::TooShort);
    assert_eq!(sealed::strength("short words"), Strength::TooShort);
    // Twelve characters of Greek are 24 bytes but still twelve characters.
    assert_eq!(sealed::strength("αβγδεζηθικλ"), Strength::TooShort);
    assert_eq!(sealed::strength("αβγδεζηθικλμ"), Strength::Fair);
    assert_eq!(
        sealed::strength("aaaaaaaaaaaaaaaaaaaaaa"),
        Strength::TooSimple
    );
    assert_eq!(sealed::strength("121212121212"), Strength::TooSimple);
    assert_eq!(sealed::strength("Dydd Llun glaw"), Strength::Fair);
    assert_eq!(sealed::strength("ığdır şehri çok güzel"), Strength::Strong);
    assert_eq!(sealed::strength("cat sat mat hat"), Strength::Fair);
    assert_eq!(sealed::strength("cat sat on the mat"), Strength::Strong);
    assert!(!Strength::TooSimple.accepted());
    assert!(Strength::Fair.accepted());
}

#[test]
fn an_encrypted_file_is_named_for_its_export() {
    assert_eq!(
        sealed::file_name("sendlog-record-2026-12-02.json"),
        "sendlog-record-2026-12-02.sendlog"
    );
    assert_eq!(
        sealed::file_name("sendlog-action-log-2026-12-02-one-pupil.csv"),
        "sendlog-action-log-2026-12-02-one-pupil.sendlog"
    );
}

/// One file for the property tests, sealed once (each sealing derives a key).
static SEALED: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
    seal(
        "three random words",
        "{\"pupils\":[\"Ewa Wiśniewska\"]}".as_bytes(),
        QUICK,
        4,
    )
});

fn cases(default: u32) -> ProptestConfig {
    ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(default),
    )
}

proptest! {
    #![proptest_config(cases(24))]

    /// Any one byte changed anywhere (header or body) and the file never opens as something
    /// else: it is refused, and a changed body is refused as changed.
    #[test]
    fn a_changed_byte_anywhere_is_refused(at in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let passphrase = "three random words";
        let file = &*SEALED;
        let at = at.index(file.len());
        let mut changed = file.clone();
        changed[at] ^= flip;
        let body = file.iter().position(|&b| b == b'\n').unwrap() + 1;
        let result = unseal(&changed, passphrase);
        prop_assert!(result.is_err(), "byte {} changed and opened", at);
        if at >= body {
            prop_assert_eq!(result, Err(Problem::Altered));
        }
    }

    /// A file cut off at any length is refused, never opened and never a panic.
    #[test]
    fn a_file_cut_anywhere_is_refused(keep in any::<prop::sample::Index>()) {
        let file = &*SEALED;
        let keep = keep.index(file.len());
        let result = sealed::open(&file[..keep]);
        prop_assert!(
            matches!(result, Err(Problem::CutShort { .. } | Problem::DamagedHeader(_))),
            "{:?}",
            result
        );
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// Reading any bytes apart never panics (the fuzz target `sealed` runs the same).
    #[test]
    fn any_bytes_are_read_apart_without_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        sendlog_core::hostile::sealed(&bytes);
    }

    #[test]
    fn any_passphrase_is_measured_without_a_panic(text in ".{0,40}") {
        let strength = sealed::strength(&text);
        prop_assert_eq!(strength == Strength::TooShort, text.chars().count() < 12);
    }
}
