//! [`Limit`]: at most so many messages per window, and WeCom's published limits as
//! constants.

use std::time::Duration;

/// At most `max` messages to one member per `per` (a sliding window).
///
/// ```
/// use std::time::Duration;
/// use wecom::throttle::Limit;
///
/// assert_eq!(Limit::per_minute(30), Limit::new(30, Duration::from_secs(60)));
/// assert_eq!(Limit::per_hour(1000).max(), 1000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limit {
    pub(super) max: u32,
    pub(super) per: Duration,
}

impl Limit {
    /// At most `max` per `per`.
    pub const fn new(max: u32, per: Duration) -> Self {
        Self { max, per }
    }

    /// At most `max` per minute.
    pub const fn per_minute(max: u32) -> Self {
        Self::new(max, Duration::from_secs(60))
    }

    /// At most `max` per hour.
    pub const fn per_hour(max: u32) -> Self {
        Self::new(max, Duration::from_secs(3600))
    }

    /// At most `max` per day (a sliding 24 hours; WeCom's own day may be the calendar day,
    /// which the sliding window never exceeds).
    pub const fn per_day(max: u32) -> Self {
        Self::new(max, Duration::from_secs(86_400))
    }

    /// The most messages in one window.
    pub const fn max(&self) -> u32 {
        self.max
    }

    /// The window length.
    pub const fn per(&self) -> Duration {
        self.per
    }
}

/// WeCom's published limits per member and app: 30 per minute and 1,000 per hour; WeCom
/// drops the excess without an error.
pub const WECOM_MEMBER_LIMITS: [Limit; 2] = [Limit::per_minute(30), Limit::per_hour(1000)];

/// WeCom's limits per member and app in app group chats: 200 per minute and 10,000 per day;
/// WeCom drops the excess without an error.
pub const WECOM_CHAT_MEMBER_LIMITS: [Limit; 2] = [
    Limit::per_minute(wecom_model::limits::CHAT_MEMBER_PER_MINUTE),
    Limit::per_day(wecom_model::limits::CHAT_MEMBER_PER_DAY),
];

/// WeCom's corp-wide limit for app group chats: 20,000 person-messages per minute (a message
/// to a chat of 100 members counts 100).
pub const WECOM_CHAT_CORP_LIMIT: Limit =
    Limit::per_minute(wecom_model::limits::CHAT_CORP_PER_MINUTE);
