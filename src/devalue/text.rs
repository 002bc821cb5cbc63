//! Text and lookup helpers of the devalue serializer: string escaping, integer writing,
//! `Object.keys` array-index detection and the primitive de-duplication table.

/// How many entries the table holds inline, searched linearly, before it allocates.
const INLINE: usize = 8;

/// Open-addressing hash table of slot indices, compared through a callback. The first
/// [`INLINE`] entries are held inline: a value with few primitives allocates no table.
#[derive(Default)]
pub(crate) struct Table {
    /// `(hash, slot + 1)`; slot 0 means empty.
    cells: Vec<(u32, u32)>,
    /// The entries, while `cells` is not allocated.
    inline: [(u32, u32); INLINE],
    len: usize,
}

impl Table {
    pub(crate) fn find(&self, hash: u32, eq: impl Fn(u32) -> bool) -> Option<u32> {
        if self.cells.is_empty() {
            return self.inline[..self.len]
                .iter()
                .find(|&&(h, s)| h == hash && eq(s - 1))
                .map(|&(_, s)| s - 1);
        }
        let mask = self.cells.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let (h, s) = self.cells[i];
            if s == 0 {
                return None;
            }
            if h == hash && eq(s - 1) {
                return Some(s - 1);
            }
            i = (i + 1) & mask;
        }
    }

    pub(crate) fn insert(&mut self, hash: u32, slot: u32) {
        if self.cells.is_empty() && self.len < INLINE {
            self.inline[self.len] = (hash, slot + 1);
            self.len += 1;
            return;
        }
        if (self.len + 1) * 2 > self.cells.len() {
            let size = (self.cells.len() * 2).max(32);
            let old = std::mem::replace(&mut self.cells, vec![(0, 0); size]);
            if old.is_empty() {
                for (h, s) in self.inline {
                    self.place(h, s);
                }
            }
            for (h, s) in old {
                if s != 0 {
                    self.place(h, s);
                }
            }
        }
        self.place(hash, slot + 1);
        self.len += 1;
    }

    fn place(&mut self, hash: u32, stored: u32) {
        let mask = self.cells.len() - 1;
        let mut i = hash as usize & mask;
        while self.cells[i].1 != 0 {
            i = (i + 1) & mask;
        }
        self.cells[i] = (hash, stored);
    }
}

/// A fast non-cryptographic hash (FxHash-style) of a primitive's text.
pub(crate) fn hash(bytes: &[u8]) -> u32 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    (h >> 32) as u32 ^ h as u32
}

/// The bytes `write_string` must look at: `"`, `\\`, `<`, control characters, and 0xE2 (the
/// first byte of U+2028 and U+2029). Everything else is copied in runs.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'<' as usize] = true;
    table[0xe2] = true;
    table
};

/// Whether any byte of `w` may be one `SPECIAL` marks (never a false negative).
#[inline]
fn has_special(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    #[inline]
    fn has_zero(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x & HIGH
    }
    // A byte below 0x20, or equal to one of the others.
    let below = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    below
        | has_zero(w ^ (ONES * u64::from(b'"')))
        | has_zero(w ^ (ONES * u64::from(b'\\')))
        | has_zero(w ^ (ONES * u64::from(b'<')))
        | has_zero(w ^ (ONES * 0xe2))
        != 0
}

/// Appends `s` as devalue's `stringify_string` writes it.
pub(crate) fn write_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip eight ordinary bytes at a time.
        if let Some(word) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes([
                word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
            ]);
            if !has_special(w) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if !SPECIAL[usize::from(b)] {
            i += 1;
            continue;
        }
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
    out.push(b'"');
}

/// `"00" "01" … "99"`: two digits at a time.
static DIGITS: [u8; 200] = {
    let mut table = [0u8; 200];
    let mut n = 0;
    while n < 100 {
        table[2 * n] = b'0' + (n / 10) as u8;
        table[2 * n + 1] = b'0' + (n % 10) as u8;
        n += 1;
    }
    table
};

#[inline]
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
            for at in 0..17 {
                let s = format!("{}{special}{}", "a".repeat(at), "b".repeat(17 - at));
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
        let mut out = Vec::new();
        write_string(&mut out, "€ \u{e2}\u{2027}x");
        assert_eq!(out, "\"€ \u{e2}\u{2027}x\"".as_bytes());
    }
}
