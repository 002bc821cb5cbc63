//! [`ActionsLayer`]: Astro Actions in front of any tower service.
//!
//! Requests that are not action calls go to the inner service untouched (their body wrapped,
//! never read). `POST {base}/_actions/<name>` runs the named action and answers with its
//! result, as Astro's RPC endpoint does.
//!
//! # Example
//!
//! ```
//! use bytes::Bytes;
//! use http::{Request, Response, StatusCode};
//! use http_body_util::{BodyExt, Full};
//! use tower::{ServiceBuilder, ServiceExt, service_fn};
//! use tower_actions::{
//!     Action, ActionApiContext, ActionError, Actions, ActionsLayer, layer::RequestBody,
//! };
//!
//! #[derive(serde::Deserialize, garde::Validate)]
//! struct Greeting {
//!     #[garde(length(chars, min = 1))]
//!     name: String,
//! }
//!
//! struct Greet;
//! impl Action for Greet {
//!     const NAME: &'static str = "greet";
//!     type Input = Greeting;
//!     type Output = String;
//!     async fn handle(&self, input: Greeting, _: &mut ActionApiContext) -> Result<String, ActionError> {
//!         Ok(format!("Hello, {}!", input.name))
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let page = service_fn(|_req: Request<RequestBody<Full<Bytes>>>| async {
//!     Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from("a page"))))
//! });
//! let app = ServiceBuilder::new()
//!     .layer(ActionsLayer::new(Actions::new().add(Greet)))
//!     .service(page);
//!
//! let request = Request::post("/_actions/greet")
//!     .header("content-type", "application/json")
//!     .body(Full::new(Bytes::from(r#"{"name":"Ada"}"#)))
//!     .unwrap();
//! let response = app.clone().oneshot(request).await.unwrap();
//! assert_eq!(response.status(), StatusCode::OK);
//! assert_eq!(response.headers()["content-type"], "application/json+devalue");
//! let body = response.into_body().collect().await.unwrap().to_bytes();
//! assert_eq!(body, r#"["Hello, Ada!"]"#);
//!
//! // Anything else reaches the page.
//! let response = app.oneshot(Request::get("/").body(Full::default()).unwrap()).await.unwrap();
//! let body = response.into_body().collect().await.unwrap().to_bytes();
//! assert_eq!(body, "a page");
//! # }
//! ```

mod body;
mod call;
mod future;
mod gate;
mod router;
mod rpc;
mod service;

pub use body::{RequestBody, ResponseBody};
pub use future::ResponseFuture;
pub use gate::{GateBody, HandleAction};
pub use router::{ActionsRouter, RouterFuture};
pub use service::ActionsService;

use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};
use tower::util::BoxCloneSyncService;
use tower_layer::Layer;
use tower_service::Service;

use gate::GateService;

use crate::decode::Limits;
use crate::origin::OriginCheck;
use crate::persist::Persist;
use crate::registry::Actions;

/// A [`Layer`] that serves [`Actions`] in front of an inner service (the app's pages).
///
/// Cheap to clone: the registry and configuration are shared.
#[derive(Clone, Debug)]
pub struct ActionsLayer {
    shared: Arc<Shared>,
}

/// What every clone of the service shares.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) actions: Actions,
    pub(crate) config: Config,
    /// The gates around [`HandleAction`], innermost last added.
    pub(crate) gates: GateService,
    /// Whether any gate was added: without one, RPC calls are handled directly.
    pub(crate) has_gates: bool,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("actions", &self.actions)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The layer's settings.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    /// The base path, without a trailing slash (`""` for the root).
    pub(crate) base: String,
    pub(crate) limits: Limits,
    pub(crate) expose_internal_errors: bool,
    pub(crate) origin: OriginCheck,
    pub(crate) persist: Option<Persist>,
    /// The messages of input errors, when not zod 4's English.
    pub(crate) messages: Option<Arc<crate::check::Messages>>,
}

impl ActionsLayer {
    /// A layer serving these actions with Astro's defaults: base path `/`, a 1 MiB body limit,
    /// unexpected error messages hidden from clients.
    pub fn new(actions: Actions) -> Self {
        ActionsLayer {
            shared: Arc::new(Shared {
                actions,
                config: Config {
                    base: String::new(),
                    limits: Limits::default(),
                    expose_internal_errors: false,
                    origin: OriginCheck::new(),
                    persist: None,
                    messages: None,
                },
                gates: HandleAction::innermost(),
                has_gates: false,
            }),
        }
    }

    fn config_mut(&mut self) -> &mut Config {
        &mut Arc::make_mut(&mut self.shared).config
    }

    /// Replaces zod 4's English in input errors by these messages (per issue code, per
    /// field): zod's `customError`, for a translated site. See [`Messages`](crate::check::Messages).
    ///
    /// ```
    /// use tower_actions::{Actions, ActionsLayer, check::Messages};
    ///
    /// let layer = ActionsLayer::new(Actions::new()).messages(
    ///     Messages::new().code("invalid_type", |_| "Champ obligatoire".to_owned()),
    /// );
    /// # let _ = layer;
    /// ```
    pub fn messages(mut self, messages: crate::check::Messages) -> Self {
        self.config_mut().messages = (!messages.is_empty()).then(|| Arc::new(messages));
        self
    }

    /// Serves the RPC endpoint under this base path (Astro's `base`): with `"/docs"`, actions
    /// answer at `/docs/_actions/<name>` (and, as in Astro, at `/_actions/<name>` too).
    pub fn base_path(mut self, base: &str) -> Self {
        let base = base.trim_end_matches('/');
        self.config_mut().base = if base.is_empty() || base.starts_with('/') {
            base.to_owned()
        } else {
            format!("/{base}")
        };
        self
    }

    /// The most bytes an action's request body may have (default 1 MiB, Astro's
    /// `actionBodySizeLimit`). A larger body is refused with 413 `CONTENT_TOO_LARGE`, before
    /// reading when `Content-Length` says so, else as soon as the count runs over.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.config_mut().limits.body_limit = bytes;
        self
    }

    /// The most bytes one uploaded file may have (default 1 MiB; the body limit applies too).
    pub fn file_limit(mut self, bytes: usize) -> Self {
        self.config_mut().limits.file_limit = bytes;
        self
    }

    /// The most entries a submitted form may have (default 1000).
    pub fn max_form_fields(mut self, fields: usize) -> Self {
        self.config_mut().limits.max_fields = fields;
        self
    }

    /// The deepest nesting of arrays and objects a JSON body may have (default 128 levels:
    /// `[[1]]` has two). A deeper body is refused with 400 `BAD_REQUEST`, `The JSON in the
    /// request body is nested deeper than 128 levels`, before any action sees it. Astro has
    /// no such limit; raise it if your inputs nest deeper. Parsing recurses once per level, so
    /// the limit is capped at 512 levels, which parse within a 2 MiB thread stack (the
    /// default of tokio's workers) even in a debug build; a higher value means 512.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Request, StatusCode};
    /// use http_body_util::{BodyExt, Full};
    /// use tower::{Layer, ServiceExt, service_fn};
    /// use tower_actions::{
    ///     Action, ActionApiContext, ActionError, Actions, ActionsLayer, input::RawJson,
    ///     layer::RequestBody,
    /// };
    ///
    /// struct Echo;
    /// impl Action for Echo {
    ///     const NAME: &'static str = "echo";
    ///     type Input = RawJson;
    ///     type Output = RawJson;
    ///     async fn handle(
    ///         &self,
    ///         input: RawJson,
    ///         _: &mut ActionApiContext,
    ///     ) -> Result<RawJson, ActionError> {
    ///         Ok(input)
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let pages = service_fn(|_: Request<RequestBody<Full<Bytes>>>| async {
    ///     Ok::<_, std::convert::Infallible>(http::Response::new(Full::new(Bytes::new())))
    /// });
    /// let deep = format!("{}{}", "[".repeat(200), "]".repeat(200)); // 200 levels
    /// let call = || {
    ///     Request::post("/_actions/echo")
    ///         .header("content-type", "application/json")
    ///         .body(Full::new(Bytes::from(deep.clone())))
    ///         .unwrap()
    /// };
    ///
    /// // Too deep for the default limit...
    /// let app = ActionsLayer::new(Actions::new().add(Echo)).layer(pages.clone());
    /// let response = app.oneshot(call()).await.unwrap();
    /// assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    /// let body = response.into_body().collect().await.unwrap().to_bytes();
    /// let message = r#""message":"The JSON in the request body is nested deeper than 128 levels"}"#;
    /// assert!(body.ends_with(message.as_bytes()));
    ///
    /// // ...and accepted under a raised one.
    /// let app = ActionsLayer::new(Actions::new().add(Echo))
    ///     .json_depth_limit(300)
    ///     .layer(pages);
    /// assert_eq!(app.oneshot(call()).await.unwrap().status(), StatusCode::OK);
    /// # }
    /// ```
    pub fn json_depth_limit(mut self, levels: usize) -> Self {
        self.config_mut().limits.json_depth = levels.min(crate::decode::JSON_DEPTH_CEILING);
        self
    }

    /// Whether the message of an unexpected (non-[`ActionError`](crate::ActionError)) error
    /// is sent to the client. Off by default: the client sees `Internal server error` and the
    /// message is logged with `tracing`. Astro always sends it; turn this on to match.
    pub fn expose_internal_errors(mut self, expose: bool) -> Self {
        self.config_mut().expose_internal_errors = expose;
        self
    }

    /// How cross-site form submissions are recognised and refused (on by default, as in
    /// Astro; [`OriginCheck::disabled`] turns it off). It runs before any gate and any action.
    pub fn origin_check(mut self, check: OriginCheck) -> Self {
        self.config_mut().origin = check;
        self
    }

    /// Turns on POST/redirect/GET for form actions: the result is kept in `store` and the
    /// form POST answers `303 See Other` back to its page (or to
    /// [`Persist::redirect_to`]); the next GET shows the result once. A `Location` the
    /// handler set is kept. A result the store cannot keep renders in place, with a warning.
    /// RPC calls are not affected.
    pub fn persist(mut self, persist: impl Into<Persist>) -> Self {
        self.config_mut().persist = Some(persist.into());
        self
    }

    /// Adds a gate: a tower layer (or axum `middleware::from_fn`) that sees every action
    /// request, with its [`ActionContext`](crate::ActionContext), before the action runs
    /// (Astro's action middleware, `getActionContext` in `onRequest`).
    ///
    /// A gate may answer itself (the action never runs and its body is never read), run the
    /// action through the context and store a result, or pass the request on to
    /// [`HandleAction`].
    /// A gate's error becomes a 500 `INTERNAL_SERVER_ERROR` answer. Gates added later run
    /// first, as with `Router::layer`.
    pub fn middleware<L, RB>(mut self, layer: L) -> Self
    where
        L: Layer<HandleAction>,
        L::Service:
            Service<Request<GateBody>, Response = Response<RB>> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request<GateBody>>>::Future: Send + 'static,
        <L::Service as Service<Request<GateBody>>>::Error: Into<crate::BoxError>,
        RB: http_body::Body<Data = Bytes> + Send + 'static,
        RB::Error: Into<crate::BoxError>,
    {
        let shared = Arc::make_mut(&mut self.shared);
        let gated = gate::Recover {
            inner: layer.layer(HandleAction::new(shared.gates.clone())),
            expose_internal: shared.config.expose_internal_errors,
        };
        shared.gates = BoxCloneSyncService::new(gated);
        shared.has_gates = true;
        self
    }

    /// The actions this layer serves.
    pub fn actions(&self) -> &Actions {
        &self.shared.actions
    }

    /// The base path (`""` for the root, else `/app`-like, without a trailing slash).
    #[cfg(feature = "openapi")]
    pub(crate) fn base(&self) -> &str {
        &self.shared.config.base
    }

    /// The body, file and form limits.
    #[cfg(feature = "openapi")]
    pub(crate) fn limits(&self) -> &Limits {
        &self.shared.config.limits
    }
}

impl ActionsLayer {
    /// The layer around a whole axum `Router` (or any service taking and giving axum's
    /// `Body`), ready for `axum::serve(listener, app.into_make_service())`.
    ///
    /// It answers as `Router::layer(layer)` does, for less: `Router::layer` wraps every route
    /// and the fallback in the layer, and axum boxes each again; around the whole `Router`, a
    /// request the layer passes through keeps its body (the `Router` is handed axum's `Body`
    /// as it came) and the `Router`'s response body is returned unchanged. Pass the `Router`
    /// after `with_state` (`router.with_state(())`), as [`ActionsRouter`] explains.
    ///
    /// ```
    /// use axum::{Router, ServiceExt as _, routing::get};
    /// use tower_actions::{Actions, ActionsLayer};
    ///
    /// # async fn serve(actions: Actions) -> std::io::Result<()> {
    /// let router = Router::new().route("/", get(|| async { "home" }));
    /// let app = ActionsLayer::new(actions).around(router.with_state(()));
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// axum::serve(listener, app.into_make_service()).await
    /// # }
    /// ```
    pub fn around<S>(&self, router: S) -> ActionsRouter<S> {
        ActionsRouter::new(ActionsService::new(
            router::AxumBodies(router),
            self.shared.clone(),
        ))
    }
}

impl<S> Layer<S> for ActionsLayer {
    type Service = ActionsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ActionsService::new(inner, self.shared.clone())
    }
}
