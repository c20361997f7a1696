//! Messages members send: one golden object per `MsgType`.

use serde_json::json;

use super::{to_json, with_header, xml};
use wecom_model::callback::{Callback, Message};

fn message(msg_type: &str, body: &str) -> serde_json::Value {
    to_json(&xml(msg_type, &format!("{body}<MsgId>42</MsgId>")))
}

#[test]
fn a_text_message_has_its_typed_fields() {
    let xml = "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[alice]]></FromUserName>\
        <CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content>\
        <MsgId>42</MsgId><AgentID>1000002</AgentID></xml>";
    let v = to_json(xml);
    assert_eq!(v["type"], "message");
    assert_eq!(v["msgtype"], "text");
    assert_eq!(v["content"], "hi");
    assert_eq!(v["msg_id"], 42);
    assert_eq!(v["from_user_name"], "alice");
    assert_eq!(v["agent_id"], 1_000_002);
}

#[test]
fn every_message_kind() {
    let cases = [
        (message("text", "<Content>hi</Content>"), json!({ "msgtype": "text", "content": "hi" })),
        (
            message("image", "<PicUrl>https://p/1.jpg</PicUrl><MediaId>m1</MediaId>"),
            json!({ "msgtype": "image", "pic_url": "https://p/1.jpg", "media_id": "m1" }),
        ),
        (
            message("voice", "<MediaId>m2</MediaId><Format>amr</Format>"),
            json!({ "msgtype": "voice", "media_id": "m2", "format": "amr" }),
        ),
        (
            message("video", "<MediaId>m3</MediaId><ThumbMediaId>t3</ThumbMediaId>"),
            json!({ "msgtype": "video", "media_id": "m3", "thumb_media_id": "t3" }),
        ),
        (
            message(
                "location",
                "<Location_X>23.13</Location_X><Location_Y>113.26</Location_Y><Scale>15</Scale>\
                 <Label>Guangzhou</Label><AppType>wxwork</AppType>",
            ),
            json!({
                "msgtype": "location", "latitude": 23.13, "longitude": 113.26, "scale": 15,
                "label": "Guangzhou", "app_type": "wxwork",
            }),
        ),
        (
            message("location", "<Location_X>1.5</Location_X><Location_Y>2</Location_Y>"),
            json!({
                "msgtype": "location", "latitude": 1.5, "longitude": 2.0, "scale": 0,
                "label": "", "app_type": null,
            }),
        ),
        (
            message(
                "link",
                "<Title>T</Title><Description>D</Description><Url>https://u</Url><PicUrl>https://p</PicUrl>",
            ),
            json!({
                "msgtype": "link", "title": "T", "description": "D", "url": "https://u",
                "pic_url": "https://p",
            }),
        ),
    ];
    for (got, mut want) in cases {
        want["type"] = "message".into();
        want["msg_id"] = 42.into();
        assert_eq!(got, with_header(want));
    }
}

#[test]
fn an_absent_agent_id_is_null() {
    let xml = "<xml><ToUserName>ww1</ToUserName><FromUserName>bob</FromUserName>\
        <CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content><MsgId>7</MsgId></xml>";
    assert_eq!(
        to_json(xml),
        json!({
            "type": "message", "msgtype": "text", "content": "x", "msg_id": 7,
            "from_user_name": "bob", "to_user_name": "ww1", "create_time": 1, "agent_id": null,
        })
    );
}

#[test]
fn a_message_reads_back_from_its_json() {
    let Callback::Message(m) =
        Callback::parse(&xml("image", "<PicUrl>p</PicUrl><MediaId>m</MediaId><MsgId>5</MsgId>"))
            .unwrap()
    else {
        panic!("not a message")
    };
    let back: Message = serde_json::from_value(serde_json::to_value(&m).unwrap()).unwrap();
    assert_eq!(back, m);
}
