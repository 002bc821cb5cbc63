//! A map field as a JavaScript `Map`: `#[serde(with = "tower_actions::js::with::map")]`.
//!
//! For any map type (`HashMap`, `BTreeMap`, `IndexMap`…): written as [`js::Map`] writes its
//! pairs (devalue's `["Map",k1,v1,…]`, in the map's iteration order: a `HashMap`'s changes
//! from run to run, so prefer a `BTreeMap` or an insertion-ordered map when the order
//! matters), read back as `js::Map` reads (devalue's `Map`, or in JSON an array of
//! `[key, value]` pairs; a key given twice keeps its last value). Without this module a
//! `HashMap` is a plain JavaScript object, its keys strings.
//!
//! [`js::Map`]: crate::js::Map
//!
//! ```
//! use std::collections::HashMap;
//! use serde::{Deserialize, Serialize};
//! use tower_actions::js;
//!
//! #[derive(Serialize, Deserialize, PartialEq, Debug)]
//! struct Scores {
//!     #[serde(with = "js::with::map")]
//!     by_id: HashMap<u32, String>,
//! }
//!
//! let scores = Scores { by_id: HashMap::from([(7, "ann".to_owned())]) };
//! let text = tower_actions::devalue::to_string(&scores).unwrap();
//! assert_eq!(text, r#"[{"by_id":1},["Map",2,3],7,"ann"]"#);
//! assert_eq!(tower_actions::devalue::from_str::<Scores>(&text).unwrap(), scores);
//! let from_json: Scores = serde_json::from_str(r#"{"by_id":[[7,"ann"]]}"#).unwrap();
//! assert_eq!(from_json, scores);
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::marker;

/// The map's entries, serialized as the sequence of pairs `js::Map` writes.
struct Pairs<'v, M>(&'v M);

impl<'v, M, K, V> Serialize for Pairs<'v, M>
where
    &'v M: IntoIterator<Item = (&'v K, &'v V)>,
    K: Serialize + 'v,
    V: Serialize + 'v,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0)
    }
}

/// Serializes the map as a `js::Map`.
pub fn serialize<'v, M, K, V, S>(value: &'v M, serializer: S) -> Result<S::Ok, S::Error>
where
    &'v M: IntoIterator<Item = (&'v K, &'v V)>,
    K: Serialize + 'v,
    V: Serialize + 'v,
    S: Serializer,
{
    serializer.serialize_newtype_struct(marker::MAP, &Pairs(value))
}

/// Deserializes what `js::Map` reads into the map type.
pub fn deserialize<'de, M, K, V, D>(deserializer: D) -> Result<M, D::Error>
where
    M: FromIterator<(K, V)>,
    K: Deserialize<'de>,
    V: Deserialize<'de>,
    D: Deserializer<'de>,
{
    struct MapVisitor<M, K, V>(PhantomData<(M, K, V)>);
    impl<'de, M, K, V> Visitor<'de> for MapVisitor<M, K, V>
    where
        M: FromIterator<(K, V)>,
        K: Deserialize<'de>,
        V: Deserialize<'de>,
    {
        type Value = M;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a Map (a sequence of [key, value] pairs)")
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<M, D::Error> {
            d.deserialize_seq(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<M, A::Error> {
            std::iter::from_fn(|| seq.next_element::<(K, V)>().transpose()).collect()
        }
    }
    deserializer.deserialize_newtype_struct(marker::MAP, MapVisitor(PhantomData))
}

/// The same for an `Option` of a map: `None` is `undefined`, as for `Option<js::Map>`.
pub mod option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serializes `Some` as a `Map`, `None` as `undefined`.
    pub fn serialize<'v, M, K, V, S>(value: &'v Option<M>, serializer: S) -> Result<S::Ok, S::Error>
    where
        &'v M: IntoIterator<Item = (&'v K, &'v V)>,
        K: Serialize + 'v,
        V: Serialize + 'v,
        S: Serializer,
    {
        match value {
            Some(map) => serializer.serialize_some(&Via(map, std::marker::PhantomData)),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes what `Option<js::Map>` reads into an `Option` of the map type.
    pub fn deserialize<'de, M, K, V, D>(deserializer: D) -> Result<Option<M>, D::Error>
    where
        M: FromIterator<(K, V)>,
        K: Deserialize<'de>,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Option::<Via<M, (K, V)>>::deserialize(deserializer)?.map(|via| via.0))
    }

    /// One map through the parent module (`M` a value or a reference, `E` its entries).
    struct Via<M, E>(M, std::marker::PhantomData<E>);

    impl<'v, M, K, V> Serialize for Via<&'v M, (&'v K, &'v V)>
    where
        &'v M: IntoIterator<Item = (&'v K, &'v V)>,
        K: Serialize + 'v,
        V: Serialize + 'v,
    {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            super::serialize(self.0, serializer)
        }
    }

    impl<'de, M, K, V> Deserialize<'de> for Via<M, (K, V)>
    where
        M: FromIterator<(K, V)>,
        K: Deserialize<'de>,
        V: Deserialize<'de>,
    {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d).map(|map| Via(map, std::marker::PhantomData))
        }
    }
}
