//! [`Undefined`]: JavaScript's `undefined`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
