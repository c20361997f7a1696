//! A local WeCom (WeChat Work) API emulator with a web inbox, for offline development and tests.
