//! The devalue serializer: a serde `Serializer` writing devalue's flat slot array directly.
//!
//! Every serialized value returns its *reference*: a slot index, or a negative special
//! (`-1` undefined, `-2` hole, `-3` NaN, `-4` Infinity, `-5` -Infinity, `-6` -0). Slots are
//! allocated in pre-order. A finished slot's text is appended to one arena buffer, followed by
//! a `,`, and its range recorded; containers build their text on one stack buffer while their
//! children are written, then move it into the arena. Primitive slots are de-duplicated by
//! their text (which identifies the primitive) through a small open-addressing table over the
//! arena (its first entries inline); integers below 1024, `null`, `true` and `false` through
//! caches by value instead. The serializer, reset, is kept on the thread for the next value
//! with its buffers (up to 64 KiB each), so that a value's only allocation is usually its
//! output, and so is the written text of struct field names (`,"name":`), found again by their
//! `&'static str` address.

use serde::ser::Serialize;

use crate::devalue::Error;

use state::Ser;

mod containers;
mod parts;
mod serializer;
mod state;

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
    let mut ser = Ser::take(strict_order);
    match value.serialize(&mut *ser) {
        Ok(root) => {
            let out = if root == 0 && ser.ranges.is_empty() {
                ser.primitive_output()
            } else {
                output(&mut ser, root)
            };
            ser.keep();
            Ok(out)
        }
        Err(e) => failed(ser, e, value),
    }
}

/// `to_vec` after `value` failed with `e`: written again with its keys as they come if they
/// were out of order, else the error.
#[cold]
#[inline(never)]
fn failed<T: ?Sized + Serialize>(ser: Box<Ser>, e: Error, value: &T) -> Result<Vec<u8>, Error> {
    ser.keep();
    if e.restart {
        return reordered(value);
    }
    Err(e)
}

/// The output of the value whose root reference is `root` (not a value that is one
/// primitive): its slots' text in index order.
fn output(ser: &mut Ser, root: Ref) -> Vec<u8> {
    if root < 0 {
        return special_output(root);
    }
    // Every container has ended: the stack holds the root's text if it is a container
    // (range `(0, end)`, see `Ser::close`). Every slot's text in the arena is followed by a
    // `,`: slots that sit one after the other in the arena, in index order, are copied in one
    // piece with their `,`s (the last one becomes the `]`). Short pieces are copied as
    // fixed-size blocks read past their end: the arena is padded for them (`keep` cuts it
    // back), and the output has room for them.
    let text = ser.arena.len();
    ser.arena.extend_from_slice(&[0; RUN_BLOCK]);
    let arena = &ser.arena[..];
    let mut out = Vec::with_capacity(text + ser.stack.len() + RUN_BLOCK + 2);
    out.push(b'[');
    let mut ranges = &ser.ranges[..];
    if ranges[0].0 == 0 {
        out.extend_from_slice(&ser.stack);
        out.push(b',');
        ranges = &ranges[1..];
    }
    if let Some(&(start, end)) = ranges.first() {
        let (mut run_start, mut run_end) = (start as usize, end as usize);
        for &(start, end) in &ranges[1..] {
            let (start, end) = (start as usize, end as usize);
            if start != run_end + 1 {
                copy_run(&mut out, arena, run_start, run_end + 1);
                run_start = start;
            }
            run_end = end;
        }
        copy_run(&mut out, arena, run_start, run_end + 1);
    }
    let last = out.len() - 1;
    out[last] = b']';
    out
}

/// The block size of [`copy_run`]'s fixed-size copies.
const RUN_BLOCK: usize = 16;

/// Appends `from[start..end]`: up to two [`RUN_BLOCK`]s with fixed-size copies (reading up to
/// `RUN_BLOCK` bytes past `end`, and writing as far past the output's length), a `memcpy`
/// beyond.
#[inline(always)]
fn copy_run(out: &mut Vec<u8>, from: &[u8], start: usize, end: usize) {
    let n = end - start;
    let at = out.len();
    if n <= RUN_BLOCK {
        let block: [u8; RUN_BLOCK] = from[start..start + RUN_BLOCK].try_into().expect("a block");
        out.extend_from_slice(&block);
        out.truncate(at + n);
    } else if n <= 2 * RUN_BLOCK {
        let first: [u8; RUN_BLOCK] = from[start..start + RUN_BLOCK].try_into().expect("a block");
        let last: [u8; RUN_BLOCK] = from[end - RUN_BLOCK..end].try_into().expect("a block");
        out.extend_from_slice(&first);
        out.truncate(at + n - RUN_BLOCK);
        out.extend_from_slice(&last);
    } else {
        out.extend_from_slice(&from[start..end]);
    }
}

/// The output of a value that is a special (`undefined`, `NaN`…): its negative reference.
#[cold]
fn special_output(root: Ref) -> Vec<u8> {
    root.to_string().into_bytes()
}

/// Serializes `value` whose objects have keys out of `Object.keys` order: as they come, then
/// read back (which orders them as JavaScript does) and written again.
fn reordered<T: ?Sized + Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    let unordered = to_vec(value, false)?;
    let value = crate::devalue::parse::parse(&unordered)?;
    to_vec(&value, false)
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

    /// A value that is one primitive is written whole after a larger value: into the arena
    /// the larger value left (copied out, as it is too large to be the output), or into a
    /// small one (which becomes the output). `null`, `true` and `false` after a value of more
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

    /// Decimals are written without their trailing zeros, for every six-digit fraction.
    #[test]
    fn decimals_are_written_without_trailing_zeros() {
        for frac in 1..1_000_000 {
            let mut out = b"7".to_vec();
            super::state::write_decimals(&mut out, frac);
            let want = format!("7.{frac:06}");
            assert_eq!(out, want.trim_end_matches('0').as_bytes());
        }
    }

    /// Integers below the small-integer cache's bound take no table entry: each is still
    /// one slot, shared with the whole `f64` of the same value, apart from strings and
    /// larger numbers of similar text.
    #[test]
    fn small_integers_share_slots_with_whole_numbers() {
        let v = (
            (
                3u8, 3.0f64, "3", 31u32, 31.0f64, 32i64, 32.0f64, 1023u16, 1023.0f64,
            ),
            (
                1024u32, 1024.0f64, -3i8, -3.0f64, 0u8, 0.0f64, "1023", 5e20f64, 3u64,
            ),
        );
        for _ in 0..3 {
            let out = String::from_utf8(crate::devalue::to_vec(&v).unwrap()).unwrap();
            assert_eq!(
                out,
                r#"[[1,7],[2,2,3,4,4,5,5,6,6],3,"3",31,32,1023,[8,8,9,9,10,10,11,12,2],1024,-3,0,"1023",500000000000000000000]"#
            );
        }
    }

    #[derive(Serialize)]
    struct IndexFirst {
        #[serde(rename = "7")]
        seven: u8,
        x: u8,
    }

    #[derive(Serialize)]
    struct ProtoFirst {
        #[serde(rename = "__proto__")]
        proto: u8,
        x: u8,
    }

    #[derive(Serialize, Clone)]
    struct Pair {
        a: u8,
        b: &'static str,
    }

    /// A struct's first field opens its object whether its name is remembered (its text
    /// carries a `,` that becomes the `{`) or not (an array index, never remembered).
    #[test]
    fn first_fields_open_their_object() {
        for _ in 0..3 {
            let out =
                crate::devalue::to_vec(&(IndexFirst { seven: 1, x: 2 }, Pair { a: 2, b: "" }))
                    .unwrap();
            assert_eq!(
                std::str::from_utf8(&out).unwrap(),
                r#"[[1,4],{"7":2,"x":3},1,2,{"a":3,"b":5},""]"#
            );
            let err = crate::devalue::to_vec(&ProtoFirst { proto: 1, x: 2 }).unwrap_err();
            assert!(err.to_string().contains("__proto__"), "{err}");
            let out = crate::devalue::to_vec(&vec![Pair { a: 1, b: "b" }; 3]).unwrap();
            assert_eq!(
                std::str::from_utf8(&out).unwrap(),
                r#"[[1,4,5],{"a":2,"b":3},1,"b",{"a":2,"b":3},{"a":2,"b":3}]"#
            );
        }
    }

    /// A value whose `Serialize` impl writes other devalue values while it is being written
    /// (they find the thread's kept serializer taken, and leave their own): a seeded sequence of
    /// such values of every size, each answer the same as on a fresh thread.
    #[test]
    fn values_written_inside_a_value_are_written_as_on_a_fresh_thread() {
        #[derive(Clone)]
        struct Inner {
            words: Vec<String>,
            numbers: Vec<f64>,
            nested: Vec<Inner>,
        }
        impl Serialize for Inner {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                // Written in the middle of this value's own fields.
                let inside: Vec<String> = self
                    .nested
                    .iter()
                    .map(|n| String::from_utf8(crate::devalue::to_vec(n).unwrap()).unwrap())
                    .collect();
                let mut st = s.serialize_struct("Inner", 4)?;
                st.serialize_field("words", &self.words)?;
                st.serialize_field("inside", &inside)?;
                st.serialize_field("numbers", &self.numbers)?;
                let again: Vec<String> = self
                    .nested
                    .iter()
                    .map(|n| String::from_utf8(crate::devalue::to_vec(n).unwrap()).unwrap())
                    .collect();
                st.serialize_field("again", &again)?;
                st.end()
            }
        }
        fn make(next: &mut impl FnMut() -> u64, depth: u32) -> Inner {
            let size = match next() % 8 {
                0 => 3_000 + next() as usize % 6_000,
                1 => 0,
                _ => next() as usize % 12,
            };
            Inner {
                words: (0..size)
                    .map(|i| format!("w{}", next() % (i as u64 + 3)))
                    .collect(),
                numbers: (0..size % 50)
                    .map(|_| (next() % 5_000) as f64 / 4.0)
                    .collect(),
                nested: if depth < 2 {
                    (0..next() % 3).map(|_| make(next, depth + 1)).collect()
                } else {
                    Vec::new()
                },
            }
        }
        let mut rng = crate::test_rng::Rng(0x0bad_5eed_1234_5678);
        let mut next = move || rng.next();
        for _ in 0..300 {
            let value = make(&mut next, 0);
            let kept = crate::devalue::to_vec(&value).unwrap();
            let fresh = std::thread::scope(|scope| {
                scope
                    .spawn(|| crate::devalue::to_vec(&value).unwrap())
                    .join()
                    .unwrap()
            });
            assert_eq!(
                String::from_utf8(kept).unwrap(),
                String::from_utf8(fresh).unwrap()
            );
        }
    }

    /// Containers of every shape, empty, with one member and with several, at the root (whose
    /// text is copied from the stack) and inside (moved into the arena): each member's `,`,
    /// the first one's becoming the opener, and an enum variant's object written when it
    /// opens. The expected texts are npm devalue's.
    #[test]
    fn containers_open_and_close_around_their_members() {
        use std::collections::BTreeMap;

        use crate::js;

        #[derive(Serialize)]
        struct Empty {}
        #[derive(Serialize)]
        enum Variant {
            Tuple(f64, &'static str),
            Struct { a: f64, b: Vec<&'static str> },
            Newtype(u8),
            Unit,
        }
        let cases: [(&dyn erased::Ser, &str); 17] = [
            (&Vec::<u8>::new(), "[[]]"),
            (&vec![7u8], "[[1],7]"),
            (
                &(Vec::<u8>::new(), vec![Vec::<u8>::new()]),
                "[[1,2],[],[3],[]]",
            ),
            (&BTreeMap::<String, u8>::new(), "[{}]"),
            (&BTreeMap::from([("k", 1u8)]), r#"[{"k":1},1]"#),
            (
                &BTreeMap::from([("a", 1u8), ("b", 2)]),
                r#"[{"a":1,"b":2},1,2]"#,
            ),
            (&Empty {}, "[{}]"),
            (&(Empty {}, Empty {}), "[[1,2],{},{}]"),
            (&js::Map::<String, f64>(vec![]), r#"[["Map"]]"#),
            (
                &js::Map(vec![("k".to_owned(), 1.5)]),
                r#"[["Map",1,2],"k",1.5]"#,
            ),
            (&js::Set(vec![1.5, 2.5]), r#"[["Set",1,2],1.5,2.5]"#),
            (&js::Set(Vec::<f64>::new()), r#"[["Set"]]"#),
            (&Variant::Tuple(1.5, "x"), r#"[{"Tuple":1},[2,3],1.5,"x"]"#),
            (
                &Variant::Struct {
                    a: 1.5,
                    b: vec!["x"],
                },
                r#"[{"Struct":1},{"a":2,"b":3},1.5,[4],"x"]"#,
            ),
            (
                &vec![Variant::Tuple(1.5, "x"), Variant::Unit, Variant::Newtype(3)],
                r#"[[1,5,6],{"Tuple":2},[3,4],1.5,"x","Unit",{"Newtype":7},3]"#,
            ),
            (
                &(
                    true,
                    false,
                    crate::devalue::Value::Null,
                    (),
                    crate::devalue::Value::Null,
                    true,
                ),
                "[[1,2,3,-1,3,1],true,false,null]",
            ),
            (&(5u8, vec![5u8, 5]), "[[1,2],5,[1,1]]"),
        ];
        for _ in 0..3 {
            for (value, want) in cases {
                let out = value.to_vec();
                assert_eq!(std::str::from_utf8(&out).unwrap(), want);
            }
        }
    }

    /// The output copies runs of slots (fixed-size blocks up to two, a `memcpy` beyond) of
    /// every length: a string inside a container, the container, and a string after it.
    #[test]
    fn runs_of_every_length_are_copied_whole() {
        for x in 0..48 {
            for y in 0..48 {
                let (x, y) = ("a".repeat(x), "b".repeat(y + 1));
                let value = (vec![x.as_str()], y.as_str());
                let want = format!(r#"[[1,3],[2],"{x}","{y}"]"#);
                let out = crate::devalue::to_vec(&value).unwrap();
                assert_eq!(std::str::from_utf8(&out).unwrap(), want);
                let out = crate::devalue::to_vec(&(y.as_str(), value)).unwrap();
                let want = format!(r#"[[1,2],"{y}",[3,1],[4],"{x}"]"#);
                assert_eq!(std::str::from_utf8(&out).unwrap(), want);
            }
        }
    }

    /// `copy_run` appends exactly its range at every length (its source padded as its
    /// callers pad it), whatever the output held.
    #[test]
    fn copy_run_appends_its_range_at_every_length() {
        let text: Vec<u8> = (0..100u8).map(|b| b'a' + b % 26).collect();
        for start in [0, 1, 7, 30] {
            for n in 0..=64 {
                let mut from = text[..start + n].to_vec();
                from.extend_from_slice(&[b'#'; super::RUN_BLOCK]);
                for before in [0, 1, 9] {
                    let mut out = vec![b'x'; before];
                    super::copy_run(&mut out, &from, start, start + n);
                    let mut want = vec![b'x'; before];
                    want.extend_from_slice(&text[start..start + n]);
                    assert_eq!(out, want, "{n} bytes from {start} after {before}");
                }
            }
        }
    }

    /// A value without slots (one primitive, written as the whole output) leaves nothing in
    /// the caches of small integers, `true`, `false` and `null` for the next value: the
    /// serializer is then kept without resetting them.
    #[test]
    fn a_value_without_slots_leaves_no_cache_entries() {
        let cases: [(&dyn erased::Ser, &str); 10] = [
            (&0u8, "0"),
            (&5u32, "5"),
            (&31.0f64, "31"),
            (&32i64, "32"),
            (&100u16, "100"),
            (&1023u64, "1023"),
            (&true, "true"),
            (&false, "false"),
            (&crate::devalue::Value::Null, "null"),
            (&"s", r#""s""#),
        ];
        for (value, text) in cases {
            for _ in 0..3 {
                let out = value.to_vec();
                assert_eq!(std::str::from_utf8(&out).unwrap(), format!("[{text}]"));
                let out = value.pair_to_vec();
                assert_eq!(
                    std::str::from_utf8(&out).unwrap(),
                    format!("[[1,2],{text},[1]]")
                );
            }
        }
    }

    /// The serializer kept on the thread between values (reset when it is kept): a seeded
    /// sequence of values with and without slots, small and beyond the kept buffers' limit,
    /// some failing halfway (an integer JavaScript cannot hold), each answer the same as on a
    /// fresh thread.
    #[test]
    fn values_with_and_without_slots_alternate_as_on_a_fresh_thread() {
        #[derive(Serialize, Clone, Debug)]
        #[serde(untagged)]
        enum Piece {
            Int(u64),
            Neg(i64),
            Num(f64),
            Bool(bool),
            Null(crate::devalue::Value),
            Str(String),
            List(Vec<Piece>),
        }
        fn piece(rng: &mut crate::test_rng::Rng, depth: u32) -> Piece {
            match rng.below(if depth < 3 { 9 } else { 7 }) {
                0 => Piece::Int(match rng.below(4) {
                    0 => rng.below(40) as u64,
                    1 => 1000 + rng.below(40) as u64,
                    2 => rng.next() % (1 << 40),
                    // Beyond 2^53: the value fails where this is.
                    _ => (1 << 53) + 1 + rng.below(3) as u64,
                }),
                1 => Piece::Neg(-(rng.below(2000) as i64)),
                2 => Piece::Num(rng.below(4000) as f64 / 4.0),
                3 => Piece::Bool(rng.below(2) == 0),
                4 => Piece::Null(crate::devalue::Value::Null),
                5 | 6 => Piece::Str(format!("s{}", rng.below(30))),
                _ => {
                    // Sometimes (at the root) a long list of primitives, beyond the kept
                    // buffers' limit.
                    if depth == 0 && rng.below(8) == 0 {
                        let len = 4_000 + rng.below(8_000);
                        return Piece::List((0..len).map(|_| piece(rng, 3)).collect());
                    }
                    let len = rng.below(6);
                    Piece::List((0..len).map(|_| piece(rng, depth + 1)).collect())
                }
            }
        }
        let mut rng = crate::test_rng::Rng(0x5eed_0bad_cafe_f00d);
        let mut without_slots = 0;
        for _ in 0..600 {
            let value = piece(&mut rng, 0);
            let kept = crate::devalue::to_vec(&value);
            let fresh = std::thread::scope(|scope| {
                scope
                    .spawn(|| crate::devalue::to_vec(&value))
                    .join()
                    .unwrap()
            });
            match (&kept, &fresh) {
                (Ok(kept), Ok(fresh)) => {
                    assert_eq!(
                        String::from_utf8_lossy(kept),
                        String::from_utf8_lossy(fresh),
                        "{value:.200?}"
                    );
                    without_slots += usize::from(!kept.starts_with(b"[["));
                }
                (Err(kept), Err(fresh)) => assert_eq!(kept.to_string(), fresh.to_string()),
                _ => panic!("{value:.200?}: {kept:?} on this thread, {fresh:?} on a fresh one"),
            }
        }
        assert!(without_slots > 100, "{without_slots} values without slots");
    }

    mod erased {
        /// A serializable value of any type, for a table of cases.
        pub(super) trait Ser {
            fn to_vec(&self) -> Vec<u8>;
            /// The value, then a list of it: `(v, [v])`.
            fn pair_to_vec(&self) -> Vec<u8>;
        }
        impl<T: serde::Serialize> Ser for T {
            fn to_vec(&self) -> Vec<u8> {
                crate::devalue::to_vec(self).unwrap()
            }
            fn pair_to_vec(&self) -> Vec<u8> {
                crate::devalue::to_vec(&(self, [self])).unwrap()
            }
        }
    }

    /// Zeros, the special values and the numbers around the small-integer cache's bounds
    /// (whole or not, either sign, and seeded random bits) are written as devalue writes them:
    /// `-0`, `NaN` and the infinities as their negative references, others as `ryu_js`
    /// writes them.
    #[test]
    fn special_and_small_numbers_are_written_as_devalue_writes_them() {
        let mut rng = crate::test_rng::Rng(0x9e37_79b9_7f4a_7c15);
        let mut values = vec![
            0.0,
            -0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::from_bits(1),
            f64::from_bits(1 | 1 << 63),
            f64::MAX,
            f64::MIN,
            9_223_372_036_854_775_808.0,
            -9_223_372_036_854_775_808.0,
            18_446_744_073_709_551_616.0,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
        ];
        for n in 0..2_100 {
            let n = f64::from(n);
            values.extend([n, n + 0.5, n - 1e-9, n + 1e-9, n * 1.25]);
        }
        for _ in 0..20_000 {
            values.push(f64::from_bits(rng.next()));
            values.push((rng.next() % 4_096) as f64 / f64::from(1 << (rng.next() % 8)));
        }
        for v in values {
            for v in [v, -v] {
                let out = crate::devalue::to_vec(&[v]).unwrap();
                let want = if v.is_nan() {
                    "[[-3]]".to_owned()
                } else if v == f64::INFINITY {
                    "[[-4]]".to_owned()
                } else if v == f64::NEG_INFINITY {
                    "[[-5]]".to_owned()
                } else if v == 0.0 && v.is_sign_negative() {
                    "[[-6]]".to_owned()
                } else {
                    format!("[[1],{}]", ryu_js::Buffer::new().format_finite(v))
                };
                assert_eq!(std::str::from_utf8(&out).unwrap(), want, "{v:e}");
            }
        }
    }

    /// Numbers are written as `ryu_js` (JavaScript's `Number.prototype.toString`) writes them,
    /// whichever way they are formatted.
    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        let mut rng = crate::test_rng::Rng(0x2545_f491_4f6c_dd1d);
        let mut next = move || rng.next();
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
