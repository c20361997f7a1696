//! Payloads of the menu events that carry more than a key: scans, photos, location picks.

use serde::{Deserialize, Serialize};

use crate::callback::ParseError;
use crate::callback::fields::Fields;
use crate::string_enum::string_enum;

string_enum! {
    /// `ScanType`: what the menu scan read.
    pub enum ScanType {
        /// `qrcode`: a QR code.
        QrCode = "qrcode",
        /// `barcode`: a one-dimensional barcode.
        Barcode = "barcode",
    }
}

/// A menu scan (`scancode_push`, `scancode_waitmsg`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanCode {
    /// `EventKey`: the menu item's key.
    pub event_key: String,
    /// `ScanCodeInfo/ScanType`: usually `qrcode`.
    pub scan_type: ScanType,
    /// `ScanCodeInfo/ScanResult`: the decoded content.
    pub scan_result: String,
}

impl ScanCode {
    pub(super) fn read(f: Fields<'_, '_>) -> Self {
        let info = f.child("ScanCodeInfo");
        ScanCode {
            event_key: f.string("EventKey"),
            scan_type: info.map(|i| i.string("ScanType")).unwrap_or_default().into(),
            scan_result: info.map(|i| i.string("ScanResult")).unwrap_or_default(),
        }
    }
}

/// Photos sent from a menu (`pic_sysphoto`, `pic_photo_or_album`, `pic_weixin`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PicsSent {
    /// `EventKey`: the menu item's key.
    pub event_key: String,
    /// `SendPicsInfo/Count`.
    pub count: u32,
    /// `SendPicsInfo/PicList/item/PicMd5Sum`, in order.
    pub pic_md5_sums: Vec<String>,
}

impl PicsSent {
    pub(super) fn read(f: Fields<'_, '_>) -> Result<Self, ParseError> {
        let info = f.child("SendPicsInfo");
        let (count, pic_md5_sums) = match info {
            Some(i) => (
                i.num("Count")?,
                i.child("PicList")
                    .map(|l| l.children_named("item").map(|it| it.string("PicMd5Sum")).collect())
                    .unwrap_or_default(),
            ),
            None => (0, Vec::new()),
        };
        Ok(PicsSent { event_key: f.string("EventKey"), count, pic_md5_sums })
    }
}

/// A location picked from a menu (`location_select`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocationSelect {
    /// `EventKey`: the menu item's key.
    pub event_key: String,
    /// `SendLocationInfo/Location_X`: latitude.
    pub latitude: f64,
    /// `SendLocationInfo/Location_Y`: longitude.
    pub longitude: f64,
    /// `SendLocationInfo/Scale`.
    pub scale: u32,
    /// `SendLocationInfo/Label`.
    pub label: String,
    /// `SendLocationInfo/Poiname` (may be empty).
    pub poiname: String,
    /// `AppType` (`wxwork`), if given.
    pub app_type: Option<String>,
}

impl LocationSelect {
    pub(super) fn read(f: Fields<'_, '_>) -> Result<Self, ParseError> {
        let mut out = LocationSelect {
            event_key: f.string("EventKey"),
            app_type: f.opt_string("AppType"),
            ..LocationSelect::default()
        };
        if let Some(i) = f.child("SendLocationInfo") {
            out.latitude = i.num("Location_X")?;
            out.longitude = i.num("Location_Y")?;
            out.scale = i.num("Scale")?;
            out.label = i.string("Label");
            out.poiname = i.string("Poiname");
        }
        Ok(out)
    }
}
