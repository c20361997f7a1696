//! `wecom crypto …`: compute signatures, encrypt replies, verify and decrypt callbacks by hand —
//! one at a time or, for captured traffic, as JSON lines on stdin.

use std::io::{BufRead as _, Read as _, Write as _};
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow};
use clap::{Args, Subcommand};
use serde::Deserialize;
use serde_json::json;
use wecom_msgcrypt::{MsgCrypt, ReceiveIdCheck};

use crate::config::Settings;
use crate::exit::usage;
use crate::output::Output;

/// The crypto subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum CryptoCommand {
    /// Compute msg_signature = sha1(sort(token, timestamp, nonce, encrypt)).
    Sign(SignArgs),
    /// Encrypt a message into a passive-reply envelope (XML).
    Encrypt(EncryptArgs),
    /// Verify and decrypt a callback POST body, or JSON lines on stdin with --jsonl.
    Decrypt(DecryptArgs),
    /// Answer a URL verification: verify and decrypt echostr.
    VerifyUrl(VerifyUrlArgs),
}

/// Arguments of `crypto sign`.
#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// The timestamp query parameter.
    #[arg(long)]
    timestamp: String,
    /// The nonce query parameter.
    #[arg(long)]
    nonce: String,
    /// The ciphertext (the Encrypt element, or echostr).
    #[arg(long)]
    encrypt: String,
}

/// Arguments of `crypto encrypt`.
#[derive(Debug, Args)]
pub(crate) struct EncryptArgs {
    /// The plaintext message (reply XML); `-` reads stdin.
    message: String,
    /// Timestamp for the envelope [default: now].
    #[arg(long)]
    timestamp: Option<String>,
    /// Nonce for the envelope [default: random digits].
    #[arg(long)]
    nonce: Option<String>,
    /// Receive id to embed [default: the corp id].
    #[arg(long)]
    receive_id: Option<String>,
}

/// Arguments of `crypto decrypt`.
#[derive(Debug, Args)]
pub(crate) struct DecryptArgs {
    /// The POST body (XML or JSON envelope) or a bare Encrypt value; `-` reads stdin.
    #[arg(required_unless_present = "jsonl")]
    body: Option<String>,
    /// The msg_signature query parameter.
    #[arg(long, required_unless_present_any = ["jsonl", "no_verify"])]
    signature: Option<String>,
    /// The timestamp query parameter.
    #[arg(long, required_unless_present_any = ["jsonl", "no_verify"])]
    timestamp: Option<String>,
    /// The nonce query parameter.
    #[arg(long, required_unless_present_any = ["jsonl", "no_verify"])]
    nonce: Option<String>,
    /// Expected receive id [default: the corp id; if none, any is accepted and shown].
    #[arg(long)]
    receive_id: Option<String>,
    /// Decrypt without checking the signature (the token is then not needed).
    #[arg(long, conflicts_with = "jsonl")]
    no_verify: bool,
    /// Read JSON lines `{"msg_signature","timestamp","nonce","body"}` from stdin and write one
    /// JSON result line each.
    #[arg(long, conflicts_with_all = ["body", "signature", "timestamp", "nonce"])]
    jsonl: bool,
}

/// Arguments of `crypto verify-url`.
#[derive(Debug, Args)]
pub(crate) struct VerifyUrlArgs {
    /// The msg_signature query parameter.
    #[arg(long)]
    signature: String,
    /// The timestamp query parameter.
    #[arg(long)]
    timestamp: String,
    /// The nonce query parameter.
    #[arg(long)]
    nonce: String,
    /// The echostr query parameter (URL-decoded).
    #[arg(long)]
    echostr: String,
    /// Expected receive id [default: the corp id; if none, any is accepted].
    #[arg(long)]
    receive_id: Option<String>,
}

/// Runs a crypto subcommand.
pub(crate) fn run(cmd: CryptoCommand, settings: &Settings, out: Output) -> Result<ExitCode> {
    match cmd {
        CryptoCommand::Sign(args) => {
            let token =
                Settings::require(settings.app.token.as_ref(), "callback-token", "WECOM_TOKEN")?;
            let sig = wecom_msgcrypt::signature(token, &args.timestamp, &args.nonce, &args.encrypt);
            out.result(sig.as_str(), &json!({ "msg_signature": sig.as_str() }));
            Ok(ExitCode::SUCCESS)
        }
        CryptoCommand::Encrypt(args) => encrypt(args, settings, out),
        CryptoCommand::Decrypt(args) if args.jsonl => decrypt_lines(&args, settings),
        CryptoCommand::Decrypt(args) => decrypt_one(args, settings, out),
        CryptoCommand::VerifyUrl(args) => {
            let crypt = crypt(settings, args.receive_id, false)?;
            let echo = crypt
                .verify_url(&args.signature, &args.timestamp, &args.nonce, &args.echostr)
                .map_err(|e| crypto_failure(&e))?;
            out.result(&echo, &json!({ "ok": true, "echo": echo }));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Builds the crypto from the settings. Without `verify`, a placeholder token is allowed: it
/// is only used for signatures.
fn crypt(settings: &Settings, receive_id: Option<String>, no_verify: bool) -> Result<MsgCrypt> {
    let token = if no_verify {
        settings.app.token.clone().unwrap_or_else(|| "unused".into())
    } else {
        Settings::require(settings.app.token.as_ref(), "callback-token", "WECOM_TOKEN")?.clone()
    };
    let key = Settings::require(
        settings.app.aes_key.as_ref(),
        "encoding-aes-key",
        "WECOM_ENCODING_AES_KEY",
    )?;
    let check = match receive_id.or_else(|| settings.app.corp_id.clone()) {
        Some(id) => ReceiveIdCheck::Exact(id),
        None => ReceiveIdCheck::Unchecked,
    };
    MsgCrypt::with_receive_id_check(&token, key, check).map_err(usage)
}

fn crypto_failure(err: &wecom_msgcrypt::Error) -> anyhow::Error {
    anyhow!("{err} (official code {})", err.code())
}

fn read_arg(value: &str) -> Result<String> {
    if value == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("cannot read stdin")?;
        Ok(text)
    } else {
        Ok(value.to_owned())
    }
}

fn encrypt(args: EncryptArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let message = read_arg(&args.message)?;
    let crypt = crypt(settings, args.receive_id, false)?;
    let timestamp = args.timestamp.unwrap_or_else(now);
    let nonce = args.nonce.unwrap_or_else(random_nonce);
    let reply = crypt.encrypt(&message, &timestamp, &nonce).map_err(usage)?;
    out.result(
        &reply.to_xml(),
        &json!({
            "encrypt": reply.encrypt,
            "msg_signature": reply.msg_signature.as_str(),
            "timestamp": reply.timestamp,
            "nonce": reply.nonce,
            "xml": reply.to_xml(),
        }),
    );
    Ok(ExitCode::SUCCESS)
}

/// Decrypts a body that is an XML or JSON envelope, or a bare Base64 ciphertext.
fn decrypt_body(
    crypt: &MsgCrypt,
    signature: Option<&str>,
    timestamp: &str,
    nonce: &str,
    body: &str,
) -> Result<wecom_msgcrypt::Decrypted, wecom_msgcrypt::Error> {
    let trimmed = body.trim();
    let is_envelope = trimmed.starts_with('<') || trimmed.starts_with('{');
    match (signature, is_envelope) {
        (Some(sig), true) => {
            let message = crypt.decrypt_post(sig, timestamp, nonce, trimmed.as_bytes())?;
            // The receive id was checked (or is unchecked); report what the crypto knows.
            let receive_id = crypt.receive_id().unwrap_or_default().to_owned();
            Ok(wecom_msgcrypt::Decrypted { message, receive_id })
        }
        (Some(sig), false) => crypt.decrypt_verified(sig, timestamp, nonce, trimmed),
        (None, true) => crypt.decrypt(&wecom_msgcrypt::extract_encrypt(trimmed.as_bytes())?),
        (None, false) => crypt.decrypt(trimmed),
    }
}

fn decrypt_one(args: DecryptArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let body = read_arg(args.body.as_deref().unwrap_or("-"))?;
    let crypt = crypt(settings, args.receive_id, args.no_verify)?;
    let signature = if args.no_verify { None } else { args.signature.as_deref() };
    let decrypted = decrypt_body(
        &crypt,
        signature,
        args.timestamp.as_deref().unwrap_or_default(),
        args.nonce.as_deref().unwrap_or_default(),
        &body,
    )
    .map_err(|e| crypto_failure(&e))?;
    out.result(
        &decrypted.message,
        &json!({ "ok": true, "message": decrypted.message, "receive_id": decrypted.receive_id }),
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Deserialize)]
struct Line {
    msg_signature: String,
    timestamp: String,
    nonce: String,
    body: String,
}

/// `--jsonl`: one result line per input line; exit code 1 if any line failed.
fn decrypt_lines(args: &DecryptArgs, settings: &Settings) -> Result<ExitCode> {
    let crypt = crypt(settings, args.receive_id.clone(), false)?;
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for (index, line) in stdin.lines().enumerate() {
        let line = line.context("cannot read stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let result = match serde_json::from_str::<Line>(&line) {
            Ok(l) => {
                match decrypt_body(&crypt, Some(&l.msg_signature), &l.timestamp, &l.nonce, &l.body)
                {
                    Ok(d) => {
                        json!({ "ok": true, "message": d.message, "receive_id": d.receive_id })
                    }
                    Err(e) => json!({ "ok": false, "code": e.code(), "error": e.to_string() }),
                }
            }
            Err(e) => json!({
                "ok": false,
                "code": wecom_msgcrypt::error::codes::PARSE_XML,
                "error": format!("line {} is not a JSON object with msg_signature, timestamp, nonce and body: {e}", index + 1),
            }),
        };
        failed |= result["ok"] == false;
        writeln!(stdout, "{result}").context("cannot write stdout")?;
    }
    stdout.flush().context("cannot write stdout")?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn now() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        .to_string()
}

fn random_nonce() -> String {
    use rand::RngExt as _;
    rand::rng().random_range(1_000_000_000u64..10_000_000_000).to_string()
}
