//! Four real processes share one Redis: a cold start costs one `gettoken`, and a token WeCom
//! expires early is refreshed once across all of them.
//!
//! The processes are this test binary run again on the ignored `worker_process` test, told
//! what to do through environment variables and lines on stdin, and answering on stdout.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use wecom::{Client, Recipients, RedisTokenStore, Text};

use super::support::{AGENT, RedisServer, emulator, expire_tokens, gettokens};

const PROCESSES: usize = 4;
const SENDS: usize = 50;
/// What the worker says starts with this; libtest prints its own text around it.
const TAG: &str = "WORKER ";
/// Generous: a hang must fail the test, a slow machine must not.
const STEP: Duration = Duration::from_secs(60);

/// A child process: this test binary running one ignored test, `test`.
pub(super) struct Worker {
    pub(super) child: Child,
    stdin: ChildStdin,
    stdout: Lines<BufReader<ChildStdout>>,
}

impl Worker {
    pub(super) fn spawn(test: &str, vars: &[(&str, String)]) -> Worker {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", test, "--ignored", "--nocapture"])
            .args(["--test-threads", "1"])
            .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        Worker { child, stdin, stdout }
    }

    pub(super) async fn tell(&mut self, line: &str) {
        self.stdin.write_all(format!("{line}\n").as_bytes()).await.unwrap();
        self.stdin.flush().await.unwrap();
    }

    pub(super) async fn hear(&mut self) -> String {
        let read = async {
            while let Some(line) = self.stdout.next_line().await.unwrap() {
                // libtest may have started a line of its own ("test … ... ") before ours.
                if let Some(at) = line.find(TAG) {
                    return line[at + TAG.len()..].to_owned();
                }
            }
            panic!("the worker ended without answering");
        };
        tokio::time::timeout(STEP, read).await.expect("the worker did not answer in time")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_token_and_one_refresh() {
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    let vars = [
        ("WECOM_WORKER_BASE_URL", emu.base_url().to_owned()),
        ("WECOM_WORKER_CORP_ID", emu.corp_id().to_owned()),
        ("WECOM_WORKER_SECRET", emu.app(AGENT).unwrap().secret.expose().to_owned()),
        ("WECOM_WORKER_REDIS_URL", redis.url()),
    ];
    let mut workers: Vec<Worker> =
        (0..PROCESSES).map(|_| Worker::spawn("redis::processes::worker_process", &vars)).collect();
    for worker in &mut workers {
        assert_eq!(worker.hear().await, "ready");
    }

    // Cold: every process starts its 50 sends at once with nothing cached anywhere.
    for worker in &mut workers {
        worker.tell("go").await;
    }
    for worker in &mut workers {
        assert_eq!(worker.hear().await, format!("sent {SENDS} of {SENDS}"));
    }
    assert_eq!(gettokens(&emu).await, 1, "one gettoken for all processes");

    // WeCom drops the token early: every process holds it in memory and gets 42001.
    expire_tokens(&emu).await;
    for worker in &mut workers {
        worker.tell("go").await;
    }
    for worker in &mut workers {
        assert_eq!(worker.hear().await, format!("sent {SENDS} of {SENDS}"));
    }
    assert_eq!(gettokens(&emu).await, 2, "one refresh for all processes");

    for worker in &mut workers {
        worker.tell("exit").await;
    }
    for worker in &mut workers {
        let status = tokio::time::timeout(STEP, worker.child.wait()).await.unwrap().unwrap();
        assert!(status.success(), "worker exited with {status}");
    }
    let sent: serde_json::Value =
        reqwest::get(format!("{}/emulator/messages?agentid={AGENT}", emu.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(sent["messages"].as_array().unwrap().len(), 2 * PROCESSES * SENDS);
}

#[allow(clippy::print_stdout, reason = "the worker answers its parent on stdout")]
pub(super) fn say(line: &str) {
    println!("{TAG}{line}");
}

/// One of the processes of `four_processes_share_one_token_and_one_refresh`; does nothing
/// when run by hand.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a child process of four_processes_share_one_token_and_one_refresh"]
async fn worker_process() {
    let var = |name: &str| std::env::var(name).ok();
    let Some(base_url) = var("WECOM_WORKER_BASE_URL") else { return };
    let store = RedisTokenStore::new(&var("WECOM_WORKER_REDIS_URL").unwrap()).unwrap();
    let client = Client::builder(
        var("WECOM_WORKER_CORP_ID").unwrap(),
        AGENT,
        var("WECOM_WORKER_SECRET").unwrap(),
    )
    .base_url(base_url)
    .token_store(Arc::new(store))
    // Wait as long as it takes for another process's refresh: the test counts refreshes,
    // and a slow machine must not turn waiting into fetching.
    .token_refresh_lease(Duration::from_secs(30), Duration::from_secs(30))
    .build()
    .unwrap();

    let mut stdin = BufReader::new(tokio::io::stdin()).lines();
    say("ready");
    while let Some(line) = stdin.next_line().await.unwrap() {
        match line.as_str() {
            "go" => {
                let sends = (0..SENDS).map(|i| {
                    client
                        .send(Recipients::users(["alice", "bob"]), Text::new(format!("#{i}")))
                        .into_future()
                });
                let results = futures::future::join_all(sends).await;
                let failed: Vec<String> = results
                    .iter()
                    .filter_map(|r| r.as_ref().err())
                    .map(ToString::to_string)
                    .collect();
                say(&format!(
                    "sent {} of {SENDS}{}",
                    SENDS - failed.len(),
                    failed.first().map(|e| format!(" ({e})")).unwrap_or_default()
                ));
            }
            "exit" => return,
            other => panic!("unexpected instruction {other:?}"),
        }
    }
}
