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
    mod render;
}
