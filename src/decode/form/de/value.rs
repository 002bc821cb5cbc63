//! [`ValueDe`]: the deserializer of one field's form values, with Astro's coercion.

use std::borrow::Cow;

use bytes::Bytes;
use serde::de::value::StrDeserializer;
use serde::de::{self, Visitor};

use crate::Issue;
use crate::check::issue as zod;
use crate::decode::collect::{Expecting, stand_in_text};
use crate::form_data::{FormValue, UploadedFile};
use crate::form_data::{Handoff, hand_off};
use crate::marker;

use super::access::{Elements, Entries, Fields, FileEntries};
use super::number::{Num, js_number};
use super::path::Pos;
use super::{Error, Problem, missing, nan, not_finite};

/// Where a value comes from.
pub(super) enum Src<'f> {
    /// A named field: the form key `key` (its first value, or its last for map entries).
    Field { key: Cow<'f, str>, last: bool },
    /// One element of a repeated key.
    Element(&'f FormValue),
}

/// One value of the input: a field, a map entry or a sequence element.
pub(super) struct ValueDe<'c, 'f> {
    pub(super) pos: Pos<'c, 'f>,
    pub(super) src: Src<'f>,
}

impl<'c, 'f> ValueDe<'c, 'f> {
    pub(super) fn is_field(&self) -> bool {
        matches!(self.src, Src::Field { .. })
    }

    /// The value that scalars read: the key's first value (last for map entries), or the
    /// element.
    pub(super) fn value(&self) -> Option<&'f FormValue> {
        let form = self.pos.ctx.form;
        match &self.src {
            Src::Field { key, last: false } => form.get(key),
            Src::Field { key, last: true } => form
                .iter()
                .filter(|(name, _)| name == key)
                .map(|(_, value)| value)
                .last(),
            Src::Element(value) => Some(value),
        }
    }

    /// The prefix of nested keys (`key.`), for fields.
    pub(super) fn nested_prefix(&self) -> Option<String> {
        match &self.src {
            Src::Field { key, .. } => Some(format!("{key}.")),
            Src::Element(_) => None,
        }
    }

    /// Whether the form has a key nested under this field's (`key.…`).
    pub(super) fn has_nested(&self) -> bool {
        let Src::Field { key: field, .. } = &self.src else {
            return false;
        };
        self.pos.ctx.form.iter().any(|(key, _)| {
            key.strip_prefix(field.as_ref())
                .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// What an element is, for "received …" messages.
    pub(super) fn received(&self) -> &'static str {
        match self.value() {
            Some(FormValue::File(_)) => "File",
            Some(FormValue::Text(_)) => "string",
            None => "undefined",
        }
    }

    /// The text of a scalar field: absent or `""` (for fields) is missing, a file is rejected.
    pub(super) fn text(&self, expected: &str) -> Result<&'f str, Problem> {
        match self.value() {
            None => Err(missing(expected)),
            Some(FormValue::Text(text)) if text.is_empty() && self.is_field() => {
                Err(missing(expected))
            }
            Some(FormValue::Text(text)) => Ok(text),
            Some(FormValue::File(_)) => Err(zod::invalid_type(expected, "File")),
        }
    }

    /// The number of a numeric field or element (Astro: `Number(value)`).
    pub(super) fn number(&self) -> Result<Num, Problem> {
        match self.value() {
            None => Err(missing("number")),
            Some(FormValue::Text(text)) if text.is_empty() && self.is_field() => {
                Err(missing("number"))
            }
            Some(FormValue::Text(text)) => js_number(text).ok_or_else(nan),
            Some(FormValue::File(_)) => Err(nan()),
        }
    }

    /// A finite float.
    pub(super) fn float(&self) -> Result<f64, Problem> {
        match self.number()? {
            Num::Int(int) => Ok(int as f64),
            Num::Float(float) if float.is_finite() => Ok(float),
            Num::Float(float) => Err(not_finite(float)),
        }
    }

    /// An integer in `min..=max`.
    pub(super) fn int(&self, min: i128, max: i128) -> Result<i128, Problem> {
        let int = match self.number()? {
            Num::Int(int) => int,
            Num::Float(float) if !float.is_finite() => return Err(not_finite(float)),
            Num::Float(float) if float.fract() != 0.0 => return Err(zod::not_an_int()),
            // Saturates beyond i128, where the range check below fails anyway.
            Num::Float(float) => float as i128,
        };
        if int < min {
            Err(zod::bound(false, "number", min as f64, true, false))
        } else if int > max {
            Err(zod::bound(true, "number", max as f64, true, false))
        } else {
            Ok(int)
        }
    }

    pub(super) fn visit_int<'de, V: Visitor<'de>>(
        self,
        min: i128,
        max: i128,
        visitor: V,
        visit: impl FnOnce(V, i128) -> Result<V::Value, Error>,
    ) -> Result<V::Value, Error> {
        self.visit_with(self.int(min, max), 0, |n| visit(visitor, n))
    }

    /// Visits `value`, or records the problem and visits a stand-in so that decoding goes on
    /// and finds the other issues.
    pub(super) fn visit_with<T, R>(
        &self,
        value: Result<T, Problem>,
        stand_in: T,
        visit: impl FnOnce(T) -> Result<R, Error>,
    ) -> Result<R, Error> {
        match value {
            Ok(value) => visit(value).map_err(|e| self.pos.locate(e)),
            Err(problem) => {
                self.pos.record(problem);
                visit(stand_in).map_err(|_| Error::Recorded)
            }
        }
    }

    /// Whether this value was in error on an earlier pass (it is then read as a stand-in).
    fn is_wild(&self) -> bool {
        !self.pos.ctx.wild.is_empty() && self.pos.ctx.wild.contains(&self.pos.path())
    }

    pub(super) fn not_for_elements(&self, expected: &str) -> Error {
        self.pos.fail(zod::invalid_type(expected, self.received()))
    }
}

macro_rules! ints {
    ($($method:ident: $ty:ty => $visit:ident;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.visit_int(<$ty>::MIN as i128, <$ty>::MAX as i128, visitor, |visitor, n| {
                    visitor.$visit(n as $ty)
                })
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for ValueDe<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match self.value() {
            Some(FormValue::Text(text)) => visitor.visit_str(text),
            Some(FormValue::File(file)) => visitor.visit_map(FileEntries { file, index: 0 }),
            None => match self.nested_prefix().filter(|_| self.has_nested()) {
                Some(prefix) => visitor.visit_map(Entries::new(self.pos, prefix)),
                None => visitor.visit_unit(),
            },
        };
        result.map_err(|e| self.pos.locate(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = match self.value() {
            Some(FormValue::Text(text)) if text == "true" => true,
            Some(FormValue::Text(text)) if text == "false" => false,
            // Astro: `Boolean(v)` for array elements, `fd.has(k)` for fields.
            Some(FormValue::Text(text)) if !self.is_field() => !text.is_empty(),
            Some(_) => true,
            None => false,
        };
        visitor.visit_bool(value).map_err(|e| self.pos.locate(e))
    }

    ints! {
        deserialize_i8: i8 => visit_i8;
        deserialize_i16: i16 => visit_i16;
        deserialize_i32: i32 => visit_i32;
        deserialize_i64: i64 => visit_i64;
        deserialize_i128: i128 => visit_i128;
        deserialize_u8: u8 => visit_u8;
        deserialize_u16: u16 => visit_u16;
        deserialize_u32: u32 => visit_u32;
        deserialize_u64: u64 => visit_u64;
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Numbers past i128 are far beyond what JavaScript keeps exact anyway.
        self.visit_int(0, i128::MAX, visitor, |visitor, n| {
            visitor.visit_u128(n as u128)
        })
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_with(self.float(), 0.0, |n| visitor.visit_f64(n))
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = self.float().and_then(|n| {
            let narrow = n as f32;
            match narrow.is_finite() {
                true => Ok(narrow),
                false if n > 0.0 => Err(zod::bound(true, "number", f32::MAX as f64, true, false)),
                false => Err(zod::bound(false, "number", f32::MIN as f64, true, false)),
            }
        });
        self.visit_with(value, 0.0, |n| visitor.visit_f32(n))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = self.text("string").and_then(|text| {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(Issue::invalid_type(
                    Vec::new(),
                    "Invalid input: expected a single character",
                )),
            }
        });
        self.visit_with(value, ' ', |c| visitor.visit_char(c))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_wild() {
            let stand_in = stand_in_text(Expecting::of(&visitor).as_str());
            return visitor
                .visit_str::<Error>(stand_in)
                .map_err(|_| Error::Recorded);
        }
        match self.text("string") {
            Ok(text) => {
                let expecting = Expecting::of(&visitor);
                visitor
                    .visit_str(text)
                    .map_err(|e| self.pos.refused(e, &expecting))
            }
            problem => self.visit_with(problem, "", |text| visitor.visit_str(text)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = match self.value() {
            Some(FormValue::File(file)) => Ok(&file.bytes()[..]),
            _ => self.text("string").map(str::as_bytes),
        };
        self.visit_with(value, &[][..], |bytes| visitor.visit_bytes(bytes))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let present = match self.value() {
            _ if !self.is_field() => true,
            Some(FormValue::Text(text)) => !text.is_empty(),
            Some(FormValue::File(_)) => true,
            None => self.has_nested(),
        };
        let pos = self.pos;
        let result = if present {
            visitor.visit_some(self)
        } else {
            visitor.visit_none()
        };
        result.map_err(|e| pos.locate(e))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit().map_err(|e| self.pos.locate(e))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match name {
            marker::UPLOADED_FILE => {
                let value = match self.value() {
                    Some(FormValue::File(file)) => Ok(file.clone()),
                    Some(FormValue::Text(text)) if !(text.is_empty() && self.is_field()) => {
                        Err(zod::not_a_file("string"))
                    }
                    _ => Err(missing("File")),
                };
                let stand_in = UploadedFile::new("", "", Bytes::new());
                self.visit_with(value, stand_in, |file| {
                    hand_off(Handoff::File(file), |token| visitor.visit_str(token))
                })
            }
            _ if crate::decode::collect::js_only(name).is_some() && self.is_wild() => visitor
                .visit_newtype_struct(serde::de::value::U64Deserializer::<Error>::new(0))
                .map_err(|_| Error::Recorded),
            _ if crate::decode::collect::js_only(name).is_some() => {
                // `js::Date` and `js::BigInt` read the text as `z.coerce` would; an absent or
                // empty field (null) and a file are zod's type issue.
                let expected = crate::decode::collect::js_only(name).unwrap_or("date");
                let problem = match self.value() {
                    Some(FormValue::Text(text)) if !(text.is_empty() && self.is_field()) => None,
                    Some(FormValue::File(_)) => Some(zod::invalid_type(expected, "File")),
                    _ => Some(missing(expected)),
                };
                match problem {
                    None => {
                        // The text is read muted: what it is not is zod's one type issue,
                        // not also the reader's own message.
                        let pos = self.pos;
                        let muted = ValueDe {
                            pos: Pos {
                                muted: true,
                                ..self.pos
                            },
                            src: self.src,
                        };
                        visitor
                            .visit_newtype_struct(muted)
                            .map_err(|_| pos.fail(zod::invalid_type(expected, "string")))
                    }
                    Some(problem) => {
                        self.pos.record(problem);
                        visitor
                            .visit_newtype_struct(serde::de::value::U64Deserializer::<Error>::new(
                                0,
                            ))
                            .map_err(|_| Error::Recorded)
                    }
                }
            }
            marker::FORM_DATA => Err(self.pos.fail(Issue::invalid_type(
                Vec::new(),
                "FormData can only be the whole input of an action",
            ))),
            _ if self.is_wild() && !stand_in_text(Expecting::of(&visitor).as_str()).is_empty() => {
                let stand_in = stand_in_text(Expecting::of(&visitor).as_str());
                visitor
                    .visit_newtype_struct(StrDeserializer::<Error>::new(stand_in))
                    .map_err(|_| Error::Recorded)
            }
            _ => {
                let pos = self.pos;
                // A text the newtype's visitor refused after reading it (a URL that does not
                // parse) is reported as the JSON decoder reports it.
                let expecting =
                    matches!(self.value(), Some(FormValue::Text(text)) if !text.is_empty())
                        .then(|| Expecting::of(&visitor));
                visitor
                    .visit_newtype_struct(self)
                    .map_err(|e| match &expecting {
                        Some(expecting) => pos.refused(e, expecting),
                        None => pos.locate(e),
                    })
            }
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Src::Field { key, .. } = &self.src else {
            return Err(self.not_for_elements("array"));
        };
        let values: Vec<&FormValue> = self.pos.ctx.form.get_all(key).collect();
        let elements = Elements {
            pos: self.pos,
            values: values.into_iter().enumerate(),
        };
        visitor.visit_seq(elements).map_err(|e| self.pos.locate(e))
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
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Some(prefix) = self.nested_prefix() else {
            return Err(self.not_for_elements("object"));
        };
        visitor
            .visit_map(Entries::new(self.pos, prefix))
            .map_err(|e| self.pos.locate(e))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let Some(prefix) = self.nested_prefix() else {
            return Err(self.not_for_elements("object"));
        };
        if self.has_nested() {
            visitor
                .visit_map(Fields::new(self.pos, prefix, fields))
                .map_err(|e| self.pos.locate(e))
        } else {
            self.pos.record(zod::invalid_type("object", "undefined"));
            // Walk the fields anyway, without reporting them, to find issues elsewhere.
            let muted = Pos {
                muted: true,
                ..self.pos
            };
            visitor
                .visit_map(Fields::new(muted, prefix, fields))
                .map_err(|_| Error::Recorded)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let variant = match self.value() {
            Some(FormValue::Text(text)) if variants.contains(&text.as_str()) => Ok(text.as_str()),
            _ => Err(zod::invalid_value(variants)),
        };
        let Some(&stand_in) = variants.first() else {
            return Err(self
                .pos
                .fail(variant.err().unwrap_or_else(|| missing("string"))));
        };
        self.visit_with(variant, stand_in, |variant| {
            visitor.visit_enum(StrDeserializer::<Error>::new(variant))
        })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}
