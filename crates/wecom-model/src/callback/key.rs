//! De-duplication keys: what makes two deliveries "the same callback".
//!
//! Each value is written length-prefixed (`5:alice;`), so no choice of field values can make
//! two different callbacks produce the same key.

use std::fmt::Write as _;

use sha1::{Digest, Sha1};

use super::event::{ContactChange, EventBody};
use super::{Callback, Header};
use crate::xml::Element;

/// Keys longer than this are shortened to a digest.
const MAX_KEY_LEN: usize = 200;

struct Key(String);

impl Key {
    fn new(kind: &str, header: &Header) -> Self {
        let mut k = Key(String::with_capacity(96));
        k.0.push_str(kind);
        k.0.push(';');
        k.str(&header.to_user_name);
        match header.agent_id {
            Some(id) => k.num(id),
            None => k.0.push_str("-;"),
        }
        k
    }

    fn str(&mut self, value: &str) {
        let _ = write!(self.0, "{}:", value.len());
        self.0.push_str(value);
        self.0.push(';');
    }

    fn num(&mut self, value: impl std::fmt::Display) {
        let _ = write!(self.0, "{value};");
    }

    fn opt_str(&mut self, value: Option<&str>) {
        match value {
            Some(v) => self.str(v),
            None => self.0.push_str("-;"),
        }
    }

    fn list<T: AsRef<str>>(&mut self, values: &[T]) {
        self.num(values.len());
        for v in values {
            self.str(v.as_ref());
        }
    }

    fn element(&mut self, e: &Element) {
        self.str(&e.name);
        self.num(e.attributes.len());
        for (name, value) in &e.attributes {
            self.str(name);
            self.str(value);
        }
        self.str(&e.text);
        self.num(e.children.len());
        for child in &e.children {
            self.element(child);
        }
    }

    fn finish(self) -> String {
        if self.0.len() <= MAX_KEY_LEN {
            return self.0;
        }
        let kind = self.0.split(';').next().unwrap_or_default();
        let digest = Sha1::digest(self.0.as_bytes());
        let mut out = String::with_capacity(kind.len() + 46);
        out.push_str(kind);
        out.push_str(";sha1:");
        for b in digest {
            let _ = write!(out, "{b:02x}");
        }
        out
    }
}

fn message_key(header: &Header, msg_id: u64) -> String {
    let mut k = Key::new("m", header);
    k.num(msg_id);
    k.finish()
}

pub(super) fn dedup_key(callback: &Callback) -> String {
    match callback {
        Callback::Message(m) => message_key(&m.header, m.msg_id),
        Callback::Event(e) => {
            let mut k = Key::new("e", &e.header);
            k.str(&e.header.from_user_name);
            k.num(e.header.create_time);
            k.str(e.body.name());
            event_details(&mut k, &e.body);
            k.finish()
        }
        Callback::Unknown(u) => {
            if let Some(msg_id) = u.msg_id() {
                return message_key(&u.header, msg_id);
            }
            let mut k = Key::new("u", &u.header);
            k.str(&u.header.from_user_name);
            k.num(u.header.create_time);
            k.str(&u.msg_type);
            k.opt_str(u.event.as_deref());
            k.element(&u.raw);
            k.finish()
        }
    }
}

fn event_details(k: &mut Key, body: &EventBody) {
    match body {
        EventBody::Subscribe
        | EventBody::Unsubscribe
        | EventBody::EnterAgent
        | EventBody::ShareAgentChange
        | EventBody::ShareChainChange
        | EventBody::CloseInactiveAgent
        | EventBody::ReopenInactiveAgent
        | EventBody::LowActive
        | EventBody::ActiveRestored => {}
        EventBody::Location(l) => {
            k.num(l.latitude);
            k.num(l.longitude);
            k.num(l.precision);
        }
        EventBody::BatchJobResult(j) => {
            k.str(&j.job_id);
            k.str(j.job_type.as_str());
            k.num(j.err_code);
        }
        EventBody::ChangeContact(c) => contact_details(k, c),
        EventBody::Click { event_key }
        | EventBody::View { event_key }
        | EventBody::ViewMiniprogram { event_key } => k.str(event_key),
        EventBody::ScancodePush(s) | EventBody::ScancodeWaitmsg(s) => {
            k.str(&s.event_key);
            k.str(s.scan_type.as_str());
            k.str(&s.scan_result);
        }
        EventBody::PicSysphoto(p) | EventBody::PicPhotoOrAlbum(p) | EventBody::PicWeixin(p) => {
            k.str(&p.event_key);
            k.list(&p.pic_md5_sums);
        }
        EventBody::LocationSelect(l) => {
            k.str(&l.event_key);
            k.num(l.latitude);
            k.num(l.longitude);
            k.str(&l.label);
        }
        EventBody::OpenApprovalChange(a) => {
            k.str(&a.third_no);
            k.num(a.open_sp_status);
            k.num(a.approver_step);
            for node in &a.approval_nodes {
                k.num(node.node_status);
                for item in &node.items {
                    k.str(&item.item_user_id);
                    k.num(item.item_status);
                    k.num(item.item_op_time);
                }
            }
        }
        EventBody::TemplateCardEvent(c) => {
            k.str(&c.event_key);
            k.str(&c.task_id);
            k.str(&c.response_code);
            for item in &c.selected_items {
                k.str(&item.question_key);
                k.list(&item.option_ids);
            }
        }
        EventBody::TemplateCardMenuEvent(c) => {
            k.str(&c.event_key);
            k.str(&c.task_id);
            k.str(&c.response_code);
        }
        EventBody::InactiveAlert { effect_time } | EventBody::LowActiveAlert { effect_time } => {
            k.num(effect_time.unwrap_or_default());
        }
    }
}

fn contact_details(k: &mut Key, change: &ContactChange) {
    k.str(change.change_type());
    match change {
        ContactChange::CreateUser(u)
        | ContactChange::UpdateUser(u)
        | ContactChange::DeleteUser(u) => {
            // An update carries only what changed: every field is part of the key so that two
            // different updates of one member in the same second stay distinct.
            k.str(&u.user_id);
            k.opt_str(u.new_user_id.as_deref());
            k.str(&format!("{u:?}"));
        }
        ContactChange::CreateParty(p)
        | ContactChange::UpdateParty(p)
        | ContactChange::DeleteParty(p) => {
            k.num(p.id);
            k.opt_str(p.name.as_deref());
            k.num(p.parent_id.unwrap_or(u64::MAX));
            k.num(p.order.unwrap_or(u64::MAX));
        }
        ContactChange::UpdateTag(t) => {
            k.num(t.tag_id);
            k.list(&t.add_user_items);
            k.list(&t.del_user_items);
            let parties = |ids: &[u64]| ids.iter().map(u64::to_string).collect::<Vec<_>>();
            k.list(&parties(&t.add_party_items));
            k.list(&parties(&t.del_party_items));
        }
    }
}
