//! A typed Rust client for actions (feature `client`): [`ActionClient`] calls an action by its
//! type over any tower HTTP service, sending and reading exactly what Astro's browser client
//! does, so it talks to this crate's layer and to an Astro server alike.
//!
//! JSON actions get a JSON body (none at all when the input is `()` or `None`: JavaScript
//! `undefined`); form actions get their input as form entries, URL-encoded, or multipart as
//! soon as it holds an [`UploadedFile`](crate::UploadedFile). A `204` is the output `()` /
//! `None`, any other success devalue, anything else an [`ActionError`] read from the body.
//!
//! # Example
//!
//! ```
//! use bytes::Bytes;
//! use http::{Request, Response};
//! use http_body_util::Full;
//! use tower::{ServiceBuilder, service_fn};
//! use tower_actions::client::{ActionClient, TrailingSlash, action_path, query_string};
//! use tower_actions::{
//!     Action, ActionApiContext, ActionError, ActionErrorCode, Actions, ActionsLayer,
//!     layer::RequestBody,
//! };
//!
//! #[derive(serde::Serialize, serde::Deserialize, garde::Validate)]
//! struct Greeting {
//!     #[garde(length(chars, min = 1))]
//!     name: String,
//! }
//!
//! struct Greet;
//! impl Action for Greet {
//!     const NAME: &'static str = "hello.greet";
//!     type Input = Greeting;
//!     type Output = String;
//!     async fn handle(&self, input: Greeting, _: &mut ActionApiContext) -> Result<String, ActionError> {
//!         Ok(format!("Hello, {}!", input.name))
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! assert_eq!(action_path::<Greet>(), "/_actions/hello.greet/");
//! assert_eq!(query_string::<Greet>(), "?_action=hello.greet");
//!
//! // Any tower service will do: here the app itself, in process. Over the network, a
//! // hyper-util client with `ActionClient::new(client, "http://127.0.0.1:4321")`.
//! let page = service_fn(|_req: Request<RequestBody<Full<Bytes>>>| async {
//!     Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from("a page"))))
//! });
//! let app = ServiceBuilder::new()
//!     .layer(ActionsLayer::new(Actions::new().add(Greet)))
//!     .service(page);
//! let client = ActionClient::new(app, "/").trailing_slash(TrailingSlash::Never);
//! assert_eq!(client.action_path::<Greet>(), "/_actions/hello.greet");
//!
//! let hello = client.call::<Greet>(Greeting { name: "Ada".into() }).await.unwrap();
//! assert_eq!(hello, "Hello, Ada!");
//!
//! let error = client.call::<Greet>(Greeting { name: "".into() }).await.unwrap_err();
//! assert_eq!(error.code(), ActionErrorCode::BadRequest);
//! assert_eq!(error.as_input_error().unwrap().fields()[0].0, "name");
//! # }
//! ```

mod form;
mod form_body;
mod json;
mod path;
mod request;
mod response;

pub use path::{
    TrailingSlash, action_path, action_path_for, encoded_name, query_string, query_string_for,
};

use bytes::Bytes;
use http::header::IntoHeaderName;
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body_util::Full;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower::ServiceExt;
use tower_service::Service;

use crate::BoxError;
use crate::action::Action;
use crate::error::ActionError;

/// Calls actions by their type over a tower HTTP service (a hyper-util client, or an app in
/// process), as Astro's client does. See the [module docs](self) for an example.
///
/// The service is cloned for each call, as tower clients are meant to be.
#[derive(Debug, Clone)]
pub struct ActionClient<S> {
    service: S,
    config: request::Config,
}

impl<S> ActionClient<S> {
    /// A client sending its calls through `service` to `base_url`: the server's origin with an
    /// optional base path (`http://127.0.0.1:4321`, `https://example.com/docs`), or only a
    /// base path (`/`) for a service that takes bare paths, like an app in process.
    ///
    /// Paths end with `/` ([`TrailingSlash::Always`], Astro's default); change it with
    /// [`trailing_slash`](Self::trailing_slash).
    pub fn new(service: S, base_url: impl AsRef<str>) -> Self {
        ActionClient {
            service,
            config: request::Config::new(base_url.as_ref()),
        }
    }

    /// Sets the base path (Astro's `base`), replacing any path given in the base URL.
    pub fn base_path(mut self, base: impl Into<String>) -> Self {
        self.config.base = base.into();
        self
    }

    /// Sets whether action paths end with `/` (Astro's `trailingSlash`).
    pub fn trailing_slash(mut self, trailing_slash: TrailingSlash) -> Self {
        self.config.trailing_slash = trailing_slash;
        self
    }

    /// Adds a header to every request (`Origin`, `Authorization`, a cookie…), replacing the
    /// client's own `Accept: application/json` if it is an `Accept`.
    pub fn header(mut self, name: impl IntoHeaderName, value: HeaderValue) -> Self {
        self.config.headers.append(name, value);
        self
    }

    /// The headers added to every request.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.config.headers
    }

    /// The service calls go through.
    pub fn service(&self) -> &S {
        &self.service
    }

    /// `A`'s RPC path with this client's base path and trailing slash: `/_actions/blog.like/`.
    pub fn action_path<A: Action>(&self) -> String {
        self.config.path(A::NAME)
    }

    /// `A`'s RPC URL: the origin (if the client has one) and [`action_path`](Self::action_path).
    pub fn action_url<A: Action>(&self) -> String {
        self.config.url(A::NAME)
    }

    /// The query string that makes a page's form call `A`: `?_action=blog.like`.
    pub fn query_string<A: Action>(&self) -> String {
        query_string::<A>()
    }

    /// The request [`call`](Self::call) sends for `A` with `input`, for sending it another way.
    ///
    /// Fails (`BAD_REQUEST`, before any request, as Astro's client) when the input cannot be
    /// encoded: JSON that `serde_json` refuses, or a form input that is not a struct or map.
    pub fn request<A>(&self, input: &A::Input) -> Result<Request<Full<Bytes>>, ActionError>
    where
        A: Action,
        A::Input: Serialize,
    {
        self.config.request::<A>(input)
    }
}

impl<S, B> ActionClient<S>
where
    S: Service<Request<Full<Bytes>>, Response = Response<B>> + Clone,
    S::Error: Into<BoxError>,
    B: http_body::Body,
    B::Error: Into<BoxError>,
{
    /// Calls `A` with `input` and returns its output, or the error the server answered with
    /// (Astro's `actions.x.orThrow(input)`).
    ///
    /// A transport failure, or a success body that is not devalue for `A::Output`, is an
    /// `INTERNAL_SERVER_ERROR`; an error body that is not JSON is one too, with the body's text
    /// as its message (what a gate's own `401 Unauthorized` becomes, as in Astro).
    ///
    /// Redirects are not followed (unless the service follows them): a `3xx` is an error too.
    pub async fn call<A>(&self, input: A::Input) -> Result<A::Output, ActionError>
    where
        A: Action,
        A::Input: Serialize,
        A::Output: DeserializeOwned,
    {
        let request = self.request::<A>(&input)?;
        let response = self
            .service
            .clone()
            .oneshot(request)
            .await
            .map_err(|e| ActionError::internal(e.into()))?;
        response::read_response(response).await
    }
}
