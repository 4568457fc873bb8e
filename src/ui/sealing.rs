//! Encrypting and decrypting an export with a passphrase, by the browser's Web Crypto, in the
//! format core::sealed describes (the key schedule is documented there). Nothing here is
//! stored: the passphrase and the keys live only for the one call.

use crate::core::sealed::{self, Contents, Opened, Problem, Sealing};
use js_sys::{Array, ArrayBuffer, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, CryptoKey, HkdfParams, Pbkdf2Params, SubtleCrypto};

/// Encrypts an export's bytes with `passphrase`: the whole `.sendlog` file.
pub async fn seal(plain: &[u8], passphrase: &str, contents: Contents) -> Result<Vec<u8>, String> {
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or_else(|| Problem::NoCrypto("no crypto".into()).to_string())?;
    let mut salt = [0u8; sealed::SALT_BYTES];
    let mut nonce = [0u8; sealed::NONCE_BYTES];
    crypto
        .get_random_values_with_u8_array(&mut salt)
        .and_then(|_| crypto.get_random_values_with_u8_array(&mut nonce))
        .map_err(|e| refused(&e).to_string())?;
    let sealing = Sealing {
        salt,
        nonce,
        iterations: sealed::ITERATIONS,
        contents,
    };
    let subtle = subtle()?;
    let (key, check) = derive(&subtle, passphrase, &salt, sealing.iterations)
        .await
        .map_err(|e| e.to_string())?;
    let line = sealing.header_line(&check, plain.len() + sealed::TAG_BYTES);
    let params = gcm(&nonce, line.as_bytes());
    let encrypted = promised(subtle.encrypt_with_object_and_u8_array(&params, &key, plain))
        .await
        .map_err(|e| e.to_string())?;
    Ok(sealed::file(&line, &bytes_of(&encrypted)))
}

/// Decrypts a `.sendlog` file with `passphrase`: what it holds, and its bytes.
pub async fn unseal(file: &[u8], passphrase: &str) -> Result<(Contents, Vec<u8>), Problem> {
    let opened: Opened<'_> = sealed::open(file)?;
    let subtle = subtle().map_err(Problem::NoCrypto)?;
    let (key, check) = derive(&subtle, passphrase, &opened.salt, opened.iterations).await?;
    sealed::passphrase_fits(&opened, &check)?;
    let params = gcm(&opened.nonce, opened.header_line);
    // The only way decrypting fails once the key is right is a failed tag: a changed file.
    let plain = promised(subtle.decrypt_with_object_and_u8_array(&params, &key, opened.ciphertext))
        .await
        .map_err(|_| Problem::Altered)?;
    Ok((opened.contents, bytes_of(&plain)))
}

/// Web Crypto's `subtle`, which browsers give only to pages served over https (or localhost).
fn subtle() -> Result<SubtleCrypto, String> {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    let subtle = crypto
        .map(|c| c.subtle())
        .filter(|s| !JsValue::from(s).is_undefined());
    subtle.ok_or_else(|| "the page is not served over https".to_string())
}

/// The AES key and the passphrase check, as core::sealed documents them.
async fn derive(
    subtle: &SubtleCrypto,
    passphrase: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<(CryptoKey, Vec<u8>), Problem> {
    // The same passphrase typed on an iPad and on Windows can arrive in different Unicode forms
    // (an accent as its own character or not): NFC makes them one.
    let normalised = js_sys::JsString::from(passphrase)
        .normalize("NFC")
        .as_string()
        .unwrap_or_else(|| passphrase.to_string());
    let passphrase_key = import(subtle, normalised.as_bytes(), "PBKDF2", &["deriveBits"]).await?;
    let pbkdf2 = Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &array(salt));
    let master = promised(subtle.derive_bits_with_object(&pbkdf2, &passphrase_key, 256)).await?;
    let master = import(subtle, &bytes_of(&master), "HKDF", &["deriveBits"]).await?;
    let expand = |info: &str, bits: u32| {
        let params =
            HkdfParams::new_with_str("HKDF", "SHA-256", &array(info.as_bytes()), &array(&[]));
        subtle.derive_bits_with_object(&params, &master, bits)
    };
    let key_bits = promised(expand(sealed::KEY_INFO, 256)).await?;
    let check = promised(expand(sealed::CHECK_INFO, 8 * sealed::CHECK_BYTES as u32)).await?;
    let key = import(
        subtle,
        &bytes_of(&key_bits),
        "AES-GCM",
        &["encrypt", "decrypt"],
    )
    .await?;
    Ok((key, bytes_of(&check)))
}

/// Imports raw bytes as a key for `algorithm`, for `usages` only; never extractable.
async fn import(
    subtle: &SubtleCrypto,
    raw: &[u8],
    algorithm: &str,
    usages: &[&str],
) -> Result<CryptoKey, Problem> {
    let usages: Array = usages.iter().map(|u| JsValue::from_str(u)).collect();
    let key =
        promised(subtle.import_key_with_str("raw", &array(raw), algorithm, false, &usages)).await?;
    Ok(key.unchecked_into())
}

fn gcm(nonce: &[u8], header_line: &[u8]) -> AesGcmParams {
    let params = AesGcmParams::new("AES-GCM", &array(nonce));
    params.set_additional_data(&array(header_line));
    params.set_tag_length(8 * sealed::TAG_BYTES as u8);
    params
}

/// A copy of `bytes` as a JavaScript array, which Web Crypto takes as a buffer source.
fn array(bytes: &[u8]) -> Object {
    Uint8Array::from(bytes).into()
}

fn bytes_of(buffer: &JsValue) -> Vec<u8> {
    match buffer.dyn_ref::<ArrayBuffer>() {
        Some(buffer) => Uint8Array::new(buffer).to_vec(),
        None => Vec::new(),
    }
}

async fn promised(call: Result<js_sys::Promise, JsValue>) -> Result<JsValue, Problem> {
    JsFuture::from(call.map_err(|e| refused(&e))?)
        .await
        .map_err(|e| refused(&e))
}

fn refused(e: &JsValue) -> Problem {
    let name = js_sys::Reflect::get(e, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string());
    Problem::NoCrypto(name.unwrap_or_else(|| format!("{e:?}")))
}
