//! `devalue::from_str` reads simple documents straight from their slots; everything else goes
//! through the `Value` tree. These tests run long seeded sequences of generated documents,
//! valid and corrupted, through `from_str` and through the tree route
//! (`from_value(parse(text))`) and require the same answer for every target type: the same
//! value, or the same error message (`checks::devalue_routes`, which the `devalue` fuzz target
//! also runs).

use checks::values::{Gen, Rng, Source};
use tower_actions::devalue::{self, Value};

use crate::checks;

/// Number tokens, valid and not, that a slot may hold.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "7",
    "42",
    "1.5",
    "-1.25",
    "2.50",
    "0.1",
    "-0.0",
    "1e2",
    "1E-2",
    "1e400",
    "-1e400",
    "123456789012345",
    "1234567890123456",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "0.30000000000000004",
    "123456.7890123",
    "00",
    "01",
    "1.",
    ".5",
    "-",
    "+1",
    "1e",
    "--1",
    "1.2.3",
];

/// String tokens (with their quotes), valid and not.
const STRINGS: &[&str] = &[
    r#""""#,
    r#""a""#,
    r#""name""#,
    r#""tags""#,
    r#""Low""#,
    r#""High""#,
    r#""Pair""#,
    r#""Two""#,
    r#""__proto__""#,
    r#""a\"b</script>""#,
    r#""10""#,
    r#""2""#,
    r#""z""#,
    r#""Date""#,
    r#""Set""#,
    r#""Object""#,
    r#""caf\u00e9""#,
    r#""\ud83d\ude00""#,
    r#""\ud800""#,
    r#""\udc00x""#,
    r#""\n\t\\\/\b\f\r""#,
    r#""\x""#,
    "\"\u{1}\"",
    "\"é ✓ 😀\"",
    r#""line\u2028sep""#,
    r#""unterminated"#,
];

/// Reference tokens inside containers, valid and not.
fn reference(rng: &mut Rng, slots: usize) -> String {
    match rng.below(20) {
        0 => ["-1", "-2", "-3", "-4", "-5", "-6", "-7", "-8"][rng.below(8)].to_owned(),
        1 => [
            "-0",
            "1.0",
            "1e0",
            "01",
            "null",
            "\"1\"",
            "99999999999999999999",
        ][rng.below(7)]
        .to_owned(),
        2 => (slots + rng.below(3)).to_string(),
        _ => rng.below(slots.max(1)).to_string(),
    }
}

fn space(rng: &mut Rng) -> &'static str {
    if rng.chance(85) {
        ""
    } else {
        [" ", "\n", "\t", "\r\n  ", "\u{a0}", "\u{c}"][rng.below(6)]
    }
}

/// A document of random slots: primitives, arrays and objects of references (in range or not,
/// shared, cyclic), now and then a tagged or sparse array.
fn slots_document(rng: &mut Rng) -> String {
    let most = if rng.chance(10) { 60 } else { 8 };
    let n = 1 + rng.below(most);
    let mut out = String::new();
    out.push_str(space(rng));
    out.push('[');
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        out.push_str(space(rng));
        match rng.below(12) {
            0 => out.push_str(["null", "true", "false", "nul", "True"][rng.below(5)]),
            1..=2 => out.push_str(NUMBERS[rng.below(NUMBERS.len())]),
            3..=4 => out.push_str(STRINGS[rng.below(STRINGS.len())]),
            5..=7 => {
                out.push('[');
                let len = rng.below(6);
                for j in 0..len {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push_str(space(rng));
                    if j == 0 && rng.chance(10) {
                        out.push_str(STRINGS[rng.below(STRINGS.len())]);
                    } else {
                        out.push_str(&reference(rng, n));
                    }
                    out.push_str(space(rng));
                }
                out.push(']');
            }
            _ => {
                out.push('{');
                let len = rng.below(5);
                for j in 0..len {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push_str(space(rng));
                    out.push_str(STRINGS[rng.below(STRINGS.len().min(13))]);
                    out.push_str(space(rng));
                    out.push(':');
                    out.push_str(&reference(rng, n));
                }
                out.push('}');
            }
        }
        out.push_str(space(rng));
    }
    out.push(']');
    out.push_str(space(rng));
    out
}

/// `text` with a few bytes deleted, replaced, inserted or repeated (at char boundaries).
fn corrupt(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(chars.len() + 1);
        let piece = [
            '[', ']', '{', '}', ',', ':', '"', '\\', '-', '1', '0', 'e', ' ', '.',
        ];
        match rng.below(5) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 if at < chars.len() => chars[at] = piece[rng.below(piece.len())],
            2 => chars.insert(at, piece[rng.below(piece.len())]),
            3 => chars.truncate(at),
            _ => {
                let end = (at + rng.below(12)).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                let to = rng.below(chars.len() + 1);
                chars.splice(to..to, copy);
            }
        }
    }
    chars.into_iter().collect()
}

/// A plain value (what the fast route reads): arrays (with a hole now and then), objects whose
/// keys the test targets know, strings, numbers, booleans, `null`, `undefined`.
fn plain(rng: &mut Rng, depth: usize) -> Value {
    const KEYS: &[&str] = &[
        "name",
        "id",
        "tags",
        "a\"b</script>",
        "10",
        "2",
        "z",
        "a02",
        "a07",
        "inner",
        "nested",
        "kind",
        "a",
        "b",
        "Low",
        "High",
        "Pair",
        "Two",
        "other",
        "é",
    ];
    const WORDS: &[&str] = &[
        "",
        "a",
        "Low",
        "High",
        "x\"y",
        "\\",
        "é✓",
        "line\nbreak",
        "\u{1}",
    ];
    let numbers = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        7.0,
        255.0,
        256.0,
        -129.0,
        1.5,
        -2.25,
        0.1 + 0.2,
        1e21,
        9_007_199_254_740_993.0,
        4_294_967_296.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        123_456.789,
    ];
    let container = depth > 0 && rng.chance(45);
    if !container {
        return match rng.below(9) {
            0 => Value::Null,
            1 => Value::Undefined,
            2 => Value::Bool(rng.chance(50)),
            3..=5 => Value::Number(numbers[rng.below(numbers.len())]),
            _ => Value::String(WORDS[rng.below(WORDS.len())].to_owned()),
        };
    }
    let n = rng.below(6);
    if rng.chance(50) {
        Value::Array(
            (0..n)
                .map(|_| {
                    if rng.chance(5) {
                        Value::Hole
                    } else {
                        plain(rng, depth - 1)
                    }
                })
                .collect(),
        )
    } else {
        let mut entries: Vec<(String, Value)> = Vec::new();
        for _ in 0..n {
            let key = KEYS[rng.below(KEYS.len())].to_owned();
            if entries.iter().all(|(k, _)| *k != key) {
                entries.push((key, plain(rng, depth - 1)));
            }
        }
        Value::Object(entries)
    }
}

/// A document written by the serializer from a generated value (every kind of value).
fn written(rng: &mut Rng) -> Option<String> {
    let mut generator = Gen::new(rng);
    let item = generator.item();
    devalue::to_string(&item).ok()
}

#[test]
fn from_str_answers_what_the_tree_route_answers_on_long_seeded_sequences() {
    for seed in [1u64, 0x5eed, 0xdeca_fbad] {
        let mut rng = Rng(seed);
        for _ in 0..1_500 {
            let text = match rng.below(10) {
                0..=1 => written(&mut rng).unwrap_or_default(),
                2 => {
                    let text = written(&mut rng).unwrap_or_default();
                    corrupt(&mut rng, &text)
                }
                3..=5 => {
                    let depth = 1 + rng.below(5);
                    devalue::to_string(&plain(&mut rng, depth)).unwrap()
                }
                6 => {
                    let depth = 1 + rng.below(5);
                    let text = devalue::to_string(&plain(&mut rng, depth)).unwrap();
                    corrupt(&mut rng, &text)
                }
                7..=8 => slots_document(&mut rng),
                _ => {
                    let text = slots_document(&mut rng);
                    corrupt(&mut rng, &text)
                }
            };
            checks::devalue_routes(&text);
        }
    }
}

#[test]
fn from_str_answers_what_the_tree_route_answers_on_edge_documents() {
    let deep = |n: usize| {
        // Slot i is an array holding a reference to slot i + 1; the last holds 1.
        let mut slots: Vec<String> = (1..n).map(|i| format!("[{i}]")).collect();
        slots.push("1".to_owned());
        format!("[{}]", slots.join(","))
    };
    let shared = |n: usize| {
        // Each slot refers to the next one twice: 2^n values made from n slots.
        let mut slots: Vec<String> = (1..n).map(|i| format!("[{i},{i}]")).collect();
        slots.push("\"x\"".to_owned());
        format!("[{}]", slots.join(","))
    };
    for text in [
        "-1".to_owned(),
        "-3".to_owned(),
        "-2".to_owned(),
        "[]".to_owned(),
        "[0]".to_owned(),
        "[[0]]".to_owned(),
        "[[1],[0]]".to_owned(),
        "[[1,1],2,[]]".to_owned(),
        "[{\"a\":1,\"a\":2},1,2]".to_owned(),
        "[{\"a\":-2}]".to_owned(),
        "[[-2,-1,-3,-4,-5,-6]]".to_owned(),
        "[[-7,3,1,1],\"x\"]".to_owned(),
        "[{\"Two\":1},[2,3],7,\"s\"]".to_owned(),
        "[{\"High\":1},2.5]".to_owned(),
        "[{\"Low\":-1}]".to_owned(),
        "[{\"Pair\":1},{\"a\":2},\"x\"]".to_owned(),
        deep(511),
        deep(512),
        deep(513),
        shared(12),
        shared(21),
    ] {
        checks::devalue_routes(&text);
    }
}

/// Documents of every size for the kept tables: tiny and plain, corrupted, tagged, escaped,
/// and now and then larger than what a thread keeps.
fn mixed_document(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => written(rng).unwrap_or_default(),
        1..=4 => {
            let depth = 1 + rng.below(5);
            devalue::to_string(&plain(rng, depth)).unwrap()
        }
        5 => slots_document(rng),
        6 => {
            let text = slots_document(rng);
            corrupt(rng, &text)
        }
        7 => {
            // Over the kept tables' limit: many slots, many references, many escaped strings.
            let n = 3_000 + rng.below(3_000);
            let big = Value::Array(
                (0..n)
                    .map(|i| match i % 3 {
                        0 => Value::String(format!("s{i}\"")),
                        1 => Value::Object(vec![("k".to_owned(), Value::Number(i as f64))]),
                        _ => Value::Number(i as f64 * 0.5),
                    })
                    .collect(),
            );
            devalue::to_string(&big).unwrap()
        }
        _ => {
            let depth = 1 + rng.below(5);
            let text = devalue::to_string(&plain(rng, depth)).unwrap();
            corrupt(rng, &text)
        }
    }
}

#[test]
fn from_str_after_other_documents_on_one_thread_answers_what_a_fresh_thread_answers() {
    let mut rng = Rng(0xfee1_600d);
    let texts: Vec<String> = (0..1_200).map(|_| mixed_document(&mut rng)).collect();
    let read = |text: &str| {
        format!(
            "{:?} {:?}",
            devalue::from_str::<serde_json::Value>(text),
            devalue::from_str::<Vec<Option<String>>>(text)
        )
    };
    std::thread::scope(|scope| {
        for text in &texts {
            let kept = read(text);
            let fresh = scope.spawn(|| read(text)).join().unwrap();
            assert_eq!(kept, fresh, "{text:?}");
        }
    });
}
