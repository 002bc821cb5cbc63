//! Faults (issue 9): panicking and never-finishing handlers, a failing result store, Redis
//! stopped mid-test. Each fault answers a clear result for its own request only; no other
//! request's result is lost or mixed up.

use crate::common;
use crate::sessions;

use crate::parity;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use common::{Answer, RedisServer, post, send};
use http::request::Parts;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use tower_actions::persist::{
    CookieResults, ResultStore, SessionResults, StoreError, StoreFuture, StoredResult,
};
use tower_actions::{Action, ActionApiContext, ActionError, ActionsLayer, RawJson};

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const SECRET: &[u8; 64] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

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

/// A browser's cookie jar, just enough for these tests.
#[derive(Default, Debug)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn absorb(&mut self, headers: &HeaderMap) {
        for value in headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.to_ascii_lowercase().contains("max-age=0") {
                self.0.remove(name.trim());
            } else {
                self.0
                    .insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn request(&self, mut request: Request<Full<Bytes>>) -> Request<Full<Bytes>> {
        if !self.0.is_empty() {
            request
                .headers_mut()
                .insert("cookie", self.header().parse().unwrap());
        }
        request
    }
}

fn subscribe(email: &str, jar: &Jar) -> Request<Full<Bytes>> {
    jar.request(post(
        "/?_action=subscribe",
        &[
            ("host", "example.test"),
            ("origin", "http://example.test"),
            ("content-type", FORM),
        ],
        format!("email={}", email.replace('@', "%40")).as_bytes(),
    ))
}

fn get(path: &str, jar: &Jar) -> Request<Full<Bytes>> {
    jar.request(
        Request::get(path)
            .header("host", "example.test")
            .body(Full::default())
            .unwrap(),
    )
}

fn subscribe_line(answer: &Answer) -> &str {
    let text = answer.text();
    let start = text.find(r#"<p id="subscribe-result">"#).expect("the page");
    let rest = &text[start..];
    &rest[rest.find('>').unwrap() + 1..rest.find("</p>").unwrap()]
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
        result: &'a StoredResult,
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
    ) -> StoreFuture<'a, Result<Option<StoredResult>, StoreError>> {
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
                assert_eq!(subscribe_line(&answer), shows(&email), "{i}");
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
                assert_eq!(subscribe_line(&page), "subscribe: none", "{i}");
                // The result is still there for the next try.
                let page = send(app, get("/", &jar)).await;
                assert_eq!(subscribe_line(&page), shows(&email), "{i}");
                return;
            }
            let page = send(app, request).await;
            assert_eq!(page.status, StatusCode::OK, "{i}");
            assert_eq!(subscribe_line(&page), shows(&email), "{i}");
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
}

/// An app whose sessions live in the Redis on `port`, its pool configured as the guide and
/// `examples/sessions.rs` teach.
async fn redis_app(port: u16) -> axum::Router {
    use tower_sessions_redis_store::RedisStore;
    use tower_sessions_redis_store::fred::prelude::ClientLike;

    let pool = sessions::redis_pool(&format!("redis://127.0.0.1:{port}")).unwrap();
    pool.init().await.unwrap();
    parity::routes()
        .layer(parity::layer().persist(SessionResults::new()))
        .layer(tower_sessions::SessionManagerLayer::new(RedisStore::new(pool)).with_secure(false))
}

async fn serve(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

async fn fetch(address: SocketAddr, request: Request<Full<Bytes>>) -> Answer {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<Bytes>>();
    let (mut parts, body) = request.into_parts();
    parts.uri = format!("http://{address}{}", parts.uri).parse().unwrap();
    let response = tokio::time::timeout(
        Duration::from_secs(10),
        client.request(Request::from_parts(parts, body)),
    )
    .await
    .expect("an answer within 10 s")
    .unwrap();
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}

/// One client's round: POST, follow the redirect, check it sees its own result only.
async fn round(address: SocketAddr, jar: &mut Jar, email: &str) -> (StatusCode, String) {
    let answer = fetch(address, subscribe(email, jar)).await;
    jar.absorb(&answer.headers);
    assert_ne!(answer.status, StatusCode::INTERNAL_SERVER_ERROR, "{email}");
    if answer.status == StatusCode::OK {
        // Not kept: in place.
        return (answer.status, subscribe_line(&answer).to_owned());
    }
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{email}");
    let page = fetch(address, get("/", jar)).await;
    jar.absorb(&page.headers);
    assert_ne!(page.status, StatusCode::INTERNAL_SERVER_ERROR, "{email}");
    (answer.status, subscribe_line(&page).to_owned())
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
            assert_eq!(subscribe_line(&page), "subscribe: none", "{i}");
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
    assert_eq!(subscribe_line(&answer), shows("a@b.co"));
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
