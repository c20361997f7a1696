//! Property tests: validation and the reply parser never panic, whatever the input.

use proptest::prelude::*;
use serde_json::{Map, Value};

use super::Obj;
use super::card::{self, Mode};
use super::message::{self, MSGTYPES};

/// Field names of the wire format, so that random bodies reach deep into the validators.
const KEYS: [&str; 48] = [
    "touser",
    "msgtype",
    "agentid",
    "safe",
    "text",
    "content",
    "image",
    "media_id",
    "video",
    "title",
    "description",
    "textcard",
    "url",
    "btntxt",
    "news",
    "articles",
    "picurl",
    "appid",
    "pagepath",
    "mpnews",
    "thumb_media_id",
    "author",
    "template_card",
    "card_type",
    "source",
    "desc_color",
    "action_menu",
    "action_list",
    "key",
    "main_title",
    "quote_area",
    "type",
    "horizontal_content_list",
    "keyname",
    "jump_list",
    "card_action",
    "card_image",
    "aspect_ratio",
    "button_list",
    "style",
    "checkbox",
    "option_list",
    "id",
    "is_checked",
    "select_list",
    "question_key",
    "submit_button",
    "task_id",
];

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-10i64..10).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z_:/.]{0,12}".prop_map(Value::String),
        prop::sample::select(MSGTYPES.to_vec()).prop_map(|s| Value::String(s.to_owned())),
        prop::sample::select(vec![
            "text_notice",
            "news_notice",
            "button_interaction",
            "vote_interaction",
            "multiple_interaction"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..8).prop_map(
                |kv| {
                    Value::Object(
                        kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>(),
                    )
                }
            ),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn validating_arbitrary_bodies_never_panics(body in value(), msgtype in prop::sample::select(MSGTYPES.to_vec())) {
        if let Value::Object(map) = &body {
            let _ = message::check(Obj::new(map, ""), msgtype);
            let _ = card::check(Obj::new(map, "template_card"), Mode::Send, &mut Vec::new());
            let _ = card::check(Obj::new(map, "template_card"), Mode::Update, &mut Vec::new());
            let _ = message::msgtype(Obj::new(map, ""));
        }
    }

    #[test]
    fn parsing_arbitrary_reply_xml_never_panics(xml in ".{0,200}", tags in prop::collection::vec("[A-Za-z]{1,6}", 0..6)) {
        let _ = crate::callback::xml::parse(&xml);
        let nested: String = tags.iter().map(|t| format!("<{t}>")).chain(std::iter::once(xml.clone())).collect();
        if let Ok(root) = crate::callback::xml::parse(&nested) {
            let _ = crate::callback::xml::card_to_json(&root);
        }
    }
}
