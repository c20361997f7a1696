//! Round trips over generated values: every message kind and card kind, with arbitrary
//! recipients and options, serializes to JSON and parses back into an equal value; so do card
//! updates. Validation never panics on any of them, and its errors name a place in the body.

use std::time::Duration;

use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;
use wecom::card::{
    ActionMenu, Button, ButtonInteraction, ButtonSelection, ButtonStyle, CardAction, CardImage,
    Checkbox, CheckboxMode, CheckboxOption, DescColor, EmphasisContent, HorizontalItem,
    ImageTextArea, JumpItem, MainTitle, MenuAction, MultipleInteraction, NewsNotice, QuoteArea,
    SelectOption, Selector, Source, SubmitButton, TemplateCard, TextNotice, VerticalContent,
    VoteInteraction,
};
use wecom::message::{
    Article, ContentItem, File, Image, Markdown, Message, MessageRequest, MiniProgramNotice,
    MpArticle, MpNews, News, Recipients, Safe, Text, TextCard, Video, Voice,
};
use wecom::update_card::{UpdateTemplateCard, UpdateTemplateCardBody};

/// Any text, including quotes, backslashes, control characters and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    "\\PC{0,16}|[\"\\\\\n\t<>&|$=中文]{0,8}"
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    of(text())
}

/// A member id as it can travel in a `|`-joined list.
fn user_id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.@-]{1,16}".prop_filter("@all is spelled Recipients::all()", |s| s != "@all")
}

fn recipients() -> impl Strategy<Value = Recipients> {
    (any::<bool>(), vec(user_id(), 0..4), vec(any::<u64>(), 0..4), vec(any::<u64>(), 0..4))
        .prop_map(|(all, users, parties, tags)| {
            if all {
                Recipients::all()
            } else {
                Recipients::users(users).and_parties(parties).and_tags(tags).into()
            }
        })
}

fn safe() -> impl Strategy<Value = Safe> {
    prop_oneof![Just(Safe::Shareable), Just(Safe::Confidential), Just(Safe::CorpOnly)]
}

fn article() -> impl Strategy<Value = Article> {
    (text(), opt_text(), opt_text(), opt_text(), any::<bool>(), text(), text()).prop_map(
        |(title, description, url, picurl, mini, appid, pagepath)| {
            let mut a = if mini {
                Article::mini_program(title, appid, pagepath)
            } else {
                Article::new(title, url.clone().unwrap_or_default())
            };
            a.description = description;
            a.picurl = picurl;
            if mini {
                a.url = url;
            }
            a
        },
    )
}

fn mp_article() -> impl Strategy<Value = MpArticle> {
    (text(), text(), text(), opt_text(), opt_text(), opt_text()).prop_map(
        |(title, thumb, content, author, source, digest)| {
            let mut a = MpArticle::new(title, thumb, content);
            a.author = author;
            a.content_source_url = source;
            a.digest = digest;
            a
        },
    )
}

fn plain_message() -> BoxedStrategy<Message> {
    prop_oneof![
        text().prop_map(|t| Text::new(t).into()),
        text().prop_map(|m| Image::new(m).into()),
        text().prop_map(|m| Voice::new(m).into()),
        (text(), opt_text(), opt_text()).prop_map(|(m, title, description)| {
            let mut v = Video::new(m);
            v.title = title;
            v.description = description;
            v.into()
        }),
        text().prop_map(|m| File::new(m).into()),
        (text(), text(), text(), opt_text()).prop_map(|(t, d, u, b)| {
            let mut c = TextCard::new(t, d, u);
            c.btntxt = b;
            c.into()
        }),
        vec(article(), 0..9).prop_map(|a| News::new(a).into()),
        vec(mp_article(), 0..9).prop_map(|a| MpNews::new(a).into()),
        text().prop_map(|c| Markdown::new(c).into()),
        (text(), text(), opt_text(), opt_text(), of(any::<bool>()), vec((text(), text()), 0..4))
            .prop_map(|(appid, title, page, description, emphasis, items)| {
                let mut n = MiniProgramNotice::new(appid, title)
                    .content_item(items.into_iter().map(|(k, v)| ContentItem::new(k, v)));
                n.page = page;
                n.description = description;
                n.emphasis_first_item = emphasis;
                n.into()
            }),
    ]
    .boxed()
}

fn source() -> impl Strategy<Value = Source> {
    let color = prop_oneof![
        Just(DescColor::Grey),
        Just(DescColor::Black),
        Just(DescColor::Red),
        Just(DescColor::Green)
    ];
    (opt_text(), opt_text(), of(color)).prop_map(|(icon, desc, color)| {
        let mut s = Source::default();
        s.icon_url = icon;
        s.desc = desc;
        s.desc_color = color;
        s
    })
}

fn main_title() -> impl Strategy<Value = MainTitle> {
    (opt_text(), opt_text()).prop_map(|(title, desc)| {
        let mut t = MainTitle::default();
        t.title = title;
        t.desc = desc;
        t
    })
}

fn action_menu() -> impl Strategy<Value = ActionMenu> {
    (opt_text(), vec((text(), text()), 0..4)).prop_map(|(desc, actions)| {
        let mut m = ActionMenu::new(actions.into_iter().map(|(t, k)| MenuAction::new(t, k)));
        m.desc = desc;
        m
    })
}

fn card_action() -> impl Strategy<Value = CardAction> {
    prop_oneof![
        text().prop_map(CardAction::url),
        (text(), text()).prop_map(|(a, p)| CardAction::mini_program(a, p)),
    ]
}

fn quote_area() -> impl Strategy<Value = QuoteArea> {
    (text(), opt_text(), 0..3u8, text(), text()).prop_map(|(quote, title, kind, a, b)| {
        let mut q = QuoteArea::new(quote);
        q.title = title;
        match kind {
            1 => q.url(a),
            2 => q.mini_program(a, b),
            _ => q,
        }
    })
}

fn horizontal() -> impl Strategy<Value = HorizontalItem> {
    (0..4u8, text(), text(), text()).prop_map(|(kind, k, v, x)| match kind {
        0 => HorizontalItem::text(k, v),
        1 => HorizontalItem::link(k, v, x),
        2 => HorizontalItem::attachment(k, v, x),
        _ => HorizontalItem::member(k, v, x),
    })
}

fn jump() -> impl Strategy<Value = JumpItem> {
    (any::<bool>(), text(), text(), text()).prop_map(|(mini, title, a, b)| {
        if mini { JumpItem::mini_program(title, a, b) } else { JumpItem::url(title, a) }
    })
}

fn emphasis() -> impl Strategy<Value = EmphasisContent> {
    (opt_text(), opt_text()).prop_map(|(title, desc)| {
        let mut e = EmphasisContent::default();
        e.title = title;
        e.desc = desc;
        e
    })
}

fn text_notice() -> BoxedStrategy<TemplateCard> {
    (
        (of(source()), of(action_menu()), of(main_title()), of(quote_area())),
        (of(emphasis()), opt_text(), vec(horizontal(), 0..7), vec(jump(), 0..4)),
        (card_action(), of(text())),
    )
        .prop_map(|((source, menu, title, quote), (emph, sub, rows, jumps), (action, task))| {
            let mut c = TextNotice::with_sub_title("", action)
                .horizontal_content_list(rows)
                .jump_list(jumps);
            c.source = source;
            c.action_menu = menu;
            c.main_title = title;
            c.quote_area = quote;
            c.emphasis_content = emph;
            c.sub_title_text = sub;
            c.task_id = task.map(Into::into);
            c.into()
        })
        .boxed()
}

fn card_image() -> impl Strategy<Value = CardImage> {
    // Hundredths parse back to the same f64 with serde_json's default float parser.
    (text(), of((100..300u16).prop_map(|n| f64::from(n) / 100.0))).prop_map(|(url, ratio)| {
        let mut i = CardImage::new(url);
        i.aspect_ratio = ratio;
        i
    })
}

fn image_text_area() -> impl Strategy<Value = ImageTextArea> {
    (text(), opt_text(), opt_text(), 0..3u8, text(), text()).prop_map(
        |(image, title, desc, kind, a, b)| {
            let mut area = ImageTextArea::new(image);
            area.title = title;
            area.desc = desc;
            match kind {
                1 => area.url(a),
                2 => area.mini_program(a, b),
                _ => area,
            }
        },
    )
}

fn news_notice() -> BoxedStrategy<TemplateCard> {
    (
        (of(source()), of(action_menu()), main_title(), of(quote_area())),
        (of(image_text_area()), of(card_image()), vec((text(), opt_text()), 0..5)),
        (vec(horizontal(), 0..7), vec(jump(), 0..4), card_action(), of(text())),
    )
        .prop_map(
            |(
                (source, menu, title, quote),
                (area, image, vertical),
                (rows, jumps, action, task),
            )| {
                let mut c = NewsNotice::new(title, CardImage::new(""), action)
                    .vertical_content_list(vertical.into_iter().map(|(t, d)| {
                        let mut v = VerticalContent::new(t);
                        v.desc = d;
                        v
                    }))
                    .horizontal_content_list(rows)
                    .jump_list(jumps);
                c.source = source;
                c.action_menu = menu;
                c.quote_area = quote;
                c.image_text_area = area;
                c.card_image = image;
                c.task_id = task.map(Into::into);
                c.into()
            },
        )
        .boxed()
}

fn select_options() -> impl Strategy<Value = Vec<SelectOption>> {
    vec((text(), text()).prop_map(|(id, t)| SelectOption::new(id, t)), 0..4)
}

fn button() -> impl Strategy<Value = Button> {
    let style = prop_oneof![
        Just(ButtonStyle::Style1),
        Just(ButtonStyle::Style2),
        Just(ButtonStyle::Style3),
        Just(ButtonStyle::Style4)
    ];
    (any::<bool>(), text(), text(), of(style)).prop_map(|(link, t, x, style)| {
        let b = if link { Button::link(t, x) } else { Button::callback(t, x) };
        match style {
            Some(s) => b.style(s),
            None => b,
        }
    })
}

fn button_interaction() -> BoxedStrategy<TemplateCard> {
    let selection = (text(), opt_text(), select_options(), opt_text(), of(any::<bool>())).prop_map(
        |(key, title, options, selected, disable)| {
            let mut s = ButtonSelection::new(key, options);
            s.title = title;
            s.selected_id = selected;
            s.disable = disable;
            s
        },
    );
    (
        (of(source()), of(action_menu()), main_title(), of(quote_area()), opt_text()),
        (vec(horizontal(), 0..7), of(card_action()), text(), of(selection)),
        (vec(button(), 0..7), opt_text()),
    )
        .prop_map(
            |(
                (source, menu, title, quote, sub),
                (rows, action, task, selection),
                (list, replace),
            )| {
                let mut c = ButtonInteraction::new(title, task, list).horizontal_content_list(rows);
                c.source = source;
                c.action_menu = menu;
                c.quote_area = quote;
                c.sub_title_text = sub;
                c.card_action = action;
                c.button_selection = selection;
                c.replace_text = replace;
                c.into()
            },
        )
        .boxed()
}

fn submit() -> impl Strategy<Value = SubmitButton> {
    (opt_text(), text()).prop_map(|(t, key)| match t {
        Some(t) => SubmitButton::new(t, key),
        None => SubmitButton::with_key(key),
    })
}

fn vote_interaction() -> BoxedStrategy<TemplateCard> {
    let mode = prop_oneof![Just(CheckboxMode::Single), Just(CheckboxMode::Multiple)];
    let options = vec(
        (text(), text(), any::<bool>())
            .prop_map(|(id, t, c)| CheckboxOption::new(id, t).checked(c)),
        0..4,
    );
    let checkbox =
        (text(), of(mode), options, of(any::<bool>())).prop_map(|(key, mode, options, disable)| {
            let mut c = Checkbox::new(key, options);
            c.mode = mode;
            c.disable = disable;
            c
        });
    (of(source()), main_title(), text(), checkbox, submit(), opt_text())
        .prop_map(|(source, title, task, checkbox, submit, replace)| {
            let mut c = VoteInteraction::new(title, task, checkbox, submit);
            c.source = source;
            c.replace_text = replace;
            c.into()
        })
        .boxed()
}

fn multiple_interaction() -> BoxedStrategy<TemplateCard> {
    let selector = (text(), opt_text(), opt_text(), select_options(), of(any::<bool>())).prop_map(
        |(key, title, selected, options, disable)| {
            let mut s = Selector::new(key, options);
            s.title = title;
            s.selected_id = selected;
            s.disable = disable;
            s
        },
    );
    (of(source()), main_title(), text(), vec(selector, 0..4), submit(), opt_text())
        .prop_map(|(source, title, task, list, submit, replace)| {
            let mut c = MultipleInteraction::new(title, task, list, submit);
            c.source = source;
            c.replace_text = replace;
            c.into()
        })
        .boxed()
}

fn card() -> BoxedStrategy<TemplateCard> {
    prop_oneof![
        text_notice(),
        news_notice(),
        button_interaction(),
        vote_interaction(),
        multiple_interaction(),
    ]
    .boxed()
}

fn message() -> BoxedStrategy<Message> {
    prop_oneof![3 => plain_message(), 2 => card().prop_map(Message::from)].boxed()
}

fn request() -> BoxedStrategy<MessageRequest> {
    (any::<i64>(), recipients(), message(), of(safe()), of(any::<bool>()), of(0..20_000u64))
        .prop_map(|(agent, to, message, safe, id_trans, interval)| {
            let mut req = MessageRequest::new(agent, to, message);
            req.options.safe = safe;
            req.options.enable_id_trans = id_trans;
            req.options.duplicate_check = interval.map(Duration::from_secs);
            req
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn message_requests_round_trip(req in request()) {
        let json = serde_json::to_string(&req).unwrap();
        let back: MessageRequest = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &req);
        // Serializing again gives the same bytes: the form is canonical.
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
        let _ = req.validate();
    }

    #[test]
    fn cards_round_trip_on_their_own(card in card()) {
        let value = serde_json::to_value(&card).unwrap();
        prop_assert_eq!(value["card_type"].as_str(), Some(card.card_type()));
        let back: TemplateCard = serde_json::from_value(value).unwrap();
        prop_assert_eq!(&back, &card);
        let _ = card.validate();
    }

    #[test]
    fn card_updates_round_trip(
        agent in any::<i64>(),
        to in recipients(),
        code in text(),
        replace in prop_oneof![text().prop_map(Err), card().prop_map(Ok)],
        id_trans in of(any::<bool>()),
    ) {
        let mut update = match replace {
            Err(name) => UpdateTemplateCard::replace_button(code, to, name),
            Ok(card) => UpdateTemplateCard::replace_card(code, to, card),
        };
        update.enable_id_trans = id_trans;
        let json = serde_json::to_string(&update.to_body(agent)).unwrap();
        let back: UpdateTemplateCardBody<'static> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.agent_id, agent);
        prop_assert_eq!(&*back.update, &update);
        let _ = update.validate();
    }

    #[test]
    fn validation_errors_point_into_the_body(req in request()) {
        if let Err(err) = req.validate() {
            let body = serde_json::to_value(&req).unwrap();
            prop_assert!(points_into(&body, &err.field), "{} not in {}", err.field, body);
            prop_assert!(!err.problem.is_empty());
        }
    }
}

/// Whether `path` (`a.b[2].c`) points into `body`: every array element it names exists, and
/// once a field is absent (a required field the body lacks) only field names follow.
fn points_into(body: &serde_json::Value, path: &str) -> bool {
    let mut steps = Vec::new();
    for segment in path.split('.') {
        let mut parts = segment.split('[');
        steps.push(Step::Key(parts.next().unwrap().to_owned()));
        for index in parts {
            steps.push(Step::Index(index.trim_end_matches(']').parse().unwrap()));
        }
    }
    let mut at = Some(body);
    for step in steps {
        at = match (step, at) {
            (Step::Key(key), Some(value)) => value.get(key.as_str()),
            (Step::Key(_), None) => None,
            (Step::Index(i), Some(value)) => match value.get(i) {
                Some(item) => Some(item),
                None => return false,
            },
            (Step::Index(_), None) => return false,
        };
    }
    true
}

enum Step {
    Key(String),
    Index(usize),
}
