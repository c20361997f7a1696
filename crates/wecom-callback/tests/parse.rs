//! Every message and event type of WeCom's callback reference, from fixture XML to the
//! expected typed value — in CDATA form, in bare-text form, and with `AgentID` as CDATA.

use wecom_callback::callback::{
    ApprovalInfo, ApprovalItem, ApprovalNode, BatchJob, ContactChange, Image, Link, Location,
    LocationReport, LocationSelect, NotifyNode, PartyChange, PicsSent, ScanCode, SelectedItem,
    TagChange, TemplateCardClick, TemplateCardMenuClick, Text, UserChange, Video, Voice,
};
use wecom_callback::{
    Callback, Element, Error, Event, EventBody, FieldProblem, Header, Message, MessageBody,
};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The same document with every CDATA section replaced by escaped plain text.
fn bare(xml: &str) -> String {
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
fn parse(name: &str) -> Callback {
    let xml = fixture(name);
    let parsed = Callback::parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(Callback::parse(&bare(&xml)).unwrap(), parsed, "{name}: bare-text form differs");
    let cdata_agent =
        xml.replace("<AgentID>1000002</AgentID>", "<AgentID><![CDATA[1000002]]></AgentID>");
    assert_eq!(Callback::parse(&cdata_agent).unwrap(), parsed, "{name}: CDATA AgentID differs");
    parsed
}

fn header(from: &str, agent: bool) -> Header {
    Header {
        to_user_name: "ww1436e0e65a779aee".into(),
        from_user_name: from.into(),
        create_time: 1_700_000_000,
        agent_id: agent.then_some(1_000_002),
    }
}

fn message(body: MessageBody) -> Callback {
    Callback::Message(Message {
        header: header("alice", true),
        msg_id: 1_234_567_890_123_456,
        body,
    })
}

fn event(from: &str, agent: bool, body: EventBody) -> Callback {
    Callback::Event(Event { header: header(from, agent), body })
}

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

#[test]
fn simple_events() {
    let cases = [
        ("event_subscribe.xml", "alice", true, EventBody::Subscribe),
        ("event_unsubscribe.xml", "alice", true, EventBody::Unsubscribe),
        ("event_enter_agent.xml", "alice", true, EventBody::EnterAgent),
        (
            "event_location.xml",
            "alice",
            true,
            EventBody::Location(LocationReport {
                latitude: 23.104_105,
                longitude: 113.320_107,
                precision: 65.0,
                app_type: Some("wxwork".into()),
            }),
        ),
        (
            "event_batch_job_result.xml",
            "alice",
            false,
            EventBody::BatchJobResult(BatchJob {
                job_id: "S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4".into(),
                job_type: "sync_user".into(),
                err_code: 0,
                err_msg: "ok".into(),
            }),
        ),
        ("event_click.xml", "alice", true, EventBody::Click { event_key: "menu_report".into() }),
        (
            "event_view.xml",
            "alice",
            true,
            EventBody::View { event_key: "https://example.com/?a=1&b=2".into() },
        ),
        (
            "event_view_miniprogram.xml",
            "alice",
            true,
            EventBody::ViewMiniprogram { event_key: "pages/index?x=1".into() },
        ),
        ("event_share_agent_change.xml", "sys", true, EventBody::ShareAgentChange),
        ("event_share_chain_change.xml", "sys", true, EventBody::ShareChainChange),
        (
            "event_inactive_alert.xml",
            "sys",
            true,
            EventBody::InactiveAlert { effect_time: Some(1_700_600_000) },
        ),
        ("event_close_inactive_agent.xml", "sys", true, EventBody::CloseInactiveAgent),
        ("event_reopen_inactive_agent.xml", "sys", true, EventBody::ReopenInactiveAgent),
        (
            "event_low_active_alert.xml",
            "sys",
            true,
            EventBody::LowActiveAlert { effect_time: Some(1_700_700_000) },
        ),
        ("event_low_active.xml", "sys", true, EventBody::LowActive),
        ("event_active_restored.xml", "sys", true, EventBody::ActiveRestored),
    ];
    for (name, from, agent, body) in cases {
        let event_name = body.name();
        let parsed = parse(name);
        assert_eq!(parsed, event(from, agent, body), "{name}");
        assert_eq!(parsed.msg_type(), "event");
        assert_eq!(parsed.event_name(), Some(event_name));
        assert!(name.contains(&event_name.to_ascii_lowercase()), "{name} vs {event_name}");
    }
}

#[test]
fn menu_events() {
    let scan = |key: &str, ty: &str, result: &str| ScanCode {
        event_key: key.into(),
        scan_type: ty.into(),
        scan_result: result.into(),
    };
    let pics = |key: &str, count, sums: &[&str]| PicsSent {
        event_key: key.into(),
        count,
        pic_md5_sums: sums.iter().map(|s| (*s).to_owned()).collect(),
    };
    let cases = [
        (
            "event_scancode_push.xml",
            EventBody::ScancodePush(scan("scan_1", "qrcode", "https://example.com/qr")),
        ),
        (
            "event_scancode_waitmsg.xml",
            EventBody::ScancodeWaitmsg(scan("scan_2", "barcode", "6901234567892")),
        ),
        (
            "event_pic_sysphoto.xml",
            EventBody::PicSysphoto(pics("photo_1", 1, &["1b5f7c23b5bf75682a53e7b6d163e185"])),
        ),
        (
            "event_pic_photo_or_album.xml",
            EventBody::PicPhotoOrAlbum(pics("photo_2", 2, &["aaaa", "bbbb"])),
        ),
        ("event_pic_weixin.xml", EventBody::PicWeixin(pics("photo_3", 1, &["cccc"]))),
        (
            "event_location_select.xml",
            EventBody::LocationSelect(LocationSelect {
                event_key: "loc_1".into(),
                latitude: 23.0,
                longitude: 113.0,
                scale: 15,
                label: " 广州市海珠区客村艺苑路 106号".into(),
                poiname: String::new(),
                app_type: Some("wxwork".into()),
            }),
        ),
    ];
    for (name, body) in cases {
        assert_eq!(parse(name), event("alice", true, body), "{name}");
    }
}

#[test]
fn contact_changes() {
    let create_user = UserChange {
        user_id: "zhangsan".into(),
        open_user_id: Some("woAJ2GCAAAXtWyujaWJHDDGi0mACAAA".into()),
        name: Some("张三".into()),
        department: Some(vec![1, 2, 3]),
        main_department: Some(1),
        is_leader_in_dept: Some(vec![1, 0, 0]),
        direct_leader: Some(vec!["lisi".into(), "wangwu".into()]),
        position: Some("产品经理".into()),
        mobile: Some("13800000000".into()),
        gender: Some(1),
        email: Some("zhangsan@gzdev.com".into()),
        biz_mail: Some("zhangsan@qyycs2.wecom.work".into()),
        status: Some(1),
        avatar: Some("http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/0".into()),
        alias: Some("jackzhang".into()),
        telephone: Some("020-123456".into()),
        address: Some("广州市".into()),
        ext_attr: Some(Element::new("ExtAttr").child_element(
            Element::new("Item")
                .child_element(Element::with_text("Name", "爱好"))
                .child_element(Element::with_text("Type", "0"))
                .child_element(Element::new("Text").child_element(Element::with_text("Value", "旅游"))),
        )),
        new_user_id: None,
    };
    let update_user = UserChange {
        user_id: "zhangsan".into(),
        new_user_id: Some("zhangsan001".into()),
        position: Some("技术经理".into()),
        ..UserChange::default()
    };
    let delete_user = UserChange { user_id: "zhangsan".into(), ..UserChange::default() };
    let cases = [
        ("create_user", ContactChange::CreateUser(Box::new(create_user))),
        ("update_user", ContactChange::UpdateUser(Box::new(update_user))),
        ("delete_user", ContactChange::DeleteUser(Box::new(delete_user))),
        (
            "create_party",
            ContactChange::CreateParty(PartyChange {
                id: 2,
                name: Some("张三".into()),
                parent_id: Some(1),
                order: Some(1),
            }),
        ),
        (
            "update_party",
            ContactChange::UpdateParty(PartyChange {
                id: 2,
                name: Some("张三".into()),
                parent_id: None,
                order: None,
            }),
        ),
        (
            "delete_party",
            ContactChange::DeleteParty(PartyChange { id: 2, ..PartyChange::default() }),
        ),
        (
            "update_tag",
            ContactChange::UpdateTag(TagChange {
                tag_id: 1,
                add_user_items: vec!["zhangsan".into(), "lisi".into()],
                del_user_items: vec!["zhangsan1".into(), "lisi1".into()],
                add_party_items: vec![1, 2],
                del_party_items: vec![3, 4],
            }),
        ),
    ];
    for (change_type, change) in cases {
        assert_eq!(change.change_type(), change_type);
        let name = format!("event_change_contact_{change_type}.xml");
        assert_eq!(parse(&name), event("sys", false, EventBody::ChangeContact(change)), "{name}");
    }
}

#[test]
fn open_approval_change_with_nested_approval_info() {
    let expected = ApprovalInfo {
        third_no: "201806010001".into(),
        open_sp_name: "付款".into(),
        open_template_id: "1234567890".into(),
        open_sp_status: 1,
        apply_time: 1_527_837_645,
        apply_user_name: "xiaoming".into(),
        apply_user_id: "1".into(),
        apply_user_party: "产品部".into(),
        apply_user_image: "http://www.qq.com/xxx.png".into(),
        approval_nodes: vec![ApprovalNode {
            node_status: 1,
            node_attr: 1,
            node_type: 1,
            items: vec![ApprovalItem {
                item_name: "xiaohong".into(),
                item_user_id: "2".into(),
                item_image: "http://www.qq.com/xxx.png".into(),
                item_status: 1,
                item_speech: String::new(),
                item_op_time: 0,
            }],
        }],
        notify_nodes: vec![NotifyNode {
            item_name: "xiaogang".into(),
            item_user_id: "3".into(),
            item_image: "http://www.qq.com/xxx.png".into(),
        }],
        approver_step: 0,
    };
    assert_eq!(
        parse("event_open_approval_change.xml"),
        event("sys", true, EventBody::OpenApprovalChange(Box::new(expected)))
    );
}

#[test]
fn template_card_events() {
    assert_eq!(
        parse("event_template_card_event.xml"),
        event(
            "alice",
            true,
            EventBody::TemplateCardEvent(TemplateCardClick {
                event_key: "lunch_submit".into(),
                task_id: "vote-20250101-lunch".into(),
                card_type: "vote_interaction".into(),
                response_code: "allow_update_0123456789".into(),
                selected_items: vec![
                    SelectedItem {
                        question_key: "lunch".into(),
                        option_ids: vec!["a".into(), "b".into()]
                    },
                    SelectedItem { question_key: "drink".into(), option_ids: vec!["tea".into()] },
                ],
            })
        )
    );
    assert_eq!(
        parse("event_template_card_menu_event.xml"),
        event(
            "alice",
            true,
            EventBody::TemplateCardMenuEvent(TemplateCardMenuClick {
                event_key: "menu_mute".into(),
                task_id: "deploy-v1_4-20250101-001".into(),
                card_type: "button_interaction".into(),
                response_code: "rc_menu_42".into(),
            })
        )
    );
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
    // Vector A-post (CDATA, newlines) and B-post (bare text) as decrypted by wecom-crypto.
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
        Error::Field { element: "CreateTime", problem: FieldProblem::Missing }
    );
    assert_eq!(
        err(&text("<CreateTime>1</CreateTime>")),
        Error::Field { element: "MsgId", problem: FieldProblem::Missing }
    );
    assert_eq!(
        err(&text("<CreateTime>1</CreateTime><MsgId>12a</MsgId>")),
        Error::Field { element: "MsgId", problem: FieldProblem::NotANumber("12a".into()) }
    );
    assert_eq!(
        err(&text("<CreateTime>1</CreateTime><MsgId>1</MsgId><AgentID>x</AgentID>")),
        Error::Field { element: "AgentID", problem: FieldProblem::NotANumber("x".into()) }
    );
    // An empty AgentID is "no agent", not an error.
    let Callback::Message(m) =
        Callback::parse(&text("<CreateTime>1</CreateTime><MsgId>1</MsgId><AgentID></AgentID>"))
            .unwrap()
    else {
        panic!()
    };
    assert_eq!(m.header.agent_id, None);
    assert!(matches!(err("<root><MsgType>text</MsgType></root>"), Error::Xml(_)));
    assert!(matches!(err("<xml><MsgType>text</MsgType>"), Error::Xml(_)));
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
