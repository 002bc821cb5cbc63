//! serde `with` modules: a field keeps the type its crate gives it and travels as the
//! JavaScript type Astro's client sees.
//!
//! | module | field types | devalue (the client sees) | JSON and form input |
//! |---|---|---|---|
//! | [`date`] | `SystemTime`, [`js::Date`](super::Date); `chrono`: `DateTime<Tz>`, `NaiveDate`; `time`: `OffsetDateTime`, `UtcDateTime`, `Date`; `jiff`: `Timestamp`, `ZonedDateTime`, `civil::Date` | `Date` | as [`js::Date`](super::Date): an ISO string or milliseconds |
//! | `url` (feature `url`) | `url::Url` | `URL` | its href |
//! | `bigint` (feature `num-bigint`) | `num_bigint::BigInt`, `BigUint` | `bigint` | as [`js::BigInt`](super::BigInt): a decimal string or an integer |
//! | [`map`] | `HashMap`, `BTreeMap`, any map | `Map` | as [`js::Map`](super::Map): an array of `[key, value]` pairs |
//! | [`set`] | `HashSet`, `BTreeSet`, any set | `Set` | as [`js::Set`](super::Set): an array (a form field's every value) |
//!
//! Each has an `option` module for an `Option` of the field type (`None` is `undefined`).
//! Each writes and reads exactly what its `js` type does, so everything said of that type
//! holds: what a form field or a JSON value may be, and the issue a wrong one gets. A
//! `uuid::Uuid` needs no module: JavaScript has no UUID type, so it travels as its string
//! (feature `uuid`).
//!
//! With `schemars` (the `typescript` feature), name the `js` type for the schema, since
//! schemars reads serde's `with` as a type: `#[schemars(with = "js::Date")]`,
//! `#[schemars(with = "Option<js::Date>")]`, `#[schemars(with = "js::Map<String, u32>")]`.
//!
//! ```
//! use std::collections::{BTreeMap, BTreeSet};
//! use std::time::{Duration, SystemTime};
//! use serde::{Deserialize, Serialize};
//! use tower_actions::js;
//!
//! #[derive(Serialize, Deserialize, PartialEq, Debug)]
//! struct Post {
//!     #[serde(with = "js::with::date")]
//!     at: SystemTime,
//!     #[serde(with = "js::with::date::option")]
//!     edited: Option<SystemTime>,
//!     #[serde(with = "js::with::map")]
//!     likes: BTreeMap<String, u32>,
//!     #[serde(with = "js::with::set")]
//!     tags: BTreeSet<String>,
//! }
//!
//! let post = Post {
//!     at: SystemTime::UNIX_EPOCH + Duration::from_millis(1_500),
//!     edited: None,
//!     likes: BTreeMap::from([("ann".to_owned(), 2)]),
//!     tags: BTreeSet::from(["rust".to_owned()]),
//! };
//! let text = tower_actions::devalue::to_string(&post).unwrap();
//! assert_eq!(
//!     text,
//!     r#"[{"at":1,"edited":-1,"likes":2,"tags":5},["Date","1970-01-01T00:00:01.500Z"],["Map",3,4],"ann",2,["Set",6],"rust"]"#
//! );
//! assert_eq!(tower_actions::devalue::from_str::<Post>(&text).unwrap(), post);
//! ```

use std::fmt::Display;

use serde::{Deserializer, Serialize, Serializer};

use super::Date;

/// Serializes `Some` as the `js` type and `None` as `undefined`, and deserializes what
/// `Option<js type>` reads; the shared body of each `option` module.
macro_rules! option_module {
    ($js:ty, $field:literal, $deserialize_as:path) => {
        /// The same for an `Option` of the field type: `None` is `undefined` (absent in
        /// JSON, an absent or empty form field), as for an `Option` of the `js` type.
        pub mod option {
            use std::fmt::Display;

            use serde::{Deserialize, Deserializer, Serialize, Serializer};

            #[doc = concat!("Serializes `Some` as ", $field, ", `None` as `undefined`.")]
            pub fn serialize<T, S>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error>
            where
                for<'a> &'a T: Into<$js>,
                S: Serializer,
            {
                value.as_ref().map(Into::<$js>::into).serialize(serializer)
            }

            #[doc = concat!("Deserializes what `Option<", stringify!($js), ">` reads, converting it.")]
            pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
            where
                T: TryFrom<$js>,
                T::Error: Display,
                D: Deserializer<'de>,
            {
                /// One value read through the module's conversion.
                struct Via<T>(T);
                impl<'de, T> Deserialize<'de> for Via<T>
                where
                    T: TryFrom<$js>,
                    T::Error: Display,
                {
                    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        $deserialize_as(d).map(Via)
                    }
                }
                Ok(Option::<Via<T>>::deserialize(deserializer)?.map(|via| via.0))
            }
        }
    };
}

/// A date or time field as a JavaScript `Date`: `#[serde(with = "tower_actions::js::with::date")]`.
///
/// For any `T` with `From<&T> for js::Date` and `TryFrom<js::Date> for T`: `SystemTime` and
/// [`js::Date`](super::Date) always; with the features of the same names, chrono's
/// `DateTime<Tz>` (read back as `DateTime<Utc>` or `DateTime<FixedOffset>`) and `NaiveDate`,
/// time's `OffsetDateTime`, `UtcDateTime` and `Date`, jiff's `Timestamp`, `ZonedDateTime` and
/// `civil::Date`.
///
/// A JavaScript `Date` is an instant in milliseconds, in UTC, so:
/// - **Precision.** Nanoseconds are truncated to the millisecond at or before the instant
///   (`…00.000999Z` is `…00.000Z`, 1 ns before 1970 is `1969-12-31T23:59:59.999Z`).
/// - **Offsets and time zones** are not sent: the client gets the instant. Read back, a
///   `DateTime<FixedOffset>` or `OffsetDateTime` has offset `+00:00`, a `ZonedDateTime` the time zone
///   UTC.
/// - **Calendar dates** (`NaiveDate`, `time::Date`, `civil::Date`) are midnight UTC, as
///   `new Date("2024-05-01")` and an `<input type="date">` give; read back, another time of
///   day is refused (not silently moved to a neighbouring day).
/// - **Range.** JavaScript's is ±8.64e15 ms (years -271821 to 275760). A date beyond the Rust
///   type's range (chrono: ±262143, time: ±9999, jiff: ±9999) or an invalid `Date` is refused
///   on the way in, as an unreadable date is (zod's "expected date" issue); a `SystemTime`
///   beyond JavaScript's range goes out as an invalid `Date`.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use serde::{Deserialize, Serialize};
/// use tower_actions::js;
///
/// #[derive(Serialize, Deserialize)]
/// struct Stamp {
///     #[serde(with = "js::with::date")]
///     at: SystemTime,
/// }
///
/// let before_1970 = SystemTime::UNIX_EPOCH - Duration::from_nanos(1);
/// let text = tower_actions::devalue::to_string(&Stamp { at: before_1970 }).unwrap();
/// assert_eq!(text, r#"[{"at":1},["Date","1969-12-31T23:59:59.999Z"]]"#);
/// let back: Stamp = serde_json::from_str(r#"{"at":"2024-05-01T12:00:00+02:00"}"#).unwrap();
/// assert_eq!(js::Date::from(back.at).to_iso_string().unwrap(), "2024-05-01T10:00:00.000Z");
/// ```
pub mod date {
    use super::*;

    /// Serializes the field as a `js::Date`.
    pub fn serialize<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        for<'a> &'a T: Into<Date>,
        S: Serializer,
    {
        Into::<Date>::into(value).serialize(serializer)
    }

    /// Deserializes what `js::Date` reads and converts it; a date the type cannot hold is
    /// an error.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: TryFrom<Date>,
        T::Error: Display,
        D: Deserializer<'de>,
    {
        super::super::date::deserialize_as(deserializer)
    }

    option_module!(crate::js::Date, "a `Date`", crate::js::date::deserialize_as);
}

/// A `url::Url` field as a JavaScript `URL`: `#[serde(with = "tower_actions::js::with::url")]`
/// (feature `url`).
///
/// The client gets `new URL(href)`; read back, the href is parsed by the `url` crate (WHATWG
/// URL parsing, as JavaScript's), and one that does not parse is refused at its field.
///
/// ```
/// use serde::{Deserialize, Serialize};
/// use tower_actions::js;
///
/// #[derive(Serialize, Deserialize, PartialEq, Debug)]
/// struct Link {
///     #[serde(with = "js::with::url")]
///     href: url::Url,
/// }
///
/// let link = Link { href: url::Url::parse("https://example.com/a b").unwrap() };
/// let text = tower_actions::devalue::to_string(&link).unwrap();
/// assert_eq!(text, r#"[{"href":1},["URL",2],"https://example.com/a%20b"]"#);
/// assert_eq!(tower_actions::devalue::from_str::<Link>(&text).unwrap(), link);
/// ```
#[cfg(feature = "url")]
pub mod url {
    use super::*;
    use crate::js::Url;

    /// Serializes the field as a `js::Url`.
    pub fn serialize<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        for<'a> &'a T: Into<Url>,
        S: Serializer,
    {
        Into::<Url>::into(value).serialize(serializer)
    }

    /// Deserializes what `js::Url` reads and parses it; an href that does not parse is an
    /// error.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: TryFrom<Url>,
        T::Error: Display,
        D: Deserializer<'de>,
    {
        crate::js::url::deserialize_as(deserializer)
    }

    option_module!(crate::js::Url, "a `URL`", crate::js::url::deserialize_as);
}

/// A `num_bigint::BigInt` or `BigUint` field as a JavaScript `bigint`:
/// `#[serde(with = "tower_actions::js::with::bigint")]` (feature `num-bigint`).
///
/// Read back as [`js::BigInt`](super::BigInt) reads (a decimal string or an integer); a
/// negative value for a `BigUint` is refused as an unreadable bigint is (zod's "expected
/// bigint" issue).
///
/// ```
/// use num_bigint::BigInt;
/// use serde::{Deserialize, Serialize};
/// use tower_actions::js;
///
/// #[derive(Serialize, Deserialize, PartialEq, Debug)]
/// struct Total {
///     #[serde(with = "js::with::bigint")]
///     sum: BigInt,
/// }
///
/// let total = Total { sum: "-123456789012345678901234567890".parse().unwrap() };
/// let text = tower_actions::devalue::to_string(&total).unwrap();
/// assert_eq!(text, r#"[{"sum":1},["BigInt","-123456789012345678901234567890"]]"#);
/// assert_eq!(tower_actions::devalue::from_str::<Total>(&text).unwrap(), total);
/// ```
#[cfg(feature = "num-bigint")]
pub mod bigint {
    use super::*;
    use crate::js::BigInt;

    /// Serializes the field as a `js::BigInt`.
    pub fn serialize<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        for<'a> &'a T: Into<BigInt>,
        S: Serializer,
    {
        Into::<BigInt>::into(value).serialize(serializer)
    }

    /// Deserializes what `js::BigInt` reads and converts it; a value the type cannot hold
    /// is an error.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: TryFrom<BigInt>,
        T::Error: Display,
        D: Deserializer<'de>,
    {
        crate::js::bigint::deserialize_as(deserializer)
    }

    option_module!(
        crate::js::BigInt,
        "a `bigint`",
        crate::js::bigint::deserialize_as
    );
}

pub mod map;
pub mod set;
