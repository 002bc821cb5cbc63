//! The serde `Serializer` over [`Ser`]: one method per kind of Rust value.

use serde::ser::{self, Serialize};

use super::containers::{Object, Seq, SeqKind, tagged_seq};
use super::parts::{LitSer, Tagged};
use super::state::{Fixed, Ser, unsafe_integer};
use super::{HOLE, MAX_SAFE, Ref, UNDEFINED};
use crate::devalue::Error;
use crate::devalue::text::write_ref;
use crate::marker;

impl<'a> ser::Serializer for &'a mut Ser {
    type Ok = Ref;
    type Error = Error;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    #[inline]
    fn serialize_bool(self, v: bool) -> Result<Ref, Error> {
        Ok(self.fixed(Fixed::Bool(v)))
    }
    fn serialize_i8(self, v: i8) -> Result<Ref, Error> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Ref, Error> {
        self.int(v.into())
    }
    #[inline]
    fn serialize_i32(self, v: i32) -> Result<Ref, Error> {
        self.int(v.into())
    }
    #[inline]
    fn serialize_i64(self, v: i64) -> Result<Ref, Error> {
        self.int(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<Ref, Error> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Ref, Error> {
        Ok(self.uint(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Ref, Error> {
        Ok(self.uint(v.into()))
    }
    #[inline]
    fn serialize_u32(self, v: u32) -> Result<Ref, Error> {
        Ok(self.uint(v.into()))
    }
    #[inline]
    fn serialize_u64(self, v: u64) -> Result<Ref, Error> {
        if v > MAX_SAFE {
            return Err(unsafe_integer(v));
        }
        Ok(self.uint(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Ref, Error> {
        if v > u128::from(MAX_SAFE) {
            return Err(unsafe_integer(v));
        }
        Ok(self.uint(v as u64))
    }
    fn serialize_f32(self, v: f32) -> Result<Ref, Error> {
        // The number a JavaScript reader would write for this f32: its shortest decimal form.
        let widened = if v.is_finite() {
            ryu_js::Buffer::new()
                .format_finite(v)
                .parse()
                .unwrap_or(f64::from(v))
        } else {
            f64::from(v)
        };
        Ok(self.number(widened))
    }
    #[inline]
    fn serialize_f64(self, v: f64) -> Result<Ref, Error> {
        Ok(self.number(v))
    }
    #[inline]
    fn serialize_char(self, v: char) -> Result<Ref, Error> {
        Ok(self.string(v.encode_utf8(&mut [0; 4])))
    }
    #[inline]
    fn serialize_str(self, v: &str) -> Result<Ref, Error> {
        Ok(self.string(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Ref, Error> {
        // The view's buffer is a slot one level below it.
        self.descend()?;
        self.depth -= 1;
        Ok(self.bytes(v))
    }
    fn serialize_none(self) -> Result<Ref, Error> {
        Ok(UNDEFINED)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Ref, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Ref, Error> {
        Ok(UNDEFINED)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Ref, Error> {
        Ok(self.fixed(Fixed::Null))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Ref, Error> {
        Ok(self.string(variant))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Ref, Error> {
        if !marker::is_marker(name) {
            return value.serialize(self);
        }
        if let Some((prefix, kind)) = tagged_seq(name) {
            return value.serialize(Tagged {
                ser: self,
                prefix,
                kind,
            });
        }
        match name {
            marker::DATE => {
                let slot = self.alloc();
                let start = self.open(b"[\"Date\",");
                value.serialize(LitSer {
                    out: &mut self.stack,
                })?;
                self.stack.push(b']');
                self.close(slot, start);
                Ok(Ref::from(slot))
            }
            marker::URL => {
                let slot = self.alloc();
                let href = value.serialize(&mut *self)?;
                let start = self.arena.len() as u32;
                self.arena.extend_from_slice(b"[\"URL\",");
                write_ref(&mut self.arena, href);
                self.arena.push(b']');
                self.ranges[slot as usize] = (start, self.arena.len() as u32);
                self.arena.push(b',');
                Ok(Ref::from(slot))
            }
            marker::BIGINT => {
                let start = self.arena.len();
                self.arena.extend_from_slice(b"[\"BigInt\",");
                value.serialize(LitSer {
                    out: &mut self.arena,
                })?;
                self.arena.push(b']');
                Ok(self.intern(start))
            }
            marker::HOLE => Ok(HOLE),
            _ => value.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Ref, Error> {
        let outer = self.alloc();
        let inner = self.child(value)?;
        self.wrap(outer, variant, inner);
        Ok(Ref::from(outer))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a>, Error> {
        Ok(self.seq(b"[", SeqKind::Values))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Seq<'a>, Error> {
        Ok(self.seq(b"[", SeqKind::Values))
    }
    fn serialize_tuple_struct(self, _: &'static str, _len: usize) -> Result<Seq<'a>, Error> {
        Ok(self.seq(b"[", SeqKind::Values))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Seq<'a>, Error> {
        self.wrapped(variant)?;
        let mut seq = self.seq(b"[", SeqKind::Values);
        seq.wrapped = true;
        Ok(seq)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>, Error> {
        Ok(self.object(false))
    }
    fn serialize_struct(self, _: &'static str, _len: usize) -> Result<Object<'a>, Error> {
        Ok(self.object(false))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Object<'a>, Error> {
        self.wrapped(variant)?;
        Ok(self.object(true))
    }
}
