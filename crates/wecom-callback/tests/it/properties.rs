//! Untrusted input never panics; replies always parse back to what was put in.

use proptest::prelude::*;
use wecom_callback::{Callback, Element, Reply, receive};
use wecom_msgcrypt::MsgCrypt;

/// XML-ish soup: fragments WeCom payloads are made of, in any order.
fn xmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<xml>".to_owned()),
        Just("</xml>".to_owned()),
        Just("<MsgType>".to_owned()),
        Just("</MsgType>".to_owned()),
        Just("<Event>".to_owned()),
        Just("</Event>".to_owned()),
        Just("event".to_owned()),
        Just("text".to_owned()),
        Just("<CreateTime>1</CreateTime>".to_owned()),
        Just("<MsgId>".to_owned()),
        Just("</MsgId>".to_owned()),
        Just("<![CDATA[".to_owned()),
        Just("]]>".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#x0;".to_owned()),
        Just("<a/>".to_owned()),
        Just("<!-- c -->".to_owned()),
        "[ -~]{0,8}",
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn parsing_never_panics(xml in xmlish()) {
        let _ = Callback::parse(&xml);
        let _ = Element::parse(&xml);
    }

    #[test]
    fn arbitrary_bytes_never_panic(s in "\\PC{0,64}") {
        let _ = Callback::parse(&s);
    }

    #[test]
    fn receive_never_panics(query in "[a-z_=&%0-9A-F]{0,80}", body in proptest::collection::vec(any::<u8>(), 0..256)) {
        let crypt = MsgCrypt::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7").unwrap();
        let _ = receive(&crypt, &query, &body);
    }

    #[test]
    fn text_replies_round_trip(content in prop_oneof!["\\PC{1,200}", "[\\x00-\\x7f]{1,40}"]) {
        let reply = Reply::text(content.clone());
        let unsayable = |c: char| {
            (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
        };
        if let Ok(xml) = reply.to_xml("alice", "ww", 1) {
            let root = Element::parse(&xml).unwrap();
            // XML parsers turn CR LF and lone CR into LF: WeCom sees the same.
            let expected = content.replace("\r\n", "\n").replace('\r', "\n");
            prop_assert_eq!(root.child_text("Content"), Some(expected.as_str()));
        } else {
            // Only characters XML cannot carry are refused.
            prop_assert!(content.chars().any(unsayable), "refused {:?}", content);
        }
    }
}
