//! [`Map`]: key/value pairs in insertion order.

use std::marker::PhantomData;

use super::Transparent;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

use crate::marker;

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
            .deserialize_newtype_struct(marker::MAP, Transparent(PhantomData))
            .map(Map)
    }
}
