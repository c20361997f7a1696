//! The payload cipher: AES-256-CBC with IV = key[0..16], PKCS#7 padding to 32-byte blocks,
//! and WeCom's plaintext layout `random(16) ‖ msg_len(u32 BE) ‖ msg ‖ receive_id ‖ pad`.
//!
//! Decryption is strict where other implementations are lax: canonical Base64 only, a
//! ciphertext of whole 32-byte blocks, pad length in `1..=32` with every pad byte equal, a
//! length field that fits, UTF-8 message and receive id. Each failure has its own error.

use aes::Aes256;
use aes::cipher::array::Array;
use aes::cipher::consts::U16;
use aes::cipher::{
    BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt, BlockModeDecrypt,
    BlockSizeUser, InnerIvInit, KeyInit,
};
use base64_simd::STANDARD;

use crate::error::{BufferProblem, Error};
use crate::key::AesKey;

/// WeCom pads to 32 bytes, not to the AES block size.
pub(crate) const PAD_BLOCK: usize = 32;
const PREFIX: usize = 16 + 4;

/// AES-256 with its expanded key schedules, ready for CBC in both directions.
///
/// The `aes` crate picks AES-NI (or ARMv8 AES) at run time and wipes the key schedule on drop.
#[derive(Clone)]
pub(crate) struct Cipher {
    aes: Aes256,
    iv: Array<u8, aes::cipher::consts::U16>,
}

/// A decrypted payload, still in its decryption buffer.
pub(crate) struct Plaintext<'a> {
    buf: &'a [u8],
    msg_end: usize,
    content_end: usize,
}

/// Scratch buffers above this capacity are given back after use instead of kept.
const SCRATCH_KEEP: usize = 64 * 1024;

thread_local! {
    /// Each thread's working buffer for one payload: the Base64-decoded ciphertext while
    /// decrypting, the laid-out plaintext while encrypting. Reusing it saves an allocation and
    /// a free of a ~1 KiB block per message (beyond the allocator's per-thread cache).
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's empty scratch buffer (a fresh one if it is already in use).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    SCRATCH.with(|cell| {
        let Ok(mut buf) = cell.try_borrow_mut() else {
            return f(&mut Vec::new());
        };
        buf.clear();
        let out = f(&mut buf);
        if buf.capacity() > SCRATCH_KEEP {
            *buf = Vec::new();
        }
        out
    })
}

impl Plaintext<'_> {
    /// The receive id carried after the message.
    pub(crate) fn receive_id(&self) -> Result<&str, Error> {
        std::str::from_utf8(&self.buf[self.msg_end..self.content_end])
            .map_err(|_| Error::IllegalBuffer(BufferProblem::ReceiveIdUtf8))
    }

    /// The message, checked with a SIMD UTF-8 validator (the standard library's scalar check
    /// is slow on the Chinese text of real traffic) and copied out of the buffer.
    pub(crate) fn message(&self) -> Result<String, Error> {
        simdutf8::basic::from_utf8(&self.buf[PREFIX..self.msg_end])
            .map(str::to_owned)
            .map_err(|_| Error::IllegalBuffer(BufferProblem::MessageUtf8))
    }
}

impl Cipher {
    pub(crate) fn new(key: &AesKey) -> Self {
        let aes = Aes256::new(&Array::from(*key.expose()));
        Self { aes, iv: Array::from(key.iv()) }
    }

    /// Base64-decodes `encrypt` into `buf` (which must be empty), decrypts and unpads it there,
    /// checking the plaintext layout.
    pub(crate) fn decrypt<'a>(
        &self,
        encrypt: &str,
        buf: &'a mut Vec<u8>,
    ) -> Result<Plaintext<'a>, Error> {
        // SIMD decoding; the STANDARD engine requires `=` padding and zero trailing bits, and
        // rejects any byte outside the standard alphabet (whitespace included).
        STANDARD
            .decode_append(encrypt, buf)
            .map_err(|_| Error::Base64("not canonical standard Base64 with `=` padding".into()))?;
        if buf.is_empty() || !buf.len().is_multiple_of(PAD_BLOCK) {
            return Err(Error::CiphertextLength(buf.len()));
        }
        let (blocks, rest) = Array::slice_as_chunks_mut(buf);
        debug_assert!(rest.is_empty());
        // CBC over a reference: no copy of the key schedules per message.
        cbc::Decryptor::<&Aes256>::inner_iv_init(&self.aes, &self.iv).decrypt_blocks(blocks);

        let pad = buf[buf.len() - 1];
        if pad == 0 || usize::from(pad) > PAD_BLOCK {
            return Err(Error::IllegalBuffer(BufferProblem::PadLength(pad)));
        }
        let content_end = buf.len() - usize::from(pad);
        // Check every pad byte without an early exit.
        let diff = buf[content_end..].iter().fold(0u8, |acc, &b| acc | (b ^ pad));
        if diff != 0 {
            return Err(Error::IllegalBuffer(BufferProblem::PadBytes));
        }
        if content_end < PREFIX {
            return Err(Error::IllegalBuffer(BufferProblem::TooShort));
        }
        let claimed = u32::from_be_bytes([buf[16], buf[17], buf[18], buf[19]]);
        let available = content_end - PREFIX;
        let msg_len = usize::try_from(claimed).unwrap_or(usize::MAX);
        if msg_len > available {
            return Err(Error::IllegalBuffer(BufferProblem::LengthField { claimed, available }));
        }
        Ok(Plaintext { buf, msg_end: PREFIX + msg_len, content_end })
    }

    /// Lays out, pads and encrypts `msg`, appending the Base64 ciphertext to `out`.
    pub(crate) fn encrypt_into(
        &self,
        random: &[u8; 16],
        msg: &[u8],
        receive_id: &[u8],
        out: &mut String,
    ) -> Result<(), Error> {
        with_scratch(|buf| self.encrypt_with(random, msg, receive_id, buf, out))
    }

    fn encrypt_with(
        &self,
        random: &[u8; 16],
        msg: &[u8],
        receive_id: &[u8],
        buf: &mut Vec<u8>,
        out: &mut String,
    ) -> Result<(), Error> {
        let msg_len =
            u32::try_from(msg.len()).map_err(|_| Error::ReplyField("message longer than 4 GiB"))?;
        let content = PREFIX + msg.len() + receive_id.len();
        let pad = PAD_BLOCK - content % PAD_BLOCK;
        buf.reserve(content + pad);
        buf.extend_from_slice(random);
        buf.extend_from_slice(&msg_len.to_be_bytes());
        buf.extend_from_slice(msg);
        buf.extend_from_slice(receive_id);
        // `pad` is in 1..=32, so it fits a byte.
        #[allow(clippy::cast_possible_truncation)]
        buf.resize(content + pad, pad as u8);
        let (blocks, rest) = Array::slice_as_chunks_mut(buf);
        debug_assert!(rest.is_empty());
        self.aes.encrypt_with_backend(CbcEncrypt { iv: &self.iv, blocks });
        STANDARD.encode_append(&*buf, out);
        Ok(())
    }
}

/// CBC encryption over the cipher's one-block backend, the chaining value held in a local.
///
/// `cbc::Encryptor` keeps its chaining value behind a `&mut` that may alias the output blocks,
/// so the compiler stores it after every block and loads it back before the next one: a
/// store-to-load forwarding delay on the serial dependency chain that CBC encryption is (a
/// 1 KiB reply took 1.85 µs with it, 1.77 µs without; docs/PERFORMANCE.md). A local stays in a
/// register. The IV (key material in this scheme) is borrowed, not copied, and the local holds
/// it only until the first block is mixed in. Decryption, whose blocks run in parallel, keeps
/// `cbc::Decryptor`; the tests check this loop against `cbc::Encryptor` and a NIST vector.
struct CbcEncrypt<'a> {
    iv: &'a Array<u8, U16>,
    blocks: &'a mut [Array<u8, U16>],
}

impl BlockSizeUser for CbcEncrypt<'_> {
    type BlockSize = U16;
}

impl BlockCipherEncClosure for CbcEncrypt<'_> {
    // Must inline into the backend's `#[target_feature]` function, or the AES rounds become
    // calls: the `cipher` crate marks its own closures the same way.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        let mut chain = *self.iv;
        for block in self.blocks {
            for (c, b) in chain.iter_mut().zip(block.iter()) {
                *c ^= *b;
            }
            backend.encrypt_block_inplace(&mut chain);
            *block = chain;
        }
    }
}

/// The exact Base64 length of a ciphertext for a message and receive id of these lengths.
pub(crate) fn encrypted_len(msg_len: usize, receive_id_len: usize) -> usize {
    let content = PREFIX + msg_len + receive_id_len;
    let padded = content + (PAD_BLOCK - content % PAD_BLOCK);
    padded.div_ceil(3) * 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::BlockModeEncrypt;

    fn from_hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// NIST SP 800-38A, F.2.5 (CBC-AES256.Encrypt): four blocks chained from a given IV.
    #[test]
    fn cbc_encrypt_matches_the_nist_vector() {
        let key = from_hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        let iv = from_hex("000102030405060708090a0b0c0d0e0f");
        let mut buf = from_hex(concat!(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
            "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
        ));
        let aes = Aes256::new(&Array::try_from(key.as_slice()).unwrap());
        let (blocks, _) = Array::slice_as_chunks_mut(&mut buf);
        aes.encrypt_with_backend(CbcEncrypt {
            iv: &Array::try_from(iv.as_slice()).unwrap(),
            blocks,
        });
        assert_eq!(
            buf,
            from_hex(concat!(
                "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d",
                "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"
            ))
        );
    }

    /// The local-chained loop gives what `cbc::Encryptor` gives, for 1 to 80 blocks.
    #[test]
    fn cbc_encrypt_matches_the_cbc_crate() {
        let c = cipher();
        for n in 1..=80usize {
            #[allow(clippy::cast_possible_truncation)]
            let plain: Vec<u8> = (0..n * 16).map(|i| (i * 31 + n) as u8).collect();
            let mut ours = plain.clone();
            let (blocks, _) = Array::slice_as_chunks_mut(&mut ours);
            c.aes.encrypt_with_backend(CbcEncrypt { iv: &c.iv, blocks });
            let mut theirs = plain;
            let (blocks, _) = Array::slice_as_chunks_mut(&mut theirs);
            cbc::Encryptor::<&Aes256>::inner_iv_init(&c.aes, &c.iv).encrypt_blocks(blocks);
            assert_eq!(ours, theirs, "{n} blocks");
        }
    }

    fn cipher() -> Cipher {
        Cipher::new(
            &AesKey::from_encoding_aes_key("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").unwrap(),
        )
    }

    /// Encrypts `plaintext` as is (it must already be whole blocks): lets tests build
    /// plaintexts that a correct encryptor would never produce.
    fn encrypt_raw(cipher: &Cipher, plaintext: &[u8]) -> String {
        let mut buf = plaintext.to_vec();
        let (blocks, rest) = Array::slice_as_chunks_mut(&mut buf);
        assert!(rest.is_empty());
        cbc::Encryptor::<Aes256>::inner_iv_init(cipher.aes.clone(), &cipher.iv)
            .encrypt_blocks(blocks);
        STANDARD.encode_to_string(&buf)
    }

    fn layout(msg: &[u8], rid: &[u8], claimed: u32, pad: u8, pad_len: usize) -> Vec<u8> {
        let mut p = vec![b'r'; 16];
        p.extend_from_slice(&claimed.to_be_bytes());
        p.extend_from_slice(msg);
        p.extend_from_slice(rid);
        p.extend(std::iter::repeat_n(pad, pad_len));
        p
    }

    fn decrypt_err(plaintext: &[u8]) -> Error {
        let c = cipher();
        let mut buf = Vec::new();
        match c.decrypt(&encrypt_raw(&c, plaintext), &mut buf) {
            Ok(p) => match p.receive_id() {
                Ok(_) => p.message().unwrap_err(),
                Err(e) => e,
            },
            Err(e) => e,
        }
    }

    #[test]
    fn well_formed_plaintext_decrypts() {
        let c = cipher();
        let mut buf = Vec::new();
        let p = c.decrypt(&encrypt_raw(&c, &layout(b"hello", b"corp", 5, 3, 3)), &mut buf).unwrap();
        assert_eq!(p.receive_id().unwrap(), "corp");
        assert_eq!(p.message().unwrap(), "hello");
    }

    #[test]
    fn pad_length_must_be_1_to_32() {
        // 16 + 4 + 5 + 3 = 28 bytes of content, then four bytes whose last is not a pad length.
        assert_eq!(
            decrypt_err(&layout(b"hello", b"cor", 5, 0, 4)),
            Error::IllegalBuffer(BufferProblem::PadLength(0))
        );
        assert_eq!(
            decrypt_err(&layout(b"hello", b"cor", 5, 33, 4)),
            Error::IllegalBuffer(BufferProblem::PadLength(33))
        );
    }

    #[test]
    fn every_pad_byte_must_equal_the_pad_length() {
        let mut p = layout(b"hello", b"corp", 5, 3, 3);
        let n = p.len();
        p[n - 3] = 2;
        assert_eq!(decrypt_err(&p), Error::IllegalBuffer(BufferProblem::PadBytes));
    }

    #[test]
    fn a_full_pad_block_is_accepted_and_nothing_more() {
        let c = cipher();
        // 16 + 4 + 8 + 4 = 32 bytes of content, then a whole block of 32 × 0x20.
        let mut buf = Vec::new();
        let p = c
            .decrypt(&encrypt_raw(&c, &layout(b"12345678", b"corp", 8, 32, 32)), &mut buf)
            .unwrap();
        assert_eq!(p.message().unwrap(), "12345678");
    }

    #[test]
    fn plaintext_shorter_than_the_header_is_rejected() {
        // 32 bytes, pad 20: 12 bytes of content.
        let p = [[b'r'; 12].as_slice(), &[20u8; 20]].concat();
        assert_eq!(decrypt_err(&p), Error::IllegalBuffer(BufferProblem::TooShort));
    }

    #[test]
    fn length_field_must_fit() {
        assert_eq!(
            decrypt_err(&layout(b"hello", b"corp", 10, 3, 3)),
            Error::IllegalBuffer(BufferProblem::LengthField { claimed: 10, available: 9 })
        );
        assert_eq!(
            decrypt_err(&layout(b"hello", b"corp", u32::MAX, 3, 3)),
            Error::IllegalBuffer(BufferProblem::LengthField { claimed: u32::MAX, available: 9 })
        );
    }

    #[test]
    fn message_and_receive_id_must_be_utf8() {
        assert_eq!(
            decrypt_err(&layout(b"hell\xff", b"corp", 5, 3, 3)),
            Error::IllegalBuffer(BufferProblem::MessageUtf8)
        );
        assert_eq!(
            decrypt_err(&layout(b"hello", b"cor\xff", 5, 3, 3)),
            Error::IllegalBuffer(BufferProblem::ReceiveIdUtf8)
        );
    }

    #[test]
    fn encrypted_len_is_exact() {
        let c = cipher();
        for msg_len in 0..100 {
            let msg = "m".repeat(msg_len);
            let mut out = String::new();
            c.encrypt_into(&[0; 16], msg.as_bytes(), b"corp", &mut out).unwrap();
            assert_eq!(out.len(), encrypted_len(msg_len, 4));
        }
    }
}
