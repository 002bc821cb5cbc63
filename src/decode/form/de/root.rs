//! [`RootDe`]: the deserializer of the whole input, which must be a struct, a map or the form.

use serde::de::{self, Visitor};

use crate::form_data::{Handoff, hand_off};
use crate::marker;

use super::access::{Entries, Fields};
use super::path::Pos;
use super::{Ctx, Error};

/// The whole form, as the root of the input.
pub(super) struct RootDe<'c, 'f> {
    pub(super) ctx: &'c Ctx<'f>,
}

impl<'c, 'f> RootDe<'c, 'f> {
    pub(super) fn pos(&self) -> Pos<'c, 'f> {
        Pos {
            ctx: self.ctx,
            parent: None,
            segment: None,
            muted: false,
        }
    }

    pub(super) fn not_an_object(what: &str) -> Error {
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
