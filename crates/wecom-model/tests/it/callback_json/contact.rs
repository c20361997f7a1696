//! `change_contact`: one golden object per `ChangeType`.

use serde_json::{Value, json};

use super::{event, with_header};
use wecom_model::callback::{Callback, ChangeType, EventBody};

fn change(change_type: &str, body: &str) -> Value {
    event("change_contact", &format!("<ChangeType>{change_type}</ChangeType>{body}"))
}

fn golden(change_type: &str, mut want: Value) -> Value {
    want["type"] = "event".into();
    want["event"] = "change_contact".into();
    want["change_type"] = change_type.into();
    with_header(want)
}

/// A member change with nothing but the id: every other field is `null`.
fn bare_user(user_id: &str) -> Value {
    json!({
        "user_id": user_id, "new_user_id": null, "open_user_id": null, "name": null,
        "department": null, "main_department": null, "is_leader_in_dept": null,
        "direct_leader": null, "position": null, "mobile": null, "gender": null, "email": null,
        "biz_mail": null, "status": null, "avatar": null, "alias": null, "telephone": null,
        "address": null, "ext_attr": null,
    })
}

#[test]
fn member_changes() {
    let full = "<UserID>zhangsan</UserID><NewUserID>zhangsan01</NewUserID><Name>张三</Name>\
        <Department>1,2</Department><MainDepartment>1</MainDepartment><IsLeaderInDept>1,0</IsLeaderInDept>\
        <DirectLeader>lisi,wangwu</DirectLeader><Position>Engineer</Position><Mobile>13800000000</Mobile>\
        <Gender>1</Gender><Email>z@example.com</Email><BizMail>z@corp.example.com</BizMail><Status>1</Status>\
        <Avatar>https://a</Avatar><Alias>san</Alias><Telephone>020-1</Telephone><Address>GZ</Address>\
        <ExtAttr><Item><Name>hobby</Name><Type>0</Type><Text><Value>go</Value></Text></Item></ExtAttr>";
    for change_type in ["create_user", "update_user"] {
        assert_eq!(
            change(change_type, full),
            golden(
                change_type,
                json!({
                    "user_id": "zhangsan", "new_user_id": "zhangsan01", "open_user_id": null,
                    "name": "张三", "department": [1, 2], "main_department": 1,
                    "is_leader_in_dept": [1, 0], "direct_leader": ["lisi", "wangwu"],
                    "position": "Engineer", "mobile": "13800000000", "gender": 1,
                    "email": "z@example.com", "biz_mail": "z@corp.example.com", "status": 1,
                    "avatar": "https://a", "alias": "san", "telephone": "020-1", "address": "GZ",
                    "ext_attr": { "Item": { "Name": "hobby", "Type": "0", "Text": { "Value": "go" } } },
                })
            ),
            "{change_type}"
        );
    }
    assert_eq!(
        change("delete_user", "<UserID>zhangsan</UserID>"),
        golden("delete_user", bare_user("zhangsan"))
    );
}

#[test]
fn department_changes() {
    assert_eq!(
        change(
            "create_party",
            "<Id>2</Id><Name>R&amp;D</Name><ParentId>1</ParentId><Order>10</Order>"
        ),
        golden("create_party", json!({ "id": 2, "name": "R&D", "parent_id": 1, "order": 10 }))
    );
    for change_type in ["update_party", "delete_party"] {
        assert_eq!(
            change(change_type, "<Id>3</Id>"),
            golden(change_type, json!({ "id": 3, "name": null, "parent_id": null, "order": null })),
            "{change_type}"
        );
    }
}

#[test]
fn tag_changes() {
    assert_eq!(
        change(
            "update_tag",
            "<TagId>7</TagId><AddUserItems>a,b</AddUserItems><DelUserItems>c</DelUserItems>\
             <AddPartyItems>1,2</AddPartyItems><DelPartyItems></DelPartyItems>"
        ),
        golden(
            "update_tag",
            json!({
                "tag_id": 7, "add_user_items": ["a", "b"], "del_user_items": ["c"],
                "add_party_items": [1, 2], "del_party_items": [],
            })
        )
    );
}

#[test]
fn change_types_are_typed() {
    let xml = super::xml(
        "event",
        "<Event>change_contact</Event><ChangeType>update_tag</ChangeType><TagId>1</TagId>",
    );
    let Callback::Event(e) = Callback::parse(&xml).unwrap() else { panic!("not an event") };
    let EventBody::ChangeContact(c) = e.body else { panic!("not a contact change") };
    assert_eq!(c.kind(), ChangeType::UpdateTag);
    assert_eq!(c.change_type(), "update_tag");
    assert_eq!(ChangeType::from("create_user"), ChangeType::CreateUser);
}
