//! The demo app: a guestbook on axum 0.8, state in memory, server-rendered HTML.
//!
//! Shared by `main.rs` (`cargo run --example demo`) and the browser tests (`tests/it/browser.rs`
//! includes this file with `#[path]`), so both run exactly this code.
//!
//! | page | shows |
//! |---|---|
//! | `/` | the guestbook: the sign form renders its result in place (`?_action=guestbook.sign`), field errors next to their fields with the typed values kept, `signedAt` dates in the reader's locale, like buttons; with JavaScript on, signing and liking happen without a reload |
//! | `/sign` | the same `guestbook.sign` action with POST/redirect/GET (`CookieResults`): a refresh re-submits nothing |
//! | `/account` | log in / log out (actions that set and clear a cookie) and a members-only wall, refused by a gate to logged-out users |
//! | `/upload` | a file upload with a size limit, showing the file's name, size and type |
//! | `/openapi.json` | the OpenAPI 3.1 document of the actions |

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use cookie::Cookie;
use http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use tower::Layer;
use tower_actions::check;
use tower_actions::persist::CookieResults;
use tower_actions::typescript::ClientModule;
use tower_actions::{
    Action, ActionApiContext, ActionContext, ActionError, ActionErrorCode, ActionPayload, Actions,
    ActionsLayer, action_result,
    input::{Accept, FormData, UploadedFile},
    js,
};

/// The name of the cookie that says who is logged in.
pub const SESSION_COOKIE: &str = "demo_session";

/// The most bytes one uploaded file may have.
pub const FILE_LIMIT: usize = 256 * 1024;

// ---------------------------------------------------------------------------------------------
// State

/// Everything the demo keeps, in memory.
#[derive(Default)]
pub struct Demo {
    next_id: AtomicU64,
    entries: Mutex<Vec<Entry>>,
    /// Session token to user name.
    sessions: Mutex<HashMap<String, String>>,
    wall: Mutex<Vec<WallPost>>,
    uploads: Mutex<Vec<FileInfo>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Demo {
    /// How many entries the guestbook has.
    pub fn entry_count(&self) -> usize {
        lock(&self.entries).len()
    }

    /// The user a request's session cookie belongs to.
    fn user(&self, session: Option<Cookie<'_>>) -> Option<String> {
        let session = session?;
        lock(&self.sessions).get(session.value()).cloned()
    }

    fn user_of(&self, headers: &HeaderMap) -> Option<String> {
        self.user(request_cookie(headers, SESSION_COOKIE))
    }
}

type Shared = Arc<Demo>;

fn request_cookie(headers: &HeaderMap, name: &str) -> Option<Cookie<'static>> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse_encoded)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(Cookie::into_owned)
}

// ---------------------------------------------------------------------------------------------
// Actions

/// One guestbook entry: also the result of `guestbook.sign`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Entry {
    pub id: u64,
    pub name: String,
    pub message: String,
    /// A JavaScript `Date` on the wire: `["Date","2026-05-01T12:00:00.000Z"]`.
    pub signed_at: js::Date,
    pub likes: u32,
}

/// `guestbook.sign` (form): `{ name, message }` → the new [`Entry`].
pub struct Sign(pub Shared);

/// An empty form field arrives as `null` (Astro's coercion), so text a user must fill in is an
/// `Option<String>` with a friendly message for `None`, rather than zod's type error; the
/// lengths are zod's checks (`tower_actions::check`), with zod 4's messages.
#[derive(Deserialize, garde::Validate)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SignInput {
    #[garde(custom(filled), custom(check::max(40)))]
    pub name: Option<String>,
    #[garde(custom(filled), custom(check::min(3)), custom(check::max(500)))]
    pub message: Option<String>,
}

/// A garde rule: the field is present and not only white space.
fn filled(value: &Option<String>, _: &()) -> garde::Result {
    match value.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Ok(()),
        _ => Err(garde::Error::new("Please fill this in.")),
    }
}

impl Action for Sign {
    const NAME: &'static str = "guestbook.sign";
    const ACCEPT: Accept = Accept::Form;
    type Input = SignInput;
    type Output = Entry;

    async fn handle(
        &self,
        input: SignInput,
        _: &mut ActionApiContext,
    ) -> Result<Entry, ActionError> {
        let entry = Entry {
            id: self.0.next_id.fetch_add(1, Ordering::Relaxed) + 1,
            name: input.name.unwrap_or_default().trim().to_owned(),
            message: input.message.unwrap_or_default().trim().to_owned(),
            signed_at: js::Date::from_system_time(SystemTime::now()),
            likes: 0,
        };
        lock(&self.0.entries).push(entry.clone());
        Ok(entry)
    }
}

/// `guestbook.like` (form): `{ id }` → `{ id, likes }`.
pub struct Like(pub Shared);

#[derive(Deserialize, garde::Validate)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LikeInput {
    #[garde(skip)]
    pub id: u64,
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Liked {
    pub id: u64,
    pub likes: u32,
}

impl Action for Like {
    const NAME: &'static str = "guestbook.like";
    const ACCEPT: Accept = Accept::Form;
    type Input = LikeInput;
    type Output = Liked;

    async fn handle(
        &self,
        input: LikeInput,
        _: &mut ActionApiContext,
    ) -> Result<Liked, ActionError> {
        let mut entries = lock(&self.0.entries);
        let entry = entries
            .iter_mut()
            .find(|entry| entry.id == input.id)
            .ok_or_else(|| {
                ActionError::new(ActionErrorCode::NotFound, format!("no entry {}", input.id))
            })?;
        entry.likes += 1;
        Ok(Liked {
            id: entry.id,
            likes: entry.likes,
        })
    }
}

/// `account.login` (form): `{ name }` → the name; sets the session cookie.
pub struct Login(pub Shared);

#[derive(Deserialize, garde::Validate)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LoginInput {
    #[garde(custom(filled), custom(check::max(40)))]
    pub name: Option<String>,
}

impl Action for Login {
    const NAME: &'static str = "account.login";
    const ACCEPT: Accept = Accept::Form;
    type Input = LoginInput;
    type Output = String;

    async fn handle(
        &self,
        input: LoginInput,
        cx: &mut ActionApiContext,
    ) -> Result<String, ActionError> {
        // A demo log-in: anyone may be anyone. The token is random; the name stays on the server.
        let token = hex(&cookie::Key::generate().master()[..24]);
        let name = input.name.unwrap_or_default().trim().to_owned();
        lock(&self.0.sessions).insert(token.clone(), name.clone());
        cx.set_cookie(
            Cookie::build((SESSION_COOKIE, token))
                .path("/")
                .http_only(true)
                .same_site(cookie::SameSite::Lax)
                .build(),
        );
        Ok(name)
    }
}

/// `account.logout` (form, no fields): forgets the session and clears the cookie.
pub struct Logout(pub Shared);

impl Action for Logout {
    const NAME: &'static str = "account.logout";
    const ACCEPT: Accept = Accept::Form;
    type Input = FormData;
    type Output = ();

    async fn handle(&self, _: FormData, cx: &mut ActionApiContext) -> Result<(), ActionError> {
        if let Some(session) = cx.cookie(SESSION_COOKIE) {
            lock(&self.0.sessions).remove(session.value());
        }
        let mut removal = Cookie::build((SESSION_COOKIE, "")).path("/").build();
        removal.make_removal();
        cx.set_cookie(removal);
        Ok(())
    }
}

/// A post on the members' wall.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct WallPost {
    pub author: String,
    pub text: String,
    pub posted_at: js::Date,
}

/// `members.post` (form): `{ text }` → the new [`WallPost`]. Logged-in users only: the
/// [`members_only`] gate refuses everyone else before this runs.
pub struct MembersPost(pub Shared);

#[derive(Deserialize, garde::Validate)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MembersPostInput {
    #[garde(custom(filled), custom(check::max(200)))]
    pub text: Option<String>,
}

impl Action for MembersPost {
    const NAME: &'static str = "members.post";
    const ACCEPT: Accept = Accept::Form;
    type Input = MembersPostInput;
    type Output = WallPost;

    async fn handle(
        &self,
        input: MembersPostInput,
        cx: &mut ActionApiContext,
    ) -> Result<WallPost, ActionError> {
        // The gate has checked already; the handler still needs the name.
        let author = self
            .0
            .user(cx.cookie(SESSION_COOKIE))
            .ok_or_else(|| ActionError::new(ActionErrorCode::Unauthorized, "Log in first."))?;
        let post = WallPost {
            author,
            text: input.text.unwrap_or_default().trim().to_owned(),
            posted_at: js::Date::from_system_time(SystemTime::now()),
        };
        lock(&self.0.wall).push(post.clone());
        Ok(post)
    }
}

/// What the upload action tells of a file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FileInfo {
    pub name: String,
    pub size: usize,
    #[serde(rename = "type")]
    pub content_type: String,
}

/// `files.upload` (form, multipart): `{ attachment: File }` → its name, size and type.
/// Files over [`FILE_LIMIT`] are refused by the layer (`file_limit`) before this runs.
pub struct Upload(pub Shared);

#[derive(Deserialize, garde::Validate)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UploadInput {
    #[garde(skip)]
    pub attachment: UploadedFile,
}

impl Action for Upload {
    const NAME: &'static str = "files.upload";
    const ACCEPT: Accept = Accept::Form;
    type Input = UploadInput;
    type Output = FileInfo;

    async fn handle(
        &self,
        input: UploadInput,
        _: &mut ActionApiContext,
    ) -> Result<FileInfo, ActionError> {
        let file = input.attachment;
        if file.name().is_empty() {
            return Err(ActionError::new(
                ActionErrorCode::BadRequest,
                "Choose a file first.",
            ));
        }
        let info = FileInfo {
            name: file.name().to_owned(),
            size: file.size(),
            content_type: file.content_type().to_owned(),
        };
        lock(&self.0.uploads).push(info.clone());
        Ok(info)
    }
}

/// The gate: an ordinary axum middleware around every action call. `members.*` actions
/// are refused unless the request's session cookie belongs to a logged-in user.
///
/// It stores the refusal as the action's result (rather than answering itself), so that an
/// RPC call answers the 401 error and a form renders its page with the error in place.
pub async fn members_only(State(demo): State<Shared>, request: Request, next: Next) -> Response {
    if let Some(cx) = request.extensions().get::<ActionContext>() {
        if cx.name().starts_with("members.") && demo.user_of(request.headers()).is_none() {
            let refusal = ActionError::new(
                ActionErrorCode::Unauthorized,
                "Members only: log in to post on the wall.",
            );
            cx.set_action_result(cx.name(), cx.serialize_action_result::<()>(&Err(refusal)));
        }
    }
    next.run(request).await
}

/// The actions layer: every action, the gate, and the upload limit. Form results render in
/// place; [`app`] adds POST/redirect/GET for the `/sign` page.
pub fn layer(demo: &Shared) -> ActionsLayer {
    let actions = Actions::new()
        .add(Sign(demo.clone()))
        .add(Like(demo.clone()))
        .add(Login(demo.clone()))
        .add(Logout(demo.clone()))
        .add(MembersPost(demo.clone()))
        .add(Upload(demo.clone()));
    ActionsLayer::new(actions)
        .file_limit(FILE_LIMIT)
        .middleware(from_fn_with_state(demo.clone(), members_only))
}

/// The whole app. `results` keeps the `/sign` page's results across its redirect.
pub fn app(results: CookieResults) -> Router {
    let demo = Shared::default();
    let in_place = layer(&demo);
    // The same actions with POST/redirect/GET, for the routes it wraps.
    let redirecting = in_place.clone().persist(results);

    let pages = Router::new()
        .route("/", get(guestbook_page).post(guestbook_page))
        .route("/account", get(account_page).post(account_page))
        .route("/upload", get(upload_page).post(upload_page))
        .route_layer(in_place.clone());
    let prg_pages = Router::new()
        .route("/sign", get(sign_page).post(sign_page))
        .route_layer(redirecting);
    // RPC calls (`POST /_actions/<name>`) match no route: they reach the fallback, which
    // the layer wraps too.
    let not_found = in_place.layer(Router::new().fallback(not_found_page));

    let app = pages
        .merge(prg_pages)
        .route("/actions.js", get(actions_client_module))
        .route("/guestbook.js", get(guestbook_script));
    #[cfg(feature = "openapi")]
    let app = app.route("/openapi.json", get(openapi_document));
    app.fallback_service(not_found).with_state(demo)
}

// ---------------------------------------------------------------------------------------------
// The JavaScript client

/// `GET /actions.js`: the ES module the pages import to call actions from the browser,
/// generated from the same registry the server runs (Astro's client API, with its own
/// devalue parser).
async fn actions_client_module(State(demo): State<Shared>) -> impl IntoResponse {
    let module = ClientModule::from_actions(layer(&demo).actions()).javascript();
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        module,
    )
}

/// The OpenAPI 3.1 document of the demo's actions (feature `openapi`): every action the
/// layer serves, described with its input and output types.
#[cfg(feature = "openapi")]
pub fn openapi(demo: &Shared) -> tower_actions::openapi::OpenApi {
    tower_actions::openapi::OpenApi::from_layer(&layer(demo))
        .title("tower-actions demo")
        .version("1.0.0")
        .action::<Sign>()
        .action::<Like>()
        .action::<Login>()
        .action::<Logout>()
        .action::<MembersPost>()
        .action::<Upload>()
}

/// `GET /openapi.json`: the OpenAPI document of the actions (feature `openapi`).
#[cfg(feature = "openapi")]
async fn openapi_document(State(demo): State<Shared>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi(&demo).to_json(),
    )
}

/// `GET /guestbook.js`: the page's own script (signing and liking without a reload). It
/// imports `actions` from `/actions.js`, as a page would import Astro's `astro:actions`.
async fn guestbook_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("guestbook.js"),
    )
}

// ---------------------------------------------------------------------------------------------
// Pages

/// Escapes text for HTML text and attribute values.
pub fn escape(text: &str) -> String {
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A `<time>` element: the ISO text without JavaScript, the reader's locale with it.
fn time(date: &js::Date) -> String {
    let iso = date.to_iso_string().unwrap_or_default();
    format!(r#"<time datetime="{iso}">{iso}</time>"#)
}

/// The value typed in `field` when `action` ran for this request, escaped.
fn typed<B>(request: &http::Request<B>, action: &str, field: &str) -> String {
    request
        .extensions()
        .get::<ActionPayload>()
        .filter(|payload| payload.name == action)
        .and_then(|payload| payload.value(field))
        .map(escape)
        .unwrap_or_default()
}

/// The field errors of an input error for one field, as a paragraph next to it.
fn field_errors<T>(result: &Option<Result<T, ActionError>>, field: &str) -> String {
    let Some(Err(err)) = result else {
        return String::new();
    };
    let Some(input) = err.as_input_error() else {
        return String::new();
    };
    let messages = input.field(field);
    if messages.is_empty() {
        return String::new();
    }
    format!(
        r#"<p class="field-error" id="{field}-error">{}</p>"#,
        escape(&messages.join(" "))
    )
}

/// A banner for an error that is not about one field.
fn error_banner<T>(result: &Option<Result<T, ActionError>>) -> String {
    match result {
        Some(Err(err)) if err.as_input_error().is_none() => format!(
            r#"<p class="error" role="alert">{}: {}</p>"#,
            err.code(),
            escape(&err.message())
        ),
        Some(Err(_)) => {
            r#"<p class="error" role="alert">Please fix the fields marked below.</p>"#.to_owned()
        }
        _ => String::new(),
    }
}

const STYLE: &str = r#"
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  nav { display: flex; gap: 1rem; border-bottom: 1px solid #ddd; padding-bottom: .5rem; }
  nav a[aria-current] { font-weight: bold; color: inherit; text-decoration: none; }
  form { margin: 1rem 0; }
  label { display: block; margin-top: .5rem; }
  input[type=text], textarea { width: 100%; box-sizing: border-box; font: inherit; padding: .25rem; }
  .field-error, .error { color: #b00020; margin: .25rem 0; }
  .ok { color: #1b5e20; }
  ol.entries { padding-left: 1.25rem; }
  ol.entries li { margin: .75rem 0; }
  .meta { color: #666; font-size: .9em; }
  .inline { display: inline; margin: 0; }
  small { color: #666; }
"#;

/// The page frame: a nav, the content, and the script that shows dates in the reader's locale.
fn layout(title: &str, path: &str, content: &str) -> Html<String> {
    let links = [
        ("/", "Guestbook"),
        ("/sign", "Sign (redirect)"),
        ("/account", "Account"),
        ("/upload", "Upload"),
    ];
    let nav: String = links
        .iter()
        .map(|(href, text)| {
            let current = if *href == path {
                r#" aria-current="page""#
            } else {
                ""
            };
            format!(r#"<a href="{href}"{current}>{text}</a>"#)
        })
        .collect();
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} · tower-actions demo</title>
  <style>{STYLE}</style>
</head>
<body>
  <nav>{nav}</nav>
  <h1>{title}</h1>
{content}
  <script>
    // Dates arrive as ISO text (the no-JavaScript fallback); show them in the reader's locale.
    for (const time of document.querySelectorAll("time[datetime]")) {{
      time.textContent = new Date(time.dateTime).toLocaleString();
    }}
  </script>
</body>
</html>
"#
    ))
}

fn entry_item(entry: &Entry) -> String {
    format!(
        r#"    <li id="entry-{id}" class="entry">
      <strong>{name}</strong> <span class="meta">signed {time}</span><br>
      <span class="message">{message}</span>
      <form method="post" action="/?_action=guestbook.like" class="inline like">
        <input type="hidden" name="id" value="{id}">
        <button>♥ <span class="likes">{likes}</span></button>
      </form>
    </li>
"#,
        id = entry.id,
        name = escape(&entry.name),
        time = time(&entry.signed_at),
        message = escape(&entry.message),
        likes = entry.likes,
    )
}

fn entry_list(demo: &Demo) -> String {
    let entries = lock(&demo.entries);
    let items: String = entries.iter().rev().map(entry_item).collect();
    format!(
        r#"  <h2>Entries (<span id="entry-count">{count}</span>)</h2>
  <ol class="entries" id="entries">
{items}  </ol>
"#,
        count = entries.len()
    )
}

/// The sign form, filled in again with what was typed when its action failed.
fn sign_form<B>(request: &http::Request<B>, action_url: &str, id: &str) -> String {
    let result = action_result::<Sign, _>(request);
    format!(
        r#"  <form method="post" action="{action_url}" id="{id}">
    {banner}
    <label for="name">Your name</label>
    <input type="text" id="name" name="name" value="{name}" autocomplete="name">
    {name_errors}
    <label for="message">Message</label>
    <textarea id="message" name="message" rows="3">{message}</textarea>
    {message_errors}
    <p><button>Sign the guestbook</button></p>
  </form>
"#,
        banner = error_banner(&result),
        name = typed(request, Sign::NAME, "name"),
        name_errors = field_errors(&result, "name"),
        message = typed(request, Sign::NAME, "message"),
        message_errors = field_errors(&result, "message"),
    )
}

fn thanks(entry: &Entry) -> String {
    format!(
        r#"  <p class="ok" id="sign-result">Thanks, {name}! Entry #{id}, signed {time}.</p>
"#,
        name = escape(&entry.name),
        id = entry.id,
        time = time(&entry.signed_at),
    )
}

/// `/`: the guestbook. The sign form renders its result in place.
async fn guestbook_page(State(demo): State<Shared>, request: Request) -> Html<String> {
    let mut content = String::new();
    if let Some(Ok(entry)) = action_result::<Sign, _>(&request) {
        content.push_str(&thanks(&entry));
    }
    if let Some(Err(err)) = action_result::<Like, _>(&request) {
        content.push_str(&format!(
            r#"  <p class="error">{}</p>
"#,
            escape(&err.message())
        ));
    }
    content.push_str(
        r#"  <p>Leave a message. This form works without JavaScript (the result renders in place);
  with JavaScript on, it and the ♥ buttons call the same actions without reloading the page.</p>
"#,
    );
    content.push_str(&sign_form(
        &request,
        "/?_action=guestbook.sign",
        "sign-form",
    ));
    content.push_str(r#"  <p id="js-status" class="meta" aria-live="polite"></p>"#);
    content.push('\n');
    content.push_str(&entry_list(&demo));
    content.push_str(
        r#"  <script type="module">
    import { enhanceGuestbook } from "/guestbook.js";
    enhanceGuestbook(document);
  </script>
"#,
    );
    layout("Guestbook", "/", &content)
}

/// `/sign`: the same action with POST/redirect/GET. The result is shown once, after the
/// redirect; a refresh shows the page without it.
async fn sign_page(State(demo): State<Shared>, request: Request) -> Html<String> {
    let mut content = String::new();
    if let Some(Ok(entry)) = action_result::<Sign, _>(&request) {
        content.push_str(&thanks(&entry));
    }
    content.push_str(&format!(
        r#"  <p>This form answers with a redirect (POST/redirect/GET): the result travels in an
  encrypted cookie and is shown once, so refreshing the page re-submits nothing.
  The guestbook has <strong id="entry-count">{count}</strong> entries.</p>
"#,
        count = demo.entry_count()
    ));
    content.push_str(&sign_form(
        &request,
        "/sign?_action=guestbook.sign",
        "prg-sign-form",
    ));
    layout("Sign (POST/redirect/GET)", "/sign", &content)
}

/// `/account`: log in or out, and the members' wall.
async fn account_page(State(demo): State<Shared>, request: Request) -> Html<String> {
    // This request's own log-in or log-out wins over the cookie it arrived with.
    let login = action_result::<Login, _>(&request);
    let user = match (&login, action_result::<Logout, _>(&request)) {
        (Some(Ok(name)), _) => Some(name.clone()),
        (_, Some(Ok(()))) => None,
        _ => demo.user_of(request.headers()),
    };
    let post = action_result::<MembersPost, _>(&request);

    let mut content = String::new();
    match &user {
        Some(name) => content.push_str(&format!(
            r#"  <p id="whoami">Logged in as <strong>{}</strong>.</p>
  <form method="post" action="/account?_action=account.logout" id="logout-form">
    <button>Log out</button>
  </form>
"#,
            escape(name)
        )),
        None => content.push_str(&format!(
            r#"  <p id="whoami">You are not logged in.</p>
  <form method="post" action="/account?_action=account.login" id="login-form">
    {banner}
    <label for="login-name">Name</label>
    <input type="text" id="login-name" name="name" value="{name}">
    {errors}
    <p><button>Log in</button></p>
  </form>
"#,
            banner = error_banner(&login),
            name = typed(&request, Login::NAME, "name"),
            errors = field_errors(&login, "name"),
        )),
    }

    content.push_str(
        r#"  <h2>Members' wall</h2>
  <p>Only logged-in users may post here: a gate refuses the action for everyone else.</p>
"#,
    );
    if let Some(Ok(posted)) = &post {
        content.push_str(&format!(
            r#"  <p class="ok" id="post-result">Posted, {}.</p>
"#,
            escape(&posted.author)
        ));
    }
    let (text, post_banner) = match &post {
        Some(Ok(_)) => (String::new(), error_banner(&post)),
        _ => (
            typed(&request, MembersPost::NAME, "text"),
            error_banner(&post),
        ),
    };
    content.push_str(&format!(
        r#"  <form method="post" action="/account?_action=members.post" id="wall-form">
    {post_banner}
    <label for="text">Message</label>
    <input type="text" id="text" name="text" value="{text}">
    {errors}
    <p><button>Post</button></p>
  </form>
  <ul id="wall">
"#,
        errors = field_errors(&post, "text"),
    ));
    for post in lock(&demo.wall).iter().rev() {
        content.push_str(&format!(
            "    <li><strong>{}</strong>: {} <span class=\"meta\">{}</span></li>\n",
            escape(&post.author),
            escape(&post.text),
            time(&post.posted_at)
        ));
    }
    content.push_str("  </ul>\n");
    layout("Account", "/account", &content)
}

/// `/upload`: a multipart form; the result shows the file's name, size and type.
async fn upload_page(State(demo): State<Shared>, request: Request) -> Html<String> {
    let result = action_result::<Upload, _>(&request);
    let mut content = String::new();
    if let Some(Ok(file)) = &result {
        content.push_str(&format!(
            r#"  <p class="ok" id="upload-result">Received <strong class="file-name">{name}</strong>:
  <span class="file-size">{size}</span> bytes, <span class="file-type">{kind}</span>.</p>
"#,
            name = escape(&file.name),
            size = file.size,
            kind = escape(&file.content_type),
        ));
    }
    content.push_str(&format!(
        r#"  <form method="post" action="/upload?_action=files.upload" enctype="multipart/form-data" id="upload-form">
    {banner}
    <label for="attachment">A file, up to {limit} KiB</label>
    <input type="file" id="attachment" name="attachment">
    {errors}
    <p><button>Upload</button></p>
  </form>
  <h2>Uploaded so far</h2>
  <ul id="uploads">
"#,
        banner = error_banner(&result),
        limit = FILE_LIMIT / 1024,
        errors = field_errors(&result, "attachment"),
    ));
    for file in lock(&demo.uploads).iter().rev() {
        content.push_str(&format!(
            "    <li>{} <small>({} bytes, {})</small></li>\n",
            escape(&file.name),
            file.size,
            escape(&file.content_type)
        ));
    }
    content.push_str("  </ul>\n");
    layout("Upload", "/upload", &content)
}

async fn not_found_page() -> impl IntoResponse {
    let page = layout(
        "Not found",
        "",
        r#"  <p>There is no page here. <a href="/">Back to the guestbook</a>.</p>"#,
    );
    (StatusCode::NOT_FOUND, page)
}
