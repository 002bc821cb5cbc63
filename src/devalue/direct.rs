//! The fast route of [`from_str`](super::from_str): one pass reads the devalue text into a flat
//! table of slots (strings borrowed from the text, references into shared arrays), a walk over
//! the references makes the checks [`parse`](super::parse::parse) makes while building its tree
//! (references in range, no cycle, depth, the expansion budget), and `T` is then deserialized
//! from the slots directly, without a [`Value`](super::Value) tree.
//!
//! It takes only documents made of primitives, plain arrays and plain objects, every slot's
//! text laid out as JSON allows: anything else (the tagged types, sparse arrays, duplicate
//! keys, an odd number, anything invalid) and any error from `T` give `None`, and the caller
//! takes the tree route, which gives the answer and the error message. So this route answers
//! only where the tree route answers `Ok`, with what `T` makes of the same data: it hands `T`
//! what [`Value`](super::Value)'s deserializer hands it (`visit_string` for strings, `undefined`
//! and `null` as unit, integral numbers as integers), object keys as `&str`.

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
use serde::forward_to_deserialize_any;

use super::parse::{BASE_BUDGET, MAX_DEPTH};

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

/// Deserializes `T` from `text` if the fast route can and the answer is `Ok`.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    // The tables of the last document read on this thread, emptied: taken (a `T` that reads
    // devalue inside its own `Deserialize` finds none and makes its own) and put back.
    let mut doc = Doc {
        text,
        tables: KEPT.take().unwrap_or_default(),
        containers: 0,
    };
    let value = doc
        .read()
        .and_then(|()| doc.check())
        .and_then(|()| T::deserialize(At { doc: &doc, r: 0 }).ok());
    let mut tables = doc.tables;
    if tables.slots.capacity() <= KEEP
        && tables.refs.capacity() <= KEEP
        && tables.entries.capacity() <= KEEP
        && tables.owned.capacity() <= KEEP
    {
        tables.slots.clear();
        tables.refs.clear();
        tables.entries.clear();
        tables.owned.clear();
        KEPT.set(Some(tables));
    }
    value
}

/// The most entries a kept table may have room for (at most 96 KiB a table, 288 KiB in all).
const KEEP: usize = 4096;

thread_local! {
    /// The tables the last document read on this thread used, empty, for the next one.
    static KEPT: std::cell::Cell<Option<Tables>> = const { std::cell::Cell::new(None) };
}

/// The slots of a document and what they point into.
#[derive(Default)]
struct Tables {
    slots: Vec<Slot>,
    refs: Vec<i64>,
    entries: Vec<(Text, i64)>,
    owned: Vec<String>,
}

/// Where a string is: a range of the text (no escapes), or decoded into the `owned` table.
#[derive(Clone, Copy)]
enum Text {
    Raw(u32, u32),
    Owned(u32),
}

/// One slot of the document.
#[derive(Clone, Copy)]
enum Slot {
    Null,
    Bool(bool),
    Num(f64),
    Str(Text),
    /// `refs[start..start + len]`.
    Arr(u32, u32),
    /// `entries[start..start + len]`.
    Obj(u32, u32),
}

/// The document read into slots.
struct Doc<'a> {
    text: &'a str,
    tables: Tables,
    /// How many slots are arrays or objects.
    containers: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// A cursor over the text.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Skips whitespace and returns the next byte.
    #[inline]
    fn next_token(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.at) {
            if !is_space(b) {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// A string starting at the quote under the cursor: its range inside the quotes, and
    /// whether it holds escapes.
    #[inline]
    fn string(&mut self) -> Option<(usize, usize, bool)> {
        let start = self.at + 1;
        let mut i = start;
        let mut escaped = false;
        let bytes = self.bytes;
        // Eight bytes at a time while none is a quote, a backslash or a control character;
        // then straight to the first that is. (A byte's borrow can only mark bytes above
        // it, so the lowest marked byte is a true one.)
        while let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().ok()?);
            const ONES: u64 = 0x0101_0101_0101_0101;
            const HIGH: u64 = 0x8080_8080_8080_8080;
            let quote = word ^ (ONES * u64::from(b'"'));
            let backslash = word ^ (ONES * u64::from(b'\\'));
            let special = ((quote.wrapping_sub(ONES) & !quote)
                | (backslash.wrapping_sub(ONES) & !backslash)
                | (word.wrapping_sub(ONES * 0x20) & !word))
                & HIGH;
            if special != 0 {
                i += (special.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        loop {
            let b = *bytes.get(i)?;
            if b == b'"' {
                self.at = i + 1;
                return Some((start, i, escaped));
            }
            if b == b'\\' {
                escaped = true;
                i += 2;
            } else if b < 0x20 {
                return None;
            } else {
                i += 1;
            }
        }
    }

    /// A reference inside a container: an integer JSON number that `as_i64` reads (no `-0`,
    /// no fraction or exponent, at most 18 digits).
    #[inline]
    fn reference(&mut self) -> Option<i64> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let start = self.at;
        let mut n: i64 = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            if self.at - start == 18 {
                return None;
            }
            n = n * 10 + i64::from(b - b'0');
            self.at += 1;
        }
        let digits = self.at - start;
        if digits == 0 || (digits > 1 && self.bytes[start] == b'0') || (negative && n == 0) {
            return None;
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        Some(if negative { -n } else { n })
    }

    /// A number in a slot of its own, as `serde_json` reads it: plain decimals of at most 15
    /// digits exactly here, anything else through `serde_json` itself.
    fn number(&mut self) -> Option<f64> {
        let start = self.at;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.peek() {
            self.at += 1;
        }
        let token = &self.bytes[start..self.at];
        if let Some(n) = plain_decimal(token) {
            return Some(n);
        }
        let token = std::str::from_utf8(token).ok()?;
        serde_json::from_str::<f64>(token).ok()
    }
}

/// Powers of ten that `f64` holds exactly.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?` of at most 15 digits: the integer of its digits is exact in
/// an `f64`, and so is the power of ten, so one division is the correctly rounded value, the
/// one `serde_json` (with `float_roundtrip`) reads.
fn plain_decimal(token: &[u8]) -> Option<f64> {
    let (negative, rest) = match token.first()? {
        b'-' => (true, &token[1..]),
        _ => (false, token),
    };
    let mut n: u64 = 0;
    let mut digits = 0;
    let mut fraction = None;
    for (i, &b) in rest.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                n = n * 10 + u64::from(b - b'0');
                digits += 1;
                if digits > 15 {
                    return None;
                }
            }
            b'.' if fraction.is_none() && i > 0 && i + 1 < rest.len() => fraction = Some(i),
            _ => return None,
        }
    }
    let int_digits = fraction.unwrap_or(rest.len());
    if int_digits == 0 || (int_digits > 1 && rest[0] == b'0') {
        return None;
    }
    let scale = fraction.map_or(0, |i| rest.len() - i - 1);
    let value = n as f64 / POW10[scale];
    Some(if negative { -value } else { value })
}

impl<'a> Doc<'a> {
    /// Reads `text` into slots, or `None` if the fast route does not take it.
    fn read(&mut self) -> Option<()> {
        let text = self.text;
        let mut r = Reader {
            bytes: text.as_bytes(),
            at: 0,
        };
        // u32 offsets.
        if text.len() >= u32::MAX as usize {
            return None;
        }
        if r.next_token()? != b'[' {
            return None;
        }
        r.at += 1;
        // Room for the slots of typical text, so that they rarely grow (large ones grow).
        let room = |per: usize| (text.len() / per).min(1 << 16);
        self.tables.slots.reserve(room(12));
        self.tables.refs.reserve(room(16));
        self.tables.entries.reserve(room(16));
        loop {
            let slot = self.slot(&mut r)?;
            self.tables.slots.push(slot);
            match r.next_token()? {
                b',' => r.at += 1,
                b']' => break,
                _ => return None,
            }
        }
        r.at += 1;
        if r.next_token().is_some() {
            return None;
        }
        Some(())
    }

    fn text(&mut self, r: &mut Reader<'_>) -> Option<Text> {
        let (start, end, escaped) = r.string()?;
        if !escaped {
            return Some(Text::Raw(start as u32, end as u32));
        }
        let decoded = serde_json::from_str::<String>(&self.text[start - 1..end + 1]).ok()?;
        self.tables.owned.push(decoded);
        Some(Text::Owned(self.tables.owned.len() as u32 - 1))
    }

    fn slot(&mut self, r: &mut Reader<'_>) -> Option<Slot> {
        Some(match r.next_token()? {
            b'"' => Slot::Str(self.text(r)?),
            b'n' => r.literal(b"null").map(|()| Slot::Null)?,
            b't' => r.literal(b"true").map(|()| Slot::Bool(true))?,
            b'f' => r.literal(b"false").map(|()| Slot::Bool(false))?,
            b'-' | b'0'..=b'9' => Slot::Num(r.number()?),
            b'[' => {
                r.at += 1;
                let start = self.tables.refs.len();
                if r.next_token()? != b']' {
                    loop {
                        r.next_token()?;
                        let item = r.reference()?;
                        // A sparse array's marker: the tree route's.
                        if item == -7 && self.tables.refs.len() == start {
                            return None;
                        }
                        self.tables.refs.push(item);
                        match r.next_token()? {
                            b',' => r.at += 1,
                            b']' => break,
                            _ => return None,
                        }
                    }
                }
                r.at += 1;
                self.containers += 1;
                Slot::Arr(start as u32, (self.tables.refs.len() - start) as u32)
            }
            b'{' => {
                r.at += 1;
                let start = self.tables.entries.len();
                // A bit per key (its length and last byte): only keys sharing a bit are compared.
                let mut bits = 0u64;
                if r.next_token()? != b'}' {
                    loop {
                        if r.next_token()? != b'"' {
                            return None;
                        }
                        let key = self.text(r)?;
                        if r.next_token()? != b':' {
                            return None;
                        }
                        r.at += 1;
                        r.next_token()?;
                        let value = r.reference()?;
                        let name = self.str(key);
                        // `__proto__` is an error, and a repeated key keeps its first place
                        // with its last value in the tree route: both left to it.
                        if name == "__proto__" {
                            return None;
                        }
                        let bit = 1u64
                            << ((name.len() * 7 + usize::from(name.bytes().last().unwrap_or(0)))
                                % 64);
                        if bits & bit != 0
                            && self.tables.entries[start..]
                                .iter()
                                .any(|&(k, _)| self.str(k) == name)
                        {
                            return None;
                        }
                        bits |= bit;
                        self.tables.entries.push((key, value));
                        match r.next_token()? {
                            b',' => r.at += 1,
                            b'}' => break,
                            _ => return None,
                        }
                    }
                }
                r.at += 1;
                self.containers += 1;
                Slot::Obj(start as u32, (self.tables.entries.len() - start) as u32)
            }
            _ => return None,
        })
    }

    #[inline]
    fn str(&self, text: Text) -> &str {
        match text {
            Text::Raw(start, end) => &self.text[start as usize..end as usize],
            Text::Owned(i) => &self.tables.owned[i as usize],
        }
    }

    /// The checks the tree route makes while hydrating from slot 0: every reference reached
    /// is in range (or a special value), no slot is reached from inside itself, nesting stays
    /// under [`MAX_DEPTH`], and the values made (shared references made again) stay within
    /// the budget.
    fn check(&self) -> Option<()> {
        if self.is_tree() {
            return Some(());
        }
        let mut budget = BASE_BUDGET + self.tables.slots.len().saturating_mul(16);
        let mut state = vec![0u8; self.tables.slots.len()];
        self.visit(0, 0, &mut state, &mut budget)
    }

    /// Whether the references make a tree, which passes every check of [`Doc::check`]
    /// without a walk: every reference in range (or a special value; holes only in arrays),
    /// no container referred to twice and the first slot, if a container, not at all (so no
    /// cycle can be reached), fewer containers than [`MAX_DEPTH`] (so no path that deep),
    /// and fewer references than the budget (each made once at most).
    fn is_tree(&self) -> bool {
        let n = self.tables.slots.len();
        if self.containers >= MAX_DEPTH
            || 1 + self.tables.refs.len() + self.tables.entries.len()
                > BASE_BUDGET + n.saturating_mul(16)
        {
            return false;
        }
        let mut small = [0u64; 16];
        let mut large = Vec::new();
        let seen: &mut [u64] = if n <= 16 * 64 {
            &mut small
        } else {
            large.resize(n.div_ceil(64), 0);
            &mut large
        };
        seen[0] = 1;
        let mut refer = |r: i64| -> bool {
            match r {
                -1 | -3 | -4 | -5 | -6 => true,
                r if r >= 0 && (r as usize) < n => {
                    let r = r as usize;
                    if !matches!(self.tables.slots[r], Slot::Arr(..) | Slot::Obj(..)) {
                        return true;
                    }
                    let (word, bit) = (r / 64, 1u64 << (r % 64));
                    let fresh = seen[word] & bit == 0;
                    seen[word] |= bit;
                    fresh
                }
                _ => false,
            }
        };
        self.tables.refs.iter().all(|&r| r == -2 || refer(r))
            && self.tables.entries.iter().all(|&(_, r)| refer(r))
    }

    fn visit(&self, r: i64, depth: usize, state: &mut [u8], budget: &mut usize) -> Option<()> {
        if matches!(r, -1 | -3 | -4 | -5 | -6) {
            return Some(());
        }
        let index = usize::try_from(r)
            .ok()
            .filter(|&i| i < self.tables.slots.len())?;
        *budget = budget.checked_sub(1)?;
        // 1: in progress, 2: done (as the tree route, a slot reached again is walked again).
        if state[index] == 1 || depth >= MAX_DEPTH {
            return None;
        }
        if state[index] == 0 {
            state[index] = 1;
        }
        match self.tables.slots[index] {
            Slot::Arr(start, len) => {
                for &item in &self.tables.refs[start as usize..(start + len) as usize] {
                    if item != -2 {
                        self.visit(item, depth + 1, state, budget)?;
                    }
                }
            }
            Slot::Obj(start, len) => {
                for &(_, value) in &self.tables.entries[start as usize..(start + len) as usize] {
                    self.visit(value, depth + 1, state, budget)?;
                }
            }
            _ => {}
        }
        state[index] = 2;
        Some(())
    }
}

/// The error of the fast route: it only says to take the tree route.
#[derive(Debug)]
struct Fallback;

impl std::fmt::Display for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("take the tree route")
    }
}

impl std::error::Error for Fallback {}

impl de::Error for Fallback {
    #[cold]
    fn custom<T: std::fmt::Display>(_: T) -> Fallback {
        Fallback
    }
}

/// A value reached by reference `r` (a slot, or one of the negative special values).
#[derive(Clone, Copy)]
struct At<'d, 'a> {
    doc: &'d Doc<'a>,
    r: i64,
}

/// What a reference stands for, as the tree route's `Value` would.
enum Node<'d> {
    /// `undefined`, a hole or `null`: the `Value` deserializer treats them alike.
    Unit,
    Bool(bool),
    Num(f64),
    Str(&'d str),
    Arr(&'d [i64]),
    Obj(&'d [(Text, i64)]),
}

impl<'d> At<'d, '_> {
    #[inline]
    fn node(self) -> Node<'d> {
        let doc = self.doc;
        match self.r {
            -1 | -2 => Node::Unit,
            -3 => Node::Num(f64::NAN),
            -4 => Node::Num(f64::INFINITY),
            -5 => Node::Num(f64::NEG_INFINITY),
            -6 => Node::Num(-0.0),
            // In range: checked before deserializing.
            r => match doc.tables.slots[r as usize] {
                Slot::Null => Node::Unit,
                Slot::Bool(b) => Node::Bool(b),
                Slot::Num(n) => Node::Num(n),
                Slot::Str(t) => Node::Str(doc.str(t)),
                Slot::Arr(start, len) => {
                    Node::Arr(&doc.tables.refs[start as usize..(start + len) as usize])
                }
                Slot::Obj(start, len) => {
                    Node::Obj(&doc.tables.entries[start as usize..(start + len) as usize])
                }
            },
        }
    }
}

struct Seq<'d, 'a> {
    doc: &'d Doc<'a>,
    items: std::slice::Iter<'d, i64>,
}

impl<'de> de::SeqAccess<'de> for Seq<'_, '_> {
    type Error = Fallback;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Fallback> {
        match self.items.next() {
            Some(&r) => seed.deserialize(At { doc: self.doc, r }).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map<'d, 'a> {
    doc: &'d Doc<'a>,
    entries: std::slice::Iter<'d, (Text, i64)>,
    value: Option<i64>,
}

impl<'de> de::MapAccess<'de> for Map<'_, '_> {
    type Error = Fallback;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Fallback> {
        match self.entries.next() {
            Some(&(key, value)) => {
                self.value = Some(value);
                let key: StrDeserializer<'_, Fallback> = StrDeserializer::new(self.doc.str(key));
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Fallback> {
        let r = self.value.take().ok_or(Fallback)?;
        seed.deserialize(At { doc: self.doc, r })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An externally tagged variant with data: `{"Variant": value}`.
struct Enum<'d, 'a> {
    variant: &'d str,
    value: At<'d, 'a>,
}

impl<'de, 'd, 'a> de::EnumAccess<'de> for Enum<'d, 'a> {
    type Error = Fallback;
    type Variant = At<'d, 'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, At<'d, 'a>), Fallback> {
        let variant: StrDeserializer<'_, Fallback> = StrDeserializer::new(self.variant);
        Ok((seed.deserialize(variant)?, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for At<'_, '_> {
    type Error = Fallback;

    fn unit_variant(self) -> Result<(), Fallback> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Fallback> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Fallback> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fallback> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

impl<'de> de::Deserializer<'de> for At<'_, '_> {
    type Error = Fallback;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fallback> {
        match self.node() {
            Node::Unit => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::Num(n)
                if n.fract() == 0.0
                    && n.abs() <= MAX_SAFE
                    && !(n == 0.0 && n.is_sign_negative()) =>
            {
                if n < 0.0 {
                    visitor.visit_i64(n as i64)
                } else {
                    visitor.visit_u64(n as u64)
                }
            }
            Node::Num(n) => visitor.visit_f64(n),
            Node::Str(s) => visitor.visit_string(s.to_owned()),
            Node::Arr(items) => {
                let mut seq = Seq {
                    doc: self.doc,
                    items: items.iter(),
                };
                let value = visitor.visit_seq(&mut seq)?;
                if seq.items.len() == 0 {
                    Ok(value)
                } else {
                    Err(Fallback)
                }
            }
            Node::Obj(entries) => {
                let mut map = Map {
                    doc: self.doc,
                    entries: entries.iter(),
                    value: None,
                };
                let value = visitor.visit_map(&mut map)?;
                if map.entries.len() == 0 {
                    Ok(value)
                } else {
                    Err(Fallback)
                }
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fallback> {
        match self.node() {
            Node::Unit => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fallback> {
        match self.node() {
            Node::Unit => visitor.visit_unit(),
            _ => Err(Fallback),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Fallback> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Fallback> {
        // The marker names change only tagged values, which this route never holds.
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fallback> {
        match self.node() {
            Node::Str(s) => {
                let variant: StrDeserializer<'_, Fallback> = StrDeserializer::new(s);
                visitor.visit_enum(variant)
            }
            Node::Obj(&[(key, r)]) => visitor.visit_enum(Enum {
                variant: self.doc.str(key),
                value: At { doc: self.doc, r },
            }),
            _ => Err(Fallback),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fallback> {
        visitor.visit_unit()
    }

    // Bytes: a string or an array, as `deserialize_any` gives them.
    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf seq tuple tuple_struct map struct identifier
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::from_str;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Item {
        id: u32,
        name: String,
        score: f64,
        tags: Vec<String>,
        note: Option<String>,
        level: Level,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    enum Level {
        Low,
        High(u8),
    }

    #[test]
    fn reads_primitives_arrays_and_plain_objects_without_the_tree() {
        assert_eq!(
            from_str::<String>(r#"["Hello, Ada!"]"#).as_deref(),
            Some("Hello, Ada!")
        );
        let text = r#"[[1,8],{"id":2,"name":3,"score":4,"tags":5,"note":-1,"level":7},12,"a \"b\"",1.25,[6,6],"t","Low",{"id":9,"name":6,"score":-6,"tags":10,"note":6,"level":11},7,[],{"High":2}]"#;
        let items = from_str::<Vec<Item>>(text).expect("the fast route takes it");
        assert_eq!(items[0].name, "a \"b\"");
        assert_eq!(items[0].score, 1.25);
        assert_eq!(items[0].tags, ["t", "t"]);
        assert_eq!(items[0].note, None);
        assert_eq!(items[0].level, Level::Low);
        assert_eq!(items[1].id, 7);
        assert!(items[1].score == 0.0 && items[1].score.is_sign_negative());
        assert_eq!(items[1].note.as_deref(), Some("t"));
        assert_eq!(items[1].level, Level::High(12));
    }

    /// A value whose `Deserialize` reads a devalue document of its own, on the same thread.
    #[derive(Debug, PartialEq)]
    struct Inner(Vec<String>);

    impl<'de> Deserialize<'de> for Inner {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Inner, D::Error> {
            let text = String::deserialize(d)?;
            crate::devalue::from_str(&text)
                .map(Inner)
                .map_err(serde::de::Error::custom)
        }
    }

    #[test]
    fn a_document_read_while_reading_another_reads_the_same() {
        let inner = r#"[[1,2],"a","b"]"#;
        let outer = crate::devalue::to_string(&vec![inner, inner]).unwrap();
        let read = from_str::<Vec<Inner>>(&outer).expect("the fast route takes it");
        let expected = || Inner(vec!["a".into(), "b".into()]);
        assert_eq!(read, [expected(), expected()]);
    }

    /// Strings of every length up to 40 with a quote, a backslash escape, a control character
    /// or a non-ASCII character at every place (and strings as object keys): the fast route
    /// reads what the tree route reads, or leaves the text to it.
    #[test]
    fn strings_read_as_the_tree_route_reads_them_at_every_length_and_place() {
        for len in 0..40 {
            for at in 0..=len {
                for odd in [
                    "\\\"", "\\\\", "\\n", "\\u00e9", "é", "\u{1}", "\"", "\u{2028}",
                ] {
                    let mut text = "x".repeat(len);
                    text.insert_str(at, odd);
                    let doc = format!(r#"[{{"{text}":1,"k":2}},"{text}","{text}z"]"#);
                    let tree = crate::devalue::parse(&doc)
                        .ok()
                        .and_then(|value| crate::devalue::from_value::<Keyed>(value).ok());
                    let fast = from_str::<Keyed>(&doc);
                    if let Some(fast) = &fast {
                        assert_eq!(Some(fast), tree.as_ref(), "{doc}");
                    }
                    // Only invalid text (a bare quote or control character) goes to the tree route.
                    let valid = odd != "\"" && odd != "\u{1}";
                    assert_eq!(fast.is_some(), valid, "{doc}");
                }
            }
        }
    }

    /// An object of one key of any name and a second key `k`.
    #[derive(Deserialize, Debug, PartialEq)]
    struct Keyed(std::collections::BTreeMap<String, String>);

    #[test]
    fn leaves_tagged_values_and_anything_odd_to_the_tree_route() {
        for text in [
            r#"[["Date","2024-01-01T00:00:00.000Z"]]"#,
            r#"[[-7,3,0,1],"x"]"#,
            r#"[{"a":1,"a":1},2]"#,
            r#"[{"__proto__":1},2]"#,
            r#"[[0]]"#,
            r#"[[1],1e400]"#,
            r#"[[1,2],"\ud800",3]"#,
            "-1",
            "[1,]",
        ] {
            assert_eq!(
                from_str::<serde::de::IgnoredAny>(text).map(|_| ()),
                None,
                "{text}"
            );
        }
    }
}
