//! Events (`MsgType` = `event`): one variant per `Event` name WeCom documents.
//!
//! Each name is written once, in the table that declares [`EventBody`]: the parser, the
//! serde tag and [`EventBody::name`] all come from it.

mod approval;
mod batch;
mod card;
mod contact;
mod menu;

pub use approval::{
    ApprovalInfo, ApprovalItem, ApprovalNode, ApprovalStatus, NotifyNode, StepStatus,
};
pub use batch::{BatchJob, JobType};
pub use card::{SelectedItem, TemplateCardClick, TemplateCardMenuClick};
pub use contact::{ChangeType, ContactChange, PartyChange, TagChange, UserChange};
pub use menu::{LocationSelect, PicsSent, ScanCode, ScanType};

use serde::{Deserialize, Serialize};

use super::Header;
use super::fields::Fields;
use crate::callback::ParseError;

/// An event.
///
/// Serialized as one flat object: the header's fields, `"event"` with the name as WeCom
/// spells it, and the body's fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The common header (`FromUserName` is `sys` for system events).
    #[serde(flatten)]
    pub header: Header,
    /// What happened, by `Event` name.
    #[serde(flatten)]
    pub body: EventBody,
}

/// Declares [`EventBody`] from one table of `"name" => Variant` entries, with its serde tags,
/// [`EventBody::name`] and the lookup the parser dispatches on.
macro_rules! event_bodies {
    ($(
        $(#[$doc:meta])*
        $name:literal => $variant:ident
            $( ( $inner:ty ) )?
            $( { $( $(#[$fdoc:meta])* $field:ident : $fty:ty ),* $(,)? } )?
    ),* $(,)?) => {
        /// What an [`Event`] reports, by `Event` name.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "event")]
        #[non_exhaustive]
        pub enum EventBody {
            $(
                $(#[$doc])*
                #[serde(rename = $name)]
                $variant $( ($inner) )? $( { $( $(#[$fdoc])* $field: $fty ),* } )?,
            )*
        }

        impl EventBody {
            /// The `Event` name as WeCom spells it.
            pub fn name(&self) -> &'static str {
                match self {
                    $( EventBody::$variant { .. } => $name, )*
                }
            }
        }

        /// The known `Event` names, to dispatch the parser on.
        #[derive(Clone, Copy)]
        enum Name {
            $( $variant, )*
        }

        impl Name {
            const ALL: &[(&str, Name)] = &[$( ($name, Name::$variant), )*];

            /// The known event of this name (WeCom's case is not relied on).
            fn find(name: &str) -> Option<Name> {
                Self::ALL.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, kind)| kind)
            }
        }
    };
}

event_bodies! {
    /// `subscribe`: a member entered the app's visible range, joined the corp or was
    /// re-enabled.
    "subscribe" => Subscribe,
    /// `unsubscribe`: a member left the visible range or the corp, or was disabled.
    "unsubscribe" => Unsubscribe,
    /// `enter_agent`: a member opened the app.
    "enter_agent" => EnterAgent,
    /// `LOCATION`: the member's location, reported on entering the app (if they consented).
    "LOCATION" => Location(LocationReport),
    /// `batch_job_result`: an asynchronous contacts job finished.
    "batch_job_result" => BatchJobResult(BatchJob),
    /// `change_contact`: a member, department or tag changed.
    "change_contact" => ChangeContact(ContactChange),
    /// `click`: a menu item was clicked.
    "click" => Click {
        /// `EventKey`: the menu item's key.
        event_key: String,
    },
    /// `view`: a menu link was opened.
    "view" => View {
        /// `EventKey`: the target URL.
        event_key: String,
    },
    /// `view_miniprogram`: a menu mini-program link was opened.
    "view_miniprogram" => ViewMiniprogram {
        /// `EventKey`: the mini-program page path.
        event_key: String,
    },
    /// `scancode_push`: a menu scan finished (the client handles the result).
    "scancode_push" => ScancodePush(ScanCode),
    /// `scancode_waitmsg`: a menu scan finished and the client waits for a reply.
    "scancode_waitmsg" => ScancodeWaitmsg(ScanCode),
    /// `pic_sysphoto`: photos taken with the system camera.
    "pic_sysphoto" => PicSysphoto(PicsSent),
    /// `pic_photo_or_album`: photos taken or picked from the album.
    "pic_photo_or_album" => PicPhotoOrAlbum(PicsSent),
    /// `pic_weixin`: photos picked from the WeCom album.
    "pic_weixin" => PicWeixin(PicsSent),
    /// `location_select`: a location picked from the menu.
    "location_select" => LocationSelect(LocationSelect),
    /// `open_approval_change`: an approval started from the app changed state.
    "open_approval_change" => OpenApprovalChange(Box<ApprovalInfo>),
    /// `share_agent_change`: the parent corp shared or unshared this app (`ToUserName` is
    /// the parent corp).
    "share_agent_change" => ShareAgentChange,
    /// `share_chain_change`: the app was shared or unshared along the supply chain.
    "share_chain_change" => ShareChainChange,
    /// `template_card_event`: a button, vote or selection of a template card was submitted.
    "template_card_event" => TemplateCardEvent(TemplateCardClick),
    /// `template_card_menu_event`: an item of a template card's top-right menu was clicked.
    "template_card_menu_event" => TemplateCardMenuEvent(TemplateCardMenuClick),
    /// `inactive_alert`: the app will be closed for inactivity.
    "inactive_alert" => InactiveAlert {
        /// `EffectTime`: when it takes effect (Unix seconds), if given.
        effect_time: Option<u64>,
    },
    /// `close_inactive_agent`: the app was closed for inactivity.
    "close_inactive_agent" => CloseInactiveAgent,
    /// `reopen_inactive_agent`: the app was reopened.
    "reopen_inactive_agent" => ReopenInactiveAgent,
    /// `low_active_alert`: the app's activity is low and it will be restricted.
    "low_active_alert" => LowActiveAlert {
        /// `EffectTime`: when it takes effect (Unix seconds), if given.
        effect_time: Option<u64>,
    },
    /// `low_active`: the app is restricted for low activity.
    "low_active" => LowActive,
    /// `active_restored`: the app's activity is back to normal.
    "active_restored" => ActiveRestored,
}

/// The member's location (`LOCATION` event).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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

/// Parses an event of a known name; `Ok(None)` for unknown names and sub-types.
pub(super) fn parse(f: Fields<'_, '_>) -> Result<Option<Event>, ParseError> {
    let Some(name) = Name::find(f.text("Event").unwrap_or_default().trim_ascii()) else {
        return Ok(None);
    };
    let key = || f.string("EventKey");
    let body = match name {
        Name::Subscribe => EventBody::Subscribe,
        Name::Unsubscribe => EventBody::Unsubscribe,
        Name::EnterAgent => EventBody::EnterAgent,
        Name::Location => EventBody::Location(LocationReport {
            latitude: f.num("Latitude")?,
            longitude: f.num("Longitude")?,
            precision: f.num("Precision")?,
            app_type: f.opt_string("AppType"),
        }),
        Name::BatchJobResult => EventBody::BatchJobResult(BatchJob::read(f)?),
        Name::ChangeContact => match contact::parse(f)? {
            Some(change) => EventBody::ChangeContact(change),
            None => return Ok(None),
        },
        Name::Click => EventBody::Click { event_key: key() },
        Name::View => EventBody::View { event_key: key() },
        Name::ViewMiniprogram => EventBody::ViewMiniprogram { event_key: key() },
        Name::ScancodePush => EventBody::ScancodePush(ScanCode::read(f)),
        Name::ScancodeWaitmsg => EventBody::ScancodeWaitmsg(ScanCode::read(f)),
        Name::PicSysphoto => EventBody::PicSysphoto(PicsSent::read(f)?),
        Name::PicPhotoOrAlbum => EventBody::PicPhotoOrAlbum(PicsSent::read(f)?),
        Name::PicWeixin => EventBody::PicWeixin(PicsSent::read(f)?),
        Name::LocationSelect => EventBody::LocationSelect(LocationSelect::read(f)?),
        Name::OpenApprovalChange => EventBody::OpenApprovalChange(Box::new(ApprovalInfo::read(f)?)),
        Name::ShareAgentChange => EventBody::ShareAgentChange,
        Name::ShareChainChange => EventBody::ShareChainChange,
        Name::TemplateCardEvent => EventBody::TemplateCardEvent(TemplateCardClick::read(f)),
        Name::TemplateCardMenuEvent => {
            EventBody::TemplateCardMenuEvent(TemplateCardMenuClick::read(f))
        }
        Name::InactiveAlert => EventBody::InactiveAlert { effect_time: f.opt_num("EffectTime")? },
        Name::CloseInactiveAgent => EventBody::CloseInactiveAgent,
        Name::ReopenInactiveAgent => EventBody::ReopenInactiveAgent,
        Name::LowActiveAlert => EventBody::LowActiveAlert { effect_time: f.opt_num("EffectTime")? },
        Name::LowActive => EventBody::LowActive,
        Name::ActiveRestored => EventBody::ActiveRestored,
    };
    Ok(Some(Event { header: Header::read(f)?, body }))
}
