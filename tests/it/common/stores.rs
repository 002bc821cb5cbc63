//! What the POST/redirect/GET tests share: a browser's cookie jar, form posts and GETs that
//! carry it, the parity app over each result store, and real connections to served apps.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Request};
use http_body_util::{BodyExt, Full};
use tower_actions::persist::{CookieResults, SessionResults};

use super::{Answer, post};
use crate::{parity, sessions};

/// The cookie store's secret in these tests (64 bytes, the least it takes).
pub const SECRET: &[u8; 64] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
/// An HTML form's content type.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// A browser's cookie jar, just enough for these tests.
#[derive(Default, Debug)]
pub struct Jar(pub BTreeMap<String, String>);

impl Jar {
    /// Keeps the cookies `Set-Cookie` sets, drops those it removes (`Max-Age=0`).
    pub fn absorb(&mut self, headers: &HeaderMap) {
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

    /// The `Cookie` header a browser sends with this jar.
    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A same-origin form post to `path` on `example.test`, with the jar's cookies.
pub fn form_post(path: &str, body: &str, jar: &Jar) -> Request<Full<Bytes>> {
    let cookie = jar.header();
    let mut headers = vec![
        ("host", "example.test"),
        ("origin", "http://example.test"),
        ("content-type", FORM),
    ];
    if !cookie.is_empty() {
        headers.push(("cookie", cookie.as_str()));
    }
    post(path, &headers, body.as_bytes())
}

/// `GET path` on `example.test`, with the jar's cookies.
pub fn get(path: &str, jar: &Jar) -> Request<Full<Bytes>> {
    let mut request = Request::get(path).header("host", "example.test");
    if !jar.0.is_empty() {
        request = request.header("cookie", jar.header());
    }
    request.body(Full::default()).unwrap()
}

/// The parity app keeping results in an encrypted cookie under [`SECRET`].
pub fn cookie_app() -> axum::Router {
    parity::routes().layer(parity::layer().persist(CookieResults::from_secret(SECRET).unwrap()))
}

/// The parity app keeping results in a `tower-sessions` session in `store`.
pub fn session_app<S: tower_sessions::SessionStore + Clone>(store: S) -> axum::Router {
    parity::routes()
        .layer(parity::layer().persist(SessionResults::new()))
        .layer(tower_sessions::SessionManagerLayer::new(store).with_secure(false))
}

/// An app whose sessions live in the Redis on `port`, its pool configured as the guide and
/// `examples/sessions.rs` teach.
pub async fn redis_app(port: u16) -> axum::Router {
    use tower_sessions_redis_store::RedisStore;
    use tower_sessions_redis_store::fred::prelude::ClientLike;

    let pool = sessions::redis_pool(&format!("redis://127.0.0.1:{port}")).unwrap();
    pool.init().await.unwrap();
    session_app(RedisStore::new(pool))
}

/// Serves `app` on a free loopback port.
pub async fn serve(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

/// One request over a real connection (no redirects followed), answered within 15 s.
pub async fn fetch(address: SocketAddr, request: Request<Full<Bytes>>) -> Answer {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<Bytes>>();
    let (mut parts, body) = request.into_parts();
    parts.uri = format!("http://{address}{}", parts.uri).parse().unwrap();
    // Generous: only there so that a hanging server fails the test instead of stalling it.
    let response = tokio::time::timeout(
        Duration::from_secs(15),
        client.request(Request::from_parts(parts, body)),
    )
    .await
    .expect("an answer within 15 s")
    .unwrap();
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}
