//! Every event type of WeCom's callback reference, from fixture XML to the expected typed
//! value — in CDATA form, in bare-text form, and with `AgentID` as CDATA.

use wecom_callback::callback::{
    ApprovalInfo, ApprovalItem, ApprovalNode, BatchJob, ContactChange, LocationReport,
    LocationSelect, NotifyNode, PartyChange, PicsSent, ScanCode, SelectedItem, TagChange,
    TemplateCardClick, TemplateCardMenuClick, UserChange,
};
use wecom_callback::{Element, EventBody};

use crate::support::fixtures as support;
use support::*;

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
