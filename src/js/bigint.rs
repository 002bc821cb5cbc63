//! [`BigInt`]: a JavaScript `bigint` as its decimal text.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::ParseError;
use crate::marker;

/// A JavaScript `bigint`, kept as its canonical decimal string (`["BigInt","10"]` in devalue).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BigInt(String);

impl BigInt {
    /// A bigint from a decimal string: an optional `-` and digits, without leading zeros
    /// (`"0"`, `"-12"`); `None` otherwise.
    pub fn from_decimal(s: &str) -> Option<BigInt> {
        let digits = s.strip_prefix('-').unwrap_or(s);
        let canonical = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
            && s != "-0";
        canonical.then(|| BigInt(s.to_owned()))
    }

    /// A bigint from text already known to be canonical decimal (another integer type's
    /// `to_string`).
    #[cfg_attr(not(feature = "num-bigint"), allow(dead_code))]
    pub(crate) fn from_canonical(decimal: String) -> BigInt {
        debug_assert!(BigInt::from_decimal(&decimal).is_some(), "{decimal:?}");
        BigInt(decimal)
    }

    /// The decimal digits, with a leading `-` when negative.
    pub fn as_decimal(&self) -> &str {
        &self.0
    }

    /// The value as an `i128`, if it fits.
    pub fn to_i128(&self) -> Option<i128> {
        self.0.parse().ok()
    }
}

impl fmt::Display for BigInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for BigInt {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<BigInt, Self::Err> {
        BigInt::from_decimal(s).ok_or_else(|| ParseError::new(format!("invalid BigInt {s:?}")))
    }
}

macro_rules! bigint_from {
    ($($t:ty),*) => {$(
        impl From<$t> for BigInt {
            fn from(v: $t) -> BigInt {
                BigInt(v.to_string())
            }
        }
    )*};
}
bigint_from!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

impl Serialize for BigInt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(marker::BIGINT, self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for BigInt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_as(deserializer)
    }
}

/// Deserializes a [`BigInt`] as its own `Deserialize` does and converts it to `T` inside the
/// visitor, so that a value `T` cannot hold is reported where an unreadable bigint would be.
pub(super) fn deserialize_as<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: TryFrom<BigInt>,
    T::Error: fmt::Display,
    D: Deserializer<'de>,
{
    struct BigIntVisitor<T>(PhantomData<T>);
    impl<T> BigIntVisitor<T>
    where
        T: TryFrom<BigInt>,
        T::Error: fmt::Display,
    {
        fn convert<E: de::Error>(v: BigInt) -> Result<T, E> {
            T::try_from(v).map_err(E::custom)
        }
    }
    impl<'de, T> Visitor<'de> for BigIntVisitor<T>
    where
        T: TryFrom<BigInt>,
        T::Error: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a BigInt (decimal string or integer)")
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            let big = BigInt::from_decimal(v)
                .ok_or_else(|| E::custom(format!("invalid BigInt {v:?}")))?;
            Self::convert(big)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            Self::convert(v.into())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            Self::convert(v.into())
        }
        fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
            Self::convert(v.into())
        }
        fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
            Self::convert(v.into())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
                Self::convert((v as i64).into())
            } else {
                Err(E::custom(format!("{v} is not a safe integer for a BigInt")))
            }
        }
    }
    deserializer.deserialize_newtype_struct(marker::BIGINT, BigIntVisitor(PhantomData))
}
