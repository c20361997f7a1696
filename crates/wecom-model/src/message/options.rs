//! The send options of `message/send` that do not depend on the content: `safe`,
//! `enable_id_trans` and WeCom's duplicate check.

use std::time::Duration;

use crate::quirks::int_enum;

int_enum! {
    /// `safe`: how a message may be shared onwards.
    ///
    /// Only text, image, video, file and mpnews messages take it; [`Safe::CorpOnly`] is for
    /// mpnews only. `true` converts to [`Safe::Confidential`], `false` to [`Safe::Shareable`].
    ///
    /// ```
    /// use wecom_model::message::{MessageRequest, Recipients, Safe, Text};
    ///
    /// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), Text::new("salary: 1"))
    ///     .safe(true);
    /// assert_eq!(req.options.safe, Some(Safe::Confidential));
    /// assert_eq!(serde_json::to_value(&req)?["safe"], 1);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum Safe {
        /// `0`: may be shared (WeCom's default).
        Shareable = 0,
        /// `1`: may not be shared; shown with a watermark.
        Confidential = 1,
        /// `2`: may be shared inside the corp only (mpnews only).
        CorpOnly = 2,
    }
}

impl From<bool> for Safe {
    fn from(confidential: bool) -> Self {
        if confidential { Safe::Confidential } else { Safe::Shareable }
    }
}

/// The most seconds WeCom's duplicate check can look back: 4 hours.
pub const MAX_DUPLICATE_CHECK_INTERVAL: Duration = Duration::from_secs(14_400);

/// WeCom's duplicate-check window when `enable_duplicate_check` is set without an interval.
pub const DEFAULT_DUPLICATE_CHECK_INTERVAL: Duration = Duration::from_secs(1800);

/// Options of `message/send` that do not depend on the content.
///
/// Every option is absent unless set; an absent option is left out of the body, so WeCom's
/// defaults apply.
///
/// ```
/// use std::time::Duration;
/// use wecom_model::message::{MessageRequest, Recipients, Text};
///
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), Text::new("hi"))
///     .duplicate_check(Duration::from_secs(600));
/// assert_eq!(req.options.duplicate_check, Some(Duration::from_secs(600)));
/// assert!(req.has_duplicate_check());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SendOptions {
    /// `safe`.
    pub safe: Option<Safe>,
    /// `enable_id_trans` (`Some(false)` is sent as an explicit `0`).
    pub enable_id_trans: Option<bool>,
    /// `enable_duplicate_check: 1` with this `duplicate_check_interval`: 1 s to 4 h, whole
    /// seconds.
    pub duplicate_check: Option<Duration>,
}
