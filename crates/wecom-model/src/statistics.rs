//! `message/get_statistics`: how many messages each app of the corp sent today or yesterday
//! ([`StatisticsRequest`], [`AppStatistics`]).

use serde::{Deserialize, Serialize};

use crate::quirks::int_enum;

int_enum! {
    /// `time_type`: which day the counts are for.
    pub enum TimeType {
        /// `0`: today.
        Today = 0,
        /// `1`: yesterday.
        Yesterday = 1,
    }
}

/// The body of `POST /cgi-bin/message/get_statistics`.
///
/// ```
/// use wecom_model::statistics::{StatisticsRequest, TimeType};
///
/// let req = StatisticsRequest::new(TimeType::Yesterday);
/// assert_eq!(serde_json::to_value(&req).unwrap(), serde_json::json!({ "time_type": 1 }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StatisticsRequest {
    /// Today or yesterday.
    pub time_type: TimeType,
}

impl StatisticsRequest {
    /// The counts of `time_type`.
    pub fn new(time_type: TimeType) -> Self {
        Self { time_type }
    }
}

/// One app's count in the answer of `message/get_statistics` (`statistics[]`).
///
/// WeCom counts person-messages: a message to three members counts three.
///
/// ```
/// use wecom_model::statistics::AppStatistics;
///
/// let s: AppStatistics =
///     serde_json::from_str(r#"{"agentid":1000002,"app_name":"Build bot","count":101}"#).unwrap();
/// assert_eq!((s.agentid, s.count), (1000002, 101));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppStatistics {
    /// The app.
    pub agentid: i64,
    /// Its name.
    #[serde(default)]
    pub app_name: String,
    /// Messages it sent on that day, counted per recipient.
    #[serde(default)]
    pub count: u64,
}
