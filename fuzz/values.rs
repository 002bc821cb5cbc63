//! Values of every kind and size for the devalue serializer, drawn from a source of numbers
//! (a seeded generator in `tests/it/sequences.rs`, the fuzzer's bytes in the `devalue_sequence`
//! target), each with the JavaScript expression that builds the same value, so that npm
//! devalue's `stringify` can be asked what it writes for it.
//!
//! Shared through `#[path]` by `fuzz/checks.rs` and `tests/it/sequences.rs`.

#![allow(dead_code)]

use serde::Serialize;
use tower_actions::devalue::Value;
use tower_actions::js;

/// Where the choices come from.
pub trait Source {
    /// The next number.
    fn next(&mut self) -> u64;

    /// A number below `n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `true` `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// xorshift64*: a small seeded generator.
pub struct Rng(pub u64);

impl Source for Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// The fuzzer's bytes, eight at a time; once they run out, a generator seeded by them (so
/// that short inputs still make long sequences).
pub struct FuzzBytes<'a> {
    data: &'a [u8],
    rest: Rng,
}

impl<'a> FuzzBytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        let seed = data.iter().fold(0x9e37_79b9_7f4a_7c15_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        FuzzBytes {
            data,
            rest: Rng(seed | 1),
        }
    }
}

impl Source for FuzzBytes<'_> {
    fn next(&mut self) -> u64 {
        if self.data.is_empty() {
            return self.rest.next();
        }
        let n = self.data.len().min(8);
        let mut word = [0u8; 8];
        word[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        u64::from_le_bytes(word)
    }
}

/// One value of a sequence: a [`Value`] tree, or a Rust struct (whose field names the
/// serializer remembers by address between values).
#[derive(Clone, Debug)]
pub enum Item {
    Value(Value),
    Wide(Box<Wide>),
    Named(Named),
    Indexed(Indexed),
    Tagged(Tagged),
}

impl Serialize for Item {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Item::Value(v) => v.serialize(serializer),
            Item::Wide(w) => w.serialize(serializer),
            Item::Named(n) => n.serialize(serializer),
            Item::Indexed(i) => i.serialize(serializer),
            Item::Tagged(t) => t.serialize(serializer),
        }
    }
}

impl Item {
    /// A JavaScript expression for the same value.
    pub fn to_js(&self) -> String {
        match self {
            Item::Value(v) => js_value(v),
            Item::Wide(w) => w.to_js(),
            Item::Named(n) => n.to_js(),
            Item::Indexed(i) => i.to_js(),
            Item::Tagged(t) => t.to_js(),
        }
    }
}

/// A struct with many fields of many types.
#[derive(Serialize, Clone, Debug)]
pub struct Wide {
    pub id: f64,
    pub name: String,
    pub active: bool,
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub score: f64,
    pub created: js::Date,
    pub home: js::Url,
    pub big: js::BigInt,
    pub inner: Named,
    pub list: Vec<Named>,
    pub counts: js::Map<String, f64>,
    pub seen: js::Set<f64>,
    pub a01: u32,
    pub a02: i64,
    pub a03: String,
    pub a04: String,
    pub a05: bool,
    pub a06: Option<f64>,
    pub a07: Vec<u8>,
    pub a08: f64,
    pub a09: String,
    pub a10: String,
    pub a11: Option<bool>,
}

/// A struct whose field names need escaping.
#[derive(Serialize, Clone, Debug)]
pub struct Named {
    #[serde(rename = "a\"b</script>")]
    pub quoted: String,
    #[serde(rename = "line\u{2028}sep")]
    pub sep: f64,
    pub plain: Option<String>,
    /// Names around and beyond the length whose written text the serializer keeps inline.
    pub twenty_characters_ab: bool,
    pub twenty_one_characters: Option<f64>,
    #[serde(rename = "a field name longer than any inline text, with \"quotes\"")]
    pub long: String,
}

/// A struct whose field names are array indices, out of `Object.keys` order.
#[derive(Serialize, Clone, Debug)]
pub struct Indexed {
    pub z: String,
    #[serde(rename = "10")]
    pub ten: f64,
    #[serde(rename = "2")]
    pub two: bool,
    #[serde(rename = "01")]
    pub zero_one: String,
}

/// Enum variants: externally tagged, as objects.
#[derive(Serialize, Clone, Debug)]
pub enum Tagged {
    Unit,
    Newtype(String),
    Tuple(f64, String),
    Struct { a: f64, b: Vec<String> },
}

fn js_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn js_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if n == 0.0 && n.is_sign_negative() {
        "-0".to_owned()
    } else {
        // Rust's shortest round-trip digits read back as the same double in JavaScript.
        format!("{n:?}")
    }
}

fn js_date(d: &js::Date) -> String {
    match d.to_iso_string() {
        Some(iso) => format!("new Date({})", js_str(&iso)),
        None => "new Date(NaN)".to_owned(),
    }
}

fn js_object(entries: &[(String, String)]) -> String {
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}:{v}", js_str(k)))
        .collect();
    format!("({{{}}})", body.join(","))
}

/// A JavaScript expression for `v`.
pub fn js_value(v: &Value) -> String {
    match v {
        Value::Undefined => "undefined".to_owned(),
        Value::Hole => unreachable!("holes are written by their array"),
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => js_number(*n),
        Value::String(s) => js_str(s),
        Value::BigInt(s) => format!("BigInt({})", js_str(s)),
        Value::Date(d) => js_date(d),
        Value::Url(href) => format!("new URL({})", js_str(href)),
        Value::RegExp { source, flags } => {
            format!("new RegExp({}, {})", js_str(source), js_str(flags))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|item| match item {
                    Value::Hole => String::new(),
                    item => js_value(item),
                })
                .collect();
            // A trailing hole needs its own comma.
            let trailing = if items.last() == Some(&Value::Hole) {
                ","
            } else {
                ""
            };
            format!("[{}{trailing}]", parts.join(","))
        }
        Value::Object(entries) => js_object(
            &entries
                .iter()
                .map(|(k, v)| (k.clone(), js_value(v)))
                .collect::<Vec<_>>(),
        ),
        Value::NullProtoObject(entries) => format!(
            "Object.assign(Object.create(null), {})",
            js_object(
                &entries
                    .iter()
                    .map(|(k, v)| (k.clone(), js_value(v)))
                    .collect::<Vec<_>>()
            )
        ),
        Value::Map(entries) => {
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("[{},{}]", js_value(k), js_value(v)))
                .collect();
            format!("new Map([{}])", parts.join(","))
        }
        Value::Set(values) => {
            let parts: Vec<String> = values.iter().map(js_value).collect();
            format!("new Set([{}])", parts.join(","))
        }
        Value::Boxed(inner) => format!("Object({})", js_value(inner)),
        Value::Bytes(bytes) => {
            let parts: Vec<String> = bytes.iter().map(u8::to_string).collect();
            format!("new Uint8Array([{}])", parts.join(","))
        }
        other => panic!("no expression for {other:?}"),
    }
}

fn js_strings(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| js_str(s)).collect();
    format!("[{}]", parts.join(","))
}

fn js_opt_str(s: &Option<String>) -> String {
    s.as_deref().map_or("undefined".to_owned(), js_str)
}

impl Named {
    pub fn to_js(&self) -> String {
        js_object(&[
            ("a\"b</script>".to_owned(), js_str(&self.quoted)),
            ("line\u{2028}sep".to_owned(), js_number(self.sep)),
            ("plain".to_owned(), js_opt_str(&self.plain)),
            (
                "twenty_characters_ab".to_owned(),
                self.twenty_characters_ab.to_string(),
            ),
            (
                "twenty_one_characters".to_owned(),
                self.twenty_one_characters
                    .map_or_else(|| "undefined".to_owned(), js_number),
            ),
            (
                "a field name longer than any inline text, with \"quotes\"".to_owned(),
                js_str(&self.long),
            ),
        ])
    }
}

impl Indexed {
    pub fn to_js(&self) -> String {
        js_object(&[
            ("z".to_owned(), js_str(&self.z)),
            ("10".to_owned(), js_number(self.ten)),
            ("2".to_owned(), self.two.to_string()),
            ("01".to_owned(), js_str(&self.zero_one)),
        ])
    }
}

impl Tagged {
    pub fn to_js(&self) -> String {
        match self {
            Tagged::Unit => js_str("Unit"),
            Tagged::Newtype(s) => js_object(&[("Newtype".to_owned(), js_str(s))]),
            Tagged::Tuple(n, s) => js_object(&[(
                "Tuple".to_owned(),
                format!("[{},{}]", js_number(*n), js_str(s)),
            )]),
            Tagged::Struct { a, b } => js_object(&[(
                "Struct".to_owned(),
                js_object(&[
                    ("a".to_owned(), js_number(*a)),
                    ("b".to_owned(), js_strings(b)),
                ]),
            )]),
        }
    }
}

impl Wide {
    pub fn to_js(&self) -> String {
        let list: Vec<String> = self.list.iter().map(Named::to_js).collect();
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(k, v)| format!("[{},{}]", js_str(k), js_number(*v)))
            .collect();
        let seen: Vec<String> = self.seen.iter().map(|n| js_number(*n)).collect();
        let bytes: Vec<String> = self.a07.iter().map(u8::to_string).collect();
        js_object(&[
            ("id".to_owned(), js_number(self.id)),
            ("name".to_owned(), js_str(&self.name)),
            ("active".to_owned(), self.active.to_string()),
            ("note".to_owned(), js_opt_str(&self.note)),
            ("tags".to_owned(), js_strings(&self.tags)),
            ("score".to_owned(), js_number(self.score)),
            ("created".to_owned(), js_date(&self.created)),
            (
                "home".to_owned(),
                format!("new URL({})", js_str(self.home.href())),
            ),
            (
                "big".to_owned(),
                format!("BigInt({})", js_str(self.big.as_decimal())),
            ),
            ("inner".to_owned(), self.inner.to_js()),
            ("list".to_owned(), format!("[{}]", list.join(","))),
            (
                "counts".to_owned(),
                format!("new Map([{}])", counts.join(",")),
            ),
            ("seen".to_owned(), format!("new Set([{}])", seen.join(","))),
            ("a01".to_owned(), self.a01.to_string()),
            ("a02".to_owned(), self.a02.to_string()),
            ("a03".to_owned(), js_str(&self.a03)),
            ("a04".to_owned(), js_str(&self.a04)),
            ("a05".to_owned(), self.a05.to_string()),
            (
                "a06".to_owned(),
                self.a06.map_or("undefined".to_owned(), js_number),
            ),
            ("a07".to_owned(), format!("[{}]", bytes.join(","))),
            ("a08".to_owned(), js_number(self.a08)),
            ("a09".to_owned(), js_str(&self.a09)),
            ("a10".to_owned(), js_str(&self.a10)),
            (
                "a11".to_owned(),
                self.a11.map_or("undefined".to_owned(), |b| b.to_string()),
            ),
        ])
    }
}

/// Pieces of strings: ordinary text, everything devalue escapes, non-ASCII.
const PIECES: &[&str] = &[
    "a",
    "b",
    "Z",
    "0",
    "7",
    " ",
    "\"",
    "\\",
    "<",
    "</script>",
    "\n",
    "\r",
    "\t",
    "\u{0}",
    "\u{1}",
    "\u{8}",
    "\u{c}",
    "\u{1f}",
    "\u{7f}",
    "é",
    "€",
    "\u{2028}",
    "\u{2029}",
    "😀",
    "-",
    ".",
    "1e3",
    "__proto__",
];

/// Hrefs as `URL.href` writes them (the serializer writes the href it is given).
const HREFS: &[&str] = &[
    "https://example.com/",
    "https://x.test/a?b=1#c",
    "http://127.0.0.1:8080/path/to",
    "https://example.com/%C3%A9?q=%22",
    "file:///tmp/x.txt",
    "https://user:pw@h.test/",
];

/// Generates values: `size` bounds how large they get (1 small, up to 100 000 huge).
pub struct Gen<'a, S: Source> {
    pub source: &'a mut S,
    /// Values generated so far, reused now and then (repeated values).
    recent: Vec<Value>,
}

impl<'a, S: Source> Gen<'a, S> {
    pub fn new(source: &'a mut S) -> Self {
        Gen {
            source,
            recent: Vec::new(),
        }
    }

    pub fn string(&mut self, long: bool) -> String {
        let s = &mut *self.source;
        let len = match s.below(10) {
            0 => 0,
            1..=5 => s.below(12),
            6..=8 => s.below(150),
            _ if long => s.below(100_000),
            _ => s.below(400),
        };
        if len > 1_000 && s.chance(60) {
            // A long run of ordinary text with a few specials in it.
            let mut text = "lorem ipsum ".repeat(len / 12);
            for _ in 0..s.below(5) {
                let at = s.below(text.len() / 12 + 1) * 12;
                text.insert_str(at.min(text.len()), PIECES[s.below(PIECES.len())]);
            }
            return text;
        }
        (0..len).map(|_| PIECES[s.below(PIECES.len())]).collect()
    }

    pub fn number(&mut self) -> f64 {
        let s = &mut *self.source;
        match s.below(14) {
            0 => s.below(10) as f64,
            1 => s.below(2_000) as f64 - 1_000.0,
            2 => (s.next() >> 11) as f64,
            3 => -0.0,
            4 => (s.next() % 1_000_000) as f64 / 1_000.0,
            5 => f64::from_bits(s.next()),
            6 => 1e21,
            7 => 0.1 + 0.2,
            8 => f64::NAN,
            9 => f64::INFINITY,
            10 => f64::NEG_INFINITY,
            11 => 5e-324,
            12 => (s.next() % 100_000_000) as f64 / 10f64.powi(s.below(12) as i32),
            _ => s.below(1_024) as f64,
        }
    }

    fn bigint(&mut self) -> String {
        let s = &mut *self.source;
        let digits = 1 + s.below(60);
        let mut text: String = (0..digits)
            .map(|i| {
                let d = s.below(10) as u8;
                char::from(b'0' + if i == 0 && digits > 1 { d.max(1) } else { d })
            })
            .collect();
        if text != "0" && s.chance(30) {
            text.insert(0, '-');
        }
        text
    }

    fn date(&mut self) -> js::Date {
        let s = &mut *self.source;
        match s.below(6) {
            0 => js::Date::from_unix_millis(0),
            1 => js::Date::from_unix_millis_f64(f64::NAN),
            2 => js::Date::from_unix_millis(8_640_000_000_000_000),
            3 => js::Date::from_unix_millis(-8_640_000_000_000_000),
            _ => js::Date::from_unix_millis(
                (s.next() % 20_000_000_000_000) as i64 - 10_000_000_000_000,
            ),
        }
    }

    /// A primitive or leaf value.
    fn leaf(&mut self, long: bool) -> Value {
        match self.source.below(20) {
            0 => Value::Undefined,
            1 | 2 => Value::Null,
            3 => Value::Bool(true),
            4 => Value::Bool(false),
            5..=8 => Value::Number(self.number()),
            9..=14 => Value::String(self.string(long)),
            15 => Value::BigInt(self.bigint()),
            16 => Value::Date(self.date()),
            17 => Value::Url(HREFS[self.source.below(HREFS.len())].to_owned()),
            18 => {
                let n = if long {
                    self.source.below(5_000)
                } else {
                    self.source.below(20)
                };
                Value::Bytes((0..n).map(|_| self.source.next() as u8).collect())
            }
            _ => match self.source.below(4) {
                0 => Value::Boxed(Box::new(Value::Number(self.number()))),
                1 => Value::Boxed(Box::new(Value::String(self.string(false)))),
                2 => Value::RegExp {
                    source: ["ab+c", "x", "[a-z]*", "\\d+"][self.source.below(4)].to_owned(),
                    flags: ["", "g", "gi", "ms"][self.source.below(4)].to_owned(),
                },
                _ => Value::Bool(self.source.chance(50)),
            },
        }
    }

    /// A key no other key of its object has: index-like, escaped, plain.
    fn key(&mut self, i: usize) -> String {
        match self.source.below(8) {
            0 => i.to_string(),
            1 => format!("{}", 1_000 - i as i64),
            2 => format!("0{i}"),
            3 => format!("{}{i}", self.string(false).replace("__proto__", "p")),
            4 => format!("k\"<\u{2028}{i}"),
            5 => (4_294_967_290 + i as u64).to_string(),
            _ => format!("field{i}"),
        }
    }

    /// A key of a `Map` or member of a `Set` that equals no other: JavaScript keeps one of
    /// equal primitives (and -0 as 0).
    fn unique(&mut self, i: usize, size: usize) -> Value {
        match self.source.below(4) {
            0 => Value::Number(i as f64),
            1 => Value::String(format!("m{i}")),
            2 => Value::BigInt(format!("{i}")),
            // A new container: never equal to another.
            _ => Value::Array(vec![self.value(size, 2)]),
        }
    }

    /// The entries of an object: `n` of them, of about `each` parts, with distinct keys.
    fn entries(&mut self, n: usize, each: usize, depth: usize) -> Vec<(String, Value)> {
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::with_capacity(n);
        for i in 0..n {
            let key = self.key(i);
            let value = self.value(each, depth);
            if seen.insert(key.clone()) {
                entries.push((key, value));
            }
        }
        entries
    }

    /// A value of about `size` parts, at most `depth` containers deep.
    pub fn value(&mut self, size: usize, depth: usize) -> Value {
        if !self.recent.is_empty() && self.source.chance(8) {
            // A value seen before: primitives are de-duplicated, containers written again.
            return self.recent[self.source.below(self.recent.len())].clone();
        }
        let container = size > 1 && depth > 0 && self.source.chance(75);
        let v = if !container {
            self.leaf(size > 500)
        } else {
            let n = 1 + self.source.below(size.min(2_000));
            let each = (size / n).max(1);
            match self.source.below(10) {
                0..=3 => {
                    let holes = self.source.chance(15);
                    Value::Array(
                        (0..n)
                            .map(|_| {
                                if holes && self.source.chance(60) {
                                    Value::Hole
                                } else {
                                    self.value(each, depth - 1)
                                }
                            })
                            .collect(),
                    )
                }
                4..=6 => Value::Object(self.entries(n, each, depth - 1)),
                7 => Value::Map(
                    (0..n)
                        .map(|i| (self.unique(i, each), self.value(each, depth - 1)))
                        .collect(),
                ),
                8 => Value::Set((0..n).map(|i| self.unique(i, each)).collect()),
                _ => Value::NullProtoObject(self.entries(n, each, depth - 1)),
            }
        };
        if self.recent.len() < 64 {
            self.recent.push(v.clone());
        } else {
            let at = self.source.below(64);
            self.recent[at] = v.clone();
        }
        v
    }

    fn named(&mut self) -> Named {
        Named {
            quoted: self.string(false),
            sep: self.number(),
            plain: self.source.chance(50).then(|| self.string(false)),
            twenty_characters_ab: self.source.chance(50),
            twenty_one_characters: self.source.chance(50).then(|| self.number()),
            long: self.string(false),
        }
    }

    fn wide(&mut self, size: usize) -> Wide {
        let n = size.min(200);
        Wide {
            id: self.number(),
            name: self.string(size > 500),
            active: self.source.chance(50),
            note: self.source.chance(50).then(|| self.string(false)),
            tags: (0..self.source.below(n + 1))
                .map(|_| self.string(false))
                .collect(),
            score: self.number(),
            created: self.date(),
            home: js::Url::new(HREFS[self.source.below(HREFS.len())]),
            big: js::BigInt::from_decimal(&self.bigint()).unwrap(),
            inner: self.named(),
            list: (0..self.source.below(n / 4 + 1))
                .map(|_| self.named())
                .collect(),
            counts: js::Map(
                (0..self.source.below(n / 4 + 1))
                    .map(|i| (format!("c{i}"), self.number()))
                    .collect(),
            ),
            seen: js::Set((0..self.source.below(10)).map(|i| i as f64 * 1.5).collect()),
            a01: self.source.next() as u32,
            a02: (self.source.next() % (1 << 53)) as i64 - (1 << 52),
            a03: self.string(false),
            a04: String::new(),
            a05: self.source.chance(50),
            a06: self.source.chance(50).then(|| self.number()),
            a07: (0..self.source.below(16))
                .map(|_| self.source.next() as u8)
                .collect(),
            a08: self.number(),
            a09: self.string(false),
            a10: "a10".to_owned(),
            a11: self.source.chance(50).then(|| self.source.chance(50)),
        }
    }

    /// The size of a huge value (a large one three times in four).
    pub fn huge_size(&mut self) -> usize {
        if self.source.chance(25) {
            5_000 + self.source.below(30_000)
        } else {
            500 + self.source.below(4_000)
        }
    }

    /// A huge value: a large array, object or map, or a huge string.
    pub fn huge(&mut self) -> Item {
        let size = 5_000 + self.source.below(30_000);
        match self.source.below(4) {
            0 => Item::Value(Value::String("x\"<".repeat(size))),
            1 => Item::Wide(Box::new(self.wide(size))),
            _ => Item::Value(self.value(size, 4)),
        }
    }

    /// One item of a sequence: tiny most of the time, sometimes large or huge.
    pub fn item(&mut self) -> Item {
        let size = match self.source.below(20) {
            0..=9 => 1 + self.source.below(4),
            10..=15 => 5 + self.source.below(60),
            16..=18 => 100 + self.source.below(2_000),
            _ => self.huge_size(),
        };
        match self.source.below(20) {
            0..=1 => Item::Wide(Box::new(self.wide(size))),
            2 => Item::Named(self.named()),
            3 => Item::Indexed(Indexed {
                z: self.string(false),
                ten: self.number(),
                two: self.source.chance(50),
                zero_one: self.string(false),
            }),
            4 => Item::Tagged(match self.source.below(4) {
                0 => Tagged::Unit,
                1 => Tagged::Newtype(self.string(false)),
                2 => Tagged::Tuple(self.number(), self.string(false)),
                _ => Tagged::Struct {
                    a: self.number(),
                    b: (0..self.source.below(5))
                        .map(|_| self.string(false))
                        .collect(),
                },
            }),
            // null, true and false on their own, often after a large value.
            5..=7 => Item::Value(
                [Value::Null, Value::Bool(true), Value::Bool(false)][self.source.below(3)].clone(),
            ),
            8..=9 => Item::Value(self.leaf(size > 500)),
            _ => {
                let depth = if self.source.chance(5) { 40 } else { 6 };
                Item::Value(self.value(size, depth))
            }
        }
    }
}

/// A deeply nested value, for the depth limit.
pub fn deep(depth: usize) -> Value {
    let mut v = Value::Number(1.0);
    for _ in 0..depth {
        v = Value::Array(vec![v]);
    }
    v
}
