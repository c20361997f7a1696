//! The built-in demo corp used when no configuration file is given. Its credentials are
//! fixed so that examples and notes can quote them.

use super::{
    AppConfig, BotConfig, Config, DepartmentConfig, GroupConfig, Options, Secret, TagConfig,
    UserConfig,
};

/// The demo group's webhook key (its URL is `…/cgi-bin/webhook/send?key=` this).
pub const DEMO_WEBHOOK_KEY: &str = "demo-webhook-key-0000-0000-000000000001";

/// The demo app whose visible range is the root department, so it may use app group chats.
pub const DEMO_CHAT_APP: i64 = 1_000_004;

fn user(userid: &str, name: &str, departments: &[i64]) -> UserConfig {
    UserConfig {
        userid: userid.to_owned(),
        name: name.to_owned(),
        departments: departments.to_vec(),
        licensed: true,
    }
}

fn department(id: i64, name: &str, parentid: i64) -> DepartmentConfig {
    DepartmentConfig { id, name: name.to_owned(), parentid }
}

pub(super) fn demo() -> Config {
    let mut dave = user("dave", "Dave", &[3]);
    dave.licensed = false;
    Config {
        corp_id: "wwdemo00000000001".to_owned(),
        corp_name: "Demo Corp".to_owned(),
        options: Options::default(),
        departments: vec![
            department(1, "Demo Corp", 0),
            department(2, "Engineering", 1),
            department(3, "Operations", 1),
            department(4, "Platform", 2),
            department(5, "Contractors", 1),
        ],
        users: vec![
            user("alice", "Alice", &[2]),
            user("bob", "Bob", &[2, 4]),
            user("carol", "Carol", &[3]),
            dave,
            user("erin", "Erin", &[5]),
        ],
        tags: vec![
            TagConfig {
                id: 1,
                name: "oncall".to_owned(),
                users: vec!["alice".to_owned(), "carol".to_owned()],
                parties: vec![],
            },
            TagConfig { id: 2, name: "platform".to_owned(), users: vec![], parties: vec![4] },
        ],
        groups: vec![GroupConfig {
            chatid: "wrdemo-ops".to_owned(),
            name: "Ops alerts".to_owned(),
            members: vec!["alice".to_owned(), "bob".to_owned(), "carol".to_owned()],
            bots: vec![BotConfig {
                key: Secret::new(DEMO_WEBHOOK_KEY),
                name: "Alert bot".to_owned(),
                enabled: true,
            }],
        }],
        apps: vec![
            AppConfig {
                agentid: 1_000_002,
                name: "Build bot".to_owned(),
                secret: Secret::new("demo-secret-build-bot-0000000000000000000000"),
                enabled: true,
                visible_users: vec![],
                visible_parties: vec![2, 3],
                visible_tags: vec![],
                callback_url: Some("http://127.0.0.1:3000/wecom/callback".to_owned()),
                callback_token: Some(Secret::new("demoToken")),
                encoding_aes_key: Some(Secret::new("demoAesKey0123456789abcdefghijklmnopqrstuvw")),
                miniprogram_appid: Some("wxdemo0000000001".to_owned()),
            },
            AppConfig {
                agentid: 1_000_003,
                name: "Notices".to_owned(),
                secret: Secret::new("demo-secret-notices-00000000000000000000000"),
                enabled: true,
                visible_users: vec!["alice".to_owned()],
                visible_parties: vec![3],
                visible_tags: vec![],
                callback_url: None,
                callback_token: None,
                encoding_aes_key: None,
                miniprogram_appid: None,
            },
            // The whole corp (the root department) is in range: the only demo app that may
            // use app group chats (`appchat/*`).
            AppConfig {
                agentid: DEMO_CHAT_APP,
                name: "Chat ops".to_owned(),
                secret: Secret::new("demo-secret-chat-ops-0000000000000000000000"),
                enabled: true,
                visible_users: vec![],
                visible_parties: vec![1],
                visible_tags: vec![],
                callback_url: None,
                callback_token: None,
                encoding_aes_key: None,
                miniprogram_appid: None,
            },
        ],
        aibots: vec![
            crate::aibot::AibotConfig {
                botid: "aib_demo".to_owned(),
                name: "Ask me".to_owned(),
                secret: Some(Secret::new("demo-aibot-secret-000000000000000000000000")),
                token: Some(Secret::new("demoBotToken")),
                encoding_aes_key: Some(Secret::new("demoBotKey0123456789abcdefghijklmnopqrstuvw")),
                callback_url: Some("http://127.0.0.1:3001/wecom/aibot".to_owned()),
                mode: crate::aibot::AibotMode::Http,
                refresh_interval_ms: 1000,
                stream_window_seconds: 360,
            },
            crate::aibot::AibotConfig {
                botid: "aib_ws_demo".to_owned(),
                name: "Ask me (WebSocket)".to_owned(),
                secret: Some(Secret::new("demo-aibot-ws-secret-00000000000000000000000")),
                token: None,
                encoding_aes_key: None,
                callback_url: None,
                mode: crate::aibot::AibotMode::Websocket,
                refresh_interval_ms: 1000,
                stream_window_seconds: 360,
            },
        ],
    }
}
