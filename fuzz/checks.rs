//! What every fuzz target checks, one function per target. Shared by the libFuzzer targets
//! (`fuzz/fuzz_targets/*.rs`) and by `tests/it/fuzz_corpus.rs`, which replays the committed
//! corpora through the same functions on stable Rust.
//!
//! The including crate root must also `#[path]`-include `examples/parity/app.rs` as
//! `mod parity`.
//!
//! The properties: nothing panics, and the layer never answers 500 except for the actions
//! whose 500 is their documented answer (`boom`, whose handler fails; `noInput` echoing an
//! input devalue cannot write, e.g. a `__proto__` key: `docs/compat.md`, "unserializable
//! output").

#![allow(dead_code)]

use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::parity;

#[path = "values.rs"]
pub mod values;

/// A request body that yields its bytes in chunks of `size` (so that the decoders see input
/// split anywhere).
pub struct Chunks {
    data: Bytes,
    size: usize,
}

impl Chunks {
    pub fn new(data: &[u8], size: usize) -> Self {
        Chunks {
            data: Bytes::copy_from_slice(data),
            size: size.max(1),
        }
    }

    pub fn whole(data: &[u8]) -> Self {
        Chunks::new(data, usize::MAX)
    }
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        if self.data.is_empty() {
            return Poll::Ready(None);
        }
        let at = self.size.min(self.data.len());
        let chunk = self.data.split_to(at);
        Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
    }
}

/// What the layer answered.
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

fn app() -> axum::Router {
    static APP: OnceLock<axum::Router> = OnceLock::new();
    APP.get_or_init(parity::app).clone()
}

/// Sends one request through the parity app (built once) and reads the whole answer.
pub fn call(request: Request<Chunks>) -> Answer {
    runtime().block_on(async {
        let response = match app().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("the answer's body").to_bytes();
        Answer {
            status: parts.status,
            body,
        }
    })
}

/// Percent-decodes text until it no longer changes (at most 10 rounds), lossily.
fn decode_all(text: &str) -> String {
    let mut text = text.to_owned();
    for _ in 0..10 {
        let decoded = percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .replace('+', " ");
        if decoded == text {
            break;
        }
        text = decoded;
    }
    text
}

/// The message of a 500 for an output devalue cannot write (`noInput` echoing `__proto__`).
const UNSERIALIZABLE: &str = r#"{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","status":500,"message":"devalue: "#;
const KABOOM: &str =
    r#"{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","status":500,"message":"kaboom"}"#;

/// Panics unless the answer is an allowed one for a request to `uri`.
#[track_caller]
fn check_not_500(uri: &str, answer: &Answer) {
    if answer.status != StatusCode::INTERNAL_SERVER_ERROR {
        return;
    }
    let names = decode_all(uri);
    let body = answer.text();
    let boom = names.contains("boom");
    let unserializable = names.contains("noInput") && body.starts_with(UNSERIALIZABLE);
    assert!(
        boom || unserializable || body == KABOOM,
        "500 for {uri:?}: {body}"
    );
}

/// A devalue input: the generic parser, the typed deserializer, and re-serializing what
/// parsed (which must parse again).
pub fn devalue(data: &[u8]) {
    use tower_actions::devalue;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(value) = devalue::parse(text) {
        if let Ok(again) = devalue::to_string(&value) {
            if let Err(err) = devalue::parse(&again) {
                panic!("{text:?} parsed, was written as {again:?}, which does not parse: {err}");
            }
        }
        let _ = devalue::from_value::<Typed>(value);
    }
    devalue_routes(text);
}

/// `devalue::from_str` (which reads simple documents without building a `Value`) answers
/// exactly what `from_value(parse(text))`, the tree route, answers, errors included, for
/// targets of every shape serde asks for.
pub fn devalue_routes(text: &str) {
    same_routes::<Typed>(text);
    same_routes::<serde_json::Value>(text);
    same_routes::<Vec<Option<(String, f64, bool)>>>(text);
    same_routes::<Shapes>(text);
    same_routes::<Vec<Kind>>(text);
    same_routes::<Vec<Untagged>>(text);
    same_routes::<std::collections::BTreeMap<String, Option<f64>>>(text);
    same_routes::<(String, i32, u8, Vec<u8>)>(text);
    same_routes::<Vec<serde::de::IgnoredAny>>(text);
    same_routes::<Option<String>>(text);
    same_routes::<f64>(text);
    same_routes::<i64>(text);
    same_routes::<()>(text);
    same_routes::<Tiny>(text);
}

fn same_routes<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) {
    use tower_actions::devalue;
    let direct = format!("{:?}", devalue::from_str::<T>(text));
    let tree = format!(
        "{:?}",
        devalue::parse(text).and_then(devalue::from_value::<T>)
    );
    if direct != tree {
        panic!(
            "{text:?} as {}: from_str gives {direct}, the tree route {tree}",
            std::any::type_name::<T>()
        );
    }
}

/// A struct reading the shapes the generated values have (`fuzz/values.rs`), and more.
#[derive(serde::Deserialize, Debug)]
struct Shapes {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    id: Option<f64>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default, rename = "a\"b</script>")]
    quoted: Option<String>,
    #[serde(default, rename = "10")]
    ten: Option<f64>,
    #[serde(default, rename = "2")]
    two: Option<bool>,
    #[serde(default)]
    z: Option<String>,
    #[serde(default)]
    a02: Option<i64>,
    #[serde(default)]
    a07: Option<Vec<u8>>,
    #[serde(default)]
    inner: Option<Box<Shapes>>,
    #[serde(default)]
    nested: Option<Vec<Shapes>>,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, serde_json::Value>,
}

/// A struct that refuses what it does not know.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Tiny {
    a: Option<u32>,
    b: Option<(f64, String)>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(untagged)]
enum Untagged {
    Number(f64),
    Text(String),
    List(Vec<Untagged>),
    Nothing(()),
    Object { a: f64 },
}

/// Serializes a sequence of values drawn from `data` (every kind, tiny to huge, `null`, `true`
/// and `false` after large ones) one after the other on this thread, whose serializer keeps
/// its buffers and remembered field names from value to value (and from input to input), and
/// checks each result against the same value serialized on a new thread, which has kept
/// nothing.
pub fn devalue_sequence(data: &[u8]) {
    use tower_actions::devalue;
    use values::Source;
    let mut source = values::FuzzBytes::new(data);
    let mut generator = values::Gen::new(&mut source);
    let count = 1 + (data.len() / 4).min(40);
    let items: Vec<values::Item> = (0..count)
        .map(|_| {
            if generator.source.chance(2) {
                generator.huge()
            } else {
                generator.item()
            }
        })
        .collect();
    let kept: Vec<_> = items.iter().map(devalue::to_vec).collect();
    std::thread::scope(|scope| {
        for (item, kept) in items.iter().zip(&kept) {
            let fresh = scope
                .spawn(|| devalue::to_vec(item))
                .join()
                .expect("the fresh thread serializes");
            if *kept != fresh {
                panic!(
                    "{item:?} is written {:?} after other values on one thread, {:?} on a fresh one",
                    kept.as_ref().map(|t| String::from_utf8_lossy(t)),
                    fresh.as_ref().map(|t| String::from_utf8_lossy(t)),
                );
            }
        }
    });
}

/// A typed target for devalue: most shapes serde can ask for.
#[derive(serde::Deserialize, Debug)]
struct Typed {
    name: String,
    count: Option<f64>,
    small: Option<u8>,
    big: Option<tower_actions::js::BigInt>,
    tags: Vec<String>,
    when: Option<tower_actions::js::Date>,
    map: Option<tower_actions::js::Map<String, f64>>,
    set: Option<tower_actions::js::Set<i64>>,
    url: Option<tower_actions::js::Url>,
    level: Option<Kind>,
    nested: Option<Box<Typed>>,
    bytes: Option<Vec<u8>>,
}

#[derive(serde::Deserialize, Debug)]
enum Kind {
    Low,
    High(f64),
    Pair { a: String },
    Two(u8, String),
}

const FORM_ACTIONS: [&str; 5] = ["fields", "comment", "rawForm", "upload", "subscribe"];

/// The first byte picks a form action and a chunk size; the rest is the body.
fn form_request(data: &[u8], content_type: &str) -> Option<(String, Request<Chunks>)> {
    let (&pick, body) = data.split_first()?;
    let action = FORM_ACTIONS[usize::from(pick) % FORM_ACTIONS.len()];
    let chunk = usize::from(pick >> 3) + 1;
    let uri = format!("/_actions/{action}");
    let request = Request::post(uri.as_str())
        .header("host", "fuzz.test")
        .header("origin", "http://fuzz.test")
        .header("content-type", content_type)
        .body(Chunks::new(
            body,
            if pick & 4 == 0 { chunk } else { usize::MAX },
        ))
        .ok()?;
    Some((uri, request))
}

#[track_caller]
fn check_form(uri: &str, answer: &Answer) {
    check_not_500(uri, answer);
    assert!(
        matches!(answer.status.as_u16(), 200 | 400 | 413),
        "{} for a form to {uri}: {}",
        answer.status,
        answer.text()
    );
}

/// An urlencoded body to a form action, coerced into its typed input.
pub fn form_urlencoded(data: &[u8]) {
    if let Some((uri, request)) = form_request(data, "application/x-www-form-urlencoded") {
        check_form(&uri, &call(request));
    }
}

/// A multipart body (boundary `X`) to a form action, coerced into its typed input.
pub fn form_multipart(data: &[u8]) {
    if let Some((uri, request)) = form_request(data, "multipart/form-data; boundary=X") {
        check_form(&uri, &call(request));
    }
}

/// Bytes as a URI component: kept when the URI parses with them, else percent-encoded.
fn component(raw: &[u8], prefix: &str) -> String {
    let text = String::from_utf8_lossy(raw);
    let plain = format!("{prefix}{text}");
    if std::str::from_utf8(raw).is_ok() && plain.parse::<http::Uri>().is_ok() {
        return plain;
    }
    let encoded = percent_encoding::percent_encode(raw, percent_encoding::NON_ALPHANUMERIC);
    format!("{prefix}{encoded}")
}

/// Action-name decoding: the bytes as the name after `/_actions/`, or as `?_action=`.
pub fn action_name(data: &[u8]) {
    let Some((&mode, raw)) = data.split_first() else {
        return;
    };
    let names = [
        "greet",
        "sum",
        "noInput",
        "empty",
        "whoami",
        "boom",
        "missing",
        "blog.like",
        "teapot",
        "rich",
        "subscribe",
        "comment",
        "fields",
        "upload",
        "rawForm",
    ];
    if mode & 1 == 0 {
        let uri = component(raw, "/_actions/");
        let Ok(request) = Request::post(uri.as_str())
            .header("content-type", "application/json")
            .body(Chunks::whole(br#"{"name":"Ada"}"#))
        else {
            return;
        };
        let answer = call(request);
        check_not_500(&uri, &answer);
        let decoded = decode_all(&uri);
        if !names.iter().any(|name| decoded.contains(name)) {
            assert_eq!(
                (answer.status.as_u16(), answer.text().as_str()),
                (
                    404,
                    r#"{"type":"AstroActionError","code":"NOT_FOUND","status":404,"message":""}"#
                ),
                "{uri:?}"
            );
        }
    } else {
        let uri = component(raw, "/?_action=");
        let Ok(request) = Request::post(uri.as_str())
            .header("host", "fuzz.test")
            .header("origin", "http://fuzz.test")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Chunks::whole(b"email=a%40b.co"))
        else {
            return;
        };
        let answer = call(request);
        check_not_500(&uri, &answer);
    }
}

/// Arbitrary request bytes: `METHOD TARGET` on the first line, `name: value` header lines up
/// to an empty line, then the body (cut into chunks of a size taken from the method line's
/// length).
pub fn request(data: &[u8]) {
    let mut lines = data.splitn(2, |&b| b == b'\n');
    let head = lines.next().unwrap_or_default();
    let mut rest = lines.next().unwrap_or_default();
    let mut head = head.splitn(2, |&b| b == b' ');
    let method = head.next().unwrap_or_default();
    let target = head.next().unwrap_or(b"/");
    let Ok(method) = http::Method::from_bytes(method) else {
        return;
    };
    let Ok(target) = std::str::from_utf8(target) else {
        return;
    };
    let Ok(uri) = target.trim_end_matches('\r').parse::<http::Uri>() else {
        return;
    };
    let mut builder = Request::builder().method(method).uri(uri.clone());
    loop {
        let (line, after) = match rest.iter().position(|&b| b == b'\n') {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &[][..]),
        };
        rest = after;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return;
        };
        let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(&line[..colon]),
            http::HeaderValue::from_bytes(line[colon + 1..].trim_ascii()),
        ) else {
            return;
        };
        builder = builder.header(name, value);
    }
    let chunk = data.len() % 13 + 1;
    let Ok(request) = builder.body(Chunks::new(rest, chunk)) else {
        return;
    };
    let answer = call(request);
    check_not_500(&uri.to_string(), &answer);
}
