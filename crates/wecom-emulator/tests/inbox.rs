//! The web inbox in a real browser: headless Chromium over WebDriver, against a running
//! emulator and a real callback app. Skipped (with a note) where Chromium is not installed,
//! unless `WECOM_REQUIRE_BROWSER=1`.

mod inbox {
    // The HTTP helpers of the API tests; not every one is used here.
    #[allow(dead_code)]
    #[path = "../api/support.rs"]
    pub(crate) mod support;

    pub(crate) mod app;
    pub(crate) mod browser;
    pub(crate) mod png;

    mod cards;
    mod groups;
    mod render;

    use std::path::{Path, PathBuf};

    /// `target/artifacts` (screenshots), created.
    pub(crate) fn artifacts() -> PathBuf {
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
            PathBuf::from,
        );
        let dir = target.join("artifacts");
        std::fs::create_dir_all(&dir).expect("target/artifacts can be created");
        dir
    }
}
