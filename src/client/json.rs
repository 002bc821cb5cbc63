//! A JSON action's body: `JSON.stringify(input)`, or no body at all when the input is
//! JavaScript `undefined` (`()`, `None`, [`js::Undefined`](crate::js::Undefined)), as Astro's
//! client sends it, with `Content-Type: application/json` (or `Content-Length: 0` and no
//! content type when there is no body).

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

use crate::error::{ActionError, ActionErrorCode};

/// The JSON body of `input`, or `None` when it is `undefined`.
pub(crate) fn json_body<T: Serialize + ?Sized>(input: &T) -> Result<Option<Vec<u8>>, ActionError> {
    if is_undefined(input) {
        return Ok(None);
    }
    serde_json::to_vec(input).map(Some).map_err(|e| {
        ActionError::new(
            ActionErrorCode::BadRequest,
            format!("Failed to serialize request body to JSON. Full error: {e}"),
        )
    })
}

/// Whether `value` serializes as JavaScript `undefined`: unit or `None`, through any newtype
/// wrappers.
pub(crate) fn is_undefined<T: Serialize + ?Sized>(value: &T) -> bool {
    value.serialize(Probe).unwrap_or(false)
}

/// A serializer that only answers whether the value is `undefined`; it stops at the first
/// thing that is not.
struct Probe;

#[derive(Debug)]
struct Defined;

impl fmt::Display for Defined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a defined value")
    }
}

impl std::error::Error for Defined {}

impl ser::Error for Defined {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Defined
    }
}

macro_rules! defined {
    ($($method:ident($($ty:ty),*);)*) => {
        $(fn $method(self $(, _: $ty)*) -> Result<bool, Defined> {
            Ok(false)
        })*
    };
}

impl ser::Serializer for Probe {
    type Ok = bool;
    type Error = Defined;
    type SerializeSeq = Impossible<bool, Defined>;
    type SerializeTuple = Impossible<bool, Defined>;
    type SerializeTupleStruct = Impossible<bool, Defined>;
    type SerializeTupleVariant = Impossible<bool, Defined>;
    type SerializeMap = Impossible<bool, Defined>;
    type SerializeStruct = Impossible<bool, Defined>;
    type SerializeStructVariant = Impossible<bool, Defined>;

    defined! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_none(self) -> Result<bool, Defined> {
        Ok(true)
    }
    fn serialize_unit(self) -> Result<bool, Defined> {
        Ok(true)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, Defined> {
        // `Some(())` is still `undefined`; JSON would write `null`, but JavaScript has no such
        // value to send.
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, Defined> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, Defined> {
        Ok(false)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Defined> {
        Err(Defined)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Defined> {
        Err(Defined)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Defined> {
        Err(Defined)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Defined> {
        Err(Defined)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Defined> {
        Err(Defined)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Defined> {
        Err(Defined)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Defined> {
        Err(Defined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RawJson, js};

    #[test]
    fn undefined_inputs_send_no_body() {
        assert_eq!(json_body(&()).unwrap(), None);
        assert_eq!(json_body(&None::<u8>).unwrap(), None);
        assert_eq!(json_body(&js::Undefined).unwrap(), None);
        assert_eq!(json_body(&RawJson(None)).unwrap(), None);
    }

    #[test]
    fn defined_inputs_are_json() {
        let body = |v: &dyn erased::Json| String::from_utf8(v.body().unwrap()).unwrap();
        assert_eq!(body(&RawJson(Some(serde_json::Value::Null))), "null");
        assert_eq!(body(&0), "0");
        assert_eq!(body(&false), "false");
        assert_eq!(body(&""), r#""""#);
        assert_eq!(body(&Some(vec![1])), "[1]");
        assert_eq!(body(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
    }

    mod erased {
        pub(super) trait Json {
            fn body(&self) -> Option<Vec<u8>>;
        }
        impl<T: serde::Serialize> Json for T {
            fn body(&self) -> Option<Vec<u8>> {
                super::json_body(self).unwrap()
            }
        }
    }

    #[test]
    fn unserializable_inputs_are_bad_requests() {
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        let err = json_body(&map).unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::BadRequest);
        assert!(
            err.message()
                .starts_with("Failed to serialize request body to JSON.")
        );
    }
}
