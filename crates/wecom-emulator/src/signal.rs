//! Waiting for the signal to stop: Ctrl-C (SIGINT) or, on Unix, SIGTERM — what `docker stop`,
//! systemd and CI runners send. A foreground emulator saves its state file on either.

/// Resolves when the process is asked to stop: Ctrl-C, or SIGTERM on Unix. If a signal
/// cannot be watched, only the other one counts.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
