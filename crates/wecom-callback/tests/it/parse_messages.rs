//! Messages, unknown types, leniency and strictness of callback parsing, and de-duplication
//! keys — fixtures in CDATA form, bare-text form, and with `AgentID` as CDATA.

use wecom_callback::callback::{Image, Link, Location, Text, Video, Voice};
use wecom_callback::{Callback, Element, FieldProblem, Header, MessageBody, ParseError};

use crate::support::fixtures as support;
use support::*;

#[test]
fn messages() {
    let cases = [
        ("msg_text.xml", MessageBody::Text(Text { content: "hello <world> & ]]> 你好".into() })),
        (
            "msg_image.xml",
            MessageBody::Image(Image {
                pic_url: "https://example.com/p.jpg".into(),
                media_id: "media_img_1".into(),
            }),
        ),
        (
            "msg_voice.xml",
            MessageBody::Voice(Voice { media_id: "media_voice_1".into(), format: "amr".into() }),
        ),
        (
            "msg_video.xml",
            MessageBody::Video(Video {
                media_id: "media_video_1".into(),
                thumb_media_id: "media_thumb_1".into(),
            }),
        ),
        (
            "msg_location.xml",
            MessageBody::Location(Location {
                latitude: 23.134,
                longitude: 113.358,
                scale: 20,
                label: "Guangzhou Tower".into(),
                app_type: Some("wxwork".into()),
            }),
        ),
        (
            "msg_link.xml",
            MessageBody::Link(Link {
                title: "Release notes".into(),
                description: "What changed in 1.4".into(),
                url: "https://example.com/notes".into(),
                pic_url: "https://example.com/n.png".into(),
            }),
        ),
    ];
    for (name, body) in cases {
        let expected_type = body.msg_type();
        let parsed = parse(name);
        assert_eq!(parsed, message(body), "{name}");
        assert_eq!(parsed.msg_type(), expected_type);
        assert_eq!(parsed.event_name(), None);
    }
}

fn unknown(name: &str) -> wecom_callback::Unknown {
    match parse(name) {
        Callback::Unknown(u) => u,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn unknown_types_keep_every_raw_field() {
    let u = unknown("unknown_msg_file.xml");
    assert_eq!(u.msg_type, "file");
    assert_eq!(u.event, None);
    assert_eq!(u.header, header("alice", true));
    assert_eq!(u.msg_id(), Some(1_234_567_890_123_456));
    let names: Vec<&str> = u.raw.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "ToUserName",
            "FromUserName",
            "CreateTime",
            "MsgType",
            "FileName",
            "MediaId",
            "MsgId",
            "AgentID"
        ]
    );
    assert_eq!(u.raw.child_text("FileName"), Some("report.pdf"));
    assert_eq!(u.raw.child_text("MediaId"), Some("media_file_1"));

    let u = unknown("unknown_event.xml");
    assert_eq!((u.msg_type.as_str(), u.event.as_deref()), ("event", Some("brand_new_event")));
    let detail = u.raw.child("Detail").unwrap();
    assert_eq!(detail.child_text("Level"), Some("3"));
    let tags: Vec<&str> =
        detail.child("Tags").unwrap().children_named("Tag").map(|t| t.text.as_str()).collect();
    assert_eq!(tags, ["x", "y"]);
    assert_eq!(u.raw, Element::parse(&fixture("unknown_event.xml")).unwrap());

    // A known event with an unknown sub-type is unknown as a whole, not an error.
    let u = unknown("unknown_change_type.xml");
    assert_eq!(u.event.as_deref(), Some("change_contact"));
    assert_eq!(u.raw.child_text("ChangeType"), Some("merge_party"));
    assert_eq!(u.header, header("sys", false));
}

#[test]
fn official_plaintexts_parse() {
    // Vector A-post (CDATA, newlines) and B-post (bare text) as decrypted by wecom-msgcrypt.
    let a = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";
    let Callback::Message(m) = Callback::parse(a).unwrap() else { panic!() };
    assert_eq!(m.msg_id, 4_561_255_354_251_345_929);
    assert_eq!(m.header.agent_id, Some(218));
    assert_eq!(m.body, MessageBody::Text(Text { content: "hello".into() }));
    let b = "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";
    let Callback::Message(m) = Callback::parse(b).unwrap() else { panic!() };
    assert_eq!(m.header.from_user_name, "ChenJiaShun");
    assert_eq!(m.body, MessageBody::Text(Text { content: "你好".into() }));
}

#[test]
fn element_order_and_extra_elements_do_not_matter() {
    let reordered = "<xml><AgentID> 7 </AgentID><Extra><Deep>1</Deep></Extra><MsgId>9</MsgId>\
        <Content>hi</Content><MsgType>TEXT</MsgType><CreateTime>5</CreateTime>\
        <FromUserName>bob</FromUserName><ToUserName>ww</ToUserName></xml>";
    let Callback::Message(m) = Callback::parse(reordered).unwrap() else { panic!() };
    assert_eq!(
        m.header,
        Header {
            to_user_name: "ww".into(),
            from_user_name: "bob".into(),
            create_time: 5,
            agent_id: Some(7)
        }
    );
    assert_eq!((m.msg_id, m.body), (9, MessageBody::Text(Text { content: "hi".into() })));
}

#[test]
fn bad_known_fields_are_errors_that_name_the_element() {
    let text = |extra: &str| {
        format!(
            "<xml><ToUserName>ww</ToUserName><FromUserName>a</FromUserName><MsgType>text</MsgType><Content>x</Content>{extra}</xml>"
        )
    };
    let err = |xml: &str| Callback::parse(xml).unwrap_err();
    assert_eq!(
        err(&text("<MsgId>1</MsgId>")),
        ParseError::Field { element: "CreateTime", problem: FieldProblem::Missing }
    );
    assert_eq!(
        err(&text("<CreateTime>1</CreateTime>")),
        ParseError::Field { element: "MsgId", problem: FieldProblem::Missing }
    );
    assert_eq!(
        err(&text("<CreateTime>1</CreateTime><MsgId>12a</MsgId>")),
        ParseError::Field { element: "MsgId", problem: FieldProblem::NotANumber("12a".into()) }
    );
    assert_eq!(
        err(&text("<CreateTime>1</CreateTime><MsgId>1</MsgId><AgentID>x</AgentID>")),
        ParseError::Field { element: "AgentID", problem: FieldProblem::NotANumber("x".into()) }
    );
    // An empty AgentID is "no agent", not an error.
    let Callback::Message(m) =
        Callback::parse(&text("<CreateTime>1</CreateTime><MsgId>1</MsgId><AgentID></AgentID>"))
            .unwrap()
    else {
        panic!()
    };
    assert_eq!(m.header.agent_id, None);
    assert!(matches!(err("<root><MsgType>text</MsgType></root>"), ParseError::Xml(_)));
    assert!(matches!(err("<xml><MsgType>text</MsgType>"), ParseError::Xml(_)));
}

#[test]
fn dedup_keys() {
    let key = |name: &str| parse(name).dedup_key();
    // Messages: corp, app and MsgId.
    assert_eq!(key("msg_text.xml"), "m;18:ww1436e0e65a779aee;1000002;1234567890123456;");
    // Every fixture has its own key.
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut keys = std::collections::HashMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with("msg_") && name != "msg_text.xml" || name == "unknown_msg_file.xml" {
            continue; // all share MsgId 1234567890123456 on purpose
        }
        let k = key(&name);
        assert!(k.len() <= 200, "{name}: {k}");
        if let Some(other) = keys.insert(k.clone(), name.clone()) {
            panic!("{name} and {other} share key {k}");
        }
    }
    // Events differing only in their details get different keys.
    let click = fixture("event_click.xml");
    let other = click.replace("menu_report", "menu_other");
    assert_ne!(
        Callback::parse(&click).unwrap().dedup_key(),
        Callback::parse(&other).unwrap().dedup_key()
    );
    let tpl = fixture("event_template_card_event.xml");
    let other = tpl.replace("allow_update_0123456789", "allow_update_9");
    assert_ne!(
        Callback::parse(&tpl).unwrap().dedup_key(),
        Callback::parse(&other).unwrap().dedup_key()
    );
    // The same event for another app is another key.
    let other_app = click.replace("<AgentID>1000002</AgentID>", "<AgentID>1000003</AgentID>");
    assert_ne!(
        Callback::parse(&click).unwrap().dedup_key(),
        Callback::parse(&other_app).unwrap().dedup_key()
    );
    // Long keys end in a digest.
    assert!(key("event_change_contact_create_user.xml").starts_with("e;sha1:"));
}
