//! JavaScript types for action inputs and outputs: [`Date`], [`Map`], [`Set`], [`Url`],
//! [`BigInt`] and [`Undefined`].
//!
//! With [`crate::devalue`] each becomes the JavaScript value Astro's client revives
//! (`new Date(…)`, `new Map(…)`, `new URL(…)`, `10n`, `undefined`). With any other serde format
//! (e.g. `serde_json`) they are plain data: a `Date` is its ISO string (`null` when invalid), a
//! `Map` an array of `[key, value]` pairs, a `Set` an array, a `Url` its href, a `BigInt` its
//! decimal string and `Undefined` is `null`.
//!
//! A field can also keep the type its own crate gives it and travel as one of these: the
//! serde `with` modules of [`with`] write `SystemTime`, chrono, time and jiff dates as a
//! `Date`, `url::Url` as a `URL`, num-bigint integers as a `bigint`, and any map or set
//! (`HashMap`, `BTreeSet`…) as a `Map` or `Set`, each behind the feature of its crate. The
//! same types convert to and from the `js` types with `From` and `TryFrom` (a
//! [`ConversionError`] when the Rust type cannot hold the value).
//!
//! ```
//! use tower_actions::js;
//!
//! let date = js::Date::from_unix_millis(0);
//! assert_eq!(date.to_iso_string().as_deref(), Some("1970-01-01T00:00:00.000Z"));
//! assert_eq!(tower_actions::devalue::to_string(&date).unwrap(), r#"[["Date","1970-01-01T00:00:00.000Z"]]"#);
//! assert_eq!(serde_json::to_string(&date).unwrap(), r#""1970-01-01T00:00:00.000Z""#);
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, Visitor};

mod bigint;
mod calendar;
mod convert;
mod date;
mod map;
mod set;
mod undefined;
mod url;
pub mod with;

pub use bigint::BigInt;
pub use date::Date;
pub use map::Map;
pub use set::Set;
pub use undefined::Undefined;
pub use url::Url;

pub(crate) use date::refusing_null;
pub(crate) use url::URL_EXPECTING;

/// A string that is not the text of a JavaScript value: not an ISO date for [`Date`], not a
/// decimal integer for [`BigInt`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(String);

impl ParseError {
    fn new(message: String) -> ParseError {
        ParseError(message)
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// A JavaScript value that a Rust type cannot hold: an invalid `Date` or one beyond the
/// type's range, a `Date` that is not midnight UTC for a calendar date, a negative `bigint`
/// for an unsigned integer, an href that does not parse as a URL. Returned by the `TryFrom`
/// conversions from the `js` types; the [`with`] modules report it as a deserialization error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionError(String);

impl ConversionError {
    #[cfg_attr(
        not(any(
            feature = "chrono",
            feature = "time",
            feature = "jiff",
            feature = "url",
            feature = "num-bigint"
        )),
        allow(dead_code)
    )]
    fn new(message: String) -> ConversionError {
        ConversionError(message)
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConversionError {}

/// Visits a newtype struct by deserializing its content as `T`.
pub(super) struct Transparent<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Transparent<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JavaScript value")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::deserialize(d)
    }
}
