//! The one-line preview of a message in the conversation list, as the WeCom client shows it:
//! the text of a text or markdown message, the title of a card or article, a bracketed kind
//! for media. Works on app messages, webhook group messages and AI-bot answers alike (they
//! share the `{"msgtype": …, "<msgtype>": {…}}` shape).

use serde_json::Value;

/// The longest preview, in characters; longer ones end with `…`.
pub(crate) const MAX_CHARS: usize = 60;

fn field<'v>(v: &'v Value, path: &[&str]) -> &'v str {
    path.iter().try_fold(v, |v, k| v.get(k)).and_then(Value::as_str).unwrap_or("")
}

/// The preview of one message body.
pub(crate) fn preview(body: &Value) -> String {
    let msgtype = body.get("msgtype").and_then(Value::as_str).unwrap_or("");
    let content = body.get(msgtype).unwrap_or(&Value::Null);
    let titled = |label: &str, title: &str| {
        if title.is_empty() { format!("[{label}]") } else { format!("[{label}] {title}") }
    };
    let text = match msgtype {
        "text" => without_links(field(content, &["content"])),
        "markdown" | "markdown_v2" => field(content, &["content"]).to_owned(),
        "stream" => {
            let c = field(content, &["content"]);
            if c.is_empty() { "…".to_owned() } else { c.to_owned() }
        }
        "image" => "[Image]".to_owned(),
        "voice" => "[Voice]".to_owned(),
        "file" => "[File]".to_owned(),
        "video" => titled("Video", field(content, &["title"])),
        "textcard" => titled("Card", field(content, &["title"])),
        "news" | "mpnews" => {
            let first = content.get("articles").and_then(|a| a.get(0)).unwrap_or(&Value::Null);
            titled("Article", field(first, &["title"]))
        }
        "miniprogram_notice" => titled("Mini program", field(content, &["title"])),
        "template_card" | "stream_with_template_card" => {
            let card = body.get("template_card").unwrap_or(content);
            let title = field(card, &["main_title", "title"]);
            let title = if title.is_empty() { field(card, &["main_title", "desc"]) } else { title };
            titled("Card", title)
        }
        "event" => "[Event]".to_owned(),
        "" => String::new(),
        other => format!("[{other}]"),
    };
    shorten(&text)
}

/// A text message's `<a href="…">label</a>` links as their labels, as the client previews
/// them; any other markup stays as typed (the client shows it literally too).
fn without_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let tag_end = tail.find('>').map(|e| e + 1);
        let is_link = tail.starts_with("<a ") || tail.starts_with("</a>");
        match tag_end {
            Some(end) if is_link => rest = &tail[end..],
            _ => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whitespace runs become one space; past [`MAX_CHARS`] the text is cut with `…`.
pub(crate) fn shorten(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 4));
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars == MAX_CHARS {
                out.push('…');
                return out;
            }
            out.push(c);
            chars += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{MAX_CHARS, preview};

    #[test]
    fn each_kind_has_a_preview() {
        let cases = [
            (json!({"msgtype": "text", "text": {"content": "build\n  passed"}}), "build passed"),
            (json!({"msgtype": "image", "image": {"media_id": "m"}}), "[Image]"),
            (json!({"msgtype": "video", "video": {"title": "发布"}}), "[Video] 发布"),
            (json!({"msgtype": "news", "news": {"articles": [{"title": "A"}]}}), "[Article] A"),
            (
                json!({"msgtype": "template_card", "template_card": {"main_title": {"title": "Lunch?"}}}),
                "[Card] Lunch?",
            ),
            (json!({"msgtype": "stream", "stream": {"content": ""}}), "…"),
            (json!({"msgtype": "location"}), "[location]"),
            (
                json!({"msgtype": "text", "text": {"content": "See <a href=\"https://x.example\">logs</a> <b>now</b>"}}),
                "See logs <b>now</b>",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(preview(&body), want, "{body}");
        }
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        let long = "长".repeat(MAX_CHARS + 5);
        let got = preview(&json!({"msgtype": "text", "text": {"content": long}}));
        assert_eq!(got.chars().count(), MAX_CHARS + 1);
        assert!(got.ends_with('…'));
    }
}
