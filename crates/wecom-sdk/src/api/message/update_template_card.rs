//! `POST /cgi-bin/message/update_template_card`: change a sent template card for some or all
//! of its receivers, with the single-use `response_code` the send (or a card callback)
//! returned — either grey out its buttons with new text, or replace the whole card.
//!
//! [`UpdateTemplateCard`] is what callers build; the client supplies its agent id through
//! [`UpdateTemplateCard::to_body`], which gives the exact JSON body
//! ([`UpdateTemplateCardBody`], its wire form in `wire`). [`UpdateTemplateCardResponse`] is
//! the answer, and [`Client::update_template_card`] the call.

mod wire;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use wecom_model::ResponseCode;

use crate::card::{CardContext, TemplateCard};
use crate::client::{Call, Client, Replay};
use crate::error::{InvalidArgument, Result};
use crate::message::{RecipientFields, Recipients};
use crate::quirks;
use crate::validate::{Path, non_empty};

const UPDATE_TEMPLATE_CARD: &str = "/cgi-bin/message/update_template_card";

/// The recipient fields of `update_template_card`: arrays of ids and an `atall` flag.
pub const UPDATE_FIELDS: RecipientFields = RecipientFields {
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
    pub response_code: ResponseCode,
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
        response_code: impl Into<ResponseCode>,
        audience: impl Into<Recipients>,
        replace_name: impl Into<String>,
    ) -> Self {
        Self {
            response_code: response_code.into(),
            audience: audience.into(),
            update: CardUpdate::Button { replace_name: replace_name.into() },
            enable_id_trans: None,
        }
    }

    /// Replaces the card for `audience` by `card`.
    pub fn replace_card(
        response_code: impl Into<ResponseCode>,
        audience: impl Into<Recipients>,
        card: impl Into<TemplateCard>,
    ) -> Self {
        Self {
            response_code: response_code.into(),
            audience: audience.into(),
            update: CardUpdate::Card(card.into()),
            enable_id_trans: None,
        }
    }

    super::send_option_setters!(@enable_id_trans #[must_use] enable_id_trans);

    /// Checks every documented limit before anything is sent.
    ///
    /// ```
    /// use wecom::message::Recipients;
    /// use wecom::update_card::UpdateTemplateCard;
    ///
    /// let err = UpdateTemplateCard::replace_button("CODE", Recipients::users(["bad|id"]), "Done")
    ///     .validate()
    ///     .unwrap_err();
    /// assert_eq!(err.field, "userids[0]");
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

impl Client {
    /// Updates a sent template card (`message/update_template_card`): greys out its buttons
    /// or replaces it, for some or all of its receivers. The update is validated first; an
    /// invalid one fails with [`Error::InvalidArgument`](crate::Error::InvalidArgument) and
    /// nothing is sent. Members the update did not reach come back in
    /// [`invalid_users`](UpdateTemplateCardResponse::invalid_users).
    ///
    /// The `response_code` comes from the send's
    /// [`SendReceipt::response_code`](crate::SendReceipt::response_code) or from a
    /// `template_card_event` callback, and works **once**, within 72 hours. So:
    ///
    /// * errcode −1 (system busy) is retried like every call: WeCom did not act on it;
    /// * a connection that could not be opened is retried: nothing was sent;
    /// * a timeout or a broken connection is **not** retried. WeCom may already have applied
    ///   the update and used up the code, and a second request would then fail although the
    ///   first worked. The [`Error::Transport`](crate::Error::Transport) returned means "outcome
    ///   unknown": look at the card, and if it did not change, update it with the fresh
    ///   `response_code` of the card's next callback.
    ///
    /// ```no_run
    /// # async fn run(client: wecom::Client, receipt: wecom::SendReceipt) -> wecom::Result<()> {
    /// use wecom::{Recipients, UpdateTemplateCard};
    ///
    /// let code = receipt.response_code.expect("interactive cards return a response_code");
    /// let update = UpdateTemplateCard::replace_button(code, Recipients::all(), "Approved");
    /// let answer = client.update_template_card(update).await?;
    /// if !answer.invalid_users.is_empty() {
    ///     eprintln!("not updated for {:?}", answer.invalid_users);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn update_template_card(
        &self,
        update: UpdateTemplateCard,
    ) -> Result<UpdateTemplateCardResponse> {
        update.validate()?;
        let body = serde_json::to_vec(&update.to_body(self.agent_id())).map_err(|e| {
            InvalidArgument::new("template_card", format!("cannot be serialized to JSON: {e}"))
        })?;
        let call = Call::post_json_bytes(UPDATE_TEMPLATE_CARD, body).replay(Replay::Unsafe);
        self.call(call).await
    }
}
