//! WeCom (WeChat Work) callbacks: typed messages and events, encrypted passive replies, an axum server.
