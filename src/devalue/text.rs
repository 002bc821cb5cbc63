//! Text and lookup helpers of the devalue serializer: string escaping, integer writing,
//! `Object.keys` array-index detection and the primitive de-duplication table.

/// How many entries the table holds inline, searched linearly, before it allocates.
const INLINE: usize = 8;

/// A table entry: a primitive's hash, slot and arena range (`end == 0`: empty, as every text
/// is non-empty and the arena starts with `[`).
#[derive(Clone, Copy, Default)]
pub(crate) struct Entry {
    hash: u32,
    slot: u32,
    start: u32,
    end: u32,
}

/// Where [`Table::probe`] found no entry: the next inline entry, or an empty cell.
#[derive(Clone, Copy)]
pub(crate) enum Probe {
    Inline,
    Cell(usize),
}

/// Open-addressing hash table of primitive slots, compared by their arena text through a
/// callback. The first [`INLINE`] entries are held inline: a value with few primitives
/// allocates no table.
#[derive(Default)]
pub(crate) struct Table {
    cells: Vec<Entry>,
    /// The entries, while `cells` is not allocated.
    inline: [Entry; INLINE],
    len: usize,
    /// Memory for `cells` left by an earlier value (see [`Table::reset`]), used when the
    /// inline entries overflow.
    spare: Vec<Entry>,
    /// How many cells to allocate when the inline entries overflow.
    first_size: usize,
}

impl Table {
    /// Empties the table for the next value. Its cells' memory (if it is at most `limit`
    /// bytes) is kept for when that value's entries overflow the inline ones, sized at once
    /// for as many entries as this value's (bounded by `limit`: a value of the same shape
    /// then grows once, without rehashing, and a small value after a huge one does not fill
    /// a huge table).
    #[inline]
    pub(crate) fn reset(&mut self, limit: usize) {
        if self.cells.is_empty() {
            // At most `INLINE` entries: the first cells will be the fewest.
            self.first_size = 0;
        } else {
            self.reset_cells(limit);
        }
        self.len = 0;
    }

    #[cold]
    fn reset_cells(&mut self, limit: usize) {
        let entries = self.len.min(limit / std::mem::size_of::<Entry>() / 2);
        self.first_size = (entries * 2 + 1).next_power_of_two();
        let cells = std::mem::take(&mut self.cells);
        if cells.capacity() * std::mem::size_of::<Entry>() <= limit
            && cells.capacity() >= self.spare.capacity()
        {
            self.spare = cells;
        }
    }

    /// The slot of an entry with this `hash` whose arena range `eq` accepts.
    #[inline]
    pub(crate) fn find(&self, hash: u32, eq: impl Fn(usize, usize) -> bool) -> Option<u32> {
        if self.cells.is_empty() {
            return self.inline[..self.len]
                .iter()
                .find(|e| e.hash == hash && eq(e.start as usize, e.end as usize))
                .map(|e| e.slot);
        }
        let mask = self.cells.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let e = self.cells[i];
            if e.end == 0 {
                return None;
            }
            if e.hash == hash && eq(e.start as usize, e.end as usize) {
                return Some(e.slot);
            }
            i = (i + 1) & mask;
        }
    }

    /// [`Table::find`], and where to insert the entry if there is none (for
    /// [`Table::insert_at`]: the table must not change in between).
    #[inline]
    pub(crate) fn probe(&self, hash: u32, eq: impl Fn(usize, usize) -> bool) -> Result<u32, Probe> {
        if self.cells.is_empty() {
            return match self.inline[..self.len]
                .iter()
                .find(|e| e.hash == hash && eq(e.start as usize, e.end as usize))
            {
                Some(e) => Ok(e.slot),
                None => Err(Probe::Inline),
            };
        }
        let mask = self.cells.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let e = self.cells[i];
            if e.end == 0 {
                return Err(Probe::Cell(i));
            }
            if e.hash == hash && eq(e.start as usize, e.end as usize) {
                return Ok(e.slot);
            }
            i = (i + 1) & mask;
        }
    }

    /// Inserts an entry where [`Table::probe`] found none.
    #[inline]
    pub(crate) fn insert_at(
        &mut self,
        probe: Probe,
        hash: u32,
        slot: u32,
        start: usize,
        end: usize,
    ) {
        let entry = Entry {
            hash,
            slot,
            start: start as u32,
            end: end as u32,
        };
        match probe {
            Probe::Inline if self.len < INLINE => self.inline[self.len] = entry,
            Probe::Cell(i) if (self.len + 1) * 2 <= self.cells.len() => self.cells[i] = entry,
            // The table grows first.
            _ => return self.insert(hash, slot, start, end),
        }
        self.len += 1;
    }

    pub(crate) fn insert(&mut self, hash: u32, slot: u32, start: usize, end: usize) {
        let entry = Entry {
            hash,
            slot,
            start: start as u32,
            end: end as u32,
        };
        if self.cells.is_empty() && self.len < INLINE {
            self.inline[self.len] = entry;
            self.len += 1;
            return;
        }
        if (self.len + 1) * 2 > self.cells.len() {
            self.grow();
        }
        self.place(entry);
        self.len += 1;
    }

    #[cold]
    fn grow(&mut self) {
        let size = (self.cells.len() * 2).max(32).max(self.first_size);
        let mut fresh = std::mem::take(&mut self.spare);
        fresh.clear();
        fresh.resize(size, Entry::default());
        let old = std::mem::replace(&mut self.cells, fresh);
        if old.is_empty() {
            for e in self.inline {
                self.place(e);
            }
        }
        for e in old {
            if e.end != 0 {
                self.place(e);
            }
        }
    }

    #[inline]
    fn place(&mut self, entry: Entry) {
        let mask = self.cells.len() - 1;
        let mut i = entry.hash as usize & mask;
        while self.cells[i].end != 0 {
            i = (i + 1) & mask;
        }
        self.cells[i] = entry;
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
/// FxHash's multiplier.
const K: u64 = 0x517c_c1b7_2722_0a95;

/// The low seven bits of every byte; added to a byte below 0x80, sets its high bit unless the
/// byte is zero (no carry into the next byte).
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// Bytes that `write_string` must look at: `"`, `\\`, `<`, control characters, and 0xE2 (the
/// first byte of U+2028 and U+2029). Returns a word whose high bit is set in exactly those
/// bytes (zero if there is none).
#[inline]
fn special_bits(w: u64) -> u64 {
    !ordinary(w) & HIGH
}

/// A word whose high bit is set in every byte of `w` that is not special (see
/// [`special_bits`]); the other bits are noise. The AND of several words' is the one to take
/// [`special_bits`] of (a loop keeps one AND a word).
#[inline]
fn ordinary(w: u64) -> u64 {
    // Each byte on its own: its low seven bits, XORed with a byte to compare with, plus 0x7F,
    // carry into the byte's high bit unless they are equal, and never into the next byte.
    if w & HIGH == 0 {
        // ASCII only (most text): no 0xE2, and the bytes are their low seven bits.
        return ordinary_ascii(w);
    }
    let low = w & LOW7;
    // The ASCII tests hold only for bytes below 0x80; 0xE2 is 0x62 with the high bit.
    (ordinary_ascii(low) | w) & ((low ^ (ONES * 0x62)).wrapping_add(LOW7) | !w)
}

/// [`ordinary`] of a word whose bytes are all below 0x80.
#[inline(always)]
fn ordinary_ascii(low: u64) -> u64 {
    low.wrapping_add(ONES * 0x60)
        & (low ^ (ONES * u64::from(b'"'))).wrapping_add(LOW7)
        & (low ^ (ONES * u64::from(b'\\'))).wrapping_add(LOW7)
        & (low ^ (ONES * u64::from(b'<'))).wrapping_add(LOW7)
}

#[inline]
fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// The bytes of `bytes` after its last whole word (1 to 7 of them) as one word, padded with
/// `A`s (ordinary bytes), read with fixed-size loads (overlapping ones, which repeat bytes).
#[inline]
fn tail(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if n >= 8 {
        // The last eight bytes, overlapping the last whole word.
        return word(&bytes[n - 8..]);
    }
    let r = n % 8;
    let rest = &bytes[n - r..];
    if r >= 4 {
        let lo = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let hi = u32::from_le_bytes([rest[r - 4], rest[r - 3], rest[r - 2], rest[r - 1]]);
        u64::from(lo) | u64::from(hi) << 32
    } else if r >= 2 {
        let lo = u16::from_le_bytes([rest[0], rest[1]]);
        let hi = u16::from_le_bytes([rest[r - 2], rest[r - 1]]);
        u64::from(lo) | u64::from(hi) << 16 | 0x4141_4141 << 32
    } else {
        u64::from(rest[0]) | 0x4141_4141_4141_4100
    }
}

/// Scans `bytes` a word at a time: whether any needs escaping (see [`special_bits`]), and
/// (with `HASH`) a fast non-cryptographic hash of them (FxHash-style, with the length). The
/// one-word case (most strings of a value: names, tags, keys) is inlined into its caller.
#[inline(always)]
pub(crate) fn scan<const HASH: bool>(bytes: &[u8]) -> (bool, u32) {
    if HASH && bytes.len() <= 8 && !bytes.is_empty() {
        let w = if bytes.len() == 8 {
            word(bytes)
        } else {
            tail(bytes)
        };
        let h = (((bytes.len() as u64).rotate_left(5) ^ w).wrapping_mul(K) >> 29) ^ w;
        let h = h.wrapping_mul(K);
        return (special_bits(w) != 0, (h >> 32) as u32);
    }
    if HASH {
        scan_words_hashed(bytes)
    } else {
        scan_words::<false>(bytes)
    }
}

/// [`scan`] of more than one word, with the hash: out of line.
#[inline(never)]
fn scan_words_hashed(bytes: &[u8]) -> (bool, u32) {
    scan_words::<true>(bytes)
}

/// [`scan`] of more than one word (or any length without `HASH`).
#[inline(always)]
fn scan_words<const HASH: bool>(bytes: &[u8]) -> (bool, u32) {
    let mut h = bytes.len() as u64;
    let mut plain = !0;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = word(c);
        plain &= ordinary(w);
        if HASH {
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
    }
    if !chunks.remainder().is_empty() {
        let w = tail(bytes);
        plain &= ordinary(w);
        if HASH {
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
    }
    // A multiply carries a difference in an input bit to the bits above it only: fold the
    // high half in and multiply again, so that every input bit reaches the low bits the
    // table indexes with.
    let h = (h ^ h >> 32).wrapping_mul(K);
    (!plain & HIGH != 0, (h >> 32) as u32)
}

/// A fast non-cryptographic hash of a primitive's text.
#[inline]
pub(crate) fn hash(bytes: &[u8]) -> u32 {
    scan::<true>(bytes).1
}

/// Appends `bytes`; one to sixteen of them with fixed-size copies (no `memcpy` call, which
/// costs more than the copy for the short texts a value is mostly made of).
#[inline(always)]
pub(crate) fn extend_short(out: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    let at = out.len();
    if (8..=16).contains(&n) {
        let lo: [u8; 8] = bytes[..8].try_into().expect("8 bytes");
        let hi: [u8; 8] = bytes[n - 8..].try_into().expect("8 bytes");
        out.extend_from_slice(&lo);
        out.truncate(at + n - 8);
        out.extend_from_slice(&hi);
    } else if (4..8).contains(&n) {
        let lo: [u8; 4] = bytes[..4].try_into().expect("4 bytes");
        let hi: [u8; 4] = bytes[n - 4..].try_into().expect("4 bytes");
        out.extend_from_slice(&lo);
        out.truncate(at + n - 4);
        out.extend_from_slice(&hi);
    } else if n < 4 {
        for &b in bytes {
            out.push(b);
        }
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Appends `s` as devalue's `stringify_string` writes it.
#[inline]
pub(crate) fn write_string(out: &mut Vec<u8>, s: &str) {
    let (special, _) = scan::<false>(s.as_bytes());
    write_scanned(out, s.as_bytes(), special);
}

/// Appends `bytes` as a string, `special` telling whether some byte may need escaping.
#[inline]
pub(crate) fn write_scanned(out: &mut Vec<u8>, bytes: &[u8], special: bool) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if special {
        write_escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// Appends `bytes`, which need no escaping, as a string followed by a `,`. Up to 16 bytes,
/// a fixed-size piece is appended first and the text written over it in place (overlapping
/// fixed-size copies), then cut to its length: one capacity check, no `memcpy` call, and no
/// read of bytes just written in pieces (which would wait for the stores to be forwarded).
#[inline(always)]
pub(crate) fn write_plain_slot(out: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    if n <= 16 {
        let at = out.len();
        out.extend_from_slice(&[b','; 24]);
        let text = &mut out[at..at + 24];
        text[0] = b'"';
        if n >= 8 {
            text[1..9].copy_from_slice(&bytes[..8]);
            text[n - 7..n + 1].copy_from_slice(&bytes[n - 8..]);
        } else if n >= 4 {
            text[1..5].copy_from_slice(&bytes[..4]);
            text[n - 3..n + 1].copy_from_slice(&bytes[n - 4..]);
        } else if n > 0 {
            text[1] = bytes[0];
            text[1 + n / 2] = bytes[n / 2];
            text[n] = bytes[n - 1];
        }
        text[n + 1] = b'"';
        out.truncate(at + n + 3);
        return;
    }
    out.reserve(bytes.len() + 3);
    out.push(b'"');
    extend_short(out, bytes);
    out.extend_from_slice(b"\",");
}

/// Appends `bytes` (a string's), escaped, without the quotes.
#[cold]
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip eight ordinary bytes at a time, and straight to the first special byte of a
        // word (the lowest flagged byte of `special_bits` is always a special one).
        if let Some(w) = bytes.get(i..i + 8) {
            let bits = special_bits(word(w));
            if bits == 0 {
                i += 8;
                continue;
            }
            i += (bits.trailing_zeros() / 8) as usize;
        }
        let b = bytes[i];
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'<' => b"\\u003C",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..0x20 => b"",
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                b""
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[run..i]);
        if !esc.is_empty() {
            out.extend_from_slice(esc);
            i += 1;
        } else if b == 0xe2 {
            out.extend_from_slice(if bytes[i + 2] == 0xa8 {
                b"\\u2028"
            } else {
                b"\\u2029"
            });
            i += 3;
        } else {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 15)]);
            i += 1;
        }
        run = i;
    }
    out.extend_from_slice(&bytes[run..]);
}

/// `"00" "01" … "99"`: two digits at a time.
pub(crate) static DIGITS: [u8; 200] = {
    let mut table = [0u8; 200];
    let mut n = 0;
    while n < 100 {
        table[2 * n] = b'0' + (n / 10) as u8;
        table[2 * n + 1] = b'0' + (n % 10) as u8;
        n += 1;
    }
    table
};

#[inline(always)]
pub(crate) fn write_u64(out: &mut Vec<u8>, v: u64) {
    // References and small numbers: fixed-size copies, no `memcpy` call.
    if v < 10 {
        out.push(b'0' + v as u8);
        return;
    }
    if v < 100 {
        let d = v as usize * 2;
        out.extend_from_slice(&[DIGITS[d], DIGITS[d + 1]]);
        return;
    }
    if v < 1000 {
        let d = (v % 100) as usize * 2;
        out.extend_from_slice(&[b'0' + (v / 100) as u8, DIGITS[d], DIGITS[d + 1]]);
        return;
    }
    if v < 10_000 {
        let (hi, lo) = ((v / 100) as usize * 2, (v % 100) as usize * 2);
        out.extend_from_slice(&[DIGITS[hi], DIGITS[hi + 1], DIGITS[lo], DIGITS[lo + 1]]);
        return;
    }
    write_u64_long(out, v);
}

fn write_u64_long(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while v >= 100 {
        let d = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGITS[d..d + 2]);
    }
    if v >= 10 {
        let d = v as usize * 2;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGITS[d..d + 2]);
    } else {
        i -= 1;
        buf[i] = b'0' + v as u8;
    }
    out.extend_from_slice(&buf[i..]);
}

#[inline]
pub(crate) fn write_ref(out: &mut Vec<u8>, r: i64) {
    if r < 0 {
        out.push(b'-');
    }
    write_u64(out, r.unsigned_abs());
}

/// The array index a key stands for in `Object.keys` ordering ("0" or `[1-9][0-9]*` below
/// 2^32 − 1), if any.
pub(crate) fn array_index(key: &str) -> Option<u32> {
    let b = key.as_bytes();
    if b.is_empty()
        || b.len() > 10
        || (b[0] == b'0' && b.len() > 1)
        || !b.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let n: u64 = key.parse().ok()?;
    (n < u64::from(u32::MAX)).then_some(n as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_u64_writes_decimal() {
        for v in (0..20_000).chain([99_999, 100_000, 1 << 53, u64::MAX]) {
            let mut out = Vec::new();
            write_u64(&mut out, v);
            assert_eq!(out, v.to_string().as_bytes());
        }
    }

    /// The word-at-a-time skip finds every special byte at every position of a word.
    #[test]
    fn write_string_escapes_specials_at_every_offset() {
        for special in [
            "\"", "\\", "<", "\n", "\u{1}", "\u{1f}", "\u{2028}", "\u{2029}",
        ] {
            for (at, len) in (0..20).flat_map(|len| (0..=len).map(move |at| (at, len))) {
                let s = format!("{}{special}{}", "a".repeat(at), "b".repeat(len - at));
                let mut out = Vec::new();
                write_string(&mut out, &s);
                let want = serde_json::to_string(&s)
                    .unwrap()
                    .replace('<', "\\u003C")
                    .replace('\u{2028}', "\\u2028")
                    .replace('\u{2029}', "\\u2029");
                assert_eq!(String::from_utf8(out).unwrap(), want, "{s:?}");
            }
        }
        for len in 0..20 {
            let s = "é".repeat(len / 2) + &"a".repeat(len % 2);
            let mut out = Vec::new();
            write_string(&mut out, &s);
            assert_eq!(out, format!("\"{s}\"").as_bytes());
        }
        let mut out = Vec::new();
        write_string(&mut out, "€ \u{e2}\u{2027}x");
        assert_eq!(out, "\"€ \u{e2}\u{2027}x\"".as_bytes());
    }

    /// Checks that `write` appends `open`, the text and `close` for every text length up to
    /// 40 bytes, whatever the buffer held before and whatever its capacity.
    fn appends_at_every_length(write: fn(&mut Vec<u8>, &[u8]), open: &[u8], close: &[u8]) {
        let source: Vec<u8> = (0..40u8).map(|b| b'a' + b % 26).collect();
        for n in 0..=source.len() {
            for before in [0, 1, 7, 8, 15, 16, 100] {
                for capacity in [before, before + n, before + 64] {
                    let mut out = Vec::with_capacity(capacity);
                    out.extend(std::iter::repeat_n(b'x', before));
                    write(&mut out, &source[..n]);
                    let mut want = vec![b'x'; before];
                    want.extend_from_slice(open);
                    want.extend_from_slice(&source[..n]);
                    want.extend_from_slice(close);
                    assert_eq!(out, want, "{n} bytes after {before}");
                }
            }
        }
    }

    /// Short texts are copied whole whatever their length and the buffer's length and
    /// capacity.
    #[test]
    fn extend_short_appends_every_length() {
        appends_at_every_length(extend_short, b"", b"");
    }

    /// A plain string's slot text is `"…",` whatever its length (the one-piece copies up to
    /// 16 bytes included) and whatever the buffer held before.
    #[test]
    fn plain_slots_are_written_whole_at_every_length() {
        appends_at_every_length(write_plain_slot, b"\"", b"\",");
    }

    /// The scan finds the bytes to escape at every length and position (the one-word path up
    /// to eight bytes included), and a string's hash does not depend on where its bytes lie.
    #[test]
    fn scan_flags_specials_at_every_length() {
        for len in 1..24 {
            let plain = "q".repeat(len);
            assert!(!scan::<true>(plain.as_bytes()).0);
            assert!(!scan::<false>(plain.as_bytes()).0);
            assert_eq!(
                scan::<true>(plain.as_bytes()).1,
                scan::<true>(plain.clone().as_bytes()).1
            );
            for at in 0..len {
                for special in [b'"', b'\\', b'<', b'\n', 0x1f, 0xe2] {
                    let mut bytes = plain.clone().into_bytes();
                    bytes[at] = special;
                    assert!(scan::<true>(&bytes).0, "{bytes:?}");
                    assert!(scan::<false>(&bytes).0, "{bytes:?}");
                }
            }
        }
    }

    /// The field-name cache answers a name it remembers with exactly its written text, after
    /// any number of other names (evicting, and starting its text again): thousands of names,
    /// short, at the inline limit, long and escaped, in a seeded order.
    #[test]
    fn remembered_names_are_their_own_text() {
        let mut rng = crate::test_rng::Rng(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.next();
        let names: Vec<&'static str> = (0..3_000)
            .map(|i| {
                let name = match i % 5 {
                    0 => format!("f{i}"),
                    1 => format!("{:x<20}", i),
                    2 => format!("{:y<21}", i),
                    3 => format!("a much longer field name number {i}, beyond the inline text"),
                    _ => format!("q\"{i}</script>\u{2028}"),
                };
                &*Box::leak(name.into_boxed_str())
            })
            .collect();
        let text = |name: &str| {
            let mut out = vec![b','];
            write_string(&mut out, name);
            out.push(b':');
            out
        };
        let mut keys = Keys::default();
        let (mut hits, mut misses) = (0, 0);
        for _ in 0..200_000 {
            // Mostly a small working set, sometimes any name.
            let i = if next() % 4 == 0 {
                next() as usize % names.len()
            } else {
                next() as usize % 40
            };
            let name = names[i];
            let mut out = b"{".to_vec();
            if keys.write(name, &mut out) {
                hits += 1;
                assert_eq!(out[1..], text(name)[..], "{name:?}");
            } else {
                misses += 1;
                assert_eq!(out, b"{");
                let mut written = Vec::new();
                write_string(&mut written, name);
                keys.insert(name, &written);
                let mut again = Vec::new();
                assert!(keys.write(name, &mut again), "{name:?} just remembered");
                assert_eq!(again, text(name), "{name:?}");
            }
        }
        assert!(
            hits > 100_000 && misses > 10_000,
            "{hits} hits, {misses} misses"
        );
    }

    /// The scan as it was before its per-byte test (borrowing subtractions), kept as the
    /// reference the current one must agree with.
    fn reference_scan(bytes: &[u8], hashed: bool) -> (bool, u32) {
        fn zero_or_borrow(x: u64) -> u64 {
            x.wrapping_sub(ONES) & !x
        }
        fn special_raw(w: u64) -> u64 {
            w.wrapping_sub(ONES * 0x20) & !w
                | zero_or_borrow(w ^ (ONES * u64::from(b'"')))
                | zero_or_borrow(w ^ (ONES * u64::from(b'\\')))
                | zero_or_borrow(w ^ (ONES * u64::from(b'<')))
                | zero_or_borrow(w ^ (ONES * 0xe2))
        }
        if hashed && bytes.len() <= 8 && !bytes.is_empty() {
            let w = if bytes.len() == 8 {
                word(bytes)
            } else {
                tail(bytes)
            };
            let h = (((bytes.len() as u64).rotate_left(5) ^ w).wrapping_mul(K) >> 29) ^ w;
            let h = h.wrapping_mul(K);
            return (special_raw(w) & HIGH != 0, (h >> 32) as u32);
        }
        let mut h = bytes.len() as u64;
        let mut special = 0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = word(c);
            special |= special_raw(w);
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        if !chunks.remainder().is_empty() {
            let w = tail(bytes);
            special |= special_raw(w);
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let h = (h ^ h >> 32).wrapping_mul(K);
        (special & HIGH != 0, (h >> 32) as u32)
    }

    /// The scan agrees with the reference (whether to escape, and the hash) on every byte
    /// value at every position of every length up to 64, on seeded random bytes of many
    /// lengths, and on text with a special byte at every position; `special_bits` flags
    /// exactly the special bytes.
    #[test]
    fn scan_agrees_with_the_reference() {
        let check = |bytes: &[u8]| {
            let (special, hash) = scan::<true>(bytes);
            let (want, want_hash) = reference_scan(bytes, true);
            assert_eq!(special, want, "{bytes:?}");
            assert_eq!(hash, want_hash, "{bytes:?}");
            assert_eq!(scan::<false>(bytes).0, want, "{bytes:?}");
            assert_eq!(reference_scan(bytes, false).0, want, "{bytes:?}");
        };
        let is_special = |b: u8| b < 0x20 || matches!(b, b'"' | b'\\' | b'<' | 0xe2);
        for b in 0..=255u8 {
            for len in 1..=64 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    check(&bytes);
                    assert_eq!(scan::<true>(&bytes).0, is_special(b));
                }
            }
            let w = u64::from_le_bytes([b, 0x41, b, 0xe2, 0x80, b, 0x7f, b]);
            let bits = special_bits(w);
            for i in 0..8 {
                let byte = w.to_le_bytes()[i];
                assert_eq!(bits >> (8 * i + 7) & 1 == 1, is_special(byte), "{w:x}");
                assert_eq!(bits >> (8 * i) & 0x7f, 0, "{w:x}");
            }
        }
        check(b"");
        let mut rng = crate::test_rng::Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..200_000 {
            let len = match rng.below(4) {
                0 => rng.below(9),
                1 => rng.below(65),
                _ => rng.below(400),
            };
            // Bytes near the special ones, ASCII text, or any byte.
            let pool: &[u8] = match rng.below(3) {
                0 => b"\"<\\\x1f\x20\x21\x3b\x3d\x5b\x5d\xe1\xe2\xe3\x62\xa2\xbc\xdc\x7f\x80\x00",
                1 => b"abcdefghijklmnopqrstuvwxyz ABC.,;:!?0123456789-_|{}[]",
                _ => &[],
            };
            let rare = rng.below(50) == 0;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    if pool.is_empty() || (rare && rng.below(len.max(1)) == 0) {
                        rng.next() as u8
                    } else {
                        pool[rng.below(pool.len())]
                    }
                })
                .collect();
            check(&bytes);
            let mut bits = 0;
            let mut chunks = bytes.chunks_exact(8);
            for c in &mut chunks {
                bits |= special_bits(word(c));
            }
            if !chunks.remainder().is_empty() {
                bits |= special_bits(tail(&bytes));
            }
            assert_eq!(bits != 0, bytes.iter().any(|&b| is_special(b)), "{bytes:?}");
        }
    }

    /// Strings are de-duplicated by their hash and text, never with a number of the same text.
    #[test]
    fn strings_and_numbers_of_one_text_stay_apart() {
        let v = (
            "1", 1, "-12", -12, "1", 1.5, "1.5", "item-0-1", "item-0-1", "<", "<",
        );
        let out = String::from_utf8(crate::devalue::to_vec(&v).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"[[1,2,3,4,1,5,6,7,7,8,8],"1",1,"-12",-12,1.5,"1.5","item-0-1","\u003C"]"#
        );
    }
}

/// How many struct field names [`Keys`] remembers: [`KEY_WAYS`] for each of
/// `KEY_SLOTS / KEY_WAYS` hash sets (several ways, so that names of one value whose addresses
/// hash alike do not evict each other at every use, which made the cost of a value depend on
/// where the linker put them).
const KEY_SLOTS: usize = 256;
/// How many names one hash set of [`Keys`] holds.
const KEY_WAYS: usize = 4;
/// How much written key text [`Keys`] holds before it starts again.
const KEY_TEXT_LIMIT: usize = 8 * 1024;

/// The most written key text (`,"name":`) a [`Keys`] slot holds inline: copied as one
/// fixed-size piece. Longer text is kept in [`Keys`]' text buffer.
const KEY_INLINE: usize = 24;

/// The written text (`,"name":`) of struct field names, which are `&'static str`: a name seen
/// before is found again by its address and length (the same address and length are the same
/// bytes, as `'static` text never changes or goes away) and copied, instead of scanned for
/// escapes and checked again. Only names that are not array indices and not `__proto__` are
/// remembered: they need no ordering check.
pub(crate) struct Keys {
    slots: [KeySlot; KEY_SLOTS],
    /// The text of names longer than [`KEY_INLINE`].
    text: Vec<u8>,
}

#[derive(Clone, Copy, Default)]
struct KeySlot {
    /// The name's address; 0 for an empty slot (no `&str` is at address 0).
    addr: usize,
    len: usize,
    /// The text's length, and where it starts in `Keys::text` if it is not inline.
    n: u32,
    start: u32,
    inline: [u8; KEY_INLINE],
}

impl KeySlot {
    #[inline]
    fn is(&self, key: &'static str) -> bool {
        self.addr == key.as_ptr() as usize && self.len == key.len()
    }
}

impl Default for Keys {
    fn default() -> Self {
        Keys {
            slots: [KeySlot::default(); KEY_SLOTS],
            text: Vec::new(),
        }
    }
}

impl Keys {
    /// The first of the [`KEY_WAYS`] slots `key` may be in (the others follow it).
    #[inline]
    fn set(key: &'static str) -> usize {
        let h = (key.as_ptr() as u64 ^ key.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        const BITS: u32 = (KEY_SLOTS / KEY_WAYS).trailing_zeros();
        (h >> (64 - BITS)) as usize * KEY_WAYS
    }

    /// Appends `key`'s written text `,"name":` to `out` if it was remembered.
    #[inline(always)]
    pub(crate) fn write(&self, key: &'static str, out: &mut Vec<u8>) -> bool {
        let set = Self::set(key);
        let Some(slot) = self.slots[set..set + KEY_WAYS].iter().find(|s| s.is(key)) else {
            return false;
        };
        let n = slot.n as usize;
        if n <= KEY_INLINE {
            let at = out.len();
            out.extend_from_slice(&slot.inline);
            out.truncate(at + n);
        } else {
            let start = slot.start as usize;
            out.extend_from_slice(&self.text[start..start + n]);
        }
        true
    }

    /// Remembers `text` (`"name"`, written) as `key`'s written text (which was not
    /// remembered), first in its set; the set's oldest name is dropped if it was full.
    pub(crate) fn insert(&mut self, key: &'static str, text: &[u8]) {
        let n = text.len() + 2;
        let mut slot = KeySlot {
            addr: key.as_ptr() as usize,
            len: key.len(),
            n: n as u32,
            ..KeySlot::default()
        };
        if n <= KEY_INLINE {
            slot.inline[0] = b',';
            slot.inline[1..n - 1].copy_from_slice(text);
            slot.inline[n - 1] = b':';
        } else {
            if self.text.len() + n > KEY_TEXT_LIMIT {
                self.text.clear();
                // The slots of long names point into the text: forget them all.
                self.slots = [KeySlot::default(); KEY_SLOTS];
            }
            slot.start = self.text.len() as u32;
            self.text.push(b',');
            self.text.extend_from_slice(text);
            self.text.push(b':');
        }
        let set = Self::set(key);
        self.slots.copy_within(set..set + KEY_WAYS - 1, set + 1);
        self.slots[set] = slot;
    }
}
