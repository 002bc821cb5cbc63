//! The serializer's state: the slot arena, the de-duplication of primitives and the buffers
//! kept on the thread between values.

use serde::ser::Serialize;

use super::{MAX_SAFE, Ref, SMALL_INLINE, SMALL_INTS};
use crate::devalue::text::{
    DIGITS, Keys, Table, hash, scan, write_plain_slot, write_ref, write_scanned, write_string,
    write_u64,
};
use crate::devalue::{Error, base64};

/// The most memory a buffer may hold to be kept for the next value: one large value must
/// not make its thread hold as much for good.
pub(super) const SPARE_LIMIT: usize = 64 * 1024;

/// The arena's capacity when it is new (or was too large to keep): most values fit.
const ARENA_START: usize = 256;

/// The most capacity an output of `len` bytes may carry: a response holds its buffer whole
/// until it is sent.
pub(super) fn slack(len: usize) -> usize {
    len * 2 + 256
}

/// A new arena: the output's `[`, and room for most values.
#[inline(always)]
pub(super) fn new_arena() -> Vec<u8> {
    let mut arena = Vec::with_capacity(ARENA_START);
    arena.push(b'[');
    arena
}

thread_local! {
    /// The serializer of the last value written on this thread, reset, with its buffers:
    /// the next value writes into them without allocating (only its output is a new
    /// allocation, as with `serde_json`). Taken while a value is written: a value written
    /// meanwhile (by a `Serialize` impl of this one) finds none, and leaves its own.
    static KEPT: std::cell::Cell<Option<Box<Ser>>> = const { std::cell::Cell::new(None) };
}

#[cold]
#[inline(never)]
fn drop_cold<T>(value: T) {
    drop(value);
}

/// The serializer's state.
pub(crate) struct Ser {
    pub(super) arena: Vec<u8>,
    /// Arena range of every slot, by index (a placeholder until the slot is finished).
    pub(super) ranges: Vec<(u32, u32)>,
    pub(super) table: Table,
    /// Slot + 1 of the integers below [`SMALL_INLINE`] written so far (0: none).
    pub(super) small: [u32; SMALL_INLINE],
    /// Slot of the integers from [`SMALL_INLINE`] below [`SMALL_INTS`] (`u32::MAX`: none).
    pub(super) small_ints: Vec<u32>,
    pub(super) null: Option<u32>,
    pub(super) bools: [Option<u32>; 2],
    /// The text of the containers being written, outermost first: each container appends to
    /// it from its start, and moves its text into the arena when it ends.
    pub(super) stack: Vec<u8>,
    pub(super) strict_order: bool,
    /// How deep the value being written is, counted as the parser counts it: what we write
    /// must read back, and a deep value must not overflow the stack.
    pub(super) depth: usize,
    /// The written struct field names, kept on the thread with the other buffers.
    pub(super) keys: Option<Box<Keys>>,
}

impl Ser {
    /// Goes one level deeper, or fails past the parser's limit.
    #[inline]
    pub(crate) fn descend(&mut self) -> Result<(), Error> {
        if self.depth + 1 >= crate::devalue::parse::MAX_DEPTH {
            return Err(too_deep());
        }
        self.depth += 1;
        Ok(())
    }

    /// Writes `value` one level below the container being written.
    #[inline(always)]
    pub(crate) fn child<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<Ref, Error> {
        self.descend()?;
        let r = value.serialize(&mut *self)?;
        self.depth -= 1;
        Ok(r)
    }

    /// The serializer kept on this thread (reset), or a new one.
    #[inline]
    pub(super) fn take(strict_order: bool) -> Box<Ser> {
        let mut ser = KEPT.take().unwrap_or_else(Ser::boxed);
        ser.strict_order = strict_order;
        ser
    }

    #[cold]
    fn boxed() -> Box<Ser> {
        Box::new(Ser {
            arena: new_arena(),
            ranges: Vec::with_capacity(16),
            table: Table::default(),
            small: [0; SMALL_INLINE],
            small_ints: Vec::new(),
            null: None,
            bools: [None; 2],
            stack: Vec::with_capacity(128),
            strict_order: true,
            depth: 0,
            keys: None,
        })
    }

    /// The output of a value that is one primitive, written straight after the arena's `[`
    /// (no slot list): the arena itself if it is not much larger (the serializer takes a new
    /// one), else a copy.
    #[inline(always)]
    pub(super) fn primitive_output(&mut self) -> Vec<u8> {
        let len = self.arena.len() + 1;
        let mut out = if self.arena.capacity() <= slack(len) {
            std::mem::replace(&mut self.arena, new_arena())
        } else {
            let mut out = Vec::with_capacity(len);
            out.extend_from_slice(&self.arena);
            out
        };
        out.push(b']');
        out
    }

    /// Resets the serializer (whatever the value left in it, an error's half-written state
    /// included) and keeps it on this thread for the next value, with its buffers that are
    /// below [`SPARE_LIMIT`] bytes.
    #[inline(always)]
    pub(super) fn keep(mut self: Box<Self>) {
        // Without a slot, only the arena was written (a value that is one primitive, which
        // takes no cache entry, or an error before the first slot): the rest is as reset.
        if self.ranges.len() | self.depth != 0 {
            self.reset_slots();
        }
        // The arena starts with the output's `[`: every text is at an offset above 0 (see
        // `text::Entry`), and a value that is one primitive is its output but for the `]`.
        self.arena.truncate(1);
        if self.arena.capacity() > SPARE_LIMIT {
            self.arena = new_arena();
        }
        let earlier = KEPT.replace(Some(self));
        if earlier.is_some() {
            // A value written while this one was (see `KEPT`) left its serializer.
            drop_cold(earlier);
        }
    }

    /// Resets what the slots of a value filled: everything but the arena.
    #[inline(never)]
    fn reset_slots(&mut self) {
        self.ranges.clear();
        if self.ranges.capacity() * std::mem::size_of::<(u32, u32)>() > SPARE_LIMIT {
            self.ranges = Vec::with_capacity(16);
        }
        self.stack.clear();
        if self.stack.capacity() > SPARE_LIMIT {
            self.stack = Vec::with_capacity(128);
        }
        // At most `SMALL_INTS` of them: always kept.
        self.small_ints.clear();
        self.small = [0; SMALL_INLINE];
        self.null = None;
        self.bools = [None; 2];
        self.depth = 0;
        self.table.reset(SPARE_LIMIT);
    }

    /// Records a slot's range.
    #[inline]
    pub(super) fn push_range(&mut self, range: (u32, u32)) {
        self.ranges.push(range);
    }

    pub(super) fn alloc(&mut self) -> u32 {
        let i = self.ranges.len() as u32;
        self.push_range((0, 0));
        i
    }

    /// The text of the container being written.
    pub(crate) fn stack_mut(&mut self) -> &mut Vec<u8> {
        &mut self.stack
    }

    /// Starts a container's text on the stack; returns where it starts.
    pub(super) fn open(&mut self, prefix: &[u8]) -> usize {
        let start = self.stack.len();
        self.stack.extend_from_slice(prefix);
        start
    }

    /// Moves the container text on the stack from `start` into the arena as `slot`. The
    /// root's (slot 0, the last to end) stays on the stack, range `(0, end)` (no arena text
    /// starts at 0): the output copies it from there.
    #[inline(always)]
    pub(super) fn close(&mut self, slot: u32, start: usize) {
        let end = self.stack.len();
        if slot == 0 {
            debug_assert_eq!(start, 0);
            self.ranges[0] = (0, end as u32);
            return;
        }
        let at = self.arena.len();
        self.arena.extend_from_slice(&self.stack[start..]);
        self.stack.truncate(start);
        self.ranges[slot as usize] = (at as u32, (at + end - start) as u32);
        self.arena.push(b',');
    }

    /// Whether the primitive being written is the whole value.
    #[inline]
    pub(super) fn is_root(&self) -> bool {
        self.ranges.is_empty() && self.depth == 0
    }

    /// Dedupes the primitive whose text was just written to the arena from `start`.
    pub(super) fn intern(&mut self, start: usize) -> Ref {
        let end = self.arena.len();
        self.intern_hashed(start, hash(&self.arena[start..end]))
    }

    /// [`Ser::intern`] with the text's hash (any hash that equal texts share).
    pub(super) fn intern_hashed(&mut self, start: usize, hash: u32) -> Ref {
        if self.is_root() {
            // The whole value is this primitive: slot 0, nothing to de-duplicate, no range
            // list (the output is the arena's text).
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
    pub(super) fn insert(&mut self, hash: u32, start: usize, end: usize) -> Ref {
        let slot = self.ranges.len() as u32;
        self.push_range((start as u32, end as u32));
        self.table.insert(hash, slot, start, end);
        self.arena.push(b',');
        Ref::from(slot)
    }

    pub(super) fn fixed(&mut self, which: Fixed) -> Ref {
        let cell = match which {
            Fixed::Null => &mut self.null,
            Fixed::Bool(b) => &mut self.bools[usize::from(b)],
        };
        if let Some(slot) = *cell {
            return Ref::from(slot);
        }
        self.fixed_first(which)
    }

    /// The first `null`, `true` or `false` of the value (at most three a value: kept out of
    /// line, so that the repeated ones stay small).
    #[inline(never)]
    pub(super) fn fixed_first(&mut self, which: Fixed) -> Ref {
        // The text and its `,` as one fixed-size piece, cut to length.
        let (piece, len): (&[u8; 8], usize) = match which {
            Fixed::Null => (b"null,,,,", 4),
            Fixed::Bool(true) => (b"true,,,,", 4),
            Fixed::Bool(false) => (b"false,,,", 5),
        };
        let start = self.arena.len();
        self.arena.extend_from_slice(piece);
        if self.is_root() {
            // The whole value: no slot list (see `intern`).
            self.arena.truncate(start + len);
            return 0;
        }
        self.arena.truncate(start + len + 1);
        let slot = self.ranges.len() as u32;
        match which {
            Fixed::Null => self.null = Some(slot),
            Fixed::Bool(b) => self.bools[usize::from(b)] = Some(slot),
        }
        self.push_range((start as u32, (start + len) as u32));
        Ref::from(slot)
    }

    pub(super) fn string(&mut self, s: &str) -> Ref {
        let bytes = s.as_bytes();
        if self.is_root() {
            // The whole value: nothing to de-duplicate (see `intern`).
            let (special, _) = scan::<false>(bytes);
            if special {
                write_scanned(&mut self.arena, bytes, true);
            } else {
                write_plain_slot(&mut self.arena, bytes);
                // The slot's `,`: the output's `]` takes its place.
                self.arena.pop();
            }
            return 0;
        }
        // The hash is of the unescaped string: equal strings share it.
        let (special, hash) = scan::<true>(bytes);
        let start = self.arena.len();
        if !special {
            // Nothing to escape: a slot with the same string has the text `"` `bytes` `"`
            // (no other primitive's text starts with `"`); look it up before writing.
            let arena = &self.arena;
            let probe = self.table.probe(hash, |s, e| {
                e - s == bytes.len() + 2 && arena[s] == b'"' && &arena[s + 1..e - 1] == bytes
            });
            let probe = match probe {
                Ok(slot) => return Ref::from(slot),
                Err(probe) => probe,
            };
            write_plain_slot(&mut self.arena, bytes);
            let end = self.arena.len() - 1;
            let slot = self.ranges.len() as u32;
            self.push_range((start as u32, end as u32));
            self.table.insert_at(probe, hash, slot, start, end);
            return Ref::from(slot);
        }
        write_scanned(&mut self.arena, bytes, special);
        self.intern_hashed(start, hash)
    }

    #[inline(always)]
    pub(super) fn uint(&mut self, v: u64) -> Ref {
        if (v as usize) < SMALL_INLINE {
            let cached = self.small[v as usize];
            if cached != 0 {
                return Ref::from(cached - 1);
            }
            let r = self.new_small(v);
            // Not when it is the whole value (slot 0): a value without slots leaves the
            // caches as they are for the next one (`keep`).
            if r != 0 {
                self.small[v as usize] = r as u32 + 1;
            }
            return r;
        }
        if (v as usize) < SMALL_INTS {
            if let Some(&slot) = self.small_ints.get(v as usize) {
                if slot != u32::MAX {
                    return Ref::from(slot);
                }
            }
            let r = self.new_small(v);
            if r != 0 {
                if self.small_ints.len() <= v as usize {
                    self.small_ints.resize(v as usize + 1, u32::MAX);
                }
                self.small_ints[v as usize] = r as u32;
            }
            return r;
        }
        let start = self.arena.len();
        write_u64(&mut self.arena, v);
        self.intern(start)
    }

    /// The first slot of an integer below [`SMALL_INTS`]: every one of them is looked up in
    /// the small-integer caches first (`uint`; no other primitive has the text of one), so
    /// this one is new and needs no de-duplication table entry.
    #[inline(always)]
    fn new_small(&mut self, v: u64) -> Ref {
        let start = self.arena.len();
        write_u64(&mut self.arena, v);
        if self.is_root() {
            return 0;
        }
        let slot = self.ranges.len() as u32;
        self.push_range((start as u32, self.arena.len() as u32));
        self.arena.push(b',');
        Ref::from(slot)
    }

    pub(super) fn int(&mut self, v: i128) -> Result<Ref, Error> {
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

    pub(super) fn number(&mut self, v: f64) -> Ref {
        // Small whole numbers first (the most common, and cached): through `i64`, which
        // saturates (infinities and large values fail the bound), and back, compared by
        // their bits (which tells `-0` from 0, and fails for NaN, read as 0).
        let i = v as i64;
        if (i as u64) < SMALL_INTS as u64 && (i as f64).to_bits() == v.to_bits() {
            return self.uint(i as u64);
        }
        self.other_number(v)
    }

    /// [`Ser::number`] of a number that is not a small whole one: out of line, with its
    /// formatting buffer.
    #[inline(never)]
    fn other_number(&mut self, v: f64) -> Ref {
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
            // Through `i64` (exact here): x86-64 converts signed integers in one instruction.
            let whole = a as i64 as u64;
            if whole as i64 as f64 == a {
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
                let m = (a * 1e6 + 0.5) as i64 as u64;
                if m as i64 as f64 / 1e6 == a {
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
    pub(super) fn leaf(&mut self, write: impl FnOnce(&mut Vec<u8>)) -> Ref {
        let slot = self.alloc();
        let start = self.arena.len() as u32;
        write(&mut self.arena);
        self.ranges[slot as usize] = (start, self.arena.len() as u32);
        self.arena.push(b',');
        Ref::from(slot)
    }

    pub(super) fn bytes(&mut self, v: &[u8]) -> Ref {
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

    /// Writes `{"variant":inner}` into the slot `outer`.
    pub(super) fn wrap(&mut self, outer: u32, variant: &str, inner: Ref) {
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
#[inline]
pub(super) fn write_decimals(out: &mut Vec<u8>, frac: u64) {
    let (hi, mid, lo) = (
        (frac / 10_000) as usize * 2,
        (frac / 100 % 100) as usize * 2,
        (frac % 100) as usize * 2,
    );
    let digits = [
        b'.',
        DIGITS[hi],
        DIGITS[hi + 1],
        DIGITS[mid],
        DIGITS[mid + 1],
        DIGITS[lo],
        DIGITS[lo + 1],
        b'0',
    ];
    // The trailing zeros, counted at once: as a little-endian word less `'0'` in every byte
    // but the `.`, the last digits are its highest bytes, zero where they are `'0'` (the last
    // byte is a `'0'` too, and the `.` never is: at most seven zero bytes, the `.` kept).
    let word = u64::from_le_bytes(digits) ^ 0x3030_3030_3030_3000;
    let zeros = word.leading_zeros() as usize / 8;
    // All eight bytes at once, then the trailing zeros dropped: no `memcpy` call.
    let at = out.len();
    out.extend_from_slice(&digits);
    out.truncate(at + 8 - zeros);
}

#[derive(Clone, Copy)]
pub(super) enum Fixed {
    Null,
    Bool(bool),
}

#[cold]
pub(super) fn too_deep() -> Error {
    Error::new(format!(
        "nesting deeper than {}",
        crate::devalue::parse::MAX_DEPTH
    ))
}

pub(super) fn unsafe_integer(v: impl std::fmt::Display) -> Error {
    Error::new(format!(
        "integer {v} is beyond ±2^53, which a JavaScript number cannot hold exactly; use js::BigInt"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`write_decimals`] as it was before it counted the trailing zeros at once: the
    /// reference.
    fn reference_decimals(out: &mut Vec<u8>, frac: u64) {
        let (hi, mid, lo) = (
            (frac / 10_000) as usize * 2,
            (frac / 100 % 100) as usize * 2,
            (frac % 100) as usize * 2,
        );
        let digits = [
            b'.',
            DIGITS[hi],
            DIGITS[hi + 1],
            DIGITS[mid],
            DIGITS[mid + 1],
            DIGITS[lo],
            DIGITS[lo + 1],
        ];
        let mut len = 7;
        while digits[len - 1] == b'0' {
            len -= 1;
        }
        out.extend_from_slice(&digits[..len]);
    }

    /// Every six-decimal fraction is written as the reference writes it, after any text.
    #[test]
    fn decimals_agree_with_the_reference_for_every_fraction() {
        let (mut out, mut want) = (b"12".to_vec(), b"12".to_vec());
        for frac in 1..1_000_000 {
            out.truncate(2);
            want.truncate(2);
            write_decimals(&mut out, frac);
            reference_decimals(&mut want, frac);
            assert_eq!(out, want, "{frac}");
        }
    }
}
