//! Known-answer tests: every vector in `tests/fixtures/callback.json` (official WeCom vectors
//! A and B, wechatpy's W, and the derived full-pad vector D; sources are named in the file),
//! and in `seal` those of the other half: sealing callbacks and opening replies.

use serde::Deserialize;
use wecom_msgcrypt::{Error, MsgCrypt, signature};

mod seal;

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    kind: String,
    token: String,
    encoding_aes_key: String,
    receive_id: String,
    msg_signature: String,
    timestamp: String,
    nonce: String,
    encrypt: String,
    expected_msg: String,
    expected_receive_id: String,
    pad_len: usize,
    body: Option<String>,
    random_prefix: Option<String>,
}

fn cases() -> Vec<Case> {
    let raw = include_str!("../fixtures/callback.json");
    let fixture: Fixture = serde_json::from_str(raw).expect("fixture parses");
    assert_eq!(fixture.cases.len(), 9, "every vector is present");
    fixture.cases
}

fn crypt(case: &Case) -> MsgCrypt {
    MsgCrypt::new(&case.token, &case.encoding_aes_key, &case.receive_id)
        .expect("vector keys are valid")
}

fn xml_body(encrypt: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID>1</AgentID></xml>"
    )
}

#[test]
fn every_signature_matches() {
    for case in cases() {
        let sig = signature(&case.token, &case.timestamp, &case.nonce, &case.encrypt);
        assert_eq!(sig.as_str(), case.msg_signature, "{}", case.name);
        assert!(sig.matches(&case.msg_signature), "{}", case.name);
    }
}

#[test]
fn every_vector_decrypts_to_the_expected_message_and_receive_id() {
    for case in cases() {
        let crypt = crypt(&case);
        let decrypted = crypt
            .decrypt_verified(&case.msg_signature, &case.timestamp, &case.nonce, &case.encrypt)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(decrypted.message, case.expected_msg, "{}", case.name);
        assert_eq!(decrypted.receive_id, case.expected_receive_id, "{}", case.name);

        // The pad length recorded in the vector is what lies between the content and the end.
        let raw = base64_simd::STANDARD.decode_to_vec(&case.encrypt).unwrap();
        let content = 20 + case.expected_msg.len() + case.expected_receive_id.len();
        assert_eq!(raw.len() - content, case.pad_len, "{}", case.name);
    }
}

#[test]
fn url_verification_vectors() {
    let mut seen = 0;
    for case in cases().iter().filter(|c| c.kind == "url_verify") {
        let echo = crypt(case)
            .verify_url(&case.msg_signature, &case.timestamp, &case.nonce, &case.encrypt)
            .unwrap();
        assert_eq!(echo, case.expected_msg, "{}", case.name);
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[test]
fn post_vectors_decrypt_from_the_raw_body() {
    let mut seen = 0;
    for case in cases().iter().filter(|c| c.kind == "xml_post" || c.kind == "json_post") {
        let body = case.body.clone().unwrap_or_else(|| xml_body(&case.encrypt));
        let message = crypt(case)
            .decrypt_post(&case.msg_signature, &case.timestamp, &case.nonce, body.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(message, case.expected_msg, "{}", case.name);
        seen += 1;
    }
    assert_eq!(seen, 4, "A-post, B-post, B-json, W-post");
}

#[test]
fn deterministic_encrypt_vectors_match_byte_for_byte() {
    let mut seen = 0;
    for case in cases().iter().filter(|c| c.kind == "reply") {
        let random: [u8; 16] = case.random_prefix.as_ref().unwrap().as_bytes().try_into().unwrap();
        let crypt = crypt(case);
        let reply = crypt
            .encrypt_with_random(&case.expected_msg, &case.timestamp, &case.nonce, random)
            .unwrap();
        assert_eq!(reply.encrypt, case.encrypt, "{}", case.name);
        assert_eq!(reply.msg_signature.as_str(), case.msg_signature, "{}", case.name);

        let xml = crypt
            .encrypt_reply_with_random(&case.expected_msg, &case.timestamp, &case.nonce, random)
            .unwrap();
        assert_eq!(
            xml,
            format!(
                "<xml><Encrypt><![CDATA[{}]]></Encrypt><MsgSignature><![CDATA[{}]]></MsgSignature><TimeStamp>{}</TimeStamp><Nonce><![CDATA[{}]]></Nonce></xml>",
                case.encrypt, case.msg_signature, case.timestamp, case.nonce
            ),
            "{}",
            case.name
        );
        assert_eq!(reply.to_xml(), xml, "{}", case.name);
        seen += 1;
    }
    assert_eq!(seen, 2, "W-reply and D-fullpad");
}

fn a_post() -> Case {
    cases().into_iter().find(|c| c.name == "A-post").unwrap()
}

#[test]
fn tampering_with_any_signed_input_fails_the_signature() {
    let case = a_post();
    let crypt = crypt(&case);
    let body = case.body.clone().unwrap();

    // A flipped byte in the ciphertext (inside the body).
    let flipped = body.replacen("RypEvHKD8", "RypEvHKD9", 1);
    assert_eq!(
        crypt.decrypt_post(&case.msg_signature, &case.timestamp, &case.nonce, flipped.as_bytes()),
        Err(Error::SignatureMismatch)
    );
    // A flipped signature digit.
    let mut sig = case.msg_signature.clone().into_bytes();
    sig[39] = if sig[39] == b'3' { b'4' } else { b'3' };
    let sig = String::from_utf8(sig).unwrap();
    assert_eq!(
        crypt.decrypt_post(&sig, &case.timestamp, &case.nonce, body.as_bytes()),
        Err(Error::SignatureMismatch)
    );
    // Timestamp and nonce are covered too.
    assert_eq!(
        crypt.decrypt_post(&case.msg_signature, "1409659814", &case.nonce, body.as_bytes()),
        Err(Error::SignatureMismatch)
    );
    assert_eq!(
        crypt.decrypt_post(&case.msg_signature, &case.timestamp, "1372623148", body.as_bytes()),
        Err(Error::SignatureMismatch)
    );
    // So is the token.
    let other = MsgCrypt::new("QDG6eL", &case.encoding_aes_key, &case.receive_id).unwrap();
    assert_eq!(
        other.decrypt_post(&case.msg_signature, &case.timestamp, &case.nonce, body.as_bytes()),
        Err(Error::SignatureMismatch)
    );
}

#[test]
fn a_correctly_signed_but_altered_ciphertext_is_still_rejected() {
    let case = a_post();
    let crypt = crypt(&case);
    // Flip one bit in the last cipher block: CBC garbles the final plaintext block, which
    // holds the padding.
    let mut raw = base64_simd::STANDARD.decode_to_vec(&case.encrypt).unwrap();
    let n = raw.len();
    raw[n - 17] ^= 0x01;
    let encrypt = base64_simd::STANDARD.encode_to_string(&raw);
    let sig = crypt.sign(&case.timestamp, &case.nonce, &encrypt);
    let err =
        crypt.decrypt_verified(sig.as_str(), &case.timestamp, &case.nonce, &encrypt).unwrap_err();
    assert!(matches!(err, Error::IllegalBuffer(_)), "{err:?}");
}

#[test]
fn wrong_receive_id_is_rejected_with_both_ids_named() {
    let case = a_post();
    let crypt = MsgCrypt::new(&case.token, &case.encoding_aes_key, "ww0000000000000000").unwrap();
    let err = crypt
        .decrypt_verified(&case.msg_signature, &case.timestamp, &case.nonce, &case.encrypt)
        .unwrap_err();
    assert_eq!(
        err,
        Error::ReceiveIdMismatch {
            expected: "ww0000000000000000".into(),
            found: "wx5823bf96d3bd56c7".into()
        }
    );
    assert_eq!(err.code(), -40005);
    // A prefix of the right id is not the right id.
    let prefix = MsgCrypt::new(&case.token, &case.encoding_aes_key, "wx5823bf96d3bd56c").unwrap();
    assert!(matches!(prefix.decrypt(&case.encrypt), Err(Error::ReceiveIdMismatch { .. })));
}

#[test]
fn wrong_key_fails_cleanly() {
    let case = a_post();
    // Same token (so the signature verifies), different key.
    let crypt =
        MsgCrypt::new(&case.token, "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", &case.receive_id)
            .unwrap();
    let err = crypt
        .decrypt_verified(&case.msg_signature, &case.timestamp, &case.nonce, &case.encrypt)
        .unwrap_err();
    assert!(matches!(err, Error::IllegalBuffer(_)), "{err:?}");
    assert_eq!(err.code(), -40008);
}

#[test]
fn non_canonical_base64_is_rejected() {
    let case = a_post();
    let crypt = crypt(&case);
    let good = case.encrypt.as_str();
    let variants = [
        good.trim_end_matches('='), // missing padding
        &format!("{good}="),        // extra padding
        &format!(" {good}"),        // stray whitespace
        &format!("{}\n{}", &good[..10], &good[10..]),
        &good.replace('+', "-"), // URL-safe alphabet
        &good.replace('/', "_"),
    ];
    for encrypt in variants {
        let sig = crypt.sign(&case.timestamp, &case.nonce, encrypt);
        let err = crypt
            .decrypt_verified(sig.as_str(), &case.timestamp, &case.nonce, encrypt)
            .unwrap_err();
        assert!(matches!(err, Error::Base64(_)), "{encrypt:?} gave {err:?}");
        assert_eq!(err.code(), -40010);
    }
    // Non-zero trailing bits before the padding: "…Q==" is canonical, "…R==" is not.
    let echo =
        "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqR==";
    let sig = crypt.sign("1", "2", echo);
    assert!(matches!(crypt.decrypt_verified(sig.as_str(), "1", "2", echo), Err(Error::Base64(_))));
}

#[test]
fn ciphertext_must_be_whole_32_byte_blocks() {
    let case = a_post();
    let crypt = crypt(&case);
    let raw = base64_simd::STANDARD.decode_to_vec(&case.encrypt).unwrap();
    for len in [0usize, 16, 48, raw.len() - 16] {
        let encrypt = base64_simd::STANDARD.encode_to_string(&raw[..len]);
        assert_eq!(crypt.decrypt(&encrypt), Err(Error::CiphertextLength(len)), "len {len}");
    }
}

#[test]
fn errors_map_to_official_codes() {
    let case = a_post();
    let crypt = crypt(&case);
    assert_eq!(crypt.decrypt_post("x", "1", "2", b"<xml></xml>").unwrap_err().code(), -40002);
    assert_eq!(
        crypt
            .decrypt_post("x", "1", "2", b"<xml><Encrypt>QUJD</Encrypt></xml>")
            .unwrap_err()
            .code(),
        -40001
    );
    assert_eq!(MsgCrypt::new("t", "short", "r").unwrap_err().code(), -40004);
}

#[test]
fn unchecked_receive_id_reports_what_was_found() {
    let case = a_post();
    let crypt = MsgCrypt::with_receive_id_check(
        &case.token,
        &case.encoding_aes_key,
        wecom_msgcrypt::ReceiveIdCheck::Unchecked,
    )
    .unwrap();
    let d = crypt.decrypt(&case.encrypt).unwrap();
    assert_eq!(d.receive_id, "wx5823bf96d3bd56c7");
    // Without a configured receive id, replies cannot be produced.
    assert!(matches!(crypt.encrypt("x", "1", "2"), Err(Error::ReplyField(_))));
}

#[test]
fn reply_fields_that_could_break_the_xml_are_refused() {
    let case = a_post();
    let crypt = crypt(&case);
    for (ts, nonce) in [("", "1"), ("12a", "1"), ("1", ""), ("1", "]]><x>"), ("1", "a b")] {
        assert!(
            matches!(crypt.encrypt_reply("m", ts, nonce), Err(Error::ReplyField(_))),
            "{ts:?} {nonce:?}"
        );
    }
}

#[test]
fn debug_output_hides_the_secrets() {
    let case = a_post();
    let shown = format!("{:?}", crypt(&case));
    assert!(!shown.contains(&case.token), "{shown}");
    assert!(!shown.contains(&case.encoding_aes_key), "{shown}");
    assert!(shown.contains(&case.receive_id), "{shown}");
}
