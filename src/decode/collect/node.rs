//! [`Node`]: a deserializer over a JSON value (or none) that knows the path of every value it
//! hands out and words its errors as zod's issues.

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

use super::error::NodeError;
use super::issues::{expecting_of, issue_from_serde, js_only, refused_text, stand_in_text};
use super::wildcard::Wildcard;
use super::{Path, State};
use crate::check::issue as zod;
use crate::error::{Issue, PathSegment};

impl NodeError {
    fn kind_mismatch(path: &Path, expected: &str, received: Slot<'_>) -> Self {
        NodeError::with_issue(path, zod::invalid_type(expected, kind_of(received)))
    }
}

/// The stand-ins for JSON numbers too large for a double, which JavaScript reads as
/// `Infinity` and `-Infinity` (`1e400`).
pub(crate) const INFINITY: [&str; 2] = [crate::marker::INFINITY, crate::marker::NEG_INFINITY];

fn infinity_of(value: &Value) -> Option<f64> {
    match value {
        Value::String(text) if text == INFINITY[0] => Some(f64::INFINITY),
        Value::String(text) if text == INFINITY[1] => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// What zod expects of a scalar, from the Rust type asked for.
#[derive(Clone, Copy)]
enum Expect {
    /// A value of this JavaScript type (`string`, `boolean`).
    Type(&'static str),
    /// A finite number.
    Float,
    /// A whole number in this range (`z.number().int().min(..).max(..)`).
    Int(i128, i128),
}

impl Expect {
    fn name(self) -> &'static str {
        match self {
            Expect::Type(name) => name,
            Expect::Float | Expect::Int(..) => "number",
        }
    }

    /// The issue for `value`, which serde refused.
    fn issue(self, value: &Value) -> Issue {
        match (self, value) {
            (Expect::Int(min, max), Value::Number(n)) => {
                let float = n.as_f64().unwrap_or(0.0);
                let int = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
                match int {
                    None if float.fract() != 0.0 => zod::not_an_int(),
                    _ => {
                        let int = int.unwrap_or(float as i128);
                        if int < min {
                            zod::bound(false, "number", min as f64, true, false)
                        } else if int > max {
                            zod::bound(true, "number", max as f64, true, false)
                        } else {
                            zod::invalid_type("number", "number")
                        }
                    }
                }
            }
            _ => zod::invalid_type(self.name(), kind_of(Slot::Value(value))),
        }
    }
}

#[derive(Clone, Copy)]
pub(super) enum Slot<'a> {
    Undefined,
    Value(&'a Value),
}

/// The JavaScript type of a value, as zod names it in "received ...".
fn kind_of(slot: Slot<'_>) -> &'static str {
    match slot {
        Slot::Undefined => "undefined",
        Slot::Value(Value::Null) => "null",
        Slot::Value(Value::Bool(_)) => "boolean",
        Slot::Value(Value::Number(_)) => "number",
        // zod names a non-finite number by its value, whatever it expected.
        Slot::Value(value @ Value::String(_)) if infinity_of(value).is_some() => {
            if infinity_of(value) == Some(f64::INFINITY) {
                "Infinity"
            } else {
                "-Infinity"
            }
        }
        Slot::Value(Value::String(_)) => "string",
        Slot::Value(Value::Array(_)) => "array",
        Slot::Value(Value::Object(_)) => "object",
    }
}

pub(super) struct Node<'a> {
    pub(super) value: Slot<'a>,
    pub(super) path: Path,
    pub(super) state: &'a State,
}

impl<'a> Node<'a> {
    fn is_wild(&self) -> bool {
        self.state.wild.contains(&self.path)
    }

    fn child(&self, segment: PathSegment, value: Slot<'a>) -> Node<'a> {
        let mut path = self.path.clone();
        path.push(segment);
        Node {
            value,
            path,
            state: self.state,
        }
    }

    fn visit_object<V: Visitor<'a>>(
        self,
        map: &'a serde_json::Map<String, Value>,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        if !fields.is_empty() {
            self.state
                .orders
                .borrow_mut()
                .entry(self.path.clone())
                .or_insert(fields);
        }
        let access = ObjectAccess {
            entries: map.iter(),
            inserted: fields
                .iter()
                .filter(|field| !map.contains_key(**field))
                .filter(|field| {
                    let mut path = self.path.clone();
                    path.push(PathSegment::Key((**field).to_owned()));
                    self.state.wild.contains(&path) || self.state.undefined.contains(&path)
                })
                .copied()
                .collect::<Vec<_>>()
                .into_iter(),
            pending: None,
            node: &self,
        };
        visitor.visit_map(access).map_err(|err| err.at(&self.path))
    }

    fn visit_array<V: Visitor<'a>>(
        self,
        items: &'a [Value],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        let access = ArrayAccess {
            items: items.iter().enumerate(),
            node: &self,
        };
        visitor.visit_seq(access).map_err(|err| err.at(&self.path))
    }

    /// Delegates a scalar request to serde_json's own deserializer for the value.
    fn scalar<V, F>(self, visitor: V, expect: Expect, f: F) -> Result<V::Value, NodeError>
    where
        V: Visitor<'a>,
        F: FnOnce(&'a Value, V) -> Result<V::Value, serde_json::Error>,
    {
        match self.value {
            Slot::Undefined => Err(NodeError::kind_mismatch(
                &self.path,
                expect.name(),
                self.value,
            )),
            Slot::Value(value) => {
                if let Some(infinity) = infinity_of(value) {
                    let issue = match expect {
                        Expect::Float | Expect::Int(..) => zod::not_a_finite_number(infinity),
                        Expect::Type("unknown") => {
                            self.state.untyped_infinity.set(true);
                            zod::invalid_type("unknown", kind_of(self.value))
                        }
                        Expect::Type(name) => zod::invalid_type(name, kind_of(self.value)),
                    };
                    return Err(NodeError::with_issue(&self.path, issue));
                }
                // A string where a string is expected: the type refused its text.
                let expecting =
                    matches!((expect, value), (Expect::Type("string"), Value::String(_)))
                        .then(|| expecting_of(&visitor));
                f(value, visitor).map_err(|err| {
                    let issue = match &expecting {
                        Some(expecting) => refused_text(expecting, &err.to_string()),
                        None => expect.issue(value),
                    };
                    NodeError::with_issue(&self.path, issue)
                })
            }
        }
    }
}

macro_rules! scalar_methods {
    ($($method:ident => $expect:expr),* $(,)?) => {
        $(
            fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
                if self.is_wild() {
                    return Wildcard.$method(visitor);
                }
                self.scalar(visitor, $expect, |value, visitor| value.$method(visitor))
            }
        )*
    };
}

const fn int_range(min: i128, max: i128) -> Expect {
    Expect::Int(min, max)
}

impl<'a> Deserializer<'a> for Node<'a> {
    type Error = NodeError;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_any(visitor);
        }
        match self.value {
            Slot::Undefined => visitor.visit_unit(),
            Slot::Value(Value::Object(map)) => self.visit_object(map, &[], visitor),
            Slot::Value(Value::Array(items)) => self.visit_array(items, visitor),
            Slot::Value(_) => self.scalar(visitor, Expect::Type("unknown"), |value, visitor| {
                value.deserialize_any(visitor)
            }),
        }
    }

    scalar_methods! {
        deserialize_bool => Expect::Type("boolean"),
        deserialize_i8 => int_range(i8::MIN as i128, i8::MAX as i128),
        deserialize_i16 => int_range(i16::MIN as i128, i16::MAX as i128),
        deserialize_i32 => int_range(i32::MIN as i128, i32::MAX as i128),
        deserialize_i64 => int_range(i64::MIN as i128, i64::MAX as i128),
        deserialize_i128 => int_range(i128::MIN, i128::MAX),
        deserialize_u8 => int_range(0, u8::MAX as i128),
        deserialize_u16 => int_range(0, u16::MAX as i128),
        deserialize_u32 => int_range(0, u32::MAX as i128),
        deserialize_u64 => int_range(0, u64::MAX as i128),
        deserialize_u128 => int_range(0, i128::MAX),
        deserialize_f32 => Expect::Float, deserialize_f64 => Expect::Float,
        deserialize_char => Expect::Type("string"),
        deserialize_bytes => Expect::Type("string"), deserialize_byte_buf => Expect::Type("string"),
        deserialize_identifier => Expect::Type("string"),
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            // A text the type accepts, so that the next pass reads the other fields.
            let stand_in = stand_in_text(&expecting_of(&visitor));
            return visitor.visit_str(stand_in);
        }
        self.scalar(visitor, Expect::Type("string"), |value, visitor| {
            value.deserialize_str(visitor)
        })
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_option(visitor);
        }
        match self.value {
            Slot::Undefined | Slot::Value(Value::Null) => visitor.visit_none(),
            Slot::Value(_) => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_unit(visitor);
        }
        match self.value {
            Slot::Undefined | Slot::Value(Value::Null) => visitor.visit_unit(),
            other => Err(NodeError::kind_mismatch(&self.path, "undefined", other)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        if name == crate::marker::RAW_JSON && matches!(self.value, Slot::Undefined) {
            return visitor.visit_none();
        }
        if let Some(expected) = js_only(name) {
            if self.is_wild() {
                return visitor.visit_newtype_struct(0u64.into_deserializer());
            }
            // `js::Date` and `js::BigInt` read what `z.coerce.date()`/`z.coerce.bigint()`
            // would; anything else (undefined and null included) is zod's type issue.
            if matches!(self.value, Slot::Undefined | Slot::Value(Value::Null)) {
                return Err(NodeError::kind_mismatch(&self.path, expected, self.value));
            }
            let (path, value) = (self.path.clone(), self.value);
            return visitor
                .visit_newtype_struct(self)
                .map_err(|_| NodeError::kind_mismatch(&path, expected, value));
        }
        if name == crate::marker::UPLOADED_FILE {
            if self.is_wild() {
                let stand_in = crate::UploadedFile::new("", "", bytes::Bytes::new());
                return crate::form_data::hand_off(
                    crate::form_data::Handoff::File(stand_in),
                    |token| visitor.visit_str(token),
                );
            }
            // JSON cannot carry a file (zod's `z.instanceof(File)`).
            return Err(NodeError::with_issue(
                &self.path,
                zod::not_a_file(kind_of(self.value)),
            ));
        }
        let path = self.path.clone();
        if self.is_wild() {
            let stand_in = stand_in_text(&expecting_of(&visitor));
            if !stand_in.is_empty() {
                // A text the type accepts, so that the next pass reads the other fields.
                return visitor.visit_newtype_struct(stand_in.into_deserializer());
            }
        }
        // A string the newtype's visitor refused after reading it (a URL that does not parse).
        let expecting = matches!(self.value, Slot::Value(Value::String(_)) if !self.is_wild())
            .then(|| expecting_of(&visitor));
        visitor
            .visit_newtype_struct(self)
            .map_err(|err| match expecting {
                Some(expecting) if err.issue.is_none() && err.path.is_none() => {
                    NodeError::with_issue(&path, refused_text(&expecting, &err.message))
                }
                _ => err.at(&path),
            })
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_seq(visitor);
        }
        match self.value {
            Slot::Value(Value::Array(items)) => self.visit_array(items, visitor),
            other => Err(NodeError::kind_mismatch(&self.path, "array", other)),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            // As many stand-ins as the tuple has items (a `[key, value]` pair of a `Map`).
            return Wildcard.deserialize_tuple(len, visitor);
        }
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        self.deserialize_struct("", &[], visitor)
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_struct("", fields, visitor);
        }
        match self.value {
            Slot::Value(Value::Object(map)) => self.visit_object(map, fields, visitor),
            other => Err(NodeError::kind_mismatch(&self.path, "object", other)),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_enum(name, variants, visitor);
        }
        match self.value {
            Slot::Value(value @ Value::Object(_)) => {
                let path = self.path.clone();
                value
                    .deserialize_enum(name, variants, visitor)
                    .map_err(|err| {
                        NodeError::with_issue(&path, issue_from_serde(Vec::new(), &err.to_string()))
                    })
            }
            Slot::Value(value @ Value::String(text)) if variants.contains(&text.as_str()) => {
                let path = self.path.clone();
                value
                    .deserialize_enum(name, variants, visitor)
                    .map_err(|err| {
                        NodeError::with_issue(&path, zod::invalid_type("string", &err.to_string()))
                    })
            }
            _ => Err(NodeError::with_issue(
                &self.path,
                zod::invalid_value(variants),
            )),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_unit()
    }
}

struct ObjectAccess<'a, 'n> {
    entries: serde_json::map::Iter<'a>,
    inserted: std::vec::IntoIter<&'static str>,
    pending: Option<Node<'a>>,
    node: &'n Node<'a>,
}

impl<'a> MapAccess<'a> for ObjectAccess<'a, '_> {
    type Error = NodeError;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, NodeError> {
        let unknown = self
            .node
            .state
            .unknown
            .iter()
            .find(|(path, _)| *path == self.node.path)
            .map(|(_, keys)| keys);
        let next = self
            .entries
            .find(|(key, _)| !unknown.is_some_and(|keys| keys.contains(key)));
        if let Some((key, value)) = next {
            self.pending = Some(
                self.node
                    .child(PathSegment::Key(key.clone()), Slot::Value(value)),
            );
            return seed.deserialize(key.as_str().into_deserializer()).map(Some);
        }
        if let Some(field) = self.inserted.next() {
            self.pending = Some(
                self.node
                    .child(PathSegment::Key(field.to_owned()), Slot::Undefined),
            );
            return seed.deserialize(field.into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, NodeError> {
        let node = self.pending.take().ok_or_else(|| {
            <NodeError as de::Error>::custom("a value was asked for before its key")
        })?;
        let path = node.path.clone();
        seed.deserialize(node).map_err(|err| err.at(&path))
    }
}

struct ArrayAccess<'a, 'n> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    node: &'n Node<'a>,
}

impl<'a> SeqAccess<'a> for ArrayAccess<'a, '_> {
    type Error = NodeError;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, NodeError> {
        let Some((index, value)) = self.items.next() else {
            return Ok(None);
        };
        let node = self
            .node
            .child(PathSegment::Index(index), Slot::Value(value));
        let path = node.path.clone();
        seed.deserialize(node)
            .map(Some)
            .map_err(|err| err.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}
