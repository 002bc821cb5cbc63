//! The serializer's state: the slot arena, the de-duplication of primitives and the buffers
//! kept on the thread between values.

use serde::ser::Serialize;

use super::{MAX_SAFE, Ref, SMALL_INLINE, SMALL_INTS};
use crate::devalue::text::{
    DIGITS, Entry, Keys, Table, hash, scan, write_plain_slot, write_ref, write_scanned,
    write_string, write_u64,
};
use crate::devalue::{Error, base64};

/// The most memory a buffer may hold to be kept for the next value: one large value must
/// not make its thread hold as much for good.
pub(super) const SPARE_LIMIT: usize = 64 * 1024;

/// The most capacity an output of `len` bytes may carry: a response holds its buffer whole
/// until it is sent.
pub(super) fn slack(len: usize) -> usize {
    len * 2 + 256
}

/// The serializer's buffers, kept on each thread between values: the next value writes into
/// them without allocating (only its output is a new allocation, as with `serde_json`). Each
/// is kept only below [`SPARE_LIMIT`] bytes. The box stays with the thread: the buffers are
/// swapped in and out of it, which moves no more than their headers.
#[derive(Default)]
pub(super) struct Spare {
    pub(super) arena: Vec<u8>,
    pub(super) ranges: Vec<(u32, u32)>,
    pub(super) stack: Vec<u8>,
    pub(super) small_ints: Vec<u32>,
    pub(super) cells: Vec<Entry>,
    /// How many primitives the last value's table held.
    pub(super) entries: usize,
    pub(super) keys: Option<Box<Keys>>,
}

thread_local! {
    static SPARE: std::cell::Cell<Option<Box<Spare>>> = const { std::cell::Cell::new(None) };
}

/// Moves `buffer`, emptied, into `kept` if it is small enough to keep (and `kept` into
/// `buffer`).
#[inline]
pub(super) fn keep_into<T>(buffer: &mut Vec<T>, kept: &mut Vec<T>) {
    if buffer.capacity() * std::mem::size_of::<T>() <= SPARE_LIMIT {
        buffer.clear();
        std::mem::swap(buffer, kept);
    }
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
    /// The arena this value started with, when kept buffers took its place (`first_slot`):
    /// the output's memory if it is large enough.
    pub(super) fresh: Vec<u8>,
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

    /// Records a slot's range; the list is allocated at the first slot.
    #[inline]
    pub(super) fn push_range(&mut self, range: (u32, u32)) {
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
    pub(super) fn first_slot(&mut self) {
        debug_assert!(self.ranges.is_empty() && self.table.len() == 0 && self.stack.is_empty());
        let Some(mut spare) = SPARE.take() else {
            self.ranges.reserve(16);
            self.stack.reserve(128);
            return;
        };
        if spare.arena.capacity() > self.arena.capacity() {
            std::mem::swap(&mut self.arena, &mut spare.arena);
            self.arena.extend_from_slice(&spare.arena);
            std::mem::swap(&mut self.fresh, &mut spare.arena);
        } else {
            std::mem::swap(&mut self.fresh, &mut spare.arena);
        }
        std::mem::swap(&mut self.ranges, &mut spare.ranges);
        self.ranges.reserve(16);
        std::mem::swap(&mut self.stack, &mut spare.stack);
        self.stack.reserve(128);
        std::mem::swap(&mut self.small_ints, &mut spare.small_ints);
        self.table
            .set_spare(std::mem::take(&mut spare.cells), spare.entries);
        self.keys = spare.keys.take();
        // The box goes back empty, and `spare` fills it again (a value written meanwhile by a
        // `Serialize` impl of this one finds no buffers in it, and leaves its own).
        SPARE.set(Some(spare));
    }

    /// The output of a value that is one slot: the arena's text in `range`. The arena itself
    /// when it is not much larger (it is the output's memory), a copy otherwise (the arena is
    /// kept for the next value).
    pub(super) fn take_output(&mut self, range: std::ops::Range<usize>) -> Vec<u8> {
        if self.arena.capacity() <= slack(range.len()) {
            let mut out = std::mem::take(&mut self.arena);
            out.truncate(range.end);
            self.spare();
            return out;
        }
        let mut out = self.output(range.len());
        out.extend_from_slice(&self.arena[range]);
        self.spare();
        out
    }

    /// An empty buffer for an output of at most `len` bytes: the value's first arena if it
    /// was set aside, is large enough and not much larger (no allocation), else a new one.
    pub(super) fn output(&mut self, len: usize) -> Vec<u8> {
        let capacity = self.fresh.capacity();
        if capacity >= len && capacity <= slack(len) {
            let mut out = std::mem::take(&mut self.fresh);
            out.clear();
            return out;
        }
        Vec::with_capacity(len)
    }

    /// Keeps the buffers for the next value on this thread (the value is written).
    pub(super) fn spare(&mut self) {
        // The next table is sized for as many entries at once, but not beyond what is kept:
        // a small value after a huge one must not allocate a huge table.
        let entries = self
            .table
            .len()
            .min(SPARE_LIMIT / std::mem::size_of::<Entry>() / 2);
        let mut spare = SPARE.take().unwrap_or_default();
        // The box's buffers are empty (or a value written meanwhile left its own): swapped,
        // the serializer drops them.
        keep_into(&mut self.arena, &mut spare.arena);
        keep_into(&mut self.ranges, &mut spare.ranges);
        keep_into(&mut self.stack, &mut spare.stack);
        keep_into(&mut self.small_ints, &mut spare.small_ints);
        let mut cells = self.table.take_spare();
        keep_into(&mut cells, &mut spare.cells);
        spare.entries = entries;
        spare.keys = self.keys.take();
        SPARE.set(Some(spare));
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

    /// Moves the container text on the stack from `start` into the arena as `slot`.
    #[inline(always)]
    pub(super) fn close(&mut self, slot: u32, start: usize) {
        let at = self.arena.len() as u32;
        self.arena.extend_from_slice(&self.stack[start..]);
        self.stack.truncate(start);
        self.ranges[slot as usize] = (at, self.arena.len() as u32);
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
    pub(super) fn insert(&mut self, hash: u32, start: usize, end: usize) -> Ref {
        let slot = self.ranges.len() as u32;
        self.push_range((start as u32, end as u32));
        self.table.insert(hash, slot, start, end);
        self.arena.push(b',');
        Ref::from(slot)
    }

    pub(super) fn fixed(&mut self, which: Fixed, text: &[u8]) -> Ref {
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
    pub(super) fn fixed_first(&mut self, which: Fixed, text: &[u8]) -> Ref {
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
            let found = self.table.find(hash, |s, e| {
                e - s == bytes.len() + 2 && arena[s] == b'"' && &arena[s + 1..e - 1] == bytes
            });
            if let Some(slot) = found {
                return Ref::from(slot);
            }
            write_plain_slot(&mut self.arena, bytes);
            let end = self.arena.len() - 1;
            let slot = self.ranges.len() as u32;
            self.push_range((start as u32, end as u32));
            self.table.insert(hash, slot, start, end);
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
            self.small[v as usize] = r as u32 + 1;
            return r;
        }
        if (v as usize) < SMALL_INTS {
            if let Some(&slot) = self.small_ints.get(v as usize) {
                if slot != u32::MAX {
                    return Ref::from(slot);
                }
            }
            let r = self.new_small(v);
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
