//! Acting as a member in the inbox: a card button, a vote, the action menu and a text to the
//! app each reach the real callback app, and its answers show up in place, live.

use serde_json::{Value, json};

use super::app::{self, CardEvent};
use super::browser::Browser;
use super::support::{BOT, Emu, button_card};

/// Selector of a message's article.
fn article(msgid: &str) -> String {
    format!("article[data-msgid='{msgid}']")
}

async fn open_inbox_as(browser: &Browser, emu: &Emu, userid: &str) {
    browser.goto(&emu.url("/")).await;
    let member = browser.find(&format!("button.user[data-userid='{userid}']")).await;
    browser.click(&member).await;
    browser
        .wait_until(
            "the member's conversation and the live stream",
            &format!(
                "return document.querySelector(\"button.user[data-userid='{userid}']\").getAttribute('aria-pressed') === 'true' \
                 && document.getElementById('live').dataset.mode === 'live'"
            ),
        )
        .await;
    // A reload would drop this marker: the tests check that updates arrive without one.
    browser.exec("window.__sameDocument = true; return true", vec![]).await;
}

async fn still_same_document(browser: &Browser) -> bool {
    browser.exec("return window.__sameDocument === true", vec![]).await == true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_button_press_reaches_the_app_and_its_reply_updates_the_card_in_place() {
    let Some(browser) = Browser::start(1200, 900).await else { return };
    let emu = Emu::demo().await;
    let log = app::start(&emu).await;
    let sent = emu.send(BOT, &button_card("deploy-web-1")).await;
    assert_eq!(sent["errcode"], 0, "{sent}");
    let msgid = sent["msgid"].as_str().unwrap().to_owned();
    let card = article(&msgid);

    open_inbox_as(&browser, &emu, "bob").await;
    let night = browser.find(&format!("{card} select.selector option[value='night']")).await;
    browser.click(&night).await;
    let approve = browser.find(&format!("{card} button[data-key='approve']")).await;
    assert!(browser.enabled(&approve).await);
    browser.click(&approve).await;

    let replaced = browser
        .wait_until(
            "the replaced button",
            &format!(
                "const b = document.querySelector(\"{card} .btn-replaced\"); return b && b.disabled && b.textContent"
            ),
        )
        .await;
    assert_eq!(replaced, "Approved by bob");
    let result = browser.find(&format!("{card} .card-result")).await;
    assert_eq!(browser.text(&result).await, "✓ You pressed “Approve” with Tonight");
    assert!(still_same_document(&browser).await, "the card updated without a reload");
    let left = browser
        .exec(
            &format!("return document.querySelectorAll(\"{card} button[data-key]\").length"),
            vec![],
        )
        .await;
    assert_eq!(left, 0, "the callback buttons are gone");
    let selection_disabled = browser
        .exec(&format!("return document.querySelector(\"{card} select\").disabled"), vec![])
        .await;
    assert_eq!(selection_disabled, true, "a disabled card takes no input");
    let note = browser.find(&format!("{card} .action-note")).await;
    assert!(browser.text(&note).await.contains("update_button"), "the note tells what the app did");

    // The app got bob's click with the option he picked.
    assert_eq!(
        log.card_events(),
        [CardEvent {
            user: "bob".into(),
            menu: false,
            card_type: "button_interaction".into(),
            task_id: "deploy-web-1".into(),
            key: "approve".into(),
            selected: vec![("window".into(), vec!["night".into()])],
        }]
    );
    // Only bob's copy changed.
    let m = emu.message(&msgid).await;
    let copy =
        |u: &str| m["recipients"].as_array().unwrap().iter().find(|r| r["userid"] == u).cloned();
    assert_eq!(copy("bob").unwrap()["card"]["button_text"], "Approved by bob");
    assert_eq!(copy("alice").unwrap()["card"]["disabled"], false);

    // A text to the app: the member's message and the app's passive reply appear, the
    // newest at the bottom.
    let input = browser.find("#compose-text").await;
    browser.type_text(&input, "hello app\u{E007}").await;
    let first = browser
        .wait_until(
            "the passive reply",
            "const a = document.querySelector('#messages article:last-of-type'); \
             return a && a.textContent.includes('echo: hello app') && a.dataset.msgtype",
        )
        .await;
    assert_eq!(first, "text");
    let mine = browser
        .exec(
            "return [...document.querySelectorAll('#messages article.mine')].map(a => a.querySelector('.bubble').textContent)",
            vec![],
        )
        .await;
    assert_eq!(mine, json!(["hello app"]));
    assert!(still_same_document(&browser).await);
    assert_eq!(log.texts(), ["hello app"]);
}

fn vote_card() -> Value {
    json!({
        "touser": "alice",
        "msgtype": "template_card",
        "agentid": BOT,
        "template_card": {
            "card_type": "vote_interaction",
            "source": { "desc": "Team lunch" },
            "main_title": { "title": "Lunch?", "desc": "pick any" },
            "task_id": "lunch-web-1",
            "checkbox": { "question_key": "lunch", "mode": 1, "option_list": [
                { "id": "a", "text": "Noodles", "is_checked": false },
                { "id": "b", "text": "Rice", "is_checked": true },
                { "id": "c", "text": "Dumplings", "is_checked": false } ] },
            "submit_button": { "text": "Submit", "key": "lunch_submit" }
        }
    })
}

fn survey_card() -> Value {
    json!({
        "touser": "alice",
        "msgtype": "template_card",
        "agentid": BOT,
        "template_card": {
            "card_type": "multiple_interaction",
            "main_title": { "title": "Survey" },
            "task_id": "survey-web-2",
            "select_list": [
                { "question_key": "team", "title": "Team", "selected_id": "t2",
                  "option_list": [ { "id": "t1", "text": "Infra" }, { "id": "t2", "text": "App" } ] },
                { "question_key": "site", "title": "Site",
                  "option_list": [ { "id": "s1", "text": "Shenzhen" }, { "id": "s2", "text": "Beijing" } ] } ],
            "submit_button": { "text": "Send", "key": "survey_submit" }
        }
    })
}

fn menu_card() -> Value {
    json!({
        "touser": "alice",
        "msgtype": "template_card",
        "agentid": BOT,
        "template_card": {
            "card_type": "text_notice",
            "source": { "desc": "Alerts", "desc_color": 2 },
            "action_menu": { "desc": "Alert options", "action_list": [
                { "text": "Mute for an hour", "key": "mute" },
                { "text": "Escalate", "key": "escalate" } ] },
            "main_title": { "title": "Disk 91% on db-1" },
            "card_action": { "type": 1, "url": "https://grafana.example.com/d/db" },
            "task_id": "alert-web-1"
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_sends_the_selected_items_and_the_app_closes_it_with_update_template_card() {
    let Some(browser) = Browser::start(1200, 900).await else { return };
    let emu = Emu::demo().await;
    let log = app::start(&emu).await;
    let sent = emu.send(BOT, &vote_card()).await;
    assert_eq!(sent["errcode"], 0, "{sent}");
    let msgid = sent["msgid"].as_str().unwrap().to_owned();
    let card = article(&msgid);

    open_inbox_as(&browser, &emu, "alice").await;
    let rice = browser.find(&format!("{card} input[value='b']")).await;
    assert_eq!(browser.property(&rice, "checked").await, true, "is_checked options start ticked");
    // Tick Noodles by its label, as a person would.
    let noodles = browser.find(&format!("{card} .option:nth-of-type(1) label")).await;
    assert_eq!(browser.text(&noodles).await, "Noodles");
    browser.click(&noodles).await;
    let submit = browser.find(&format!("{card} button.submit")).await;
    browser.click(&submit).await;
    // The page shows the outcome after reloading the view; the app's update comes after
    // that, so that only the live stream can bring it.
    browser
        .wait_until(
            "the vote's callback",
            &format!(
                "return document.querySelector(\"{card} .action-note\")?.textContent.includes('no passive reply')"
            ),
        )
        .await;
    // What alice chose shows in the card, her choices ticked, before the app answers.
    let result = browser.find(&format!("{card} .card-result")).await;
    assert_eq!(browser.text(&result).await, "✓ You chose: Noodles, Rice");
    log.release_vote.notify_one();

    let replaced = browser
        .wait_until(
            "the vote closed by the app",
            &format!(
                "const b = document.querySelector(\"{card} .btn-replaced\"); return b && b.textContent"
            ),
        )
        .await;
    assert_eq!(replaced, "Voted: a, b");
    let inputs = browser
        .exec(
            &format!(
                "const f = document.querySelector(\"{card} fieldset\"); \
                 return {{ disabled: f.disabled, checked: [...f.querySelectorAll('input:checked')].map(i => i.value) }}"
            ),
            vec![],
        )
        .await;
    assert_eq!(inputs, json!({ "disabled": true, "checked": ["a", "b"] }));
    let result = browser.find(&format!("{card} .card-result")).await;
    assert_eq!(browser.text(&result).await, "✓ You chose: Noodles, Rice", "kept after the update");
    assert!(still_same_document(&browser).await, "the card updated without a reload");
    std::fs::write(super::artifacts().join("inbox-vote-closed.png"), browser.screenshot().await)
        .expect("the screenshot is saved");

    // The app side: the SelectedItems of the callback, and its API call succeeded.
    assert_eq!(
        log.card_events(),
        [CardEvent {
            user: "alice".into(),
            menu: false,
            card_type: "vote_interaction".into(),
            task_id: "lunch-web-1".into(),
            key: "lunch_submit".into(),
            selected: vec![("lunch".into(), vec!["a".into(), "b".into()])],
        }]
    );
    let answers = log.api_answers.lock().unwrap().clone();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0]["errcode"], 0, "{}", answers[0]);

    // A selection card: the dropdowns' choices go out as SelectedItems; the app answers
    // without a reply, and the note says so.
    let sent = emu.send(BOT, &survey_card()).await;
    assert_eq!(sent["errcode"], 0, "{sent}");
    let survey = article(sent["msgid"].as_str().unwrap());
    let beijing =
        browser.find(&format!("{survey} select[data-question='site'] option[value='s2']")).await;
    browser.click(&beijing).await;
    let submit = browser.find(&format!("{survey} button.submit")).await;
    assert_eq!(browser.text(&submit).await, "Send");
    browser.click(&submit).await;
    let note = browser
        .wait_until(
            "the survey's callback",
            &format!("const n = document.querySelector(\"{survey} .action-note\"); return n && n.dataset.kind === 'ok' && n.textContent"),
        )
        .await;
    assert_eq!(note, "The app received the callback (no passive reply).");
    let chosen = browser.find(&format!("{survey} .card-result")).await;
    assert_eq!(browser.text(&chosen).await, "✓ You chose: App, Beijing");
    let survey_event = log.card_events().pop().expect("the survey reached the app");
    assert_eq!(survey_event.card_type, "multiple_interaction");
    assert_eq!(survey_event.key, "survey_submit");
    assert_eq!(
        survey_event.selected,
        [("team".into(), vec!["t2".into()]), ("site".into(), vec!["s2".into()])],
        "the preselected team and the picked site"
    );
    let enabled = browser
        .exec(
            &format!("return !document.querySelector(\"{survey} button.submit\").disabled"),
            vec![],
        )
        .await;
    assert_eq!(enabled, true, "a card the app did not update takes input again");

    // The action menu, with the keyboard: Enter opens it on the first item, ArrowDown moves,
    // Enter picks.
    let sent = emu.send(BOT, &menu_card()).await;
    assert_eq!(sent["errcode"], 0, "{sent}");
    let menu_card = article(sent["msgid"].as_str().unwrap());
    let toggle = browser.find(&format!("{menu_card} .menu-toggle")).await;
    browser.type_text(&toggle, "\u{E007}").await;
    let focused =
        browser.wait_until("the menu to open", "return document.activeElement?.dataset.key").await;
    assert_eq!(focused, "mute");
    let mute = browser.find(&format!("{menu_card} .menu-item[data-key='mute']")).await;
    browser.type_text(&mute, "\u{E015}").await;
    let focused = browser.exec("return document.activeElement?.dataset.key", vec![]).await;
    assert_eq!(focused, "escalate");
    let escalate = browser.find(&format!("{menu_card} .menu-item[data-key='escalate']")).await;
    browser.type_text(&escalate, "\u{E007}").await;
    browser
        .wait_until(
            "the app's answer to the menu pick",
            "const a = document.querySelector('#messages article:last-of-type'); return a && a.textContent.includes('menu: escalate')",
        )
        .await;
    let picked = log.card_events().pop().expect("the menu pick reached the app");
    assert_eq!(
        (picked.menu, picked.task_id.as_str(), picked.key.as_str()),
        (true, "alert-web-1", "escalate")
    );
}
