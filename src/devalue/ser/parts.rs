//! The restricted serializers the devalue serializer hands parts of a value to: object keys,
//! literal elements of tagged arrays, the content of `Map`/`Set`/sparse arrays, and `Map` entries.

use serde::ser::{self, Impossible, Serialize};

use super::Ref;
use super::containers::{Seq, SeqKind};
use super::state::Ser;
use crate::devalue::Error;
use crate::devalue::text::{write_ref, write_string, write_u64};

/// Implements the `Serializer` methods a restricted serializer does not support.
macro_rules! unsupported {
    ($what:literal; $($method:ident($($arg:ty),*)),* $(,)?) => {$(
        fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Error> {
            Err(Error::new(concat!($what, " cannot be ", stringify!($method))))
        }
    )*};
}

/// Unsupported compound methods for a restricted serializer.
macro_rules! unsupported_compounds {
    ($what:literal) => {
        fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Self::Ok, Error> {
            value.serialize(self)
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<Self::Ok, Error> {
            value.serialize(self)
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Error> {
            Err(Error::new(concat!(
                $what,
                " cannot be an enum variant with data"
            )))
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
            Err(Error::new(concat!($what, " cannot be a sequence")))
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Error> {
            Err(Error::new(concat!($what, " cannot be a tuple struct")))
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Error> {
            Err(Error::new(concat!($what, " cannot be a tuple variant")))
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
            Err(Error::new(concat!($what, " cannot be a map")))
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, Error> {
            Err(Error::new(concat!($what, " cannot be a struct")))
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Error> {
            Err(Error::new(concat!($what, " cannot be a struct variant")))
        }
    };
}

/// Writes an object key: a string, or an integer as its decimal string.
pub(crate) struct KeySer<'a> {
    pub(crate) out: &'a mut Vec<u8>,
}

impl KeySer<'_> {
    fn int(self, v: i128) -> Result<(), Error> {
        self.out.push(b'"');
        if v < 0 {
            self.out.push(b'-');
        }
        let abs = v.unsigned_abs();
        if abs > u128::from(u64::MAX) {
            self.out.extend_from_slice(abs.to_string().as_bytes());
        } else {
            write_u64(self.out, abs as u64);
        }
        self.out.push(b'"');
        Ok(())
    }
}

impl ser::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_string(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        match i128::try_from(v) {
            Ok(v) => self.int(v),
            Err(_) => self.serialize_str(&v.to_string()),
        }
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error::new(
            "an object key must be a string or an integer, not a tuple",
        ))
    }
    unsupported!("an object key (must be a string or an integer)";
        serialize_bool(bool), serialize_f32(f32), serialize_f64(f64), serialize_bytes(&[u8]),
        serialize_none(), serialize_unit(), serialize_unit_struct(&'static str));
    unsupported_compounds!("an object key");
}

/// Writes a literal element of a tagged array: a string (escaped), an integer, or `""` for
/// `None`/unit (an invalid date).
pub(crate) struct LitSer<'a> {
    pub(crate) out: &'a mut Vec<u8>,
}

impl LitSer<'_> {
    fn int(self, v: i128) -> Result<(), Error> {
        if v < 0 {
            self.out.push(b'-');
        }
        let abs = u64::try_from(v.unsigned_abs())
            .map_err(|_| Error::new("literal integer out of range"))?;
        write_u64(self.out, abs);
        Ok(())
    }
}

impl ser::Serializer for LitSer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_string(self.out, v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"\"\"");
        Ok(())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error::new("a literal cannot be a tuple"))
    }
    unsupported!("a literal";
        serialize_bool(bool), serialize_f32(f32), serialize_f64(f64), serialize_bytes(&[u8]),
        serialize_char(char), serialize_unit_struct(&'static str));
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    unsupported_compounds!("a literal");
}

/// Serializes the content of a tagged container (`Map`, `Set`, sparse array…): a sequence whose
/// elements are written after `prefix`.
pub(crate) struct Tagged<'a> {
    pub(crate) ser: &'a mut Ser,
    pub(crate) prefix: &'static [u8],
    pub(crate) kind: SeqKind,
}

impl<'a> ser::Serializer for Tagged<'a> {
    type Ok = Ref;
    type Error = Error;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Impossible<Ref, Error>;
    type SerializeMap = Impossible<Ref, Error>;
    type SerializeStruct = Impossible<Ref, Error>;
    type SerializeStructVariant = Impossible<Ref, Error>;

    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Error> {
        Ok(self.ser.seq(self.prefix, self.kind))
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq<'a>, Error> {
        Ok(self.ser.seq(self.prefix, self.kind))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq<'a>, Error> {
        Ok(self.ser.seq(self.prefix, self.kind))
    }
    unsupported!("the content of a JavaScript collection (must be a sequence)";
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_f32(f32), serialize_f64(f64), serialize_char(char),
        serialize_str(&str), serialize_bytes(&[u8]), serialize_none(), serialize_unit(),
        serialize_unit_struct(&'static str), serialize_unit_variant(&'static str, u32, &'static str));
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Ref, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Ref, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Ref, Error> {
        Err(Error::new(
            "the content of a JavaScript collection must be a sequence",
        ))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error::new(
            "the content of a JavaScript collection must be a sequence",
        ))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error::new(
            "the content of a JavaScript collection must be a sequence",
        ))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Error::new(
            "the content of a JavaScript collection must be a sequence",
        ))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error::new(
            "the content of a JavaScript collection must be a sequence",
        ))
    }
}

/// Serializes one `(key, value)` entry of a `Map` as `key,value` into the map's text (on the
/// serializer's stack).
pub(crate) struct PairSer<'a> {
    pub(crate) ser: &'a mut Ser,
}

/// The tuple being written by [`PairSer`].
pub(crate) struct Pair<'a> {
    ser: &'a mut Ser,
    n: usize,
}

impl ser::SerializeTuple for Pair<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        if self.n == 2 {
            return Err(Error::new("a Map entry must be a (key, value) pair"));
        }
        if self.n == 1 {
            self.ser.stack_mut().push(b',');
        }
        self.n += 1;
        let r = self.ser.child(value)?;
        write_ref(self.ser.stack_mut(), r);
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        if self.n != 2 {
            return Err(Error::new("a Map entry must be a (key, value) pair"));
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for PairSer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Pair<'a>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_tuple(self, _: usize) -> Result<Pair<'a>, Error> {
        Ok(Pair {
            ser: self.ser,
            n: 0,
        })
    }
    unsupported!("a Map entry (must be a (key, value) pair)";
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_f32(f32), serialize_f64(f64), serialize_char(char),
        serialize_str(&str), serialize_bytes(&[u8]), serialize_none(), serialize_unit(),
        serialize_unit_struct(&'static str), serialize_unit_variant(&'static str, u32, &'static str));
    unsupported_compounds!("a Map entry");
}
