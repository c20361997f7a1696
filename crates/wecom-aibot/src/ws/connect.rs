//! Opening the socket: TCP, TLS for `wss://` (rustls with the system's roots unless the
//! configuration brings its own), the WebSocket handshake with a frame-size limit.

use std::sync::{Arc, OnceLock};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::{HeaderValue, Uri, header};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use super::config::WsConfig;

/// The `User-Agent` of the handshake.
const USER_AGENT: &str = concat!("wecom-aibot/", env!("CARGO_PKG_VERSION"));

/// The socket's initial read buffer.
const READ_BUFFER: usize = 8 * 1024;

/// Any byte stream the socket can run over (plain TCP or TLS).
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub(crate) type Socket = WebSocketStream<Box<dyn Io>>;

fn default_tls() -> Result<Arc<rustls::ClientConfig>, String> {
    static TLS: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    TLS.get_or_init(|| {
        let mut roots = rustls::RootCertStore::empty();
        let found = rustls_native_certs::load_native_certs();
        let (added, _) = roots.add_parsable_certificates(found.certs);
        if added == 0 {
            return Err("no system root certificates found (set WsConfig::tls)".into());
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("tls: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Arc::new(config))
    })
    .clone()
}

/// Connects and performs the WebSocket handshake.
pub(crate) async fn open(config: &WsConfig) -> Result<Socket, String> {
    let uri: Uri = config.url.parse().map_err(|e| format!("url: {e}"))?;
    let tls = match uri.scheme_str() {
        Some("wss") => true,
        Some("ws") => false,
        _ => return Err("url: must start with ws:// or wss://".into()),
    };
    let host = uri.host().ok_or("url: no host")?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
    let tcp =
        TcpStream::connect((bare, port)).await.map_err(|e| format!("tcp {bare}:{port}: {e}"))?;
    let _ = tcp.set_nodelay(true);
    let io: Box<dyn Io> = if tls {
        let tls_config = match &config.tls {
            Some(c) => Arc::clone(c),
            None => default_tls()?,
        };
        let name = rustls::pki_types::ServerName::try_from(bare.to_owned())
            .map_err(|e| format!("tls server name: {e}"))?;
        let stream = tokio_rustls::TlsConnector::from(tls_config)
            .connect(name, tcp)
            .await
            .map_err(|e| format!("tls: {e}"))?;
        Box::new(stream)
    } else {
        Box::new(tcp)
    };
    // The read buffer is allocated up front (128 KiB by default) and grows for larger
    // frames; inbound frames are mostly small acknowledgements and callbacks.
    let ws_config = WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER)
        .max_message_size(Some(config.max_frame_bytes))
        .max_frame_size(Some(config.max_frame_bytes));
    let mut request = config.url.as_str().into_client_request().map_err(|e| format!("url: {e}"))?;
    // Names the client in the server's logs (the emulator's connection log shows it).
    request.headers_mut().insert(header::USER_AGENT, HeaderValue::from_static(USER_AGENT));
    let (socket, _) = tokio_tungstenite::client_async_with_config(request, io, Some(ws_config))
        .await
        .map_err(|e| format!("websocket handshake: {e}"))?;
    Ok(socket)
}
