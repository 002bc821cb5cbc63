//! What the benches share: the services (the parity app behind the layer, the same pages
//! bare, the hand-written axum baseline), the requests of each measured path, and a check
//! that every path answers what it should before anything is measured.
//!
//! A bench includes it with the parity app and the baseline beside it:
//! `#[path = "../examples/parity/app.rs"] mod parity;`,
//! `#[path = "baseline/app.rs"] mod baseline;`, `mod support;`.

#![allow(dead_code)]

use std::fmt::Debug;
use std::sync::OnceLock;
use std::time::Duration;

use axum::Router;
use bytes::Bytes;
use criterion::Criterion;
use criterion::measurement::WallTime;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::{Layer, Service, ServiceExt};
use tower_actions::layer::ActionsService;
use tower_actions::persist::CookieResults;

/// The request type every path sends.
pub type Req = Request<Full<Bytes>>;

/// Criterion settings kept short: the machine is small and shared.
pub fn criterion() -> Criterion {
    Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(30)
}

/// A single-threaded runtime: one request at a time, no scheduler noise.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The parity pages behind the parity layer (what `examples/parity` serves).
pub fn layered() -> ActionsService<Router> {
    crate::parity::layer().layer(crate::parity::routes())
}

/// The parity pages with the layer around the whole Router, axum's `Body` both ways
/// (`ActionsLayer::around`).
pub fn around() -> tower_actions::layer::ActionsRouter<Router> {
    crate::parity::layer().around(crate::parity::routes())
}

/// The parity pages behind the parity layer with PRG: a form action's result is kept in an
/// encrypted cookie (a fixed key, an hour long so that a captured cookie stays valid for the
/// whole run) and the page answers `303 See Other`.
pub fn layered_prg() -> ActionsService<Router> {
    let store = CookieResults::from_secret(&[7; 64])
        .expect("a 64-byte secret")
        .max_age(Duration::from_secs(3600));
    crate::parity::layer()
        .persist(store)
        .layer(crate::parity::routes())
}

/// The same pages without the layer.
pub fn bare() -> Router {
    crate::parity::routes()
}

/// The hand-written axum handlers (`benches/baseline/app.rs`).
pub fn baseline() -> Router {
    crate::baseline::router()
}

/// Sends one request and reads the whole answer.
pub async fn send<S, B>(service: &S, request: Req) -> (StatusCode, Bytes)
where
    S: Service<Req, Response = Response<B>> + Clone,
    S::Error: Debug,
    B: http_body::Body,
    B::Error: Debug,
{
    let response = service.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, body.collect().await.unwrap().to_bytes())
}

/// Adds one case to a group: `service` answering `request()`, one request per iteration.
pub fn case<S, B>(
    group: &mut criterion::BenchmarkGroup<'_, WallTime>,
    rt: &tokio::runtime::Runtime,
    id: &str,
    service: S,
    request: impl Fn() -> Req,
) where
    S: Service<Req, Response = Response<B>> + Clone,
    S::Error: Debug,
    B: http_body::Body,
    B::Error: Debug,
{
    group.bench_function(id, |b| {
        b.to_async(rt)
            .iter(|| std::hint::black_box(send(&service, request())))
    });
}

fn post(path: &str, content_type: &str, body: impl Into<Bytes>) -> Req {
    Request::post(path)
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("content-type", content_type)
        .body(Full::new(body.into()))
        .unwrap()
}

// --- passthrough -----------------------------------------------------------------------------

/// `GET /ping`: not an action.
pub fn ping() -> Req {
    Request::get("/ping")
        .header("host", "localhost")
        .body(Full::default())
        .unwrap()
}

// --- rpc_json --------------------------------------------------------------------------------

pub const GREET_JSON: &str = r#"{"name":"Ada"}"#;

/// `greet` through the layer.
pub fn greet_rpc() -> Req {
    post("/_actions/greet", "application/json", GREET_JSON)
}

/// `greet` to the baseline, JSON out.
pub fn greet_json() -> Req {
    post("/_actions/greet", "application/json", GREET_JSON)
}

/// `greet` to the baseline, devalue out.
pub fn greet_devalue() -> Req {
    post("/devalue/greet", "application/json", GREET_JSON)
}

// --- rpc_form --------------------------------------------------------------------------------

/// `fields` urlencoded: one `tags` value, which serde_urlencoded (axum's `Form`) can read.
pub const FIELDS_FORM: &str = "tags=a&agree=true&count=3&nickname=ada&level=high";
const URLENCODED: &str = "application/x-www-form-urlencoded";

pub fn fields_rpc() -> Req {
    post("/_actions/fields", URLENCODED, FIELDS_FORM)
}

pub fn fields_baseline() -> Req {
    post("/form/fields", URLENCODED, FIELDS_FORM)
}

/// `subscribe` over RPC through the layer (the same-origin check, `check::email`).
pub fn subscribe_rpc() -> Req {
    post("/_actions/subscribe", URLENCODED, SUBSCRIBE_FORM)
}

/// `subscribe` to the baseline: axum `Form`, the origin check, garde, devalue out.
pub fn subscribe_baseline() -> Req {
    post("/form/subscribe", URLENCODED, SUBSCRIBE_FORM)
}

const BOUNDARY: &str = "----towerActionsBench";

/// A multipart body with one 1 KiB text file named `a.txt`.
fn upload_body() -> Bytes {
    let mut body = Vec::with_capacity(1300);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
             content-type: text/plain\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(std::iter::repeat_n(b'x', 1024));
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    Bytes::from(body)
}

fn multipart(path: &str) -> Req {
    post(
        path,
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        upload_body(),
    )
}

pub fn upload_rpc() -> Req {
    multipart("/_actions/upload")
}

pub fn upload_baseline() -> Req {
    multipart("/form/upload")
}

// --- form_page -------------------------------------------------------------------------------

pub const SUBSCRIBE_FORM: &str = "email=ada%40example.com";

/// `subscribe` posted to the page: the action runs, the page renders with its result.
pub fn page_action() -> Req {
    post("/?_action=subscribe", URLENCODED, SUBSCRIBE_FORM)
}

/// The same post without `_action`: the page alone.
pub fn page_plain() -> Req {
    post("/", URLENCODED, SUBSCRIBE_FORM)
}

/// `GET /`: the page alone.
pub fn page_get() -> Req {
    Request::get("/")
        .header("host", "localhost")
        .body(Full::default())
        .unwrap()
}

/// The result cookie `subscribe`'s PRG answer sets (captured once, by [`prg_cookie`]).
static PRG_COOKIE: OnceLock<String> = OnceLock::new();

/// Posts `subscribe` to the PRG layer once and keeps the `name=value` of the cookie it sets.
pub async fn prg_cookie() -> &'static str {
    if let Some(cookie) = PRG_COOKIE.get() {
        return cookie;
    }
    let response = layered_prg().oneshot(page_action()).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    let pair = set_cookie.split(';').next().unwrap().to_owned();
    PRG_COOKIE.get_or_init(|| pair)
}

/// `GET /` carrying the result cookie: the page renders the kept result (and clears it).
/// Needs [`prg_cookie`] to have run (as [`verify`] does).
pub fn page_restore() -> Req {
    Request::get("/")
        .header("host", "localhost")
        .header(
            "cookie",
            PRG_COOKIE.get().expect("prg_cookie ran first").as_str(),
        )
        .body(Full::default())
        .unwrap()
}

// --- checks ----------------------------------------------------------------------------------

/// Every measured path answers what it should (else the figures would measure an error).
pub async fn verify() {
    let (layered, bare, baseline) = (layered(), bare(), baseline());

    let through = send(&layered, ping()).await;
    assert_eq!(through, send(&bare, ping()).await);
    assert_eq!(through, (StatusCode::OK, Bytes::from("pong")));

    assert_eq!(
        send(&layered, greet_rpc()).await,
        (StatusCode::OK, Bytes::from(r#"["Hello, Ada!"]"#))
    );
    assert_eq!(
        send(&baseline, greet_json()).await,
        (StatusCode::OK, Bytes::from(r#""Hello, Ada!""#))
    );
    assert_eq!(
        send(&baseline, greet_devalue()).await,
        (StatusCode::OK, Bytes::from(r#"["Hello, Ada!"]"#))
    );

    let fields = send(&layered, fields_rpc()).await;
    assert_eq!(fields.0, StatusCode::OK, "{:?}", fields.1);
    assert_eq!(fields, send(&baseline, fields_baseline()).await);

    let upload = send(&layered, upload_rpc()).await;
    assert_eq!(upload.0, StatusCode::OK, "{:?}", upload.1);
    assert_eq!(upload, send(&baseline, upload_baseline()).await);

    let (status, page) = send(&layered, page_action()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        std::str::from_utf8(&page)
            .unwrap()
            .contains("subscribe: data {&quot;email&quot;:&quot;ada@example.com&quot;"),
    );
    let (status, page) = send(&layered, page_plain()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        std::str::from_utf8(&page)
            .unwrap()
            .contains("subscribe: none")
    );

    // PRG: the POST answers 303 with the result cookie, the GET with it shows the result.
    let prg = layered_prg();
    let response = prg.clone().oneshot(page_action()).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/");
    assert!(response.headers().contains_key("set-cookie"));
    prg_cookie().await;
    let (status, page) = send(&prg, page_restore()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        std::str::from_utf8(&page)
            .unwrap()
            .contains("subscribe: data {&quot;email&quot;:&quot;ada@example.com&quot;"),
    );
    let (status, page) = send(&prg, page_get()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        std::str::from_utf8(&page)
            .unwrap()
            .contains("subscribe: none")
    );
}
