//! Recipients: invalid members, departments and tags come back in the receipt (lower-cased
//! member ids), members without a licence are reported, all-invalid is WeCom's 81013 typed,
//! and `@all` reaches the app's visible range.

use wecom::{Error, Recipients, Text};

use super::support::{BOT, Env, NOTICES, recipient_ids};

#[tokio::test]
async fn invalid_members_departments_and_tags_come_back_in_the_receipt() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    // erin is outside the app's range, ghost does not exist; department 5 is outside the
    // range, 99 does not exist; tag 1 has members in range, tag 77 does not exist.
    let to =
        Recipients::users(["Alice", "erin", "Ghost"]).and_parties([3, 5, 99]).and_tags([1, 77]);
    let receipt = client.send(to, Text::new("standup in 5")).await.unwrap();
    assert_eq!(receipt.invalid_users, ["erin", "ghost"], "lower-cased");
    assert_eq!(receipt.invalid_parties, ["5", "99"]);
    assert_eq!(receipt.invalid_tags, ["77"]);
    assert_eq!(receipt.unlicensed_users, ["dave"], "department 3 includes dave, unlicensed");
    assert!(!receipt.all_delivered());

    let m = env.message(&receipt.msgid).await;
    assert_eq!(
        recipient_ids(&m),
        ["alice", "carol"],
        "alice named, carol through party 3 and tag 1"
    );
}

#[tokio::test]
async fn all_recipients_invalid_is_api_error_81013() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let err = client
        .send(
            Recipients::users(["erin", "ghost"]).and_parties([5]).and_tags([77]),
            Text::new("hello?"),
        )
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Api { code: 81013, .. }), "{err:?}");
    assert!(err.hint().is_some(), "a known code has a hint");
    assert!(!err.is_system_busy() && !err.is_rate_limited() && !err.is_token_invalid());
    // Not retried, and nothing recorded.
    assert_eq!(env.calls("/cgi-bin/message/send").await, 1);
    assert!(env.messages("").await.is_empty());

    // Another app's visible range differs: bob is in the Build bot's, not in Notices'.
    let err = env.client(NOTICES).send(Recipients::user("bob"), Text::new("hi")).await.unwrap_err();
    assert_eq!(err.code(), Some(81013), "{err}");
}

#[tokio::test]
async fn at_all_reaches_the_visible_range_of_each_app() {
    let env = Env::demo().await;
    let bot = env.client(BOT).send(Recipients::all(), Text::new("release day")).await.unwrap();
    assert_eq!(bot.unlicensed_users, ["dave"]);
    assert!(bot.invalid_users.is_empty());
    let m = env.message(&bot.msgid).await;
    assert_eq!(recipient_ids(&m), ["alice", "bob", "carol"], "parties 2 and 3, erin outside");
    assert!(env.raw_body(&bot.msgid).await.starts_with(r#"{"touser":"@all","#));

    let notices =
        env.client(NOTICES).send(Recipients::all(), Text::new("canteen closed")).await.unwrap();
    let m = env.message(&notices.msgid).await;
    assert_eq!(recipient_ids(&m), ["alice", "carol"], "user alice and party 3");

    // `@all` is never a member id by accident; combined with other recipients it does not
    // compile (`Recipients::all()` has no `and_parties`).
    let err = env.client(BOT).send(Recipients::users(["@all"]), Text::new("x")).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert_eq!(env.calls("/cgi-bin/message/send").await, 2, "only the two valid sends");
}
