//! Events (`MsgType` = `event`): one variant per `Event` name WeCom documents.

mod approval;
mod card;
mod contact;
mod menu;

pub use approval::{ApprovalInfo, ApprovalItem, ApprovalNode, NotifyNode};
pub use card::{SelectedItem, TemplateCardClick, TemplateCardMenuClick};
pub use contact::{ContactChange, PartyChange, TagChange, UserChange};
pub use menu::{LocationSelect, PicsSent, ScanCode};

use super::Header;
use super::fields::Fields;
use crate::callback::ParseError;

/// An event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The common header (`FromUserName` is `sys` for system events).
    pub header: Header,
    /// What happened, by `Event` name.
    pub body: EventBody,
}

/// What an [`Event`] reports, by `Event` name.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventBody {
    /// `subscribe`: a member entered the app's visible range, joined the corp or was
    /// re-enabled.
    Subscribe,
    /// `unsubscribe`: a member left the visible range or the corp, or was disabled.
    Unsubscribe,
    /// `enter_agent`: a member opened the app.
    EnterAgent,
    /// `LOCATION`: the member's location, reported on entering the app (if they consented).
    Location(LocationReport),
    /// `batch_job_result`: an asynchronous contacts job finished.
    BatchJobResult(BatchJob),
    /// `change_contact`: a member, department or tag changed.
    ChangeContact(ContactChange),
    /// `click`: a menu item was clicked.
    Click {
        /// `EventKey`: the menu item's key.
        event_key: String,
    },
    /// `view`: a menu link was opened.
    View {
        /// `EventKey`: the target URL.
        event_key: String,
    },
    /// `view_miniprogram`: a menu mini-program link was opened.
    ViewMiniprogram {
        /// `EventKey`: the mini-program page path.
        event_key: String,
    },
    /// `scancode_push`: a menu scan finished (the client handles the result).
    ScancodePush(ScanCode),
    /// `scancode_waitmsg`: a menu scan finished and the client waits for a reply.
    ScancodeWaitmsg(ScanCode),
    /// `pic_sysphoto`: photos taken with the system camera.
    PicSysphoto(PicsSent),
    /// `pic_photo_or_album`: photos taken or picked from the album.
    PicPhotoOrAlbum(PicsSent),
    /// `pic_weixin`: photos picked from the WeCom album.
    PicWeixin(PicsSent),
    /// `location_select`: a location picked from the menu.
    LocationSelect(LocationSelect),
    /// `open_approval_change`: an approval started from the app changed state.
    OpenApprovalChange(Box<ApprovalInfo>),
    /// `share_agent_change`: the parent corp shared or unshared this app (`ToUserName` is
    /// the parent corp).
    ShareAgentChange,
    /// `share_chain_change`: the app was shared or unshared along the supply chain.
    ShareChainChange,
    /// `template_card_event`: a button, vote or selection of a template card was submitted.
    TemplateCardEvent(TemplateCardClick),
    /// `template_card_menu_event`: an item of a template card's top-right menu was clicked.
    TemplateCardMenuEvent(TemplateCardMenuClick),
    /// `inactive_alert`: the app will be closed for inactivity.
    InactiveAlert {
        /// `EffectTime`: when it takes effect (Unix seconds), if given.
        effect_time: Option<u64>,
    },
    /// `close_inactive_agent`: the app was closed for inactivity.
    CloseInactiveAgent,
    /// `reopen_inactive_agent`: the app was reopened.
    ReopenInactiveAgent,
    /// `low_active_alert`: the app's activity is low and it will be restricted.
    LowActiveAlert {
        /// `EffectTime`: when it takes effect (Unix seconds), if given.
        effect_time: Option<u64>,
    },
    /// `low_active`: the app is restricted for low activity.
    LowActive,
    /// `active_restored`: the app's activity is back to normal.
    ActiveRestored,
}

impl EventBody {
    /// The `Event` name as WeCom spells it.
    pub fn name(&self) -> &'static str {
        match self {
            EventBody::Subscribe => "subscribe",
            EventBody::Unsubscribe => "unsubscribe",
            EventBody::EnterAgent => "enter_agent",
            EventBody::Location(_) => "LOCATION",
            EventBody::BatchJobResult(_) => "batch_job_result",
            EventBody::ChangeContact(_) => "change_contact",
            EventBody::Click { .. } => "click",
            EventBody::View { .. } => "view",
            EventBody::ViewMiniprogram { .. } => "view_miniprogram",
            EventBody::ScancodePush(_) => "scancode_push",
            EventBody::ScancodeWaitmsg(_) => "scancode_waitmsg",
            EventBody::PicSysphoto(_) => "pic_sysphoto",
            EventBody::PicPhotoOrAlbum(_) => "pic_photo_or_album",
            EventBody::PicWeixin(_) => "pic_weixin",
            EventBody::LocationSelect(_) => "location_select",
            EventBody::OpenApprovalChange(_) => "open_approval_change",
            EventBody::ShareAgentChange => "share_agent_change",
            EventBody::ShareChainChange => "share_chain_change",
            EventBody::TemplateCardEvent(_) => "template_card_event",
            EventBody::TemplateCardMenuEvent(_) => "template_card_menu_event",
            EventBody::InactiveAlert { .. } => "inactive_alert",
            EventBody::CloseInactiveAgent => "close_inactive_agent",
            EventBody::ReopenInactiveAgent => "reopen_inactive_agent",
            EventBody::LowActiveAlert { .. } => "low_active_alert",
            EventBody::LowActive => "low_active",
            EventBody::ActiveRestored => "active_restored",
        }
    }
}

/// The member's location (`LOCATION` event).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocationReport {
    /// `Latitude`.
    pub latitude: f64,
    /// `Longitude`.
    pub longitude: f64,
    /// `Precision`: accuracy.
    pub precision: f64,
    /// `AppType` (`wxwork`), if given.
    pub app_type: Option<String>,
}

/// The result of an asynchronous contacts job (`BatchJob`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchJob {
    /// `JobId`.
    pub job_id: String,
    /// `JobType`: `sync_user`, `replace_user`, `invite_user` or `replace_party`.
    pub job_type: String,
    /// `ErrCode`: 0 on success.
    pub err_code: i64,
    /// `ErrMsg`.
    pub err_msg: String,
}

/// Parses an event of a known name; `Ok(None)` for unknown names and sub-types.
pub(super) fn parse(f: Fields<'_, '_>) -> Result<Option<Event>, ParseError> {
    let name = f.text("Event").unwrap_or_default().trim_ascii();
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    let key = || f.string("EventKey");
    let body = if is("subscribe") {
        EventBody::Subscribe
    } else if is("unsubscribe") {
        EventBody::Unsubscribe
    } else if is("enter_agent") {
        EventBody::EnterAgent
    } else if is("LOCATION") {
        EventBody::Location(LocationReport {
            latitude: f.num("Latitude")?,
            longitude: f.num("Longitude")?,
            precision: f.num("Precision")?,
            app_type: f.opt_string("AppType"),
        })
    } else if is("batch_job_result") {
        let job = f.child("BatchJob");
        EventBody::BatchJobResult(match job {
            Some(j) => BatchJob {
                job_id: j.string("JobId"),
                job_type: j.string("JobType"),
                err_code: j.num("ErrCode")?,
                err_msg: j.string("ErrMsg"),
            },
            None => BatchJob::default(),
        })
    } else if is("change_contact") {
        match contact::parse(f)? {
            Some(change) => EventBody::ChangeContact(change),
            None => return Ok(None),
        }
    } else if is("click") {
        EventBody::Click { event_key: key() }
    } else if is("view") {
        EventBody::View { event_key: key() }
    } else if is("view_miniprogram") {
        EventBody::ViewMiniprogram { event_key: key() }
    } else if is("scancode_push") {
        EventBody::ScancodePush(ScanCode::read(f))
    } else if is("scancode_waitmsg") {
        EventBody::ScancodeWaitmsg(ScanCode::read(f))
    } else if is("pic_sysphoto") {
        EventBody::PicSysphoto(PicsSent::read(f)?)
    } else if is("pic_photo_or_album") {
        EventBody::PicPhotoOrAlbum(PicsSent::read(f)?)
    } else if is("pic_weixin") {
        EventBody::PicWeixin(PicsSent::read(f)?)
    } else if is("location_select") {
        EventBody::LocationSelect(LocationSelect::read(f)?)
    } else if is("open_approval_change") {
        EventBody::OpenApprovalChange(Box::new(ApprovalInfo::read(f)?))
    } else if is("share_agent_change") {
        EventBody::ShareAgentChange
    } else if is("share_chain_change") {
        EventBody::ShareChainChange
    } else if is("template_card_event") {
        EventBody::TemplateCardEvent(TemplateCardClick::read(f))
    } else if is("template_card_menu_event") {
        EventBody::TemplateCardMenuEvent(TemplateCardMenuClick::read(f))
    } else if is("inactive_alert") {
        EventBody::InactiveAlert { effect_time: f.opt_num("EffectTime")? }
    } else if is("close_inactive_agent") {
        EventBody::CloseInactiveAgent
    } else if is("reopen_inactive_agent") {
        EventBody::ReopenInactiveAgent
    } else if is("low_active_alert") {
        EventBody::LowActiveAlert { effect_time: f.opt_num("EffectTime")? }
    } else if is("low_active") {
        EventBody::LowActive
    } else if is("active_restored") {
        EventBody::ActiveRestored
    } else {
        return Ok(None);
    };
    Ok(Some(Event { header: Header::read(f)?, body }))
}
