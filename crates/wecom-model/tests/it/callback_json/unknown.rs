//! Callbacks of unknown types: their names, header and every raw field.

use serde_json::json;

use super::{to_json, xml};

#[test]
fn unknown_types_keep_their_raw_fields() {
    let xml = "<xml><ToUserName>ww1</ToUserName><FromUserName>alice</FromUserName><CreateTime>1</CreateTime>\
        <MsgType>hologram</MsgType><Depth>3</Depth><Layer><Name>a</Name></Layer><Layer><Name>b</Name></Layer></xml>";
    let v = to_json(xml);
    assert_eq!(v["type"], "unknown");
    assert_eq!(v["msgtype"], "hologram");
    assert_eq!(v["fields"]["Depth"], "3");
    assert_eq!(v["fields"]["Layer"][1]["Name"], "b");
}

#[test]
fn an_unknown_message_type() {
    let json = to_json(&xml("file", "<FileName>a.pdf</FileName><MsgId>9</MsgId>"));
    assert_eq!(
        json,
        json!({
            "type": "unknown", "msgtype": "file",
            "from_user_name": "alice", "to_user_name": "ww1", "create_time": 1_700_000_000,
            "agent_id": 1_000_002,
            "fields": {
                "ToUserName": "ww1", "FromUserName": "alice", "CreateTime": "1700000000",
                "MsgType": "file", "FileName": "a.pdf", "MsgId": "9", "AgentID": "1000002",
            },
        })
    );
}

#[test]
fn an_unknown_event_and_an_unknown_change_type() {
    let json = to_json(&xml("event", "<Event>brand_new</Event><Detail><A>1</A><A>2</A></Detail>"));
    assert_eq!(json["type"], "unknown");
    assert_eq!(json["event"], "brand_new");
    assert_eq!(json["fields"]["Detail"], json!({ "A": ["1", "2"] }));

    let json =
        to_json(&xml("event", "<Event>change_contact</Event><ChangeType>merge_user</ChangeType>"));
    assert_eq!(json["type"], "unknown");
    assert_eq!(json["event"], "change_contact");
    assert_eq!(json["fields"]["ChangeType"], "merge_user");
    // Without an `Event` element there is no "event" key.
    assert!(to_json(&xml("file", "")).get("event").is_none());
}
