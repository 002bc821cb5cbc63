//! The parity fixture: the actions and page that a reference Astro 7.3.5 server defines too
//! (`scripts/astro-parity`, `scripts/zod-issues`), so that the two can be compared request by
//! request. Shared by `main.rs` and the tests (`#[path]`-included), so both run exactly this
//! code.

#![allow(dead_code)]

use axum::Router;
use axum::extract::Request;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use tower_actions::{
    Action, ActionApiContext, ActionError, ActionErrorCode, Actions, ActionsLayer, action_result,
    input::{Accept, FormData, FormValue, RawJson, UploadedFile},
    js,
};

/// `greet` (json): `{ name: string, at least 1 char }` → `Hello, {name}!`.
pub struct Greet;

#[derive(Deserialize, Serialize, garde::Validate)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct GreetInput {
    #[garde(custom(tower_actions::check::min(1)))]
    pub name: String,
}

impl Action for Greet {
    const NAME: &'static str = "greet";
    type Input = GreetInput;
    type Output = String;
    async fn handle(
        &self,
        input: GreetInput,
        _: &mut ActionApiContext,
    ) -> Result<String, ActionError> {
        Ok(format!("Hello, {}!", input.name))
    }
}

/// `sum` (json): `{ a: number, b: number }` → `a + b`.
pub struct Sum;

#[derive(Deserialize, Serialize, garde::Validate)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct SumInput {
    #[garde(skip)]
    pub a: f64,
    #[garde(skip)]
    pub b: f64,
}

impl Action for Sum {
    const NAME: &'static str = "sum";
    type Input = SumInput;
    type Output = f64;
    async fn handle(&self, input: SumInput, _: &mut ActionApiContext) -> Result<f64, ActionError> {
        Ok(input.a + input.b)
    }
}

/// `noInput` (json, no schema): returns the raw input unchanged (no body: 204).
pub struct NoInput;

impl Action for NoInput {
    const NAME: &'static str = "noInput";
    type Input = RawJson;
    type Output = RawJson;
    async fn handle(
        &self,
        input: RawJson,
        _: &mut ActionApiContext,
    ) -> Result<RawJson, ActionError> {
        Ok(input)
    }
}

/// `empty` (json, no schema): returns nothing (204).
pub struct Empty;

impl Action for Empty {
    const NAME: &'static str = "empty";
    type Input = RawJson;
    type Output = ();
    async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<(), ActionError> {
        Ok(())
    }
}

/// `whoami` (json, no schema): the `x-user` header, or UNAUTHORIZED.
pub struct Whoami;

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct User {
    pub user: String,
}

impl Action for Whoami {
    const NAME: &'static str = "whoami";
    type Input = RawJson;
    type Output = User;
    async fn handle(&self, _: RawJson, cx: &mut ActionApiContext) -> Result<User, ActionError> {
        let user = cx
            .headers()
            .get("x-user")
            .ok_or_else(|| ActionError::new(ActionErrorCode::Unauthorized, "Not logged in"))?;
        Ok(User {
            user: String::from_utf8_lossy(user.as_bytes()).into_owned(),
        })
    }
}

/// `boom` (json, no schema): fails with an unexpected error, `kaboom`.
pub struct Boom;

impl Action for Boom {
    const NAME: &'static str = "boom";
    type Input = RawJson;
    type Output = ();
    async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<(), ActionError> {
        Err(std::io::Error::other("kaboom"))?
    }
}

/// `missing` (json): `{ id: string }` → NOT_FOUND `no item {id}`.
pub struct Missing;

#[derive(Deserialize, Serialize, garde::Validate)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct MissingInput {
    #[garde(skip)]
    pub id: String,
}

impl Action for Missing {
    const NAME: &'static str = "missing";
    type Input = MissingInput;
    type Output = ();
    async fn handle(
        &self,
        input: MissingInput,
        _: &mut ActionApiContext,
    ) -> Result<(), ActionError> {
        Err(ActionError::new(
            ActionErrorCode::NotFound,
            format!("no item {}", input.id),
        ))
    }
}

/// `blog.like` (json): `{ postId: string }` → `{ postId, likes: 1 }`.
pub struct BlogLike;

#[derive(Deserialize, Serialize, garde::Validate)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PostRef {
    #[garde(skip)]
    pub post_id: String,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Liked {
    pub post_id: String,
    pub likes: u32,
}

impl Action for BlogLike {
    const NAME: &'static str = "blog.like";
    type Input = PostRef;
    type Output = Liked;
    async fn handle(&self, input: PostRef, _: &mut ActionApiContext) -> Result<Liked, ActionError> {
        Ok(Liked {
            post_id: input.post_id,
            likes: 1,
        })
    }
}

/// `teapot` (json, no schema): TOO_MANY_REQUESTS `slow down`.
pub struct Teapot;

impl Action for Teapot {
    const NAME: &'static str = "teapot";
    type Input = RawJson;
    type Output = ();
    async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<(), ActionError> {
        Err(ActionError::new(
            ActionErrorCode::TooManyRequests,
            "slow down",
        ))
    }
}

/// `subscribe` (form): `{ email: string, an email address }` → `{ email, subscribed: true }`.
pub struct Subscribe;

#[derive(Deserialize, Serialize, garde::Validate)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct SubscribeInput {
    #[garde(custom(tower_actions::check::email()))]
    pub email: String,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct Subscribed {
    pub email: String,
    pub subscribed: bool,
}

impl Action for Subscribe {
    const NAME: &'static str = "subscribe";
    const ACCEPT: Accept = Accept::Form;
    type Input = SubscribeInput;
    type Output = Subscribed;
    async fn handle(
        &self,
        input: SubscribeInput,
        _: &mut ActionApiContext,
    ) -> Result<Subscribed, ActionError> {
        Ok(Subscribed {
            email: input.email,
            subscribed: true,
        })
    }
}

/// `comment` (form): `{ postId, author, body: at least 10 chars }` → the same.
pub struct Comment;

#[derive(Deserialize, Serialize, Debug, PartialEq, garde::Validate)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CommentInput {
    #[garde(skip)]
    pub post_id: String,
    #[garde(skip)]
    pub author: String,
    #[garde(custom(tower_actions::check::min(10)))]
    pub body: String,
}

impl Action for Comment {
    const NAME: &'static str = "comment";
    const ACCEPT: Accept = Accept::Form;
    type Input = CommentInput;
    type Output = CommentInput;
    async fn handle(
        &self,
        input: CommentInput,
        _: &mut ActionApiContext,
    ) -> Result<CommentInput, ActionError> {
        Ok(input)
    }
}

/// `fields` (form): every coercion rule at once; returns the parsed input.
pub struct Fields;

#[derive(Deserialize, Serialize, Debug, PartialEq, garde::Validate)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct FieldsInput {
    #[garde(skip)]
    pub tags: Vec<String>,
    #[garde(skip)]
    pub agree: bool,
    #[garde(skip)]
    pub count: Option<f64>,
    #[garde(skip)]
    pub nickname: Option<String>,
    #[garde(skip)]
    pub level: Level,
}

#[derive(Deserialize, Serialize, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    High,
}

impl Action for Fields {
    const NAME: &'static str = "fields";
    const ACCEPT: Accept = Accept::Form;
    type Input = FieldsInput;
    type Output = FieldsInput;
    async fn handle(
        &self,
        input: FieldsInput,
        _: &mut ActionApiContext,
    ) -> Result<FieldsInput, ActionError> {
        Ok(input)
    }
}

/// `rich` (json, no schema): every JavaScript type devalue carries.
pub struct Rich;

#[derive(Serialize, Deserialize, Debug)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct RichOutput {
    pub date: js::Date,
    pub map: js::Map<String, f64>,
    pub set: js::Set<f64>,
    pub url: js::Url,
    pub big: js::BigInt,
    pub nan: f64,
    pub inf: f64,
    pub negz: f64,
    pub undef: js::Undefined,
    pub nested: (Vec<f64>, Kv),
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct Kv {
    pub k: String,
}

impl Action for Rich {
    const NAME: &'static str = "rich";
    type Input = RawJson;
    type Output = RichOutput;
    async fn handle(
        &self,
        _: RawJson,
        _: &mut ActionApiContext,
    ) -> Result<RichOutput, ActionError> {
        Ok(rich_output())
    }
}

/// What `rich` answers: one value of every JavaScript type devalue carries.
pub fn rich_output() -> RichOutput {
    RichOutput {
        date: js::Date::from_unix_millis(0),
        map: js::Map(vec![("a".to_owned(), 1.0)]),
        set: js::Set(vec![1.0, 2.0]),
        url: js::Url::new("https://example.com/x"),
        big: js::BigInt::from(10),
        nan: f64::NAN,
        inf: f64::NEG_INFINITY,
        negz: -0.0,
        undef: js::Undefined,
        nested: (vec![1.0, 2.0], Kv { k: "v".to_owned() }),
    }
}

/// `upload` (form): `{ file: File }` → `{ name, size, type }`.
pub struct Upload;

#[derive(Deserialize, Serialize, garde::Validate)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct UploadInput {
    #[garde(skip)]
    pub file: UploadedFile,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(schemars::JsonSchema))]
pub struct FileInfo {
    pub name: String,
    pub size: usize,
    #[serde(rename = "type")]
    pub content_type: String,
}

impl Action for Upload {
    const NAME: &'static str = "upload";
    const ACCEPT: Accept = Accept::Form;
    type Input = UploadInput;
    type Output = FileInfo;
    async fn handle(
        &self,
        input: UploadInput,
        _: &mut ActionApiContext,
    ) -> Result<FileInfo, ActionError> {
        Ok(FileInfo {
            name: input.file.name().to_owned(),
            size: input.file.size(),
            content_type: input.file.content_type().to_owned(),
        })
    }
}

/// `rawForm` (form, no schema): each field name to the array of its values (a file counts as
/// its file name).
pub struct RawForm;

impl Action for RawForm {
    const NAME: &'static str = "rawForm";
    const ACCEPT: Accept = Accept::Form;
    type Input = FormData;
    type Output = serde_json::Map<String, serde_json::Value>;
    async fn handle(
        &self,
        form: FormData,
        _: &mut ActionApiContext,
    ) -> Result<serde_json::Map<String, serde_json::Value>, ActionError> {
        let mut out = serde_json::Map::new();
        for (name, value) in form.iter() {
            let text = match value {
                FormValue::Text(text) => text.clone(),
                FormValue::File(file) => file.name().to_owned(),
            };
            let values = out
                .entry(name)
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let serde_json::Value::Array(values) = values {
                values.push(text.into());
            }
        }
        Ok(out)
    }
}

/// Every action of the fixture.
pub fn actions() -> Actions {
    Actions::new()
        .add(Greet)
        .add(Sum)
        .add(NoInput)
        .add(Empty)
        .add(Whoami)
        .add(Boom)
        .add(Missing)
        .add(BlogLike)
        .add(Teapot)
        .add(Rich)
        .add(Subscribe)
        .add(Comment)
        .add(Fields)
        .add(Upload)
        .add(RawForm)
}

/// The client module generator for every action of the fixture (feature `typescript`).
#[cfg(feature = "typescript")]
pub fn typescript() -> tower_actions::typescript::ClientModule {
    tower_actions::typescript::ClientModule::new()
        .action::<Greet>()
        .action::<Sum>()
        .action::<NoInput>()
        .action::<Empty>()
        .action::<Whoami>()
        .action::<Boom>()
        .action::<Missing>()
        .action::<BlogLike>()
        .action::<Teapot>()
        .action::<Rich>()
        .action::<Subscribe>()
        .action::<Comment>()
        .action::<Fields>()
        .action::<Upload>()
        .action::<RawForm>()
}

/// The layer with the fixture's settings: every protocol default, and internal error
/// messages exposed, as Astro sends them.
pub fn layer() -> ActionsLayer {
    ActionsLayer::new(actions()).expose_internal_errors(true)
}

/// What the page shows of one action's result (the fixture's `RESULT`).
fn show<T: Serialize>(result: Option<Result<T, ActionError>>) -> String {
    match result {
        None => "none".to_owned(),
        Some(Ok(data)) => format!("data {}", serde_json::to_string(&data).unwrap_or_default()),
        Some(Err(err)) => {
            let head = format!("error {} {}", err.code(), err.status().as_u16());
            match err.as_input_error() {
                Some(input) => {
                    let fields: serde_json::Map<String, serde_json::Value> = input
                        .fields()
                        .into_iter()
                        .map(|(key, messages)| (key, messages.into()))
                        .collect();
                    format!("{head} fields={}", serde_json::Value::Object(fields))
                }
                None => format!("{head} message={}", err.message()),
            }
        }
    }
}

/// Escapes text for HTML as Astro does (`& < > " '`).
fn escape(text: &str) -> String {
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

/// The value the user typed in a field of `form`'s last submission, escaped for an attribute.
fn typed<B>(request: &http::Request<B>, action: &str, field: &str) -> String {
    request
        .extensions()
        .get::<tower_actions::ActionPayload>()
        .filter(|payload| payload.name == action)
        .and_then(|payload| payload.value(field))
        .map(escape)
        .unwrap_or_default()
}

/// The page at `/`: the result of `subscribe` and `comment`, and a form for each, filled in
/// again with what was typed.
async fn page(request: Request) -> impl axum::response::IntoResponse {
    let subscribe = show(action_result::<Subscribe, _>(&request));
    let comment = show(action_result::<Comment, _>(&request));
    let email = typed(&request, Subscribe::NAME, "email");
    let author = typed(&request, Comment::NAME, "author");
    let body = typed(&request, Comment::NAME, "body");
    (
        [("content-type", "text/html")],
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
    <p id="comment-result">comment: {comment}</p>

    <form method="POST" action="?_action=subscribe" id="subscribe-form">
      <input type="email" name="email" value="{email}" />
      <button>Subscribe</button>
    </form>

    <form method="POST" action="?_action=comment" id="comment-form">
      <input type="hidden" name="postId" value="p1" />
      <input name="author" value="{author}" />
      <textarea name="body">{body}</textarea>
      <button>Comment</button>
    </form>
  </body>
</html>
"#,
            subscribe = escape(&subscribe),
            comment = escape(&comment),
        ),
    )
}

/// The fixture's pages: `/` and `/ping`, and a plain 404 for anything else.
pub fn routes() -> Router {
    Router::new()
        .route("/", get(page).post(page))
        .route(
            "/ping",
            get(|| async { ([("content-type", "text/plain;charset=UTF-8")], "pong") }),
        )
        .fallback(|| async {
            (
                http::StatusCode::NOT_FOUND,
                [("content-type", "text/html")],
                "<!doctype html><title>Not found</title><h1>404: Not found</h1>",
            )
        })
}

/// The whole app: the pages behind the actions layer.
pub fn app() -> Router {
    routes().layer(layer())
}

/// The port to serve on: `$PORT`, else `default`.
pub fn port_from_env(default: u16) -> std::io::Result<u16> {
    match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("PORT is not a port number: {port}"),
            )
        }),
        Err(_) => Ok(default),
    }
}
