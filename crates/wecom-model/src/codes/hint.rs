//! Advice for people: one plain sentence per common failure, saying what to do about it.
//!
//! The client's `Error::hint` uses these; a command-line tool prints the hint under
//! the error. The sentences name the admin-console setting or the code change that fixes the
//! problem, never a secret.

use super::{
    ACCESS_TOKEN_EXPIRED, AGENT_NOT_PERMITTED, ALL_RECIPIENTS_INVALID, API_CONCURRENCY_LIMITED,
    API_FORBIDDEN, API_FREQUENCY_LIMITED, AUTHOR_TOO_LONG, CARD_UPDATER_NOT_SENDER,
    CONTENT_TOO_LARGE, EMPTY_CONTENT, EMPTY_MEDIA, EMPTY_PARAMETER, INVALID_ACCESS_TOKEN,
    INVALID_AGENT_ID, INVALID_CORP_ID, INVALID_FILE_SIZE, INVALID_IMAGE_SIZE,
    INVALID_MEDIA_FILE_TYPE, INVALID_MEDIA_ID, INVALID_MEDIA_TYPE, INVALID_MSGTYPE,
    INVALID_PARAMETER, INVALID_PARTY_LIST, INVALID_SECRET, INVALID_TAG_ID, INVALID_TASK_ID,
    INVALID_USER_ID, INVALID_USER_LIST, INVALID_VIDEO_SIZE, IP_NOT_TRUSTED, MEDIA_TOO_LARGE,
    MEMBER_OUT_OF_SCOPE, MISSING_ACCESS_TOKEN, MISSING_AGENT_ID, MISSING_CORP_ID,
    MISSING_DESCRIPTION, MISSING_MEDIA_ID, MISSING_SECRET, MISSING_TITLE, NEWS_CANNOT_BE_SAFE,
    NO_PRIVILEGE, NO_RECIPIENTS, SYSTEM_BUSY, TOO_MANY_ARTICLES, TOO_MANY_PARTIES, TOO_MANY_TAGS,
    URL_MISSING_SCHEME, USER_LIST_TOO_LONG, VOICE_TOO_LONG, WEBHOOK_DISABLED,
    WEBHOOK_EMPTY_CONTENT, WEBHOOK_GROUP_FORBIDS, WEBHOOK_IMAGE_TOO_LARGE, WEBHOOK_INVALID,
    WEBHOOK_NOT_IN_GROUP,
};

/// What to do about WeCom errcode `code`, for the codes people commonly meet.
pub fn for_code(code: i64) -> Option<&'static str> {
    Some(match code {
        SYSTEM_BUSY => {
            "WeCom was busy and the client's retries ran out; try again in a little while \
             (or allow more attempts with RetryPolicy)."
        }
        IP_NOT_TRUSTED => {
            "Add this machine's public IP to the app's trusted IPs (企业可信IP) in the WeCom \
             admin console; the change takes about a minute. Behind NAT or a proxy, add the \
             address WeCom sees."
        }
        INVALID_SECRET => {
            "Check the app secret (WECOM_SECRET): it must be this app's secret, not another \
             app's; the app may also be disabled or its secret reset in the admin console."
        }
        INVALID_CORP_ID | MISSING_CORP_ID => {
            "Check the corp id (WECOM_CORP_ID): it is the 企业ID shown under My Company \
             (我的企业) in the admin console, usually starting with `ww`."
        }
        MISSING_SECRET => "Set the app secret (WECOM_SECRET); it is empty.",
        INVALID_ACCESS_TOKEN | ACCESS_TOKEN_EXPIRED | MISSING_ACCESS_TOKEN => {
            "The access token was invalid; the client refreshes it and retries once by itself. \
             If this persists, another process may be using the same secret with a different \
             token store, or the secret was reset: share one token store or check the secret."
        }
        API_FREQUENCY_LIMITED => {
            "Rate limited: WeCom blocks the caller for the limit's window (a minute for \
             per-minute limits, an hour for hourly ones); back off, and send less often \
             (see ClientBuilder::throttle; a webhook takes 20 messages a minute, see \
             WebhookClientBuilder::throttle)."
        }
        WEBHOOK_INVALID => {
            "The webhook key is wrong, or the 消息推送 (group robot) was removed from the group: \
             copy the webhook URL again from the group's settings. Retrying will not help."
        }
        WEBHOOK_DISABLED => {
            "The 消息推送 (group robot) is disabled: a group owner or admin must enable it again."
        }
        WEBHOOK_GROUP_FORBIDS | WEBHOOK_NOT_IN_GROUP => {
            "The group does not accept this webhook: check the group's 消息推送 settings, or \
             add the webhook to the group again."
        }
        WEBHOOK_EMPTY_CONTENT => "The webhook message is empty; send some content.",
        WEBHOOK_IMAGE_TOO_LARGE => "Webhook images take at most 2 MB of JPG or PNG; shrink it.",
        API_CONCURRENCY_LIMITED => {
            "Too many requests at once: lower the concurrency (Throttle::max_in_flight, or \
             fewer parallel tasks)."
        }
        ALL_RECIPIENTS_INVALID => {
            "No recipient was valid: check the user, department and tag ids, and that they \
             are inside the app's visible range (可见范围) in the admin console."
        }
        API_FORBIDDEN => {
            "This app may not call this API: check the app's permissions. For \
             miniprogram_notice, the app must be bound to a mini program; for app group chats \
             (appchat/create, update, get, send), it must be a self-built app whose visible \
             range (可见范围) is the root department, the whole corp."
        }
        INVALID_MEDIA_ID => {
            "The media id is invalid or expired (temporary media lives 3 days): upload the \
             file again and send the new id."
        }
        AGENT_NOT_PERMITTED => {
            "The token belongs to another app than the agent id: use the secret of the app \
             whose agent id you send with (WECOM_AGENT_ID and WECOM_SECRET must match)."
        }
        INVALID_AGENT_ID | MISSING_AGENT_ID => {
            "Check the agent id (WECOM_AGENT_ID): it is the app's AgentId shown on its page in \
             the admin console, an integer such as 1000002."
        }
        NO_RECIPIENTS => "Name at least one recipient: user ids, department ids or tag ids.",
        INVALID_PARAMETER => {
            "WeCom rejected a parameter (bad JSON, a value or list too long — markdown takes \
             at most 4,096 bytes — or a recall by another app than the sender); check the \
             request against the limits, or split long content into several messages."
        }
        EMPTY_PARAMETER => "A required parameter was empty; fill it in.",
        EMPTY_CONTENT => "The message content is empty; send some text.",
        CONTENT_TOO_LARGE => {
            "The content is too long: text and markdown take at most 2,048 bytes (UTF-8), \
             mpnews content at most 666 KB; shorten it or split it into several messages."
        }
        MISSING_TITLE => "Every news article needs a title.",
        MISSING_DESCRIPTION => "A textcard needs a description.",
        TOO_MANY_ARTICLES => "A news or mpnews message takes 1 to 8 articles; send several.",
        URL_MISSING_SCHEME => "Links must start with http:// or https://.",
        NEWS_CANNOT_BE_SAFE => {
            "news messages cannot be confidential (safe); send mpnews for confidential \
             articles, or drop `safe`."
        }
        AUTHOR_TOO_LONG => "The mpnews author is longer than 64 bytes; shorten it.",
        INVALID_USER_ID | INVALID_USER_LIST => {
            "A user id is wrong or outside the app's visible range: user ids are the account \
             names (UserID) from the contacts, not display names."
        }
        USER_LIST_TOO_LONG => {
            "At most 1,000 users per request: split the list (Client::send_bulk does this)."
        }
        TOO_MANY_PARTIES => "At most 100 departments per request: split the list.",
        TOO_MANY_TAGS => "At most 100 tags per request: split the list.",
        INVALID_PARTY_LIST => "A department id is wrong or outside the app's visible range.",
        INVALID_TAG_ID => "A tag id is wrong or outside the app's visible range.",
        MEMBER_OUT_OF_SCOPE | NO_PRIVILEGE => {
            "The app has no permission for this member, department or tag: widen the app's \
             visible range in the admin console."
        }
        INVALID_MSGTYPE => "The msgtype is not one WeCom knows.",
        INVALID_TASK_ID => {
            "The template card's task_id is invalid or was used before: use a new, unique \
             task_id (letters, digits, `_-@`, at most 128 bytes)."
        }
        CARD_UPDATER_NOT_SENDER => {
            "Only the app that sent a card can update it: use the client (agent id and secret) \
             of the sending app."
        }
        INVALID_MEDIA_FILE_TYPE | INVALID_MEDIA_TYPE => {
            "The media type does not match the file: images are JPG/PNG, voice AMR, video MP4."
        }
        INVALID_FILE_SIZE | INVALID_IMAGE_SIZE | INVALID_VIDEO_SIZE | MEDIA_TOO_LARGE
        | EMPTY_MEDIA => {
            "The file size is out of range: more than 5 bytes; images and video at most 10 MB, \
             voice 2 MB, files 20 MB."
        }
        VOICE_TOO_LONG => "Voice messages may play at most 60 seconds.",
        MISSING_MEDIA_ID => "The message needs a media id: upload the file first.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_code_has_a_sentence_ending_in_a_full_stop() {
        for code in [
            -1, 40001, 40013, 40014, 42001, 45009, 45033, 81013, 48002, 40007, 301_002, 40056,
            82001, 40058, 44004, 45002, 41016, 41033, 45008, 45034, 40074, 60020, 93000, 93001,
            93004, 93008, 93017, 93018,
        ] {
            let hint = for_code(code).unwrap_or_else(|| panic!("no hint for {code}"));
            assert!(hint.ends_with('.'), "{code}: {hint}");
            assert!(!hint.contains("  "), "{code}: {hint}");
        }
        assert_eq!(for_code(0), None);
        assert_eq!(for_code(123_456), None);
    }
}
