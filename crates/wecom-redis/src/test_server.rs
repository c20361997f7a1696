//! For tests of the crates that use Redis: a `redis-server` of the test's own on a free port,
//! a closed port, and a server that accepts connections and never answers.
//!
//! Without `redis-server` on `PATH`, [`RedisServer::start`] returns `None` after printing a
//! "skipped" line — unless `WECOM_REQUIRE_REDIS=1` is set (as in CI), when it panics instead,
//! so a CI machine without Redis cannot pass by skipping.
#![allow(clippy::missing_panics_doc, clippy::print_stderr)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `redis-server` on 127.0.0.1, without persistence, killed on drop.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
    /// With TLS: the certificate and key files the server presents.
    tls: Option<(PathBuf, PathBuf)>,
}

impl RedisServer {
    /// A fresh server; `None` (after saying so) when `redis-server` is not installed, unless
    /// `WECOM_REQUIRE_REDIS=1`, which turns that into a failure.
    pub fn start() -> Option<Self> {
        if !installed() {
            skip();
            return None;
        }
        // A free port may be taken by someone else before redis binds it: try a few.
        for _ in 0..5 {
            let port = free_port();
            let mut server =
                RedisServer { child: None, port, dir: tempfile::tempdir().unwrap(), tls: None };
            if server.launch() {
                return Some(server);
            }
        }
        panic!("redis-server did not start on any of five free ports");
    }

    /// A fresh server speaking only TLS, presenting the certificate chain in `cert_pem` with
    /// the private key `key_pem` (PEM); clients are not asked for certificates. `None` as for
    /// [`start`](Self::start), and also when this `redis-server` cannot start with TLS (built
    /// without it) — a failure instead with `WECOM_REQUIRE_REDIS=1`.
    pub fn start_tls(cert_pem: &str, key_pem: &str) -> Option<Self> {
        if !installed() {
            skip();
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("server.crt");
        let key = dir.path().join("server.key");
        std::fs::write(&cert, cert_pem).unwrap();
        std::fs::write(&key, key_pem).unwrap();
        let mut server = RedisServer { child: None, port: 0, dir, tls: Some((cert, key)) };
        for _ in 0..5 {
            server.port = free_port();
            if server.launch() {
                return Some(server);
            }
        }
        // A redis-server built without TLS exits at once: a skip like a missing one, unless
        // Redis is required.
        assert!(
            std::env::var("WECOM_REQUIRE_REDIS").as_deref() != Ok("1"),
            "WECOM_REQUIRE_REDIS=1 but redis-server did not start with TLS (built without it?)"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped: this redis-server did not start with TLS (built without it?)"
        );
        None
    }

    /// `redis://127.0.0.1:{port}`, or `rediss://` for a TLS server.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "rediss" } else { "redis" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// Kills the server (the port is then closed).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, empty.
    pub fn restart(&mut self) {
        self.stop();
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.launch() {
            assert!(Instant::now() < deadline, "redis-server did not restart on {}", self.port);
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A synchronous connection for looking inside (plain servers only).
    pub fn inspect(&self) -> redis::Connection {
        redis::Client::open(self.url()).unwrap().get_connection().unwrap()
    }

    fn launch(&mut self) -> bool {
        let mut command = Command::new("redis-server");
        match &self.tls {
            None => command.args(["--port", &self.port.to_string()]),
            Some((cert, key)) => command
                .args(["--port", "0", "--tls-port", &self.port.to_string()])
                .arg("--tls-cert-file")
                .arg(cert)
                .arg("--tls-key-file")
                .arg(key)
                .args(["--tls-auth-clients", "no"]),
        };
        let mut child = command
            .args(["--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed but could not be started");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if child.try_wait().unwrap().is_some() {
                return false; // the port was taken
            }
            let up = if self.tls.is_some() { listening(self.port) } else { pong(self.port) };
            if up {
                self.child = Some(child);
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        false
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn installed() -> bool {
    Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn skip() {
    assert!(
        std::env::var("WECOM_REQUIRE_REDIS").as_deref() != Ok("1"),
        "WECOM_REQUIRE_REDIS=1 but redis-server is not on PATH (apt-get install redis-server)"
    );
    // Straight to the process's stderr: libtest hides `eprintln!` output of passing tests.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: install redis-server (apt-get install redis-server) to run this test"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether something accepts connections on the port (a TLS server cannot be pinged in
/// plain text).
fn listening(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

fn pong(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut reply = [0_u8; 7];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut reply).is_ok()
        && &reply == b"+PONG\r\n"
}

/// A port where nothing listens.
pub fn closed_port_url() -> String {
    format!("redis://127.0.0.1:{}", free_port())
}

/// A server that accepts connections and never answers: Redis hung or behind a black hole.
/// Lives as long as the test's runtime.
pub async fn silent_server_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("redis://{addr}")
}
