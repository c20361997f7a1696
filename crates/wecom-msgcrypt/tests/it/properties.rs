//! Property tests: no input, however malformed, panics; encrypt then decrypt is the identity,
//! in both directions (reply: app seals, WeCom opens; callback: WeCom seals, app opens).

use proptest::prelude::*;
use wecom_msgcrypt::{
    CallbackEnvelope, MsgCrypt, Stamp, extract_encrypt, signature, verify_signature,
};

fn crypt() -> MsgCrypt {
    MsgCrypt::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn construction_never_panics(token in ".{0,40}", key in ".{0,50}", rid in ".{0,20}") {
        let _ = MsgCrypt::new(&token, &key, rid);
    }

    #[test]
    fn construction_from_alnum_never_panics(key in "[A-Za-z0-9]{43}") {
        // Any 43 alphanumerics form a valid key.
        prop_assert!(MsgCrypt::new("t", &key, "r").is_ok());
    }

    #[test]
    fn decrypt_post_never_panics_on_arbitrary_bytes(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = crypt().decrypt_post("sig", "1", "2", &body);
    }

    #[test]
    fn decrypt_post_never_panics_on_xml_like_text(body in "<xml>(<[A-Za-z]{1,8}>|</[A-Za-z]{1,8}>|<!\\[CDATA\\[|\\]\\]>|[A-Za-z0-9+/=&;# ]){0,40}(</xml>)?") {
        let _ = crypt().decrypt_post("sig", "1", "2", body.as_bytes());
    }

    #[test]
    fn verify_url_never_panics(sig in ".{0,45}", ts in ".{0,12}", nonce in ".{0,12}", echo in ".{0,120}") {
        let _ = crypt().verify_url(&sig, &ts, &nonce, &echo);
    }

    #[test]
    fn correctly_signed_garbage_never_panics(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
        // Signed with the right token, so decryption runs on arbitrary ciphertext: it must
        // get past the signature check and then refuse the garbage (a random plaintext that
        // pads, frames and names the receive id correctly is out of reach).
        let crypt = crypt();
        let encrypt = base64_simd::STANDARD.encode_to_string(&raw);
        let sig = signature("QDG6eK", "1", "2", &encrypt);
        let body = format!("<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
        let result = crypt.decrypt_post(sig.as_str(), "1", "2", body.as_bytes());
        let Err(error) = result else {
            return Err(TestCaseError::fail(format!("{} garbage bytes were accepted", raw.len())));
        };
        prop_assert!(
            !matches!(error, wecom_msgcrypt::Error::SignatureMismatch),
            "a correct signature was refused, so decryption never ran"
        );
    }

    #[test]
    fn decrypt_never_panics_on_arbitrary_base64_text(encrypt in "[A-Za-z0-9+/=]{0,200}") {
        let _ = crypt().decrypt(&encrypt);
    }

    #[test]
    fn signature_and_comparison_never_panic(a in ".{0,40}", b in ".{0,40}", c in ".{0,40}", d in ".{0,80}") {
        let sig = signature(&a, &b, &c, &d);
        prop_assert_eq!(sig.as_str().len(), 40);
        prop_assert!(sig.matches(sig.as_str()));
        prop_assert!(!verify_signature(sig.as_str(), &d) || d == sig.as_str());
    }

    #[test]
    fn extract_encrypt_never_panics(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = extract_encrypt(&body);
    }

    #[test]
    fn reply_encryption_never_panics_and_refuses_unsafe_fields(msg in ".{0,200}", ts in ".{0,24}", nonce in ".{0,70}") {
        match crypt().encrypt_reply(&msg, &ts, &nonce) {
            Ok(xml) => {
                // Accepted only when both fields are plain digits / alphanumerics.
                prop_assert!(ts.bytes().all(|b| b.is_ascii_digit()) && nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
                prop_assert!(xml.starts_with("<xml><Encrypt><![CDATA["));
            }
            Err(e) => prop_assert!(matches!(e, wecom_msgcrypt::Error::ReplyField(_))),
        }
    }

    #[test]
    fn encrypt_then_decrypt_is_the_identity(
        msg in any::<String>(),
        random in any::<[u8; 16]>(),
        ts in "[0-9]{1,12}",
        nonce in "[A-Za-z0-9]{1,20}",
        rid in "[A-Za-z0-9]{0,24}",
    ) {
        let crypt = MsgCrypt::new("tok3n", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", rid.clone()).unwrap();
        let reply = crypt.encrypt_with_random(&msg, &ts, &nonce, random).unwrap();
        let back = crypt.decrypt_verified(reply.msg_signature.as_str(), &ts, &nonce, &reply.encrypt).unwrap();
        prop_assert_eq!(back.message, msg.clone());
        prop_assert_eq!(back.receive_id, rid);

        // The XML reply path round-trips through the POST parser as well.
        let xml = crypt.encrypt_reply(&msg, &ts, &nonce).unwrap();
        let sig = crypt.sign(&ts, &nonce, xml.split("<![CDATA[").nth(1).unwrap().split("]]>").next().unwrap());
        prop_assert_eq!(crypt.decrypt_post(sig.as_str(), &ts, &nonce, xml.as_bytes()).unwrap(), msg);
    }

    #[test]
    fn seal_callback_then_open_is_the_identity(
        msg in any::<String>(),
        random in any::<[u8; 16]>(),
        ts in 0u64..=u64::MAX,
        nonce in "[A-Za-z0-9]{1,64}",
        to in any::<String>(),
        agent_id in proptest::option::of(any::<i64>()),
        json in any::<bool>(),
        rid in "[A-Za-z0-9]{0,24}",
    ) {
        let crypt = MsgCrypt::new("tok3n", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", rid.clone()).unwrap();
        let stamp = Stamp::new(ts.to_string(), nonce).unwrap();
        let envelope = if json {
            CallbackEnvelope::Json
        } else {
            CallbackEnvelope::Xml { to_user_name: &to, agent_id }
        };
        let sealed = crypt.seal_callback_with_random(&msg, envelope, &stamp, random).unwrap();
        let opened = crypt.decrypt_post(
            sealed.msg_signature.as_str(),
            stamp.timestamp(),
            stamp.nonce(),
            sealed.body.as_bytes(),
        ).unwrap();
        prop_assert_eq!(opened, msg);
        let query = sealed.query();
        prop_assert!(query.bytes().all(|b| b.is_ascii_alphanumeric() || b"_=&".contains(&b)), "{}", query);
    }

    #[test]
    fn seal_reply_then_open_is_the_identity(
        msg in any::<String>(),
        random in any::<[u8; 16]>(),
        ts in "[0-9]{1,20}",
        nonce in "[A-Za-z0-9]{1,64}",
        json in any::<bool>(),
        rid in "[A-Za-z0-9]{0,24}",
    ) {
        let crypt = MsgCrypt::new("tok3n", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", rid).unwrap();
        let stamp = Stamp::new(ts.clone(), nonce.clone()).unwrap();
        let body = if json {
            crypt.seal_reply_json_with_random(&msg, &stamp, random).unwrap()
        } else {
            crypt.encrypt_reply_with_random(&msg, &ts, &nonce, random).unwrap()
        };
        let opened = crypt.open_reply(body.as_bytes()).unwrap();
        prop_assert_eq!(opened.message, msg);
        prop_assert_eq!(opened.timestamp, ts);
        prop_assert_eq!(opened.nonce, nonce);
    }

    #[test]
    fn open_reply_never_panics_on_arbitrary_bytes(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = crypt().open_reply(&body);
    }

    #[test]
    fn open_reply_never_panics_on_xml_like_text(body in "<xml>(<(Encrypt|MsgSignature|TimeStamp|Nonce|a)>|</(Encrypt|MsgSignature|TimeStamp|Nonce|a)>|<!\\[CDATA\\[|\\]\\]>|<!--|-->|<\\?|<!|[A-Za-z0-9+/=&;# ]){0,40}(</xml>)?") {
        let _ = crypt().open_reply(body.as_bytes());
    }
}
