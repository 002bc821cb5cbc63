//! `jiff`: [`Timestamp`], [`ZonedDateTime`] and [`civil::Date`].

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime, civil};

use super::{from_ref, out_of_range};
use crate::js::{ConversionError, Date};

from_ref! {
    // Truncated to the millisecond at or before the instant; the time zone is not part of a
    // `Date`.
    Timestamp => Date = |t| Date::from_unix_nanos(t.as_nanosecond());
    ZonedDateTime => Date = |z| Date::from_unix_nanos(z.timestamp().as_nanosecond());
    civil::Date => Date = |d| Date::from_civil(i64::from(d.year()), d.month() as u32, d.day() as u32);
}

impl TryFrom<Date> for Timestamp {
    type Error = ConversionError;

    /// The instant; beyond jiff's range (years -9999 to 9999), an error.
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        let ms = date.millis_for("jiff::Timestamp")?;
        Timestamp::from_millisecond(ms).map_err(|_| out_of_range(date, "jiff::Timestamp"))
    }
}

impl TryFrom<Date> for ZonedDateTime {
    type Error = ConversionError;

    /// The instant in the time zone UTC (a `Date` has no time zone).
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        Timestamp::try_from(date).map(|t| t.to_zoned_datetime(TimeZone::UTC))
    }
}

impl TryFrom<Date> for civil::Date {
    type Error = ConversionError;

    /// The calendar date of a date at midnight UTC; another time of day is an error.
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        let (y, m, d) = date.to_civil("jiff::civil::Date")?;
        i16::try_from(y)
            .ok()
            .and_then(|y| civil::Date::new(y, m as i8, d as i8).ok())
            .ok_or_else(|| out_of_range(date, "jiff::civil::Date"))
    }
}
