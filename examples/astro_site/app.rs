//! An Astro front end on a Rust back end: the pages `astro build` wrote (static output), served
//! by axum, with the actions in Rust behind one `ActionsLayer`.
//!
//! Shared by `main.rs` (`cargo run --example astro_site`) and the browser tests
//! (`tests/it/astro_site.rs` includes this file with `#[path]`), so both run exactly this code.
//!
//! - The site (`site/`) has no `src/actions/`: its page imports Astro's browser client from
//!   `astro:actions`, whose `actions.greet(..)` and `actions.counter.add(..)` post to
//!   `/_actions/greet` and `/_actions/counter.add`, here.
//! - `/_astro/…` (the page's script, with Astro's client bundled in) and every other built
//!   file come from `dist/` through tower-http's `ServeDir`.
//! - `/` is a handler: with JavaScript off, the page's form posts to `/?_action=greet`; the
//!   layer runs the action and calls the handler, which writes the result (or the input
//!   error, and the value the user typed) into the built HTML, where the page's script would
//!   have written it with JavaScript on ([`BuiltPage`]).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use tower_actions::{
    Action, ActionApiContext, ActionError, ActionPayload, Actions, ActionsLayer, action_result,
    check, input::Accept,
};
use tower_http::services::ServeDir;

// ---------------------------------------------------------------------------------------------
// The actions: what an Astro site would define in `src/actions/index.ts`.

/// `greet: defineAction({ accept: 'form', input: z.object({ name: z.string().min(1).max(40) }) })`
#[derive(Deserialize, garde::Validate)]
pub struct GreetInput {
    #[garde(custom(check::min(1)), custom(check::max(40)))]
    pub name: String,
}

/// Greets: a form action, posted by the page's form (JavaScript off) or called as
/// `actions.greet(new FormData(form))` (JavaScript on).
pub struct Greet;

impl Action for Greet {
    const NAME: &'static str = "greet";
    const ACCEPT: Accept = Accept::Form;
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

/// `counter.add`'s input: `z.object({ by: z.number().int().min(1).max(10) })`.
#[derive(Deserialize, garde::Validate)]
pub struct AddInput {
    #[garde(custom(check::int()), custom(check::min(1)), custom(check::max(10)))]
    pub by: f64,
}

/// `counter.add`'s output: the new total.
#[derive(Serialize, Deserialize)]
pub struct Total {
    pub total: u64,
}

/// Adds to a counter kept in memory: a JSON action, called as `actions.counter.add({ by })`.
#[derive(Default)]
pub struct CounterAdd {
    total: Arc<AtomicU64>,
}

impl Action for CounterAdd {
    const NAME: &'static str = "counter.add";
    type Input = AddInput;
    type Output = Total;

    async fn handle(
        &self,
        input: AddInput,
        _: &mut ActionApiContext,
    ) -> Result<Total, ActionError> {
        let by = input.by as u64;
        Ok(Total {
            total: self.total.fetch_add(by, Ordering::Relaxed) + by,
        })
    }
}

/// The site's actions.
pub fn actions() -> Actions {
    Actions::new().add(Greet).add(CounterAdd::default())
}

// ---------------------------------------------------------------------------------------------
// The app

/// The site in `dist` (what `astro build` wrote), with its actions: results render in place.
pub fn app(dist: impl Into<PathBuf>) -> Router {
    app_with(dist, ActionsLayer::new(actions()))
}

/// The site in `dist` behind `layer` (e.g. `ActionsLayer::new(actions()).persist(..)` for
/// POST/redirect/GET: the page handler is the same).
pub fn app_with(dist: impl Into<PathBuf>, layer: ActionsLayer) -> Router {
    let dist: PathBuf = dist.into();
    Router::new()
        // Pages with forms: a handler, since a form posts to its page (GET and POST).
        .route("/", get(home).post(home))
        .with_state(Arc::new(dist.clone()))
        // Everything else Astro built, as it is.
        .fallback_service(ServeDir::new(dist))
        .layer(layer)
}

/// `/`: the built `index.html`, with the result of a `greet` form post written into it.
async fn home(State(dist): State<Arc<PathBuf>>, request: Request) -> Response {
    let page = match BuiltPage::read(dist.join("index.html")).await {
        Ok(page) => page,
        Err(err) => return (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
    };
    // What `Astro.getActionResult(actions.greet)` gives an Astro page rendered on demand:
    // `None` on a GET, the result after the form post. The ids are the ones the page's
    // script fills with JavaScript on.
    let page = match action_result::<Greet, _>(&request) {
        None => page,
        Some(Ok(greeting)) => page.text("greeting", &greeting),
        Some(Err(err)) => match err.as_input_error() {
            Some(input) => page.text("name-error", &input.field("name").join(" ")),
            None => page.text("greeting", &err.message()),
        },
    };
    // The value the user typed, kept (an error's 4xx status is set by the layer).
    match request
        .extensions()
        .get::<ActionPayload>()
        .and_then(|payload| payload.value("name"))
    {
        Some(name) => page.value("name", name).into_response(),
        None => page.into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Filling a built page

/// A page `astro build` wrote, read for one response, with text and values written into the
/// elements the page marks with an `id`: the server-side half of a page whose script fills
/// the same elements with JavaScript on.
pub struct BuiltPage {
    html: String,
}

impl BuiltPage {
    /// Reads a built page (e.g. `dist/index.html`). Read per request, as `ServeDir` does, so
    /// that a new `astro build` is served without a restart.
    pub async fn read(path: impl AsRef<Path>) -> std::io::Result<BuiltPage> {
        Ok(BuiltPage {
            html: tokio::fs::read_to_string(path).await?,
        })
    }

    /// A page from HTML in memory.
    pub fn new(html: impl Into<String>) -> BuiltPage {
        BuiltPage { html: html.into() }
    }

    /// Writes `text`, escaped, as the text of the first element whose `id` is `id`,
    /// replacing the text the build left there (up to the element's first child or its end).
    pub fn text(mut self, id: &str, text: &str) -> BuiltPage {
        if let Some((_, end)) = self.start_tag(id) {
            let content_end = self.html[end..]
                .find('<')
                .map_or(self.html.len(), |n| end + n);
            self.html.replace_range(end..content_end, &escape(text));
        }
        self
    }

    /// Sets the `value` attribute (escaped) of the first element whose `id` is `id`: an
    /// `<input>` showing what the user typed.
    pub fn value(mut self, id: &str, value: &str) -> BuiltPage {
        if let Some((start, end)) = self.start_tag(id) {
            let attribute = format!(r#" value="{}""#, escape(value));
            let tag = &self.html[start..end];
            let replace = match tag.find(r#" value=""#) {
                // The build's own `value="…"`, replaced.
                Some(at) => {
                    let close = tag[at + 8..]
                        .find('"')
                        .map_or(tag.len(), |n| at + 8 + n + 1);
                    start + at..start + close
                }
                // Before the tag's `>` (or `/>`).
                None => {
                    let before = if tag.ends_with("/>") {
                        end - 2
                    } else {
                        end - 1
                    };
                    before..before
                }
            };
            self.html.replace_range(replace, &attribute);
        }
        self
    }

    /// The HTML as it is now.
    pub fn html(&self) -> &str {
        &self.html
    }

    /// Where the start tag of the first element with ` id="{id}"` begins, and the byte after
    /// its `>`.
    fn start_tag(&self, id: &str) -> Option<(usize, usize)> {
        let found = self.html.find(&format!(r#" id="{id}""#)).and_then(|at| {
            let start = self.html[..at].rfind('<')?;
            let end = at + self.html[at..].find('>')? + 1;
            Some((start, end))
        });
        if found.is_none() {
            tracing::warn!(id, "the built page has no element with this id");
        }
        found
    }
}

impl IntoResponse for BuiltPage {
    fn into_response(self) -> Response {
        Html(self.html).into_response()
    }
}

/// Text made safe for HTML content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}
