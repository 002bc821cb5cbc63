//! The devalue serializer: a serde `Serializer` writing devalue's flat slot array directly.
//!
//! Every serialized value returns its *reference*: a slot index, or a negative special
//! (`-1` undefined, `-2` hole, `-3` NaN, `-4` Infinity, `-5` -Infinity, `-6` -0). Slots are
//! allocated in pre-order. A finished slot's text is appended to one arena buffer, followed by
//! a `,`, and its range recorded; containers build their text on one stack buffer while their
//! children are written, then move it into the arena. Primitive slots are de-duplicated by
//! their text (which identifies the primitive) through a small open-addressing table over the
//! arena (its first entries inline). A value that is one primitive is written straight into
//! its output. The buffers of a value with more slots are kept on the thread for the next one
//! (up to 64 KiB each), so that its only allocation is usually its output, and so is the
//! written text of struct field names, found again by their `&'static str` address.

use serde::ser::{self, Serialize};

use super::ser_parts::{KeySer, LitSer, PairSer, Tagged};
use super::text::{
    Entry, Keys, Table, array_index, hash, scan, write_ref, write_scanned, write_string, write_u64,
};
use super::{Error, base64};
use crate::marker;

pub(crate) type Ref = i64;

const UNDEFINED: Ref = -1;
const HOLE: Ref = -2;
/// Integers beyond this magnitude cannot be JavaScript numbers exactly.
const MAX_SAFE: u64 = 1 << 53;
/// Small non-negative integers are cached by value instead of hashed.
const SMALL_INTS: usize = 1024;
/// The first small integers are cached inline (no allocation for a value with few numbers).
const SMALL_INLINE: usize = 32;

/// Serializes `value`. With `strict_order`, an object whose keys are not in `Object.keys` order
/// fails with [`Error::restart`]; without, keys are written as they come.
pub(crate) fn to_vec<T: ?Sized + Serialize>(
    value: &T,
    strict_order: bool,
) -> Result<Vec<u8>, Error> {
    // The arena starts with the output's `[`: a value that is one slot is its own output.
    // Values of more slots take the buffers kept from an earlier value (`first_slot`).
    let mut arena = Vec::with_capacity(128);
    arena.push(b'[');
    let mut ser = Ser {
        arena,
        ranges: Vec::new(),
        table: Table::default(),
        small: [0; SMALL_INLINE],
        small_ints: Vec::new(),
        null: None,
        bools: [None; 2],
        stack: Vec::new(),
        strict_order,
        depth: 0,
        keys: None,
    };
    let root = match value.serialize(&mut ser) {
        Ok(root) => root,
        Err(e) if e.restart => return reordered(value),
        Err(e) => return Err(e),
    };
    if root < 0 {
        return Ok(root.to_string().into_bytes());
    }
    if root == 0 && ser.ranges.is_empty() {
        // One primitive, written straight into the arena (no other buffer was used).
        ser.arena.push(b']');
        return Ok(ser.arena);
    }
    if let [(1, end)] = ser.ranges[..] {
        ser.arena.truncate(end as usize);
        ser.arena.push(b']');
        let len = ser.arena.len();
        return Ok(ser.into_output(0..len));
    }
    // Every container has ended: the stack is empty.
    let mut out = Vec::with_capacity(ser.arena.len() + ser.ranges.len() + 2);
    out.push(b'[');
    // Every slot's text in the arena is followed by a `,`: slots that sit one after the other
    // in the arena, in index order, are copied in one piece.
    let (mut run_start, mut run_end) = (1, 1);
    for &(start, end) in &ser.ranges {
        let (start, end) = (start as usize, end as usize);
        if start != run_end + 1 || run_start == run_end {
            if run_start != run_end {
                out.extend_from_slice(&ser.arena[run_start..run_end]);
                out.push(b',');
            }
            run_start = start;
        }
        run_end = end;
    }
    out.extend_from_slice(&ser.arena[run_start..run_end]);
    out.push(b']');
    ser.spare();
    Ok(out)
}

/// Serializes `value` whose objects have keys out of `Object.keys` order: as they come, then
/// read back (which orders them as JavaScript does) and written again.
#[cold]
#[inline(never)]
fn reordered<T: ?Sized + Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    let unordered = to_vec(value, false)?;
    let value = super::parse::parse(&unordered)?;
    to_vec(&value, false)
}

/// The most memory a buffer may hold to be kept for the next value: one large value must
/// not make its thread hold as much for good.
const SPARE_LIMIT: usize = 64 * 1024;

/// The most capacity an output of `len` bytes may carry: a response holds its buffer whole
/// until it is sent.
fn slack(len: usize) -> usize {
    len * 2 + 256
}

/// The serializer's buffers, kept on each thread between values: the next value writes into
/// them without allocating (only its output is a new allocation, as with `serde_json`). Each
/// is kept only below [`SPARE_LIMIT`] bytes.
#[derive(Default)]
struct Spare {
    arena: Vec<u8>,
    ranges: Vec<(u32, u32)>,
    stack: Vec<u8>,
    small_ints: Vec<u32>,
    cells: Vec<Entry>,
    /// How many primitives the last value's table held.
    entries: usize,
    keys: Option<Box<Keys>>,
}

thread_local! {
    static SPARE: std::cell::Cell<Option<Spare>> = const { std::cell::Cell::new(None) };
}

/// `buffer`, emptied, if it is small enough to keep.
fn keep<T>(mut buffer: Vec<T>) -> Vec<T> {
    if buffer.capacity() * std::mem::size_of::<T>() > SPARE_LIMIT {
        return Vec::new();
    }
    buffer.clear();
    buffer
}

/// The serializer's state.
pub(crate) struct Ser {
    arena: Vec<u8>,
    /// Arena range of every slot, by index (a placeholder until the slot is finished).
    ranges: Vec<(u32, u32)>,
    table: Table,
    /// Slot + 1 of the integers below [`SMALL_INLINE`] written so far (0: none).
    small: [u32; SMALL_INLINE],
    /// Slot of the integers from [`SMALL_INLINE`] below [`SMALL_INTS`] (`u32::MAX`: none).
    small_ints: Vec<u32>,
    null: Option<u32>,
    bools: [Option<u32>; 2],
    /// The text of the containers being written, outermost first: each container appends to
    /// it from its start, and moves its text into the arena when it ends.
    stack: Vec<u8>,
    strict_order: bool,
    /// How deep the value being written is, counted as the parser counts it: what we write
    /// must read back, and a deep value must not overflow the stack.
    depth: usize,
    /// The written struct field names, kept on the thread with the other buffers.
    keys: Option<Box<Keys>>,
}

impl Ser {
    /// Goes one level deeper, or fails past the parser's limit.
    #[inline]
    pub(crate) fn descend(&mut self) -> Result<(), Error> {
        if self.depth + 1 >= super::parse::MAX_DEPTH {
            return Err(too_deep());
        }
        self.depth += 1;
        Ok(())
    }

    /// Writes `value` one level below the container being written.
    pub(crate) fn child<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<Ref, Error> {
        self.descend()?;
        let r = value.serialize(&mut *self)?;
        self.depth -= 1;
        Ok(r)
    }

    /// Records a slot's range; the list is allocated at the first slot.
    #[inline]
    fn push_range(&mut self, range: (u32, u32)) {
        if self.ranges.capacity() == 0 {
            self.first_slot();
        }
        self.ranges.push(range);
    }

    /// The value has a slot: the buffers kept from an earlier value on this thread come in,
    /// or new ones. No slot, table entry or stack text exists yet, but the arena may already
    /// hold the text of the primitive this first slot is for (after the output's `[`): a
    /// larger kept arena takes that text along, at the same offsets.
    #[cold]
    fn first_slot(&mut self) {
        debug_assert!(self.ranges.is_empty() && self.table.len() == 0 && self.stack.is_empty());
        let Some(spare) = SPARE.take() else {
            self.ranges.reserve(16);
            self.stack.reserve(128);
            return;
        };
        if spare.arena.capacity() > self.arena.capacity() {
            let written = std::mem::replace(&mut self.arena, spare.arena);
            self.arena.extend_from_slice(&written);
        }
        self.ranges = spare.ranges;
        self.ranges.reserve(16);
        self.stack = spare.stack;
        self.stack.reserve(128);
        self.small_ints = spare.small_ints;
        self.table = Table::with_spare(spare.cells, spare.entries);
        self.keys = spare.keys;
    }

    /// The output of a value that is one slot: the arena's text in `range`. The arena itself
    /// when it is not much larger (it is the output's memory), a copy otherwise (the arena is
    /// kept for the next value).
    fn into_output(mut self, range: std::ops::Range<usize>) -> Vec<u8> {
        if self.arena.capacity() <= slack(range.len()) {
            let mut out = std::mem::take(&mut self.arena);
            out.truncate(range.end);
            self.spare();
            return out;
        }
        let out = self.arena[range].to_vec();
        self.spare();
        out
    }

    /// Keeps the buffers for the next value on this thread.
    fn spare(self) {
        // The next table is sized for as many entries at once, but not beyond what is kept:
        // a small value after a huge one must not allocate a huge table.
        let entries = self
            .table
            .len()
            .min(SPARE_LIMIT / std::mem::size_of::<Entry>() / 2);
        SPARE.set(Some(Spare {
            arena: keep(self.arena),
            ranges: keep(self.ranges),
            stack: keep(self.stack),
            small_ints: keep(self.small_ints),
            cells: keep(self.table.into_spare()),
            entries,
            keys: self.keys,
        }));
    }

    fn alloc(&mut self) -> u32 {
        let i = self.ranges.len() as u32;
        self.push_range((0, 0));
        i
    }

    /// The text of the container being written.
    pub(crate) fn stack_mut(&mut self) -> &mut Vec<u8> {
        &mut self.stack
    }

    /// Starts a container's text on the stack; returns where it starts.
    fn open(&mut self, prefix: &[u8]) -> usize {
        let start = self.stack.len();
        self.stack.extend_from_slice(prefix);
        start
    }

    /// Moves the container text on the stack from `start` into the arena as `slot`.
    fn close(&mut self, slot: u32, start: usize) {
        let at = self.arena.len() as u32;
        self.arena.extend_from_slice(&self.stack[start..]);
        self.stack.truncate(start);
        self.ranges[slot as usize] = (at, self.arena.len() as u32);
        self.arena.push(b',');
    }

    /// Whether the primitive being written is the whole value.
    #[inline]
    fn is_root(&self) -> bool {
        self.ranges.is_empty() && self.depth == 0
    }

    /// Dedupes the primitive whose text was just written to the arena from `start`.
    fn intern(&mut self, start: usize) -> Ref {
        let end = self.arena.len();
        self.intern_hashed(start, hash(&self.arena[start..end]))
    }

    /// [`Ser::intern`] with the text's hash (any hash that equal texts share).
    fn intern_hashed(&mut self, start: usize, hash: u32) -> Ref {
        if self.is_root() {
            // The whole value is this primitive: slot 0, nothing to de-duplicate, no range
            // list (`to_vec` returns the arena as it is).
            return 0;
        }
        let end = self.arena.len();
        let arena = &self.arena;
        let found = self
            .table
            .find(hash, |s, e| arena[s..e] == arena[start..end]);
        if let Some(slot) = found {
            self.arena.truncate(start);
            return Ref::from(slot);
        }
        self.insert(hash, start, end)
    }

    /// Records the text at `start..end` as a new primitive slot.
    #[inline(always)]
    fn insert(&mut self, hash: u32, start: usize, end: usize) -> Ref {
        let slot = self.ranges.len() as u32;
        self.push_range((start as u32, end as u32));
        self.table.insert(hash, slot, start, end);
        self.arena.push(b',');
        Ref::from(slot)
    }

    fn fixed(&mut self, which: Fixed, text: &[u8]) -> Ref {
        let cell = match which {
            Fixed::Null => &mut self.null,
            Fixed::Bool(b) => &mut self.bools[usize::from(b)],
        };
        if let Some(slot) = *cell {
            return Ref::from(slot);
        }
        self.fixed_first(which, text)
    }

    /// The first `null`, `true` or `false` of the value (at most three a value: kept out of
    /// line, so that the repeated ones stay small).
    #[inline(never)]
    fn fixed_first(&mut self, which: Fixed, text: &[u8]) -> Ref {
        if self.is_root() {
            // The whole value: written straight into the output (see `intern`), as it must
            // not take a slot before the kept buffers come in (`first_slot`).
            self.arena.extend_from_slice(text);
            return 0;
        }
        let slot = self.ranges.len() as u32;
        match which {
            Fixed::Null => self.null = Some(slot),
            Fixed::Bool(b) => self.bools[usize::from(b)] = Some(slot),
        }
        let start = self.arena.len() as u32;
        self.arena.extend_from_slice(text);
        self.push_range((start, self.arena.len() as u32));
        self.arena.push(b',');
        Ref::from(slot)
    }

    fn string(&mut self, s: &str) -> Ref {
        let bytes = s.as_bytes();
        if self.is_root() {
            // The whole value: nothing to de-duplicate (see `intern`).
            write_string(&mut self.arena, s);
            return 0;
        }
        // The hash is of the unescaped string: equal strings share it.
        let (special, hash) = scan::<true>(bytes);
        let start = self.arena.len();
        if !special {
            // Nothing to escape: a slot with the same string has the text `"` `bytes` `"`
            // (no other primitive's text starts with `"`); look it up before writing.
            let arena = &self.arena;
            let found = self.table.find(hash, |s, e| {
                e - s == bytes.len() + 2 && arena[s] == b'"' && &arena[s + 1..e - 1] == bytes
            });
            if let Some(slot) = found {
                return Ref::from(slot);
            }
            write_scanned(&mut self.arena, bytes, false);
            let end = self.arena.len();
            return self.insert(hash, start, end);
        }
        write_scanned(&mut self.arena, bytes, special);
        self.intern_hashed(start, hash)
    }

    fn uint(&mut self, v: u64) -> Ref {
        if (v as usize) < SMALL_INLINE {
            let cached = self.small[v as usize];
            if cached != 0 {
                return Ref::from(cached - 1);
            }
            let start = self.arena.len();
            write_u64(&mut self.arena, v);
            let r = self.intern(start);
            self.small[v as usize] = r as u32 + 1;
            return r;
        }
        if (v as usize) < SMALL_INTS {
            if let Some(&slot) = self.small_ints.get(v as usize) {
                if slot != u32::MAX {
                    return Ref::from(slot);
                }
            }
            let start = self.arena.len();
            write_u64(&mut self.arena, v);
            let r = self.intern(start);
            if self.small_ints.len() <= v as usize {
                self.small_ints.resize(v as usize + 1, u32::MAX);
            }
            self.small_ints[v as usize] = r as u32;
            return r;
        }
        let start = self.arena.len();
        write_u64(&mut self.arena, v);
        self.intern(start)
    }

    fn int(&mut self, v: i128) -> Result<Ref, Error> {
        if v.unsigned_abs() > u128::from(MAX_SAFE) {
            return Err(unsafe_integer(v));
        }
        if v >= 0 {
            return Ok(self.uint(v as u64));
        }
        let start = self.arena.len();
        self.arena.push(b'-');
        write_u64(&mut self.arena, v.unsigned_abs() as u64);
        Ok(self.intern(start))
    }

    fn number(&mut self, v: f64) -> Ref {
        if v.is_nan() {
            return -3;
        }
        if v.is_infinite() {
            return if v > 0.0 { -4 } else { -5 };
        }
        if v == 0.0 && v.is_sign_negative() {
            return -6;
        }
        let a = v.abs();
        if a <= MAX_SAFE as f64 {
            let start = self.arena.len();
            let whole = a as u64;
            if whole as f64 == a {
                if v < 0.0 {
                    self.arena.push(b'-');
                } else if (whole as usize) < SMALL_INTS {
                    return self.uint(whole);
                }
                write_u64(&mut self.arena, whole);
                return self.intern(start);
            }
            if a < 1e9 {
                // At most six decimals: `m / 10^6` below 10^15. If that decimal reads back as
                // `a` (the division rounds as parsing does), it is what JavaScript writes:
                // two decimals of at most 15 significant digits never read back as one
                // double, so no shorter one does; and 10^-6 <= a < 10^21 is written as fixed.
                let m = (a * 1e6 + 0.5) as u64;
                if m as f64 / 1e6 == a {
                    if v < 0.0 {
                        self.arena.push(b'-');
                    }
                    write_u64(&mut self.arena, m / 1_000_000);
                    write_decimals(&mut self.arena, m % 1_000_000);
                    return self.intern(start);
                }
            }
        }
        let start = self.arena.len();
        let mut buf = ryu_js::Buffer::new();
        self.arena
            .extend_from_slice(buf.format_finite(v).as_bytes());
        self.intern(start)
    }

    /// A slot with no children, written at once.
    fn leaf(&mut self, write: impl FnOnce(&mut Vec<u8>)) -> Ref {
        let slot = self.alloc();
        let start = self.arena.len() as u32;
        write(&mut self.arena);
        self.ranges[slot as usize] = (start, self.arena.len() as u32);
        self.arena.push(b',');
        Ref::from(slot)
    }

    fn bytes(&mut self, v: &[u8]) -> Ref {
        let view = self.alloc();
        let buffer = self.leaf(|out| {
            out.extend_from_slice(b"[\"ArrayBuffer\",\"");
            base64::encode_into(v, out);
            out.extend_from_slice(b"\"]");
        });
        let start = self.arena.len() as u32;
        self.arena.extend_from_slice(b"[\"Uint8Array\",");
        write_ref(&mut self.arena, buffer);
        self.arena.push(b']');
        self.ranges[view as usize] = (start, self.arena.len() as u32);
        self.arena.push(b',');
        Ref::from(view)
    }

    pub(crate) fn seq(&mut self, prefix: &[u8], kind: SeqKind) -> Seq<'_> {
        let slot = self.alloc();
        let start = self.open(prefix);
        Seq {
            comma: prefix.len() > 1,
            ser: self,
            start,
            slot,
            kind,
            pos: 0,
            wrap: None,
        }
    }

    fn object(&mut self, wrap: Option<(u32, &'static str)>) -> Object<'_> {
        let slot = self.alloc();
        let start = self.open(b"{");
        Object {
            ser: self,
            start,
            slot,
            last_index: None,
            named: false,
            wrap,
        }
    }

    /// Writes `{"variant":inner}` into the slot `outer`.
    fn wrap(&mut self, outer: u32, variant: &str, inner: Ref) {
        let start = self.arena.len() as u32;
        self.arena.push(b'{');
        write_string(&mut self.arena, variant);
        self.arena.push(b':');
        write_ref(&mut self.arena, inner);
        self.arena.push(b'}');
        self.ranges[outer as usize] = (start, self.arena.len() as u32);
        self.arena.push(b',');
    }
}

/// Writes `.` and the six decimals `frac` (non-zero) without their trailing zeros.
fn write_decimals(out: &mut Vec<u8>, mut frac: u64) {
    let mut digits = [b'0'; 7];
    digits[0] = b'.';
    let mut len = 7;
    while frac.is_multiple_of(10) {
        frac /= 10;
        len -= 1;
    }
    let mut i = len;
    while frac > 0 {
        i -= 1;
        digits[i] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    out.extend_from_slice(&digits[..len]);
}

#[derive(Clone, Copy)]
enum Fixed {
    Null,
    Bool(bool),
}

#[cold]
fn too_deep() -> Error {
    Error::new(format!("nesting deeper than {}", super::parse::MAX_DEPTH))
}

fn unsafe_integer(v: impl std::fmt::Display) -> Error {
    Error::new(format!(
        "integer {v} is beyond ±2^53, which a JavaScript number cannot hold exactly; use js::BigInt"
    ))
}

/// The prefix and element kind of the JS types written as one tagged sequence (Map, Set,
/// sparse arrays, null-prototype objects, literal arrays), by their marker name.
fn tagged_seq(name: &str) -> Option<(&'static [u8], SeqKind)> {
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
    ser: &'a mut Ser,
    /// Where the text starts on the stack.
    start: usize,
    slot: u32,
    kind: SeqKind,
    pos: usize,
    comma: bool,
    /// For tuple variants: the outer object slot and the variant name.
    wrap: Option<(u32, &'static str)>,
}

impl Seq<'_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        if self.comma {
            self.ser.stack.push(b',');
        }
        self.comma = true;
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
            write_ref(&mut self.ser.stack, r);
            Ok(())
        }
    }

    fn end(self) -> Result<Ref, Error> {
        self.ser.stack.push(b']');
        self.ser.close(self.slot, self.start);
        if let Some((outer, variant)) = self.wrap {
            self.ser.depth -= 1;
            self.ser.wrap(outer, variant, Ref::from(self.slot));
            return Ok(Ref::from(outer));
        }
        Ok(Ref::from(self.slot))
    }
}

/// An object slot `{"k":ref,…}`.
pub(crate) struct Object<'a> {
    ser: &'a mut Ser,
    /// Where the text starts on the stack.
    start: usize,
    slot: u32,
    /// The last array-index key written, and whether a non-index key was written.
    last_index: Option<u32>,
    named: bool,
    wrap: Option<(u32, &'static str)>,
}

impl Object<'_> {
    #[inline]
    fn key_written(&mut self, start: usize) -> Result<(), Error> {
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
                if self.named || self.last_index.is_some_and(|last| last >= n) {
                    return Err(Error::restart());
                }
                self.last_index = Some(n);
            }
            None => self.named = true,
        }
        Ok(())
    }

    fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        if self.ser.stack.len() > self.start + 1 {
            self.ser.stack.push(b',');
        }
        let start = self.ser.stack.len();
        key.serialize(KeySer {
            out: &mut self.ser.stack,
        })?;
        self.key_written(start)?;
        self.ser.stack.push(b':');
        Ok(())
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let r = self.ser.child(value)?;
        write_ref(&mut self.ser.stack, r);
        Ok(())
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        if self.ser.stack.len() > self.start + 1 {
            self.ser.stack.push(b',');
        }
        let keys = self.ser.keys.get_or_insert_with(Box::default);
        if keys.write(key, &mut self.ser.stack) {
            // A remembered name is neither an array index nor `__proto__`.
            self.named = true;
        } else {
            let start = self.ser.stack.len();
            write_string(&mut self.ser.stack, key);
            self.key_written(start)?;
            if !key.starts_with(|c: char| c.is_ascii_digit()) {
                let keys = self.ser.keys.get_or_insert_with(Box::default);
                keys.insert(key, &self.ser.stack[start..]);
            }
        }
        self.ser.stack.push(b':');
        self.value(value)
    }

    fn end(self) -> Result<Ref, Error> {
        self.ser.stack.push(b'}');
        self.ser.close(self.slot, self.start);
        if let Some((outer, variant)) = self.wrap {
            self.ser.depth -= 1;
            self.ser.wrap(outer, variant, Ref::from(self.slot));
            return Ok(Ref::from(outer));
        }
        Ok(Ref::from(self.slot))
    }
}

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

    fn serialize_bool(self, v: bool) -> Result<Ref, Error> {
        Ok(self.fixed(Fixed::Bool(v), if v { b"true" } else { b"false" }))
    }
    fn serialize_i8(self, v: i8) -> Result<Ref, Error> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Ref, Error> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<Ref, Error> {
        self.int(v.into())
    }
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
    fn serialize_u32(self, v: u32) -> Result<Ref, Error> {
        Ok(self.uint(v.into()))
    }
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
    fn serialize_f64(self, v: f64) -> Result<Ref, Error> {
        Ok(self.number(v))
    }
    fn serialize_char(self, v: char) -> Result<Ref, Error> {
        Ok(self.string(v.encode_utf8(&mut [0; 4])))
    }
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
        Ok(self.fixed(Fixed::Null, b"null"))
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
        self.descend()?;
        let outer = self.alloc();
        let mut seq = self.seq(b"[", SeqKind::Values);
        seq.wrap = Some((outer, variant));
        Ok(seq)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>, Error> {
        Ok(self.object(None))
    }
    fn serialize_struct(self, _: &'static str, _len: usize) -> Result<Object<'a>, Error> {
        Ok(self.object(None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Object<'a>, Error> {
        self.descend()?;
        let outer = self.alloc();
        Ok(self.object(Some((outer, variant))))
    }
}

macro_rules! seq_impls {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = Ref;
            type Error = Error;
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

impl ser::SerializeStruct for Object<'_> {
    type Ok = Ref;
    type Error = Error;
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

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = Ref;
    type Error = Error;
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

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize)]
    struct Named {
        #[serde(rename = "a\"b</script>")]
        quoted: u8,
        plain: &'static str,
        #[serde(rename = "1")]
        one: bool,
    }

    #[derive(Serialize)]
    struct Escaped {
        #[serde(rename = "a\"b</script>")]
        quoted: u8,
        plain: &'static str,
    }

    #[derive(Serialize)]
    struct Proto {
        #[serde(rename = "__proto__")]
        proto: u8,
    }

    /// Struct field names are remembered after their first use: the second and later values
    /// are written the same, escapes, `Object.keys` order and the `__proto__` refusal
    /// included.
    #[test]
    fn remembered_field_names_are_written_and_checked_as_the_first_time() {
        let value = Named {
            quoted: 7,
            plain: "x",
            one: true,
        };
        let want = r#"[{"1":1,"a\"b\u003C/script>":2,"plain":3},true,7,"x"]"#;
        let twice = r#"[[1,5],{"1":2,"a\"b\u003C/script>":3,"plain":4},true,7,"x",{"1":2,"a\"b\u003C/script>":3,"plain":4}]"#;
        for _ in 0..3 {
            let out = crate::devalue::to_vec(&[&value, &value]).unwrap();
            assert_eq!(std::str::from_utf8(&out).unwrap(), twice);
        }
        let escaped = Escaped {
            quoted: 7,
            plain: "x",
        };
        for _ in 0..3 {
            assert_eq!(
                std::str::from_utf8(&crate::devalue::to_vec(&value).unwrap()).unwrap(),
                want
            );
            assert_eq!(
                std::str::from_utf8(&crate::devalue::to_vec(&[&escaped, &escaped]).unwrap())
                    .unwrap(),
                r#"[[1,4],{"a\"b\u003C/script>":2,"plain":3},7,"x",{"a\"b\u003C/script>":2,"plain":3}]"#
            );
            let err = crate::devalue::to_vec(&[Proto { proto: 1 }]).unwrap_err();
            assert!(err.to_string().contains("__proto__"), "{err}");
        }
    }

    /// A large value sizes the next value's buffers (bounded), but a small output never keeps
    /// a large buffer: responses hold their buffer until sent.
    #[test]
    fn small_outputs_after_a_large_value_carry_small_buffers() {
        let large: Vec<String> = (0..50_000).map(|i| format!("item number {i}")).collect();
        let text = crate::devalue::to_vec(&large).unwrap();
        assert!(text.len() > 500_000);
        let small = [
            crate::devalue::to_vec(&"x").unwrap(),
            crate::devalue::to_vec(&vec!["a"]).unwrap(),
            crate::devalue::to_vec(&vec!["a", "b"]).unwrap(),
            crate::devalue::to_vec(&(1, "two", 3.5)).unwrap(),
        ];
        for out in small {
            assert!(
                out.capacity() <= out.len() * 2 + 256,
                "{} bytes in a buffer of {}",
                out.len(),
                out.capacity()
            );
        }
        assert_eq!(
            crate::devalue::to_vec(&vec!["a", "b"]).unwrap(),
            br#"[[1,2],"a","b"]"#
        );
    }

    /// A value that is one primitive writes into a fresh arena; when it needs a slot of its
    /// own, the buffers a larger earlier value left on the thread come in, and what was
    /// already written comes with them. `null`, `true` and `false` after a value of more
    /// than 128 bytes were once answered `[,]`.
    #[test]
    fn a_primitive_after_a_large_value_is_written_whole() {
        let large: Vec<String> = (0..40).map(|i| format!("item number {i}")).collect();
        let large_text = crate::devalue::to_vec(&large).unwrap();
        assert!(large_text.len() > 256);
        let cases: [(&dyn erased::Ser, &str); 9] = [
            (&(), "-1"),
            (&Option::<u8>::None, "-1"),
            (&crate::devalue::Value::Null, "[null]"),
            (&true, "[true]"),
            (&false, "[false]"),
            (&0u8, "[0]"),
            (&-0.0f64, "-6"),
            (&"s", "[\"s\"]"),
            (
                &crate::js::BigInt::from_decimal("12").unwrap(),
                "[[\"BigInt\",\"12\"]]",
            ),
        ];
        for (value, want) in cases {
            for _ in 0..3 {
                assert_eq!(crate::devalue::to_vec(&large).unwrap(), large_text);
                let out = value.to_vec();
                assert_eq!(std::str::from_utf8(&out).unwrap(), want);
                let out = value.to_vec();
                assert_eq!(std::str::from_utf8(&out).unwrap(), want);
            }
        }
    }

    mod erased {
        /// A serializable value of any type, for a table of cases.
        pub(super) trait Ser {
            fn to_vec(&self) -> Vec<u8>;
        }
        impl<T: serde::Serialize> Ser for T {
            fn to_vec(&self) -> Vec<u8> {
                crate::devalue::to_vec(self).unwrap()
            }
        }
    }

    /// Numbers are written as `ryu_js` (JavaScript's `Number.prototype.toString`) writes them,
    /// whichever way they are formatted.
    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values = vec![
            0.1 + 0.2,
            1e-6,
            1.5e-6,
            1e-7,
            999_999_999.999_999,
            1e9 + 0.5,
        ];
        for _ in 0..100_000 {
            let r = next();
            values.push(f64::from_bits(r));
            let scale = 10f64.powi((r % 12) as i32);
            values.push((next() % 1_000_000_000_000_000) as f64 / scale);
            values.push((next() % 100_000_000) as f64 / scale);
            values.push((next() % 1_000_000) as f64 / f64::from(1 << (r % 30)));
            values.push(f64::from_bits(1e9_f64.to_bits() - r % 100));
            values.push(f64::from_bits(1e-6_f64.to_bits() - 50 + r % 100));
        }
        for v in values {
            for v in [v, -v] {
                if !v.is_finite() || v == 0.0 {
                    continue;
                }
                let out = crate::devalue::to_vec(&[v]).unwrap();
                let mut buf = ryu_js::Buffer::new();
                let want = format!("[[1],{}]", buf.format_finite(v));
                assert_eq!(std::str::from_utf8(&out).unwrap(), want, "{v:e}");
            }
        }
    }
}
