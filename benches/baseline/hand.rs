//! The handlers a user writes by hand instead of the layer, for `benches/load.sh`: the parity
//! fixture's `greet` and `subscribe` and its page, with axum's extractors, the checks done by
//! hand and the bodies `format!`ed. Each answers what the layer answers for the same valid
//! request (status and bytes; `load.sh` compares them before timing):
//!
//! - `POST /_actions/greet`: `Json` in, the name checked (at least one character),
//!   `["Hello, Ada!"]` out (devalue's shape for one string, escaped as devalue escapes).
//! - `POST /_actions/subscribe`: axum `Form`, the same-origin check (`Origin` against `Host`,
//!   as the layer does for forms), the e-mail address checked by hand (zod's rule, which the
//!   fixture's `check::email` applies), `[{"email":1,"subscribed":2},"…",true]` out.
//! - `GET /ping`: `pong`, as the parity pages answer it.
//! - `POST /?_action=subscribe` and `GET /`: the parity page, the form decoded and the
//!   result rendered in place ([`page`]); or, for POST/redirect/GET ([`prg_router`]), the
//!   POST answering `303` with the result in an encrypted cookie (the `cookie` crate's private
//!   jar, AES-256-GCM, as the layer's `CookieResults`), and the GET opening it and rendering
//!   the page (and clearing the cookie).
//! - The same page keeping Astro's model ([`model_router`]): the result written in devalue, as
//!   the wire carries it, and read back before the page shows it, as a page reading
//!   `Astro.getActionResult()` does. The layer's page does this work; the plain hand-written
//!   page does not. Against this one, what is left is the layer's own mechanics and the parity
//!   page's heavier template (it shows both actions' results and fields).

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Form, Json, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use cookie::{Cookie, CookieJar, Key, SameSite};
use serde::{Deserialize, Serialize};

/// The secret of the PRG cookie: the same as the layer's PRG server in `load.sh` uses.
pub const PRG_SECRET: [u8; 64] = [7; 64];
const PRG_COOKIE: &str = "result";
const PRG_MAX_AGE: Duration = Duration::from_secs(3600);

/// Appends `text` as a JavaScript string literal, escaped as devalue escapes it: JSON's
/// escapes, plus `<` and the line and paragraph separators.
pub fn push_js_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003C"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn js_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_js_string(&mut out, text);
    out
}

fn devalue_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json+devalue")], body).into_response()
}

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, message.to_owned()).into_response()
}

#[derive(Deserialize)]
pub struct GreetInput {
    pub name: String,
}

/// `greet`: JSON in, the name checked by hand, the devalue text `format!`ed.
pub async fn greet(Json(input): Json<GreetInput>) -> Response {
    if input.name.is_empty() {
        return bad_request("name: Too small: expected string to have >=1 characters");
    }
    let greeting = format!("Hello, {}!", input.name);
    devalue_response(format!("[{}]", js_string(&greeting)))
}

#[derive(Deserialize)]
pub struct SubscribeInput {
    pub email: String,
}

/// The same-origin check for a form post: an `Origin` header equal to `http://` and the
/// `Host` header (ASCII case aside).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let (Some(origin), Some(host)) = (headers.get(header::ORIGIN), headers.get(header::HOST))
    else {
        return false;
    };
    origin
        .as_bytes()
        .strip_prefix(b"http://")
        .is_some_and(|rest| rest.eq_ignore_ascii_case(host.as_bytes()))
}

fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain;charset=UTF-8")],
        "Cross-site POST form submissions are forbidden",
    )
        .into_response()
}

/// zod's e-mail rule, by hand: dot-separated runs of `A-Za-z0-9_'+-` (the last character not
/// `'`), `@`, then dot-separated labels starting with a letter or digit, and a top-level
/// domain of at least two letters.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = local.split('.').all(|run| {
        !run.is_empty()
            && run
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_'+-".contains(&b))
    }) && local.bytes().last().is_some_and(|b| b != b'\'');
    let Some((labels, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    local_ok
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && labels.split('.').all(|label| {
            label
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// `subscribe` over RPC: axum `Form`, the origin check, the address checked by hand, the
/// devalue text `format!`ed.
pub async fn subscribe(headers: HeaderMap, Form(input): Form<SubscribeInput>) -> Response {
    if !same_origin(&headers) {
        return forbidden();
    }
    if !is_email(&input.email) {
        return bad_request("email: Invalid email address");
    }
    devalue_response(format!(
        r#"[{{"email":1,"subscribed":2}},{},true]"#,
        js_string(&input.email)
    ))
}

/// What `subscribe` gives the page, as JSON (the page shows it so).
#[derive(Serialize, Deserialize)]
pub struct Subscribed {
    pub email: String,
    pub subscribed: bool,
}

/// Escapes text for HTML as the parity page does (`& < > " '`).
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The parity page's HTML: what `subscribe` gave (`data {…}` or an error) and the address
/// typed, filled in again.
fn render(subscribe: &str, email: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>tower-actions parity</title>
  </head>
  <body>
    <h1>tower-actions parity</h1>
    <p id="subscribe-result">subscribe: {subscribe}</p>
    <p id="comment-result">comment: none</p>

    <form method="POST" action="?_action=subscribe" id="subscribe-form">
      <input type="email" name="email" value="{email}" />
      <button>Subscribe</button>
    </form>

    <form method="POST" action="?_action=comment" id="comment-form">
      <input type="hidden" name="postId" value="p1" />
      <input name="author" value="" />
      <textarea name="body"></textarea>
      <button>Comment</button>
    </form>
  </body>
</html>
"#,
        subscribe = escape_html(subscribe),
        email = escape_html(email),
    )
}

const INVALID_EMAIL: &str = r#"error BAD_REQUEST 400 fields={"email":["Invalid email address"]}"#;

/// What the page shows of `subscribe`'s result, and its status.
fn shown(email: &str) -> (StatusCode, String) {
    if !is_email(email) {
        return (StatusCode::BAD_REQUEST, INVALID_EMAIL.to_owned());
    }
    let data = Subscribed {
        email: email.to_owned(),
        subscribed: true,
    };
    match serde_json::to_string(&data) {
        Ok(json) => (StatusCode::OK, format!("data {json}")),
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()),
    }
}

/// [`shown`] through Astro's model: the result written in devalue and read back, as the page
/// of a form action reads it.
fn shown_through_devalue(email: &str) -> (StatusCode, String) {
    if !is_email(email) {
        return (StatusCode::BAD_REQUEST, INVALID_EMAIL.to_owned());
    }
    let data = Subscribed {
        email: email.to_owned(),
        subscribed: true,
    };
    let read_back = tower_actions::devalue::to_string(&data)
        .and_then(|text| tower_actions::devalue::from_str::<Subscribed>(&text));
    match read_back.map(|data| serde_json::to_string(&data)) {
        Ok(Ok(json)) => (StatusCode::OK, format!("data {json}")),
        Ok(Err(err)) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()),
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()),
    }
}

fn html(status: StatusCode, page: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(rename = "_action")]
    pub action: Option<String>,
}

/// `GET /` without a result: the empty page.
pub async fn page_get() -> Response {
    html(StatusCode::OK, render("none", ""))
}

/// `POST /?_action=subscribe`, rendered in place: the form decoded with axum's `Form`, the
/// origin and the address checked, the page rendered with the result.
pub async fn page_post(
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
    Form(input): Form<SubscribeInput>,
) -> Response {
    page_answer(&query, &headers, &input, shown)
}

/// [`page_post`] keeping Astro's model: the result written in devalue and read back before the
/// page shows it.
pub async fn page_post_model(
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
    Form(input): Form<SubscribeInput>,
) -> Response {
    page_answer(&query, &headers, &input, shown_through_devalue)
}

/// The page's answer to a posted form, with what `shown` makes of the address.
#[inline(always)]
fn page_answer(
    query: &PageQuery,
    headers: &HeaderMap,
    input: &SubscribeInput,
    shown: impl FnOnce(&str) -> (StatusCode, String),
) -> Response {
    if query.action.as_deref() != Some("subscribe") {
        return html(StatusCode::OK, render("none", ""));
    }
    if !same_origin(headers) {
        return forbidden();
    }
    let (status, subscribe) = shown(&input.email);
    html(status, render(&subscribe, &input.email))
}

/// The routes of the RPC handlers, `/ping` and the page rendered in place.
pub fn router() -> Router {
    routes(get(page_get).post(page_post))
}

/// [`router`] with the page keeping Astro's model ([`page_post_model`]).
pub fn model_router() -> Router {
    routes(get(page_get).post(page_post_model))
}

/// The RPC handlers, `/ping`, and `page` at `/`.
fn routes(page: MethodRouter) -> Router {
    Router::new()
        .route("/_actions/greet", post(greet))
        .route("/_actions/subscribe", post(subscribe))
        .route("/", page)
        .route(
            "/ping",
            get(|| async { ([("content-type", "text/plain;charset=UTF-8")], "pong") }),
        )
}

/// What the PRG cookie keeps: what the page shows, the address typed, and when it expires.
#[derive(Serialize, Deserialize)]
struct Kept {
    shown: String,
    status: u16,
    email: String,
    exp: u64,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

fn prg_cookie(value: String) -> Cookie<'static> {
    Cookie::build((PRG_COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::seconds(PRG_MAX_AGE.as_secs() as i64))
        .build()
}

/// The POST of POST/redirect/GET: the form decoded and checked, the result sealed in a
/// private cookie, `303 See Other` to the page.
async fn prg_post(
    State(key): State<Key>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
    Form(input): Form<SubscribeInput>,
) -> Response {
    if query.action.as_deref() != Some("subscribe") {
        return html(StatusCode::OK, render("none", ""));
    }
    if !same_origin(&headers) {
        return forbidden();
    }
    let (status, shown) = shown(&input.email);
    let kept = Kept {
        shown,
        status: status.as_u16(),
        email: input.email,
        exp: now_secs() + PRG_MAX_AGE.as_secs(),
    };
    let Ok(json) = serde_json::to_string(&kept) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut jar = CookieJar::new();
    jar.private_mut(&key).add(prg_cookie(json));
    let sealed = jar
        .get(PRG_COOKIE)
        .map(ToString::to_string)
        .unwrap_or_default();
    let Ok(set_cookie) = HeaderValue::from_str(&sealed) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, HeaderValue::from_static("/")),
            (header::SET_COOKIE, set_cookie),
        ],
    )
        .into_response()
}

/// The GET of POST/redirect/GET: the cookie opened (and cleared), the page rendered with what
/// it kept.
async fn prg_get(State(key): State<Key>, headers: HeaderMap) -> Response {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == PRG_COOKIE)
        .map(Cookie::into_owned);
    let Some(cookie) = cookie else {
        return page_get().await;
    };
    let mut removal = prg_cookie(String::new());
    removal.make_removal();
    let clear = HeaderValue::from_str(&removal.to_string()).unwrap_or(HeaderValue::from_static(""));
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    let kept = jar
        .private(&key)
        .get(PRG_COOKIE)
        .and_then(|opened| serde_json::from_str::<Kept>(opened.value()).ok())
        .filter(|kept| kept.exp >= now_secs());
    let (status, page) = match kept {
        Some(kept) => (
            StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK),
            render(&kept.shown, &kept.email),
        ),
        None => (StatusCode::OK, render("none", "")),
    };
    let mut response = html(status, page);
    response.headers_mut().append(header::SET_COOKIE, clear);
    response
}

/// The page with POST/redirect/GET.
pub fn prg_router() -> Router {
    Router::new()
        .route("/", get(prg_get).post(prg_post))
        .with_state(Key::from(&PRG_SECRET))
}
