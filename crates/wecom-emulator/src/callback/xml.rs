//! The XML of callbacks: the header of the inner messages of §7 (written with the model's
//! `XmlWriter`; `wecom-msgcrypt` seals the envelope), and reading passive replies (§7.3) — a small element tree over quick-xml, and the
//! conversion of a reply's `<TemplateCard>` into the JSON card schema of §2.13.

use quick_xml::Reader;
use quick_xml::events::Event as XmlEvent;
use serde_json::{Map, Number, Value};
use wecom_model::InvalidArgument;
use wecom_model::xml::XmlWriter;

/// The common header of inbound payloads.
pub(crate) fn header(
    w: &mut XmlWriter,
    corp_id: &str,
    userid: &str,
    create_time: i64,
    msgtype: &str,
) -> Result<(), InvalidArgument> {
    w.text("ToUserName", corp_id)?;
    w.text("FromUserName", userid)?;
    w.value("CreateTime", create_time);
    w.text("MsgType", msgtype)
}

/// An XML element: name, text (CDATA or plain, concatenated) and child elements.
#[derive(Debug, Default, Clone)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

impl Element {
    /// The first child with this name.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The trimmed text of the first child with this name.
    pub(crate) fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

/// Parses a document into its root element (no DTDs, bounded depth).
pub(crate) fn parse(xml: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    loop {
        match reader.read_event().map_err(|e| format!("malformed XML: {e}"))? {
            XmlEvent::Start(e) => {
                if stack.len() > 32 {
                    return Err("XML nested too deeply".to_owned());
                }
                let name = e.name().as_ref().to_owned();
                stack.push(Element { name, ..Element::default() });
            }
            XmlEvent::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Element { name, ..Element::default() }),
                    None => return Ok(Element { name, ..Element::default() }),
                }
            }
            XmlEvent::End(_) => {
                let done = stack.pop().ok_or("unbalanced XML")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            XmlEvent::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            XmlEvent::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref()
                            .map_err(|e| format!("bad XML character reference: {e}"))?
                    } else {
                        match &*r {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            other => return Err(format!("unknown XML entity &{other};")),
                        }
                    };
                    top.text.push(c.ok_or("bad XML character reference")?);
                }
            }
            XmlEvent::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&c);
                }
            }
            XmlEvent::DocType(_) => return Err("DTDs are not accepted".to_owned()),
            XmlEvent::Eof => return Err("XML ended before the root element closed".to_owned()),
            _ => {}
        }
    }
}

/// Elements that repeat (and become JSON arrays).
const LISTS: [&str; 7] = [
    "HorizontalContentList",
    "JumpList",
    "VerticalContentList",
    "ButtonList",
    "SelectList",
    "OptionList",
    "ActionList",
];

/// The JSON key of a `TemplateCard` element name.
fn json_key(name: &str) -> String {
    match name {
        "AppId" | "Appid" => "appid".to_owned(),
        "PagePath" => "pagepath".to_owned(),
        "KeyName" => "keyname".to_owned(),
        "UserId" => "userid".to_owned(),
        "CheckBox" => "checkbox".to_owned(),
        _ => {
            let mut out = String::with_capacity(name.len() + 4);
            for (i, c) in name.chars().enumerate() {
                if c.is_ascii_uppercase() {
                    if i > 0 {
                        out.push('_');
                    }
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

fn scalar(name: &str, text: &str) -> Value {
    let t = text.trim();
    match name {
        "Type" | "Style" | "DescColor" | "Mode" => t
            .parse::<i64>()
            .map_or_else(|_| Value::String(t.to_owned()), |n| Value::Number(n.into())),
        "Disable" | "IsChecked" => match t {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => Value::String(t.to_owned()),
        },
        "AspectRatio" => t
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(t.to_owned()), Value::Number),
        _ => Value::String(text.to_owned()),
    }
}

/// Converts `<TemplateCard>` into the JSON card (`card_type`, `main_title`, …).
pub(crate) fn card_to_json(card: &Element) -> Value {
    let mut map = Map::new();
    for child in &card.children {
        let key = json_key(&child.name);
        let value = if child.children.is_empty() && !LISTS.contains(&child.name.as_str()) {
            scalar(&child.name, &child.text)
        } else {
            card_to_json(child)
        };
        if LISTS.contains(&child.name.as_str()) {
            match map.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
                Value::Array(items) => items.push(value),
                other => *other = Value::Array(vec![value]),
            }
        } else {
            map.insert(key, value);
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::{card_to_json, parse};

    #[test]
    fn reply_card_xml_becomes_the_json_card() {
        let xml = "<xml><TemplateCard><CardType><![CDATA[button_interaction]]></CardType>\
            <MainTitle><Title><![CDATA[Done]]></Title></MainTitle>\
            <ButtonList><Text>A</Text><Style>1</Style><Key>a</Key></ButtonList>\
            <ButtonList><Text>B</Text><Style>2</Style><Key>b</Key></ButtonList>\
            <ReplaceText>Handled</ReplaceText><TaskId>t1</TaskId>\
            <CheckBox><Disable>true</Disable></CheckBox></TemplateCard></xml>";
        let root = parse(xml).unwrap();
        let card = card_to_json(root.child("TemplateCard").unwrap());
        assert_eq!(
            card,
            serde_json::json!({
                "card_type": "button_interaction",
                "main_title": {"title": "Done"},
                "button_list": [{"text": "A", "style": 1, "key": "a"}, {"text": "B", "style": 2, "key": "b"}],
                "replace_text": "Handled",
                "task_id": "t1",
                "checkbox": {"disable": true}
            })
        );
    }

    #[test]
    fn a_header_with_the_cdata_terminator_parses_back() {
        let mut w = super::XmlWriter::with_capacity(64);
        super::header(&mut w, "ww1", "a]]>b", 1, "text").unwrap();
        let root = parse(&w.finish()).unwrap();
        assert_eq!(root.text_of("FromUserName"), Some("a]]>b"));
        assert_eq!(root.text_of("CreateTime"), Some("1"));
    }

    #[test]
    fn entities_and_plain_text_are_read() {
        let root = parse("<xml><A>x &amp; y</A><B/></xml>").unwrap();
        assert_eq!(root.text_of("A"), Some("x & y"));
        assert_eq!(root.text_of("B"), Some(""));
        assert!(parse("<xml><A>").is_err());
        assert!(parse("<!DOCTYPE x><xml/>").is_err());
    }
}
