//! What the parsing tests share: fixtures, their bare-text spelling, expected headers.
#![allow(dead_code, unreachable_pub)]

use wecom_callback::{Callback, Event, EventBody, Header, Message, MessageBody};

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The same document with every CDATA section replaced by escaped plain text.
pub fn bare(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<![CDATA[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 9..];
        let end = after.find("]]>").unwrap();
        for c in after[..end].chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
        }
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    assert!(!out.contains("CDATA"));
    out
}

/// Parses the fixture in its three spellings and checks they agree.
pub fn parse(name: &str) -> Callback {
    let xml = fixture(name);
    let parsed = Callback::parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(Callback::parse(&bare(&xml)).unwrap(), parsed, "{name}: bare-text form differs");
    let cdata_agent =
        xml.replace("<AgentID>1000002</AgentID>", "<AgentID><![CDATA[1000002]]></AgentID>");
    assert_eq!(Callback::parse(&cdata_agent).unwrap(), parsed, "{name}: CDATA AgentID differs");
    parsed
}

pub fn header(from: &str, agent: bool) -> Header {
    Header {
        to_user_name: "ww1436e0e65a779aee".into(),
        from_user_name: from.into(),
        create_time: 1_700_000_000,
        agent_id: agent.then_some(1_000_002),
    }
}

pub fn message(body: MessageBody) -> Callback {
    Callback::Message(Message {
        header: header("alice", true),
        msg_id: 1_234_567_890_123_456,
        body,
    })
}

pub fn event(from: &str, agent: bool, body: EventBody) -> Callback {
    Callback::Event(Event { header: header(from, agent), body })
}
