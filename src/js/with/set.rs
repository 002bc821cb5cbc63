//! A set field as a JavaScript `Set`: `#[serde(with = "tower_actions::js::with::set")]`.
//!
//! For any set type (`HashSet`, `BTreeSet`, `IndexSet`…): written as [`js::Set`] writes its
//! values (devalue's `["Set",v1,…]`, in the set's iteration order: a `HashSet`'s changes from
//! run to run, so prefer a `BTreeSet` or an insertion-ordered set when the order matters),
//! read back as `js::Set` reads (devalue's `Set`, a JSON array, or every value of a form
//! field; a value given twice is kept once). Without this module a `HashSet` is a plain
//! JavaScript array.
//!
//! [`js::Set`]: crate::js::Set
//!
//! ```
//! use std::collections::BTreeSet;
//! use serde::{Deserialize, Serialize};
//! use tower_actions::js;
//!
//! #[derive(Serialize, Deserialize, PartialEq, Debug)]
//! struct Tags {
//!     #[serde(with = "js::with::set")]
//!     tags: BTreeSet<String>,
//! }
//!
//! let tags = Tags { tags: BTreeSet::from(["a".to_owned(), "b".to_owned()]) };
//! let text = tower_actions::devalue::to_string(&tags).unwrap();
//! assert_eq!(text, r#"[{"tags":1},["Set",2,3],"a","b"]"#);
//! assert_eq!(tower_actions::devalue::from_str::<Tags>(&text).unwrap(), tags);
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::marker;

/// The set's values, serialized as the sequence `js::Set` writes.
struct Values<'v, C>(&'v C);

impl<'v, C, T> Serialize for Values<'v, C>
where
    &'v C: IntoIterator<Item = &'v T>,
    T: Serialize + 'v,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0)
    }
}

/// Serializes the set as a `js::Set`.
pub fn serialize<'v, C, T, S>(value: &'v C, serializer: S) -> Result<S::Ok, S::Error>
where
    &'v C: IntoIterator<Item = &'v T>,
    T: Serialize + 'v,
    S: Serializer,
{
    serializer.serialize_newtype_struct(marker::SET, &Values(value))
}

/// Deserializes what `js::Set` reads into the set type.
pub fn deserialize<'de, C, T, D>(deserializer: D) -> Result<C, D::Error>
where
    C: FromIterator<T>,
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    struct SetVisitor<C, T>(PhantomData<(C, T)>);
    impl<'de, C, T> Visitor<'de> for SetVisitor<C, T>
    where
        C: FromIterator<T>,
        T: Deserialize<'de>,
    {
        type Value = C;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a Set (a sequence of values)")
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<C, D::Error> {
            d.deserialize_seq(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<C, A::Error> {
            std::iter::from_fn(|| seq.next_element::<T>().transpose()).collect()
        }
    }
    deserializer.deserialize_newtype_struct(marker::SET, SetVisitor(PhantomData))
}

/// The same for an `Option` of a set: `None` is `undefined`, as for `Option<js::Set>`.
pub mod option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serializes `Some` as a `Set`, `None` as `undefined`.
    pub fn serialize<'v, C, T, S>(value: &'v Option<C>, serializer: S) -> Result<S::Ok, S::Error>
    where
        &'v C: IntoIterator<Item = &'v T>,
        T: Serialize + 'v,
        S: Serializer,
    {
        match value {
            Some(set) => serializer.serialize_some(&Via(set, std::marker::PhantomData)),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes what `Option<js::Set>` reads into an `Option` of the set type.
    pub fn deserialize<'de, C, T, D>(deserializer: D) -> Result<Option<C>, D::Error>
    where
        C: FromIterator<T>,
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Option::<Via<C, T>>::deserialize(deserializer)?.map(|via| via.0))
    }

    /// One set through the parent module (`C` a value or a reference, `T` its values).
    struct Via<C, T>(C, std::marker::PhantomData<T>);

    impl<'v, C, T> Serialize for Via<&'v C, &'v T>
    where
        &'v C: IntoIterator<Item = &'v T>,
        T: Serialize + 'v,
    {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            super::serialize(self.0, serializer)
        }
    }

    impl<'de, C, T> Deserialize<'de> for Via<C, T>
    where
        C: FromIterator<T>,
        T: Deserialize<'de>,
    {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d).map(|set| Via(set, std::marker::PhantomData))
        }
    }
}
