//! [`Url`]: a URL kept as its href.

use std::fmt;
use std::marker::PhantomData;

use super::Transparent;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::marker;

/// A JavaScript `URL`, kept as its `href` (not validated or normalised here).
///
/// In devalue it takes Astro's reducer form `["URL",i]`, the href being its own string slot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Url(String);

impl Url {
    /// A URL with this `href`, which should be what `new URL(…).href` gives.
    pub fn new(href: impl Into<String>) -> Url {
        Url(href.into())
    }

    /// The `href`.
    pub fn href(&self) -> &str {
        &self.0
    }

    /// The `href`, consuming the URL.
    pub fn into_href(self) -> String {
        self.0
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Url {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(marker::URL, self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for Url {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_newtype_struct(marker::URL, Transparent(PhantomData))
            .map(Url)
    }
}

/// What a URL type's visitor expects: a decoder reports a string it refuses as zod's
/// `z.url()` issue.
pub(crate) const URL_EXPECTING: &str = "a URL";

/// Deserializes a [`Url`] as its own `Deserialize` does and converts it to `T` inside the
/// visitor, so that an href `T` refuses is reported at the field.
#[cfg_attr(not(feature = "url"), allow(dead_code))]
pub(super) fn deserialize_as<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: TryFrom<Url>,
    T::Error: fmt::Display,
    D: Deserializer<'de>,
{
    struct UrlVisitor<T>(PhantomData<T>);
    impl<'de, T> Visitor<'de> for UrlVisitor<T>
    where
        T: TryFrom<Url>,
        T::Error: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(URL_EXPECTING)
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
            let href = String::deserialize(d)?;
            T::try_from(Url(href)).map_err(de::Error::custom)
        }
    }
    deserializer.deserialize_newtype_struct(marker::URL, UrlVisitor(PhantomData))
}
