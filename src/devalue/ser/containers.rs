//! Containers being written: sequences ([`Seq`]: arrays, tuples, tagged JavaScript types) and
//! objects ([`Object`]: maps and structs).

use serde::ser::{self, Serialize};

use super::Ref;
use super::parts::{KeySer, LitSer, PairSer};
use super::state::Ser;
use crate::devalue::Error;
use crate::devalue::text::{array_index, write_ref, write_string};

/// Opens a container whose text starts at `start` of the stack: its first member's leading
/// `,` becomes `open`, or, with no member, `open` is written.
#[inline(always)]
fn open(stack: &mut Vec<u8>, start: usize, open: u8) {
    if stack.len() > start {
        stack[start] = open;
    } else {
        stack.push(open);
    }
}

/// Appends the reference `r` to a container's text: references below 1000 (most of them)
/// inline, the others through [`write_ref`].
#[inline(always)]
pub(super) fn push_ref(out: &mut Vec<u8>, r: Ref) {
    if (0..10).contains(&r) {
        out.push(b'0' + r as u8);
    } else if (10..100).contains(&r) {
        out.extend_from_slice(&[b'0' + (r / 10) as u8, b'0' + (r % 10) as u8]);
    } else if (100..1000).contains(&r) {
        let (h, t) = (r / 100, r % 100);
        out.extend_from_slice(&[b'0' + h as u8, b'0' + (t / 10) as u8, b'0' + (t % 10) as u8]);
    } else {
        write_ref(out, r);
    }
}
use crate::marker;

/// The prefix and element kind of the JS types written as one tagged sequence (Map, Set,
/// sparse arrays, null-prototype objects, literal arrays), by their marker name.
pub(super) fn tagged_seq(name: &str) -> Option<(&'static [u8], SeqKind)> {
    Some(match name {
        marker::MAP => (b"[\"Map\"", SeqKind::Pairs),
        marker::SET => (b"[\"Set\"", SeqKind::Values),
        marker::SPARSE => (b"[-7", SeqKind::Sparse),
        marker::NULL_PROTO => (b"[\"null\"", SeqKind::NullProto),
        marker::LITERALS => (b"[", SeqKind::Literals),
        marker::REF1 => (b"[", SeqKind::Ref1),
        _ => return None,
    })
}

/// Opening a container (its slot, and its text started on the stack), and closing it.
impl Ser {
    /// Closes a container's text with `closer`: the one ending of sequences and objects. The
    /// container of an enum variant (`wrapped`) is in the variant's object, the slot before
    /// its own (see [`Ser::wrapped`]).
    #[inline]
    fn end_container(
        &mut self,
        closer: u8,
        slot: u32,
        start: u32,
        wrapped: bool,
    ) -> Result<Ref, Error> {
        self.stack.push(closer);
        self.close(slot, start as usize);
        if wrapped {
            self.depth -= 1;
            return Ok(Ref::from(slot - 1));
        }
        Ok(Ref::from(slot))
    }

    /// Opens the object of an enum variant whose content is a container (written next, in
    /// the next slot): `{"variant":content}`, written at once.
    pub(super) fn wrapped(&mut self, variant: &str) -> Result<(), Error> {
        self.descend()?;
        let outer = self.alloc();
        self.wrap(outer, variant, Ref::from(outer) + 1);
        Ok(())
    }

    pub(crate) fn seq(&mut self, prefix: &[u8], kind: SeqKind) -> Seq<'_> {
        let slot = self.alloc();
        // Each element's text starts with a `,`: after a bare `[`, the first one's becomes
        // the `[` (`end`).
        let bare = prefix == b"[";
        let start = if bare {
            self.stack.len()
        } else {
            self.open(prefix)
        };
        Seq {
            bare,
            ser: self,
            start: start as u32,
            slot,
            kind,
            pos: 0,
            wrapped: false,
        }
    }

    pub(super) fn object(&mut self, wrapped: bool) -> Object<'_> {
        let slot = self.alloc();
        // Each member's text starts with a `,`: the first one's becomes the `{` (`end`).
        let start = self.stack.len() as u32;
        Object {
            ser: self,
            start,
            slot,
            last_index: NO_INDEX,
            named: false,
            wrapped,
        }
    }
}

/// What the elements of a [`Seq`] are.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum SeqKind {
    /// Every element is a value (arrays, sets).
    Values,
    /// Every element is a `(key, value)` pair, both values (maps).
    Pairs,
    /// Every element is a literal string or integer.
    Literals,
    /// Element 1 is a value, the others literals.
    Ref1,
    /// `len, idx, value, idx, value…`: the values at even positions from 2.
    Sparse,
    /// `key, value…`: literal keys at even positions.
    NullProto,
}

/// A container slot written as `prefix` then `,`-separated elements then `]`.
pub(crate) struct Seq<'a> {
    pub(super) ser: &'a mut Ser,
    /// Where the text starts on the stack.
    pub(super) start: u32,
    pub(super) slot: u32,
    pub(super) kind: SeqKind,
    pub(super) pos: u32,
    /// Whether the prefix is a bare `[`, written at the end (see [`Ser::seq`]).
    pub(super) bare: bool,
    /// Whether this is a tuple variant's content (see [`Ser::wrapped`]).
    pub(super) wrapped: bool,
}

impl Seq<'_> {
    #[inline]
    pub(super) fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.ser.stack.push(b',');
        let pos = self.pos;
        self.pos += 1;
        let literal = match self.kind {
            SeqKind::Values => false,
            SeqKind::Literals => true,
            SeqKind::Ref1 => pos != 1,
            SeqKind::Sparse => pos < 2 || pos % 2 == 1,
            SeqKind::NullProto => pos.is_multiple_of(2),
            SeqKind::Pairs => {
                return value.serialize(PairSer {
                    ser: &mut *self.ser,
                });
            }
        };
        if literal {
            value.serialize(LitSer {
                out: &mut self.ser.stack,
            })
        } else {
            let r = self.ser.child(value)?;
            push_ref(&mut self.ser.stack, r);
            Ok(())
        }
    }

    pub(super) fn end(self) -> Result<Ref, Error> {
        if self.bare {
            // The first element's `,` becomes the `[`.
            open(&mut self.ser.stack, self.start as usize, b'[');
        }
        self.ser
            .end_container(b']', self.slot, self.start, self.wrapped)
    }
}

/// [`Object::last_index`] before any array-index key (no index is `u32::MAX`: indices are
/// below 2^32 - 1).
const NO_INDEX: u32 = u32::MAX;

/// An object slot `{"k":ref,…}`.
pub(crate) struct Object<'a> {
    pub(super) ser: &'a mut Ser,
    /// Where the text starts on the stack.
    pub(super) start: u32,
    pub(super) slot: u32,
    /// The last array-index key written ([`NO_INDEX`]: none), and whether a non-index key
    /// was written.
    pub(super) last_index: u32,
    pub(super) named: bool,
    /// Whether this is a struct variant's content (see [`Ser::wrapped`]).
    pub(super) wrapped: bool,
}

impl Object<'_> {
    #[inline]
    pub(super) fn key_written(&mut self, start: usize) -> Result<(), Error> {
        // The key text is `"…"`.
        let stack = &self.ser.stack;
        let key = &stack[start + 1..stack.len() - 1];
        if key.first() == Some(&b'_') && key == b"__proto__" {
            // devalue refuses it: a client could not revive the object safely.
            return Err(<Error as ser::Error>::custom(
                "Cannot stringify an object with a `__proto__` key",
            ));
        }
        if !self.ser.strict_order {
            return Ok(());
        }
        // Array-index keys start with a digit and never contain escapes.
        let index = match key.first() {
            Some(b'0'..=b'9') => std::str::from_utf8(key).ok().and_then(array_index),
            _ => None,
        };
        match index {
            Some(n) => {
                if self.named || (self.last_index != NO_INDEX && self.last_index >= n) {
                    return Err(Error::restart());
                }
                self.last_index = n;
            }
            None => self.named = true,
        }
        Ok(())
    }

    pub(super) fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.ser.stack.push(b',');
        let start = self.ser.stack.len();
        key.serialize(KeySer {
            out: &mut self.ser.stack,
        })?;
        self.key_written(start)?;
        self.ser.stack.push(b':');
        Ok(())
    }

    #[inline(always)]
    pub(super) fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let r = self.ser.child(value)?;
        push_ref(&mut self.ser.stack, r);
        Ok(())
    }

    #[inline(always)]
    pub(super) fn field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let remembered = match &self.ser.keys {
            Some(keys) => keys.write(key, &mut self.ser.stack),
            None => false,
        };
        if remembered {
            // A remembered name is neither an array index nor `__proto__`.
            self.named = true;
        } else {
            self.new_field(key)?;
        }
        self.value(value)
    }

    /// Writes the text `,"name":` of a struct field name not remembered (checked, and
    /// remembered if it is not an array index).
    #[inline(never)]
    fn new_field(&mut self, key: &'static str) -> Result<(), Error> {
        self.ser.stack.push(b',');
        let start = self.ser.stack.len();
        write_string(&mut self.ser.stack, key);
        self.key_written(start)?;
        if !key.starts_with(|c: char| c.is_ascii_digit()) {
            let keys = self.ser.keys.get_or_insert_with(Box::default);
            keys.insert(key, &self.ser.stack[start..]);
        }
        self.ser.stack.push(b':');
        Ok(())
    }

    pub(super) fn end(self) -> Result<Ref, Error> {
        // The first member's `,` becomes the `{`.
        open(&mut self.ser.stack, self.start as usize, b'{');
        self.ser
            .end_container(b'}', self.slot, self.start, self.wrapped)
    }
}

macro_rules! seq_impls {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = Ref;
            type Error = Error;
            #[inline]
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<Ref, Error> {
                Seq::end(self)
            }
        }
    )*};
}
seq_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Object<'_> {
    type Ok = Ref;
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        Object::value(self, value)
    }
    fn end(self) -> Result<Ref, Error> {
        Object::end(self)
    }
}

/// `SerializeStruct` and `SerializeStructVariant`: each field is a key and its value.
macro_rules! field_impls {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Object<'_> {
            type Ok = Ref;
            type Error = Error;
            #[inline(always)]
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<Ref, Error> {
                Object::end(self)
            }
        }
    )*};
}
field_impls!(SerializeStruct, SerializeStructVariant);
