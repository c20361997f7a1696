//! `send_bulk` against a corp larger than one request: batches of at most 1,000, duplicates
//! dropped, invalid members reported per recipient, a failed batch resumed alone.

use serde_json::json;
use wecom::Text;
use wecom::bulk::{BulkOptions, RecipientOutcome};
use wecom_emulator::{Config, UserConfig};

use super::support::{BOT, Env, recipient_ids};

const MEMBERS: usize = 2_400;

fn member(i: usize) -> String {
    format!("m{i:04}")
}

/// The demo corp plus [`MEMBERS`] members in Engineering (visible to the Build bot).
async fn big_corp() -> Env {
    let mut config = Config::demo();
    for i in 0..MEMBERS {
        let user: UserConfig =
            serde_json::from_value(json!({ "userid": member(i), "departments": [2] })).unwrap();
        config.users.push(user);
    }
    Env::with(config).await
}

#[tokio::test]
async fn a_bulk_send_splits_into_batches_and_reports_each_member() {
    let env = big_corp().await;
    let client = env.client(BOT);
    let mut users: Vec<String> = (0..MEMBERS).map(member).collect();
    users.insert(10, "ghost".to_owned());
    users.insert(1500, "erin".to_owned()); // outside the app's range
    users.push("M0007".to_owned()); // a repeat, by WeCom's case-insensitive ids
    let report = client
        .send_bulk(users, Text::new("The office is closed on Friday."), BulkOptions::new())
        .await
        .unwrap();
    let totals = report.totals();
    assert_eq!((totals.users_total, totals.batches_total), (MEMBERS + 2, 3));
    assert_eq!((totals.delivered, totals.invalid, totals.failed), (MEMBERS, 2, 0));
    assert_eq!(report.duplicates(), 1);
    assert!(matches!(report.outcome("ghost"), Some(RecipientOutcome::Invalid)));
    assert!(matches!(report.outcome("erin"), Some(RecipientOutcome::Invalid)));

    // What the emulator holds matches the report, member by member.
    let messages = env.messages("").await;
    assert_eq!(messages.len(), 3);
    let mut delivered: Vec<String> = messages.iter().flat_map(recipient_ids).collect();
    assert!(messages.iter().all(|m| m["recipients"].as_array().unwrap().len() <= 1000));
    delivered.sort();
    assert_eq!(delivered, (0..MEMBERS).map(member).collect::<Vec<_>>());
    let Some(RecipientOutcome::Delivered { msgid }) = report.outcome("m2000") else {
        panic!("m2000 not delivered")
    };
    assert!(recipient_ids(&env.message(msgid).await).contains(&"m2000".to_owned()));
}

#[tokio::test]
async fn a_failed_batch_is_resumed_alone() {
    let env = big_corp().await;
    let client = env.client(BOT);
    let users: Vec<String> = (0..MEMBERS).map(member).collect();
    // The first request is refused for frequency (never retried): its batch fails.
    env.fault(json!({ "path": "message/send", "count": 1, "kind": "errcode", "errcode": 45009 }))
        .await;
    let options = || BulkOptions::new().concurrency(1);
    let first = client.send_bulk(users.clone(), Text::new("notice"), options()).await.unwrap();
    assert_eq!((first.totals().delivered, first.totals().failed), (MEMBERS - 1000, 1000));
    assert!(first.batches()[0].error.as_ref().is_some_and(wecom::Error::is_rate_limited));
    let done: Vec<&str> = first.iter().filter(|(_, o)| o.is_delivered()).map(|(u, _)| u).collect();

    let resumed = client.send_bulk(users, Text::new("notice"), options().skip(done)).await.unwrap();
    assert_eq!(resumed.skipped(), MEMBERS - 1000);
    assert!(resumed.all_delivered());
    assert_eq!(resumed.users(), first.failed_users().collect::<Vec<_>>());

    // Every member got the notice exactly once.
    let mut delivered: Vec<String> =
        env.messages("").await.iter().flat_map(recipient_ids).collect();
    delivered.sort();
    assert_eq!(delivered, (0..MEMBERS).map(member).collect::<Vec<_>>());
}
