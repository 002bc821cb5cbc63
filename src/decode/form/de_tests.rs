//! Table-driven tests of the form decoder: the coercion table of the decoder's module docs and the cases of
//! Astro's `form-data-to-object.test.ts` that serde types can express.

use std::collections::BTreeMap;
use std::fmt::Debug;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::from_form;
use crate::form_data::{FormData, FormValue, UploadedFile};

fn t(text: &str) -> FormValue {
    FormValue::Text(text.to_owned())
}

fn file(name: &str, content: &[u8]) -> UploadedFile {
    UploadedFile::new(name, "text/plain", content.to_vec())
}

fn f(name: &str, content: &[u8]) -> FormValue {
    FormValue::File(file(name, content))
}

/// An expected issue: code, path joined with `.`, message.
type Want = (&'static str, &'static str, &'static str);

const NULL_STR: &str = "Invalid input: expected string, received null";
const NULL_NUM: &str = "Invalid input: expected number, received null";
const NAN: &str = "Invalid input: expected number, received NaN";

enum Expect<T> {
    Value(T),
    Issues(Vec<Want>),
}

type Row = (String, Box<dyn Fn() -> Result<(), String>>);

fn row<T>(label: &str, entries: Vec<(&str, FormValue)>, expect: Expect<T>) -> Row
where
    T: DeserializeOwned + PartialEq + Debug + 'static,
{
    let form: FormData = entries.into_iter().collect();
    let check = move || -> Result<(), String> {
        let got = from_form::<T>(&form);
        match (&expect, got) {
            (Expect::Value(want), Ok(got)) if *want == got => Ok(()),
            (Expect::Issues(want), Err(err)) => {
                let input = err
                    .as_input_error()
                    .ok_or_else(|| format!("not an input error: {err:?}"))?;
                let got: Vec<(String, String, String)> = input
                    .issues()
                    .iter()
                    .map(|issue| {
                        let path: Vec<String> = issue.path.iter().map(|s| s.to_string()).collect();
                        (
                            issue.code.to_string(),
                            path.join("."),
                            issue.message.clone(),
                        )
                    })
                    .collect();
                let want: Vec<(String, String, String)> = want
                    .iter()
                    .map(|(c, p, m)| (c.to_string(), p.to_string(), m.to_string()))
                    .collect();
                if got == want {
                    Ok(())
                } else {
                    Err(format!("issues {got:?}, want {want:?}"))
                }
            }
            (Expect::Value(want), got) => Err(format!("got {got:?}, want {want:?}")),
            (Expect::Issues(want), got) => Err(format!("got {got:?}, want issues {want:?}")),
        }
    };
    (label.to_owned(), Box::new(check))
}

fn ok<T>(value: T) -> Expect<T> {
    Expect::Value(value)
}

fn issues<T>(issues: &[Want]) -> Expect<T> {
    Expect::Issues(issues.to_vec())
}

fn run(rows: Vec<Row>) {
    let count = rows.len();
    let failures: Vec<String> = rows
        .into_iter()
        .filter_map(|(label, check)| check().err().map(|why| format!("{label}: {why}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {count} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[derive(Debug, PartialEq, Deserialize)]
struct Str {
    str: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct OptStr {
    opt: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Num {
    num: f64,
}

#[derive(Debug, PartialEq, Deserialize)]
struct OptNum {
    num: Option<f64>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Int<T> {
    n: T,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Bool {
    b: bool,
}

#[derive(Debug, PartialEq, Deserialize)]
struct OptBool {
    b: Option<bool>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Strings {
    arr: Vec<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Nums {
    nums: Vec<f64>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Bools {
    bools: Vec<bool>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Files {
    files: Vec<UploadedFile>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct OptFile {
    file: Option<UploadedFile>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct File {
    file: UploadedFile,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Inner {
    x: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Nested {
    nested: Inner,
}

#[derive(Debug, PartialEq, Deserialize)]
struct OptNested {
    nested: Option<Inner>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Bc {
    b: String,
    c: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct ABc {
    a: String,
    bc: Bc,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Deep {
    a: DeepA,
}

#[derive(Debug, PartialEq, Deserialize)]
struct DeepA {
    b: DeepB,
}

#[derive(Debug, PartialEq, Deserialize)]
struct DeepB {
    c: String,
    d: u32,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Theme {
    Light,
    Dark,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Prefs {
    theme: Theme,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Themes {
    themes: Vec<Theme>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Flat {
    expected: String,
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Contact {
    Email { email: String },
    Phone { phone: String },
}

#[derive(Debug, PartialEq, Deserialize)]
struct WithContact {
    contact: Contact,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Person {
    name: String,
    age: u32,
    #[serde(rename = "isCool")]
    is_cool: bool,
}

#[derive(Debug, PartialEq, Deserialize)]
struct FormTypes {
    str: String,
    num: f64,
    bool: bool,
    arr: Vec<String>,
    nums: Vec<f64>,
    bools: Vec<bool>,
    opt: Option<String>,
    #[serde(rename = "optNum")]
    opt_num: Option<f64>,
    file: Option<UploadedFile>,
    nested: Option<Inner>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Three {
    str: String,
    num: f64,
    def: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Any {
    v: serde_json::Value,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Misc {
    c: char,
    pair: (u8, String),
    #[serde(default)]
    maybe: Vec<Option<String>>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct WithMap {
    prefs: BTreeMap<String, String>,
}

fn map(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn s(text: &str) -> String {
    text.to_owned()
}

#[test]
fn coercion_table() {
    let inner = |x: &str| Inner { x: s(x) };
    run(vec![
        // z.string()
        row(
            "string",
            vec![("str", t("hello"))],
            ok(Str { str: s("hello") }),
        ),
        row(
            "string empty",
            vec![("str", t(""))],
            issues::<Str>(&[("invalid_type", "str", NULL_STR)]),
        ),
        row(
            "string absent",
            vec![],
            issues::<Str>(&[("invalid_type", "str", NULL_STR)]),
        ),
        row(
            "string duplicate: first wins",
            vec![("str", t("first")), ("str", t("second"))],
            ok(Str { str: s("first") }),
        ),
        row(
            "string from a file",
            vec![("str", f("a", b"x"))],
            issues::<Str>(&[(
                "invalid_type",
                "str",
                "Invalid input: expected string, received File",
            )]),
        ),
        // .optional() / .nullable()
        row("optional absent", vec![], ok(OptStr { opt: None })),
        row(
            "optional empty",
            vec![("opt", t(""))],
            ok(OptStr { opt: None }),
        ),
        row(
            "optional present",
            vec![("opt", t("o"))],
            ok(OptStr { opt: Some(s("o")) }),
        ),
        // z.number()
        row("number 42", vec![("num", t("42"))], ok(Num { num: 42.0 })),
        row("number 0", vec![("num", t("0"))], ok(Num { num: 0.0 })),
        row(
            "number trimmed",
            vec![("num", t(" 12 "))],
            ok(Num { num: 12.0 }),
        ),
        row(
            "number empty",
            vec![("num", t(""))],
            issues::<Num>(&[("invalid_type", "num", NULL_NUM)]),
        ),
        row(
            "number absent",
            vec![],
            issues::<Num>(&[("invalid_type", "num", NULL_NUM)]),
        ),
        row(
            "number x",
            vec![("num", t("x"))],
            issues::<Num>(&[("invalid_type", "num", NAN)]),
        ),
        row(
            "number from a file",
            vec![("num", f("a", b"1"))],
            issues::<Num>(&[("invalid_type", "num", NAN)]),
        ),
        row(
            "number whitespace only is 0",
            vec![("num", t("  "))],
            ok(Num { num: 0.0 }),
        ),
        row(
            "number first of duplicates",
            vec![("num", t("1")), ("num", t("2"))],
            ok(Num { num: 1.0 }),
        ),
        row(
            "optional number empty",
            vec![("num", t(""))],
            ok(OptNum { num: None }),
        ),
        row("optional number absent", vec![], ok(OptNum { num: None })),
        row(
            "optional number present",
            vec![("num", t("3"))],
            ok(OptNum { num: Some(3.0) }),
        ),
        row(
            "optional number NaN",
            vec![("num", t("x"))],
            issues::<OptNum>(&[("invalid_type", "num", NAN)]),
        ),
        // JavaScript Number()
        row("Number 1e3", vec![("n", t("1e3"))], ok(Int { n: 1000u32 })),
        row(
            "Number 1.5e3",
            vec![("n", t("1.5e3"))],
            ok(Int { n: 1500i64 }),
        ),
        row("Number 0x10", vec![("n", t("0x10"))], ok(Int { n: 16u8 })),
        row("Number 0o17", vec![("n", t("0o17"))], ok(Int { n: 15u8 })),
        row("Number 0b101", vec![("n", t("0b101"))], ok(Int { n: 5u8 })),
        row("Number +5", vec![("n", t("+5"))], ok(Int { n: 5i32 })),
        row("Number -5", vec![("n", t("-5"))], ok(Int { n: -5i32 })),
        row("Number .5", vec![("n", t(".5"))], ok(Int { n: 0.5f64 })),
        row("Number 5.", vec![("n", t("5."))], ok(Int { n: 5.0f64 })),
        row("Number f32", vec![("n", t("2.5"))], ok(Int { n: 2.5f32 })),
        row(
            "Number abc",
            vec![("n", t("abc"))],
            issues::<Int<f64>>(&[("invalid_type", "n", NAN)]),
        ),
        row(
            "Number 1_000",
            vec![("n", t("1_000"))],
            issues::<Int<f64>>(&[("invalid_type", "n", NAN)]),
        ),
        row(
            "Number -0x10",
            vec![("n", t("-0x10"))],
            issues::<Int<f64>>(&[("invalid_type", "n", NAN)]),
        ),
        row(
            "Number 1e",
            vec![("n", t("1e"))],
            issues::<Int<f64>>(&[("invalid_type", "n", NAN)]),
        ),
        row(
            "Number inf (Rust spelling)",
            vec![("n", t("inf"))],
            issues::<Int<f64>>(&[("invalid_type", "n", NAN)]),
        ),
        row(
            "Number Infinity is not finite",
            vec![("n", t("Infinity"))],
            issues::<Int<f64>>(&[(
                "invalid_type",
                "n",
                "Invalid input: expected number, received Infinity",
            )]),
        ),
        row(
            "Number -Infinity",
            vec![("n", t("-Infinity"))],
            issues::<Int<i32>>(&[(
                "invalid_type",
                "n",
                "Invalid input: expected number, received -Infinity",
            )]),
        ),
        row(
            "Number exact u64",
            vec![("n", t("18446744073709551615"))],
            ok(Int { n: u64::MAX }),
        ),
        row(
            "int from a fraction",
            vec![("n", t("1.5"))],
            issues::<Int<u32>>(&[(
                "invalid_type",
                "n",
                "Invalid input: expected int, received number",
            )]),
        ),
        row(
            "int 1.0 is integral",
            vec![("n", t("1.0"))],
            ok(Int { n: 1u32 }),
        ),
        row(
            "int too big",
            vec![("n", t("300"))],
            issues::<Int<u8>>(&[("too_big", "n", "Too big: expected number to be <=255")]),
        ),
        row(
            "int too small",
            vec![("n", t("-1"))],
            issues::<Int<u32>>(&[("too_small", "n", "Too small: expected number to be >=0")]),
        ),
        row(
            "int too big as a float",
            vec![("n", t("1e20"))],
            issues::<Int<i64>>(&[(
                "too_big",
                "n",
                "Too big: expected number to be <=9223372036854776000",
            )]),
        ),
        row(
            "int empty",
            vec![("n", t(""))],
            issues::<Int<i8>>(&[("invalid_type", "n", NULL_NUM)]),
        ),
        // z.boolean()
        row("bool absent", vec![], ok(Bool { b: false })),
        row("bool true", vec![("b", t("true"))], ok(Bool { b: true })),
        row("bool false", vec![("b", t("false"))], ok(Bool { b: false })),
        row("bool on", vec![("b", t("on"))], ok(Bool { b: true })),
        row("bool yes", vec![("b", t("yes"))], ok(Bool { b: true })),
        row("bool False", vec![("b", t("False"))], ok(Bool { b: true })),
        row("bool empty", vec![("b", t(""))], ok(Bool { b: true })),
        row("bool file", vec![("b", f("a", b""))], ok(Bool { b: true })),
        row("optional bool absent", vec![], ok(OptBool { b: None })),
        row(
            "optional bool false",
            vec![("b", t("false"))],
            ok(OptBool { b: Some(false) }),
        ),
        // z.array(...)
        row(
            "array of strings",
            vec![("arr", t("a")), ("arr", t("b"))],
            ok(Strings {
                arr: vec![s("a"), s("b")],
            }),
        ),
        row("array absent", vec![], ok(Strings { arr: vec![] })),
        row(
            "array of strings keeps empty",
            vec![("arr", t(""))],
            ok(Strings { arr: vec![s("")] }),
        ),
        row(
            "array of numbers",
            vec![("nums", t("1")), ("nums", t("2.5"))],
            ok(Nums {
                nums: vec![1.0, 2.5],
            }),
        ),
        row(
            "array of numbers NaN",
            vec![("nums", t("1")), ("nums", t("x"))],
            issues::<Nums>(&[("invalid_type", "nums.1", NAN)]),
        ),
        row(
            "array of numbers: empty is 0",
            vec![("nums", t(""))],
            ok(Nums { nums: vec![0.0] }),
        ),
        row(
            "array of numbers: a file is NaN",
            vec![("nums", t("1")), ("nums", f("a", b"2"))],
            issues::<Nums>(&[("invalid_type", "nums.1", NAN)]),
        ),
        row(
            "array of numbers: every NaN",
            vec![("nums", t("x")), ("nums", t("2")), ("nums", t("y"))],
            issues::<Nums>(&[
                ("invalid_type", "nums.0", NAN),
                ("invalid_type", "nums.2", NAN),
            ]),
        ),
        row(
            "array of bools",
            vec![
                ("bools", t("false")),
                ("bools", t("yes")),
                ("bools", t("")),
                ("bools", t("true")),
            ],
            ok(Bools {
                bools: vec![false, true, false, true],
            }),
        ),
        row(
            "array of bools: a file is true",
            vec![("bools", f("a", b""))],
            ok(Bools { bools: vec![true] }),
        ),
        row(
            "array of files",
            vec![("files", f("a", b"1")), ("files", f("b", b"2"))],
            ok(Files {
                files: vec![file("a", b"1"), file("b", b"2")],
            }),
        ),
        row(
            "array of files with a text",
            vec![("files", f("a", b"1")), ("files", t("x"))],
            issues::<Files>(&[(
                "invalid_type",
                "files.1",
                "Invalid input: expected File, received string",
            )]),
        ),
        // files
        row(
            "file",
            vec![("file", f("t.sh", b"echo"))],
            ok(File {
                file: file("t.sh", b"echo"),
            }),
        ),
        row(
            "empty file part is a file",
            vec![(
                "file",
                FormValue::File(UploadedFile::new(
                    "",
                    "application/octet-stream",
                    Vec::new(),
                )),
            )],
            ok(OptFile {
                file: Some(UploadedFile::new(
                    "",
                    "application/octet-stream",
                    Vec::new(),
                )),
            }),
        ),
        row("optional file absent", vec![], ok(OptFile { file: None })),
        row(
            "file from text",
            vec![("file", t("x"))],
            issues::<File>(&[(
                "invalid_type",
                "file",
                "Invalid input: expected File, received string",
            )]),
        ),
        row(
            "file absent",
            vec![],
            issues::<File>(&[(
                "invalid_type",
                "file",
                "Invalid input: expected File, received null",
            )]),
        ),
        // nested objects
        row(
            "nested",
            vec![("nested.x", t("nx"))],
            ok(Nested {
                nested: inner("nx"),
            }),
        ),
        row(
            "nested absent",
            vec![],
            issues::<Nested>(&[(
                "invalid_type",
                "nested",
                "Invalid input: expected object, received undefined",
            )]),
        ),
        row(
            "nested field missing",
            vec![("nested.y", t("1"))],
            issues::<Nested>(&[("invalid_type", "nested.x", NULL_STR)]),
        ),
        row(
            "optional nested absent",
            vec![("other.x", t("1"))],
            ok(OptNested { nested: None }),
        ),
        // Known edge: a value under the object's own key makes the `Option` `Some`.
        row(
            "optional nested with only its own key",
            vec![("nested", t("v"))],
            issues::<OptNested>(&[(
                "invalid_type",
                "nested",
                "Invalid input: expected object, received undefined",
            )]),
        ),
        row(
            "optional nested present",
            vec![("nested.x", t("nx"))],
            ok(OptNested {
                nested: Some(inner("nx")),
            }),
        ),
        row(
            "nested discriminated union: email",
            vec![("contact.type", t("email")), ("contact.email", t("a@b.c"))],
            ok(WithContact {
                contact: Contact::Email { email: s("a@b.c") },
            }),
        ),
        row(
            "nested discriminated union: phone",
            vec![("contact.type", t("phone")), ("contact.phone", t("123"))],
            ok(WithContact {
                contact: Contact::Phone { phone: s("123") },
            }),
        ),
        // unknown fields, catchall
        row(
            "unknown field dropped",
            vec![("str", t("s")), ("extra", t("1"))],
            ok(Str { str: s("s") }),
        ),
        row(
            "map root: last duplicate wins",
            vec![("a", t("1")), ("b", t("2")), ("b", t("3"))],
            ok(map(&[("a", "1"), ("b", "3")])),
        ),
        row(
            "nested map",
            vec![
                ("prefs.theme", t("dark")),
                ("prefs.size", t("1")),
                ("other", t("x")),
            ],
            ok(WithMap {
                prefs: map(&[("theme", "dark"), ("size", "1")]),
            }),
        ),
        row(
            "nested map absent is empty",
            vec![],
            ok(WithMap {
                prefs: BTreeMap::new(),
            }),
        ),
        // enums
        row(
            "enum",
            vec![("theme", t("dark"))],
            ok(Prefs { theme: Theme::Dark }),
        ),
        row(
            "enum unknown",
            vec![("theme", t("blue"))],
            issues::<Prefs>(&[(
                "invalid_value",
                "theme",
                "Invalid option: expected one of \"light\"|\"dark\"",
            )]),
        ),
        row(
            "enum absent",
            vec![],
            issues::<Prefs>(&[(
                "invalid_value",
                "theme",
                "Invalid option: expected one of \"light\"|\"dark\"",
            )]),
        ),
        row(
            "enum array",
            vec![("themes", t("light")), ("themes", t("dark"))],
            ok(Themes {
                themes: vec![Theme::Light, Theme::Dark],
            }),
        ),
        // other types
        row(
            "json value",
            vec![("v", t("1"))],
            ok(Any {
                v: serde_json::json!("1"),
            }),
        ),
        row(
            "json value absent",
            vec![],
            ok(Any {
                v: serde_json::Value::Null,
            }),
        ),
        row(
            "json value file",
            vec![("v", f("a.txt", b"abc"))],
            ok(Any {
                v: serde_json::json!({"name": "a.txt", "size": 3, "type": "text/plain"}),
            }),
        ),
        row(
            "json value nested",
            vec![("v.a", t("1")), ("v.b", t("2"))],
            ok(Any {
                v: serde_json::json!({"a": "1", "b": "2"}),
            }),
        ),
        row(
            "char, tuple, optional elements",
            vec![
                ("c", t("é")),
                ("pair", t("7")),
                ("pair", t("x")),
                ("maybe", t("")),
                ("maybe", t("m")),
            ],
            ok(Misc {
                c: 'é',
                pair: (7, s("x")),
                maybe: vec![Some(s("")), Some(s("m"))],
            }),
        ),
        row(
            "char too long",
            vec![("c", t("ab")), ("pair", t("1")), ("pair", t("x"))],
            issues::<Misc>(&[(
                "invalid_type",
                "c",
                "Invalid input: expected a single character",
            )]),
        ),
        // several issues at once (`str= num= def=`)
        row(
            "all issues",
            vec![("str", t("")), ("num", t("")), ("def", t(""))],
            issues::<Three>(&[
                ("invalid_type", "str", NULL_STR),
                ("invalid_type", "num", NULL_NUM),
                ("invalid_type", "def", NULL_STR),
            ]),
        ),
    ]);
}

#[derive(Debug, PartialEq, Deserialize)]
struct ABcPlus {
    bc: Bc,
    n: u8,
}

#[test]
fn astro_form_data_to_object() {
    run(vec![
        row(
            "strings, numbers, booleans",
            vec![("name", t("Ben")), ("age", t("25")), ("isCool", t("yes"))],
            ok(Person {
                name: s("Ben"),
                age: 25,
                is_cool: true,
            }),
        ),
        row(
            "twenty-five is NaN",
            vec![
                ("name", t("Ben")),
                ("age", t("twenty-five")),
                ("isCool", t("true")),
            ],
            issues::<Person>(&[("invalid_type", "age", NAN)]),
        ),
        row(
            "boolean missing",
            vec![("name", t("Ben")), ("age", t("25"))],
            ok(Person {
                name: s("Ben"),
                age: 25,
                is_cool: false,
            }),
        ),
        row(
            "boolean false",
            vec![("name", t("Ben")), ("age", t("25")), ("isCool", t("false"))],
            ok(Person {
                name: s("Ben"),
                age: 25,
                is_cool: false,
            }),
        ),
        row("optional missing", vec![], ok(OptStr { opt: None })),
        row("optional number missing", vec![], ok(OptNum { num: None })),
        row(
            "three strings",
            vec![("arr", t("a")), ("arr", t("b")), ("arr", t("c"))],
            ok(Strings {
                arr: vec![s("a"), s("b"), s("c")],
            }),
        ),
        row(
            "numbers 25,30,35",
            vec![("nums", t("25")), ("nums", t("30")), ("nums", t("35"))],
            ok(Nums {
                nums: vec![25.0, 30.0, 35.0],
            }),
        ),
        row(
            "booleans false,true,false",
            vec![
                ("bools", t("false")),
                ("bools", t("true")),
                ("bools", t("false")),
            ],
            ok(Bools {
                bools: vec![false, true, false],
            }),
        ),
        row(
            "booleans mixed",
            vec![("bools", t("on")), ("bools", t("")), ("bools", t("TRUE"))],
            ok(Bools {
                bools: vec![true, false, true],
            }),
        ),
        row(
            "bc.b / bc.c",
            vec![("a", t("1")), ("bc.b", t("2")), ("bc.c", t("3"))],
            ok(ABc {
                a: s("1"),
                bc: Bc {
                    b: s("2"),
                    c: s("3"),
                },
            }),
        ),
        row(
            "deep a.b.c / a.b.d",
            vec![("a.b.c", t("deep")), ("a.b.d", t("42"))],
            ok(Deep {
                a: DeepA {
                    b: DeepB {
                        c: s("deep"),
                        d: 42,
                    },
                },
            }),
        ),
        row(
            "deep path of an issue",
            vec![("a.b.c", t("deep")), ("a.b.d", t("x"))],
            issues::<Deep>(&[("invalid_type", "a.b.d", NAN)]),
        ),
        row(
            "optional nested no keys",
            vec![],
            ok(OptNested { nested: None }),
        ),
        row(
            "passthrough",
            vec![("expected", t("42")), ("unexpected", t("42"))],
            ok(Flat {
                expected: s("42"),
                rest: map(&[("unexpected", "42")]),
            }),
        ),
        row(
            "formTypes",
            vec![
                ("str", t("hello")),
                ("num", t("42")),
                ("bool", t("on")),
                ("arr", t("a")),
                ("arr", t("b")),
                ("nums", t("1")),
                ("nums", t("2.5")),
                ("bools", t("false")),
                ("bools", t("yes")),
                ("bools", t("")),
                ("bools", t("true")),
                ("opt", t("o")),
                ("optNum", t("3")),
                ("file", f("t.sh", b"#!")),
                ("nested.x", t("nx")),
                ("extra", t("dropped")),
            ],
            ok(FormTypes {
                str: s("hello"),
                num: 42.0,
                bool: true,
                arr: vec![s("a"), s("b")],
                nums: vec![1.0, 2.5],
                bools: vec![false, true, false, true],
                opt: Some(s("o")),
                opt_num: Some(3.0),
                file: Some(file("t.sh", b"#!")),
                nested: Some(Inner { x: s("nx") }),
            }),
        ),
        row(
            "formTypes minimal",
            vec![("str", t("hello")), ("num", t("42"))],
            ok(FormTypes {
                str: s("hello"),
                num: 42.0,
                bool: false,
                arr: vec![],
                nums: vec![],
                bools: vec![],
                opt: None,
                opt_num: None,
                file: None,
                nested: None,
            }),
        ),
    ]);
}

#[test]
fn missing_required_object_does_not_hide_other_issues() {
    let form: FormData = vec![("n", t("x"))].into_iter().collect();
    let err = from_form::<ABcPlus>(&form).unwrap_err();
    let input = err.as_input_error().unwrap();
    let paths: Vec<String> = input
        .issues()
        .iter()
        .map(|i| format!("{:?}", i.path))
        .collect();
    assert_eq!(paths, [r#"[Key("bc")]"#, r#"[Key("n")]"#], "{input:?}");
}

#[test]
fn form_data_as_the_whole_input() {
    let form: FormData = vec![("a", t("1")), ("b", f("x", b"y")), ("b", t("3"))]
        .into_iter()
        .collect();
    assert_eq!(from_form::<FormData>(&form).unwrap(), form);

    #[derive(Debug, Deserialize)]
    struct Nested {
        #[allow(dead_code)]
        form: FormData,
    }
    let err = from_form::<Nested>(&form).unwrap_err();
    let issue = &err.as_input_error().unwrap().issues()[0];
    assert_eq!(
        issue.message,
        "FormData can only be the whole input of an action"
    );
}

#[test]
fn non_object_roots_are_rejected() {
    let form = FormData::new();
    let err = from_form::<Vec<String>>(&form).unwrap_err();
    assert_eq!(
        err.as_input_error().unwrap().issues()[0].message,
        "a form can only be decoded into a struct or a map, not a sequence"
    );
    assert_eq!(from_form::<()>(&form).unwrap(), ());
    let err = from_form::<UploadedFile>(&form).unwrap_err();
    assert!(err.is_input_error());
}

#[test]
fn input_error_fields_come_from_issue_paths() {
    let form: FormData = vec![("nums", t("x")), ("str", t(""))].into_iter().collect();
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Input {
        str: String,
        nums: Vec<u8>,
    }
    let err = from_form::<Input>(&form).unwrap_err();
    assert_eq!(
        err.to_json(false),
        r#"{"type":"AstroActionInputError","issues":[{"expected":"string","code":"invalid_type","path":["str"],"message":"Invalid input: expected string, received null"},{"expected":"number","code":"invalid_type","received":"NaN","path":["nums",0],"message":"Invalid input: expected number, received NaN"}],"fields":{"str":["Invalid input: expected string, received null"],"nums":["Invalid input: expected number, received NaN"]}}"#
    );
}
