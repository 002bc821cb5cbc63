//! Conversions between the [`js`](super) types and `SystemTime` and the types of the common
//! date, URL and big-integer crates, each behind the feature named after its crate. The
//! [`with`](super::with) modules use them; they also let a struct hold a [`Date`] or a
//! [`Url`](super::Url) and convert at the edges.
//!
//! [`Date`]: super::Date

#[cfg(feature = "chrono")]
mod chrono;
#[cfg(feature = "jiff")]
mod jiff;
#[cfg(feature = "num-bigint")]
mod num_bigint;
#[cfg(feature = "time")]
mod time;
#[cfg(feature = "url")]
mod url;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{ConversionError, Date};

impl From<&Date> for Date {
    fn from(date: &Date) -> Date {
        *date
    }
}

impl From<&SystemTime> for Date {
    fn from(time: &SystemTime) -> Date {
        Date::from_system_time(*time)
    }
}

impl TryFrom<Date> for SystemTime {
    type Error = ConversionError;

    /// The instant; an invalid date is an error.
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        let ms = date.millis_for("SystemTime")?;
        let offset = Duration::from_millis(ms.unsigned_abs());
        let time = if ms < 0 {
            UNIX_EPOCH.checked_sub(offset)
        } else {
            UNIX_EPOCH.checked_add(offset)
        };
        time.ok_or_else(|| out_of_range(date, "SystemTime"))
    }
}

/// Milliseconds in a day.
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
const DAY: i64 = 86_400_000;

impl Date {
    /// The whole milliseconds of a valid date, or the error naming `what` could not hold it.
    fn millis_for(&self, what: &str) -> Result<i64, ConversionError> {
        self.whole_millis()
            .ok_or_else(|| ConversionError::new(format!("an invalid Date is not a {what}")))
    }

    #[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
    /// Midnight UTC of a calendar date (`new Date("2024-05-01")`).
    fn from_civil(year: i64, month: u32, day: u32) -> Date {
        Date::from_unix_millis(super::calendar::days_from_civil(year, month, day) * DAY)
    }

    #[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
    /// The calendar date of a date at midnight UTC (what `new Date("2024-05-01")` and an
    /// `<input type="date">` give): any other time of day is refused rather than dropped.
    fn to_civil(self, what: &str) -> Result<(i64, u32, u32), ConversionError> {
        let ms = self.millis_for(what)?;
        if ms.rem_euclid(DAY) != 0 {
            return Err(ConversionError::new(format!(
                "{} is not midnight UTC, so not a {what}",
                self.to_iso_string().unwrap_or_default()
            )));
        }
        Ok(super::calendar::civil_from_days(ms.div_euclid(DAY)))
    }
}

/// The error for a date outside a type's range.
fn out_of_range(date: Date, what: &str) -> ConversionError {
    ConversionError::new(format!(
        "{} is out of range for a {what}",
        date.to_iso_string().unwrap_or_default()
    ))
}

/// `From<T>` and `From<&T>` for a `js` type, by a function of `&T`.
#[cfg(any(
    feature = "chrono",
    feature = "time",
    feature = "jiff",
    feature = "url",
    feature = "num-bigint"
))]
macro_rules! from_ref {
    ($($from:ty => $to:ty $(where [$($gen:tt)*])? = $f:expr;)*) => {$(
        impl$(<$($gen)*>)? From<&$from> for $to {
            fn from(value: &$from) -> $to {
                let f: fn(&$from) -> $to = $f;
                f(value)
            }
        }
        impl$(<$($gen)*>)? From<$from> for $to {
            fn from(value: $from) -> $to {
                <$to>::from(&value)
            }
        }
    )*};
}
#[cfg(any(
    feature = "chrono",
    feature = "time",
    feature = "jiff",
    feature = "url",
    feature = "num-bigint"
))]
use from_ref;
