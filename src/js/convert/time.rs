//! `time`: [`OffsetDateTime`], [`UtcDateTime`] and [`time::Date`](TimeDate).

use time::{Date as TimeDate, Month, OffsetDateTime, UtcDateTime};

use super::{from_ref, out_of_range};
use crate::js::{ConversionError, Date};

from_ref! {
    // Truncated to the millisecond at or before the instant; the offset is not part of a `Date`.
    OffsetDateTime => Date = |t| Date::from_unix_nanos(t.unix_timestamp_nanos());
    UtcDateTime => Date = |t| Date::from_unix_nanos(t.unix_timestamp_nanos());
    TimeDate => Date = |d| Date::from_civil(i64::from(d.year()), u8::from(d.month()).into(), d.day().into());
}

impl TryFrom<Date> for OffsetDateTime {
    type Error = ConversionError;

    /// The instant at offset UTC (a `Date` has no offset); beyond `time`'s range, an error.
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        let ms = date.millis_for("time::OffsetDateTime")?;
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .map_err(|_| out_of_range(date, "time::OffsetDateTime"))
    }
}

impl TryFrom<Date> for UtcDateTime {
    type Error = ConversionError;

    /// The instant; beyond `time`'s range, an error.
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        let ms = date.millis_for("time::UtcDateTime")?;
        UtcDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .map_err(|_| out_of_range(date, "time::UtcDateTime"))
    }
}

impl TryFrom<Date> for TimeDate {
    type Error = ConversionError;

    /// The calendar date of a date at midnight UTC; another time of day is an error.
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        let (y, m, d) = date.to_civil("time::Date")?;
        let month = Month::try_from(m as u8).ok();
        i32::try_from(y)
            .ok()
            .zip(month)
            .and_then(|(y, month)| TimeDate::from_calendar_date(y, month, d as u8).ok())
            .ok_or_else(|| out_of_range(date, "time::Date"))
    }
}
