//! JavaScript types for action inputs and outputs: [`Date`], [`Map`], [`Set`], [`Url`],
//! [`BigInt`] and [`Undefined`].
//!
//! With [`crate::devalue`] each becomes the JavaScript value Astro's client revives
//! (`new Date(…)`, `new Map(…)`, `new URL(…)`, `10n`, `undefined`). With any other serde format
//! (e.g. `serde_json`) they are plain data: a `Date` is its ISO string (`null` when invalid), a
//! `Map` an array of `[key, value]` pairs, a `Set` an array, a `Url` its href, a `BigInt` its
//! decimal string and `Undefined` is `null`.
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
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::marker;

/// The largest magnitude of a JavaScript time value, in milliseconds (±100,000,000 days).
const MAX_TIME: f64 = 8.64e15;

/// A JavaScript `Date`: milliseconds since the Unix epoch, `NaN` for an invalid date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Date(f64);

impl Date {
    /// A date from milliseconds since the epoch, clipped like JavaScript's `TimeClip`: a value
    /// that is not finite or beyond ±8.64e15 gives an invalid date, fractions are truncated.
    pub fn from_unix_millis_f64(millis: f64) -> Date {
        if !millis.is_finite() || millis.abs() > MAX_TIME {
            return Date(f64::NAN);
        }
        // `+ 0.0` turns -0 into +0, as TimeClip does.
        Date(millis.trunc() + 0.0)
    }

    /// A date from whole milliseconds since the epoch (invalid when out of JavaScript's range).
    pub fn from_unix_millis(millis: i64) -> Date {
        Date::from_unix_millis_f64(millis as f64)
    }

    /// A date from a [`SystemTime`], truncated to the millisecond.
    pub fn from_system_time(time: SystemTime) -> Date {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => Date::from_unix_millis_f64(after.as_millis() as f64),
            Err(before) => {
                // Round towards negative infinity, like a JavaScript time value would.
                let d = before.duration();
                let mut ms = d.as_millis() as f64;
                if d.subsec_nanos() % 1_000_000 != 0 {
                    ms += 1.0;
                }
                Date::from_unix_millis_f64(-ms)
            }
        }
    }

    /// An invalid date (`new Date(NaN)`).
    pub const fn invalid() -> Date {
        Date(f64::NAN)
    }

    /// Milliseconds since the epoch (`getTime()`), `NaN` for an invalid date.
    pub const fn unix_millis(&self) -> f64 {
        self.0
    }

    /// Whether this is a valid date.
    pub fn is_valid(&self) -> bool {
        !self.0.is_nan()
    }

    /// The date as JavaScript's `toISOString()` writes it, e.g. `2024-01-01T00:00:00.000Z`,
    /// `+010000-01-01T00:00:00.000Z` or `-000001-06-15T12:30:45.123Z`; `None` for an invalid date
    /// (where JavaScript throws a `RangeError`).
    pub fn to_iso_string(&self) -> Option<String> {
        if !self.is_valid() {
            return None;
        }
        let ms = self.0 as i64;
        let days = ms.div_euclid(86_400_000);
        let in_day = ms.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        let (h, m, s, milli) = (
            in_day / 3_600_000,
            in_day / 60_000 % 60,
            in_day / 1000 % 60,
            in_day % 1000,
        );
        let year = if (0..=9999).contains(&year) {
            format!("{year:04}")
        } else if year < 0 {
            format!("-{:06}", -year)
        } else {
            format!("+{year:06}")
        };
        Some(format!(
            "{year}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z"
        ))
    }

    /// Parses an ISO 8601 date as JavaScript's `Date.parse` does for the formats
    /// `toISOString` writes: `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm[:ss[.sss]]` followed by `Z` or
    /// `±HH:mm`, with `±YYYYYY` extended years. Date-only forms are UTC. `None` if malformed.
    pub fn parse_iso(s: &str) -> Option<Date> {
        parse_iso(s.as_bytes()).map(Date::from_unix_millis_f64)
    }
}

impl FromStr for Date {
    type Err = crate::devalue::Error;

    fn from_str(s: &str) -> Result<Date, Self::Err> {
        Date::parse_iso(s)
            .ok_or_else(|| crate::devalue::Error::new(format!("invalid ISO date {s:?}")))
    }
}

impl From<SystemTime> for Date {
    fn from(time: SystemTime) -> Date {
        Date::from_system_time(time)
    }
}

/// (year, month 1..=12, day 1..=31) of a day count since 1970-01-01 (Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Days since 1970-01-01 of a civil date (Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn parse_iso(b: &[u8]) -> Option<f64> {
    let mut p = 0;
    let num = |p: &mut usize, n: usize| -> Option<i64> {
        let digits = b.get(*p..*p + n)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *p += n;
        Some(
            digits
                .iter()
                .fold(0, |acc, d| acc * 10 + i64::from(d - b'0')),
        )
    };
    let year = match b.first()? {
        b'+' | b'-' => {
            let negative = b[0] == b'-';
            p = 1;
            let y = num(&mut p, 6)?;
            if negative && y == 0 {
                return None;
            }
            if negative { -y } else { y }
        }
        _ => num(&mut p, 4)?,
    };
    let mut month = 1;
    let mut day = 1;
    if b.get(p) == Some(&b'-') {
        p += 1;
        month = num(&mut p, 2)?;
        if b.get(p) == Some(&b'-') {
            p += 1;
            day = num(&mut p, 2)?;
        }
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month as u32) {
        return None;
    }
    let mut ms = days_from_civil(year, month as u32, day as u32) * 86_400_000;
    if p == b.len() {
        return Some(ms as f64);
    }
    if b[p] != b'T' {
        return None;
    }
    p += 1;
    let h = num(&mut p, 2)?;
    if b.get(p) != Some(&b':') {
        return None;
    }
    p += 1;
    let mi = num(&mut p, 2)?;
    let (mut s, mut milli) = (0, 0);
    if b.get(p) == Some(&b':') {
        p += 1;
        s = num(&mut p, 2)?;
        if b.get(p) == Some(&b'.') {
            p += 1;
            let start = p;
            while b.get(p).is_some_and(u8::is_ascii_digit) {
                if p - start < 3 {
                    milli = milli * 10 + i64::from(b[p] - b'0');
                }
                p += 1;
            }
            let n = p - start;
            if n == 0 {
                return None;
            }
            for _ in n..3 {
                milli *= 10;
            }
        }
    }
    if h > 24 || mi > 59 || s > 59 || (h == 24 && (mi, s, milli) != (0, 0, 0)) {
        return None;
    }
    ms += ((h * 60 + mi) * 60 + s) * 1000 + milli;
    match b.get(p)? {
        b'Z' => p += 1,
        sign @ (b'+' | b'-') => {
            let sign = if *sign == b'+' { 1 } else { -1 };
            p += 1;
            let oh = num(&mut p, 2)?;
            if b.get(p) != Some(&b':') {
                return None;
            }
            p += 1;
            let om = num(&mut p, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            ms -= sign * (oh * 60 + om) * 60_000;
        }
        _ => return None,
    }
    (p == b.len()).then_some(ms as f64)
}

fn days_in_month(year: i64, month: u32) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(marker::DATE, &self.to_iso_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Date (ISO string or milliseconds since the epoch)")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Date, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse_iso(v).ok_or_else(|| E::custom(format!("invalid ISO date {v:?}")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Date, E> {
                Ok(Date::from_unix_millis_f64(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Date, E> {
                Ok(Date::from_unix_millis(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Date, E> {
                Ok(Date::from_unix_millis_f64(v as f64))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Date, E> {
                Ok(Date::invalid())
            }
            fn visit_none<E: de::Error>(self) -> Result<Date, E> {
                Ok(Date::invalid())
            }
        }
        deserializer.deserialize_newtype_struct(marker::DATE, DateVisitor)
    }
}

/// A JavaScript `Map`: key/value pairs in insertion order (`["Map",k1,v1,…]` in devalue).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map<K, V>(pub Vec<(K, V)>);

impl<K: PartialEq, V> Map<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        Map(Vec::new())
    }

    /// Sets `key` to `value` like `Map.prototype.set`: an existing key keeps its position.
    pub fn insert(&mut self, key: K, value: V) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value for `key`, if any.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries in insertion order.
    pub fn iter(&self) -> std::slice::Iter<'_, (K, V)> {
        self.0.iter()
    }
}

impl<K, V> From<Vec<(K, V)>> for Map<K, V> {
    fn from(pairs: Vec<(K, V)>) -> Self {
        Map(pairs)
    }
}

impl<K: PartialEq, V> FromIterator<(K, V)> for Map<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<K: Serialize, V: Serialize> Serialize for Map<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(marker::MAP, &self.0)
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Map<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_newtype_struct(marker::MAP, Transparent(std::marker::PhantomData))
            .map(Map)
    }
}

/// A JavaScript `Set`: values in insertion order (`["Set",v1,…]` in devalue).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Set<T>(pub Vec<T>);

impl<T: PartialEq> Set<T> {
    /// An empty set.
    pub const fn new() -> Self {
        Set(Vec::new())
    }

    /// Adds `value` unless it is already present; returns whether it was added.
    pub fn insert(&mut self, value: T) -> bool {
        if self.0.contains(&value) {
            return false;
        }
        self.0.push(value);
        true
    }

    /// Whether `value` is present.
    pub fn contains(&self, value: &T) -> bool {
        self.0.contains(value)
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values in insertion order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<T> From<Vec<T>> for Set<T> {
    fn from(values: Vec<T>) -> Self {
        Set(values)
    }
}

impl<T: PartialEq> FromIterator<T> for Set<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = Set::new();
        for v in iter {
            set.insert(v);
        }
        set
    }
}

impl<T: Serialize> Serialize for Set<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(marker::SET, &self.0)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Set<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_newtype_struct(marker::SET, Transparent(std::marker::PhantomData))
            .map(Set)
    }
}

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
            .deserialize_newtype_struct(marker::URL, Transparent(std::marker::PhantomData))
            .map(Url)
    }
}

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
    type Err = crate::devalue::Error;

    fn from_str(s: &str) -> Result<BigInt, Self::Err> {
        BigInt::from_decimal(s)
            .ok_or_else(|| crate::devalue::Error::new(format!("invalid BigInt {s:?}")))
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
        struct BigIntVisitor;
        impl<'de> Visitor<'de> for BigIntVisitor {
            type Value = BigInt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a BigInt (decimal string or integer)")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<BigInt, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BigInt, E> {
                BigInt::from_decimal(v).ok_or_else(|| E::custom(format!("invalid BigInt {v:?}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<BigInt, E> {
                Ok(v.into())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<BigInt, E> {
                Ok(v.into())
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<BigInt, E> {
                Ok(v.into())
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<BigInt, E> {
                Ok(v.into())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<BigInt, E> {
                if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
                    Ok((v as i64).into())
                } else {
                    Err(E::custom(format!("{v} is not a safe integer for a BigInt")))
                }
            }
        }
        deserializer.deserialize_newtype_struct(marker::BIGINT, BigIntVisitor)
    }
}

/// JavaScript's `undefined`: `-1` in devalue (an absent property's value), `null` elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Undefined;

impl Serialize for Undefined {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

impl<'de> Deserialize<'de> for Undefined {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <()>::deserialize(deserializer).map(|()| Undefined)
    }
}

/// Visits a newtype struct by deserializing its content as `T`.
struct Transparent<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Transparent<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JavaScript value")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::deserialize(d)
    }
}
