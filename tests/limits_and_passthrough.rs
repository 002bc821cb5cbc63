//! Body limits (413 with and without Content-Length) and untouched passthrough.

mod common;
#[path = "../examples/parity/app.rs"]
mod parity;

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
use tower_actions::{ActionsLayer, RequestBody};

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
