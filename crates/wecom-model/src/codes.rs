//! Named WeCom `errcode` values relevant to application messaging.
//!
//! This is the one table of error codes in the project: the client's errors, the emulator's
//! answers and the CLI's messages all name codes from here. Compare against these instead of
//! bare numbers; codes not listed here still pass through the client's errors unchanged.
//! [`description`] gives a short English explanation of the listed ones, [`hint`] one plain
//! sentence of what to do about the common ones.

mod hint;

pub use hint::for_code as hint;

/// −1: system busy. Retried with backoff by the client.
pub const SYSTEM_BUSY: i64 = -1;
/// 0: success.
pub const OK: i64 = 0;
/// 40001: invalid secret (missing, mismatched after a reset, or the app is disabled). From an
/// API call other than `gettoken` WeCom also uses it for an unusable token.
pub const INVALID_SECRET: i64 = 40001;
/// 40003: invalid UserID.
pub const INVALID_USER_ID: i64 = 40003;
/// 40004: invalid media file type.
pub const INVALID_MEDIA_FILE_TYPE: i64 = 40004;
/// 40005: invalid media `type` parameter.
pub const INVALID_MEDIA_TYPE: i64 = 40005;
/// 40006: invalid file size.
pub const INVALID_FILE_SIZE: i64 = 40006;
/// 40007: invalid `media_id` (expired after 3 days, wrong kind, wrong source API).
pub const INVALID_MEDIA_ID: i64 = 40007;
/// 40008: invalid `msgtype`.
pub const INVALID_MSGTYPE: i64 = 40008;
/// 40009: invalid image size.
pub const INVALID_IMAGE_SIZE: i64 = 40009;
/// 40011: invalid video size.
pub const INVALID_VIDEO_SIZE: i64 = 40011;
/// 40013: invalid CorpID.
pub const INVALID_CORP_ID: i64 = 40013;
/// 40014: invalid access token (expired, garbled, wrong kind). The client refreshes and
/// retries once.
pub const INVALID_ACCESS_TOKEN: i64 = 40014;
/// 40031: invalid UserID list.
pub const INVALID_USER_LIST: i64 = 40031;
/// 40032: UserID list too long (more than 1,000 for `message/send`).
pub const USER_LIST_TOO_LONG: i64 = 40032;
/// 40056: invalid `agentid`.
pub const INVALID_AGENT_ID: i64 = 40056;
/// 40058: invalid parameter (bad JSON, value or array too long, recall by another app).
pub const INVALID_PARAMETER: i64 = 40058;
/// 40063: a required parameter is empty.
pub const EMPTY_PARAMETER: i64 = 40063;
/// 40066: invalid department list.
pub const INVALID_PARTY_LIST: i64 = 40066;
/// 40068: invalid tag id.
pub const INVALID_TAG_ID: i64 = 40068;
/// 40074: `news` cannot be `safe`; use `mpnews`.
pub const NEWS_CANNOT_BE_SAFE: i64 = 40074;
/// 41001: `access_token` missing.
pub const MISSING_ACCESS_TOKEN: i64 = 41001;
/// 41002: `corpid` missing (`gettoken`).
pub const MISSING_CORP_ID: i64 = 41002;
/// 41004: `corpsecret` missing (`gettoken`).
pub const MISSING_SECRET: i64 = 41004;
/// 41006: `media_id` missing.
pub const MISSING_MEDIA_ID: i64 = 41006;
/// 41011: `agentid` missing.
pub const MISSING_AGENT_ID: i64 = 41011;
/// 41016: `title` missing (`news`).
pub const MISSING_TITLE: i64 = 41016;
/// 41033: `description` missing (`textcard`).
pub const MISSING_DESCRIPTION: i64 = 41033;
/// 42001: access token expired. The client refreshes and retries once.
pub const ACCESS_TOKEN_EXPIRED: i64 = 42001;
/// 42014: template-card `task_id` invalid.
pub const INVALID_TASK_ID: i64 = 42014;
/// 42015: the app updating a card is not the app that sent it.
pub const CARD_UPDATER_NOT_SENDER: i64 = 42015;
/// 44001: empty media file.
pub const EMPTY_MEDIA: i64 = 44001;
/// 44004: text `content` empty.
pub const EMPTY_CONTENT: i64 = 44004;
/// 45001: media file too large.
pub const MEDIA_TOO_LARGE: i64 = 45001;
/// 45002: content too large (text over 2,048 bytes, mpnews over 666 KB).
pub const CONTENT_TOO_LARGE: i64 = 45002;
/// 45007: voice longer than 60 s.
pub const VOICE_TOO_LONG: i64 = 45007;
/// 45008: too many articles (more than 8).
pub const TOO_MANY_ARTICLES: i64 = 45008;
/// 45009: API frequency limit hit. Not retried: WeCom blocks for the limit's window.
pub const API_FREQUENCY_LIMITED: i64 = 45009;
/// 45032: mpnews `author` longer than 64 bytes.
pub const AUTHOR_TOO_LONG: i64 = 45032;
/// 45033: concurrency limit hit. Not retried: lower the concurrency.
pub const API_CONCURRENCY_LIMITED: i64 = 45033;
/// 45034: URL lacks `http://` or `https://`.
pub const URL_MISSING_SCHEME: i64 = 45034;
/// 48002: API not permitted for this token.
pub const API_FORBIDDEN: i64 = 48002;
/// 50002: member outside the app's permission scope.
pub const MEMBER_OUT_OF_SCOPE: i64 = 50002;
/// 60011: no permission for the given member, department or tag.
pub const NO_PRIVILEGE: i64 = 60011;
/// 60020: calling IP not in the app's trusted IP list.
pub const IP_NOT_TRUSTED: i64 = 60020;
/// 81013: every user, department and tag is invalid or out of scope.
pub const ALL_RECIPIENTS_INVALID: i64 = 81013;
/// 82001: `touser`, `toparty` and `totag` all empty.
pub const NO_RECIPIENTS: i64 = 82001;
/// 82002: more than 100 departments in `toparty`.
pub const TOO_MANY_PARTIES: i64 = 82002;
/// 82003: more than 100 tags in `totag`.
pub const TOO_MANY_TAGS: i64 = 82003;
/// 86001: the `chatid` of an app group chat is malformed (characters, length).
pub const INVALID_CHAT_ID: i64 = 86001;
/// 86003: no app group chat has this `chatid`.
pub const CHAT_NOT_FOUND: i64 = 86003;
/// 86004: the app group chat's name is invalid.
pub const INVALID_CHAT_NAME: i64 = 86004;
/// 86005: the app group chat's owner is invalid (not a member).
pub const INVALID_CHAT_OWNER: i64 = 86005;
/// 86006: an app group chat would have too many or too few members (2 to 2,000).
pub const CHAT_MEMBER_COUNT: i64 = 86006;
/// 86007: an app group chat member is not a member of the corp.
pub const INVALID_CHAT_MEMBER: i64 = 86007;
/// 86008: the app group chat was created by another app.
pub const CHAT_NOT_OWN: i64 = 86008;
/// 86215: an app group chat with this `chatid` exists already.
pub const CHAT_ID_EXISTS: i64 = 86215;
/// 93000: the webhook key is unknown, or its 消息推送 (group robot) was removed from the group.
/// WeCom also answers it for a missing or made-up key. Permanent: do not retry.
pub const WEBHOOK_INVALID: i64 = 93000;
/// 93001: the group chat does not allow webhook pushes.
pub const WEBHOOK_GROUP_FORBIDS: i64 = 93001;
/// 93004: the webhook (消息推送) is disabled. Permanent: do not retry.
pub const WEBHOOK_DISABLED: i64 = 93004;
/// 93008: the webhook is not in the group.
pub const WEBHOOK_NOT_IN_GROUP: i64 = 93008;
/// 93017: the webhook request content is empty.
pub const WEBHOOK_EMPTY_CONTENT: i64 = 93017;
/// 93018: the webhook image is over its size limit (2 MB).
pub const WEBHOOK_IMAGE_TOO_LARGE: i64 = 93018;
/// 301002: the token's app may not act for the given `agentid`.
pub const AGENT_NOT_PERMITTED: i64 = 301_002;

/// Whether an API call (not `gettoken`) answered that its access token is unusable: 40001,
/// 40014, 41001 or 42001.
///
/// 41001 ("token missing") is included because WeCom documents it for an empty token cache;
/// the client only ever sends a token it believes valid, so a refresh is the right answer.
pub const fn is_token_invalid(code: i64) -> bool {
    matches!(
        code,
        INVALID_SECRET | INVALID_ACCESS_TOKEN | MISSING_ACCESS_TOKEN | ACCESS_TOKEN_EXPIRED
    )
}

/// A short English description of a listed code, `None` for unknown codes.
pub fn description(code: i64) -> Option<&'static str> {
    Some(match code {
        SYSTEM_BUSY => "system busy",
        OK => "ok",
        INVALID_SECRET => "invalid secret (missing, reset, or app disabled)",
        INVALID_USER_ID => "invalid UserID",
        INVALID_MEDIA_FILE_TYPE => "invalid media file type",
        INVALID_MEDIA_TYPE => "invalid media type parameter",
        INVALID_FILE_SIZE => "invalid file size",
        INVALID_MEDIA_ID => "invalid media_id (expired, wrong kind or source)",
        INVALID_MSGTYPE => "invalid msgtype",
        INVALID_IMAGE_SIZE => "invalid image size",
        INVALID_VIDEO_SIZE => "invalid video size",
        INVALID_CORP_ID => "invalid CorpID",
        INVALID_ACCESS_TOKEN => "invalid access_token",
        INVALID_USER_LIST => "invalid UserID list",
        USER_LIST_TOO_LONG => "UserID list too long",
        INVALID_AGENT_ID => "invalid agentid",
        INVALID_PARAMETER => "invalid parameter",
        EMPTY_PARAMETER => "required parameter empty",
        INVALID_PARTY_LIST => "invalid department list",
        INVALID_TAG_ID => "invalid tag id",
        NEWS_CANNOT_BE_SAFE => "news cannot be safe; use mpnews",
        MISSING_ACCESS_TOKEN => "access_token missing",
        MISSING_CORP_ID => "corpid missing",
        MISSING_SECRET => "corpsecret missing",
        MISSING_MEDIA_ID => "media_id missing",
        MISSING_AGENT_ID => "agentid missing",
        MISSING_TITLE => "title missing",
        MISSING_DESCRIPTION => "description missing",
        ACCESS_TOKEN_EXPIRED => "access_token expired",
        INVALID_TASK_ID => "template card task_id invalid",
        CARD_UPDATER_NOT_SENDER => "updating app is not the sending app",
        EMPTY_MEDIA => "empty media file",
        EMPTY_CONTENT => "text content empty",
        MEDIA_TOO_LARGE => "media file too large",
        CONTENT_TOO_LARGE => "content too large",
        VOICE_TOO_LONG => "voice longer than 60 s",
        TOO_MANY_ARTICLES => "too many articles",
        API_FREQUENCY_LIMITED => "API frequency limit hit",
        AUTHOR_TOO_LONG => "mpnews author too long",
        API_CONCURRENCY_LIMITED => "API concurrency limit hit",
        URL_MISSING_SCHEME => "URL lacks http:// or https://",
        API_FORBIDDEN => "API not permitted for this token",
        MEMBER_OUT_OF_SCOPE => "member outside permission scope",
        NO_PRIVILEGE => "no permission for member, department or tag",
        IP_NOT_TRUSTED => "calling IP not in the app's trusted IP list",
        ALL_RECIPIENTS_INVALID => "all recipients invalid or out of scope",
        NO_RECIPIENTS => "touser, toparty and totag all empty",
        TOO_MANY_PARTIES => "more than 100 departments",
        TOO_MANY_TAGS => "more than 100 tags",
        AGENT_NOT_PERMITTED => "token's app may not act for this agentid",
        INVALID_CHAT_ID => "invalid chatid",
        CHAT_NOT_FOUND => "no app group chat has this chatid",
        INVALID_CHAT_NAME => "invalid chat name",
        INVALID_CHAT_OWNER => "invalid chat owner",
        CHAT_MEMBER_COUNT => "too many or too few chat members",
        INVALID_CHAT_MEMBER => "invalid chat member",
        CHAT_NOT_OWN => "the chat was created by another app",
        CHAT_ID_EXISTS => "chatid exists already",
        WEBHOOK_INVALID => "webhook key invalid, or the webhook was removed from the group",
        WEBHOOK_GROUP_FORBIDS => "the group does not allow webhook pushes",
        WEBHOOK_DISABLED => "webhook disabled",
        WEBHOOK_NOT_IN_GROUP => "webhook not in the group",
        WEBHOOK_EMPTY_CONTENT => "webhook request content empty",
        WEBHOOK_IMAGE_TOO_LARGE => "webhook image over the size limit",
        _ => return None,
    })
}

/// WeCom's own `errmsg` text for a listed code, as its API answers it (before the "hint" and
/// "more info" parts), `None` for unknown codes. The emulator answers with these.
pub fn errmsg(code: i64) -> Option<&'static str> {
    Some(match code {
        SYSTEM_BUSY => "system busy",
        INVALID_SECRET => "invalid credential, access_token is invalid or not latest",
        INVALID_USER_ID => "invalid userid",
        INVALID_MEDIA_FILE_TYPE => "invalid media type",
        INVALID_MEDIA_TYPE => "invalid file type",
        INVALID_FILE_SIZE => "invalid file size",
        INVALID_MEDIA_ID => "invalid media_id",
        INVALID_MSGTYPE => "invalid message type",
        INVALID_IMAGE_SIZE => "invalid image size",
        INVALID_VIDEO_SIZE => "invalid video size",
        INVALID_CORP_ID => "invalid corpid",
        INVALID_ACCESS_TOKEN => "invalid access_token",
        USER_LIST_TOO_LONG => "invalid user list size",
        INVALID_AGENT_ID => "invalid agentid",
        INVALID_PARAMETER => "invalid parameter",
        EMPTY_PARAMETER => "some parameters are empty",
        NEWS_CANNOT_BE_SAFE => "news message not support safe",
        MISSING_ACCESS_TOKEN => "access_token missing",
        MISSING_CORP_ID => "corpid missing",
        MISSING_SECRET => "corpsecret missing",
        MISSING_MEDIA_ID => "media_id missing",
        MISSING_AGENT_ID => "agentid missing",
        MISSING_TITLE => "title missing",
        MISSING_DESCRIPTION => "description missing",
        ACCESS_TOKEN_EXPIRED => "access_token expired",
        INVALID_TASK_ID => "invalid task_id",
        CARD_UPDATER_NOT_SENDER => "update app is not the sending app",
        EMPTY_MEDIA => "empty media data",
        EMPTY_CONTENT => "empty content",
        MEDIA_TOO_LARGE => "media size out of limit",
        CONTENT_TOO_LARGE => "content size out of limit",
        VOICE_TOO_LONG => "playtime out of limit",
        TOO_MANY_ARTICLES => "article size out of limit",
        API_FREQUENCY_LIMITED => "reach max api daily quota limit",
        AUTHOR_TOO_LONG => "author size out of limit",
        URL_MISSING_SCHEME => "invalid url",
        API_FORBIDDEN => "api forbidden",
        ALL_RECIPIENTS_INVALID => "user & party & tag all invalid",
        NO_RECIPIENTS => "touser & toparty & totag all empty",
        TOO_MANY_PARTIES => "invalid party list size",
        TOO_MANY_TAGS => "invalid tag list size",
        AGENT_NOT_PERMITTED => "not allow to operate another agent",
        INVALID_CHAT_ID => "invalid chatid",
        CHAT_NOT_FOUND => "chatid not found",
        INVALID_CHAT_NAME => "invalid chat name",
        INVALID_CHAT_OWNER => "invalid chat owner",
        CHAT_MEMBER_COUNT => "invalid chat member count",
        INVALID_CHAT_MEMBER => "invalid chat member",
        CHAT_NOT_OWN => "chat not created by this app",
        CHAT_ID_EXISTS => "chatid exists",
        WEBHOOK_INVALID => "invalid webhook url",
        WEBHOOK_DISABLED => "webhook disabled",
        WEBHOOK_EMPTY_CONTENT => "request content empty",
        WEBHOOK_IMAGE_TOO_LARGE => "image size out of limit",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_invalid_codes_are_exactly_the_refresh_set() {
        for code in [40001, 40014, 41001, 42001] {
            assert!(is_token_invalid(code), "{code}");
        }
        for code in [-1, 0, 40013, 41002, 45009, 60020] {
            assert!(!is_token_invalid(code), "{code}");
        }
    }

    #[test]
    fn descriptions_cover_listed_codes_and_not_unknown_ones() {
        assert_eq!(description(API_FREQUENCY_LIMITED), Some("API frequency limit hit"));
        assert_eq!(
            description(AGENT_NOT_PERMITTED),
            Some("token's app may not act for this agentid")
        );
        assert_eq!(
            description(WEBHOOK_INVALID),
            Some("webhook key invalid, or the webhook was removed from the group")
        );
        assert_eq!(description(123_456), None);
        assert_eq!(errmsg(INVALID_ACCESS_TOKEN), Some("invalid access_token"));
        assert_eq!(errmsg(123_456), None);
    }
}
