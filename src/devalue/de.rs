//! A serde `Deserializer` for [`Value`], so parsed devalue can become typed Rust data.
//!
//! JavaScript values map to serde's data model as plain data: `undefined` and `null` are unit
//! (and `None`), integral numbers are integers, a `Date` is its ISO string, a `Map` a sequence of
//! `(key, value)` pairs, a `Set` a sequence, a `URL` its href, a `bigint` its decimal string,
//! typed arrays and buffers bytes. The [`js`](crate::js) types ask for their own forms through
//! their private marker names.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeSeed, EnumAccess, IntoDeserializer, VariantAccess, Visitor};
use serde::forward_to_deserialize_any;

use super::{Error, Value};
use crate::marker;

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

impl<'de> IntoDeserializer<'de, Error> for Value {
    type Deserializer = Value;
    fn into_deserializer(self) -> Value {
        self
    }
}

fn pairs(entries: Vec<(Value, Value)>) -> Value {
    Value::Array(
        entries
            .into_iter()
            .map(|(k, v)| Value::Array(vec![k, v]))
            .collect(),
    )
}

fn visit_seq<'de, V: Visitor<'de>>(items: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
    let mut seq = SeqDeserializer::new(items.into_iter());
    let value = visitor.visit_seq(&mut seq)?;
    seq.end()?;
    Ok(value)
}

fn visit_map<'de, V: Visitor<'de>>(
    entries: Vec<(String, Value)>,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut map = MapDeserializer::new(entries.into_iter());
    let value = visitor.visit_map(&mut map)?;
    map.end()?;
    Ok(value)
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Undefined | Value::Hole | Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n)
                if n.fract() == 0.0
                    && n.abs() <= MAX_SAFE
                    && !(n == 0.0 && n.is_sign_negative()) =>
            {
                if n < 0.0 {
                    visitor.visit_i64(n as i64)
                } else {
                    visitor.visit_u64(n as u64)
                }
            }
            Value::Number(n) => visitor.visit_f64(n),
            Value::String(s) | Value::BigInt(s) | Value::Url(s) | Value::UrlSearchParams(s) => {
                visitor.visit_string(s)
            }
            Value::Temporal { value, .. } => visitor.visit_string(value),
            Value::Date(d) => match d.to_iso_string() {
                Some(iso) => visitor.visit_string(iso),
                None => visitor.visit_unit(),
            },
            Value::RegExp { source, flags } => visit_map(
                vec![
                    ("source".to_owned(), Value::String(source)),
                    ("flags".to_owned(), Value::String(flags)),
                ],
                visitor,
            ),
            Value::Array(items) | Value::Set(items) => visit_seq(items, visitor),
            Value::Map(entries) => pairs(entries).deserialize_any(visitor),
            Value::Object(entries) | Value::NullProtoObject(entries) => visit_map(entries, visitor),
            Value::Boxed(inner) => inner.deserialize_any(visitor),
            Value::Bytes(bytes) | Value::ArrayBuffer(bytes) => visitor.visit_byte_buf(bytes),
            Value::TypedArray { buffer, view, kind } => {
                let element = match kind.as_str() {
                    "Int16Array" | "Uint16Array" | "Float16Array" => 2,
                    "Int32Array" | "Uint32Array" | "Float32Array" => 4,
                    "Float64Array" | "BigInt64Array" | "BigUint64Array" => 8,
                    _ => 1,
                };
                let bytes = match view {
                    Some((offset, length)) => {
                        buffer[offset as usize..(offset + length * element) as usize].to_vec()
                    }
                    None => buffer,
                };
                visitor.visit_byte_buf(bytes)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Undefined | Value::Hole | Value::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Undefined | Value::Hole | Value::Null => visitor.visit_unit(),
            other => Err(Error::new(format!(
                "expected undefined or null, found {}",
                other.type_name()
            ))),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let value = match (name, self) {
            (marker::DATE, Value::Date(d)) => Value::Number(d.unix_millis()),
            (marker::MAP, Value::Map(entries)) => pairs(entries),
            (marker::SET, Value::Set(values)) => Value::Array(values),
            (marker::URL, Value::Url(href)) => Value::String(href),
            (marker::BIGINT, Value::BigInt(s)) => Value::String(s),
            (
                marker::DATE | marker::MAP | marker::SET | marker::URL | marker::BIGINT,
                Value::Boxed(inner),
            ) => *inner,
            (_, other) => other,
        };
        visitor.visit_newtype_struct(value)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visit_seq(items, visitor),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            // `Vec<u8>` and friends from a Uint8Array.
            Value::Bytes(bytes) | Value::ArrayBuffer(bytes) => visit_seq(
                bytes
                    .into_iter()
                    .map(|b| Value::Number(f64::from(b)))
                    .collect(),
                visitor,
            ),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            Value::Object(mut entries) if entries.len() == 1 => {
                let (variant, value) = entries.remove(0);
                visitor.visit_enum(Enum { variant, value })
            }
            other => Err(Error::new(format!(
                "expected an enum (a string, or an object with one key), found {}",
                other.type_name()
            ))),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        map struct identifier
    }
}

/// An externally tagged enum variant with data: `{"Variant": value}`.
struct Enum {
    variant: String,
    value: Value,
}

impl<'de> EnumAccess<'de> for Enum {
    type Error = Error;
    type Variant = Value;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Value), Error> {
        let variant = seed.deserialize(self.variant.into_deserializer())?;
        Ok((variant, self.value))
    }
}

impl<'de> VariantAccess<'de> for Value {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}
