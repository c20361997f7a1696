//! The client throttle against the mock, on tokio's paused clock: delays are exact and
//! instant, so nothing depends on wall-clock timing.

use std::time::Duration;

use tokio::time::Instant;
use wecom::bulk::{BulkOptions, RecipientOutcome};
use wecom::throttle::Limit;
use wecom::{ClientBuilder, OnLimit, Recipients, Text, Throttle};

use super::support::Mock;

const SEND: &str = "/cgi-bin/message/send";

/// Long timeouts: the paused clock jumps to the next timer whenever the runtime idles, and a
/// request timeout must never be that timer.
fn patient(builder: ClientBuilder) -> ClientBuilder {
    let year = Duration::from_secs(365 * 24 * 3600);
    builder.request_timeout(year).connect_timeout(year)
}

fn touser(mock: &Mock) -> Vec<String> {
    mock.requests(SEND).iter().map(|r| r.json()["touser"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(start_paused = true)]
async fn a_message_over_a_members_limit_is_delayed_until_it_fits() {
    let mock = Mock::start().await;
    let throttle = Throttle::new().member_limits([Limit::per_minute(2)]);
    let client = patient(mock.client().throttle(throttle)).build().unwrap();
    let start = Instant::now();
    let mut sent_at = Vec::new();
    for i in 0..3 {
        let receipt =
            client.send(Recipients::user("alice"), Text::new(format!("#{i}"))).await.unwrap();
        assert!(receipt.held_back.is_empty());
        sent_at.push(Instant::now() - start);
    }
    assert_eq!(mock.count(SEND), 3, "delayed, not dropped");
    assert!(sent_at[1] < Duration::from_secs(1), "{sent_at:?}");
    // One-second ticks: the window is counted as 61 s, and the first two leave it after 62 s.
    assert!(sent_at[2] >= Duration::from_secs(62), "{sent_at:?}");
    assert!(sent_at[2] < Duration::from_secs(64), "{sent_at:?}");
}

#[tokio::test(start_paused = true)]
async fn report_mode_sends_to_members_within_limits_and_lists_the_others() {
    let mock = Mock::start().await;
    let throttle =
        Throttle::new().member_limits([Limit::per_minute(1)]).on_member_limit(OnLimit::Report);
    let client = patient(mock.client().throttle(throttle)).build().unwrap();

    let first = client.send(Recipients::users(["alice", "bob"]), Text::new("1")).await.unwrap();
    assert!(first.held_back.is_empty() && first.all_delivered());

    let second = client.send(Recipients::users(["Alice", "carol"]), Text::new("2")).await.unwrap();
    assert_eq!(second.held_back, ["Alice"], "as given, matched case-insensitively");
    assert!(!second.all_delivered());
    assert!(!second.msgid.is_empty());

    let third = client.send(Recipients::user("bob"), Text::new("3")).await.unwrap();
    assert_eq!(third.held_back, ["bob"]);
    assert_eq!(third.msgid, "", "nobody left: nothing sent");
    assert_eq!(touser(&mock), ["alice|bob", "carol"]);

    // Departments and tags cannot be counted per member: they go through.
    let parties =
        client.send(Recipients::users(["alice"]).and_parties([2]), Text::new("4")).await.unwrap();
    assert_eq!(parties.held_back, ["alice"]);
    let body = mock.requests(SEND).last().unwrap().json();
    assert_eq!(body["toparty"], "2");
    assert!(body.get("touser").is_none());

    // A send can choose to wait instead.
    let start = Instant::now();
    let waited = client
        .send(Recipients::user("bob"), Text::new("5"))
        .on_member_limit(OnLimit::Delay)
        .await
        .unwrap();
    assert!(waited.held_back.is_empty());
    assert!(Instant::now() - start >= Duration::from_secs(60));
    assert_eq!(mock.count(SEND), 4);
}

#[tokio::test(start_paused = true)]
async fn bulk_sends_report_held_back_members_per_recipient() {
    let mock = Mock::start().await;
    let throttle =
        Throttle::new().member_limits([Limit::per_minute(1)]).on_member_limit(OnLimit::Report);
    let client = patient(mock.client().throttle(throttle)).build().unwrap();
    client.send(Recipients::user("bob"), Text::new("earlier")).await.unwrap();

    let report = client
        .send_bulk(["alice", "bob", "carol"], Text::new("news"), BulkOptions::new())
        .await
        .unwrap();
    assert_eq!(report.held_back_users().collect::<Vec<_>>(), ["bob"]);
    assert!(matches!(report.outcome("bob"), Some(RecipientOutcome::HeldBack)));
    assert!(report.outcome("alice").unwrap().is_delivered());
    assert_eq!(report.totals().held_back, 1);
    assert_eq!(touser(&mock), ["bob", "alice|carol"]);

    // The same bulk send in delay mode waits for bob instead.
    let start = Instant::now();
    let report = client
        .send_bulk(["bob"], Text::new("news"), BulkOptions::new().on_member_limit(OnLimit::Delay))
        .await
        .unwrap();
    assert!(report.all_delivered());
    assert!(Instant::now() - start >= Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn the_app_wide_rate_spaces_requests() {
    let mock = Mock::start().await;
    let throttle = Throttle::new().without_member_limits().requests_per_second(2);
    let client = patient(mock.client().throttle(throttle)).build().unwrap();
    let start = Instant::now();
    for i in 0..6 {
        client.send(Recipients::user(format!("u{i}")), Text::new("x")).await.unwrap();
    }
    let elapsed = Instant::now() - start;
    // A burst of two, then one every 500 ms: the sixth leaves at 2 s.
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(mock.count(SEND), 6);
}

#[tokio::test]
async fn bad_throttle_settings_fail_the_build() {
    let err = Mock::start()
        .await
        .client()
        .throttle(Throttle::new().max_in_flight(0))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("max_in_flight"), "{err}");
}
