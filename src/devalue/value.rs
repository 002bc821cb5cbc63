//! [`Value`]: any JavaScript value devalue can carry, as [`parse`](super::parse) returns it.

use serde::ser::{SerializeMap, SerializeSeq, SerializeTuple};
use serde::{Serialize, Serializer};

use super::{base64, text::array_index};
use crate::js;
use crate::marker;

/// A JavaScript value as devalue carries it.
///
/// Its [`Serialize`] implementation is meant for [`to_string`](super::to_string), which writes
/// it back as devalue would (`to_string(&parse(s)?)` is `s` when `s` has no shared references);
/// other formats get a plain-data approximation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `undefined`.
    Undefined,
    /// A hole of a sparse array (only inside [`Value::Array`]).
    Hole,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, including NaN, ±Infinity and -0.
    Number(f64),
    /// A string.
    String(String),
    /// A `bigint`, as its decimal string (e.g. `"-12"`).
    BigInt(String),
    /// A `Date`.
    Date(js::Date),
    /// A `URL`, as its href.
    Url(String),
    /// A `URLSearchParams`, as its `toString()` (`a=1&b=+`).
    UrlSearchParams(String),
    /// A `RegExp`.
    RegExp {
        /// The pattern (`source`).
        source: String,
        /// The flags, e.g. `"gi"`, possibly empty.
        flags: String,
    },
    /// An array; holes are [`Value::Hole`].
    Array(Vec<Value>),
    /// A plain object, its entries in `Object.keys` order.
    Object(Vec<(String, Value)>),
    /// An object with a `null` prototype (`Object.create(null)`).
    NullProtoObject(Vec<(String, Value)>),
    /// A `Map`, its entries in insertion order.
    Map(Vec<(Value, Value)>),
    /// A `Set`, its values in insertion order.
    Set(Vec<Value>),
    /// A boxed primitive (`Object(5)`, `Object("s")`).
    Boxed(Box<Value>),
    /// A `Uint8Array` over a whole buffer: the bytes.
    Bytes(Vec<u8>),
    /// An `ArrayBuffer`: its bytes.
    ArrayBuffer(Vec<u8>),
    /// Any other typed array or `DataView`, or a `Uint8Array` over part of its buffer.
    TypedArray {
        /// The constructor name, e.g. `"Int16Array"` or `"DataView"`.
        kind: String,
        /// The whole underlying `ArrayBuffer`.
        buffer: Vec<u8>,
        /// `(byteOffset, length)` when the view covers only part of the buffer (`length` in
        /// elements; in bytes for a `DataView`).
        view: Option<(u64, u64)>,
    },
    /// A `Temporal` object, e.g. kind `"Temporal.PlainDate"`, value `"2024-01-01"`.
    Temporal {
        /// The tag, e.g. `"Temporal.Instant"`.
        kind: String,
        /// Its `toString()`.
        value: String,
    },
}

impl Value {
    /// The name of the JavaScript type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Undefined | Value::Hole => "undefined",
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::BigInt(_) => "bigint",
            Value::Date(_) => "Date",
            Value::Url(_) => "URL",
            Value::UrlSearchParams(_) => "URLSearchParams",
            Value::RegExp { .. } => "RegExp",
            Value::Array(_) => "Array",
            Value::Object(_) => "object",
            Value::NullProtoObject(_) => "null-prototype object",
            Value::Map(_) => "Map",
            Value::Set(_) => "Set",
            Value::Boxed(_) => "boxed primitive",
            Value::Bytes(_) => "Uint8Array",
            Value::ArrayBuffer(_) => "ArrayBuffer",
            Value::TypedArray { .. } => "typed array",
            Value::Temporal { .. } => "Temporal",
        }
    }
}

/// Entries of an object in `Object.keys` order: array-index keys ascending, then the rest.
fn js_order(entries: &[(String, Value)]) -> Vec<&(String, Value)> {
    let mut sorted: Vec<_> = entries.iter().collect();
    if entries.iter().any(|(k, _)| array_index(k).is_some()) {
        sorted.sort_by_key(|(k, _)| array_index(k).map_or(u64::MAX, u64::from));
    }
    sorted
}

struct Literals<'a>(&'a [&'a str]);

impl Serialize for Literals<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_tuple(self.0.len())?;
        for s in self.0 {
            seq.serialize_element(s)?;
        }
        seq.end()
    }
}

struct ArrayBufferOf<'a>(&'a [u8]);

impl Serialize for ArrayBufferOf<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let b64 = base64::encode(self.0);
        serializer.serialize_newtype_struct(marker::LITERALS, &Literals(&["ArrayBuffer", &b64]))
    }
}

struct Ref1<'a, T: ?Sized> {
    tag: &'a str,
    value: &'a T,
    rest: Option<(u64, u64)>,
}

impl<T: ?Sized + Serialize> Serialize for Ref1<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_tuple(2 + if self.rest.is_some() { 2 } else { 0 })?;
        seq.serialize_element(self.tag)?;
        seq.serialize_element(self.value)?;
        if let Some((a, b)) = self.rest {
            seq.serialize_element(&a)?;
            seq.serialize_element(&b)?;
        }
        seq.end()
    }
}

struct Hole;

impl Serialize for Hole {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(marker::HOLE, &())
    }
}

/// `len, idx, value, …` of a sparse array.
struct Sparse<'a>(&'a [Value]);

impl Serialize for Sparse<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        seq.serialize_element(&(self.0.len() as u64))?;
        for (i, v) in self.0.iter().enumerate() {
            if *v != Value::Hole {
                seq.serialize_element(&(i as u64))?;
                seq.serialize_element(v)?;
            }
        }
        seq.end()
    }
}

/// `key, value, …` of a null-prototype object.
struct KeyValues<'a>(&'a [(String, Value)]);

impl Serialize for KeyValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for (k, v) in js_order(self.0) {
            seq.serialize_element(k)?;
            seq.serialize_element(v)?;
        }
        seq.end()
    }
}

/// Whether devalue writes this array in its sparse form (`[-7,len,idx,val…]`): decided at the
/// first hole by comparing the cost of `-2` per hole with the cost of listing indices.
fn is_sparse(items: &[Value]) -> bool {
    if !items.contains(&Value::Hole) {
        return false;
    }
    let len = items.len() as u64;
    let populated = items.iter().filter(|v| **v != Value::Hole).count() as u64;
    let digits = len.to_string().len() as u64;
    (len - populated) * 3 > 4 + digits + populated * (digits + 1)
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Undefined => serializer.serialize_unit(),
            Value::Hole => Hole.serialize(serializer),
            Value::Null => serializer.serialize_unit_struct("null"),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => serializer.serialize_f64(*n),
            Value::String(s) => serializer.serialize_str(s),
            Value::BigInt(s) => serializer.serialize_newtype_struct(marker::BIGINT, s.as_str()),
            Value::Date(d) => d.serialize(serializer),
            Value::Url(s) => serializer.serialize_newtype_struct(marker::URL, s.as_str()),
            Value::UrlSearchParams(s) => serializer
                .serialize_newtype_struct(marker::LITERALS, &Literals(&["URLSearchParams", s])),
            Value::RegExp { source, flags } => {
                let parts: &[&str] = if flags.is_empty() {
                    &["RegExp", source]
                } else {
                    &["RegExp", source, flags]
                };
                serializer.serialize_newtype_struct(marker::LITERALS, &Literals(parts))
            }
            Value::Array(items) if is_sparse(items) => {
                serializer.serialize_newtype_struct(marker::SPARSE, &Sparse(items))
            }
            Value::Array(items) => items.serialize(serializer),
            Value::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in js_order(entries) {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Value::NullProtoObject(entries) => {
                serializer.serialize_newtype_struct(marker::NULL_PROTO, &KeyValues(entries))
            }
            Value::Map(entries) => serializer.serialize_newtype_struct(marker::MAP, entries),
            Value::Set(values) => serializer.serialize_newtype_struct(marker::SET, values),
            Value::Boxed(inner) => serializer.serialize_newtype_struct(
                marker::REF1,
                &Ref1 {
                    tag: "Object",
                    value: &**inner,
                    rest: None,
                },
            ),
            Value::Bytes(bytes) => serializer.serialize_bytes(bytes),
            Value::ArrayBuffer(bytes) => ArrayBufferOf(bytes).serialize(serializer),
            Value::TypedArray { kind, buffer, view } => serializer.serialize_newtype_struct(
                marker::REF1,
                &Ref1 {
                    tag: kind,
                    value: &ArrayBufferOf(buffer),
                    rest: *view,
                },
            ),
            Value::Temporal { kind, value } => {
                serializer.serialize_newtype_struct(marker::LITERALS, &Literals(&[kind, value]))
            }
        }
    }
}
