//! Observability: the `action` span each action call makes (its name, parent and fields, read
//! back by a capturing subscriber), and that no input value is ever recorded.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use axum::routing::post as post_route;
use serde::Deserialize;
use tower_actions::{
    Action, ActionApiContext, ActionContext, ActionError, ActionErrorCode, Actions, ActionsLayer,
    input::Accept,
};
use tower_http::trace::TraceLayer;

use crate::common::capture::{Captured, SpanRecord, capture};
use crate::common::{post, send};

/// A value no recorded field or event may contain.
const PASSWORD: &str = "correct-horse-battery-staple";

#[derive(Deserialize, garde::Validate)]
struct Credentials {
    #[garde(custom(tower_actions::check::min(1)))]
    user: String,
    #[garde(custom(tower_actions::check::min(8)))]
    password: String,
}

struct SignIn;

impl Action for SignIn {
    const NAME: &'static str = "account.sign_in";
    const ACCEPT: Accept = Accept::Form;
    type Input = Credentials;
    type Output = String;

    async fn handle(
        &self,
        input: Credentials,
        _: &mut ActionApiContext,
    ) -> Result<String, ActionError> {
        match input.user.as_str() {
            "mallory" => Err(ActionError::new(ActionErrorCode::Unauthorized, "no entry")),
            "boom" => panic!("the handler panics"),
            _ => Ok(format!("welcome {}", input.user)),
        }
    }
}

/// A gate that refuses every call carrying `x-block` and answers itself.
async fn refuse_blocked(request: Request, next: Next) -> Response {
    if request.headers().contains_key("x-block") {
        let cx = request.extensions().get::<ActionContext>().unwrap();
        let refused = ActionError::new(ActionErrorCode::Forbidden, "blocked");
        return cx
            .serialize_action_result::<()>(&Err(refused))
            .into_response()
            .map(|body| axum::body::Body::from(body.unwrap_or_default()));
    }
    next.run(request).await
}

/// The actions behind tower-http's `TraceLayer`, with or without a gate (without one, an RPC
/// call takes the layer's direct path).
fn app(gated: bool) -> Router {
    let mut layer = ActionsLayer::new(Actions::new().add(SignIn));
    if gated {
        layer = layer.middleware(from_fn(refuse_blocked));
    }
    Router::new()
        .route("/page", post_route(|| async { "the page" }))
        .layer(layer)
        .layer(TraceLayer::new_for_http())
}

const FORM: [(&str, &str); 3] = [
    ("host", "example.test"),
    ("origin", "http://example.test"),
    ("content-type", "application/x-www-form-urlencoded"),
];

fn form_body(user: &str, password: &str) -> Vec<u8> {
    format!("user={user}&password={password}").into_bytes()
}

/// The one `action` span of a capture: its parent is tower-http's request span; its duration
/// is a number of milliseconds. Gives its other fields.
#[track_caller]
fn action_span(captured: &Captured) -> BTreeMap<String, String> {
    let spans = captured.spans_named("action");
    assert_eq!(spans.len(), 1, "one action span: {:#?}", captured.spans);
    let span: &SpanRecord = spans[0];
    assert_eq!(span.target, "tower_actions");
    let parent = captured.parent(span).expect("the action span has a parent");
    assert_eq!(
        (parent.name, parent.target.as_str()),
        ("request", "tower_http::trace::make_span")
    );
    let mut fields = span.fields.clone();
    let duration: f64 = fields
        .remove("tower_actions.duration_ms")
        .expect("a duration")
        .parse()
        .expect("a number");
    assert!(duration >= 0.0, "{duration}");
    fields
}

#[track_caller]
fn assert_fields(fields: &BTreeMap<String, String>, expected: &[(&str, &str)]) {
    let expected: BTreeMap<String, String> = expected
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    assert_eq!(fields, &expected);
}

#[track_caller]
fn assert_no_password(captured: &Captured) {
    let leaked: Vec<&str> = captured
        .all_values()
        .filter(|value| value.contains(PASSWORD) || value.contains("hunter"))
        .collect();
    assert!(leaked.is_empty(), "an input value was recorded: {leaked:?}");
}

const SUCCESS: [(&str, &str); 5] = [
    ("http.response.status_code", "200"),
    ("otel.name", "account.sign_in"),
    ("rpc.method", "account.sign_in"),
    ("rpc.system", "astro_actions"),
    ("tower_actions.called_from", "rpc"),
];

#[tokio::test]
async fn an_rpc_call_is_one_span_under_the_request_span_on_both_paths() {
    for gated in [false, true] {
        let (answer, captured) = capture(send(
            app(gated),
            post(
                "/_actions/account.sign_in",
                &FORM,
                &form_body("ada", PASSWORD),
            ),
        ))
        .await;
        answer.assert(200, Some("application/json+devalue"), r#"["welcome ada"]"#);
        assert_fields(&action_span(&captured), &SUCCESS);
        assert_no_password(&captured);
    }
}

#[tokio::test]
async fn an_input_error_records_its_code_and_issue_count_never_the_input() {
    for gated in [false, true] {
        let (answer, captured) = capture(send(
            app(gated),
            post(
                "/_actions/account.sign_in",
                &FORM,
                &form_body("", "hunter2"),
            ),
        ))
        .await;
        assert_eq!(answer.status, 400);
        assert_fields(
            &action_span(&captured),
            &[
                ("error.type", "BAD_REQUEST"),
                ("http.response.status_code", "400"),
                ("otel.name", "account.sign_in"),
                ("rpc.method", "account.sign_in"),
                ("rpc.system", "astro_actions"),
                ("tower_actions.called_from", "rpc"),
                ("tower_actions.issue_count", "2"),
            ],
        );
        assert_no_password(&captured);
    }
}

#[tokio::test]
async fn an_action_error_records_its_code() {
    for gated in [false, true] {
        let (answer, captured) = capture(send(
            app(gated),
            post(
                "/_actions/account.sign_in",
                &FORM,
                &form_body("mallory", PASSWORD),
            ),
        ))
        .await;
        assert_eq!(answer.status, 401);
        assert_fields(
            &action_span(&captured),
            &[
                ("error.type", "UNAUTHORIZED"),
                ("http.response.status_code", "401"),
                ("otel.name", "account.sign_in"),
                ("rpc.method", "account.sign_in"),
                ("rpc.system", "astro_actions"),
                ("tower_actions.called_from", "rpc"),
            ],
        );
        assert_no_password(&captured);
    }
}

#[tokio::test]
async fn a_form_action_on_a_page_is_called_from_form() {
    for gated in [false, true] {
        let (answer, captured) = capture(send(
            app(gated),
            post(
                "/page?_action=account.sign_in",
                &FORM,
                &form_body("ada", PASSWORD),
            ),
        ))
        .await;
        answer.assert(200, Some("text/plain; charset=utf-8"), "the page");
        assert_fields(
            &action_span(&captured),
            &[
                ("http.response.status_code", "200"),
                ("otel.name", "account.sign_in"),
                ("rpc.method", "account.sign_in"),
                ("rpc.system", "astro_actions"),
                ("tower_actions.called_from", "form"),
            ],
        );
        assert_no_password(&captured);
        // A failed form action: the page gets the error's status, and so does the span.
        let (answer, captured) = capture(send(
            app(gated),
            post("/page?_action=account.sign_in", &FORM, &form_body("", "x")),
        ))
        .await;
        assert_eq!(answer.status, 400);
        let fields = action_span(&captured);
        assert_eq!(
            (
                fields["http.response.status_code"].as_str(),
                fields["error.type"].as_str(),
                fields["tower_actions.issue_count"].as_str(),
                fields["tower_actions.called_from"].as_str(),
            ),
            ("400", "BAD_REQUEST", "2", "form")
        );
    }
}

#[tokio::test]
async fn a_gate_that_answers_itself_records_its_answer() {
    let mut headers = FORM.to_vec();
    headers.push(("x-block", "1"));
    for path in ["/_actions/account.sign_in", "/page?_action=account.sign_in"] {
        let (answer, captured) = capture(send(
            app(true),
            post(path, &headers, &form_body("ada", PASSWORD)),
        ))
        .await;
        assert_eq!(answer.status, 403);
        let called_from = if path.starts_with("/page") {
            "form"
        } else {
            "rpc"
        };
        assert_fields(
            &action_span(&captured),
            &[
                ("error.type", "FORBIDDEN"),
                ("http.response.status_code", "403"),
                ("otel.name", "account.sign_in"),
                ("rpc.method", "account.sign_in"),
                ("rpc.system", "astro_actions"),
                ("tower_actions.called_from", called_from),
            ],
        );
        assert_no_password(&captured);
    }
}

#[tokio::test]
async fn a_panicking_handler_is_an_internal_error_logged_inside_its_span() {
    for gated in [false, true] {
        let (answer, captured) = capture(send(
            app(gated),
            post(
                "/_actions/account.sign_in",
                &FORM,
                &form_body("boom", PASSWORD),
            ),
        ))
        .await;
        assert_eq!(answer.status, 500);
        assert_fields(
            &action_span(&captured),
            &[
                ("error.type", "INTERNAL_SERVER_ERROR"),
                ("http.response.status_code", "500"),
                ("otel.name", "account.sign_in"),
                ("otel.status_code", "ERROR"),
                ("rpc.method", "account.sign_in"),
                ("rpc.system", "astro_actions"),
                ("tower_actions.called_from", "rpc"),
            ],
        );
        let panicked = captured
            .events
            .iter()
            .find(|event| event.fields["message"] == "action handler panicked")
            .expect("the panic is logged");
        let span = &captured.spans[panicked.span.expect("inside a span")];
        assert_eq!(span.name, "action");
        assert_no_password(&captured);
    }
}

#[tokio::test]
async fn an_unknown_action_is_other_with_the_name_it_was_called_by() {
    for gated in [false, true] {
        let (answer, captured) = capture(send(
            app(gated),
            post("/_actions/account.nope", &FORM, &form_body("ada", PASSWORD)),
        ))
        .await;
        assert_eq!(answer.status, 404);
        assert_fields(
            &action_span(&captured),
            &[
                ("error.type", "NOT_FOUND"),
                ("http.response.status_code", "404"),
                ("otel.name", "_OTHER"),
                ("rpc.method", "_OTHER"),
                ("rpc.method_original", "account.nope"),
                ("rpc.system", "astro_actions"),
                ("tower_actions.called_from", "rpc"),
            ],
        );
    }
}

#[tokio::test]
async fn a_server_call_is_a_span_without_a_status() {
    let actions = Actions::new().add(SignIn);
    let (result, captured) = capture(async {
        let mut cx = ActionApiContext::detached();
        let input = Credentials {
            user: "mallory".into(),
            password: PASSWORD.into(),
        };
        actions.call::<SignIn>(input, &mut cx).await
    })
    .await;
    assert_eq!(result.unwrap_err().code(), ActionErrorCode::Unauthorized);
    let spans = captured.spans_named("action");
    assert_eq!(spans.len(), 1);
    let mut fields = spans[0].fields.clone();
    assert!(fields.remove("tower_actions.duration_ms").is_some());
    assert_fields(
        &fields,
        &[
            ("error.type", "UNAUTHORIZED"),
            ("otel.name", "account.sign_in"),
            ("rpc.method", "account.sign_in"),
            ("rpc.system", "astro_actions"),
            ("tower_actions.called_from", "server"),
        ],
    );
    assert_no_password(&captured);
}

#[tokio::test]
async fn requests_that_call_no_action_make_no_action_span() {
    let (answer, captured) = capture(send(
        app(true),
        post("/page", &FORM, &form_body("ada", PASSWORD)),
    ))
    .await;
    answer.assert(200, Some("text/plain; charset=utf-8"), "the page");
    assert!(captured.spans_named("action").is_empty());
    assert_eq!(captured.spans_named("request").len(), 1);
}

/// One HTTP/1.1 exchange over a fresh connection: the status and the body.
#[cfg(feature = "metrics")]
async fn exchange(address: std::net::SocketAddr, head: &str, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "{head}\r\nhost: {address}\r\norigin: http://{address}\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split_once("\r\n\r\n").unwrap().1.to_owned();
    (status, body)
}

#[cfg(feature = "metrics")]
#[tokio::test]
async fn metrics_count_calls_by_action_caller_and_outcome_in_prometheus_text() {
    // The only test that installs a recorder (once per process); the actions it counts are
    // the example's own, so calls other tests make at the same time do not change its lines.
    let metrics = crate::metrics_example::install_recorder();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, crate::metrics_example::app(metrics)).await });
    let rpc = "POST /_actions/notes.add HTTP/1.1";
    for (text, status) in [("a", 200), ("b", 200), ("c", 200), ("", 400), ("spam", 403)] {
        assert_eq!(
            exchange(address, rpc, &format!("text={text}")).await.0,
            status
        );
    }
    let (status, page) = exchange(address, "POST /?_action=notes.add HTTP/1.1", "text=d").await;
    assert_eq!(status, 200);
    assert!(page.contains("<form"), "{page}");
    let unknown = "POST /_actions/notes.made-up-name HTTP/1.1";
    assert_eq!(exchange(address, unknown, "text=e").await.0, 404);

    let (status, text) = exchange(address, "GET /metrics HTTP/1.1", "").await;
    assert_eq!(status, 200);
    let lines: Vec<&str> = text.lines().collect();
    for expected in [
        "# HELP tower_actions_calls_total Action calls, by action, caller (rpc, form, server) and outcome (ok or the error code)",
        "# TYPE tower_actions_calls_total counter",
        r#"tower_actions_calls_total{action="notes.add",called_from="rpc",outcome="ok"} 3"#,
        r#"tower_actions_calls_total{action="notes.add",called_from="rpc",outcome="BAD_REQUEST"} 1"#,
        r#"tower_actions_calls_total{action="notes.add",called_from="rpc",outcome="FORBIDDEN"} 1"#,
        r#"tower_actions_calls_total{action="notes.add",called_from="form",outcome="ok"} 1"#,
        "# TYPE tower_actions_call_duration_seconds histogram",
        r#"tower_actions_call_duration_seconds_bucket{action="notes.add",called_from="rpc",outcome="ok",le="+Inf"} 3"#,
        r#"tower_actions_call_duration_seconds_count{action="notes.add",called_from="rpc",outcome="ok"} 3"#,
        r#"tower_actions_call_duration_seconds_count{action="notes.add",called_from="form",outcome="ok"} 1"#,
    ] {
        assert!(
            lines.contains(&expected),
            "no line {expected:?} in:\n{text}"
        );
    }
    // A name no action has is counted as `_OTHER`, never as itself.
    assert!(
        lines.iter().any(|line| line.starts_with(
            r#"tower_actions_calls_total{action="_OTHER",called_from="rpc",outcome="NOT_FOUND"} "#
        )),
        "{text}"
    );
    assert!(!text.contains("made-up-name"), "{text}");
    assert!(!text.contains("spam"), "{text}");
}
