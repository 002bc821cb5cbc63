//! [`Date`]: a JavaScript time value and its ISO text.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::ParseError;
use super::calendar::{civil_from_days, parse_iso};
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

    /// A date from nanoseconds since the epoch, truncated to the millisecond at or before it
    /// (as a JavaScript time value has no finer precision): `-1` ns is `-1` ms. Invalid when
    /// out of JavaScript's range.
    pub fn from_unix_nanos(nanos: i128) -> Date {
        let millis = nanos.div_euclid(1_000_000);
        if millis.unsigned_abs() > MAX_TIME as u128 {
            return Date::invalid();
        }
        Date::from_unix_millis(millis as i64)
    }

    /// Whole milliseconds since the epoch, `None` for an invalid date.
    pub(crate) fn whole_millis(&self) -> Option<i64> {
        // A valid time value is a whole number within ±8.64e15: exact in an i64.
        self.is_valid().then_some(self.0 as i64)
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
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Date, Self::Err> {
        Date::parse_iso(s).ok_or_else(|| ParseError::new(format!("invalid ISO date {s:?}")))
    }
}

impl From<SystemTime> for Date {
    fn from(time: SystemTime) -> Date {
        Date::from_system_time(time)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(marker::DATE, &self.to_iso_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        deserialize_as(deserializer)
    }
}

thread_local! {
    /// Whether a `null` (or unit) read as a date is refused rather than read as an invalid
    /// date: set by [`refusing_null`] while an action's JSON input is decoded.
    static NULL_REFUSED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `decode` with `null` refused as a date (zod's `z.date()` refuses it, and so does the
/// decoder that collects every issue), then puts the previous setting back, even if `decode`
/// panicked. Elsewhere (`serde_json::from_str::<Date>("null")`), `null` is the invalid date
/// that `Date` serializes as.
pub(crate) fn refusing_null<R>(decode: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = NULL_REFUSED.try_with(|refused| refused.set(self.0));
        }
    }
    let _restore = Restore(NULL_REFUSED.with(|refused| refused.replace(true)));
    decode()
}

/// Deserializes a [`Date`] as `Date`'s own `Deserialize` does and converts it to `T` inside the
/// visitor, so that a date `T` cannot hold is reported where an unreadable date would be (zod's
/// "expected date" issue in forms and JSON).
pub(super) fn deserialize_as<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: TryFrom<Date>,
    T::Error: fmt::Display,
    D: Deserializer<'de>,
{
    struct DateVisitor<T>(PhantomData<T>);
    impl<T> DateVisitor<T>
    where
        T: TryFrom<Date>,
        T::Error: fmt::Display,
    {
        fn convert<E: de::Error>(date: Date) -> Result<T, E> {
            T::try_from(date).map_err(E::custom)
        }
    }
    impl<'de, T> Visitor<'de> for DateVisitor<T>
    where
        T: TryFrom<Date>,
        T::Error: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a Date (ISO string or milliseconds since the epoch)")
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            let date =
                Date::parse_iso(v).ok_or_else(|| E::custom(format!("invalid ISO date {v:?}")))?;
            Self::convert(date)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            Self::convert(Date::from_unix_millis_f64(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            Self::convert(Date::from_unix_millis(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            Self::convert(Date::from_unix_millis_f64(v as f64))
        }
        fn visit_unit<E: de::Error>(self) -> Result<T, E> {
            if NULL_REFUSED.with(Cell::get) {
                return Err(E::invalid_type(de::Unexpected::Unit, &self));
            }
            Self::convert(Date::invalid())
        }
        fn visit_none<E: de::Error>(self) -> Result<T, E> {
            self.visit_unit()
        }
    }
    deserializer.deserialize_newtype_struct(marker::DATE, DateVisitor(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn null_date() -> serde_json::Result<Date> {
        serde_json::from_str::<Date>("null")
    }

    #[test]
    fn null_is_refused_only_while_refusing_null_runs() {
        // Elsewhere `null` is the invalid date `Date` serializes as.
        assert!(!null_date().unwrap().is_valid());
        assert!(refusing_null(null_date).is_err());
        assert!(
            refusing_null(|| serde_json::from_str::<Option<Date>>("null"))
                .unwrap()
                .is_none()
        );
        // Nested calls keep the outer setting; a panic puts the previous one back.
        refusing_null(|| {
            refusing_null(|| ());
            assert!(null_date().is_err());
        });
        assert!(std::panic::catch_unwind(|| refusing_null(|| panic!("in the decoder"))).is_err());
        assert!(!null_date().unwrap().is_valid());
        let ok = refusing_null(|| serde_json::from_str::<Date>("0")).unwrap();
        assert_eq!(ok.unix_millis(), 0.0);
    }
}
