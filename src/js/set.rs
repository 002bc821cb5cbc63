//! [`Set`]: values in insertion order.

use std::marker::PhantomData;

use super::Transparent;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

use crate::marker;

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
            .deserialize_newtype_struct(marker::SET, Transparent(PhantomData))
            .map(Set)
    }
}
