//! The shape every `msgtype`-tagged enum shares (application messages, webhook messages): one
//! variant per kind, `msgtype()`, `From` each kind, and the wire form
//! `{"msgtype": "text", "text": {…}}` both ways.

/// Defines a `msgtype`-tagged enum: `Variant(Type) = "tag"` for each kind.
macro_rules! msgtype_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$doc:meta])* $variant:ident($ty:ty) = $tag:literal, )+
        }
    ) => {
        $(#[$meta])*
        // Built, validated and sent one at a time: boxing the largest variant would save a few
        // hundred bytes per message at the price of clumsier matching.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$doc])* $variant($ty), )+
        }

        impl $name {
            /// The `msgtype` of this message.
            pub fn msgtype(&self) -> &'static str {
                match self {
                    $( Self::$variant(_) => $tag, )+
                }
            }
        }

        $(
            impl From<$ty> for $name {
                fn from(body: $ty) -> Self {
                    Self::$variant(body)
                }
            }
        )+

        const _: () = {
            use serde::{Deserialize, Deserializer, Serialize, Serializer};

            #[derive(Serialize)]
            #[serde(tag = "msgtype")]
            enum WireRef<'a> {
                $( #[serde(rename = $tag)] $variant { #[serde(rename = $tag)] body: &'a $ty }, )+
            }

            #[allow(clippy::large_enum_variant)]
            #[derive(Deserialize)]
            #[serde(tag = "msgtype")]
            enum WireOwned {
                $( #[serde(rename = $tag)] $variant { #[serde(rename = $tag)] body: $ty }, )+
            }

            impl Serialize for $name {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        $( Self::$variant(body) => WireRef::$variant { body }, )+
                    }
                    .serialize(serializer)
                }
            }

            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    Ok(match WireOwned::deserialize(deserializer)? {
                        $( WireOwned::$variant { body } => Self::$variant(body), )+
                    })
                }
            }
        };
    };
}

pub(crate) use msgtype_enum;
