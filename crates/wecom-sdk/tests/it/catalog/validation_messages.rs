//! Validation of `message/send` bodies before any I/O: recipients, send options and every
//! message kind's limits. Each error must name the field as it appears in the JSON body and
//! state the limit (and the size that broke it).

use std::time::Duration;

use wecom::message::{
    Article, ContentItem, File, Image, Markdown, Message, MessageRequest, MiniProgramNotice,
    MpArticle, MpNews, News, Recipients, SEND_FIELDS, Safe, Text, TextCard, Video, Voice,
};

/// `req` is rejected for `field`, and the problem mentions every one of `words`.
#[track_caller]
fn rejects(req: &MessageRequest, field: &str, words: &[&str]) {
    let err = req.validate().expect_err("should be rejected");
    assert_eq!(err.field, field, "wrong field in: {err}");
    for word in words {
        assert!(err.problem.contains(word), "`{word}` missing from: {err}");
    }
}

fn to_alice(message: impl Into<Message>) -> MessageRequest {
    MessageRequest::new(1, Recipients::users(["alice"]), message)
}

fn text() -> Text {
    Text::new("hi")
}

#[test]
fn recipients_must_name_someone() {
    let empty = MessageRequest::new(1, Recipients::users(Vec::<String>::new()), text());
    rejects(&empty, "touser", &["no recipients", "Recipients::all()"]);
    assert!(MessageRequest::new(1, Recipients::parties([1]), text()).validate().is_ok());
    assert!(MessageRequest::new(1, Recipients::tags([1]), text()).validate().is_ok());
    assert!(MessageRequest::new(1, Recipients::user("alice"), text()).validate().is_ok());
}

#[test]
fn at_all_cannot_be_combined() {
    let req = |r: Recipients| MessageRequest::new(1, r, text());
    // In code the combination cannot be built (`Recipients::all()` has no `and_users`); from
    // the wire it is refused, naming the field.
    let combined = |listed| Recipients::from_parts(true, listed, SEND_FIELDS).unwrap_err();
    for (err, field, words) in [
        (combined(Recipients::users(["bob"])), "touser", &["@all"][..]),
        (combined(Recipients::parties([2])), "toparty", &["@all", "ignore"][..]),
        (combined(Recipients::tags([3])), "totag", &["@all"][..]),
    ] {
        assert_eq!(err.field, field);
        for word in words {
            assert!(err.problem.contains(word), "{err}");
        }
    }
    // The same combination read from JSON is caught too.
    let body = serde_json::json!({
        "touser": "@all", "toparty": "2", "msgtype": "text", "agentid": 1, "text": { "content": "x" }
    });
    let err = serde_json::from_value::<MessageRequest>(body).unwrap_err();
    assert!(err.to_string().contains("toparty") && err.to_string().contains("@all"), "{err}");
    assert!(req(Recipients::all()).validate().is_ok());
}

#[test]
fn recipient_counts_are_limited() {
    let users = |n: usize| Recipients::users((0..n).map(|i| format!("u{i}")));
    assert!(MessageRequest::new(1, users(1000), text()).validate().is_ok());
    rejects(&MessageRequest::new(1, users(1001), text()), "touser", &["1000", "(got 1001)"]);
    let parties = |n: u64| Recipients::parties(1..=n);
    assert!(MessageRequest::new(1, parties(100), text()).validate().is_ok());
    rejects(&MessageRequest::new(1, parties(101), text()), "toparty", &["100", "(got 101)"]);
    let tags = |n: u64| Recipients::tags(1..=n);
    assert!(MessageRequest::new(1, tags(100), text()).validate().is_ok());
    rejects(&MessageRequest::new(1, tags(101), text()), "totag", &["100", "(got 101)"]);
    assert_eq!(Recipients::MAX_USERS, 1000);
}

#[test]
fn member_ids_must_survive_the_joined_form() {
    let with = |id: &str| MessageRequest::new(1, Recipients::users(["ok", id]), text());
    rejects(&with("a|b"), "touser", &["index 1", "`|`"]);
    rejects(&with(""), "touser", &["index 1", "empty"]);
    rejects(&with("a b"), "touser", &["whitespace"]);
    rejects(&with(&"x".repeat(65)), "touser", &["64 bytes", "65 bytes"]);
    rejects(&with("@all"), "touser", &["Recipients::all()"]);
    assert!(with(&"x".repeat(64)).validate().is_ok());
    assert!(with("zhang.san@corp-1_x").validate().is_ok());
}

#[test]
fn miniprogram_notice_cannot_go_to_everyone() {
    let notice = MiniProgramNotice::new("wx1", "Booked");
    let req = MessageRequest::new(1, Recipients::all(), notice.clone());
    rejects(&req, "touser", &["miniprogram_notice", "@all"]);
    assert!(to_alice(notice).validate().is_ok());
}

#[test]
fn safe_only_where_the_kind_allows_it() {
    for ok in [
        Message::from(text()),
        Image::new("m").into(),
        Video::new("m").into(),
        File::new("m").into(),
        MpNews::new([MpArticle::new("t", "m", "c")]).into(),
    ] {
        assert!(to_alice(ok.clone()).safe(true).validate().is_ok(), "{}", ok.msgtype());
        assert!(to_alice(ok).safe(false).validate().is_ok());
    }
    let news = News::new([Article::new("t", "https://e.com")]);
    rejects(&to_alice(news.clone()).safe(true), "safe", &["news", "40074", "mpnews"]);
    rejects(&to_alice(news).safe(false), "safe", &["news"]);
    for kind in [
        Message::from(Voice::new("m")),
        Markdown::new("x").into(),
        TextCard::new("t", "d", "https://e.com").into(),
        MiniProgramNotice::new("wx", "t").into(),
    ] {
        let name = kind.msgtype();
        rejects(&to_alice(kind).safe(true), "safe", &[name, "text, image, video, file and mpnews"]);
    }
}

#[test]
fn corp_only_safe_is_for_mpnews_only() {
    rejects(&to_alice(text()).safe(Safe::CorpOnly), "safe", &["2", "mpnews"]);
    rejects(&to_alice(File::new("m")).safe(Safe::CorpOnly), "safe", &["mpnews"]);
    let mpnews = MpNews::new([MpArticle::new("t", "m", "c")]);
    assert!(to_alice(mpnews).safe(Safe::CorpOnly).validate().is_ok());
}

#[test]
fn id_translation_only_where_the_kind_allows_it() {
    for ok in [
        Message::from(text()),
        TextCard::new("t", "d", "https://e.com").into(),
        News::new([Article::new("t", "https://e.com")]).into(),
        MpNews::new([MpArticle::new("t", "m", "c")]).into(),
        MiniProgramNotice::new("wx", "t").into(),
    ] {
        assert!(to_alice(ok).enable_id_trans(true).validate().is_ok());
    }
    for kind in [
        Message::from(Image::new("m")),
        Voice::new("m").into(),
        Video::new("m").into(),
        File::new("m").into(),
        Markdown::new("x").into(),
    ] {
        let name = kind.msgtype();
        rejects(&to_alice(kind).enable_id_trans(true), "enable_id_trans", &[name]);
    }
}

#[test]
fn duplicate_check_interval_is_whole_seconds_up_to_four_hours() {
    let with = |d: Duration| to_alice(text()).duplicate_check(d);
    assert!(with(Duration::from_secs(1)).validate().is_ok());
    assert!(with(Duration::from_secs(14_400)).validate().is_ok());
    rejects(&with(Duration::ZERO), "duplicate_check_interval", &["1 to 14400", "(got 0)"]);
    rejects(&with(Duration::from_secs(14_401)), "duplicate_check_interval", &["(got 14401)"]);
    rejects(&with(Duration::from_millis(1500)), "duplicate_check_interval", &["whole seconds"]);
}

#[test]
fn text_is_required_and_at_most_2048_bytes() {
    rejects(&to_alice(Text::new("")), "text.content", &["required"]);
    // 682 three-byte characters + 2 ASCII = exactly 2048 bytes.
    let at_limit = format!("{}ab", "中".repeat(682));
    assert_eq!(at_limit.len(), 2048);
    assert!(to_alice(Text::new(at_limit.clone())).validate().is_ok());
    rejects(
        &to_alice(Text::new(at_limit + "c")),
        "text.content",
        &["2048 bytes", "(got 2049 bytes)"],
    );
}

#[test]
fn media_ids_are_required() {
    rejects(&to_alice(Image::new("")), "image.media_id", &["required"]);
    rejects(&to_alice(Voice::new("")), "voice.media_id", &["required"]);
    rejects(&to_alice(File::new("")), "file.media_id", &["required"]);
    rejects(&to_alice(Video::new("")), "video.media_id", &["required"]);
}

#[test]
fn video_title_and_description_are_limited() {
    let long = |n: usize| "v".repeat(n);
    assert!(to_alice(Video::new("m").title(long(128)).description(long(512))).validate().is_ok());
    rejects(&to_alice(Video::new("m").title(long(129))), "video.title", &["128", "129"]);
    rejects(&to_alice(Video::new("m").description(long(513))), "video.description", &["512"]);
}

#[test]
fn textcard_limits() {
    let card = |title: &str, desc: &str, url: &str| TextCard::new(title, desc, url);
    let url = "https://e.com";
    rejects(&to_alice(card("", "d", url)), "textcard.title", &["required"]);
    rejects(&to_alice(card(&"t".repeat(129), "d", url)), "textcard.title", &["128 bytes"]);
    rejects(&to_alice(card("t", "", url)), "textcard.description", &["required"]);
    rejects(&to_alice(card("t", &"d".repeat(513), url)), "textcard.description", &["512"]);
    rejects(&to_alice(card("t", "d", "")), "textcard.url", &["required"]);
    rejects(&to_alice(card("t", "d", "e.com/x")), "textcard.url", &["http:// or https://"]);
    let long_url = format!("https://e.com/{}", "x".repeat(2040));
    rejects(&to_alice(card("t", "d", &long_url)), "textcard.url", &["2048 bytes"]);
    rejects(
        &to_alice(card("t", "d", url).btntxt("Details")),
        "textcard.btntxt",
        &["4 characters", "(got 7)"],
    );
    assert!(to_alice(card("t", "d", url).btntxt("查看详情")).validate().is_ok());
    assert!(to_alice(card("t", "d", "HTTP://E.COM").btntxt("Open")).validate().is_ok());
}

#[test]
fn news_article_count_is_one_to_eight() {
    let article = || Article::new("t", "https://e.com");
    rejects(&to_alice(News::new([])), "news.articles", &["1 to 8", "(got 0)"]);
    rejects(
        &to_alice(News::new(std::iter::repeat_with(article).take(9))),
        "news.articles",
        &["(got 9)"],
    );
    assert!(to_alice(News::new(std::iter::repeat_with(article).take(8))).validate().is_ok());
}

#[test]
fn news_article_fields() {
    let news = |a: Article| to_alice(News::new([Article::new("ok", "https://e.com"), a]));
    let url = "https://e.com";
    rejects(&news(Article::new("", url)), "news.articles[1].title", &["required"]);
    rejects(&news(Article::new("t".repeat(129), url)), "news.articles[1].title", &["128"]);
    rejects(
        &news(Article::new("t", url).description("d".repeat(513))),
        "news.articles[1].description",
        &["512"],
    );
    rejects(&news(Article::new("t", "e.com")), "news.articles[1].url", &["http://"]);
    let long = format!("https://e.com/{}", "p".repeat(2040));
    rejects(&news(Article::new("t", url).picurl(long)), "news.articles[1].picurl", &["2048"]);
    rejects(
        &news(Article::mini_program("t", "wx", "p".repeat(129))),
        "news.articles[1].pagepath",
        &["128"],
    );
    assert!(news(Article::mini_program("t", "wx", "pages/x")).validate().is_ok());
}

#[test]
fn news_article_needs_url_or_appid_with_pagepath() {
    let parse = |article: serde_json::Value| -> MessageRequest {
        serde_json::from_value(serde_json::json!({
            "touser": "a", "msgtype": "news", "agentid": 1, "news": { "articles": [article] }
        }))
        .unwrap()
    };
    rejects(
        &parse(serde_json::json!({ "title": "t" })),
        "news.articles[0].url",
        &["appid and pagepath"],
    );
    rejects(
        &parse(serde_json::json!({ "title": "t", "appid": "wx" })),
        "news.articles[0].pagepath",
        &["appid"],
    );
    rejects(
        &parse(serde_json::json!({ "title": "t", "url": "https://e.com", "pagepath": "p" })),
        "news.articles[0].appid",
        &["pagepath"],
    );
}

#[test]
fn mpnews_limits() {
    let article = || MpArticle::new("t", "m", "c");
    rejects(&to_alice(MpNews::new([])), "mpnews.articles", &["1 to 8", "(got 0)"]);
    rejects(
        &to_alice(MpNews::new(std::iter::repeat_with(article).take(9))),
        "mpnews.articles",
        &["(got 9)"],
    );
    let one = |a: MpArticle| to_alice(MpNews::from(a));
    rejects(&one(MpArticle::new("", "m", "c")), "mpnews.articles[0].title", &["required"]);
    rejects(&one(MpArticle::new("t".repeat(129), "m", "c")), "mpnews.articles[0].title", &["128"]);
    rejects(&one(MpArticle::new("t", "", "c")), "mpnews.articles[0].thumb_media_id", &["required"]);
    rejects(&one(MpArticle::new("t", "m", "")), "mpnews.articles[0].content", &["required"]);
    rejects(
        &one(article().author("a".repeat(65))),
        "mpnews.articles[0].author",
        &["64 bytes", "65"],
    );
    rejects(&one(article().digest("d".repeat(513))), "mpnews.articles[0].digest", &["512"]);
    let big = "c".repeat(666 * 1024 + 1);
    rejects(&one(MpArticle::new("t", "m", big)), "mpnews.articles[0].content", &["681984 bytes"]);
    assert!(one(MpArticle::new("t", "m", "c".repeat(666 * 1024))).validate().is_ok());
}

#[test]
fn markdown_is_required_and_at_most_2048_bytes() {
    rejects(&to_alice(Markdown::new("")), "markdown.content", &["required"]);
    rejects(&to_alice(Markdown::new("m".repeat(2049))), "markdown.content", &["2048", "2049"]);
    assert!(to_alice(Markdown::new("m".repeat(2048))).validate().is_ok());
}

#[test]
fn miniprogram_notice_limits() {
    let notice = || MiniProgramNotice::new("wx", "title");
    rejects(&to_alice(MiniProgramNotice::new("", "t")), "miniprogram_notice.appid", &["required"]);
    rejects(&to_alice(MiniProgramNotice::new("wx", "")), "miniprogram_notice.title", &["required"]);
    rejects(&to_alice(notice().page("p".repeat(1025))), "miniprogram_notice.page", &["1024 bytes"]);
    let items = |n: usize| (0..n).map(|i| ContentItem::new(format!("k{i}"), "v"));
    assert!(to_alice(notice().content_item(items(10))).validate().is_ok());
    rejects(
        &to_alice(notice().content_item(items(11))),
        "miniprogram_notice.content_item",
        &["at most 10", "(got 11)"],
    );
    let item = |k: &str, v: &str| {
        to_alice(notice().content_item([ContentItem::new("ok", "ok"), ContentItem::new(k, v)]))
    };
    rejects(
        &item(&"会".repeat(11), "v"),
        "miniprogram_notice.content_item[1].key",
        &["10 characters", "(got 11)"],
    );
    rejects(
        &item("k", &"v".repeat(31)),
        "miniprogram_notice.content_item[1].value",
        &["30 characters"],
    );
    assert!(item(&"会".repeat(10), &"值".repeat(30)).validate().is_ok());
    // An id-translation template is measured after translation, which only WeCom can do.
    let templated = format!("$userName=alice$ {}", "x".repeat(20));
    assert!(item("Owner", &templated).validate().is_ok());
    // The suggested 4-12 characters of title are a display hint, not a limit.
    assert!(
        to_alice(MiniProgramNotice::new("wx", "Meeting room booked for the whole team"))
            .validate()
            .is_ok()
    );
}
