//! The send options `safe`, `enable_id_trans` and `duplicate_check`, written once for every
//! builder that carries them: [`MessageRequest`](crate::MessageRequest) here, and the
//! client's `SendMessage`, `BulkOptions` and (`enable_id_trans` alone) `UpdateTemplateCard`.
//!
//! A macro rather than a trait with provided methods: the setters stay inherent methods, so
//! `client.send(…).safe(true)` keeps working without importing a trait, while their code and
//! documentation exist once. The builder names the field the setters write to.

/// Expands to the send-option setters inside an `impl` block.
///
/// * `send_option_setters!(path.to.options)`: `safe`, `enable_id_trans` and
///   `duplicate_check`, writing into the [`SendOptions`](crate::SendOptions) at
///   `self.path.to.options`.
/// * `send_option_setters!(@enable_id_trans #[attrs] path.to.field)`: only
///   `enable_id_trans`, writing `Some(on)` into the `Option<bool>` at `self.path.to.field`.
#[doc(hidden)]
#[macro_export]
macro_rules! send_option_setters {
    (@enable_id_trans $(#[$attr:meta])* $($field:ident).+) => {
        /// Sets `enable_id_trans`: turns `$userName=USERID$`-style templates into names
        /// (`false` is sent as an explicit `0`). Only text, textcard, news, mpnews,
        /// miniprogram_notice and template_card messages take it.
        $(#[$attr])*
        pub fn enable_id_trans(mut self, on: bool) -> Self {
            self.$($field).+ = Some(on);
            self
        }
    };
    ($($options:ident).+) => {
        /// Sets `safe` (`true` means `Safe::Confidential`: no sharing, watermark; `false`
        /// `Safe::Shareable`). Only text, image, video, file and mpnews messages take it, and
        /// `Safe::CorpOnly` only mpnews; validation rejects anything else.
        #[must_use]
        pub fn safe(mut self, safe: impl Into<$crate::message::Safe>) -> Self {
            self.$($options).+.safe = Some(safe.into());
            self
        }

        $crate::send_option_setters!(@enable_id_trans #[must_use] $($options).+ . enable_id_trans);

        #[must_use]
        /// Turns on WeCom's duplicate check for `interval` (1 second to 4 hours, whole
        /// seconds): the same body sent again within it is not delivered twice. It also lets
        /// the client resend after a timeout, since WeCom drops the copy.
        pub fn duplicate_check(mut self, interval: ::std::time::Duration) -> Self {
            self.$($options).+.duplicate_check = Some(interval);
            self
        }
    };
}
