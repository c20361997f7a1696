//! A headless Chromium driven over W3C WebDriver (Debian's `chromium` and `chromium-driver`),
//! with a small client over reqwest: the few commands these tests need. chromedriver listens
//! on a free port of 127.0.0.1; the browser gets a fresh profile in a temporary directory.
//!
//! Without the browser the tests print a "skipped" line and pass, unless
//! `WECOM_REQUIRE_BROWSER=1` (CI) makes that a failure.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// Where Debian installs them; `WECOM_CHROMIUM` and `WECOM_CHROMEDRIVER` point elsewhere.
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The W3C name of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a wait for the page lasts before the test fails.
const WAIT: Duration = Duration::from_secs(15);

/// One browser test at a time: two cores do not run two Chromiums well.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// An element of the page.
#[derive(Debug, Clone)]
pub(crate) struct Element(String);

/// A browser session; dropping it ends the session and stops chromedriver.
pub(crate) struct Browser {
    http: reqwest::Client,
    driver_url: String,
    session: String,
    _driver: Driver,
    _profile: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

fn program(var: &str, default: &str) -> String {
    std::env::var(var).ok().filter(|p| !p.is_empty()).unwrap_or_else(|| default.to_owned())
}

/// The browser and its driver if both are installed; if not, says so (or fails when they
/// are required).
fn installed() -> Option<(String, String)> {
    let chromium = program("WECOM_CHROMIUM", CHROMIUM);
    let chromedriver = program("WECOM_CHROMEDRIVER", CHROMEDRIVER);
    let missing: Vec<&str> = [chromium.as_str(), chromedriver.as_str()]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return Some((chromium, chromedriver));
    }
    assert!(
        std::env::var("WECOM_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "WECOM_REQUIRE_BROWSER=1 but {missing:?} is missing: install chromium and chromium-driver"
    );
    // Straight to the terminal: the test harness captures only the print macros.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: install chromium and chromium-driver to run the inbox browser tests ({missing:?} missing)"
    );
    None
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("bound address").port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium at `width`×`height`; `None` when the
    /// browser is not installed (and not required).
    pub(crate) async fn start(width: u32, height: u32) -> Option<Self> {
        let (chromium, chromedriver) = installed()?;
        let turn = ONE_AT_A_TIME.lock().await;
        let http = reqwest::Client::builder().no_proxy().build().expect("HTTP client");
        let profile = tempfile::tempdir().expect("a temporary directory");
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", profile.path().join("chromedriver.log").display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(Driver)
            .expect("chromedriver starts");
        let driver_url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            let ready = match http.get(format!("{driver_url}/status")).send().await {
                Ok(r) => r.json::<Value>().await.is_ok_and(|v| v["value"]["ready"] == true),
                Err(_) => false,
            };
            if ready {
                break;
            }
            assert!(started.elapsed() < WAIT, "chromedriver did not come up on port {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let user_data = profile.path().join("profile");
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-proxy-server".to_owned(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", user_data.display()),
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        } } });
        let resp: Value = http
            .post(format!("{driver_url}/session"))
            .json(&caps)
            .send()
            .await
            .expect("new session request")
            .json()
            .await
            .expect("new session answer");
        let session = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver refused the session: {resp}"))
            .to_owned();
        Some(Self { http, driver_url, session, _driver: driver, _profile: profile, _turn: turn })
    }

    /// A WebDriver command; answers its `value` or the WebDriver error.
    async fn try_cmd(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Value> {
        let url = format!("{}/session/{}{path}", self.driver_url, self.session);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("chromedriver answers");
        let ok = resp.status().is_success();
        let v: Value = resp.json().await.expect("chromedriver answers JSON");
        if ok { Ok(v["value"].clone()) } else { Err(v["value"].clone()) }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        match self.try_cmd(method, path, body).await {
            Ok(v) => v,
            Err(e) => panic!("WebDriver {path}: {e}"),
        }
    }

    /// Opens a URL.
    pub(crate) async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    /// Runs a script (a function body; `arguments` holds `args`) and answers its result.
    pub(crate) async fn exec(&self, script: &str, args: Vec<Value>) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Waits until `script` answers something truthy; answers it. `what` names the wait in
    /// the failure message.
    pub(crate) async fn wait_until(&self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let v = self.exec(script, vec![]).await;
            let truthy =
                !matches!(&v, Value::Null | Value::Bool(false)) && v != json!("") && v != json!(0);
            if truthy {
                return v;
            }
            if started.elapsed() > WAIT {
                let page = self
                    .exec("return document.querySelector('main')?.innerText ?? ''", vec![])
                    .await;
                panic!("timed out waiting for {what}; the page shows:\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the first element matching a CSS selector.
    pub(crate) async fn find(&self, css: &str) -> Element {
        let started = Instant::now();
        loop {
            let found = self
                .try_cmd(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({ "using": "css selector", "value": css })),
                )
                .await;
            if let Ok(v) = found {
                return Element(v[ELEMENT].as_str().expect("an element reference").to_owned());
            }
            if started.elapsed() > WAIT {
                let page = self
                    .exec("return document.querySelector('main')?.innerText ?? ''", vec![])
                    .await;
                panic!("no element {css:?} appeared; the page shows:\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks an element (WebDriver scrolls it into view and checks nothing covers it).
    pub(crate) async fn click(&self, el: &Element) {
        self.cmd(reqwest::Method::POST, &format!("/element/{}/click", el.0), Some(json!({}))).await;
    }

    /// Types into an element (`\u{E007}` is Enter).
    pub(crate) async fn type_text(&self, el: &Element, text: &str) {
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{}/value", el.0),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// The rendered text of an element.
    pub(crate) async fn text(&self, el: &Element) -> String {
        let v = self.cmd(reqwest::Method::GET, &format!("/element/{}/text", el.0), None).await;
        v.as_str().unwrap_or_default().to_owned()
    }

    /// A DOM property of an element (`checked`, `value`, …).
    pub(crate) async fn property(&self, el: &Element, name: &str) -> Value {
        self.cmd(reqwest::Method::GET, &format!("/element/{}/property/{name}", el.0), None).await
    }

    /// Whether an element is enabled.
    pub(crate) async fn enabled(&self, el: &Element) -> bool {
        let v = self.cmd(reqwest::Method::GET, &format!("/element/{}/enabled", el.0), None).await;
        v == true
    }

    /// Sets the window size.
    pub(crate) async fn resize(&self, width: u32, height: u32) {
        self.cmd(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .await;
    }

    /// A PNG of the viewport.
    pub(crate) async fn screenshot(&self) -> Vec<u8> {
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("base64 PNG"))
            .expect("valid base64")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // End the session (Chromium quits) with a plain blocking request: Drop cannot await.
        let addr = self.driver_url.trim_start_matches("http://").to_owned();
        if let Ok(mut stream) = TcpStream::connect(&addr) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.session
            );
            if stream.write_all(request.as_bytes()).is_ok() {
                read_answer(&mut stream);
            }
        }
    }
}

/// The chromedriver process, stopped when dropped (also when a test fails while starting).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads one HTTP answer (headers and a `Content-Length` body): chromedriver keeps the
/// connection open, so reading to the end would wait for the timeout.
fn read_answer(stream: &mut TcpStream) {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let Ok(n) = stream.read(&mut buf) else { return };
        if n == 0 {
            return;
        }
        answer.extend_from_slice(&buf[..n]);
        let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
        let len = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if answer.len() >= end + 4 + len {
            return;
        }
    }
}
