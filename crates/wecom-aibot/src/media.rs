//! Downloading and decrypting the pictures and files members send.
//!
//! The URL in an `image`/`file`/`video` message (valid 5 minutes) serves the file encrypted
//! with AES-256-CBC, IV = key\[0..16\], PKCS#7 padding to 32 bytes, and nothing else: no
//! random prefix, no length, no receive id. The key is the bot's EncodingAESKey in HTTP mode
//! and the message's own `aeskey` in WebSocket mode (43 Base64 characters, `=` optional).
//!
//! [`download`] streams the body through the cipher and stops as soon as it passes the size
//! limit; [`decrypt`] does the same for bytes already in memory.

use aes::Aes256;
use aes::cipher::array::Array;
use aes::cipher::{BlockModeDecrypt, KeyIvInit};
use futures::StreamExt;

use crate::error::Error;

/// A file's key, from an EncodingAESKey or a message's `aeskey`. `Debug` hides it.
///
/// Decoded here rather than with `wecom_msgcrypt::AesKey`: that type accepts only the
/// `[A-Za-z0-9]` EncodingAESKeys the admin console issues, while per-file `aeskey`s use the
/// whole Base64 alphabet (`+`, `/`).
#[derive(Clone)]
pub struct MediaKey([u8; 32]);

impl Drop for MediaKey {
    fn drop(&mut self) {
        // Best effort without an extra dependency: overwrite the key bytes.
        self.0 = [0; 32];
        std::hint::black_box(&self.0);
    }
}

impl std::fmt::Debug for MediaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MediaKey(<redacted>)")
    }
}

impl MediaKey {
    /// Parses a 43-character key (a trailing `=` is accepted); it must decode to 32 bytes.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] (the key itself is not included).
    pub fn parse(key: &str) -> Result<Self, Error> {
        let key = key.trim().trim_end_matches('=');
        let bad = || Error::InvalidArgument("aeskey: not 43 Base64 characters for 32 bytes".into());
        if key.len() != 43 {
            return Err(bad());
        }
        // 43 characters carry 2 spare bits; like the official SDKs, ignore them.
        let mut text = [0u8; 44];
        text[..43].copy_from_slice(key.as_bytes());
        let charset = base64_simd::STANDARD.charset();
        let last = charset.iter().position(|&c| c == text[42]).ok_or_else(bad)?;
        text[42] = charset[last & !0b11];
        text[43] = b'=';
        let mut out = [0u8; 32];
        let n = base64_simd::STANDARD
            .decode(&text, base64_simd::Out::from_slice(&mut out))
            .map_err(|_| bad())?
            .len();
        if n != 32 {
            return Err(bad());
        }
        Ok(MediaKey(out))
    }
}

/// Streaming CBC decryption with padding removed at the end.
struct Decrypt {
    cipher: cbc::Decryptor<Aes256>,
    pending: Vec<u8>,
    out: Vec<u8>,
    limit: usize,
}

const BLOCK: usize = 16;
const PAD_BLOCK: usize = 32;

impl Decrypt {
    fn new(key: &MediaKey, limit: usize) -> Self {
        let k = &key.0;
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&k[..16]);
        let cipher = cbc::Decryptor::<Aes256>::new(&Array::from(*k), &Array::from(iv));
        Decrypt { cipher, pending: Vec::new(), out: Vec::new(), limit }
    }

    fn update(&mut self, chunk: &[u8]) -> Result<(), Error> {
        // The ciphertext is at most the plaintext plus one pad block.
        if self.out.len() + self.pending.len() + chunk.len() > self.limit + PAD_BLOCK {
            return Err(Error::MediaTooLarge { limit: self.limit });
        }
        self.pending.extend_from_slice(chunk);
        let whole = self.pending.len() / BLOCK * BLOCK;
        if whole > 0 {
            let start = self.out.len();
            self.out.extend_from_slice(&self.pending[..whole]);
            self.pending.drain(..whole);
            let (blocks, _) = Array::slice_as_chunks_mut(&mut self.out[start..]);
            self.cipher.decrypt_blocks(blocks);
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<u8>, Error> {
        let bad = |what: &str| Error::Decode(format!("encrypted media: {what}"));
        if !self.pending.is_empty()
            || self.out.is_empty()
            || !self.out.len().is_multiple_of(PAD_BLOCK)
        {
            return Err(bad("length is not a whole number of 32-byte blocks"));
        }
        let pad = usize::from(self.out[self.out.len() - 1]);
        if pad == 0
            || pad > PAD_BLOCK
            || self.out[self.out.len() - pad..].iter().any(|&b| usize::from(b) != pad)
        {
            return Err(bad("bad padding (wrong key?)"));
        }
        self.out.truncate(self.out.len() - pad);
        if self.out.len() > self.limit {
            return Err(Error::MediaTooLarge { limit: self.limit });
        }
        Ok(self.out)
    }
}

/// Decrypts a whole encrypted file already in memory.
///
/// ```
/// use wecom_aibot::media::{MediaKey, decrypt};
///
/// // Synthetic vector V1 of the protocol reference.
/// let key = MediaKey::parse("/mKHgCuXxPAxU1Elvz8FDZ3LKHPsrjAGi21oKW7TeAc")?;
/// let cipher = base64_simd::STANDARD.decode_to_vec("+dluxs/hhda6f/n7PUsKtv8nQaBrX3ACpLHOSMG+5VE=").unwrap();
/// assert_eq!(decrypt(&key, &cipher, 1024)?, b"Hello, WeCom AI bot!\n");
/// # Ok::<(), wecom_aibot::Error>(())
/// ```
///
/// # Errors
/// [`Error::MediaTooLarge`] past `limit` bytes, [`Error::Decode`] for a bad length or padding.
pub fn decrypt(key: &MediaKey, encrypted: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
    let mut d = Decrypt::new(key, limit);
    d.update(encrypted)?;
    d.finish()
}

/// Downloads `url` with a plain GET and decrypts it as it arrives, refusing more than
/// `limit` plaintext bytes (checked against `Content-Length` first, then while reading).
///
/// # Errors
/// [`Error::Transport`] (without the URL) or an HTTP status error, [`Error::MediaTooLarge`],
/// [`Error::Decode`].
pub async fn download(
    client: &reqwest::Client,
    url: &str,
    key: &MediaKey,
    limit: usize,
) -> Result<Vec<u8>, Error> {
    let response = client
        .get(url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| Error::transport(&e.without_url()))?;
    if response.content_length().is_some_and(|n| n > (limit + PAD_BLOCK) as u64) {
        return Err(Error::MediaTooLarge { limit });
    }
    let mut d = Decrypt::new(key, limit);
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| Error::transport(&e.without_url()))?;
        d.update(&chunk)?;
    }
    d.finish()
}
