//! `POST /cgi-bin/message/update_template_card`: change a sent template card for some or all
//! of its receivers, with the single-use `response_code` the send (or a card callback)
//! returned — either grey out its buttons with new text, or replace the whole card.
//!
//! [`UpdateTemplateCard`] is what callers build; the client supplies its agent id through
//! [`UpdateTemplateCard::to_body`], which gives the exact JSON body
//! ([`UpdateTemplateCardBody`]). [`UpdateTemplateCardResponse`] is the answer.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::card::{CardContext, TemplateCard};
use crate::error::InvalidArgument;
use crate::message::{RecipientFields, Recipients};
use crate::quirks::{self, IntBool, opt_int_bool};
use crate::validate::{Path, non_empty};

/// The recipient fields of `update_template_card`: arrays of ids and an `atall` flag.
const UPDATE_FIELDS: RecipientFields = RecipientFields {
    users: "userids",
    parties: "partyids",
    tags: "tagids",
    all: "atall: 1",
    arrays: true,
};

/// What to change on the card.
///
/// ```
/// use wecom::card::{Button, ButtonInteraction};
/// use wecom::update_card::CardUpdate;
///
/// let grey = CardUpdate::Button { replace_name: "Approved".into() };
/// let card = ButtonInteraction::new("Deploy v1.4?", "deploy-42", [Button::callback("Done", "done")])
///     .replace_text("Approved by alice");
/// let replace = CardUpdate::Card(card.into());
/// # let _ = (grey, replace);
/// ```
// One update is built per request; see `Message` for why the card is not boxed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CardUpdate {
    /// `button: {"replace_name": …}`: turn the card's button(s) grey and unclickable, showing
    /// `replace_name` (button, vote and multiple-choice cards).
    Button {
        /// The new button text: required.
        replace_name: String,
    },
    /// `template_card: {…}`: replace the whole card by a card of any type. Only here may a
    /// card carry `replace_text`, `checkbox.disable`, `select_list[].disable` and
    /// `button_selection.disable`.
    Card(TemplateCard),
}

/// A request to update a sent template card, without the agent id (the client adds it).
///
/// Whom to update is explicit, as when sending: members (`userids`, at most 1,000),
/// departments (`partyids`, at most 100), tags (`tagids`, at most 100), or everyone who
/// received the card ([`Recipients::all`], sent as `atall: 1`). The `response_code` can be used
/// once, within 72 hours.
///
/// ```
/// use wecom::message::Recipients;
/// use wecom::update_card::UpdateTemplateCard;
///
/// let update = UpdateTemplateCard::replace_button("RESPONSE_CODE", Recipients::users(["alice"]), "Approved");
/// update.validate()?;
/// assert_eq!(
///     serde_json::to_value(update.to_body(1000002))?,
///     serde_json::json!({
///         "userids": ["alice"],
///         "agentid": 1000002,
///         "response_code": "RESPONSE_CODE",
///         "button": { "replace_name": "Approved" }
///     })
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UpdateTemplateCard {
    /// The single-use code from the send response or a card callback: required.
    pub response_code: String,
    /// Whose copy of the card changes.
    pub audience: Recipients,
    /// What changes.
    pub update: CardUpdate,
    /// `enable_id_trans` (`Some(false)` is sent as an explicit `0`).
    pub enable_id_trans: Option<bool>,
}

impl UpdateTemplateCard {
    /// Greys out the card's button(s) for `audience`, showing `replace_name`.
    pub fn replace_button(
        response_code: impl Into<String>,
        audience: Recipients,
        replace_name: impl Into<String>,
    ) -> Self {
        Self {
            response_code: response_code.into(),
            audience,
            update: CardUpdate::Button { replace_name: replace_name.into() },
            enable_id_trans: None,
        }
    }

    /// Replaces the card for `audience` by `card`.
    pub fn replace_card(
        response_code: impl Into<String>,
        audience: Recipients,
        card: impl Into<TemplateCard>,
    ) -> Self {
        Self {
            response_code: response_code.into(),
            audience,
            update: CardUpdate::Card(card.into()),
            enable_id_trans: None,
        }
    }

    /// Sets `enable_id_trans`.
    #[must_use]
    pub fn enable_id_trans(mut self, on: bool) -> Self {
        self.enable_id_trans = Some(on);
        self
    }

    /// Checks every documented limit before anything is sent.
    ///
    /// ```
    /// use wecom::message::Recipients;
    /// use wecom::update_card::UpdateTemplateCard;
    ///
    /// let err = UpdateTemplateCard::replace_button("CODE", Recipients::all().and_users(["bob"]), "Done")
    ///     .validate()
    ///     .unwrap_err();
    /// assert_eq!(err.field, "userids");
    /// ```
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        self.audience.validate(UPDATE_FIELDS)?;
        non_empty(&Path::root("response_code"), &self.response_code)?;
        match &self.update {
            CardUpdate::Button { replace_name } => {
                non_empty(&Path::root("button").field("replace_name"), replace_name)
            }
            CardUpdate::Card(card) => {
                card.validate_in(&Path::root("template_card"), CardContext::Update)
            }
        }
    }

    /// The full JSON body for the app `agent_id`.
    pub fn to_body(&self, agent_id: i64) -> UpdateTemplateCardBody<'_> {
        UpdateTemplateCardBody { agent_id, update: Cow::Borrowed(self) }
    }
}

/// The full body of `POST /cgi-bin/message/update_template_card`: an update and the agent id
/// of the app that sent the card.
///
/// [`Serialize`] writes the exact JSON; [`Deserialize`] reads it back (owned), so a body kept
/// in a file or captured by a test server parses into the same value.
///
/// ```
/// use wecom::update_card::UpdateTemplateCardBody;
///
/// let body: UpdateTemplateCardBody<'static> = serde_json::from_str(
///     r#"{"atall":1,"agentid":1000002,"response_code":"CODE","button":{"replace_name":"Closed"}}"#,
/// )?;
/// assert_eq!(body.agent_id, 1000002);
/// assert!(body.update.audience.is_all());
/// body.update.validate()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UpdateTemplateCardBody<'a> {
    /// The app that sent the card (`agentid`).
    pub agent_id: i64,
    /// The update.
    pub update: Cow<'a, UpdateTemplateCard>,
}

impl UpdateTemplateCardBody<'_> {
    /// The same body, owning its update.
    pub fn into_owned(self) -> UpdateTemplateCardBody<'static> {
        UpdateTemplateCardBody {
            agent_id: self.agent_id,
            update: Cow::Owned(self.update.into_owned()),
        }
    }
}

#[derive(Serialize)]
struct ButtonOut<'a> {
    replace_name: &'a str,
}

#[derive(Serialize)]
struct WireOut<'a> {
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    userids: &'a [String],
    #[serde(skip_serializing_if = "<[u64]>::is_empty")]
    partyids: &'a [u64],
    #[serde(skip_serializing_if = "<[u64]>::is_empty")]
    tagids: &'a [u64],
    #[serde(skip_serializing_if = "Option::is_none")]
    atall: Option<IntBool>,
    agentid: i64,
    response_code: &'a str,
    #[serde(with = "opt_int_bool", skip_serializing_if = "Option::is_none")]
    enable_id_trans: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    button: Option<ButtonOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template_card: Option<&'a TemplateCard>,
}

impl Serialize for UpdateTemplateCardBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let u = &*self.update;
        let (button, template_card) = match &u.update {
            CardUpdate::Button { replace_name } => (Some(ButtonOut { replace_name }), None),
            CardUpdate::Card(card) => (None, Some(card)),
        };
        WireOut {
            userids: u.audience.user_ids(),
            partyids: u.audience.party_ids(),
            tagids: u.audience.tag_ids(),
            atall: u.audience.is_all().then_some(IntBool(true)),
            agentid: self.agent_id,
            response_code: &u.response_code,
            enable_id_trans: u.enable_id_trans,
            button,
            template_card,
        }
        .serialize(serializer)
    }
}

#[derive(Deserialize)]
struct ButtonIn {
    #[serde(default)]
    replace_name: String,
}

#[derive(Deserialize)]
struct WireIn {
    #[serde(default)]
    userids: Vec<String>,
    #[serde(default)]
    partyids: Vec<u64>,
    #[serde(default)]
    tagids: Vec<u64>,
    #[serde(default)]
    atall: Option<IntBool>,
    agentid: Option<i64>,
    #[serde(default)]
    response_code: String,
    #[serde(default, with = "opt_int_bool")]
    enable_id_trans: Option<bool>,
    #[serde(default)]
    button: Option<ButtonIn>,
    #[serde(default)]
    template_card: Option<TemplateCard>,
}

impl WireIn {
    fn into_update<E: serde::de::Error>(self) -> Result<(Option<i64>, UpdateTemplateCard), E> {
        let update = match (self.button, self.template_card) {
            (Some(button), None) => CardUpdate::Button { replace_name: button.replace_name },
            (None, Some(card)) => CardUpdate::Card(card),
            (Some(_), Some(_)) => {
                return Err(E::custom(
                    "give exactly one of `button` and `template_card`, not both",
                ));
            }
            (None, None) => {
                return Err(E::custom("give exactly one of `button` and `template_card`"));
            }
        };
        let everyone = matches!(self.atall, Some(IntBool(true)));
        let base =
            if everyone { Recipients::all() } else { Recipients::users(Vec::<String>::new()) };
        let audience =
            base.and_users(self.userids).and_parties(self.partyids).and_tags(self.tagids);
        Ok((
            self.agentid,
            UpdateTemplateCard {
                response_code: self.response_code,
                audience,
                update,
                enable_id_trans: self.enable_id_trans,
            },
        ))
    }
}

impl<'de> Deserialize<'de> for UpdateTemplateCardBody<'static> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (agent_id, update) = WireIn::deserialize(deserializer)?.into_update::<D::Error>()?;
        let agent_id =
            agent_id.ok_or_else(|| <D::Error as serde::de::Error>::missing_field("agentid"))?;
        Ok(Self { agent_id, update: Cow::Owned(update) })
    }
}

/// Reads an update from an `update_template_card` body; an `agentid` in it is ignored (the
/// client supplies its own through [`UpdateTemplateCard::to_body`]). Read
/// [`UpdateTemplateCardBody`] to keep it.
impl<'de> Deserialize<'de> for UpdateTemplateCard {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(WireIn::deserialize(deserializer)?.into_update::<D::Error>()?.1)
    }
}

/// The answer to `update_template_card` (beyond `errcode`/`errmsg`, which the client handles).
///
/// `invaliduser` is a JSON array here, unlike the `|`-joined string of `message/send`; both
/// spellings are read.
///
/// ```
/// use wecom::update_card::UpdateTemplateCardResponse;
///
/// let r: UpdateTemplateCardResponse =
///     serde_json::from_str(r#"{"errcode":0,"errmsg":"ok","invaliduser":["userid1","userid2"]}"#)?;
/// assert_eq!(r.invalid_users, ["userid1", "userid2"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpdateTemplateCardResponse {
    /// Members whose card was not updated (not a receiver, or outside the app's range); the
    /// update still succeeded for the others.
    #[serde(rename = "invaliduser", default, deserialize_with = "quirks::id_list")]
    pub invalid_users: Vec<String>,
}

impl UpdateTemplateCardResponse {
    /// A response listing `invalid_users`.
    pub fn new(invalid_users: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self { invalid_users: invalid_users.into_iter().map(Into::into).collect() }
    }
}
