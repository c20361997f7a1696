//! The chainable setters of the cards and their parts, written once: [`setters!`] turns a
//! list of doc comments, names, parameters and stored values into `#[must_use]` methods
//! that take and return `self`.

/// Chainable `#[must_use]` setters, inside an `impl` block. Each entry is a doc comment (passed
/// through to the method), the method's name and parameters, and what it stores:
///
/// ```text
/// /// Sets the source icon and label.
/// source(source: Source) => Some(source);
/// /// Tapping the quote opens `url` (type 1).
/// url(url: impl Into<String>) => link = Link::open_url(url.into());
/// ```
///
/// `=> value` stores `value` in the field named like the method, `=> field = value` in
/// `field`.
macro_rules! setters {
    () => {};
    (
        $(#[$doc:meta])*
        $name:ident($($param:ident: $ty:ty),+) => $field:ident = $value:expr;
        $($rest:tt)*
    ) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $($param: $ty),+) -> Self {
            self.$field = $value;
            self
        }

        $crate::card::setters::setters!($($rest)*);
    };
    (
        $(#[$doc:meta])*
        $name:ident($($param:ident: $ty:ty),+) => $value:expr;
        $($rest:tt)*
    ) => {
        $crate::card::setters::setters! {
            $(#[$doc])*
            $name($($param: $ty),+) => $name = $value;
            $($rest)*
        }
    };
}

pub(super) use setters;
