//! Decoding a [`FormData`] into an action's input type, with Astro's form coercion.
//!
//! Astro turns a form into an object by walking the action's zod schema (`formDataToObject`,
//! protocol §4.2). Here the Rust input type plays the schema: a serde `Deserializer` over the
//! form lets each field's type decide how its form values are read.
//!
//! | field type | form value | result |
//! | --- | --- | --- |
//! | `bool` | absent / `false` / `true` / anything else (`on`, `yes`, `""`, a file) | `false` / `false` / `true` / `true` |
//! | integers, floats | first value, through JavaScript's `Number()` | the number; absent or `""` → "received null", `NaN` → "received NaN", a fraction or an out-of-range value for an integer type → an issue |
//! | `String`, `char` | first value | the text; absent or `""` → "received null", a file → "received File" |
//! | `Option<T>` | absent, `""`, or (for a struct) no `k.…` key | `None`, else `Some(T)` |
//! | `Vec<T>`, tuples | every value of the key (absent → empty) | elements with Astro's array rules: numbers `Number(v)` (`""` → 0, a file → NaN), bools `"true"`/`"false"`/`""` → true/false/false and anything else true, text and files raw |
//! | structs | keys `k.field`, to any depth | the struct; a required struct with no key is "expected object, received undefined" |
//! | maps (and `#[serde(flatten)]`) | every key under the prefix | last duplicate wins, like `Object.fromEntries` |
//! | unit enums | first value | the variant named by the text; anything else is an `invalid_value` issue |
//! | [`UploadedFile`](super::UploadedFile) | first value | the file; a text value → "expected File, received string" |
//! | [`FormData`] | the whole form, only as the whole input | the form untouched |
//! | `serde_json::Value` and other self-describing types | first value | the text (a file as `{name, size, type}`, nested `k.…` keys as an object, absent as null) |
//!
//! Form keys that are not declared fields are dropped. Every problem becomes an [`Issue`] at its
//! path (`["address", "city"]`, `["tags", 1]`); as many issues as can be found are reported.
//!
//! # Limitations
//!
//! - `#[serde(default)]` never applies: every declared field is handed to its type, even when
//!   the form lacks it (that is what makes an absent `bool` false and an absent `Vec` empty).
//!   Use `Option<T>` and a default in the handler instead.
//! - `#[serde(alias)]` is not supported: aliases are declared fields too, so both names are
//!   handed over and serde reports a duplicate field.
//! - With `#[serde(flatten)]` or internally tagged / untagged enums, serde buffers values
//!   through `deserialize_any`, so the fields of such structs see text only: numbers and bools
//!   there must be read from strings, and files are not available.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use bytes::Bytes;
use serde::de::value::{StrDeserializer, U64Deserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::check::issue as zod;
use crate::form_data::{FormData, FormValue, UploadedFile};
use crate::form_data::{Handoff, hand_off};
use crate::marker;
use crate::{ActionError, Issue, PathSegment};

/// Decodes `form` into `T` with Astro's form coercion (see the module docs).
///
/// `T` must be a struct or a map (or [`FormData`] itself). Any problem is an input error
/// (`ActionError::input`) whose issues carry the paths of the offending fields.
#[cfg(test)]
pub(crate) fn from_form<T: DeserializeOwned>(form: &FormData) -> Result<T, ActionError> {
    from_form_with(form, |_: &T| Vec::new())
}

/// Decodes `form` into `T` and validates it. When some fields fail to decode, the others are
/// still validated (with stand-ins in the failed places, whose issues are dropped), and the
/// issues come in zod's order: the fields' declaration order.
pub(crate) fn from_form_validated<T: DeserializeOwned + crate::validate::Validate>(
    form: &FormData,
) -> Result<T, ActionError> {
    from_form_with(form, |value: &T| value.validate().err().unwrap_or_default())
}

fn from_form_with<T: DeserializeOwned>(
    form: &FormData,
    validate: impl FnOnce(&T) -> Vec<Issue>,
) -> Result<T, ActionError> {
    let ctx = Ctx {
        form,
        issues: RefCell::new(Vec::new()),
        orders: None,
    };
    let result = T::deserialize(RootDe { ctx: &ctx });
    let mut issues = ctx.issues.into_inner();
    // The fields' declaration order, for issues in zod's order: found by decoding once more,
    // only when there is something to report (the first pass allocates nothing for it).
    let orders = || {
        let ctx = Ctx {
            form,
            issues: RefCell::new(Vec::new()),
            orders: Some(RefCell::new(std::collections::HashMap::new())),
        };
        let _ = T::deserialize(RootDe { ctx: &ctx });
        ctx.orders.map(RefCell::into_inner).unwrap_or_default()
    };
    match result {
        Ok(value) if issues.is_empty() => {
            let more = validate(&value);
            if more.is_empty() {
                return Ok(value);
            }
            issues = more;
            crate::decode::collect::sort_issues(&mut issues, &orders());
        }
        Ok(value) => {
            let failed: Vec<Vec<PathSegment>> = issues.iter().map(|i| i.path.clone()).collect();
            issues.extend(
                validate(&value)
                    .into_iter()
                    .filter(|issue| !failed.iter().any(|f| issue.path.starts_with(f))),
            );
            crate::decode::collect::sort_issues(&mut issues, &orders());
        }
        Err(Error::Recorded) => {}
        Err(Error::Custom(message)) => issues.push(Issue::invalid_type(Vec::new(), message)),
    }
    if issues.is_empty() {
        issues.push(Issue::invalid_type(Vec::new(), "Invalid input"));
    }
    Err(ActionError::input(issues))
}

/// The form being decoded, the issues found so far, and each struct's declared field order.
struct Ctx<'f> {
    form: &'f FormData,
    issues: RefCell<Vec<Issue>>,
    /// Each struct's declared fields, by path, when asked for.
    orders: Option<RefCell<std::collections::HashMap<Vec<PathSegment>, &'static [&'static str]>>>,
}

/// The deserializer's error.
#[derive(Debug)]
enum Error {
    /// A message from serde or a visitor, not yet placed at a path.
    Custom(String),
    /// The problem is already recorded as an issue; unwind.
    Recorded,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Custom(message) => f.write_str(message),
            Error::Recorded => f.write_str("invalid form input"),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::Custom(message.to_string())
    }
}

/// A problem found while coercing a value: zod's issue, without its path.
type Problem = Issue;

fn missing(expected: &str) -> Problem {
    if expected == "File" {
        return zod::not_a_file("null");
    }
    zod::invalid_type(expected, "null")
}

fn nan() -> Problem {
    zod::not_a_finite_number(f64::NAN)
}

/// `Infinity` or `-Infinity`, which zod's `z.number()` rejects.
fn not_finite(float: f64) -> Problem {
    zod::not_a_finite_number(float)
}

/// Where a value sits: its path, and whether issues found there are kept (they are not under
/// a required struct that is missing, whose fields are still walked to continue decoding).
///
/// The path is a chain of borrowed links to the parents' positions, so that walking into a
/// field costs nothing; it is written out as [`PathSegment`]s only when an issue is recorded.
#[derive(Clone, Copy)]
struct Pos<'c, 'f> {
    ctx: &'c Ctx<'f>,
    parent: Option<&'c Pos<'c, 'f>>,
    segment: Option<Segment<'f>>,
    muted: bool,
}

/// One step of a path, borrowed.
#[derive(Clone, Copy)]
enum Segment<'f> {
    Key(&'f str),
    Index(usize),
}

impl From<usize> for Segment<'_> {
    fn from(index: usize) -> Self {
        Segment::Index(index)
    }
}

impl<'f> From<&'f str> for Segment<'f> {
    fn from(key: &'f str) -> Self {
        Segment::Key(key)
    }
}

impl<'c, 'f> Pos<'c, 'f> {
    fn child<'a>(&'a self, segment: impl Into<Segment<'f>>) -> Pos<'a, 'f> {
        Pos {
            ctx: self.ctx,
            parent: Some(self),
            segment: Some(segment.into()),
            muted: self.muted,
        }
    }

    /// The path from the root to here.
    fn path(&self) -> Vec<PathSegment> {
        let mut path = Vec::new();
        let mut at = Some(self);
        while let Some(pos) = at {
            if let Some(segment) = pos.segment {
                path.push(match segment {
                    Segment::Key(key) => PathSegment::from(key),
                    Segment::Index(index) => PathSegment::from(index),
                });
            }
            at = pos.parent;
        }
        path.reverse();
        path
    }

    fn record(&self, mut issue: Problem) {
        if !self.muted {
            issue.path = self.path();
            self.ctx.issues.borrow_mut().push(issue);
        }
    }

    fn fail(&self, problem: Problem) -> Error {
        self.record(problem);
        Error::Recorded
    }

    /// Places an error that has no path yet at this one.
    fn locate(&self, error: Error) -> Error {
        match error {
            Error::Custom(message) => self.fail(Issue::invalid_type(Vec::new(), message)),
            Error::Recorded => Error::Recorded,
        }
    }
}

/// The whole form, as the root of the input.
struct RootDe<'c, 'f> {
    ctx: &'c Ctx<'f>,
}

impl<'c, 'f> RootDe<'c, 'f> {
    fn pos(&self) -> Pos<'c, 'f> {
        Pos {
            ctx: self.ctx,
            parent: None,
            segment: None,
            muted: false,
        }
    }

    fn not_an_object(what: &str) -> Error {
        Error::Custom(format!(
            "a form can only be decoded into a struct or a map, not {what}"
        ))
    }
}

macro_rules! root_rejects {
    ($($method:ident => $what:literal;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
                Err(Self::not_an_object($what))
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for RootDe<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(Entries::new(self.pos(), String::new()))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_map(Fields::new(self.pos(), String::new(), fields))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match name {
            marker::FORM_DATA => hand_off(Handoff::Form(self.ctx.form.clone()), |token| {
                visitor.visit_str(token)
            }),
            marker::UPLOADED_FILE => Err(Self::not_an_object("a file")),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(Self::not_an_object("a tuple"))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(Self::not_an_object("a tuple struct"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(Self::not_an_object("an enum"))
    }

    root_rejects! {
        deserialize_bool => "a bool";
        deserialize_i8 => "a number";
        deserialize_i16 => "a number";
        deserialize_i32 => "a number";
        deserialize_i64 => "a number";
        deserialize_i128 => "a number";
        deserialize_u8 => "a number";
        deserialize_u16 => "a number";
        deserialize_u32 => "a number";
        deserialize_u64 => "a number";
        deserialize_u128 => "a number";
        deserialize_f32 => "a number";
        deserialize_f64 => "a number";
        deserialize_char => "a string";
        deserialize_str => "a string";
        deserialize_string => "a string";
        deserialize_bytes => "bytes";
        deserialize_byte_buf => "bytes";
        deserialize_seq => "a sequence";
        deserialize_identifier => "an identifier";
    }
}

/// A struct's declared fields, each read from the form key `prefix + field`.
struct Fields<'c, 'f> {
    pos: Pos<'c, 'f>,
    prefix: String,
    fields: std::slice::Iter<'static, &'static str>,
    current: Option<&'static str>,
}

impl<'c, 'f> Fields<'c, 'f> {
    fn new(pos: Pos<'c, 'f>, prefix: String, fields: &'static [&'static str]) -> Self {
        if let Some(orders) = &pos.ctx.orders {
            orders.borrow_mut().entry(pos.path()).or_insert(fields);
        }
        Fields {
            pos,
            prefix,
            fields: fields.iter(),
            current: None,
        }
    }
}

impl<'de> MapAccess<'de> for Fields<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(&field) = self.fields.next() else {
            return Ok(None);
        };
        self.current = Some(field);
        seed.deserialize(StrDeserializer::<Error>::new(field))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let field = self
            .current
            .take()
            .ok_or_else(|| Error::Custom("a value was asked for before its key".to_owned()))?;
        let pos = self.pos.child(field);
        let de = ValueDe {
            pos,
            src: Src::Field {
                key: if self.prefix.is_empty() {
                    Cow::Borrowed(field)
                } else {
                    Cow::Owned(format!("{}{field}", self.prefix))
                },
                last: false,
            },
        };
        seed.deserialize(de).map_err(|e| pos.locate(e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

/// Every form key under a prefix, once each (the last duplicate's value wins), for maps.
struct Entries<'c, 'f> {
    pos: Pos<'c, 'f>,
    prefix_len: usize,
    keys: std::vec::IntoIter<&'f str>,
    current: Option<&'f str>,
}

impl<'c, 'f> Entries<'c, 'f> {
    fn new(pos: Pos<'c, 'f>, prefix: String) -> Self {
        let mut seen = HashSet::new();
        let keys: Vec<&'f str> = pos
            .ctx
            .form
            .iter()
            .map(|(key, _)| key)
            .filter(|key| key.starts_with(&prefix) && seen.insert(*key))
            .collect();
        Entries {
            pos,
            prefix_len: prefix.len(),
            keys: keys.into_iter(),
            current: None,
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(key) = self.keys.next() else {
            return Ok(None);
        };
        self.current = Some(key);
        let name = &key[self.prefix_len..];
        seed.deserialize(StrDeserializer::<Error>::new(name))
            .map(Some)
            .map_err(|e| self.pos.child(name).locate(e))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let key = self
            .current
            .take()
            .ok_or_else(|| Error::Custom("a value was asked for before its key".to_owned()))?;
        let pos = self.pos.child(&key[self.prefix_len..]);
        let de = ValueDe {
            pos,
            src: Src::Field {
                key: Cow::Borrowed(key),
                last: true,
            },
        };
        seed.deserialize(de).map_err(|e| pos.locate(e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.keys.len())
    }
}

/// The elements of a sequence: every value of a repeated key.
struct Elements<'c, 'f> {
    pos: Pos<'c, 'f>,
    values: std::iter::Enumerate<std::vec::IntoIter<&'f FormValue>>,
}

impl<'de> SeqAccess<'de> for Elements<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some((index, value)) = self.values.next() else {
            return Ok(None);
        };
        let pos = self.pos.child(index);
        let de = ValueDe {
            pos,
            src: Src::Element(value),
        };
        seed.deserialize(de).map(Some).map_err(|e| pos.locate(e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.values.len())
    }
}

/// A file seen by a self-describing type: `{name, size, type}`, as Astro serializes a `File`.
struct FileEntries<'f> {
    file: &'f UploadedFile,
    index: usize,
}

impl<'de> MapAccess<'de> for FileEntries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let key = match self.index {
            0 => "name",
            1 => "size",
            2 => "type",
            _ => return Ok(None),
        };
        seed.deserialize(StrDeserializer::<Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.index += 1;
        match self.index {
            1 => seed.deserialize(StrDeserializer::<Error>::new(self.file.name())),
            2 => seed.deserialize(U64Deserializer::<Error>::new(self.file.size() as u64)),
            _ => seed.deserialize(StrDeserializer::<Error>::new(self.file.content_type())),
        }
    }
}

/// Where a value comes from.
enum Src<'f> {
    /// A named field: the form key `key` (its first value, or its last for map entries).
    Field { key: Cow<'f, str>, last: bool },
    /// One element of a repeated key.
    Element(&'f FormValue),
}

/// One value of the input: a field, a map entry or a sequence element.
struct ValueDe<'c, 'f> {
    pos: Pos<'c, 'f>,
    src: Src<'f>,
}

/// A number as JavaScript's `Number()` reads it; integers written as plain decimals are kept
/// exact.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Num {
    Int(i128),
    Float(f64),
}

impl<'c, 'f> ValueDe<'c, 'f> {
    fn is_field(&self) -> bool {
        matches!(self.src, Src::Field { .. })
    }

    /// The value that scalars read: the key's first value (last for map entries), or the
    /// element.
    fn value(&self) -> Option<&'f FormValue> {
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
    fn nested_prefix(&self) -> Option<String> {
        match &self.src {
            Src::Field { key, .. } => Some(format!("{key}.")),
            Src::Element(_) => None,
        }
    }

    /// Whether the form has a key nested under this field's (`key.…`).
    fn has_nested(&self) -> bool {
        let Src::Field { key: field, .. } = &self.src else {
            return false;
        };
        self.pos.ctx.form.iter().any(|(key, _)| {
            key.strip_prefix(field.as_ref())
                .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// What an element is, for "received …" messages.
    fn received(&self) -> &'static str {
        match self.value() {
            Some(FormValue::File(_)) => "File",
            Some(FormValue::Text(_)) => "string",
            None => "undefined",
        }
    }

    /// The text of a scalar field: absent or `""` (for fields) is missing, a file is rejected.
    fn text(&self, expected: &str) -> Result<&'f str, Problem> {
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
    fn number(&self) -> Result<Num, Problem> {
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
    fn float(&self) -> Result<f64, Problem> {
        match self.number()? {
            Num::Int(int) => Ok(int as f64),
            Num::Float(float) if float.is_finite() => Ok(float),
            Num::Float(float) => Err(not_finite(float)),
        }
    }

    /// An integer in `min..=max`.
    fn int(&self, min: i128, max: i128) -> Result<i128, Problem> {
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

    fn visit_int<'de, V: Visitor<'de>>(
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
    fn visit_with<T, R>(
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

    fn not_for_elements(&self, expected: &str) -> Error {
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
        self.visit_with(self.text("string"), "", |text| visitor.visit_str(text))
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
                        let pos = self.pos;
                        visitor
                            .visit_newtype_struct(self)
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
            _ => {
                let pos = self.pos;
                visitor
                    .visit_newtype_struct(self)
                    .map_err(|e| pos.locate(e))
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

/// Whitespace as JavaScript's `String.prototype.trim` (and `Number()`) sees it.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// JavaScript's `Number(text)`; `None` for `NaN`.
///
/// Accepts, around optional whitespace: nothing (0), `0x`/`0o`/`0b` literals (unsigned),
/// `Infinity` with an optional sign, and decimals with an optional sign, fraction and exponent
/// (`1e3`, `+5`, `.5`, `5.`). Anything else (`abc`, `1_000`, `-0x10`, `1e`) is `NaN`.
fn js_number(text: &str) -> Option<Num> {
    let s = text.trim_matches(is_js_space);
    if s.is_empty() {
        return Some(Num::Int(0));
    }
    let bytes = s.as_bytes();
    if bytes.len() > 2 && bytes[0] == b'0' {
        let radix = match bytes[1] {
            b'x' | b'X' => Some(16),
            b'o' | b'O' => Some(8),
            b'b' | b'B' => Some(2),
            _ => None,
        };
        if let Some(radix) = radix {
            return radix_number(&s[2..], radix);
        }
    }
    let (negative, unsigned) = match bytes[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if unsigned == "Infinity" {
        let infinity = if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        return Some(Num::Float(infinity));
    }
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let int_len = digits(unsigned);
    let mut rest = &unsigned[int_len..];
    let mut frac_len = 0;
    if let Some(after_dot) = rest.strip_prefix('.') {
        frac_len = digits(after_dot);
        rest = &after_dot[frac_len..];
    }
    if int_len + frac_len == 0 {
        return None;
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if exponent.is_empty() || digits(exponent) != exponent.len() {
            return None;
        }
    } else if !rest.is_empty() {
        return None;
    }
    if int_len == unsigned.len() {
        if let Ok(int) = s.parse::<i128>() {
            // `-0` is a float in JavaScript.
            return Some(if int == 0 && negative {
                Num::Float(-0.0)
            } else {
                Num::Int(int)
            });
        }
    }
    s.parse::<f64>().ok().map(Num::Float)
}

fn radix_number(digits: &str, radix: u32) -> Option<Num> {
    let mut exact: Option<u128> = Some(0);
    let mut approx = 0.0_f64;
    for c in digits.chars() {
        let digit = c.to_digit(radix)?;
        exact = exact
            .and_then(|n| n.checked_mul(u128::from(radix)))
            .and_then(|n| n.checked_add(u128::from(digit)));
        approx = approx * f64::from(radix) + f64::from(digit);
    }
    Some(match exact.and_then(|n| i128::try_from(n).ok()) {
        Some(n) => Num::Int(n),
        None => Num::Float(approx),
    })
}

#[cfg(test)]
mod tests {
    use super::{Num, js_number};

    #[test]
    fn js_number_follows_javascript() {
        let cases: [(&str, Option<Num>); 16] = [
            ("", Some(Num::Int(0))),
            ("\u{FEFF}\u{A0} 7\t\n", Some(Num::Int(7))),
            ("-0", Some(Num::Float(-0.0))),
            ("007", Some(Num::Int(7))),
            ("1e3", Some(Num::Float(1000.0))),
            ("1E-2", Some(Num::Float(0.01))),
            ("-.5", Some(Num::Float(-0.5))),
            ("0XfF", Some(Num::Int(255))),
            ("1e400", Some(Num::Float(f64::INFINITY))),
            ("-Infinity", Some(Num::Float(f64::NEG_INFINITY))),
            ("infinity", None),
            ("NaN", None),
            ("0x", None),
            ("+0x1", None),
            ("1 2", None),
            ("\u{85}1", None),
        ];
        for (text, want) in cases {
            let got = js_number(text);
            let same = match (got, want) {
                (Some(Num::Float(a)), Some(Num::Float(b))) => a.to_bits() == b.to_bits(),
                (a, b) => a == b,
            };
            assert!(same, "Number({text:?}) = {got:?}, want {want:?}");
        }
    }
}
