//! `send_bulk`: batching, per-recipient outcomes, failures, concurrency and progress.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use wecom::bulk::{BulkOptions, BulkProgress, RecipientOutcome};
use wecom::{Error, Text, Throttle};

use super::support::{Mock, Reply};

const SEND: &str = "/cgi-bin/message/send";

fn users(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{i:05}")).collect()
}

fn ok(msgid: &str) -> Reply {
    Reply::Json(json!({"errcode": 0, "errmsg": "ok", "msgid": msgid}))
}

#[tokio::test]
async fn recipients_are_split_into_requests_of_at_most_1000() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let all = users(2500);
    let report =
        client.send_bulk(all.clone(), Text::new("hello"), BulkOptions::new()).await.unwrap();

    let mut sent: Vec<Vec<String>> = mock
        .requests(SEND)
        .iter()
        .map(|r| r.json()["touser"].as_str().unwrap().split('|').map(str::to_owned).collect())
        .collect();
    assert_eq!(sent.len(), 3);
    sent.sort_by_key(|batch| batch[0].clone());
    assert_eq!(sent.iter().map(Vec::len).collect::<Vec<_>>(), [1000, 1000, 500]);
    assert_eq!(sent.concat(), all, "every recipient once, in order within batches");
    for request in mock.requests(SEND) {
        let body = request.json();
        assert_eq!(body["msgtype"], "text");
        assert_eq!(body["text"]["content"], "hello");
    }

    assert!(report.all_delivered());
    assert_eq!(report.users(), all);
    assert_eq!(report.batches().len(), 3);
    assert_eq!(report.batches()[2].users, 2000..2500);
    let totals = report.totals();
    assert_eq!((totals.delivered, totals.users_total, totals.batches_done), (2500, 2500, 3));
    // Each recipient carries its own batch's msgid.
    let msgid_of = |user: &str| match report.outcome(user) {
        Some(RecipientOutcome::Delivered { msgid }) => msgid.to_owned(),
        other => panic!("{other:?}"),
    };
    assert_ne!(msgid_of("user00000"), msgid_of("user01000"));
    assert_eq!(msgid_of("user01000"), msgid_of("user01999"));
    assert_eq!(msgid_of("USER02499"), report.batches()[2].msgid.clone().unwrap());
}

#[tokio::test]
async fn invalid_and_unlicensed_users_are_reported_per_recipient() {
    let mock = Mock::start().await;
    mock.script(
        SEND,
        [Reply::Json(json!({
            "errcode": 0, "errmsg": "ok", "msgid": "M1",
            // WeCom answers ids lower-cased.
            "invaliduser": "bob|eve", "unlicenseduser": "dave"
        }))],
    );
    let client = mock.client().build().unwrap();
    let report = client
        .send_bulk(["alice", "Bob", "carol", "dave", "Eve"], Text::new("x"), BulkOptions::new())
        .await
        .unwrap();
    let outcomes: Vec<(String, String)> =
        report.iter().map(|(u, o)| (u.to_owned(), format!("{o:?}"))).collect();
    assert_eq!(
        outcomes,
        [
            ("alice".into(), r#"Delivered { msgid: "M1" }"#.into()),
            ("Bob".into(), "Invalid".into()),
            ("carol".into(), r#"Delivered { msgid: "M1" }"#.into()),
            ("dave".into(), "Unlicensed".into()),
            ("Eve".into(), "Invalid".into()),
        ]
    );
    let t = report.totals();
    assert_eq!((t.delivered, t.invalid, t.unlicensed, t.failed), (2, 2, 1, 0));
    assert!(!report.all_delivered());
}

#[tokio::test]
async fn a_failed_batch_does_not_stop_the_others() {
    let mock = Mock::start().await;
    mock.script(SEND, [ok("M1"), Reply::err(40058, "invalid parameter"), ok("M3")]);
    let client = mock.client().build().unwrap();
    let report = client
        .send_bulk(users(6), Text::new("x"), BulkOptions::new().batch_size(2).concurrency(1))
        .await
        .unwrap();
    assert_eq!(mock.count(SEND), 3);
    let failed: Vec<&str> = report.failed_users().collect();
    assert_eq!(failed, ["user00002", "user00003"]);
    match report.outcome("user00003") {
        Some(RecipientOutcome::Failed(Error::Api { code: 40058, .. })) => {}
        other => panic!("{other:?}"),
    }
    assert!(report.outcome("user00005").unwrap().is_delivered());
    assert_eq!(report.batches()[1].error.as_ref().and_then(Error::code), Some(40058));
    assert_eq!(report.batches()[1].msgid, None);
    assert_eq!(report.batches()[2].msgid.as_deref(), Some("M3"));
    let t = report.totals();
    assert_eq!((t.delivered, t.failed, t.batches_done), (4, 2, 3));
}

#[tokio::test]
async fn system_busy_is_retried_inside_a_batch() {
    let mock = Mock::start().await;
    mock.script(SEND, [Reply::err(-1, "system busy"), ok("M1")]);
    let client = mock.client().build().unwrap();
    let report = client.send_bulk(users(3), Text::new("x"), BulkOptions::new()).await.unwrap();
    assert!(report.all_delivered());
    assert_eq!(mock.count(SEND), 2);
}

#[tokio::test]
async fn batches_in_flight_stay_within_the_bulk_concurrency() {
    let mock = Mock::start().await;
    mock.script(SEND, vec![ok("M").delayed(Duration::from_millis(40)); 12]);
    let client = mock.client().build().unwrap();
    client.access_token().await.unwrap();
    let report = client
        .send_bulk(users(12), Text::new("x"), BulkOptions::new().batch_size(1).concurrency(3))
        .await
        .unwrap();
    assert!(report.all_delivered());
    assert_eq!(mock.count(SEND), 12);
    assert_eq!(mock.max_in_flight(), 3, "three at a time, and really concurrent");
}

#[tokio::test]
async fn the_client_throttle_caps_requests_in_flight_across_bulk_concurrency() {
    let mock = Mock::start().await;
    mock.script(SEND, vec![ok("M").delayed(Duration::from_millis(40)); 8]);
    let client = mock.client().throttle(Throttle::new().max_in_flight(2)).build().unwrap();
    client.access_token().await.unwrap();
    let report = client
        .send_bulk(users(8), Text::new("x"), BulkOptions::new().batch_size(1).concurrency(8))
        .await
        .unwrap();
    assert!(report.all_delivered());
    assert_eq!(mock.max_in_flight(), 2);
}

/// What the progress callback saw of one batch: the totals, and each recipient with whether
/// it was delivered.
type BatchSeen = (BulkProgress, Vec<(String, bool)>);

#[tokio::test]
async fn progress_events_add_up_to_the_report() {
    let mock = Mock::start().await;
    mock.script(
        SEND,
        [
            Reply::Json(
                json!({"errcode": 0, "errmsg": "ok", "msgid": "M1", "invaliduser": "user00001"}),
            ),
            Reply::err(81013, "all invalid"),
            ok("M3"),
        ],
    );
    let client = mock.client().build().unwrap();
    let seen: Arc<Mutex<Vec<BatchSeen>>> = Arc::default();
    let log = Arc::clone(&seen);
    let report = client
        .send_bulk(users(7), Text::new("x"), BulkOptions::new().batch_size(3).concurrency(1))
        .on_batch(move |done| {
            let users = done.users().map(|(u, o)| (u.to_owned(), o.is_delivered())).collect();
            log.lock().unwrap().push((*done.progress, users));
        })
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    for (i, (progress, _)) in seen.iter().enumerate() {
        assert_eq!(progress.batches_done, i + 1);
        assert_eq!(progress.batches_total, 3);
    }
    let users_done: Vec<usize> = seen.iter().map(|(p, _)| p.users_done()).collect();
    assert_eq!(users_done, [3, 6, 7]);
    let last = seen.last().unwrap().0;
    assert_eq!(&last, report.totals());
    assert_eq!((last.delivered, last.invalid, last.failed), (3, 1, 3));
    // Every recipient is reported exactly once across the batch events.
    let mut journaled: Vec<String> =
        seen.iter().flat_map(|(_, u)| u.iter().map(|x| x.0.clone())).collect();
    journaled.sort();
    assert_eq!(journaled, users(7));
}

#[tokio::test]
async fn duplicates_are_sent_once_and_done_ids_are_skipped() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let report = client
        .send_bulk(
            ["alice", "Alice", "bob", "carol", "ALICE", "dave"],
            Text::new("x"),
            BulkOptions::new().skip(["CAROL"]),
        )
        .await
        .unwrap();
    let sent = mock.requests(SEND);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].json()["touser"], "alice|bob|dave");
    assert_eq!((report.duplicates(), report.skipped()), (2, 1));
    assert_eq!(report.users(), ["alice", "bob", "dave"]);

    // Everything already done: nothing to send, an empty report.
    let report = client
        .send_bulk(["alice"], Text::new("x"), BulkOptions::new().skip(["alice"]))
        .await
        .unwrap();
    assert!(report.batches().is_empty());
    assert_eq!(mock.count(SEND), 1);
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let refused = |err: Error| match err {
        Error::InvalidArgument(invalid) => invalid,
        other => panic!("{other:?}"),
    };
    let err = client
        .send_bulk(["alice", "bad id", "carol"], Text::new("x"), BulkOptions::new())
        .await
        .unwrap_err();
    let invalid = refused(err);
    assert_eq!(invalid.field, "users[1]");
    assert!(invalid.problem.contains("whitespace"), "{invalid}");
    let err = client.send_bulk(Vec::<String>::new(), Text::new("x"), BulkOptions::new()).await;
    assert_eq!(refused(err.unwrap_err()).field, "users");
    let err = client.send_bulk(["alice"], Text::new(""), BulkOptions::new()).await;
    assert_eq!(refused(err.unwrap_err()).field, "text.content");
    let err =
        client.send_bulk(["alice"], Text::new("x"), BulkOptions::new().batch_size(5000)).await;
    assert_eq!(refused(err.unwrap_err()).field, "batch_size");
    assert!(mock.all_requests().is_empty());
}

#[tokio::test]
async fn a_card_in_several_requests_gets_its_own_task_id_per_request() {
    use wecom::card::{Button, ButtonInteraction};

    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let card = ButtonInteraction::new("Deploy?", "deploy-42", [Button::callback("Go", "go")]);
    let report = client.send_bulk(users(2500), card.clone(), BulkOptions::new()).await.unwrap();

    let mut sent: Vec<(String, String)> = mock
        .requests(SEND)
        .iter()
        .map(|r| {
            let body = r.json();
            let first = body["touser"].as_str().unwrap().split('|').next().unwrap().to_owned();
            (first, body["template_card"]["task_id"].as_str().unwrap().to_owned())
        })
        .collect();
    sent.sort();
    assert_eq!(sent.len(), 3);
    let ids: std::collections::HashSet<&str> = sent.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids.len(), 3, "a task id is never used twice: {sent:?}");
    for (_, id) in &sent {
        let suffix = id.strip_prefix("deploy-42-").unwrap_or_else(|| panic!("{id}"));
        assert!(suffix.len() == 8 && suffix.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    }
    // The report says which batch went out with which id.
    for batch in report.batches() {
        let first = &report.users()[batch.users.start];
        let sent_id = &sent.iter().find(|(u, _)| u == first).unwrap().1;
        assert_eq!(batch.task_id.as_deref(), Some(sent_id.as_str()));
    }

    // One request keeps the card's own id.
    let one = Mock::start().await;
    let client = one.client().build().unwrap();
    let report = client.send_bulk(users(10), card, BulkOptions::new()).await.unwrap();
    assert_eq!(one.requests(SEND)[0].json()["template_card"]["task_id"], "deploy-42");
    assert_eq!(report.batches()[0].task_id, None);
}

#[tokio::test]
async fn a_task_id_too_long_to_derive_from_is_refused_before_anything_is_sent() {
    use wecom::card::{Button, ButtonInteraction};

    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let card = ButtonInteraction::new("Deploy?", "t".repeat(120), [Button::callback("Go", "go")]);
    let err = client.send_bulk(users(1500), card, BulkOptions::new()).await.unwrap_err();
    match err {
        Error::InvalidArgument(e) => {
            assert_eq!(e.field, "template_card.task_id");
            assert!(e.problem.contains("at most 119 bytes"), "{}", e.problem);
        }
        other => panic!("{other:?}"),
    }
    assert!(mock.requests(SEND).is_empty());
    assert!(mock.requests("/cgi-bin/gettoken").is_empty(), "not even a token is fetched");
}

#[tokio::test]
async fn per_request_task_ids_can_be_forced_or_forbidden() {
    use wecom::card::{Button, ButtonInteraction};

    let card = ButtonInteraction::new("Deploy?", "deploy-43", [Button::callback("Go", "go")]);
    // Forced: even one request gets a derived id.
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let report = client
        .send_bulk(users(10), card.clone(), BulkOptions::new().per_request_task_ids(true))
        .await
        .unwrap();
    let sent = mock.requests(SEND)[0].json()["template_card"]["task_id"].clone();
    assert!(sent.as_str().unwrap().starts_with("deploy-43-"), "{sent}");
    assert_eq!(report.batches()[0].task_id.as_deref(), sent.as_str());
    // Forbidden: a card that needs two requests is refused before anything is sent.
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let err = client
        .send_bulk(users(1001), card, BulkOptions::new().per_request_task_ids(false))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument(e) if e.field == "template_card.task_id"),
        "{err}"
    );
    assert!(mock.requests(SEND).is_empty());
}

#[tokio::test]
async fn a_resumed_send_with_the_same_seed_repeats_untouched_batches_byte_for_byte() {
    use wecom::card::{Button, ButtonInteraction};

    let card = ButtonInteraction::new("Deploy?", "deploy-42", [Button::callback("Go", "go")]);
    let options = || BulkOptions::new().task_id_seed(0x5eed).concurrency(1);
    let bodies = |mock: &Mock| -> Vec<String> {
        mock.requests(SEND).iter().map(|r| String::from_utf8_lossy(&r.body).into_owned()).collect()
    };
    let first = Mock::start().await;
    let client = first.client().build().unwrap();
    client.send_bulk(users(2500), card.clone(), options()).await.unwrap();
    let before = bodies(&first);
    assert_eq!(before.len(), 3);

    // The first batch finished, except one member held back; the other two were in flight.
    let done: Vec<String> = users(1000).into_iter().skip(1).collect();
    let again = Mock::start().await;
    let client = again.client().build().unwrap();
    let report = client.send_bulk(users(2500), card, options().skip(done)).await.unwrap();
    assert_eq!(report.skipped(), 999);
    let after = bodies(&again);
    assert_eq!(after.len(), 3);
    // The untouched batches are the same requests; the one that lost members has another id.
    assert_eq!(after[1..], before[1..]);
    let id = |body: &str| {
        serde_json::from_str::<serde_json::Value>(body).unwrap()["template_card"]["task_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(again.requests(SEND)[0].json()["touser"], "user00000");
    assert!(!before.iter().any(|b| id(b) == id(&after[0])));
}
