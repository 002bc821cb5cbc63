//! Bounded memory (issue 9): an upload far over the limit is refused after reading at most the
//! limit plus one chunk, whatever its kind; fields, nesting and each field's size are bounded.

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

/// A body that yields `head`, then `chunk` forever, counting the bytes it has yielded; with
/// `network`, each frame comes after a `Pending`, as from a socket.
struct Endless {
    head: Option<Bytes>,
    chunk: Bytes,
    yielded: Arc<AtomicUsize>,
    network: bool,
    ready: bool,
}

impl Endless {
    fn new(head: &[u8], chunk: Vec<u8>) -> (Self, Arc<AtomicUsize>) {
        let yielded = Arc::new(AtomicUsize::new(0));
        let body = Endless {
            head: Some(Bytes::copy_from_slice(head)),
            chunk: Bytes::from(chunk),
            yielded: yielded.clone(),
            network: false,
            ready: false,
        };
        (body, yielded)
    }
}

impl Body for Endless {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.network {
            self.ready = !self.ready;
            if self.ready {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
        }
        let data = self.head.take().unwrap_or_else(|| self.chunk.clone());
        self.yielded.fetch_add(data.len(), Ordering::SeqCst);
        Poll::Ready(Some(Ok(Frame::data(data))))
    }
}

async fn not_called<B>(_: Request<RequestBody<B>>) -> Result<Response<Full<Bytes>>, Infallible> {
    panic!("the page is not called for an RPC action")
}

/// Posts an endless body of `kind` to `action` under a body limit of `limit`; the answer must
/// be 413 and at most `limit` plus one chunk (and the head) must have been read.
async fn refused_after_the_limit(
    action: &str,
    kind: &str,
    head: &[u8],
    chunk: usize,
    limit: usize,
) {
    let app = ActionsLayer::new(parity::actions())
        .body_limit(limit)
        .layer(service_fn(not_called));
    let (body, yielded) = Endless::new(head, vec![b'x'; chunk]);
    let request = Request::post(format!("/_actions/{action}"))
        .header("content-type", kind)
        .header("host", "example.test")
        .header("origin", "http://example.test")
        .body(body)
        .unwrap();
    let response = tokio::time::timeout(std::time::Duration::from_secs(10), app.oneshot(request))
        .await
        .expect("an answer, not a hang")
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        (status.as_u16(), std::str::from_utf8(&body).unwrap()),
        (
            413,
            format!(
                r#"{{"type":"AstroActionError","code":"CONTENT_TOO_LARGE","status":413,"message":"Request body exceeds {limit} bytes"}}"#
            )
            .as_str()
        ),
        "{action} {kind}"
    );
    let read = yielded.load(Ordering::SeqCst);
    assert!(
        read <= limit + chunk + head.len(),
        "{kind}: read {read} bytes for a limit of {limit} in chunks of {chunk}"
    );
}

#[tokio::test]
async fn an_endless_json_body_is_refused_after_the_limit_and_one_chunk() {
    for chunk in [1, 16, 4096, 65_536] {
        refused_after_the_limit("noInput", "application/json", b"\"", chunk, 1024 * 1024).await;
        refused_after_the_limit("noInput", "application/json", b"\"", chunk, 100).await;
    }
}

#[tokio::test]
async fn an_endless_urlencoded_body_is_refused_after_the_limit_and_one_chunk() {
    for chunk in [1, 16, 4096, 65_536] {
        refused_after_the_limit(
            "rawForm",
            "application/x-www-form-urlencoded",
            b"a=",
            chunk,
            1024 * 1024,
        )
        .await;
        refused_after_the_limit(
            "rawForm",
            "application/x-www-form-urlencoded",
            b"a=",
            chunk,
            100,
        )
        .await;
    }
}

#[tokio::test]
async fn an_endless_multipart_text_field_is_refused_after_the_limit_and_one_chunk() {
    let head = b"--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n";
    for chunk in [1, 16, 4096, 65_536] {
        refused_after_the_limit(
            "rawForm",
            "multipart/form-data; boundary=X",
            head,
            chunk,
            1024 * 1024,
        )
        .await;
        refused_after_the_limit(
            "rawForm",
            "multipart/form-data; boundary=X",
            head,
            chunk,
            100,
        )
        .await;
    }
}

#[tokio::test]
async fn an_endless_multipart_file_is_refused_after_the_limit_and_one_chunk() {
    let head = b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n";
    for chunk in [16, 65_536] {
        // The body limit under the file limit: the body limit answers.
        refused_after_the_limit(
            "upload",
            "multipart/form-data; boundary=X",
            head,
            chunk,
            4096,
        )
        .await;
    }
}

#[tokio::test]
async fn endless_multipart_parts_are_refused_after_the_limit() {
    let part = b"--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n".to_vec();
    let app = ActionsLayer::new(parity::actions())
        .body_limit(1024 * 1024)
        .layer(service_fn(not_called));
    let (mut body, yielded) = Endless::new(b"", part.clone());
    // multer reads ahead while the body is ready: from a socket, it parses as it goes.
    body.network = true;
    let request = Request::post("/_actions/rawForm")
        .header("content-type", "multipart/form-data; boundary=X")
        .header("origin", "http://example.test")
        .header("host", "example.test")
        .body(body)
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 413);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        body,
        r#"{"type":"AstroActionError","code":"CONTENT_TOO_LARGE","status":413,"message":"Form has more than 1000 fields"}"#
    );
    // Refused soon after the 1001st part (multer reads some way ahead), a tenth of the body
    // limit.
    let read = yielded.load(Ordering::SeqCst);
    assert!(read <= 2 * 1024 * part.len(), "read {read} bytes");
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[tokio::test]
async fn json_nesting_is_bounded_with_a_400() {
    // The default depth limit (`ActionsLayer::json_depth_limit`) is 128 levels.
    let answer = send(
        parity::app(),
        post(
            "/_actions/noInput",
            &[("content-type", "application/json")],
            nested(128).as_bytes(),
        ),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    for depth in [129, 1000, 100_000] {
        let answer = send(
            parity::app(),
            post(
                "/_actions/noInput",
                &[("content-type", "application/json")],
                nested(depth).as_bytes(),
            ),
        )
        .await;
        assert_eq!(answer.status, 400, "{depth}: {}", answer.text());
        assert_eq!(
            answer.text(),
            r#"{"type":"AstroActionError","code":"BAD_REQUEST","status":400,"message":"The JSON in the request body is nested deeper than 128 levels"}"#
        );
    }
    // A typed action too (the fast path and the checked path both stop).
    let deep = format!("{}\"x\"{}", r#"{"name":"#.repeat(200), "}".repeat(200));
    let answer = send(
        parity::app(),
        post(
            "/_actions/greet",
            &[("content-type", "application/json")],
            deep.as_bytes(),
        ),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.text());
}

#[tokio::test]
async fn the_deepest_json_accepted_is_echoed_as_devalue_that_parses_again() {
    let answer = send(
        parity::app(),
        post(
            "/_actions/noInput",
            &[("content-type", "application/json")],
            nested(128).as_bytes(),
        ),
    )
    .await;
    assert_eq!(answer.status, 200);
    let value = tower_actions::devalue::parse(answer.text()).expect("our own output parses");
    let _ = value;
}

/// A JSON array nested `depth` deep, built without recursion.
fn deep_value(depth: usize) -> serde_json::Value {
    let mut value = serde_json::Value::Array(Vec::new());
    for _ in 1..depth {
        value = serde_json::Value::Array(vec![value]);
    }
    value
}

/// Takes a deep value apart without recursion (serde_json's `Drop` recurses).
fn drop_deep(mut value: serde_json::Value) {
    while let serde_json::Value::Array(mut items) = value {
        match items.pop() {
            Some(inner) => value = inner,
            None => break,
        }
    }
}

#[test]
fn devalue_output_depth_is_bounded_like_its_input() {
    use tower_actions::devalue;
    // Within the parser's bound: written, and read back.
    let value = deep_value(500);
    let text = devalue::to_string(&value).unwrap();
    devalue::parse(&text).expect("what we write at depth 500 reads back");
    drop_deep(value);
    // Beyond it: an error, not text our own parser (and Astro's client) refuses, nor a
    // stack overflow.
    for depth in [513, 100_000] {
        let value = deep_value(depth);
        let result = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                let result = devalue::to_string(&value)
                    .map(|_| ())
                    .map_err(|e| e.to_string());
                drop_deep(value);
                result
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(
            result,
            Err("devalue: nesting deeper than 512".to_owned()),
            "depth {depth}"
        );
    }
}
