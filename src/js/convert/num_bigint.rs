//! `num-bigint`: [`BigInt`] and [`BigUint`] and [`js::BigInt`](crate::js::BigInt), by the
//! decimal digits.

use num_bigint::{BigInt, BigUint};

use super::from_ref;
use crate::js::{self, ConversionError};

from_ref! {
    BigInt => js::BigInt = |n| js::BigInt::from_canonical(n.to_string());
    BigUint => js::BigInt = |n| js::BigInt::from_canonical(n.to_string());
}

impl TryFrom<js::BigInt> for BigInt {
    type Error = ConversionError;

    fn try_from(n: js::BigInt) -> Result<Self, ConversionError> {
        // The decimal text of a `js::BigInt` is always canonical, so it always parses.
        n.as_decimal()
            .parse()
            .map_err(|e| ConversionError::new(format!("{n} is not an integer: {e}")))
    }
}

impl TryFrom<js::BigInt> for BigUint {
    type Error = ConversionError;

    /// A negative bigint is an error.
    fn try_from(n: js::BigInt) -> Result<Self, ConversionError> {
        n.as_decimal()
            .parse()
            .map_err(|_| ConversionError::new(format!("{n} is not a non-negative integer")))
    }
}
