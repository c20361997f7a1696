//! The exact JSON of `update_template_card` bodies, both ways: recipients as arrays and an
//! `atall` flag, exactly one of `button` and `template_card`.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{CardUpdate, UpdateTemplateCard, UpdateTemplateCardBody};
use crate::card::TemplateCard;
use crate::message::Recipients;
use crate::quirks::{IntBool, opt_int_bool};

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
        let listed =
            Recipients::users(self.userids).and_parties(self.partyids).and_tags(self.tagids);
        let audience = Recipients::from_parts(everyone, listed, super::UPDATE_FIELDS)
            .map_err(|e| E::custom(e.to_string()))?;
        Ok((
            self.agentid,
            UpdateTemplateCard {
                response_code: self.response_code.into(),
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
