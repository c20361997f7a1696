//! Runs an emulator in the foreground and prints its credentials.
//!
//! ```sh
//! cargo run -p wecom-emulator --example serve -- [ADDR] [CONFIG.toml] [STATE.json]
//! # defaults: 127.0.0.1:8025, the demo corp, no state file; a corp file: examples/corp.toml
//! ```

use std::net::SocketAddr;

use wecom_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args.next().as_deref().unwrap_or("127.0.0.1:8025").parse()?;
    let mut builder = Emulator::builder().addr(addr);
    if let Some(config) = args.next() {
        builder = builder.config_file(config)?;
    }
    if let Some(state) = args.next() {
        builder = builder.state_file(state);
    }
    let handle = builder.start().await?;
    std::io::Write::write_all(&mut std::io::stdout(), handle.banner().as_bytes())?;
    // Ctrl-C or SIGTERM (`docker stop`): stop cleanly, saving the state file.
    wecom_emulator::shutdown_signal().await;
    handle.shutdown().await?;
    Ok(())
}
