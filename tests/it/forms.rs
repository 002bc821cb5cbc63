//! Form actions through real requests (protocol §1.5, §4, §5; issue 3): every coercion rule
//! of §4.2 sent urlencoded and multipart, the accept kinds, uploads and limits, raw forms,
//! and form actions posted to the parity page.

use crate::common;
use crate::parity;

use std::convert::Infallible;

use axum::Router;
use bytes::Bytes;
use common::{Answer, post, send};
use http::Request;
use http_body::Frame;
use http_body_util::{BodyExt, StreamBody};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;
use tower_actions::{
    Action, ActionApiContext, ActionError, ActionErrorCode, Actions, ActionsLayer,
    input::{Accept, FormData, FormValue, UploadedFile},
};

/// The headers of a same-origin browser request (form posts without them answer 403).
const SAME_ORIGIN: &[(&str, &str)] = &[("host", "example.test"), ("origin", "http://example.test")];
const JSON: Option<&str> = Some("application/json");
const DEVALUE: Option<&str> = Some("application/json+devalue");
const URLENCODED: &str = "application/x-www-form-urlencoded";
const BOUNDARY: &str = "----tower-actions-test-boundary";

// ---------------------------------------------------------------------------------------------
// Bodies

/// One form entry's value: text, or a file part (file name, content type, content).
#[derive(Clone, Copy)]
enum V {
    T(&'static str),
    F(&'static str, &'static str, &'static [u8]),
}

type Entries = &'static [(&'static str, V)];

fn multipart_content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// A `multipart/form-data` body with the fixed boundary, as a browser sends it.
fn multipart(entries: &[(&str, V)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in entries {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match value {
            V::T(text) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend_from_slice(text.as_bytes());
            }
            V::F(file_name, content_type, content) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(content);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// An `application/x-www-form-urlencoded` body, `None` when an entry is a file.
fn urlencoded(entries: &[(&str, V)]) -> Option<Vec<u8>> {
    let pieces: Option<Vec<String>> = entries
        .iter()
        .map(|(name, value)| match value {
            V::T(text) => Some(format!(
                "{}={}",
                utf8_percent_encode(name, NON_ALPHANUMERIC),
                utf8_percent_encode(text, NON_ALPHANUMERIC)
            )),
            V::F(..) => None,
        })
        .collect();
    pieces.map(|pieces| pieces.join("&").into_bytes())
}

fn post_multipart(path: &str, entries: &[(&str, V)]) -> Request<http_body_util::Full<Bytes>> {
    let content_type = multipart_content_type();
    let headers = [
        SAME_ORIGIN[0],
        SAME_ORIGIN[1],
        ("content-type", &content_type),
    ];
    post(path, &headers, &multipart(entries))
}

fn post_urlencoded(path: &str, body: &[u8]) -> Request<http_body_util::Full<Bytes>> {
    let headers = [SAME_ORIGIN[0], SAME_ORIGIN[1], ("content-type", URLENCODED)];
    post(path, &headers, body)
}

/// Sends any body (for chunked streams) through the app.
async fn send_body<B>(app: Router, request: Request<B>) -> Answer
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let response = app.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}

fn chunked(
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Request<impl http_body::Body<Data = Bytes, Error = Infallible> + use<>> {
    let frames: Vec<Result<Frame<Bytes>, Infallible>> = body
        .chunks(64)
        .map(|chunk| Ok(Frame::data(Bytes::copy_from_slice(chunk))))
        .collect();
    Request::post(path)
        .header("host", "example.test")
        .header("origin", "http://example.test")
        .header("content-type", content_type)
        .header("transfer-encoding", "chunked")
        .body(StreamBody::new(futures_util::stream::iter(frames)))
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Test actions: each echoes its parsed input.

macro_rules! echo {
    ($action:ident, $name:literal, $input:ty) => {
        struct $action;
        impl Action for $action {
            const NAME: &'static str = $name;
            const ACCEPT: Accept = Accept::Form;
            type Input = $input;
            type Output = $input;
            async fn handle(
                &self,
                input: $input,
                _: &mut ActionApiContext,
            ) -> Result<$input, ActionError> {
                Ok(input)
            }
        }
    };
}

#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct TextInput {
    s: String,
    opt: Option<String>,
}
echo!(Text, "text", TextInput);

#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct NumbersInput {
    f: f64,
    i: i64,
    opt: Option<f64>,
}
echo!(Numbers, "numbers", NumbersInput);

#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct FlagsInput {
    b: bool,
}
echo!(Flags, "flags", FlagsInput);

#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct ListsInput {
    strs: Vec<String>,
    nums: Vec<f64>,
    bools: Vec<bool>,
}
echo!(Lists, "lists", ListsInput);

#[derive(Deserialize, Serialize)]
struct Bc {
    b: String,
    c: String,
}

#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct NestedInput {
    a: String,
    bc: Bc,
}
echo!(Nested, "nested", NestedInput);

#[derive(Deserialize, Serialize)]
struct DeepB {
    c: String,
    d: f64,
}

#[derive(Deserialize, Serialize)]
struct DeepA {
    b: DeepB,
}

#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct DeepInput {
    a: DeepA,
}
echo!(Deep, "deep", DeepInput);

#[derive(Deserialize, Serialize)]
struct Prefs {
    theme: String,
}

#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct OptionalNestedInput {
    name: String,
    prefs: Option<Prefs>,
}
echo!(OptionalNested, "optionalNested", OptionalNestedInput);

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    Low,
    High,
}

#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct ChoiceInput {
    level: Level,
}
echo!(Choice, "choice", ChoiceInput);

/// A nested `z.discriminatedUnion('type', …)`.
#[derive(Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Contact {
    Email { email: String },
    Phone { phone: String },
}

#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct ContactInput {
    name: String,
    contact: Contact,
}
echo!(ContactAction, "contact", ContactInput);

/// `.passthrough()`: the declared field, and every other key (last duplicate wins).
#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct LooseInput {
    expected: String,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}
echo!(Loose, "loose", LooseInput);

#[derive(Deserialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct FilesInput {
    file: UploadedFile,
    maybe: Option<UploadedFile>,
    many: Vec<UploadedFile>,
}

/// What a file looks like from JavaScript: `{ name, size, type }`.
#[derive(Serialize)]
struct Info {
    name: String,
    size: usize,
    #[serde(rename = "type")]
    content_type: String,
}

impl From<&UploadedFile> for Info {
    fn from(file: &UploadedFile) -> Self {
        Info {
            name: file.name().to_owned(),
            size: file.size(),
            content_type: file.content_type().to_owned(),
        }
    }
}

#[derive(Serialize)]
struct FilesOutput {
    file: Info,
    maybe: Option<Info>,
    many: Vec<Info>,
}

struct Files;
impl Action for Files {
    const NAME: &'static str = "files";
    const ACCEPT: Accept = Accept::Form;
    type Input = FilesInput;
    type Output = FilesOutput;
    async fn handle(
        &self,
        input: FilesInput,
        _: &mut ActionApiContext,
    ) -> Result<FilesOutput, ActionError> {
        Ok(FilesOutput {
            file: (&input.file).into(),
            maybe: input.maybe.as_ref().map(Info::from),
            many: input.many.iter().map(Info::from).collect(),
        })
    }
}

/// `{ file }` whose content must be the 256 byte values in order.
#[derive(Deserialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct BinaryInput {
    file: UploadedFile,
}

struct Binary;
impl Action for Binary {
    const NAME: &'static str = "binary";
    const ACCEPT: Accept = Accept::Form;
    type Input = BinaryInput;
    type Output = Info;
    async fn handle(
        &self,
        input: BinaryInput,
        _: &mut ActionApiContext,
    ) -> Result<Info, ActionError> {
        let expected: Vec<u8> = (0..=255).collect();
        if input.file.bytes()[..] != expected[..] {
            return Err(ActionError::new(
                ActionErrorCode::BadRequest,
                "the bytes changed on the way",
            ));
        }
        Ok((&input.file).into())
    }
}

/// The whole form, read with `get`, `get_all` and iteration.
#[derive(Serialize)]
struct RawOutput {
    first: Option<String>,
    all: Vec<String>,
    keys: Vec<String>,
}

fn text_of(value: &FormValue) -> String {
    match value {
        FormValue::Text(text) => text.clone(),
        FormValue::File(file) => format!("file:{}", file.name()),
    }
}

struct Raw;
impl Action for Raw {
    const NAME: &'static str = "raw";
    const ACCEPT: Accept = Accept::Form;
    type Input = FormData;
    type Output = RawOutput;
    async fn handle(
        &self,
        form: FormData,
        _: &mut ActionApiContext,
    ) -> Result<RawOutput, ActionError> {
        Ok(RawOutput {
            first: form.get("a").map(text_of),
            all: form.get_all("a").map(text_of).collect(),
            keys: form.iter().map(|(key, _)| key.to_owned()).collect(),
        })
    }
}

/// A JSON action, to be refused forms.
#[derive(Deserialize, Serialize, garde::Validate)]
#[garde(allow_unvalidated)]
struct JsonInput {
    s: String,
}

struct JsonOnly;
impl Action for JsonOnly {
    const NAME: &'static str = "jsonOnly";
    type Input = JsonInput;
    type Output = JsonInput;
    async fn handle(
        &self,
        input: JsonInput,
        _: &mut ActionApiContext,
    ) -> Result<JsonInput, ActionError> {
        Ok(input)
    }
}

fn actions() -> Actions {
    Actions::new()
        .add(Text)
        .add(Numbers)
        .add(Flags)
        .add(Lists)
        .add(Nested)
        .add(Deep)
        .add(OptionalNested)
        .add(Choice)
        .add(Loose)
        .add(ContactAction)
        .add(Files)
        .add(Binary)
        .add(Raw)
        .add(JsonOnly)
}

/// The test app: a page behind the layer.
fn app_with(layer: ActionsLayer) -> Router {
    Router::new().fallback(|| async { "page" }).layer(layer)
}

fn app() -> Router {
    app_with(ActionsLayer::new(actions()))
}

/// The layer with small limits: 1000-byte bodies, 100-byte files, 3 fields.
fn small_app() -> Router {
    app_with(
        ActionsLayer::new(actions())
            .body_limit(1000)
            .file_limit(100)
            .max_form_fields(3),
    )
}

// ---------------------------------------------------------------------------------------------
// 1. Coercion, table-driven (§4.2 table; §11 form-data-to-object)

/// What a row expects: a devalue body, or an input error with these issues (path as JSON,
/// message) and these `fields` keys.
enum Expect {
    Ok(&'static str),
    Err(
        &'static [(&'static str, &'static str)],
        &'static [&'static str],
    ),
}
use Expect::{Err as Bad, Ok as Good};

struct Row {
    name: &'static str,
    action: &'static str,
    entries: Entries,
    expected: Expect,
}

const fn row(name: &'static str, action: &'static str, entries: Entries, expected: Expect) -> Row {
    Row {
        name,
        action,
        entries,
        expected,
    }
}

const NULL_STRING: &str = "Invalid input: expected string, received null";
const NULL_NUMBER: &str = "Invalid input: expected number, received null";
/// zod 4's `z.enum` message for any other value, `null` included.
const BAD_LEVEL: &str = r#"Invalid option: expected one of "low"|"high""#;
const NAN: &str = "Invalid input: expected number, received NaN";

const ROWS: &[Row] = &[
    // z.string()
    row(
        "string value",
        "text",
        &[("s", V::T("hello"))],
        Good(r#"[{"s":1,"opt":-1},"hello"]"#),
    ),
    row(
        "string empty is null",
        "text",
        &[("s", V::T(""))],
        Bad(&[(r#"["s"]"#, NULL_STRING)], &["s"]),
    ),
    row(
        "string absent is null",
        "text",
        &[],
        Bad(&[(r#"["s"]"#, NULL_STRING)], &["s"]),
    ),
    row(
        "string duplicate: first wins",
        "text",
        &[("s", V::T("first")), ("s", V::T("second"))],
        Good(r#"[{"s":1,"opt":-1},"first"]"#),
    ),
    row(
        "string keeps spaces and symbols",
        "text",
        &[("s", V::T("a b+c&d=é ✓"))],
        Good(r#"[{"s":1,"opt":-1},"a b+c&d=é ✓"]"#),
    ),
    row(
        "string from a file part",
        "text",
        &[("s", V::F("s.txt", "text/plain", b"hi"))],
        Bad(
            &[(r#"["s"]"#, "Invalid input: expected string, received File")],
            &["s"],
        ),
    ),
    // z.string().optional()
    row(
        "optional string absent",
        "text",
        &[("s", V::T("x"))],
        Good(r#"[{"s":1,"opt":-1},"x"]"#),
    ),
    row(
        "optional string empty is undefined",
        "text",
        &[("s", V::T("x")), ("opt", V::T(""))],
        Good(r#"[{"s":1,"opt":-1},"x"]"#),
    ),
    row(
        "optional string value",
        "text",
        &[("s", V::T("x")), ("opt", V::T("o"))],
        Good(r#"[{"s":1,"opt":2},"x","o"]"#),
    ),
    row(
        "equal strings share a slot",
        "text",
        &[("opt", V::T("same")), ("s", V::T("same"))],
        Good(r#"[{"s":1,"opt":1},"same"]"#),
    ),
    // unknown fields
    row(
        "unknown fields are dropped",
        "text",
        &[
            ("extra", V::T("1")),
            ("s", V::T("x")),
            ("_astroAction", V::T("text")),
        ],
        Good(r#"[{"s":1,"opt":-1},"x"]"#),
    ),
    // z.number()
    row(
        "number and zero",
        "numbers",
        &[("f", V::T("42")), ("i", V::T("0"))],
        Good(r#"[{"f":1,"i":2,"opt":-1},42,0]"#),
    ),
    row(
        "number trims whitespace",
        "numbers",
        &[("f", V::T(" 12 ")), ("i", V::T(" 12 "))],
        Good(r#"[{"f":1,"i":1,"opt":-1},12]"#),
    ),
    row(
        "number exponent",
        "numbers",
        &[("f", V::T("1.5e3")), ("i", V::T("1e3"))],
        Good(r#"[{"f":1,"i":2,"opt":-1},1500,1000]"#),
    ),
    row(
        "number hex",
        "numbers",
        &[("f", V::T("0x10")), ("i", V::T("0x10"))],
        Good(r#"[{"f":1,"i":1,"opt":-1},16]"#),
    ),
    row(
        "number fraction and negative",
        "numbers",
        &[("f", V::T("2.5")), ("i", V::T("-3"))],
        Good(r#"[{"f":1,"i":2,"opt":-1},2.5,-3]"#),
    ),
    row(
        "number age 25",
        "numbers",
        &[("f", V::T("25")), ("i", V::T("25"))],
        Good(r#"[{"f":1,"i":1,"opt":-1},25]"#),
    ),
    row(
        "number empty is null",
        "numbers",
        &[("f", V::T("")), ("i", V::T("1"))],
        Bad(&[(r#"["f"]"#, NULL_NUMBER)], &["f"]),
    ),
    row(
        "number absent is null",
        "numbers",
        &[("i", V::T("1"))],
        Bad(&[(r#"["f"]"#, NULL_NUMBER)], &["f"]),
    ),
    row(
        "number not a number is NaN",
        "numbers",
        &[("f", V::T("abc")), ("i", V::T("twenty-five"))],
        Bad(&[(r#"["f"]"#, NAN), (r#"["i"]"#, NAN)], &["f", "i"]),
    ),
    row(
        "integer with a fraction",
        "numbers",
        &[("f", V::T("1")), ("i", V::T("1.5"))],
        Bad(
            &[(r#"["i"]"#, "Invalid input: expected int, received number")],
            &["i"],
        ),
    ),
    row(
        "number from a file part is NaN",
        "numbers",
        &[("f", V::F("n.txt", "text/plain", b"1")), ("i", V::T("1"))],
        Bad(&[(r#"["f"]"#, NAN)], &["f"]),
    ),
    // z.number().optional()
    row(
        "optional number empty is undefined",
        "numbers",
        &[("f", V::T("1")), ("i", V::T("1")), ("opt", V::T(""))],
        Good(r#"[{"f":1,"i":1,"opt":-1},1]"#),
    ),
    row(
        "optional number value",
        "numbers",
        &[("f", V::T("1")), ("i", V::T("2")), ("opt", V::T("3"))],
        Good(r#"[{"f":1,"i":2,"opt":3},1,2,3]"#),
    ),
    // z.boolean()
    row(
        "bool absent is false",
        "flags",
        &[],
        Good(r#"[{"b":1},false]"#),
    ),
    row(
        "bool true",
        "flags",
        &[("b", V::T("true"))],
        Good(r#"[{"b":1},true]"#),
    ),
    row(
        "bool false",
        "flags",
        &[("b", V::T("false"))],
        Good(r#"[{"b":1},false]"#),
    ),
    row(
        "bool on",
        "flags",
        &[("b", V::T("on"))],
        Good(r#"[{"b":1},true]"#),
    ),
    row(
        "bool yes",
        "flags",
        &[("b", V::T("yes"))],
        Good(r#"[{"b":1},true]"#),
    ),
    row(
        "bool False is present, so true",
        "flags",
        &[("b", V::T("False"))],
        Good(r#"[{"b":1},true]"#),
    ),
    row(
        "bool empty is present, so true",
        "flags",
        &[("b", V::T(""))],
        Good(r#"[{"b":1},true]"#),
    ),
    row(
        "bool from a file part is true",
        "flags",
        &[("b", V::F("b.txt", "text/plain", b""))],
        Good(r#"[{"b":1},true]"#),
    ),
    row(
        "bool first value decides",
        "flags",
        &[("b", V::T("false")), ("b", V::T("true"))],
        Good(r#"[{"b":1},false]"#),
    ),
    // z.array(...)
    row(
        "arrays absent are empty",
        "lists",
        &[],
        Good(r#"[{"strs":1,"nums":2,"bools":3},[],[],[]]"#),
    ),
    row(
        "string array",
        "lists",
        &[("strs", V::T("a")), ("strs", V::T("b"))],
        Good(r#"[{"strs":1,"nums":4,"bools":5},[2,3],"a","b",[],[]]"#),
    ),
    row(
        "string array of three",
        "lists",
        &[
            ("strs", V::T("a")),
            ("strs", V::T("b")),
            ("strs", V::T("c")),
        ],
        Good(r#"[{"strs":1,"nums":5,"bools":6},[2,3,4],"a","b","c",[],[]]"#),
    ),
    row(
        "string array keeps empty values",
        "lists",
        &[("strs", V::T("")), ("strs", V::T("x"))],
        Good(r#"[{"strs":1,"nums":4,"bools":5},[2,3],"","x",[],[]]"#),
    ),
    row(
        "number array",
        "lists",
        &[("nums", V::T("1")), ("nums", V::T("2.5"))],
        Good(r#"[{"strs":1,"nums":2,"bools":5},[],[3,4],1,2.5,[]]"#),
    ),
    row(
        "number array 25 30 35",
        "lists",
        &[
            ("nums", V::T("25")),
            ("nums", V::T("30")),
            ("nums", V::T("35")),
        ],
        Good(r#"[{"strs":1,"nums":2,"bools":6},[],[3,4,5],25,30,35,[]]"#),
    ),
    row(
        "number array empty is zero",
        "lists",
        &[("nums", V::T("")), ("nums", V::T("7"))],
        Good(r#"[{"strs":1,"nums":2,"bools":5},[],[3,4],0,7,[]]"#),
    ),
    row(
        "number array NaN at its index",
        "lists",
        &[("nums", V::T("1")), ("nums", V::T("x"))],
        Bad(&[(r#"["nums",1]"#, NAN)], &["nums"]),
    ),
    row(
        "number array file is NaN",
        "lists",
        &[("nums", V::F("n", "text/plain", b"1"))],
        Bad(&[(r#"["nums",0]"#, NAN)], &["nums"]),
    ),
    row(
        "bool array",
        "lists",
        &[
            ("bools", V::T("false")),
            ("bools", V::T("yes")),
            ("bools", V::T("")),
            ("bools", V::T("true")),
        ],
        Good(r#"[{"strs":1,"nums":2,"bools":3},[],[],[4,5,4,5],false,true]"#),
    ),
    row(
        "bool array false true false",
        "lists",
        &[
            ("bools", V::T("false")),
            ("bools", V::T("true")),
            ("bools", V::T("false")),
        ],
        Good(r#"[{"strs":1,"nums":2,"bools":3},[],[],[4,5,4],false,true]"#),
    ),
    row(
        "bool array mixed cases",
        "lists",
        &[
            ("bools", V::T("on")),
            ("bools", V::T("True")),
            ("bools", V::T("FALSE")),
        ],
        Good(r#"[{"strs":1,"nums":2,"bools":3},[],[],[4,4,4],true]"#),
    ),
    row(
        "bool array file is true",
        "lists",
        &[("bools", V::F("b", "text/plain", b""))],
        Good(r#"[{"strs":1,"nums":2,"bools":3},[],[],[4],true]"#),
    ),
    // nested objects
    row(
        "nested object",
        "nested",
        &[
            ("a", V::T("hello")),
            ("bc.b", V::T("hoge")),
            ("bc.c", V::T("world")),
        ],
        Good(r#"[{"a":1,"bc":2},"hello",{"b":3,"c":4},"hoge","world"]"#),
    ),
    row(
        "nested object missing a field",
        "nested",
        &[("a", V::T("hello")), ("bc.b", V::T("huga"))],
        Bad(&[(r#"["bc","c"]"#, NULL_STRING)], &["bc"]),
    ),
    row(
        "nested object absent",
        "nested",
        &[("a", V::T("hello"))],
        Bad(
            &[(
                r#"["bc"]"#,
                "Invalid input: expected object, received undefined",
            )],
            &["bc"],
        ),
    ),
    row(
        "deep nested object",
        "deep",
        &[("a.b.c", V::T("deep")), ("a.b.d", V::T("42"))],
        Good(r#"[{"a":1},{"b":2},{"c":3,"d":4},"deep",42]"#),
    ),
    row(
        "optional nested object absent",
        "optionalNested",
        &[("name", V::T("n"))],
        Good(r#"[{"name":1,"prefs":-1},"n"]"#),
    ),
    row(
        "optional nested object present",
        "optionalNested",
        &[("name", V::T("n")), ("prefs.theme", V::T("light"))],
        Good(r#"[{"name":1,"prefs":2},"n",{"theme":3},"light"]"#),
    ),
    row(
        "optional nested object with an empty field",
        "optionalNested",
        &[("name", V::T("n")), ("prefs.theme", V::T(""))],
        Bad(&[(r#"["prefs","theme"]"#, NULL_STRING)], &["prefs"]),
    ),
    row(
        "nested object from a plain key",
        "nested",
        &[("a", V::T("hello")), ("bc", V::T("x"))],
        Bad(
            &[(
                r#"["bc"]"#,
                "Invalid input: expected object, received undefined",
            )],
            &["bc"],
        ),
    ),
    // enums
    row(
        "enum from a string",
        "choice",
        &[("level", V::T("high"))],
        Good(r#"[{"level":1},"high"]"#),
    ),
    row(
        "enum unknown value",
        "choice",
        &[("level", V::T("mid"))],
        Bad(&[(r#"["level"]"#, BAD_LEVEL)], &["level"]),
    ),
    row(
        "enum absent",
        "choice",
        &[],
        Bad(&[(r#"["level"]"#, BAD_LEVEL)], &["level"]),
    ),
    row(
        "enum empty",
        "choice",
        &[("level", V::T(""))],
        Bad(&[(r#"["level"]"#, BAD_LEVEL)], &["level"]),
    ),
    // nested z.discriminatedUnion
    row(
        "nested discriminated union, email",
        "contact",
        &[
            ("name", V::T("Ben")),
            ("contact.type", V::T("email")),
            ("contact.email", V::T("ben@test.test")),
        ],
        Good(r#"[{"name":1,"contact":2},"Ben",{"type":3,"email":4},"email","ben@test.test"]"#),
    ),
    row(
        "nested discriminated union, phone",
        "contact",
        &[
            ("name", V::T("Ben")),
            ("contact.type", V::T("phone")),
            ("contact.phone", V::T("555")),
        ],
        Good(r#"[{"name":1,"contact":2},"Ben",{"type":3,"phone":4},"phone","555"]"#),
    ),
    // .passthrough()
    row(
        "passthrough keeps other keys, last duplicate wins",
        "loose",
        &[
            ("expected", V::T("42")),
            ("unexpected", V::T("42")),
            ("b", V::T("2")),
            ("b", V::T("3")),
        ],
        Good(r#"[{"expected":1,"unexpected":1,"b":2},"42","3"]"#),
    ),
    // files
    row(
        "file part",
        "files",
        &[("file", V::F("a.txt", "text/plain", b"hi"))],
        Good(
            r#"[{"file":1,"maybe":-1,"many":5},{"name":2,"size":3,"type":4},"a.txt",2,"text/plain",[]]"#,
        ),
    ),
    row(
        "optional and repeated files",
        "files",
        &[
            ("file", V::F("a.txt", "text/plain", b"hi")),
            ("maybe", V::F("b.bin", "application/octet-stream", b"xyz")),
            ("many", V::F("c.txt", "text/plain", b"hi")),
            ("many", V::F("d.txt", "text/plain", b"")),
        ],
        Good(
            r#"[{"file":1,"maybe":5,"many":9},{"name":2,"size":3,"type":4},"a.txt",2,"text/plain",{"name":6,"size":7,"type":8},"b.bin",3,"application/octet-stream",[10,12],{"name":11,"size":3,"type":4},"c.txt",{"name":13,"size":14,"type":4},"d.txt",0]"#,
        ),
    ),
    row(
        "empty file input is still a file",
        "files",
        &[("file", V::F("", "application/octet-stream", b""))],
        Good(
            r#"[{"file":1,"maybe":-1,"many":5},{"name":2,"size":3,"type":4},"",0,"application/octet-stream",[]]"#,
        ),
    ),
    row(
        "text where a file is expected",
        "files",
        &[("file", V::T("x"))],
        Bad(
            &[(
                r#"["file"]"#,
                "Invalid input: expected File, received string",
            )],
            &["file"],
        ),
    ),
    row(
        "file absent",
        "files",
        &[],
        Bad(
            &[(r#"["file"]"#, "Invalid input: expected File, received null")],
            &["file"],
        ),
    ),
];

#[track_caller]
fn check_row(row: &Row, encoding: &str, answer: &Answer) {
    let context = format!("row `{}` ({encoding})", row.name);
    match row.expected {
        Good(devalue) => assert_eq!(
            (answer.status.as_u16(), answer.content_type(), answer.text()),
            (200, DEVALUE, devalue),
            "{context}"
        ),
        Bad(issues, fields) => {
            assert_eq!(
                (answer.status.as_u16(), answer.content_type()),
                (400, JSON),
                "{context}: {}",
                answer.text()
            );
            let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
            assert_eq!(body["type"], "AstroActionInputError", "{context}");
            let got: Vec<(String, String)> = body["issues"]
                .as_array()
                .unwrap()
                .iter()
                .map(|issue| {
                    (
                        issue["path"].to_string(),
                        issue["message"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            assert_eq!(got.len(), issues.len(), "{context}: {got:?}");
            for ((path, message), (want_path, want_message)) in got.iter().zip(issues) {
                assert_eq!(path, want_path, "{context}: {got:?}");
                assert_eq!(message, want_message, "{context}");
            }
            let keys: Vec<&str> = body["fields"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, fields, "{context}");
        }
    }
}

/// Each row is sent multipart, and urlencoded as well unless it has a file part (a urlencoded
/// body cannot carry one).
#[tokio::test]
async fn coercion_table_urlencoded_and_multipart() {
    let mut sent = 0;
    for row in ROWS {
        let path = format!("/_actions/{}", row.action);
        let answer = send(app(), post_multipart(&path, row.entries)).await;
        check_row(row, "multipart", &answer);
        sent += 1;
        if let Some(body) = urlencoded(row.entries) {
            let answer = send(app(), post_urlencoded(&path, &body)).await;
            check_row(row, "urlencoded", &answer);
            sent += 1;
        }
    }
    // Every row multipart; the 58 without a file part urlencoded too.
    assert_eq!((ROWS.len(), sent), (66, 66 + 58));
}

/// §4.2 gives `undefined` for an optional object field when only a plain `k` key is sent; we
/// answer an input error at `k` instead (docs/compat.md, "optional nested object").
#[tokio::test]
async fn a_plain_value_under_an_optional_object_name_is_an_input_error() {
    let entries = [("name", V::T("n")), ("prefs", V::T("x"))];
    let answer = send(app(), post_multipart("/_actions/optionalNested", &entries)).await;
    assert_eq!((answer.status.as_u16(), answer.content_type()), (400, JSON));
    let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(json["type"], "AstroActionInputError");
    assert_eq!(json["issues"][0]["path"], serde_json::json!(["prefs"]));
    assert_eq!(
        json["fields"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["prefs"]
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Accept kinds (§1.5)

fn action_error(status: u16, code: &str, message: &str) -> String {
    format!(
        r#"{{"type":"AstroActionError","code":"{code}","status":{status},"message":"{message}"}}"#
    )
}

#[tokio::test]
async fn a_form_to_a_json_action_is_415_only_accepts_json() {
    let message = action_error(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "This action only accepts JSON.",
    );
    send(app(), post_urlencoded("/_actions/jsonOnly", b"s=x"))
        .await
        .assert(415, JSON, &message);
    send(
        app(),
        post_multipart("/_actions/jsonOnly", &[("s", V::T("x"))]),
    )
    .await
    .assert(415, JSON, &message);
}

#[tokio::test]
async fn json_or_no_body_to_a_form_action_is_415_only_accepts_form_data() {
    let message = action_error(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "This action only accepts FormData.",
    );
    let json = [
        SAME_ORIGIN[0],
        SAME_ORIGIN[1],
        ("content-type", "application/json"),
    ];
    send(app(), post("/_actions/text", &json, br#"{"s":"x"}"#))
        .await
        .assert(415, JSON, &message);
    send(app(), post("/_actions/text", SAME_ORIGIN, b""))
        .await
        .assert(415, JSON, &message);
}

#[tokio::test]
async fn multipart_without_a_boundary_is_415() {
    let headers = [
        SAME_ORIGIN[0],
        SAME_ORIGIN[1],
        ("content-type", "multipart/form-data"),
    ];
    send(
        app(),
        post("/_actions/text", &headers, &multipart(&[("s", V::T("x"))])),
    )
    .await
    .assert(415, JSON, &action_error(415, "UNSUPPORTED_MEDIA_TYPE", ""));
}

#[tokio::test]
async fn malformed_multipart_is_400_saying_what_was_wrong() {
    let content_type = multipart_content_type();
    let headers = [
        SAME_ORIGIN[0],
        SAME_ORIGIN[1],
        ("content-type", &*content_type),
    ];
    // A part without a name.
    let nameless =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nv\r\n--{BOUNDARY}--\r\n");
    send(app(), post("/_actions/text", &headers, nameless.as_bytes()))
        .await
        .assert(
            400,
            JSON,
            &action_error(
                400,
                "BAD_REQUEST",
                "Malformed multipart body: part 0 has no name",
            ),
        );
    // Not multipart at all.
    let answer = send(app(), post("/_actions/text", &headers, b"s=x")).await;
    assert_eq!((answer.status.as_u16(), answer.content_type()), (400, JSON));
    let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(body["code"], "BAD_REQUEST");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("Malformed multipart body: "),
        "{message}"
    );
    assert!(
        message.len() > "Malformed multipart body: ".len(),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Uploads and limits

/// A multipart body of these raw parts (each the part's headers, a blank line, its content),
/// sent to the parity app: for bytes no browser helper would write.
async fn parity_raw_multipart(action: &str, parts: &[&str]) -> Answer {
    let mut body = String::new();
    for part in parts {
        body.push_str(&format!("--{BOUNDARY}\r\n{part}\r\n"));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    let content_type = multipart_content_type();
    let headers = [
        SAME_ORIGIN[0],
        SAME_ORIGIN[1],
        ("content-type", &*content_type),
    ];
    send(
        parity::app(),
        post(&format!("/_actions/{action}"), &headers, body.as_bytes()),
    )
    .await
}

// Browsers write `"`, CR and LF in a multipart name as `%22`, `%0D`, `%0A` (HTML's
// multipart/form-data encoding); Astro (undici) decodes those three, in either case, and no
// other escape. Expected bytes recorded from Astro 7.3.5.
#[tokio::test]
async fn multipart_field_names_decode_the_browser_escapes_only() {
    let answer = parity_raw_multipart(
        "rawForm",
        &[
            "Content-Disposition: form-data; name=\"quote%22key\"\r\n\r\nv1",
            "Content-Disposition: form-data; name=\"cr%0Dlf%0Aend\"\r\n\r\nv2",
            "Content-Disposition: form-data; name=\"lower%0d%0a%22x\"\r\n\r\nv3",
            "Content-Disposition: form-data; name=\"lit%41%25%2522\"\r\n\r\nv4",
        ],
    )
    .await;
    answer.assert(
        200,
        DEVALUE,
        r#"[{"quote\"key":1,"cr\rlf\nend":3,"lower\r\n\"x":5,"lit%41%25%2522":7},[2],"v1",[4],"v2",[6],"v3",[8],"v4"]"#,
    );
}

#[tokio::test]
async fn multipart_file_names_decode_the_browser_escapes_only() {
    let part = "Content-Disposition: form-data; name=\"file\"; filename=\"a%22b%0D%0Ac%0d%41.txt\"\r\nContent-Type: text/plain\r\n\r\nhello";
    parity_raw_multipart("upload", &[part]).await.assert(
        200,
        DEVALUE,
        r#"[{"name":1,"size":2,"type":3},"a\"b\r\nc\r%41.txt",5,"text/plain"]"#,
    );
    parity_raw_multipart("rawForm", &[part]).await.assert(
        200,
        DEVALUE,
        r#"[{"file":1},[2],"a\"b\r\nc\r%41.txt"]"#,
    );
}

// A file's `type` is its part's last `Content-Type`, as `File` keeps it: `text/plain` when
// the part has none, trimmed, lowercased, empty when it holds a byte outside U+0020..U+007E.
// Expected types recorded from Astro 7.3.5. (A DEL byte in a part header is refused by the
// multipart parser with a 400, where Astro gives the file the type "".)
#[tokio::test]
async fn a_file_type_is_what_astro_gives_it() {
    let cases: &[(&str, &str)] = &[
        ("", "text/plain"),
        ("Content-Type: \r\n", ""),
        ("Content-Type:\r\n", ""),
        (
            "Content-Type: TEXT/HTML; Charset=UTF-8\r\n",
            "text/html; charset=utf-8",
        ),
        ("Content-Type:   image/png  \r\n", "image/png"),
        ("Content-Type: \ttext/x\t\r\n", "text/x"),
        (
            "content-type: application/x-thing\r\n",
            "application/x-thing",
        ),
        ("Content-Type: garbage\r\n", "garbage"),
        ("Content-Type: a/b\r\nContent-Type: c/d\r\n", "c/d"),
        ("Content-Type: text/\u{e9}\r\n", ""),
        ("Content-Type: text/a\tb\r\n", ""),
        (
            "Content-Type: Text/Plain;  Q=\"A B\"\r\n",
            "text/plain;  q=\\\"a b\\\"",
        ),
    ];
    for (headers, file_type) in cases {
        let part = format!(
            "Content-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n{headers}\r\nhello"
        );
        let answer = parity_raw_multipart("upload", &[&part]).await;
        assert_eq!(
            (answer.status.as_u16(), answer.text()),
            (
                200,
                &*format!(r#"[{{"name":1,"size":2,"type":3}},"x.bin",5,"{file_type}"]"#)
            ),
            "{headers:?}"
        );
    }
    // A part without a file name is text, whatever its content type; `filename=""` is a file.
    parity_raw_multipart(
        "rawForm",
        &[
            "Content-Disposition: form-data; name=\"t\"\r\nContent-Type: image/png\r\n\r\nhello",
            "Content-Disposition: form-data; name=\"e\"; filename=\"\"\r\n\r\n",
        ],
    )
    .await
    .assert(200, DEVALUE, r#"[{"t":1,"e":3},[2],"hello",[4],""]"#);
}

static ALL_BYTES: [u8; 256] = {
    let mut bytes = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        bytes[i] = i as u8;
        i += 1;
    }
    bytes
};

#[tokio::test]
async fn a_binary_file_with_every_byte_value_arrives_intact() {
    let entries = [(
        "file",
        V::F("all.bin", "application/octet-stream", &ALL_BYTES),
    )];
    send(app(), post_multipart("/_actions/binary", &entries))
        .await
        .assert(
            200,
            DEVALUE,
            r#"[{"name":1,"size":2,"type":3},"all.bin",256,"application/octet-stream"]"#,
        );
}

#[tokio::test]
async fn an_empty_file_part_is_a_file_of_size_zero() {
    let entries = [("file", V::F("", "application/octet-stream", b""))];
    send(app(), post_multipart("/_actions/files", &entries))
        .await
        .assert(
            200,
            DEVALUE,
            r#"[{"file":1,"maybe":-1,"many":5},{"name":2,"size":3,"type":4},"",0,"application/octet-stream",[]]"#,
        );
}

#[tokio::test]
async fn a_file_over_the_file_limit_is_413_naming_the_field_and_limit() {
    static HUNDRED: [u8; 100] = [b'x'; 100];
    static OVER: [u8; 101] = [b'x'; 101];
    send(
        small_app(),
        post_multipart(
            "/_actions/binary",
            &[("file", V::F("a", "text/plain", &HUNDRED))],
        ),
    )
    .await
    .assert(
        400,
        JSON,
        &action_error(400, "BAD_REQUEST", "the bytes changed on the way"),
    );
    send(
        small_app(),
        post_multipart(
            "/_actions/binary",
            &[("file", V::F("a", "text/plain", &OVER))],
        ),
    )
    .await
    .assert(
        413,
        JSON,
        &action_error(
            413,
            "CONTENT_TOO_LARGE",
            "File `file` exceeds the limit of 100 bytes per file",
        ),
    );
}

#[tokio::test]
async fn a_multipart_stream_ending_early_is_400() {
    let mut body = multipart(&[("s", V::T("x")), ("opt", V::T("half"))]);
    body.truncate(body.len() - 20);
    let content_type = multipart_content_type();
    let answer = send_body(app(), chunked("/_actions/text", &content_type, body)).await;
    assert_eq!(
        (answer.status.as_u16(), answer.content_type()),
        (400, JSON),
        "{}",
        answer.text()
    );
    let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(body["code"], "BAD_REQUEST");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Malformed multipart body: "),
        "{body}"
    );
}

#[tokio::test]
async fn a_body_over_the_body_limit_is_413_with_or_without_content_length() {
    let too_large = action_error(413, "CONTENT_TOO_LARGE", "Request body exceeds 1000 bytes");
    let long = "y".repeat(1200);
    let leaked: &'static str = Box::leak(long.into_boxed_str());
    let entries = [("s", V::T(leaked))];
    let multipart_type = multipart_content_type();
    for (content_type, body) in [
        (URLENCODED, urlencoded(&entries).unwrap()),
        (multipart_type.as_str(), multipart(&entries)),
    ] {
        // With Content-Length: refused before reading.
        let length = body.len().to_string();
        let headers = [
            SAME_ORIGIN[0],
            SAME_ORIGIN[1],
            ("content-type", content_type),
            ("content-length", &length),
        ];
        send(small_app(), post("/_actions/text", &headers, &body))
            .await
            .assert(413, JSON, &too_large);
        // Without: counted while reading.
        let headers = [
            SAME_ORIGIN[0],
            SAME_ORIGIN[1],
            ("content-type", content_type),
        ];
        send(small_app(), post("/_actions/text", &headers, &body))
            .await
            .assert(413, JSON, &too_large);
        // Chunked.
        send_body(small_app(), chunked("/_actions/text", content_type, body))
            .await
            .assert(413, JSON, &too_large);
    }
}

#[tokio::test]
async fn too_many_fields_is_413() {
    let message = action_error(413, "CONTENT_TOO_LARGE", "Form has more than 3 fields");
    let three = [("s", V::T("1")), ("a", V::T("2")), ("b", V::T("3"))];
    let four = [
        ("s", V::T("1")),
        ("a", V::T("2")),
        ("b", V::T("3")),
        ("c", V::T("4")),
    ];
    send(
        small_app(),
        post_urlencoded("/_actions/text", &urlencoded(&three).unwrap()),
    )
    .await
    .assert(200, DEVALUE, r#"[{"s":1,"opt":-1},"1"]"#);
    send(small_app(), post_multipart("/_actions/text", &three))
        .await
        .assert(200, DEVALUE, r#"[{"s":1,"opt":-1},"1"]"#);
    send(
        small_app(),
        post_urlencoded("/_actions/text", &urlencoded(&four).unwrap()),
    )
    .await
    .assert(413, JSON, &message);
    send(small_app(), post_multipart("/_actions/text", &four))
        .await
        .assert(413, JSON, &message);
}

#[tokio::test]
async fn invalid_utf8_in_urlencoded_is_400() {
    let message = action_error(
        400,
        "BAD_REQUEST",
        "The URL-encoded form is not valid UTF-8",
    );
    for body in [&b"s=%FF"[..], b"s=\xff", b"%C3=x"] {
        send(app(), post_urlencoded("/_actions/text", body))
            .await
            .assert(400, JSON, &message);
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Raw forms

#[tokio::test]
async fn parity_raw_form_keeps_repeated_keys_files_and_order() {
    let entries = [
        ("tag", V::T("a")),
        ("file", V::F("x.txt", "text/plain", b"hi")),
        ("tag", V::T("b")),
        ("name", V::T("n")),
    ];
    send(parity::app(), post_multipart("/_actions/rawForm", &entries))
        .await
        .assert(
            200,
            DEVALUE,
            r#"[{"tag":1,"file":4,"name":6},[2,3],"a","b",[5],"x.txt",[7],"n"]"#,
        );
    send(
        parity::app(),
        post_urlencoded("/_actions/rawForm", b"b=2&a=1&b=3&_astroAction=rawForm"),
    )
    .await
    .assert(
        200,
        DEVALUE,
        r#"[{"b":1,"a":4,"_astroAction":6},[2,3],"2","3",[5],"1",[7],"rawForm"]"#,
    );
}

// zod 4 (Astro 7) counts string lengths in code points: five emoji are five characters, not
// ten UTF-16 units. The parity `comment` needs a body of at least 10; answers recorded from
// Astro 7.3.5.
#[tokio::test]
async fn parity_comment_length_counts_code_points() {
    let comment = |body: &str| {
        let encoded = utf8_percent_encode(body, NON_ALPHANUMERIC);
        post_urlencoded(
            "/_actions/comment",
            format!("postId=p1&author=A&body={encoded}").as_bytes(),
        )
    };
    // 9 and 5 code points (14 and 10 UTF-16 units): too short.
    for body in ["😀😀😀😀😀abcd", "😀😀😀😀😀"] {
        let answer = send(parity::app(), comment(body)).await;
        assert_eq!((answer.status.as_u16(), answer.content_type()), (400, JSON));
        let error: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(error["type"], "AstroActionInputError", "{body}");
        assert_eq!(error["issues"][0]["path"], serde_json::json!(["body"]));
        assert_eq!(
            error["fields"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["body"]
        );
    }
    // 10 code points: long enough, whether they are emoji or combining marks.
    for body in [
        "😀😀😀😀😀abcde",
        "e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}",
    ] {
        send(parity::app(), comment(body)).await.assert(
            200,
            DEVALUE,
            &format!(r#"[{{"postId":1,"author":2,"body":3}},"p1","A","{body}"]"#),
        );
    }
}

#[tokio::test]
async fn form_data_input_get_get_all_and_order() {
    let entries = [
        ("z", V::T("1")),
        ("a", V::T("x")),
        ("z", V::T("2")),
        ("f", V::F("f.txt", "text/plain", b"")),
        ("a", V::T("y")),
    ];
    send(app(), post_multipart("/_actions/raw", &entries))
        .await
        .assert(
            200,
            DEVALUE,
            r#"[{"first":1,"all":2,"keys":4},"x",[1,3],"y",[5,6,5,7,6],"z","a","f"]"#,
        );
    send(app(), post_urlencoded("/_actions/raw", b"z=1&a=x&z=2&a=y"))
        .await
        .assert(
            200,
            DEVALUE,
            r#"[{"first":1,"all":2,"keys":4},"x",[1,3],"y",[5,6,5,6],"z","a"]"#,
        );
    let entries = [
        ("a", V::F("up.bin", "application/octet-stream", b"1")),
        ("a", V::T("t")),
    ];
    send(app(), post_multipart("/_actions/raw", &entries))
        .await
        .assert(
            200,
            DEVALUE,
            r#"[{"first":1,"all":2,"keys":4},"file:up.bin",[1,3],"t",[5,5],"a"]"#,
        );
    send(app(), post_urlencoded("/_actions/raw", b""))
        .await
        .assert(200, DEVALUE, r#"[{"first":-1,"all":1,"keys":2},[],[]]"#);
}

// ---------------------------------------------------------------------------------------------
// 5. Form actions posted to the parity page (§5)

/// The text of the page's `<p id="subscribe-result">` line.
fn subscribe_result(answer: &Answer) -> &str {
    let start = r#"<p id="subscribe-result">"#;
    let text = answer.text();
    let from = text.find(start).expect("the subscribe-result line") + start.len();
    let to = from + text[from..].find("</p>").unwrap();
    &text[from..to]
}

#[tokio::test]
async fn subscribe_on_the_page_urlencoded_and_multipart() {
    let good = "subscribe: data {&quot;email&quot;:&quot;ada@example.test&quot;,&quot;subscribed&quot;:true}";
    let answer = send(
        parity::app(),
        post_urlencoded("/?_action=subscribe", b"email=ada%40example.test"),
    )
    .await;
    assert_eq!(
        (answer.status.as_u16(), answer.content_type()),
        (200, Some("text/html"))
    );
    assert_eq!(subscribe_result(&answer), good);
    let answer = send(
        parity::app(),
        post_multipart(
            "/?_action=subscribe",
            &[("email", V::T("ada@example.test"))],
        ),
    )
    .await;
    assert_eq!(
        (answer.status.as_u16(), answer.content_type()),
        (200, Some("text/html"))
    );
    assert_eq!(subscribe_result(&answer), good);
}

#[tokio::test]
async fn a_bad_email_on_the_page_is_400_with_its_fields() {
    let answers = [
        send(
            parity::app(),
            post_urlencoded("/?_action=subscribe", b"email=nope"),
        )
        .await,
        send(
            parity::app(),
            post_multipart("/?_action=subscribe", &[("email", V::T("nope"))]),
        )
        .await,
    ];
    for answer in &answers {
        assert_eq!(
            (answer.status.as_u16(), answer.content_type()),
            (400, Some("text/html"))
        );
        let line = subscribe_result(answer);
        // zod 4's message for `.email()`, as Astro renders it.
        assert_eq!(
            line,
            "subscribe: error BAD_REQUEST 400 fields={&quot;email&quot;:[&quot;Invalid email address&quot;]}"
        );
    }
    // Absent and empty are "received null".
    for body in [&b"email="[..], b""] {
        let answer = send(parity::app(), post_urlencoded("/?_action=subscribe", body)).await;
        assert_eq!(answer.status.as_u16(), 400);
        assert_eq!(
            subscribe_result(&answer),
            "subscribe: error BAD_REQUEST 400 fields={&quot;email&quot;:[&quot;Invalid input: expected string, received null&quot;]}"
        );
    }
}

#[tokio::test]
async fn the_page_without_an_action_shows_none() {
    let answer = send(
        parity::app(),
        post_urlencoded("/", b"email=ada%40example.test"),
    )
    .await;
    assert_eq!(answer.status.as_u16(), 200);
    assert_eq!(subscribe_result(&answer), "subscribe: none");
}
