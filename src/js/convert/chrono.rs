//! `chrono`: [`DateTime`] (any time zone out, `Utc` and `FixedOffset` in) and [`NaiveDate`].

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};

use super::{from_ref, out_of_range};
use crate::js::{ConversionError, Date};

from_ref! {
    // `timestamp_millis` counts whole milliseconds at or before the instant, as JavaScript's
    // time value does; the offset or time zone is not part of a `Date`.
    DateTime<Tz> => Date where [Tz: TimeZone] = |t| Date::from_unix_millis(t.timestamp_millis());
    NaiveDate => Date = |d| Date::from_civil(i64::from(d.year()), d.month(), d.day());
}

impl TryFrom<Date> for DateTime<Utc> {
    type Error = ConversionError;

    /// The instant in UTC; an invalid date or one beyond chrono's range is an error.
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        let ms = date.millis_for("chrono::DateTime")?;
        DateTime::from_timestamp_millis(ms).ok_or_else(|| out_of_range(date, "chrono::DateTime"))
    }
}

impl TryFrom<Date> for DateTime<FixedOffset> {
    type Error = ConversionError;

    /// The instant at offset `+00:00` (a `Date` has no offset).
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        DateTime::<Utc>::try_from(date).map(|t| t.fixed_offset())
    }
}

impl TryFrom<Date> for NaiveDate {
    type Error = ConversionError;

    /// The calendar date of a date at midnight UTC; another time of day is an error.
    fn try_from(date: Date) -> Result<Self, ConversionError> {
        let (y, m, d) = date.to_civil("chrono::NaiveDate")?;
        i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
            .ok_or_else(|| out_of_range(date, "chrono::NaiveDate"))
    }
}
