//! Known-answer tests of the other half of the protocol — sealing callbacks, opening replies —
//! on the official vectors of `fixtures/callback.json` (random prefixes from the WeCom crypto
//! documentation, as listed in the project's protocol notes) and the AI-bot vectors of
//! `fixtures/aibot.json` (JSON envelopes, empty receive id; sources named in the file).

use serde::Deserialize;
use wecom_msgcrypt::{CallbackEnvelope, Error, MsgCrypt, Stamp};

use super::{a_post, cases, crypt};

#[derive(Deserialize)]
struct AiBot {
    token: String,
    encoding_aes_key: String,
    receive_id: String,
    timestamp: String,
    nonce: String,
    verify: Part,
    callback: Part,
    reply: Part,
}

#[derive(Deserialize)]
struct Part {
    random_prefix: String,
    message: String,
    encrypt: String,
    msg_signature: String,
    body: Option<String>,
}

fn aibot() -> AiBot {
    serde_json::from_str(include_str!("../../fixtures/aibot.json")).expect("fixture parses")
}

fn aibot_crypt(v: &AiBot) -> MsgCrypt {
    MsgCrypt::new(&v.token, &v.encoding_aes_key, v.receive_id.clone()).unwrap()
}

fn random(text: &str) -> [u8; 16] {
    text.as_bytes().try_into().unwrap()
}

/// The random prefixes of the official POST vectors (WeCom crypto documentation, official
/// Python sample), which the fixture does not record.
const POST_RANDOM: [(&str, &str); 2] =
    [("A-post", "0960688932c47ef1"), ("B-post", "694ce5a83ae07fe3")];

#[test]
fn sealing_an_official_callback_reproduces_wecoms_ciphertext_and_signature() {
    for (name, prefix) in POST_RANDOM {
        let case = cases().into_iter().find(|c| c.name == name).unwrap();
        let crypt = crypt(&case);
        let stamp = Stamp::new(&case.timestamp, &case.nonce).unwrap();
        let agent_id = if name == "A-post" { 218 } else { 1_000_002 };
        let envelope =
            CallbackEnvelope::Xml { to_user_name: &case.receive_id, agent_id: Some(agent_id) };
        let sealed = crypt
            .seal_callback_with_random(&case.expected_msg, envelope, &stamp, random(prefix))
            .unwrap();
        assert_eq!(sealed.msg_signature.as_str(), case.msg_signature, "{name}");
        assert_eq!(sealed.stamp, stamp, "{name}");
        assert_eq!(
            sealed.query(),
            format!(
                "msg_signature={}&timestamp={}&nonce={}",
                case.msg_signature, case.timestamp, case.nonce
            )
        );
        let expected_body = format!(
            "<xml><ToUserName><![CDATA[{}]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt><AgentID><![CDATA[{agent_id}]]></AgentID></xml>",
            case.receive_id, case.encrypt
        );
        assert_eq!(sealed.body, expected_body, "{name}");
        if name == "A-post" {
            // Byte for byte the body of the official sample.
            assert_eq!(Some(&sealed.body), case.body.as_ref());
        }
    }
}

#[test]
fn sealing_without_agent_id_and_with_awkward_names() {
    let case = a_post();
    let crypt = crypt(&case);
    let stamp = Stamp::new(&case.timestamp, &case.nonce).unwrap();
    let env = CallbackEnvelope::Xml { to_user_name: "a]]>b", agent_id: None };
    let sealed = crypt
        .seal_callback_with_random(&case.expected_msg, env, &stamp, random("0960688932c47ef1"))
        .unwrap();
    assert_eq!(
        sealed.body,
        format!(
            "<xml><ToUserName><![CDATA[a]]]]><![CDATA[>b]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt></xml>",
            case.encrypt
        )
    );
    assert_eq!(
        crypt
            .decrypt_post(&case.msg_signature, &case.timestamp, &case.nonce, sealed.body.as_bytes())
            .unwrap(),
        case.expected_msg
    );
}

#[test]
fn sealing_an_aibot_callback_gives_the_json_vector() {
    let v = aibot();
    let crypt = aibot_crypt(&v);
    let stamp = Stamp::new(&v.timestamp, &v.nonce).unwrap();
    let sealed = crypt
        .seal_callback_with_random(
            &v.callback.message,
            CallbackEnvelope::Json,
            &stamp,
            random(&v.callback.random_prefix),
        )
        .unwrap();
    assert_eq!(Some(&sealed.body), v.callback.body.as_ref());
    assert_eq!(sealed.msg_signature.as_str(), v.callback.msg_signature);
    // And the app side opens it, with the empty receive id.
    let opened = crypt
        .decrypt_post(&v.callback.msg_signature, &v.timestamp, &v.nonce, sealed.body.as_bytes())
        .unwrap();
    assert_eq!(opened, v.callback.message);
}

#[test]
fn aibot_url_verification_vector() {
    let v = aibot();
    let crypt = aibot_crypt(&v);
    let echo = crypt
        .verify_url(&v.verify.msg_signature, &v.timestamp, &v.nonce, &v.verify.encrypt)
        .unwrap();
    assert_eq!(echo, v.verify.message);
    let sealed = crypt
        .encrypt_with_random(
            &v.verify.message,
            &v.timestamp,
            &v.nonce,
            random(&v.verify.random_prefix),
        )
        .unwrap();
    assert_eq!(sealed.encrypt, v.verify.encrypt);
}

#[test]
fn sealing_an_aibot_reply_gives_the_json_vector_and_opens_back() {
    let v = aibot();
    let crypt = aibot_crypt(&v);
    let stamp = Stamp::new(&v.timestamp, &v.nonce).unwrap();
    let body = crypt
        .seal_reply_json_with_random(&v.reply.message, &stamp, random(&v.reply.random_prefix))
        .unwrap();
    assert_eq!(Some(&body), v.reply.body.as_ref());
    // The same parts, through the existing API.
    let parts = crypt
        .encrypt_with_random(
            &v.reply.message,
            &v.timestamp,
            &v.nonce,
            random(&v.reply.random_prefix),
        )
        .unwrap();
    assert_eq!(
        (parts.encrypt.as_str(), parts.msg_signature.as_str()),
        (v.reply.encrypt.as_str(), v.reply.msg_signature.as_str())
    );
    assert_eq!(parts.to_json(), body);

    let opened = crypt.open_reply(body.as_bytes()).unwrap();
    assert_eq!(opened.message, v.reply.message);
    assert_eq!(
        (opened.timestamp.as_str(), opened.nonce.as_str()),
        (v.timestamp.as_str(), v.nonce.as_str())
    );
    // WeCom's documented example writes the timestamp as a number; that opens too.
    let numeric = body.replace(
        &format!("\"timestamp\":\"{}\"", v.timestamp),
        &format!("\"timestamp\":{}", v.timestamp),
    );
    assert_ne!(numeric, body);
    assert_eq!(crypt.open_reply(numeric.as_bytes()).unwrap(), opened);
}

#[test]
fn opening_the_official_reply_vectors() {
    let mut seen = 0;
    for case in cases().iter().filter(|c| c.kind == "reply") {
        let body = format!(
            "<xml>\n<Encrypt><![CDATA[{}]]></Encrypt>\n<MsgSignature><![CDATA[{}]]></MsgSignature>\n<TimeStamp>{}</TimeStamp>\n<Nonce><![CDATA[{}]]></Nonce>\n</xml>",
            case.encrypt, case.msg_signature, case.timestamp, case.nonce
        );
        let opened = crypt(case).open_reply(body.as_bytes()).unwrap();
        assert_eq!(opened.message, case.expected_msg, "{}", case.name);
        assert_eq!(opened.timestamp, case.timestamp, "{}", case.name);
        assert_eq!(opened.nonce, case.nonce, "{}", case.name);
        let stamp = Stamp::new(&case.timestamp, &case.nonce).unwrap();
        let xml = crypt(case).seal_reply_xml(&case.expected_msg, &stamp).unwrap();
        assert_eq!(crypt(case).open_reply(xml.as_bytes()).unwrap().message, case.expected_msg);
        seen += 1;
    }
    assert_eq!(seen, 2);
}

/// `text` with its last character replaced by another Base64 character.
fn flip_last(text: &str) -> String {
    let (head, last) = text.split_at(text.len() - 1);
    format!("{head}{}", if last == "A" { "B" } else { "A" })
}

#[test]
fn a_tampered_reply_is_refused() {
    let case = cases().into_iter().find(|c| c.name == "W-reply").unwrap();
    let crypt = crypt(&case);
    let good = crypt
        .encrypt_with_random(
            &case.expected_msg,
            &case.timestamp,
            &case.nonce,
            random("1234567890123456"),
        )
        .unwrap();
    let xml = good.to_xml();
    let json = good.to_json();
    assert!(crypt.open_reply(xml.as_bytes()).is_ok());
    assert!(crypt.open_reply(json.as_bytes()).is_ok());
    let flip_sig = {
        let s = good.msg_signature.as_str();
        let last = if s.ends_with('0') { "1" } else { "0" };
        format!("{}{last}", &s[..39])
    };
    let next_ts = (case.timestamp.parse::<u64>().unwrap() + 1).to_string();
    for body in [&xml, &json] {
        for tampered in [
            body.replacen(&good.encrypt[..12], &flip_last(&good.encrypt[..12]), 1),
            body.replacen(good.msg_signature.as_str(), &flip_sig, 1),
            body.replacen(&case.timestamp, &next_ts, 1),
            body.replacen(&case.nonce, "461056295", 1),
        ] {
            assert_ne!(&tampered, body);
            assert_eq!(
                crypt.open_reply(tampered.as_bytes()),
                Err(Error::SignatureMismatch),
                "{tampered}"
            );
        }
    }
    // Another app's token, or another corp's receive id, is refused too.
    let other = MsgCrypt::new("654321", &case.encoding_aes_key, &case.receive_id).unwrap();
    assert_eq!(other.open_reply(xml.as_bytes()), Err(Error::SignatureMismatch));
    let corp = MsgCrypt::new(&case.token, &case.encoding_aes_key, "ww0000").unwrap();
    assert!(matches!(corp.open_reply(json.as_bytes()), Err(Error::ReceiveIdMismatch { .. })));
}

#[test]
fn a_tampered_sealed_callback_is_refused() {
    let case = a_post();
    let crypt = crypt(&case);
    let stamp = Stamp::now();
    let env = CallbackEnvelope::Xml { to_user_name: &case.receive_id, agent_id: Some(218) };
    let sealed = crypt.seal_callback(&case.expected_msg, env, &stamp).unwrap();
    let (sig, ts, nonce) = (sealed.msg_signature.as_str(), stamp.timestamp(), stamp.nonce());
    assert_eq!(
        crypt.decrypt_post(sig, ts, nonce, sealed.body.as_bytes()).unwrap(),
        case.expected_msg
    );
    let start = sealed.body.find("<Encrypt><![CDATA[").unwrap() + 18;
    let mut bytes = sealed.body.clone().into_bytes();
    bytes[start + 5] = if bytes[start + 5] == b'A' { b'B' } else { b'A' };
    assert_eq!(crypt.decrypt_post(sig, ts, nonce, &bytes), Err(Error::SignatureMismatch));
    assert_eq!(
        crypt.decrypt_post(sig, "1", nonce, sealed.body.as_bytes()),
        Err(Error::SignatureMismatch)
    );
    // Fresh randomness: sealing twice gives different ciphertexts.
    let again = crypt.seal_callback(&case.expected_msg, env, &stamp).unwrap();
    assert_ne!(again.body, sealed.body);
}

#[test]
fn sealing_needs_a_receive_id() {
    let case = a_post();
    let crypt = MsgCrypt::with_receive_id_check(
        &case.token,
        &case.encoding_aes_key,
        wecom_msgcrypt::ReceiveIdCheck::Unchecked,
    )
    .unwrap();
    let stamp = Stamp::now();
    assert!(matches!(
        crypt.seal_callback("m", CallbackEnvelope::Json, &stamp),
        Err(Error::ReplyField(_))
    ));
    assert!(matches!(crypt.seal_reply_json("m", &stamp), Err(Error::ReplyField(_))));
}
