//! POST/redirect/GET with persisted results (issue: persist form results), cookie and
//! session stores, across instances.

use crate::common;

use crate::parity;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use common::stores::{
    FORM, Jar, SECRET, cookie_app, fetch, form_post, get, redis_app, serve, session_app,
};
use common::{Answer, RedisServer, post, send};
use http::{Request, StatusCode};
use http_body_util::Full;
use tower_actions::persist::{
    CookieResults, Persist, ResultStore, SessionResults, StoreError, StoreFuture,
};
use tower_actions::{
    Action, ActionApiContext, ActionContext, ActionError, ActionPayload, Actions, input::RawJson,
};

#[tokio::test]
async fn a_form_post_redirects_and_the_next_get_shows_the_result_once() {
    let mut jar = Jar::default();
    let answer = send(
        cookie_app(),
        form_post("/?_action=subscribe", "email=a%40b.co", &jar),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.headers["location"], "/");
    assert!(answer.body.is_empty());
    let set_cookie = answer.headers["set-cookie"].to_str().unwrap();
    assert!(
        set_cookie.starts_with("tower-actions-result="),
        "{set_cookie}"
    );
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=60"] {
        assert!(
            set_cookie.contains(attribute),
            "{set_cookie} lacks {attribute}"
        );
    }
    assert!(
        !set_cookie.contains("a@b.co") && !set_cookie.contains("subscribe"),
        "the cookie is readable"
    );
    jar.absorb(&answer.headers);

    let page = send(cookie_app(), get("/", &jar)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.page_line("subscribe-result"),
        r#"subscribe: data {&quot;email&quot;:&quot;a@b.co&quot;,&quot;subscribed&quot;:true}"#
    );
    jar.absorb(&page.headers);
    assert!(jar.0.is_empty(), "the result cookie is cleared: {jar:?}");

    let refresh = send(cookie_app(), get("/", &jar)).await;
    assert_eq!(refresh.page_line("subscribe-result"), "subscribe: none");
}

#[tokio::test]
async fn an_input_error_comes_back_with_its_status_fields_and_typed_values() {
    let mut jar = Jar::default();
    let answer = send(
        cookie_app(),
        form_post(
            "/?_action=comment",
            "postId=p1&author=Ada+L&body=short",
            &jar,
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    jar.absorb(&answer.headers);
    let page = send(cookie_app(), get("/", &jar)).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.page_line("comment-result")
            .starts_with("comment: error BAD_REQUEST 400 fields={&quot;body&quot;:["),
        "{}",
        page.page_line("comment-result")
    );
    assert!(
        page.text()
            .contains(r#"<input name="author" value="Ada L" />"#)
    );
    assert!(
        page.text()
            .contains(r#"<textarea name="body">short</textarea>"#)
    );
}

#[tokio::test]
async fn the_redirect_keeps_the_query_without_action_or_goes_where_configured() {
    let jar = Jar::default();
    let answer = send(
        cookie_app(),
        form_post(
            "/?page=2&_action=subscribe&sort=asc",
            "email=a%40b.co",
            &jar,
        ),
    )
    .await;
    assert_eq!(answer.headers["location"], "/?page=2&sort=asc");
    let app =
        parity::routes().layer(parity::layer().persist(
            Persist::new(CookieResults::from_secret(SECRET).unwrap()).redirect_to("/thanks"),
        ));
    let answer = send(
        app,
        form_post("/?_action=subscribe", "email=a%40b.co", &jar),
    )
    .await;
    assert_eq!(
        (
            answer.status.as_u16(),
            answer.headers["location"].to_str().unwrap()
        ),
        (303, "/thanks")
    );
}

struct SetsLocation;

impl Action for SetsLocation {
    const NAME: &'static str = "go";
    type Input = RawJson;
    type Output = ();
    async fn handle(&self, _: RawJson, cx: &mut ActionApiContext) -> Result<(), ActionError> {
        cx.response_headers_mut()
            .insert("location", "/elsewhere".parse().unwrap());
        Ok(())
    }
}

#[tokio::test]
async fn a_location_set_by_the_handler_is_kept() {
    let app = parity::routes().layer(
        tower_actions::ActionsLayer::new(Actions::new().add(SetsLocation))
            .persist(CookieResults::from_secret(SECRET).unwrap()),
    );
    let headers = [("host", "example.test"), ("origin", "http://example.test")];
    let answer = send(app, post("/?_action=go", &headers, b"")).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.headers.get_all("location").iter().count(), 1);
    assert_eq!(answer.headers["location"], "/elsewhere");
}

#[tokio::test]
async fn rpc_calls_are_never_redirected() {
    let headers = [
        ("host", "example.test"),
        ("origin", "http://example.test"),
        ("content-type", FORM),
    ];
    send(
        cookie_app(),
        post("/_actions/subscribe", &headers, b"email=a%40b.co"),
    )
    .await
    .assert(
        200,
        Some("application/json+devalue"),
        r#"[{"email":1,"subscribed":2},"a@b.co",true]"#,
    );
}

struct Big;

impl Action for Big {
    const NAME: &'static str = "big";
    type Input = RawJson;
    type Output = String;
    async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<String, ActionError> {
        Ok("x".repeat(5000))
    }
}

#[tokio::test]
async fn a_result_too_large_for_a_cookie_renders_in_place() {
    let page = tower::service_fn(
        |request: Request<tower_actions::layer::RequestBody<Full<Bytes>>>| async move {
            let len = tower_actions::action_result::<Big, _>(&request).map(|r| r.unwrap().len());
            Ok::<_, std::convert::Infallible>(http::Response::new(Full::new(Bytes::from(format!(
                "{len:?}"
            )))))
        },
    );
    let app = tower::Layer::layer(
        &tower_actions::ActionsLayer::new(Actions::new().add(Big))
            .persist(CookieResults::from_secret(SECRET).unwrap()),
        page,
    );
    let headers = [("host", "example.test"), ("origin", "http://example.test")];
    let answer = send(app, post("/?_action=big", &headers, b"")).await;
    answer.assert(200, None, "Some(5000)");
    assert!(answer.headers.get("set-cookie").is_none());
}

/// A page that says which action context it got (and what its handler answers), and which
/// payload.
fn context_page() -> impl tower::Service<
    Request<tower_actions::layer::RequestBody<Full<Bytes>>>,
    Response = http::Response<Full<Bytes>>,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Clone
+ Send
+ 'static {
    tower::service_fn(
        |request: Request<tower_actions::layer::RequestBody<Full<Bytes>>>| async move {
            let cx = request.extensions().get::<ActionContext>().cloned();
            let context = match cx {
                Some(cx) => format!(
                    "{} {:?} {}",
                    cx.name(),
                    cx.called_from(),
                    cx.handler().await.body().map_or(0, str::len)
                ),
                None => "no context".to_owned(),
            };
            let payload = match request.extensions().get::<ActionPayload>() {
                Some(payload) => format!(
                    "{} {}",
                    payload.name,
                    payload.result.body().map_or(0, str::len)
                ),
                None => "no payload".to_owned(),
            };
            let seen = format!("{context} | {payload}");
            Ok::<_, std::convert::Infallible>(http::Response::new(Full::new(Bytes::from(seen))))
        },
    )
}

/// A gate stack of one gate that lets every request through.
fn pass_gate()
-> impl tower::Layer<tower_actions::layer::HandleAction, Service = tower_actions::layer::HandleAction>
+ Clone
+ Send
+ Sync
+ 'static {
    tower::layer::layer_fn(|inner: tower_actions::layer::HandleAction| inner)
}

/// Posts the `big` form action to [`context_page`] through a layer that keeps results with
/// `persist`, behind a gate stack of one pass-through gate or none.
async fn post_big(persist: impl Into<Persist>, gated: bool) -> Answer {
    let mut layer = tower_actions::ActionsLayer::new(Actions::new().add(Big)).persist(persist);
    if gated {
        layer = layer.middleware(pass_gate());
    }
    let app = tower::Layer::layer(&layer, context_page());
    let headers = [("host", "example.test"), ("origin", "http://example.test")];
    send(app, post("/?_action=big", &headers, b"")).await
}

#[tokio::test]
async fn a_page_rendered_in_place_after_the_store_refused_gets_the_payload_not_an_action_context() {
    for gated in [false, true] {
        let answer = post_big(CookieResults::from_secret(SECRET).unwrap(), gated).await;
        // The devalue text of 5000 `x`: `["xxx…"]`.
        answer.assert(200, None, "no context | big 5004");
        assert!(answer.headers.get("set-cookie").is_none());
    }
}

/// A store of one's own that keeps nothing, and notes the action context of each save; with
/// `refuse`, every save fails (the page renders the result in place).
#[derive(Clone, Default)]
struct Noting(std::sync::Arc<std::sync::Mutex<Vec<String>>>, bool);

impl ResultStore for Noting {
    fn may_hold(&self, _: &http::HeaderMap) -> bool {
        false
    }

    fn save<'a>(
        &'a self,
        request: &'a http::request::Parts,
        payload: &'a ActionPayload,
        _: &'a mut http::HeaderMap,
    ) -> StoreFuture<'a, Result<(), StoreError>> {
        let seen = match request.extensions.get::<ActionContext>() {
            Some(cx) => format!("{} for {}", cx.name(), payload.name),
            None => format!("no context for {}", payload.name),
        };
        self.0.lock().unwrap().push(seen);
        let refuse = self.1;
        Box::pin(async move {
            if refuse {
                Err(StoreError::Invalid("refused".into()))
            } else {
                Ok(())
            }
        })
    }

    fn take<'a>(
        &'a self,
        _: &'a http::request::Parts,
        _: &'a mut http::HeaderMap,
    ) -> StoreFuture<'a, Result<Option<ActionPayload>, StoreError>> {
        Box::pin(async { Ok(None) })
    }
}

#[tokio::test]
async fn a_store_of_ones_own_sees_the_action_context_when_it_saves() {
    for gated in [false, true] {
        let store = Noting::default();
        let answer = post_big(store.clone(), gated).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(*store.0.lock().unwrap(), ["big for big"], "gated={gated}");
    }
}

#[tokio::test]
async fn when_a_store_of_ones_own_refuses_it_saw_the_context_and_the_page_gets_the_payload() {
    for gated in [false, true] {
        let store = Noting(Default::default(), true);
        let answer = post_big(store.clone(), gated).await;
        answer.assert(200, None, "no context | big 5004");
        assert_eq!(*store.0.lock().unwrap(), ["big for big"], "gated={gated}");
    }
}

async fn get_with_cookie(value: &str) -> Answer {
    let request = Request::get("/")
        .header("host", "example.test")
        .header("cookie", format!("tower-actions-result={value}"))
        .body(Full::default())
        .unwrap();
    send(cookie_app(), request).await
}

fn assert_ignored_and_cleared(answer: &Answer) {
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.page_line("subscribe-result"), "subscribe: none");
    let cleared = answer.headers["set-cookie"].to_str().unwrap();
    assert!(
        cleared.starts_with("tower-actions-result=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
}

#[tokio::test]
async fn a_tampered_forged_expired_or_undecodable_cookie_is_ignored_and_cleared() {
    let mut jar = Jar::default();
    let answer = send(
        cookie_app(),
        form_post("/?_action=subscribe", "email=a%40b.co", &jar),
    )
    .await;
    jar.absorb(&answer.headers);
    let sealed = jar.0["tower-actions-result"].clone();

    // Tampered: one character of the ciphertext changed.
    let mut tampered = sealed.clone().into_bytes();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    assert_ignored_and_cleared(&get_with_cookie(std::str::from_utf8(&tampered).unwrap()).await);

    // Forged: sealed with another key.
    let other = parity::routes()
        .layer(parity::layer().persist(CookieResults::from_secret(&[9u8; 64]).unwrap()));
    let forged = send(
        other,
        form_post("/?_action=subscribe", "email=a%40b.co", &Jar::default()),
    )
    .await;
    let mut forged_jar = Jar::default();
    forged_jar.absorb(&forged.headers);
    assert_ignored_and_cleared(&get_with_cookie(&forged_jar.0["tower-actions-result"]).await);

    // Undecodable: sealed with the right key, but not a stored result.
    let mut cookies = cookie::CookieJar::new();
    cookies
        .private_mut(&cookie::Key::from(SECRET))
        .add(cookie::Cookie::new("tower-actions-result", "not a result"));
    let garbage = cookies
        .get("tower-actions-result")
        .unwrap()
        .value()
        .to_owned();
    assert_ignored_and_cleared(&get_with_cookie(&garbage).await);

    // Plain nonsense.
    assert_ignored_and_cleared(&get_with_cookie("%%%").await);

    // Expired.
    let short = parity::routes().layer(
        parity::layer().persist(
            CookieResults::from_secret(SECRET)
                .unwrap()
                .max_age(Duration::from_secs(1)),
        ),
    );
    let answer = send(
        short,
        form_post("/?_action=subscribe", "email=a%40b.co", &Jar::default()),
    )
    .await;
    let mut expired = Jar::default();
    expired.absorb(&answer.headers);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_ignored_and_cleared(&get_with_cookie(&expired.0["tower-actions-result"]).await);
}

#[test]
fn a_short_secret_is_refused() {
    let err = CookieResults::from_secret(b"short").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the cookie secret has 5 bytes; it needs at least 64"
    );
}

/// POST to one instance, follow the redirect on the other: they behave as one.
async fn across_instances(first: SocketAddr, second: SocketAddr) {
    across_instances_with(first, second, &mut Jar::default()).await;
}

/// [`across_instances`] for a client with this cookie jar.
async fn across_instances_with(first: SocketAddr, second: SocketAddr, jar: &mut Jar) {
    // A first GET establishes a session where the store needs one.
    let warm = fetch(first, get("/", jar)).await;
    jar.absorb(&warm.headers);
    let answer = fetch(
        first,
        form_post(
            "/?_action=comment",
            "postId=p1&author=Ada&body=Hello+there%21",
            jar,
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    jar.absorb(&answer.headers);
    let location = answer.headers["location"].to_str().unwrap().to_owned();
    let page = fetch(second, get(&location, jar)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.page_line("comment-result"),
        "comment: data {&quot;postId&quot;:&quot;p1&quot;,&quot;author&quot;:&quot;Ada&quot;,&quot;body&quot;:&quot;Hello there!&quot;}"
    );
    jar.absorb(&page.headers);
    let refresh = fetch(first, get(&location, jar)).await;
    assert_eq!(refresh.page_line("comment-result"), "comment: none");
}

/// A result store under test: each [`Store::app`] is one more instance of the parity app
/// sharing this store's results (the same cookie key, the same memory store, the same Redis).
trait Store: Sized {
    async fn start() -> Self;
    async fn app(&self) -> axum::Router;
}

/// The encrypted cookie: instances share the key.
struct Cookie;

impl Store for Cookie {
    async fn start() -> Self {
        Cookie
    }
    async fn app(&self) -> axum::Router {
        cookie_app()
    }
}

/// `tower-sessions`' memory store: instances share the store.
struct Memory(tower_sessions::MemoryStore);

impl Store for Memory {
    async fn start() -> Self {
        Memory(tower_sessions::MemoryStore::default())
    }
    async fn app(&self) -> axum::Router {
        session_app(self.0.clone())
    }
}

/// `tower-sessions`' Redis store: instances share a `redis-server`.
struct Redis(RedisServer);

impl Store for Redis {
    async fn start() -> Self {
        Redis(RedisServer::start())
    }
    async fn app(&self) -> axum::Router {
        redis_app(self.0.port).await
    }
}

/// A form post answers 303 to the page; the next GET shows the result, the one after does not.
async fn the_result_shows_once_after_the_redirect<S: Store>() {
    let store = S::start().await;
    let mut jar = Jar::default();
    let answer = send(
        store.app().await,
        form_post("/?_action=subscribe", "email=a%40b.co", &jar),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.headers["location"], "/");
    assert!(answer.body.is_empty());
    jar.absorb(&answer.headers);
    assert!(!jar.header().contains("a@b.co"), "the cookie is readable");
    let page = send(store.app().await, get("/", &jar)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.page_line("subscribe-result"),
        r#"subscribe: data {&quot;email&quot;:&quot;a@b.co&quot;,&quot;subscribed&quot;:true}"#
    );
    jar.absorb(&page.headers);
    let refresh = send(store.app().await, get("/", &jar)).await;
    assert_eq!(refresh.page_line("subscribe-result"), "subscribe: none");
}

/// Two served instances sharing the store behave as one.
async fn two_instances_behave_as_one<S: Store>() {
    let store = S::start().await;
    let first = serve(store.app().await).await;
    let second = serve(store.app().await).await;
    across_instances(first, second).await;
}

/// The same POST/redirect/GET suite, once per result store.
macro_rules! store_suite {
    ($($module:ident: $store:ty),* $(,)?) => {$(
        mod $module {
            #[tokio::test]
            async fn the_result_shows_once_after_the_redirect() {
                super::the_result_shows_once_after_the_redirect::<$store>().await;
            }

            #[tokio::test]
            async fn two_instances_behave_as_one() {
                super::two_instances_behave_as_one::<$store>().await;
            }
        }
    )*};
}

store_suite! {
    cookie_store: super::Cookie,
    memory_store: super::Memory,
    redis_store: super::Redis,
}

#[tokio::test]
async fn the_session_store_keeps_results_in_the_session() {
    let app = session_app(tower_sessions::MemoryStore::default());
    let mut jar = Jar::default();
    let answer = send(
        app.clone(),
        form_post("/?_action=subscribe", "email=a%40b.co", &jar),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    jar.absorb(&answer.headers);
    assert!(jar.0.contains_key("id"), "a session cookie: {jar:?}");
    assert!(
        jar.0.contains_key("tower-actions-pending"),
        "the marker cookie: {jar:?}"
    );
    assert!(!jar.header().contains("a@b.co"));
    let page = send(app.clone(), get("/", &jar)).await;
    assert_eq!(
        page.page_line("subscribe-result"),
        r#"subscribe: data {&quot;email&quot;:&quot;a@b.co&quot;,&quot;subscribed&quot;:true}"#
    );
    jar.absorb(&page.headers);
    // Taken out once: even with the marker sent again, the session no longer holds it.
    jar.0.insert("tower-actions-pending".into(), "1".into());
    let refresh = send(app, get("/", &jar)).await;
    assert_eq!(refresh.page_line("subscribe-result"), "subscribe: none");
}

#[tokio::test]
async fn without_a_session_layer_the_result_renders_in_place() {
    let app = parity::routes().layer(parity::layer().persist(SessionResults::new()));
    let answer = send(
        app,
        form_post("/?_action=subscribe", "email=a%40b.co", &Jar::default()),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer
            .page_line("subscribe-result")
            .starts_with("subscribe: data")
    );
}

#[tokio::test]
async fn an_unreachable_redis_fails_that_request_only_and_never_with_a_500() {
    let mut redis = RedisServer::start();
    let address = serve(redis_app(redis.port).await).await;
    let mut jar = Jar::default();
    let warm = fetch(address, get("/", &jar)).await;
    jar.absorb(&warm.headers);
    redis.stop();
    let answer = fetch(
        address,
        form_post("/?_action=subscribe", "email=a%40b.co", &jar),
    )
    .await;
    // The result cannot be kept: the page renders it in place instead.
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{:?} {}",
        answer.headers,
        answer.text()
    );
    assert_eq!(
        answer.page_line("subscribe-result"),
        r#"subscribe: data {&quot;email&quot;:&quot;a@b.co&quot;,&quot;subscribed&quot;:true}"#
    );
    // The server keeps serving what does not need the store.
    let ping = fetch(
        address,
        Request::get("/ping").body(Full::default()).unwrap(),
    )
    .await;
    assert_eq!(ping.text(), "pong");
}

/// One POST/redirect/GET by a new client: the form posted to `first`, the redirect followed on
/// `second`. `Err` says what the client saw instead of its result after the redirect.
async fn prg_once(first: SocketAddr, second: SocketAddr, email: &str) -> Result<(), String> {
    let mut jar = Jar::default();
    let body = format!("email={}", email.replace('@', "%40"));
    let answer = fetch(first, form_post("/?_action=subscribe", &body, &jar)).await;
    let shows = format!(
        "subscribe: data {{&quot;email&quot;:&quot;{email}&quot;,&quot;subscribed&quot;:true}}"
    );
    assert_ne!(
        answer.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        answer.text()
    );
    if answer.status != StatusCode::SEE_OTHER {
        // Not kept: it must then render in place, with this client's own result.
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.headers);
        assert_eq!(answer.page_line("subscribe-result"), shows);
        return Err(format!("the POST answered {} in place", answer.status));
    }
    jar.absorb(&answer.headers);
    let location = answer.headers["location"].to_str().unwrap().to_owned();
    let page = fetch(second, get(&location, &jar)).await;
    assert_ne!(
        page.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        page.text()
    );
    if page.page_line("subscribe-result") != shows {
        return Err(format!(
            "after the redirect: {} {}",
            page.status,
            page.page_line("subscribe-result")
        ));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_use_redis_again_once_it_is_back() {
    let mut redis = RedisServer::start();
    let first = serve(redis_app(redis.port).await).await;
    let second = serve(redis_app(redis.port).await).await;
    let mut earlier = Jar::default();
    across_instances_with(first, second, &mut earlier).await;
    assert!(earlier.0.contains_key("id"), "a session: {earlier:?}");

    // Redis stops: every form renders in place, on both instances; nothing hangs or fails.
    redis.stop();
    for (i, (from, to)) in [(first, second), (second, first)].into_iter().enumerate() {
        let fell_back = prg_once(from, to, &format!("down{i}@b.co")).await;
        assert!(fell_back.is_err(), "with Redis stopped: {fell_back:?}");
    }

    // Redis is back on the same port (empty): POST/redirect/GET works again across the two
    // instances, in both directions. Polled, with a generous bound for "it recovers".
    redis.restart();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let email = format!("back{attempt}@b.co");
        let forth = prg_once(first, second, &email).await;
        let back = prg_once(second, first, &email).await;
        if forth.is_ok() && back.is_ok() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the instances still do not use Redis 30 s after it came back: {forth:?} {back:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // And it stays so, also for a client whose session was in the Redis that stopped.
    across_instances(first, second).await;
    across_instances_with(second, first, &mut earlier).await;
}

/// The host a browser goes to when it follows `location` from a page of `http://{base}/`: the
/// steps of the WHATWG URL parser that decide it (leading and trailing C0 controls and spaces
/// trimmed, tabs and newlines removed anywhere, `\` read as `/` in an http URL, any number of
/// slashes after the first two skipped, user info and port dropped).
fn host_after_redirect(base: &str, location: &str) -> String {
    let trimmed = location.trim_matches(|c: char| c <= ' ');
    let url: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let is_slash = |c: char| c == '/' || c == '\\';
    let mut rest = url.as_str();
    // A scheme: anything but http (the base's) leaves the site; `http:` without two slashes
    // is relative to the base.
    if let Some((scheme, after)) = url.split_once(':') {
        let mut chars = scheme.chars();
        if chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            if !scheme.eq_ignore_ascii_case("http") {
                return format!("{scheme}:");
            }
            rest = after;
        }
    }
    let mut chars = rest.chars();
    if !(chars.next().is_some_and(is_slash) && chars.next().is_some_and(is_slash)) {
        return base.to_owned();
    }
    let authority = rest.trim_start_matches(is_slash);
    let authority = authority
        .split(|c: char| is_slash(c) || c == '?' || c == '#')
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = host_port.split(':').next().unwrap_or_default();
    host.to_ascii_lowercase()
}

#[test]
fn the_redirect_check_reads_locations_as_a_browser_does() {
    let host = |location| host_after_redirect("site.test", location);
    assert_eq!(host("/"), "site.test");
    assert_eq!(host("/a//b"), "site.test");
    assert_eq!(host("/http://evil.example/"), "site.test");
    assert_eq!(host("http:/x"), "site.test");
    assert_eq!(host("//evil.example/"), "evil.example");
    assert_eq!(host("/\\evil.example/"), "evil.example");
    assert_eq!(host("\\/evil.example/"), "evil.example");
    assert_eq!(host("/\t/evil.example/"), "evil.example");
    assert_eq!(host(" ///u@Evil.Example:80/x"), "evil.example");
    assert_eq!(host("http://evil.example"), "evil.example");
    assert_eq!(host("javascript:alert(1)"), "javascript:");
}

/// Sends `POST {target}` as raw bytes, as a scanner does (no client normalises the target),
/// and gives the status and the `Location` header.
async fn raw_form_post(address: SocketAddr, target: &[u8]) -> (u16, Option<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let body = "email=a%40b.co";
    let mut request = b"POST ".to_vec();
    request.extend_from_slice(target);
    request.extend_from_slice(
        format!(
            " HTTP/1.1\r\nhost: site.test\r\norigin: http://site.test\r\n\
             content-type: {FORM}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(15), stream.read_to_end(&mut response))
        .await
        .expect("an answer within 15 s")
        .unwrap();
    let text = String::from_utf8_lossy(&response);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    let locations: Vec<String> = lines
        .filter_map(|line| line.split_once(':'))
        .filter(|(name, _)| name.eq_ignore_ascii_case("location"))
        .map(|(_, value)| value.trim().to_owned())
        .collect();
    assert!(locations.len() <= 1, "{locations:?}");
    (status, locations.into_iter().next())
}

/// Request paths a scanner tries to turn the redirect after a form post into a jump off the
/// site: the `Location` stays a path on this host whatever the path held.
#[tokio::test]
async fn the_redirect_after_a_form_post_never_leaves_the_site() {
    let address = serve(cookie_app()).await;
    let hostile: &[&str] = &[
        "//evil.example/",
        "//evil.example",
        "///evil.example/",
        "////evil.example/x",
        "//evil.example/?page=2",
        "/\\evil.example/",
        "/\\/evil.example/",
        "/\\\\evil.example/",
        "//\\evil.example/",
        "/%2F/evil.example/",
        "/%2f%2fevil.example/",
        "//%2F%2Fevil.example/",
        "/%5C/evil.example/",
        "/%5c%5cevil.example/",
        "/%2e%2e/%2e%2e//evil.example/",
        "/..//evil.example/",
        "/../\\evil.example/",
        "/.//evil.example/",
        "/./\\evil.example/",
        "/%2e//evil.example/",
        "/http://evil.example/",
        "/https:evil.example/",
        "//http://evil.example/",
        "/%09/evil.example/",
        "/%0d%0a//evil.example/",
        "/%0A/evil.example/",
        "//%09/evil.example/",
        "/%20//evil.example/",
        "/%00//evil.example/",
        "/@evil.example/",
        "//@evil.example/",
        "//site.test@evil.example/",
    ];
    let mut offsite = Vec::new();
    for path in hostile {
        let target = if path.contains('?') {
            format!("{path}&_action=subscribe")
        } else {
            format!("{path}?_action=subscribe")
        };
        let (status, location) = raw_form_post(address, target.as_bytes()).await;
        assert_eq!(status, 303, "{target}");
        let location = location.unwrap_or_else(|| panic!("{target}: a 303 without Location"));
        let mut chars = location.chars();
        let one_slash = location == "/"
            || chars.next() == Some('/') && chars.next().is_some_and(|c| c != '/' && c != '\\');
        if !one_slash
            || location.contains(['\t', '\r', '\n'])
            || host_after_redirect("site.test", &location) != "site.test"
        {
            offsite.push(format!("{target} -> {location}"));
        }
    }
    assert!(
        offsite.is_empty(),
        "redirects off the site:\n{}",
        offsite.join("\n")
    );
    // Raw bytes no browser sends: refused by the HTTP parser, or redirected on the site.
    let raw: &[&[u8]] = &[
        b"/\t/evil.example/",
        b"/\x0b/evil.example/",
        b"/\x7f//evil.example/",
    ];
    for path in raw {
        let mut target = path.to_vec();
        target.extend_from_slice(b"?_action=subscribe");
        let (status, location) = raw_form_post(address, &target).await;
        let shown = String::from_utf8_lossy(&target);
        match status {
            400 => assert_eq!(location, None, "{shown}"),
            303 => {
                let location = location.unwrap();
                assert!(
                    location.starts_with('/')
                        && !location[1..].starts_with(['/', '\\'])
                        && host_after_redirect("site.test", &location) == "site.test",
                    "{shown} redirects to {location:?}"
                );
            }
            other => panic!("{shown}: {other}"),
        }
    }
}

#[tokio::test]
async fn the_redirect_keeps_an_ordinary_path_and_query_exactly() {
    let address = serve(cookie_app()).await;
    for (target, location) in [
        ("/?_action=subscribe", "/"),
        (
            "/list?page=2&_action=subscribe&sort=asc",
            "/list?page=2&sort=asc",
        ),
        ("/a/b/?_action=subscribe", "/a/b/"),
        ("/a//b?_action=subscribe", "/a//b"),
        (
            "/caf%C3%A9/%2F?q=%2F%2F&_action=subscribe",
            "/caf%C3%A9/%2F?q=%2F%2F",
        ),
        ("/a?_action=subscribe&_action=comment", "/a"),
    ] {
        assert_eq!(
            raw_form_post(address, target.as_bytes()).await,
            (303, Some(location.to_owned())),
            "{target}"
        );
    }
}
