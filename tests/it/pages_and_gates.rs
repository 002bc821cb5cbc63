//! Form actions posted to pages, the ActionContext, gates and locals (protocol §5, §6).

use crate::common;
use crate::gating;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::parity;
use bytes::Bytes;
use common::{post, send};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::{Layer, ServiceExt, service_fn};
use tower_actions::{
    Action, ActionApiContext, ActionContext, ActionError, ActionErrorCode, ActionPayload, Actions,
    ActionsLayer, CalledFrom, SerializedActionResult, input::RawJson, layer::RequestBody,
};

const SAME_ORIGIN: [(&str, &str); 2] =
    [("host", "example.test"), ("origin", "http://example.test")];
const UNAUTHORIZED: &str =
    r#"{"type":"AstroActionError","code":"UNAUTHORIZED","status":401,"message":"admin only"}"#;

fn json_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        SAME_ORIGIN[0],
        SAME_ORIGIN[1],
        ("content-type", "application/json"),
    ]
}

/// An action that counts its runs, for "never runs twice" and "never runs" rules.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Action for Counter {
    const NAME: &'static str = "counter";
    type Input = RawJson;
    type Output = usize;
    async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<usize, ActionError> {
        Ok(self.0.fetch_add(1, Ordering::SeqCst) + 1)
    }
}

async fn page_echo(
    request: Request<RequestBody<Full<Bytes>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let payload = request.extensions().get::<ActionPayload>().cloned();
    let text = match payload {
        None => "no payload".to_owned(),
        Some(payload) => format!(
            "{} {}",
            payload.name,
            serde_json::to_string(&payload.result).unwrap()
        ),
    };
    Ok(Response::new(Full::new(Bytes::from(text))))
}

#[tokio::test]
async fn a_form_action_runs_then_the_page_renders_with_its_result() {
    let answer = send(
        parity::app(),
        post("/?_action=greet", &json_headers(), br#"{"name":"Ada"}"#),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.page_line("subscribe-result"), "subscribe: none");
    let counter = Counter::default();
    let app = ActionsLayer::new(Actions::new().add(counter.clone())).layer(service_fn(page_echo));
    let answer = send(
        app,
        post("/any/page?x=1&_action=counter", &json_headers(), b""),
    )
    .await;
    answer.assert(
        200,
        None,
        r#"counter {"type":"data","status":200,"contentType":"application/json+devalue","body":"[1]"}"#,
    );
}

#[tokio::test]
async fn the_page_sees_only_the_result_of_the_action_that_ran() {
    let answer = send(
        parity::app(),
        post("/?_action=whoami", &json_headers(), b"{}"),
    )
    .await;
    // An error result on a page that answers 200 takes the error's status.
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.page_line("subscribe-result"), "subscribe: none");
    assert_eq!(answer.page_line("comment-result"), "comment: none");
}

#[tokio::test]
async fn an_unknown_form_action_renders_the_page_with_404() {
    let counter = Counter::default();
    let app = ActionsLayer::new(Actions::new().add(counter)).layer(service_fn(page_echo));
    let answer = send(app, post("/?_action=nope", &json_headers(), b"{}")).await;
    answer.assert(
        404,
        None,
        r#"nope {"type":"error","status":404,"contentType":"application/json","body":"{\"type\":\"AstroActionError\",\"code\":\"NOT_FOUND\",\"status\":404,\"message\":\"\"}"}"#,
    );
}

#[tokio::test]
async fn get_and_an_empty_action_value_are_plain_page_requests() {
    let counter = Counter::default();
    let runs = counter.0.clone();
    let app = ActionsLayer::new(Actions::new().add(counter)).layer(service_fn(page_echo));
    let get = Request::get("/?_action=counter")
        .body(Full::default())
        .unwrap();
    send(app.clone(), get).await.assert(200, None, "no payload");
    send(app.clone(), post("/?_action=", &json_headers(), b"{}"))
        .await
        .assert(200, None, "no payload");
    send(app, post("/?_action=&_action=counter", &json_headers(), b"{}")).await.assert(
        200,
        None,
        r#"counter {"type":"data","status":200,"contentType":"application/json+devalue","body":"[1]"}"#,
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_json_action_posted_as_a_form_is_415_and_the_page_still_renders() {
    let headers = [
        SAME_ORIGIN[0],
        SAME_ORIGIN[1],
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let answer = send(
        parity::app(),
        post("/?_action=greet", &headers, b"name=Ada"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        answer
            .text()
            .contains(r#"<p id="subscribe-result">subscribe: none</p>"#)
    );
}

#[tokio::test]
async fn a_cross_site_form_post_to_a_page_is_refused_before_the_action() {
    let counter = Counter::default();
    let runs = counter.0.clone();
    let app = ActionsLayer::new(Actions::new().add(counter)).layer(service_fn(page_echo));
    let headers = [
        ("host", "example.test"),
        ("origin", "http://evil.test"),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    send(app, post("/?_action=counter", &headers, b"a=1"))
        .await
        .assert(
            403,
            Some("text/plain;charset=UTF-8"),
            "Cross-site POST form submissions are forbidden",
        );
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn every_action_request_carries_an_action_context() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let gate = tower::layer::layer_fn(move |inner: tower_actions::layer::HandleAction| {
        let record = record.clone();
        service_fn(move |request: Request<tower_actions::layer::GateBody>| {
            let cx = request
                .extensions()
                .get::<ActionContext>()
                .expect("a context")
                .clone();
            record
                .lock()
                .unwrap()
                .push((cx.name().to_owned(), cx.called_from(), cx.exists()));
            inner.clone().oneshot(request)
        })
    });
    let app = ActionsLayer::new(Actions::new().add(Counter::default()))
        .middleware(gate)
        .layer(service_fn(page_echo));
    send(app.clone(), post("/_actions/counter", &json_headers(), b""))
        .await
        .assert(200, Some("application/json+devalue"), "[1]");
    send(
        app.clone(),
        post("/p?_action=counter", &json_headers(), b""),
    )
    .await;
    send(app.clone(), post("/_actions/nope", &json_headers(), b"")).await;
    send(app, Request::get("/p").body(Full::default()).unwrap()).await;
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("counter".to_owned(), CalledFrom::Rpc, true),
            ("counter".to_owned(), CalledFrom::Form, true),
            ("nope".to_owned(), CalledFrom::Rpc, false),
        ]
    );
}

#[tokio::test]
async fn a_gate_vetoes_admin_actions_and_the_action_never_runs() {
    let before = gating::STATS_RUNS.load(Ordering::SeqCst);
    for _ in 0..3 {
        send(
            gating::app(),
            post("/_actions/admin.stats", &json_headers(), b"{}"),
        )
        .await
        .assert(401, Some("application/json"), UNAUTHORIZED);
    }
    let mut headers = json_headers();
    headers.push(("x-admin", "0"));
    send(
        gating::app(),
        post("/_actions/admin.stats", &headers, b"{}"),
    )
    .await
    .assert(401, Some("application/json"), UNAUTHORIZED);
    // A form call is gated the same way: the gate answers instead of the page.
    send(
        gating::app(),
        post("/?_action=admin.stats", &json_headers(), b"{}"),
    )
    .await
    .assert(401, Some("application/json"), UNAUTHORIZED);
    assert_eq!(
        gating::STATS_RUNS.load(Ordering::SeqCst),
        before,
        "a vetoed action ran"
    );

    headers.pop();
    headers.push(("x-admin", "1"));
    send(
        gating::app(),
        post("/_actions/admin.stats", &headers, b"{}"),
    )
    .await
    .assert(200, Some("application/json+devalue"), r#"[{"ok":1},true]"#);
    assert!(gating::STATS_RUNS.load(Ordering::SeqCst) > before);
    // Other actions are not gated.
    send(
        gating::app(),
        post("/_actions/greet", &json_headers(), br#"{"name":"Ada"}"#),
    )
    .await
    .assert(200, Some("application/json+devalue"), r#"["Hello, Ada!"]"#);
}

/// A gate that runs the handler itself, then passes the request on, optionally storing the
/// result first.
fn running_gate(
    store: bool,
) -> impl Layer<
    tower_actions::layer::HandleAction,
    Service = impl tower::Service<
        Request<tower_actions::layer::GateBody>,
        Response = Response<tower_actions::layer::GateBody>,
        Error = Infallible,
        Future = impl Send,
    > + Clone
              + Send
              + Sync,
> + Clone {
    tower::layer::layer_fn(move |inner: tower_actions::layer::HandleAction| {
        service_fn(move |request: Request<tower_actions::layer::GateBody>| {
            let inner = inner.clone();
            async move {
                let cx = request.extensions().get::<ActionContext>().unwrap().clone();
                let result = cx.handler().await;
                if store {
                    cx.set_action_result(cx.name().to_owned(), result);
                }
                inner.oneshot(request).await
            }
        })
    })
}

#[tokio::test]
async fn the_handler_never_runs_twice_in_one_request() {
    for store in [false, true] {
        let counter = Counter::default();
        let runs = counter.0.clone();
        let app = ActionsLayer::new(Actions::new().add(counter))
            .middleware(running_gate(store))
            .layer(service_fn(page_echo));
        // RPC: the answer is the one run's result (Astro runs it twice, or answers 404).
        send(app.clone(), post("/_actions/counter", &json_headers(), b""))
            .await
            .assert(200, Some("application/json+devalue"), "[1]");
        assert_eq!(runs.load(Ordering::SeqCst), 1, "store={store}");
        // Form: the page sees the one run's result.
        send(app, post("/?_action=counter", &json_headers(), b"")).await.assert(
            200,
            None,
            r#"counter {"type":"data","status":200,"contentType":"application/json+devalue","body":"[2]"}"#,
        );
        assert_eq!(runs.load(Ordering::SeqCst), 2, "store={store}");
    }
}

#[tokio::test]
async fn a_result_set_by_a_gate_is_what_the_call_answers() {
    let counter = Counter::default();
    let runs = counter.0.clone();
    let gate = tower::layer::layer_fn(|inner: tower_actions::layer::HandleAction| {
        service_fn(move |request: Request<tower_actions::layer::GateBody>| {
            let cx = request.extensions().get::<ActionContext>().unwrap().clone();
            cx.set_action_result(
                cx.name().to_owned(),
                cx.serialize_action_result::<()>(&Err(ActionError::new(
                    ActionErrorCode::Locked,
                    "maintenance",
                ))),
            );
            inner.clone().oneshot(request)
        })
    });
    let app = ActionsLayer::new(Actions::new().add(counter))
        .middleware(gate)
        .layer(service_fn(page_echo));
    send(app.clone(), post("/_actions/counter", &json_headers(), b""))
        .await
        .assert(
            423,
            Some("application/json"),
            r#"{"type":"AstroActionError","code":"LOCKED","status":423,"message":"maintenance"}"#,
        );
    let answer = send(app, post("/?_action=counter", &json_headers(), b"")).await;
    assert_eq!(answer.status, 423);
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_failing_gate_is_a_500_for_that_request_only() {
    let gate = tower::layer::layer_fn(|inner: tower_actions::layer::HandleAction| {
        service_fn(move |request: Request<tower_actions::layer::GateBody>| {
            let inner = inner.clone();
            async move {
                if request.headers().contains_key("x-fail") {
                    return Err::<Response<tower_actions::layer::GateBody>, _>(
                        std::io::Error::other("gate down"),
                    );
                }
                Ok(inner.oneshot(request).await.unwrap())
            }
        })
    });
    let app = ActionsLayer::new(Actions::new().add(Counter::default()))
        .middleware(gate)
        .layer(service_fn(page_echo));
    let mut headers = json_headers();
    headers.push(("x-fail", "1"));
    send(app.clone(), post("/_actions/counter", &headers, b""))
        .await
        .assert(500, Some("application/json"), r#"{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","status":500,"message":"Internal server error"}"#);
    send(app, post("/_actions/counter", &json_headers(), b""))
        .await
        .assert(200, Some("application/json+devalue"), "[1]");
}

#[derive(Clone, Debug, PartialEq)]
struct Outer(&'static str);
#[derive(Clone, Debug, PartialEq)]
struct FromHandler(String);

struct Locals;

impl Action for Locals {
    const NAME: &'static str = "locals";
    type Input = RawJson;
    type Output = String;
    async fn handle(&self, _: RawJson, cx: &mut ActionApiContext) -> Result<String, ActionError> {
        let outer = cx.local::<Outer>().map_or("none", |o| o.0).to_owned();
        cx.extensions_mut()
            .insert(FromHandler(format!("saw {outer}")));
        cx.set_cookie(cookie::Cookie::new("flash", "done"));
        Ok(outer)
    }
}

#[tokio::test]
async fn locals_flow_from_outer_middleware_to_the_handler_to_the_page() {
    let page = service_fn(|request: Request<RequestBody<Full<Bytes>>>| async move {
        let from_handler = request
            .extensions()
            .get::<FromHandler>()
            .map(|f| f.0.clone());
        let outer = request.extensions().get::<Outer>().map(|o| o.0);
        let body = request.into_body().collect().await.unwrap().to_bytes();
        let text = format!(
            "{from_handler:?} {outer:?} body={}",
            String::from_utf8_lossy(&body)
        );
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(text))))
    });
    let app = ActionsLayer::new(Actions::new().add(Locals)).layer(page);
    let mut request = post("/page?_action=locals", &json_headers(), br#"{"x":1}"#);
    request.extensions_mut().insert(Outer("outer"));
    let answer = send(app.clone(), request).await;
    answer.assert(200, None, r#"Some("saw outer") Some("outer") body={"x":1}"#);
    assert_eq!(answer.headers["set-cookie"], "flash=done");

    let mut request = post("/_actions/locals", &json_headers(), b"");
    request.extensions_mut().insert(Outer("outer"));
    let answer = send(app, request).await;
    answer.assert(200, Some("application/json+devalue"), r#"["outer"]"#);
    assert_eq!(answer.headers["set-cookie"], "flash=done");
}

/// What a page sees of a form action: the payload, the context if it found one (asked for the
/// result again: the action must not run twice), the request's own parts and extensions, the
/// handler's locals, the body and the answer's headers.
async fn page_view(
    request: Request<RequestBody<Full<Bytes>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let cx = request.extensions().get::<ActionContext>().cloned();
    let context = match cx {
        None => "no context".to_owned(),
        Some(cx) => format!(
            "{} {:?} {} {}",
            cx.name(),
            cx.called_from(),
            cx.exists(),
            serde_json::to_string(&cx.handler().await).unwrap()
        ),
    };
    let payload = request.extensions().get::<ActionPayload>().cloned();
    let seen = format!(
        "{context} | {:?} | {} {} {:?} {:?} | {:?} {:?}",
        payload,
        request.method(),
        request.uri(),
        request.headers().get("x-kept"),
        request.headers().get("content-length"),
        request.extensions().get::<FromHandler>(),
        request.extensions().get::<Outer>(),
    );
    let body = request.into_body().collect().await.unwrap().to_bytes();
    let text = format!("{seen} | body={}", String::from_utf8_lossy(&body));
    Ok(Response::new(Full::new(Bytes::from(text))))
}

/// Without gates, a form action runs directly (no gate stack); the page must see exactly what
/// it sees through a stack of one gate that lets every request through.
#[tokio::test]
async fn without_gates_a_page_sees_what_a_pass_through_gate_stack_gives_it() {
    let pass = tower::layer::layer_fn(|inner: tower_actions::layer::HandleAction| inner);
    let (one_counter, other_counter) = (Counter::default(), Counter::default());
    let actions = |counter: &Counter| {
        Actions::new()
            .add(Locals)
            .add(counter.clone())
            .add(parity::Subscribe)
    };
    let direct = ActionsLayer::new(actions(&one_counter)).layer(service_fn(page_view));
    let gated = ActionsLayer::new(actions(&other_counter))
        .middleware(pass)
        .layer(service_fn(page_view));
    let form = [
        SAME_ORIGIN[0],
        SAME_ORIGIN[1],
        ("content-type", "application/x-www-form-urlencoded"),
        ("x-kept", "1"),
    ];
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [u8]);
    let cases: Vec<Case> = vec![
        ("/page?_action=locals", json_headers(), br#"{"x":1}"#),
        ("/p/q?a=1&_action=counter&b=2", json_headers(), b""),
        (
            "/?_action=subscribe",
            form.to_vec(),
            b"email=ada%40example.com",
        ),
        ("/?_action=subscribe", form.to_vec(), b"email=nope&other=1"),
        ("/?_action=sub%73cribe", form.to_vec(), b"email=a%40b.co"),
        ("/?_action=nope", form.to_vec(), b"email=a%40b.co"),
        (
            "/?_action=subscribe",
            json_headers(),
            br#"{"email":"a@b.co"}"#,
        ),
    ];
    for (uri, headers, body) in cases {
        let request = |headers: &[(&str, &str)]| {
            let mut request = post(uri, headers, body);
            request.extensions_mut().insert(Outer("outer"));
            request
        };
        let one = send(direct.clone(), request(&headers)).await;
        let other = send(gated.clone(), request(&headers)).await;
        assert_eq!(one.status, other.status, "{uri}");
        assert_eq!(one.headers, other.headers, "{uri}");
        assert_eq!(one.body, other.body, "{uri}");
        // The page reads the payload; as in Astro (`getActionContext()` has no action once the
        // result is set), it finds no `ActionContext`, with gates or without.
        let seen = String::from_utf8_lossy(&one.body);
        assert!(seen.starts_with("no context | Some("), "{uri}: {seen}");
    }
    // The counter's one call ran the action once.
    assert_eq!(one_counter.0.load(Ordering::SeqCst), 1);
    assert_eq!(other_counter.0.load(Ordering::SeqCst), 1);
}

/// What a page gets of the submission: the payload's submitted text values (in order,
/// repeated names kept, decoded, file parts left out) and the body as read, with and without
/// gates, for a form that passes, one that fails validation, a multipart form with a file, a
/// JSON body and an unknown action.
#[tokio::test]
async fn a_page_gets_the_submitted_values_and_the_body_as_read() {
    async fn page_inputs(
        request: Request<RequestBody<Full<Bytes>>>,
    ) -> Result<Response<Full<Bytes>>, Infallible> {
        let input = request
            .extensions()
            .get::<ActionPayload>()
            .map(|payload| payload.input.clone());
        let length = request.headers().get("content-length").cloned();
        let body = request.into_body().collect().await.unwrap().to_bytes();
        let text = format!(
            "{input:?} {length:?} body={}",
            String::from_utf8_lossy(&body)
        );
        Ok(Response::new(Full::new(Bytes::from(text))))
    }
    let actions = || {
        Actions::new()
            .add(Locals)
            .add(parity::Subscribe)
            .add(parity::RawForm)
    };
    let pass = tower::layer::layer_fn(|inner: tower_actions::layer::HandleAction| inner);
    let direct = ActionsLayer::new(actions()).layer(service_fn(page_inputs));
    let gated = ActionsLayer::new(actions())
        .middleware(pass)
        .layer(service_fn(page_inputs));
    let form = |content_type| {
        vec![
            SAME_ORIGIN[0],
            SAME_ORIGIN[1],
            ("content-type", content_type),
        ]
    };
    let boundary = "multipart/form-data; boundary=XyZ";
    let multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
        --XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\
        Content-Type: text/plain\r\n\r\nfile text\r\n\
        --XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2 %40\r\n--XyZ--\r\n";
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [u8], &'a str);
    let cases: Vec<Case> = vec![
        (
            "/?_action=rawForm",
            form("application/x-www-form-urlencoded"),
            b"b=2&a=1&b=3&e=%40+x&empty=&=v",
            r#"Some([("b", "2"), ("a", "1"), ("b", "3"), ("e", "@ x"), ("empty", ""), ("", "v")]) Some("29") body=b=2&a=1&b=3&e=%40+x&empty=&=v"#,
        ),
        (
            "/?_action=subscribe",
            form("application/x-www-form-urlencoded"),
            b"email=nope&other=1",
            r#"Some([("email", "nope"), ("other", "1")]) Some("18") body=email=nope&other=1"#,
        ),
        (
            "/?_action=rawForm",
            form(boundary),
            multipart.as_bytes(),
            r#"Some([("a", "1"), ("a", "2 %40")]) None body="#,
        ),
        (
            "/?_action=locals",
            json_headers(),
            br#"{"x":1}"#,
            r#"Some([]) Some("7") body={"x":1}"#,
        ),
        (
            "/?_action=nope",
            form("application/x-www-form-urlencoded"),
            b"a=1",
            r#"Some([]) None body="#,
        ),
    ];
    for (uri, headers, body, expected) in cases {
        for app in [direct.clone(), gated.clone()] {
            let mut request = post(uri, &headers, body);
            request
                .headers_mut()
                .insert("content-length", body.len().to_string().parse().unwrap());
            let answer = send(app, request).await;
            assert_eq!(answer.text(), expected, "{uri}");
        }
    }
}

#[tokio::test]
async fn works_with_a_bare_hyper_service_fn_over_a_real_connection() {
    use hyper::server::conn::http1;
    use hyper_util::rt::TokioIo;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let service = ActionsLayer::new(parity::actions()).layer(service_fn(
        |request: Request<RequestBody<hyper::body::Incoming>>| async move {
            let result = tower_actions::action_result::<parity::Greet, _>(&request);
            let text = match result {
                Some(Ok(greeting)) => greeting,
                Some(Err(err)) => format!("error {}", err.code()),
                None => "plain page".to_owned(),
            };
            Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(text))))
        },
    ));
    let server = tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let service = hyper_util::service::TowerToHyperService::new(service.clone());
            tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), service));
        }
    });
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<Bytes>>();
    let request = |path: &str, body: &'static str| {
        Request::post(format!("http://{address}{path}"))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from_static(body.as_bytes())))
            .unwrap()
    };
    let response = client
        .request(request("/_actions/greet", r#"{"name":"Ada"}"#))
        .await
        .unwrap();
    assert_eq!(
        response.into_body().collect().await.unwrap().to_bytes(),
        r#"["Hello, Ada!"]"#
    );
    let response = client
        .request(request("/hello?_action=greet", r#"{"name":"Bo"}"#))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.into_body().collect().await.unwrap().to_bytes(),
        "Hello, Bo!"
    );
    let response = client
        .request(request("/hello?_action=greet", r#"{"name":""}"#))
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.into_body().collect().await.unwrap().to_bytes(),
        "error BAD_REQUEST"
    );
    let response = client
        .get(format!("http://{address}/hello").parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        response.into_body().collect().await.unwrap().to_bytes(),
        "plain page"
    );
    server.abort();
}

#[tokio::test]
async fn serialize_and_deserialize_round_trip_results() {
    let data = SerializedActionResult::from_result::<u32>(&Ok(42), false);
    assert_eq!(data.deserialize::<u32>().unwrap(), 42);
    let empty = SerializedActionResult::from_result::<()>(&Ok(()), false);
    assert_eq!(empty, SerializedActionResult::Empty);
    assert_eq!(
        serde_json::to_string(&empty).unwrap(),
        r#"{"type":"empty","status":204}"#
    );
    let input = SerializedActionResult::from_result::<()>(
        &Err(ActionError::input(vec![
            tower_actions::error::Issue::invalid_type(vec!["comment".into()], "Required"),
        ])),
        false,
    );
    assert_eq!(input.status(), 400);
    let err = input.deserialize::<()>().unwrap_err();
    assert!(err.is_input_error());
    assert_eq!(err.as_input_error().unwrap().field("comment"), ["Required"]);
    for (code, status) in [
        (ActionErrorCode::BadRequest, 400),
        (ActionErrorCode::NotFound, 404),
        (ActionErrorCode::InternalServerError, 500),
        (ActionErrorCode::ContentTooLarge, 413),
        (ActionErrorCode::UnsupportedMediaType, 415),
    ] {
        let stored =
            SerializedActionResult::from_result::<()>(&Err(ActionError::from_code(code)), false);
        assert_eq!(stored.status().as_u16(), status);
        assert_eq!(stored.deserialize::<()>().unwrap_err().code(), code);
    }
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn the_axum_extractor_gives_the_typed_result_of_that_action_only() {
    use axum::routing::post as route_post;
    use tower_actions::extract::ActionResult;

    async fn page(
        ActionResult(greet): ActionResult<parity::Greet>,
        ActionResult(sum): ActionResult<parity::Sum>,
    ) -> String {
        format!("{greet:?} {}", sum.is_some())
    }
    let app = axum::Router::new()
        .route("/", route_post(page))
        .layer(ActionsLayer::new(parity::actions()));
    send(
        app.clone(),
        post("/?_action=greet", &json_headers(), br#"{"name":"Ada"}"#),
    )
    .await
    .assert(
        200,
        Some("text/plain; charset=utf-8"),
        r#"Some(Ok("Hello, Ada!")) false"#,
    );
    let answer = send(
        app,
        post("/?_action=greet", &json_headers(), br#"{"name":""}"#),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert!(
        answer
            .text()
            .starts_with("Some(Err(ActionError { code: BadRequest"),
        "{}",
        answer.text()
    );
}
