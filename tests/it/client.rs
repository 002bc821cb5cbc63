//! The typed client against the parity fixture: every action, good and bad input, in process
//! and over a real server.

use crate::parity;

use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::HeaderValue;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use parity::*;
use serde_json::json;
use tower_actions::client::{ActionClient, TrailingSlash, action_path, query_string};
use tower_actions::{
    Action, ActionApiContext, ActionError, ActionErrorCode, ActionsLayer,
    input::{Accept, FormData, FormValue, RawJson, UploadedFile},
    js,
};

/// A client for the in-process fixture, with the headers a browser on its origin sends.
fn client() -> ActionClient<axum::Router> {
    ActionClient::new(parity::app(), "/")
        .header("host", HeaderValue::from_static("parity.test"))
        .header("origin", HeaderValue::from_static("http://parity.test"))
}

/// Declares a client-side handle for an action: its name, accept kind and wire types (for
/// inputs the server would refuse, and actions the server does not have).
macro_rules! remote {
    ($ty:ident, $name:literal, $accept:expr, $input:ty, $output:ty) => {
        struct $ty;
        impl Action for $ty {
            const NAME: &'static str = $name;
            const ACCEPT: Accept = $accept;
            type Input = $input;
            type Output = $output;
            async fn handle(
                &self,
                _: $input,
                _: &mut ActionApiContext,
            ) -> Result<$output, ActionError> {
                unreachable!("only called remotely")
            }
        }
    };
}

remote!(SumRaw, "sum", Accept::Json, RawJson, f64);
remote!(DoesNotExist, "doesNotExist", Accept::Json, RawJson, ());
remote!(GreetAsForm, "greet", Accept::Form, FormData, String);
remote!(
    SubscribeAsJson,
    "subscribe",
    Accept::Json,
    RawJson,
    Subscribed
);
remote!(GreetAsNumber, "greet", Accept::Json, RawJson, f64);

fn code_and_message(error: &ActionError) -> (ActionErrorCode, String) {
    (error.code(), error.message().into_owned())
}

#[test]
fn paths_and_query_strings_of_fixture_actions() {
    assert_eq!(action_path::<Greet>(), "/_actions/greet/");
    assert_eq!(action_path::<BlogLike>(), "/_actions/blog.like/");
    assert_eq!(query_string::<BlogLike>(), "?_action=blog.like");
    let client =
        ActionClient::new((), "http://127.0.0.1:4322/base/").trailing_slash(TrailingSlash::Never);
    assert_eq!(client.action_path::<BlogLike>(), "/base/_actions/blog.like");
    assert_eq!(
        client.action_url::<BlogLike>(),
        "http://127.0.0.1:4322/base/_actions/blog.like"
    );
    assert_eq!(client.query_string::<Subscribe>(), "?_action=subscribe");
    let client = client.base_path("/");
    assert_eq!(
        client.action_url::<Greet>(),
        "http://127.0.0.1:4322/_actions/greet"
    );
}

#[test]
fn requests_carry_astros_headers() {
    let client = client();
    let request = client
        .request::<Greet>(&GreetInput { name: "Ada".into() })
        .unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri(), "/_actions/greet/");
    let headers = request.headers();
    assert_eq!(headers["accept"], "application/json");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["origin"], "http://parity.test");
    let request = client.request::<Empty>(&RawJson(None)).unwrap();
    assert!(request.headers().get("content-type").is_none());
    assert_eq!(request.headers()["content-length"], "0");
    let request = client
        .request::<Subscribe>(&SubscribeInput {
            email: "a@b.co".into(),
        })
        .unwrap();
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
}

#[tokio::test]
async fn json_actions_return_their_output() {
    let client = client();
    let hello = client
        .call::<Greet>(GreetInput { name: "Ada".into() })
        .await
        .unwrap();
    assert_eq!(hello, "Hello, Ada!");
    let sum = client
        .call::<Sum>(SumInput { a: 1.5, b: 2.0 })
        .await
        .unwrap();
    assert_eq!(sum, 3.5);
    let liked = client
        .call::<BlogLike>(PostRef {
            post_id: "p1".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        liked,
        Liked {
            post_id: "p1".into(),
            likes: 1
        }
    );
    let echoed = client
        .call::<NoInput>(RawJson(Some(json!({"x": [1, "a", null]}))))
        .await
        .unwrap();
    assert_eq!(echoed, RawJson(Some(json!({"x": [1, "a", null]}))));
}

#[tokio::test]
async fn no_content_is_unit_or_none() {
    let client = client();
    let () = client.call::<Empty>(RawJson(None)).await.unwrap();
    let () = client
        .call::<Empty>(RawJson(Some(json!({"ignored": true}))))
        .await
        .unwrap();
    // No input: no body, no content type; the action echoes `undefined`, a 204.
    let nothing = client.call::<NoInput>(RawJson(None)).await.unwrap();
    assert_eq!(nothing, RawJson(None));
}

#[tokio::test]
async fn rich_outputs_decode_every_javascript_type() {
    let rich = client().call::<Rich>(RawJson(None)).await.unwrap();
    assert_eq!(rich.date, js::Date::from_unix_millis(0));
    assert_eq!(rich.map, js::Map(vec![("a".to_owned(), 1.0)]));
    assert_eq!(rich.set, js::Set(vec![1.0, 2.0]));
    assert_eq!(rich.url.href(), "https://example.com/x");
    assert_eq!(rich.big, js::BigInt::from(10));
    assert!(rich.nan.is_nan());
    assert_eq!(rich.inf, f64::NEG_INFINITY);
    assert!(rich.negz == 0.0 && rich.negz.is_sign_negative());
    assert_eq!(rich.undef, js::Undefined);
    assert_eq!(rich.nested.0, [1.0, 2.0]);
    assert_eq!(rich.nested.1, Kv { k: "v".into() });
}

#[tokio::test]
async fn input_errors_carry_issues_and_fields() {
    let client = client();
    let error = client
        .call::<Greet>(GreetInput { name: "".into() })
        .await
        .unwrap_err();
    assert_eq!(error.code(), ActionErrorCode::BadRequest);
    assert_eq!(error.status(), 400);
    let input = error.as_input_error().expect("an input error");
    assert_eq!(input.issues().len(), 1);
    assert_eq!(input.fields().len(), 1);
    assert_eq!(input.fields()[0].0, "name");
    assert!(error.message().starts_with("Failed to validate: "));

    let error = client
        .call::<SumRaw>(RawJson(Some(json!({"a": "one", "b": 2}))))
        .await
        .unwrap_err();
    let input = error.as_input_error().expect("an input error");
    assert_eq!(input.fields()[0].0, "a");
    assert_eq!(input.field("a").len(), 1);
    // No body at all for an object schema: one root issue, no fields.
    let error = client.call::<SumRaw>(RawJson(None)).await.unwrap_err();
    let input = error.as_input_error().expect("an input error");
    assert_eq!(input.issues().len(), 1);
    assert!(input.fields().is_empty());
}

#[tokio::test]
async fn action_errors_keep_their_code_and_message() {
    let client = client();
    let error = client.call::<Whoami>(RawJson(None)).await.unwrap_err();
    assert_eq!(
        code_and_message(&error),
        (ActionErrorCode::Unauthorized, "Not logged in".into())
    );
    assert_eq!(error.status(), 401);
    let error = client
        .call::<Missing>(MissingInput { id: "7".into() })
        .await
        .unwrap_err();
    assert_eq!(
        code_and_message(&error),
        (ActionErrorCode::NotFound, "no item 7".into())
    );
    let error = client.call::<Teapot>(RawJson(None)).await.unwrap_err();
    assert_eq!(
        code_and_message(&error),
        (ActionErrorCode::TooManyRequests, "slow down".into())
    );
    let error = client.call::<Boom>(RawJson(None)).await.unwrap_err();
    assert_eq!(
        code_and_message(&error),
        (ActionErrorCode::InternalServerError, "kaboom".into())
    );
    let error = client
        .call::<DoesNotExist>(RawJson(None))
        .await
        .unwrap_err();
    assert_eq!(
        code_and_message(&error),
        (ActionErrorCode::NotFound, "".into())
    );
    let error = client
        .call::<GreetAsForm>(FormData::new())
        .await
        .unwrap_err();
    assert_eq!(
        code_and_message(&error),
        (
            ActionErrorCode::UnsupportedMediaType,
            "This action only accepts JSON.".into()
        )
    );
    let error = client
        .call::<SubscribeAsJson>(RawJson(Some(json!({"email": "a@b.co"}))))
        .await
        .unwrap_err();
    assert_eq!(
        code_and_message(&error),
        (
            ActionErrorCode::UnsupportedMediaType,
            "This action only accepts FormData.".into()
        )
    );
}

#[tokio::test]
async fn extra_headers_reach_the_action() {
    let user = client()
        .header("x-user", HeaderValue::from_static("ada"))
        .call::<Whoami>(RawJson(None))
        .await
        .unwrap();
    assert_eq!(user, User { user: "ada".into() });
}

#[tokio::test]
async fn a_success_that_is_not_the_output_is_an_internal_error() {
    let error = client()
        .call::<GreetAsNumber>(RawJson(Some(json!({"name": "Ada"}))))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ActionErrorCode::InternalServerError);
    assert!(error.message().contains("not devalue"), "{error}");
}

#[tokio::test]
async fn cross_site_form_posts_are_refused_with_the_servers_text() {
    let client = ActionClient::new(parity::app(), "/")
        .header("host", HeaderValue::from_static("parity.test"))
        .header("origin", HeaderValue::from_static("http://evil.test"));
    let error = client
        .call::<Subscribe>(SubscribeInput {
            email: "a@b.co".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        code_and_message(&error),
        (
            ActionErrorCode::InternalServerError,
            "Cross-site POST form submissions are forbidden".into()
        )
    );
}

async fn cookie_gate(request: Request, next: Next) -> Response {
    if request.headers().get("cookie").is_none() {
        return (
            http::StatusCode::UNAUTHORIZED,
            [("content-type", "text/plain")],
            "Unauthorized",
        )
            .into_response();
    }
    next.run(request).await
}

#[tokio::test]
async fn a_gates_text_answer_is_an_internal_error_with_the_text() {
    let app = parity::routes()
        .layer(ActionsLayer::new(parity::actions()).middleware(from_fn(cookie_gate)));
    let client = ActionClient::new(app, "/");
    let error = client
        .call::<Greet>(GreetInput { name: "Ada".into() })
        .await
        .unwrap_err();
    assert_eq!(
        code_and_message(&error),
        (ActionErrorCode::InternalServerError, "Unauthorized".into())
    );
    let hello = client
        .header("cookie", HeaderValue::from_static("session=1"))
        .call::<Greet>(GreetInput { name: "Ada".into() })
        .await
        .unwrap();
    assert_eq!(hello, "Hello, Ada!");
}

#[tokio::test]
async fn form_actions_are_sent_urlencoded() {
    let client = client();
    let subscribed = client
        .call::<Subscribe>(SubscribeInput {
            email: "ada@example.com".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        subscribed,
        Subscribed {
            email: "ada@example.com".into(),
            subscribed: true
        }
    );
    let error = client
        .call::<Subscribe>(SubscribeInput {
            email: "nope".into(),
        })
        .await
        .unwrap_err();
    let input = error.as_input_error().expect("an input error");
    assert_eq!(input.fields()[0].0, "email");

    let comment = CommentInput {
        post_id: "p1".into(),
        author: "Ada & Bob".into(),
        body: "long enough, with + and %".into(),
    };
    let echoed = client.call::<Comment>(comment).await.unwrap();
    assert_eq!(echoed.body, "long enough, with + and %");
    assert_eq!(echoed.author, "Ada & Bob");
    let error = client
        .call::<Comment>(CommentInput {
            post_id: "p1".into(),
            author: "Ada".into(),
            body: "short".into(),
        })
        .await
        .unwrap_err();
    let input = error.as_input_error().expect("an input error");
    assert_eq!(input.fields()[0].0, "body");
}

#[tokio::test]
async fn every_coercion_round_trips() {
    let client = client();
    for input in [
        FieldsInput {
            tags: vec!["a".into(), "b c".into()],
            agree: true,
            count: Some(2.5),
            nickname: Some("ada".into()),
            level: Level::High,
        },
        FieldsInput {
            tags: vec![],
            agree: false,
            count: None,
            nickname: None,
            level: Level::Low,
        },
    ] {
        let expected = serde_json::to_value(&input).unwrap();
        let echoed = client.call::<Fields>(input).await.unwrap();
        assert_eq!(serde_json::to_value(&echoed).unwrap(), expected);
    }
}

#[tokio::test]
async fn uploads_are_multipart_with_the_file_intact() {
    let client = client();
    let bytes: Vec<u8> = (0..=255).chain([13, 10, 45, 45]).collect();
    let info = client
        .call::<Upload>(UploadInput {
            file: UploadedFile::new("blob.bin", "application/x-test", bytes.clone()),
        })
        .await
        .unwrap();
    assert_eq!(
        info,
        FileInfo {
            name: "blob.bin".into(),
            size: bytes.len(),
            content_type: "application/x-test".into()
        }
    );
    // A file without a type is sent as `application/octet-stream`, as browsers do.
    let info = client
        .call::<Upload>(UploadInput {
            file: UploadedFile::new("", "", Bytes::new()),
        })
        .await
        .unwrap();
    assert_eq!(
        (info.size, info.content_type.as_str()),
        (0, "application/octet-stream")
    );
    let request = client
        .request::<Upload>(&UploadInput {
            file: UploadedFile::new("a", "", &b"x"[..]),
        })
        .unwrap();
    let content_type = request.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="));
}

#[tokio::test]
async fn raw_forms_are_sent_as_they_are() {
    let mut form = FormData::new();
    form.push("tag", "a");
    form.push("tag", "b");
    form.push("doc", UploadedFile::new("d.txt", "text/plain", &b"hi"[..]));
    let out = client().call::<RawForm>(form.clone()).await.unwrap();
    assert_eq!(
        serde_json::Value::Object(out),
        json!({"tag": ["a", "b"], "doc": ["d.txt"]})
    );
    form.push("z", FormValue::from("1"));
    let texts: FormData = form.texts().collect();
    let out = client().call::<RawForm>(texts).await.unwrap();
    assert_eq!(
        serde_json::Value::Object(out),
        json!({"tag": ["a", "b"], "z": ["1"]})
    );
}

#[tokio::test]
async fn base_path_and_no_trailing_slash() {
    let app = parity::routes().layer(parity::layer().base_path("/docs"));
    for trailing_slash in [TrailingSlash::Always, TrailingSlash::Never] {
        let client = ActionClient::new(app.clone(), "/docs/").trailing_slash(trailing_slash);
        let hello = client
            .call::<Greet>(GreetInput { name: "Ada".into() })
            .await
            .unwrap();
        assert_eq!(hello, "Hello, Ada!");
    }
}

#[tokio::test]
async fn over_a_real_server_with_a_hyper_client() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, parity::app()).await });

    let http = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let origin = format!("http://{addr}");
    let client = ActionClient::new(http, &origin)
        .header("origin", HeaderValue::try_from(origin.as_str()).unwrap());

    let hello = client
        .call::<Greet>(GreetInput { name: "Ada".into() })
        .await
        .unwrap();
    assert_eq!(hello, "Hello, Ada!");
    let () = client.call::<Empty>(RawJson(None)).await.unwrap();
    let rich = client.call::<Rich>(RawJson(None)).await.unwrap();
    assert_eq!(rich.big, js::BigInt::from(10));
    let info = client
        .call::<Upload>(UploadInput {
            file: UploadedFile::new("b.bin", "application/octet-stream", vec![0u8; 70_000]),
        })
        .await
        .unwrap();
    assert_eq!(info.size, 70_000);
    let error = client
        .call::<Comment>(CommentInput {
            post_id: "p".into(),
            author: "a".into(),
            body: "short".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(error.as_input_error().unwrap().fields()[0].0, "body");
    let error = client.call::<Teapot>(RawJson(None)).await.unwrap_err();
    assert_eq!(error.code(), ActionErrorCode::TooManyRequests);

    server.abort();
    // Nobody listens any more: a transport error.
    let _ = server.await;
    let error = client
        .call::<Greet>(GreetInput { name: "Ada".into() })
        .await
        .unwrap_err();
    assert_eq!(error.code(), ActionErrorCode::InternalServerError);
    assert!(error.is_internal());
}
