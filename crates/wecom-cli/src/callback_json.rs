//! Callbacks as JSON lines: typed fields for every message and event the SDK knows, and the
//! raw fields of any other.
//!
//! ```json
//! {"type":"message","msgtype":"text","from_user_name":"alice","to_user_name":"ww…","create_time":1700000000,"agent_id":1000002,"msg_id":42,"content":"hi"}
//! {"type":"event","event":"template_card_event","from_user_name":"alice",…,"event_key":"approve","task_id":"…","card_type":"button_interaction","response_code":"…","selected_items":[]}
//! {"type":"unknown","msgtype":"…","event":"…",…,"fields":{"Some":"raw","Nested":{"A":"1"}}}
//! ```

use serde_json::{Map, Value, json};
use wecom_callback::callback::{ContactChange, TemplateCardClick};
use wecom_callback::{Callback, Element, EventBody, Header, MessageBody};

/// The JSON form of a callback.
pub(crate) fn to_json(callback: &Callback) -> Value {
    let mut out = Map::new();
    match callback {
        Callback::Message(m) => {
            out.insert("type".into(), "message".into());
            out.insert("msgtype".into(), m.body.msg_type().into());
            header(&mut out, &m.header);
            out.insert("msg_id".into(), m.msg_id.into());
            message_body(&mut out, &m.body);
        }
        Callback::Event(e) => {
            out.insert("type".into(), "event".into());
            out.insert("event".into(), e.body.name().into());
            header(&mut out, &e.header);
            event_body(&mut out, &e.body);
        }
        Callback::Unknown(u) => {
            out.insert("type".into(), "unknown".into());
            out.insert("msgtype".into(), u.msg_type.clone().into());
            if let Some(event) = &u.event {
                out.insert("event".into(), event.clone().into());
            }
            header(&mut out, &u.header);
            out.insert("fields".into(), element_fields(&u.raw));
        }
        other => {
            out.insert("type".into(), "unknown".into());
            out.insert("msgtype".into(), other.msg_type().into());
            header(&mut out, other.header());
        }
    }
    Value::Object(out)
}

fn header(out: &mut Map<String, Value>, h: &Header) {
    out.insert("from_user_name".into(), h.from_user_name.clone().into());
    out.insert("to_user_name".into(), h.to_user_name.clone().into());
    out.insert("create_time".into(), h.create_time.into());
    out.insert("agent_id".into(), h.agent_id.into());
}

fn put(out: &mut Map<String, Value>, fields: Value) {
    if let Value::Object(fields) = fields {
        out.extend(fields);
    }
}

fn message_body(out: &mut Map<String, Value>, body: &MessageBody) {
    put(
        out,
        match body {
            MessageBody::Text(t) => json!({ "content": t.content }),
            MessageBody::Image(i) => json!({ "pic_url": i.pic_url, "media_id": i.media_id }),
            MessageBody::Voice(v) => json!({ "media_id": v.media_id, "format": v.format }),
            MessageBody::Video(v) => {
                json!({ "media_id": v.media_id, "thumb_media_id": v.thumb_media_id })
            }
            MessageBody::Location(l) => json!({
                "latitude": l.latitude, "longitude": l.longitude, "scale": l.scale,
                "label": l.label, "app_type": l.app_type,
            }),
            MessageBody::Link(l) => json!({
                "title": l.title, "description": l.description, "url": l.url, "pic_url": l.pic_url,
            }),
            _ => json!({}),
        },
    );
}

fn card_click(c: &TemplateCardClick) -> Value {
    json!({
        "event_key": c.event_key,
        "task_id": c.task_id,
        "card_type": c.card_type,
        "response_code": c.response_code,
        "selected_items": c.selected_items.iter().map(|s| json!({
            "question_key": s.question_key,
            "option_ids": s.option_ids,
        })).collect::<Vec<_>>(),
    })
}

fn contact(change: &ContactChange) -> Value {
    let mut v = match change {
        ContactChange::CreateUser(u)
        | ContactChange::UpdateUser(u)
        | ContactChange::DeleteUser(u) => {
            json!({
                "user_id": u.user_id, "new_user_id": u.new_user_id, "name": u.name,
                "department": u.department, "main_department": u.main_department,
                "position": u.position, "mobile": u.mobile, "gender": u.gender, "email": u.email,
                "biz_mail": u.biz_mail, "status": u.status, "avatar": u.avatar, "alias": u.alias,
                "telephone": u.telephone, "address": u.address,
            })
        }
        ContactChange::CreateParty(p)
        | ContactChange::UpdateParty(p)
        | ContactChange::DeleteParty(p) => {
            json!({ "id": p.id, "name": p.name, "parent_id": p.parent_id, "order": p.order })
        }
        ContactChange::UpdateTag(t) => json!({
            "tag_id": t.tag_id,
            "add_user_items": t.add_user_items, "del_user_items": t.del_user_items,
            "add_party_items": t.add_party_items, "del_party_items": t.del_party_items,
        }),
        _ => json!({}),
    };
    v["change_type"] = change.change_type().into();
    v
}

fn event_body(out: &mut Map<String, Value>, body: &EventBody) {
    put(
        out,
        match body {
            EventBody::Location(l) => json!({
                "latitude": l.latitude, "longitude": l.longitude, "precision": l.precision,
                "app_type": l.app_type,
            }),
            EventBody::BatchJobResult(j) => json!({
                "job_id": j.job_id, "job_type": j.job_type, "err_code": j.err_code, "err_msg": j.err_msg,
            }),
            EventBody::ChangeContact(c) => contact(c),
            EventBody::Click { event_key }
            | EventBody::View { event_key }
            | EventBody::ViewMiniprogram { event_key } => json!({ "event_key": event_key }),
            EventBody::ScancodePush(s) | EventBody::ScancodeWaitmsg(s) => json!({
                "event_key": s.event_key, "scan_type": s.scan_type, "scan_result": s.scan_result,
            }),
            EventBody::PicSysphoto(p) | EventBody::PicPhotoOrAlbum(p) | EventBody::PicWeixin(p) => {
                json!({ "event_key": p.event_key, "count": p.count, "pic_md5_sums": p.pic_md5_sums })
            }
            EventBody::LocationSelect(l) => json!({
                "event_key": l.event_key, "latitude": l.latitude, "longitude": l.longitude,
                "scale": l.scale, "label": l.label, "poiname": l.poiname, "app_type": l.app_type,
            }),
            EventBody::OpenApprovalChange(a) => json!({
                "third_no": a.third_no, "open_sp_name": a.open_sp_name,
                "open_template_id": a.open_template_id, "open_sp_status": a.open_sp_status,
                "apply_time": a.apply_time, "apply_user_name": a.apply_user_name,
                "apply_user_id": a.apply_user_id, "apply_user_party": a.apply_user_party,
                "approver_step": a.approver_step,
                "approval_nodes": a.approval_nodes.iter().map(|n| json!({
                    "node_status": n.node_status, "node_attr": n.node_attr, "node_type": n.node_type,
                    "items": n.items.iter().map(|i| json!({
                        "item_name": i.item_name, "item_user_id": i.item_user_id,
                        "item_status": i.item_status, "item_speech": i.item_speech,
                        "item_op_time": i.item_op_time,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "notify_nodes": a.notify_nodes.iter().map(|n| json!({
                    "item_name": n.item_name, "item_user_id": n.item_user_id,
                })).collect::<Vec<_>>(),
            }),
            EventBody::TemplateCardEvent(c) => card_click(c),
            EventBody::TemplateCardMenuEvent(c) => json!({
                "event_key": c.event_key, "task_id": c.task_id, "card_type": c.card_type,
                "response_code": c.response_code,
            }),
            EventBody::InactiveAlert { effect_time }
            | EventBody::LowActiveAlert { effect_time } => {
                json!({ "effect_time": effect_time })
            }
            _ => json!({}),
        },
    );
}

/// An element's children as JSON: text leaves as strings, nested elements as objects, and
/// repeated names as arrays.
pub(crate) fn element_fields(element: &Element) -> Value {
    let mut map = Map::new();
    for child in &element.children {
        let value = if child.children.is_empty() {
            Value::from(child.text.clone())
        } else {
            element_fields(child)
        };
        match map.get_mut(&child.name) {
            Some(Value::Array(list)) => list.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None => {
                map.insert(child.name.clone(), value);
            }
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_message_has_its_typed_fields() {
        let xml = "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[alice]]></FromUserName>\
            <CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content>\
            <MsgId>42</MsgId><AgentID>1000002</AgentID></xml>";
        let v = to_json(&Callback::parse(xml).unwrap());
        assert_eq!(v["type"], "message");
        assert_eq!(v["msgtype"], "text");
        assert_eq!(v["content"], "hi");
        assert_eq!(v["msg_id"], 42);
        assert_eq!(v["from_user_name"], "alice");
        assert_eq!(v["agent_id"], 1_000_002);
    }

    #[test]
    fn a_card_click_has_its_selections() {
        let xml = "<xml><ToUserName>ww1</ToUserName><FromUserName>alice</FromUserName><CreateTime>1</CreateTime>\
            <MsgType>event</MsgType><Event>template_card_event</Event><EventKey>lunch_submit</EventKey>\
            <TaskId>t1</TaskId><CardType>vote_interaction</CardType><ResponseCode>rc</ResponseCode><AgentID>2</AgentID>\
            <SelectedItems><SelectedItem><QuestionKey>lunch</QuestionKey><OptionIds><OptionId>a</OptionId>\
            <OptionId>b</OptionId></OptionIds></SelectedItem></SelectedItems></xml>";
        let v = to_json(&Callback::parse(xml).unwrap());
        assert_eq!(v["event"], "template_card_event");
        assert_eq!(v["response_code"], "rc");
        assert_eq!(v["selected_items"][0]["option_ids"], json!(["a", "b"]));
    }

    #[test]
    fn unknown_types_keep_their_raw_fields() {
        let xml = "<xml><ToUserName>ww1</ToUserName><FromUserName>alice</FromUserName><CreateTime>1</CreateTime>\
            <MsgType>hologram</MsgType><Depth>3</Depth><Layer><Name>a</Name></Layer><Layer><Name>b</Name></Layer></xml>";
        let v = to_json(&Callback::parse(xml).unwrap());
        assert_eq!(v["type"], "unknown");
        assert_eq!(v["msgtype"], "hologram");
        assert_eq!(v["fields"]["Depth"], "3");
        assert_eq!(v["fields"]["Layer"][1]["Name"], "b");
    }
}
