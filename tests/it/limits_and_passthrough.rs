//! Body limits (413 with and without Content-Length) and untouched passthrough.

use crate::common;
use crate::parity;

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use common::{post, send};
use http::{Request, Response};
use http_body::{Body, Frame};
use http_body_util::{BodyExt, Full};
use tower::{Layer, ServiceExt, service_fn};
use tower_actions::{ActionsLayer, layer::RequestBody};

const TOO_LARGE_100: &str = r#"{"type":"AstroActionError","code":"CONTENT_TOO_LARGE","status":413,"message":"Request body exceeds 100 bytes"}"#;

/// A body of `chunks` chunks of `size` bytes that counts the bytes it has yielded.
struct Counted {
    chunk: Bytes,
    left: usize,
    yielded: Arc<AtomicUsize>,
}

impl Counted {
    fn new(chunks: usize, chunk: &'static [u8]) -> (Self, Arc<AtomicUsize>) {
        let yielded = Arc::new(AtomicUsize::new(0));
        (
            Counted {
                chunk: Bytes::from_static(chunk),
                left: chunks,
                yielded: yielded.clone(),
            },
            yielded,
        )
    }
}

impl Body for Counted {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        self.left -= 1;
        self.yielded.fetch_add(self.chunk.len(), Ordering::SeqCst);
        Poll::Ready(Some(Ok(Frame::data(self.chunk.clone()))))
    }
}

async fn echo<B>(request: Request<RequestBody<B>>) -> Result<Response<Full<Bytes>>, Infallible>
where
    B: Body<Data = Bytes>,
    B::Error: Into<tower_actions::BoxError>,
{
    let body = request.into_body().collect().await.unwrap().to_bytes();
    Ok(Response::new(Full::new(body)))
}

#[tokio::test]
async fn content_length_over_the_limit_is_413_before_reading() {
    let app = ActionsLayer::new(parity::actions())
        .body_limit(100)
        .layer(service_fn(echo));
    let (body, yielded) = Counted::new(3, &[b' '; 100]);
    let request = Request::post("/_actions/greet")
        .header("content-type", "application/json")
        .header("content-length", "300")
        .body(body)
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.into_body().collect().await.unwrap().to_bytes(),
        TOO_LARGE_100
    );
    assert_eq!(yielded.load(Ordering::SeqCst), 0, "the body was read");
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_413_after_at_most_one_chunk_past_it() {
    let app = ActionsLayer::new(parity::actions())
        .body_limit(100)
        .layer(service_fn(echo));
    let (body, yielded) = Counted::new(1000, b"0123456789abcdef");
    let request = Request::post("/_actions/noInput")
        .header("content-type", "application/json")
        .body(body)
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(
        response.into_body().collect().await.unwrap().to_bytes(),
        TOO_LARGE_100
    );
    let read = yielded.load(Ordering::SeqCst);
    assert!(read <= 100 + 16, "read {read} bytes");
}

#[tokio::test]
async fn default_limit_is_one_mebibyte() {
    let mut json = String::from(r#"{"name":""#);
    json.push_str(&"x".repeat(1024 * 1024));
    json.push_str(r#""}"#);
    let answer = send(
        parity::app(),
        post(
            "/_actions/greet",
            &[("content-type", "application/json")],
            json.as_bytes(),
        ),
    )
    .await;
    answer.assert(
        413,
        Some("application/json"),
        r#"{"type":"AstroActionError","code":"CONTENT_TOO_LARGE","status":413,"message":"Request body exceeds 1048576 bytes"}"#,
    );
}

#[tokio::test]
async fn a_body_at_the_limit_is_accepted() {
    let app = ActionsLayer::new(parity::actions())
        .body_limit(16)
        .layer(service_fn(echo));
    let answer = send(
        app,
        post(
            "/_actions/greet",
            &[("content-type", "application/json")],
            br#"{"name":"Adaaa"}"#,
        ),
    )
    .await;
    answer.assert(
        200,
        Some("application/json+devalue"),
        r#"["Hello, Adaaa!"]"#,
    );
}

#[tokio::test]
async fn passthrough_streams_the_body_unread_to_the_inner_service() {
    let (body, yielded) = Counted::new(64, b"chunk-of-sixteen");
    let yielded_at_call = Arc::new(AtomicUsize::new(usize::MAX));
    let seen = yielded_at_call.clone();
    let counter = yielded.clone();
    let inner = service_fn(move |request: Request<RequestBody<Counted>>| {
        seen.store(counter.load(Ordering::SeqCst), Ordering::SeqCst);
        echo(request)
    });
    let app = ActionsLayer::new(parity::actions())
        .body_limit(10)
        .layer(inner);
    let request = Request::post("/upload?x=1").body(body).unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        yielded_at_call.load(Ordering::SeqCst),
        0,
        "the layer read the body"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        body.len(),
        64 * 16,
        "the layer's limit applies to actions only"
    );
    assert_eq!(&body[..16], b"chunk-of-sixteen");
}

#[tokio::test]
async fn passthrough_keeps_status_headers_and_body_of_the_inner_service() {
    let inner = service_fn(|request: Request<RequestBody<Full<Bytes>>>| async move {
        let mut response = Response::new(Full::new(Bytes::from(format!(
            "{} {}",
            request.method(),
            request.uri()
        ))));
        *response.status_mut() = http::StatusCode::IM_A_TEAPOT;
        response
            .headers_mut()
            .insert("x-inner", "1".parse().unwrap());
        Ok::<_, Infallible>(response)
    });
    let app = ActionsLayer::new(parity::actions()).layer(inner);
    for (method, uri) in [
        ("GET", "/"),
        ("POST", "/page"),
        ("GET", "/_actionsx"),
        ("POST", "/foo/_actions/greet"),
    ] {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .body(Full::default())
            .unwrap();
        let answer = send(app.clone(), request).await;
        assert_eq!(answer.status, 418);
        assert_eq!(answer.headers["x-inner"], "1");
        assert_eq!(answer.text(), format!("{method} {uri}"));
    }
}

#[tokio::test]
async fn over_a_real_http_server() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, parity::app()).await });

    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<Bytes>>();
    let call = |path: &str, body: &'static str| {
        Request::post(format!("http://{address}{path}"))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from_static(body.as_bytes())))
            .unwrap()
    };
    let response = client
        .request(call("/_actions/greet", r#"{"name":"Ada"}"#))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json+devalue"
    );
    assert_eq!(
        response.into_body().collect().await.unwrap().to_bytes(),
        r#"["Hello, Ada!"]"#
    );

    let response = client
        .request(call("/_actions/missing", r#"{"id":"x"}"#))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.into_body().collect().await.unwrap().to_bytes(),
        r#"{"type":"AstroActionError","code":"NOT_FOUND","status":404,"message":"no item x"}"#
    );

    let response = client.request(call("/_actions/empty", "")).await.unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.headers().get("content-type").is_none());

    let ping = client
        .get(format!("http://{address}/ping").parse().unwrap())
        .await
        .unwrap();
    assert_eq!(ping.into_body().collect().await.unwrap().to_bytes(), "pong");
    server.abort();
}

// ---------------------------------------------------------------------------------------------
// JSON nesting depth (`ActionsLayer::json_depth_limit`). Astro has no limit: it answers these
// bodies 200 (the echo of 128 levels below is its answer, recorded from Astro 7.3.5).

/// `depth` nested arrays: `[[[]]]` is 3.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A `greet` input with an ignored extra field nested `depth` levels (`depth + 1` in all).
fn greet_with_extra(depth: usize) -> String {
    format!(r#"{{"name":"x","extra":{}}}"#, nested(depth))
}

fn too_deep(limit: usize) -> String {
    format!(
        r#"{{"type":"AstroActionError","code":"BAD_REQUEST","status":400,"message":"The JSON in the request body is nested deeper than {limit} levels"}}"#
    )
}

async fn post_json_to(layer: ActionsLayer, action: &str, json: &str) -> common::Answer {
    send(
        layer.layer(service_fn(echo)),
        post(
            &format!("/_actions/{action}"),
            &[("content-type", "application/json")],
            json.as_bytes(),
        ),
    )
    .await
}

const JSON: Option<&str> = Some("application/json");
const DEVALUE: Option<&str> = Some("application/json+devalue");

#[tokio::test]
async fn json_nested_128_levels_is_accepted_129_refused_by_default() {
    let layer = || ActionsLayer::new(parity::actions());
    // devalue: each array at its own index, the innermost empty.
    let mut echo: Vec<String> = (1..128).map(|i| format!("[{i}]")).collect();
    echo.push("[]".to_owned());
    post_json_to(layer(), "noInput", &nested(128)).await.assert(
        200,
        DEVALUE,
        &format!("[{}]", echo.join(",")),
    );
    post_json_to(layer(), "noInput", &nested(129))
        .await
        .assert(400, JSON, &too_deep(128));
    // Objects count the same, and a typed action is refused the same way.
    let objects = |depth: usize| format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
    post_json_to(layer(), "noInput", &objects(128))
        .await
        .assert(200, DEVALUE, &{
            let mut devalue: Vec<String> = (1..128).map(|i| format!(r#"{{"a":{i}}}"#)).collect();
            devalue.push(r#"{"a":128}"#.to_owned());
            devalue.push("1".to_owned());
            format!("[{}]", devalue.join(","))
        });
    post_json_to(layer(), "noInput", &objects(129))
        .await
        .assert(400, JSON, &too_deep(128));
    post_json_to(layer(), "greet", &greet_with_extra(127))
        .await
        .assert(200, DEVALUE, r#"["Hello, x!"]"#);
    post_json_to(layer(), "greet", &greet_with_extra(128))
        .await
        .assert(400, JSON, &too_deep(128));
}

#[tokio::test]
async fn a_raised_json_depth_limit_accepts_deeper_bodies() {
    let layer = || ActionsLayer::new(parity::actions()).json_depth_limit(300);
    post_json_to(layer(), "greet", &greet_with_extra(299))
        .await
        .assert(200, DEVALUE, r#"["Hello, x!"]"#);
    post_json_to(layer(), "greet", &greet_with_extra(300))
        .await
        .assert(400, JSON, &too_deep(300));
    let answer = post_json_to(layer(), "noInput", &nested(300)).await;
    assert_eq!(
        (answer.status.as_u16(), &answer.text()[..12]),
        (200, "[[1],[2],[3]")
    );
    post_json_to(layer(), "noInput", &nested(301))
        .await
        .assert(400, JSON, &too_deep(300));
    // Invalid UTF-8 takes the lenient path, under the same limit.
    let send_lossy = |depth: usize| {
        let mut bytes = br#"{"name":""#.to_vec();
        bytes.push(0xff);
        bytes.extend_from_slice(format!(r#"","extra":{}}}"#, nested(depth)).as_bytes());
        send(
            layer().layer(service_fn(echo)),
            post(
                "/_actions/greet",
                &[("content-type", "application/json")],
                &bytes,
            ),
        )
    };
    send_lossy(299)
        .await
        .assert(200, DEVALUE, "[\"Hello, \u{fffd}!\"]");
    send_lossy(300).await.assert(400, JSON, &too_deep(300));
}

#[tokio::test]
async fn a_lowered_json_depth_limit_refuses_what_serde_json_would_parse() {
    let layer = || ActionsLayer::new(parity::actions()).json_depth_limit(2);
    post_json_to(layer(), "noInput", r#"[[1],{"k":"[[[["}]"#)
        .await
        .assert(200, DEVALUE, r#"[[1,3],[2],1,{"k":4},"[[[["]"#);
    post_json_to(layer(), "noInput", "[[[1]]]")
        .await
        .assert(400, JSON, &too_deep(2));
}

// However high the limit is set, a body nested 100 000 levels deep answers a 400, never a
// stack overflow: the limit is capped at 512 levels, which parse within a 2 MiB stack.
#[test]
fn the_json_depth_limit_is_capped_and_deep_bodies_never_overflow_the_stack() {
    // A 2 MiB stack, as Rust's spawned threads and tokio's workers have by default.
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap()
                .block_on(async {
                    let layer =
                        || ActionsLayer::new(parity::actions()).json_depth_limit(usize::MAX);
                    post_json_to(layer(), "greet", &greet_with_extra(511))
                        .await
                        .assert(200, DEVALUE, r#"["Hello, x!"]"#);
                    let answer = post_json_to(layer(), "noInput", &nested(512)).await;
                    assert_eq!(
                        (answer.status.as_u16(), &answer.text()[..12]),
                        (200, "[[1],[2],[3]")
                    );
                    for depth in [513, 100_000] {
                        post_json_to(layer(), "noInput", &nested(depth))
                            .await
                            .assert(400, JSON, &too_deep(512));
                        post_json_to(layer(), "greet", &greet_with_extra(depth))
                            .await
                            .assert(400, JSON, &too_deep(512));
                    }
                    let default = ActionsLayer::new(parity::actions());
                    post_json_to(default, "noInput", &nested(100_000))
                        .await
                        .assert(400, JSON, &too_deep(128));
                });
        })
        .unwrap()
        .join()
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// The layer around a whole axum Router (`ActionsLayer::around`), axum's `Body` both ways.

#[tokio::test]
async fn around_a_router_streams_a_passed_through_body_unread_and_its_answer_unchanged() {
    let (body, yielded) = Counted::new(64, b"chunk-of-sixteen");
    let yielded_at_call = Arc::new(AtomicUsize::new(usize::MAX));
    let (seen, counter) = (yielded_at_call.clone(), yielded.clone());
    let router = axum::Router::new()
        .route(
            "/upload",
            axum::routing::post(move |body: axum::body::Body| {
                seen.store(counter.load(Ordering::SeqCst), Ordering::SeqCst);
                async move {
                    let bytes = body.collect().await.unwrap().to_bytes();
                    (http::StatusCode::IM_A_TEAPOT, [("x-inner", "1")], bytes)
                }
            }),
        )
        .route(
            "/stream",
            axum::routing::get(|| async {
                let chunks = ["one ", "two ", "three"].map(|c| Ok::<_, Infallible>(Bytes::from(c)));
                axum::body::Body::from_stream(futures_util::stream::iter(chunks))
            }),
        );
    let app = ActionsLayer::new(parity::actions())
        .body_limit(10)
        .around(router.with_state(()));

    let request = Request::post("/upload?x=1")
        .body(axum::body::Body::new(body))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 418);
    assert_eq!(response.headers()["x-inner"], "1");
    assert_eq!(
        yielded_at_call.load(Ordering::SeqCst),
        0,
        "the layer read the body"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        body.len(),
        64 * 16,
        "the layer's limit applies to actions only"
    );

    // The Router's streamed answer arrives as the chunks it sent.
    let request = Request::get("/stream")
        .body(axum::body::Body::empty())
        .unwrap();
    let mut body = app.clone().oneshot(request).await.unwrap().into_body();
    let mut chunks = Vec::new();
    while let Some(frame) = body.frame().await {
        chunks.push(frame.unwrap().into_data().unwrap());
    }
    assert_eq!(chunks, ["one ", "two ", "three"]);

    // Actions are answered by the layer, with its limit.
    let request = Request::post("/_actions/greet")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"name":"Ada"}"#))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 413);
    let request = Request::post("/_actions/greet")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"n":1}"#))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn around_a_router_serves_a_form_action_page_as_router_layer_does() {
    // The page sees the form's bytes and the action's result, as through `Router::layer`.
    let around = parity::layer().around(parity::routes().with_state(()));
    let form = || {
        Request::post("/?_action=subscribe")
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from_static(b"email=ada%40example.com")))
            .unwrap()
    };
    let via_route = send(parity::app(), form()).await;
    let response = around
        .oneshot(form().map(axum::body::Body::new))
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(status, via_route.status);
    assert_eq!(&body[..], via_route.text().as_bytes());
    assert_eq!(status, 200);
    assert_eq!(
        via_route.page_line("subscribe-result"),
        "subscribe: data {&quot;email&quot;:&quot;ada@example.com&quot;,&quot;subscribed&quot;:true}"
    );
}
