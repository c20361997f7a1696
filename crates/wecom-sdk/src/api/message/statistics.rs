//! `POST /cgi-bin/message/get_statistics`: how many messages each app of the corp sent today
//! or yesterday ([`Client::message_statistics`]).

use serde::Deserialize;
use wecom_model::statistics::{AppStatistics, StatisticsRequest, TimeType};

use crate::client::{Call, Client, Replay};
use crate::error::Result;

const STATISTICS: &str = "/cgi-bin/message/get_statistics";

#[derive(Deserialize)]
struct Statistics {
    #[serde(default)]
    statistics: Vec<AppStatistics>,
}

impl Client {
    /// The send counts of the corp's apps for today or yesterday
    /// (`message/get_statistics`), counted per recipient.
    ///
    /// ```no_run
    /// # async fn run(client: wecom::Client) -> wecom::Result<()> {
    /// use wecom::statistics::TimeType;
    ///
    /// for app in client.message_statistics(TimeType::Yesterday).await? {
    ///     println!("{} ({}): {}", app.app_name, app.agentid, app.count);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn message_statistics(&self, time_type: TimeType) -> Result<Vec<AppStatistics>> {
        // A read: repeating it is harmless.
        let call =
            Call::post_json(STATISTICS, &StatisticsRequest::new(time_type))?.replay(Replay::Safe);
        let reply: Statistics = self.call(call).await?;
        Ok(reply.statistics)
    }
}
