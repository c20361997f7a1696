//! Events: one golden object per `Event` name.

use serde_json::{Value, json};

use super::{event, with_header};
use wecom_model::callback::{Callback, EventBody, JobType, LocationReport, ScanCode, ScanType};
use wecom_model::card::CardType;

fn golden(want: Value) -> Value {
    let mut want = with_header(want);
    want["type"] = "event".into();
    want
}

#[test]
fn events_without_a_payload_are_their_name() {
    for name in [
        "subscribe",
        "unsubscribe",
        "enter_agent",
        "share_agent_change",
        "share_chain_change",
        "close_inactive_agent",
        "reopen_inactive_agent",
        "low_active",
        "active_restored",
    ] {
        assert_eq!(event(name, ""), golden(json!({ "event": name })), "{name}");
    }
}

#[test]
fn menu_events() {
    for name in ["click", "view", "view_miniprogram"] {
        assert_eq!(
            event(name, "<EventKey>k1</EventKey>"),
            golden(json!({ "event": name, "event_key": "k1" })),
            "{name}"
        );
    }
    let scan = "<EventKey>scan</EventKey><ScanCodeInfo><ScanType>qrcode</ScanType>\
        <ScanResult>https://qr</ScanResult></ScanCodeInfo>";
    for name in ["scancode_push", "scancode_waitmsg"] {
        assert_eq!(
            event(name, scan),
            golden(json!({
                "event": name, "event_key": "scan", "scan_type": "qrcode",
                "scan_result": "https://qr",
            })),
            "{name}"
        );
    }
    let pics = "<EventKey>pic</EventKey><SendPicsInfo><Count>2</Count><PicList>\
        <item><PicMd5Sum>aa</PicMd5Sum></item><item><PicMd5Sum>bb</PicMd5Sum></item>\
        </PicList></SendPicsInfo>";
    for name in ["pic_sysphoto", "pic_photo_or_album", "pic_weixin"] {
        assert_eq!(
            event(name, pics),
            golden(json!({
                "event": name, "event_key": "pic", "count": 2, "pic_md5_sums": ["aa", "bb"],
            })),
            "{name}"
        );
    }
    assert_eq!(
        event(
            "location_select",
            "<EventKey>loc</EventKey><SendLocationInfo><Location_X>23</Location_X>\
             <Location_Y>113.5</Location_Y><Scale>15</Scale><Label>GZ</Label>\
             <Poiname>Tower</Poiname></SendLocationInfo><AppType>wxwork</AppType>"
        ),
        golden(json!({
            "event": "location_select", "event_key": "loc", "latitude": 23.0,
            "longitude": 113.5, "scale": 15, "label": "GZ", "poiname": "Tower",
            "app_type": "wxwork",
        }))
    );
}

#[test]
fn location_and_activity_events() {
    assert_eq!(
        event(
            "LOCATION",
            "<Latitude>23.104105</Latitude><Longitude>113.320107</Longitude><Precision>65</Precision>"
        ),
        golden(json!({
            "event": "LOCATION", "latitude": 23.104_105, "longitude": 113.320_107,
            "precision": 65.0, "app_type": null,
        }))
    );
    for name in ["inactive_alert", "low_active_alert"] {
        assert_eq!(
            event(name, "<EffectTime>1700600000</EffectTime>"),
            golden(json!({ "event": name, "effect_time": 1_700_600_000 })),
            "{name}"
        );
        assert_eq!(event(name, ""), golden(json!({ "event": name, "effect_time": null })));
    }
}

#[test]
fn a_finished_batch_job() {
    let json = event(
        "batch_job_result",
        "<BatchJob><JobId>j1</JobId><JobType>replace_party</JobType><ErrCode>0</ErrCode>\
         <ErrMsg>ok</ErrMsg></BatchJob>",
    );
    assert_eq!(
        json,
        golden(json!({
            "event": "batch_job_result", "job_id": "j1", "job_type": "replace_party",
            "err_code": 0, "err_msg": "ok",
        }))
    );
}

#[test]
fn a_card_click_has_its_selections() {
    let xml = "<xml><ToUserName>ww1</ToUserName><FromUserName>alice</FromUserName><CreateTime>1</CreateTime>\
        <MsgType>event</MsgType><Event>template_card_event</Event><EventKey>lunch_submit</EventKey>\
        <TaskId>t1</TaskId><CardType>vote_interaction</CardType><ResponseCode>rc</ResponseCode><AgentID>2</AgentID>\
        <SelectedItems><SelectedItem><QuestionKey>lunch</QuestionKey><OptionIds><OptionId>a</OptionId>\
        <OptionId>b</OptionId></OptionIds></SelectedItem></SelectedItems></xml>";
    let v = serde_json::to_value(Callback::parse(xml).unwrap()).unwrap();
    assert_eq!(v["event"], "template_card_event");
    assert_eq!(v["response_code"], "rc");
    assert_eq!(v["selected_items"][0]["option_ids"], json!(["a", "b"]));
}

#[test]
fn template_card_events() {
    let body = "<EventKey>ok</EventKey><TaskId>t1</TaskId><CardType>button_interaction</CardType>\
        <ResponseCode>rc</ResponseCode>";
    assert_eq!(
        event("template_card_event", body),
        golden(json!({
            "event": "template_card_event", "event_key": "ok", "task_id": "t1",
            "card_type": "button_interaction", "response_code": "rc", "selected_items": [],
        }))
    );
    assert_eq!(
        event("template_card_menu_event", body),
        golden(json!({
            "event": "template_card_menu_event", "event_key": "ok", "task_id": "t1",
            "card_type": "button_interaction", "response_code": "rc",
        }))
    );
}

#[test]
fn an_approval_change() {
    let body = "<ApprovalInfo><ThirdNo>n1</ThirdNo><OpenSpName>Leave</OpenSpName>\
        <OpenTemplateId>tpl</OpenTemplateId><OpenSpStatus>2</OpenSpStatus><ApplyTime>1700000000</ApplyTime>\
        <ApplyUserName>Alice</ApplyUserName><ApplyUserId>alice</ApplyUserId><ApplyUserParty>R&amp;D</ApplyUserParty>\
        <ApplyUserImage>https://img</ApplyUserImage><ApprovalNodes><ApprovalNode><NodeStatus>2</NodeStatus>\
        <NodeAttr>1</NodeAttr><NodeType>1</NodeType><Items><Item><ItemName>Bob</ItemName>\
        <ItemUserId>bob</ItemUserId><ItemImage>https://b</ItemImage><ItemStatus>2</ItemStatus>\
        <ItemSpeech>fine</ItemSpeech><ItemOpTime>1700000100</ItemOpTime></Item></Items></ApprovalNode>\
        </ApprovalNodes><NotifyNodes><NotifyNode><ItemName>Carol</ItemName><ItemUserId>carol</ItemUserId>\
        <ItemImage>https://c</ItemImage></NotifyNode></NotifyNodes><approverstep>0</approverstep></ApprovalInfo>";
    // The avatars (`*_image`) are keys the JSON did not have before; the rest is as ever.
    let json = event("open_approval_change", body);
    assert_eq!(
        json,
        golden(json!({
            "event": "open_approval_change", "third_no": "n1", "open_sp_name": "Leave",
            "open_template_id": "tpl", "open_sp_status": 2, "apply_time": 1_700_000_000,
            "apply_user_name": "Alice", "apply_user_id": "alice", "apply_user_party": "R&D",
            "apply_user_image": "https://img", "approver_step": 0,
            "approval_nodes": [{
                "node_status": 2, "node_attr": 1, "node_type": 1,
                "items": [{
                    "item_name": "Bob", "item_user_id": "bob", "item_image": "https://b", "item_status": 2,
                    "item_speech": "fine", "item_op_time": 1_700_000_100,
                }],
            }],
            "notify_nodes": [
                { "item_name": "Carol", "item_user_id": "carol", "item_image": "https://c" },
            ],
        }))
    );
}

#[test]
fn every_event_name_is_its_serde_tag() {
    let bodies = [
        EventBody::Subscribe,
        EventBody::Location(LocationReport::default()),
        EventBody::ScancodePush(ScanCode::default()),
        EventBody::OpenApprovalChange(Box::default()),
        EventBody::InactiveAlert { effect_time: None },
    ];
    for body in bodies {
        assert_eq!(serde_json::to_value(&body).unwrap()["event"], body.name());
    }
}

#[test]
fn string_valued_fields_keep_unknown_values() {
    let body = "<EventKey>k</EventKey><ScanCodeInfo><ScanType>datamatrix</ScanType>\
        <ScanResult>r</ScanResult></ScanCodeInfo>";
    let Callback::Event(e) =
        Callback::parse(&super::xml("event", &format!("<Event>scancode_push</Event>{body}")))
            .unwrap()
    else {
        panic!("not an event")
    };
    let EventBody::ScancodePush(scan) = &e.body else { panic!("{e:?}") };
    assert_eq!(scan.scan_type, ScanType::Other("datamatrix".into()));
    assert!(!scan.scan_type.is_known());
    assert_eq!(serde_json::to_value(&e).unwrap()["scan_type"], "datamatrix");

    assert_eq!(JobType::from("invite_user"), JobType::InviteUser);
    assert_eq!(ScanType::from("barcode"), ScanType::Barcode);
    assert_eq!(CardType::from("text_notice"), CardType::TextNotice);
    // An `Other` spelling a known value is that value.
    assert_eq!(CardType::Other("news_notice".into()), CardType::NewsNotice);
    assert_eq!(
        serde_json::from_value::<CardType>(json!("multiple_interaction")).unwrap(),
        CardType::MultipleInteraction
    );
}
