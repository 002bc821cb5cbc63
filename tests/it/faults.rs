//! Faults (issue 9): panicking and never-finishing handlers, a failing result store, Redis
//! stopped mid-test. Each fault answers a clear result for its own request only; no other
//! request's result is lost or mixed up.

use crate::common;

use crate::parity;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use common::stores::{Jar, SECRET, fetch, form_post, get, redis_app, serve};
use common::{RedisServer, post, send};
use http::request::Parts;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::Full;
use tower_actions::persist::{CookieResults, ResultStore, StoreError, StoreFuture};
use tower_actions::{
    Action, ActionApiContext, ActionError, ActionPayload, ActionsLayer, input::RawJson,
};

const JSON: &str = "application/json";

struct Panics;

impl Action for Panics {
    const NAME: &'static str = "panics";
    type Input = RawJson;
    type Output = ();
    async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<(), ActionError> {
        tokio::task::yield_now().await;
        panic!("handler bug")
    }
}

/// Never finishes.
struct Hangs;

impl Action for Hangs {
    const NAME: &'static str = "hangs";
    type Input = RawJson;
    type Output = ();
    async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<(), ActionError> {
        std::future::pending().await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_mixing_panics_each_get_their_own_result() {
    let app = parity::routes().layer(ActionsLayer::new(parity::actions().add(Panics)));
    let mut tasks = Vec::new();
    for i in 0..50 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let request = if i % 3 == 0 {
                post("/_actions/panics", &[("content-type", JSON)], b"{}")
            } else {
                post(
                    "/_actions/greet",
                    &[("content-type", JSON)],
                    format!(r#"{{"name":"client {i}"}}"#).as_bytes(),
                )
            };
            (i, send(app, request).await)
        }));
    }
    for task in tasks {
        let (i, answer) = task.await.expect("the task itself never panics");
        if i % 3 == 0 {
            answer.assert(
                500,
                Some(JSON),
                r#"{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","status":500,"message":"Internal server error"}"#,
            );
        } else {
            answer.assert(
                200,
                Some("application/json+devalue"),
                &format!(r#"["Hello, client {i}!"]"#),
            );
        }
    }
}

/// The guide's composition: tower-http's `TimeoutLayer` around the app bounds every request,
/// actions included.
fn timed_app() -> axum::Router {
    parity::routes()
        .layer(ActionsLayer::new(parity::actions().add(Hangs)))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_millis(200),
        ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_that_never_finishes_is_cut_by_a_timeout_layer_and_others_keep_working() {
    let app = timed_app();
    let hung = tokio::spawn(send(
        app.clone(),
        post("/_actions/hangs", &[("content-type", JSON)], b"{}"),
    ));
    // Meanwhile, others are served at once.
    for i in 0..10 {
        let answer = tokio::time::timeout(
            Duration::from_secs(1),
            send(
                app.clone(),
                post(
                    "/_actions/greet",
                    &[("content-type", JSON)],
                    format!(r#"{{"name":"{i}"}}"#).as_bytes(),
                ),
            ),
        )
        .await
        .expect("a good call is not held up by a hung one");
        answer.assert(
            200,
            Some("application/json+devalue"),
            &format!(r#"["Hello, {i}!"]"#),
        );
    }
    let answer = tokio::time::timeout(Duration::from_secs(5), hung)
        .await
        .expect("the timeout layer answers")
        .unwrap();
    assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
    assert!(answer.body.is_empty());
    // And after it.
    send(
        app,
        post(
            "/_actions/greet",
            &[("content-type", JSON)],
            br#"{"name":"after"}"#,
        ),
    )
    .await
    .assert(
        200,
        Some("application/json+devalue"),
        r#"["Hello, after!"]"#,
    );
}

fn subscribe(email: &str, jar: &Jar) -> Request<Full<Bytes>> {
    form_post(
        "/?_action=subscribe",
        &format!("email={}", email.replace('@', "%40")),
        jar,
    )
}

fn shows(email: &str) -> String {
    format!("subscribe: data {{&quot;email&quot;:&quot;{email}&quot;,&quot;subscribed&quot;:true}}")
}

/// The cookie store, except that it fails to save for clients whose email starts with
/// `nosave` and fails to give back for clients that send `x-fail-take`.
struct Flaky(CookieResults);

impl ResultStore for Flaky {
    fn may_hold(&self, headers: &HeaderMap) -> bool {
        self.0.may_hold(headers)
    }

    fn save<'a>(
        &'a self,
        request: &'a Parts,
        result: &'a ActionPayload,
        response: &'a mut HeaderMap,
    ) -> StoreFuture<'a, Result<(), StoreError>> {
        if result.input.iter().any(|(_, v)| v.starts_with("nosave")) {
            return Box::pin(async { Err(StoreError::Unavailable("the store is down".into())) });
        }
        self.0.save(request, result, response)
    }

    fn take<'a>(
        &'a self,
        request: &'a Parts,
        response: &'a mut HeaderMap,
    ) -> StoreFuture<'a, Result<Option<ActionPayload>, StoreError>> {
        if request.headers.contains_key("x-fail-take") {
            return Box::pin(async { Err(StoreError::Unavailable("the store is down".into())) });
        }
        self.0.take(request, response)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_store_fails_only_its_own_request_and_results_never_mix() {
    let app = parity::routes()
        .layer(parity::layer().persist(Flaky(CookieResults::from_secret(SECRET).unwrap())));
    let mut clients = Vec::new();
    for i in 0..24 {
        let app = app.clone();
        clients.push(tokio::spawn(async move {
            let mut jar = Jar::default();
            let email = match i % 3 {
                0 => format!("nosave{i}@b.co"),
                _ => format!("client{i}@b.co"),
            };
            let answer = send(app.clone(), subscribe(&email, &jar)).await;
            if i % 3 == 0 {
                // Not kept: rendered in place, with this client's own result.
                assert_eq!(answer.status, StatusCode::OK, "{i}");
                assert_eq!(answer.page_line("subscribe-result"), shows(&email), "{i}");
                return;
            }
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{i}");
            jar.absorb(&answer.headers);
            tokio::task::yield_now().await;
            let mut request = get("/", &jar);
            if i % 3 == 2 {
                // Cannot be given back: the page renders without it, never a 500.
                request
                    .headers_mut()
                    .insert("x-fail-take", "1".parse().unwrap());
                let page = send(app.clone(), request).await;
                assert_eq!(page.status, StatusCode::OK, "{i}");
                assert_eq!(page.page_line("subscribe-result"), "subscribe: none", "{i}");
                // The result is still there for the next try.
                let page = send(app, get("/", &jar)).await;
                assert_eq!(page.page_line("subscribe-result"), shows(&email), "{i}");
                return;
            }
            let page = send(app, request).await;
            assert_eq!(page.status, StatusCode::OK, "{i}");
            assert_eq!(page.page_line("subscribe-result"), shows(&email), "{i}");
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
}

/// One client's round: POST, follow the redirect, check it sees its own result only.
async fn round(address: SocketAddr, jar: &mut Jar, email: &str) -> (StatusCode, String) {
    let answer = fetch(address, subscribe(email, jar)).await;
    jar.absorb(&answer.headers);
    assert_ne!(answer.status, StatusCode::INTERNAL_SERVER_ERROR, "{email}");
    if answer.status == StatusCode::OK {
        // Not kept: in place.
        return (
            answer.status,
            answer.page_line("subscribe-result").to_owned(),
        );
    }
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{email}");
    let page = fetch(address, get("/", jar)).await;
    jar.absorb(&page.headers);
    assert_ne!(page.status, StatusCode::INTERNAL_SERVER_ERROR, "{email}");
    (answer.status, page.page_line("subscribe-result").to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_stopped_mid_test_fails_only_the_requests_that_need_it() {
    let mut redis = RedisServer::start();
    let address = serve(redis_app(redis.port).await).await;
    let mut jars: Vec<Jar> = (0..8).map(|_| Jar::default()).collect();
    // Every client gets a session while Redis is up.
    for jar in &mut jars {
        let warm = fetch(address, get("/", jar)).await;
        jar.absorb(&warm.headers);
    }
    // Interleaved rounds from distinct clients, Redis up: each sees its own result.
    let mut rounds = Vec::new();
    for (i, mut jar) in jars.into_iter().enumerate() {
        rounds.push(tokio::spawn(async move {
            let email = format!("up{i}@b.co");
            let (status, line) = round(address, &mut jar, &email).await;
            assert_eq!((status, line), (StatusCode::SEE_OTHER, shows(&email)));
            jar
        }));
    }
    let mut jars = Vec::new();
    for handle in rounds {
        jars.push(handle.await.unwrap());
    }
    redis.stop();
    // Redis down: the result cannot be kept, each client sees its own in place; never a 500,
    // never another's.
    let mut rounds = Vec::new();
    for (i, mut jar) in jars.into_iter().enumerate() {
        rounds.push(tokio::spawn(async move {
            let email = format!("down{i}@b.co");
            let (status, line) = round(address, &mut jar, &email).await;
            assert_eq!((status, line), (StatusCode::OK, shows(&email)), "{i}");
            let page = fetch(address, get("/", &jar)).await;
            assert_ne!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(page.page_line("subscribe-result"), "subscribe: none", "{i}");
        }));
    }
    for handle in rounds {
        handle.await.unwrap();
    }
    let ping = fetch(
        address,
        Request::get("/ping").body(Full::default()).unwrap(),
    )
    .await;
    assert_eq!(ping.text(), "pong");
}

/// What a `tracing` subscriber prints, kept for the test to read.
#[derive(Clone, Default)]
struct LogLines(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogLines {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An operator sees why a result could not be kept: a warning with the store's reason, in the
/// log of a plain `tracing_subscriber::fmt` subscriber (what the examples install).
#[tokio::test(flavor = "current_thread")]
async fn a_result_redis_cannot_keep_is_logged_with_the_reason() {
    let mut redis = RedisServer::start();
    let app = redis_app(redis.port).await;
    redis.stop();
    let lines = LogLines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let answer = send(app, subscribe("a@b.co", &Jar::default())).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.page_line("subscribe-result"), shows("a@b.co"));
    let log = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    let warning = log
        .lines()
        .find(|line| line.contains("the action result could not be persisted"))
        .unwrap_or_else(|| panic!("no warning in the log:\n{log}"));
    assert!(warning.contains(" WARN "), "{warning}");
    assert!(warning.contains("action=subscribe"), "{warning}");
    // The reason: what failed, and Redis's own error.
    assert!(
        warning.contains("saving the session failed: ") && warning.contains("Timeout"),
        "{warning}"
    );
}
