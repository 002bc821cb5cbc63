//! Defining actions: the [`Action`] trait, what it accepts, and the context its handler gets.
//!
//! # Example
//!
//! ```
//! use tower_actions::{Action, ActionApiContext, ActionError, ActionErrorCode, input::Accept};
//!
//! #[derive(serde::Deserialize, garde::Validate)]
//! struct LikeInput {
//!     #[garde(length(min = 1))]
//!     post_id: String,
//! }
//!
//! #[derive(serde::Serialize)]
//! struct Liked {
//!     post_id: String,
//!     likes: u32,
//! }
//!
//! struct Like;
//!
//! impl Action for Like {
//!     const NAME: &'static str = "blog.like";
//!     const ACCEPT: Accept = Accept::Json;
//!     type Input = LikeInput;
//!     type Output = Liked;
//!
//!     async fn handle(&self, input: LikeInput, cx: &mut ActionApiContext) -> Result<Liked, ActionError> {
//!         if cx.headers().get("x-user").is_none() {
//!             return Err(ActionError::new(ActionErrorCode::Unauthorized, "Not logged in"));
//!         }
//!         cx.response_headers_mut().insert("x-liked", "1".parse().unwrap());
//!         Ok(Liked { post_id: input.post_id, likes: 1 })
//!     }
//! }
//! # let _ = Like;
//! ```

use std::future::Future;

use http::{Extensions, HeaderMap, HeaderValue, Method, Uri, header};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ActionError;
use crate::observe::{Observed, Outcome};
use crate::validate::Validate;

/// The kind of body an action accepts (Astro's `accept`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Accept {
    /// `application/json`, or no body at all. The default.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded` or `multipart/form-data`: what an HTML form sends.
    Form,
}

/// Where an action call came from (Astro's `calledFrom`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalledFrom {
    /// `POST /_actions/<name>`: a client call; the response is the action's result.
    Rpc,
    /// `POST <page>?_action=<name>`: an HTML form; the page renders with the result.
    Form,
    /// A call from server code, without HTTP.
    Server,
}

impl CalledFrom {
    /// `"rpc"`, `"form"` or `"server"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CalledFrom::Rpc => "rpc",
            CalledFrom::Form => "form",
            CalledFrom::Server => "server",
        }
    }
}

/// A typed server function that clients call by name.
///
/// The input is deserialized from the request (JSON, or a form with Astro's coercion rules),
/// validated, then given to [`handle`](Action::handle). The output is sent to the client
/// as devalue (`application/json+devalue`); an output that is JavaScript `undefined` (`()`
/// or `None`) is a `204 No Content`.
#[doc(alias = "defineAction")]
pub trait Action: Send + Sync + 'static {
    /// The action's full name, dotted for namespaces: `"subscribe"`, `"blog.like"`.
    ///
    /// This name is how clients reach it (`POST /_actions/blog.like`, `?_action=blog.like`),
    /// so a typed handle alone says where its action lives.
    const NAME: &'static str;

    /// The body it accepts.
    const ACCEPT: Accept = Accept::Json;

    /// The input, deserialized from the body and validated before the handler runs.
    ///
    /// Use [`RawJson`](crate::RawJson) (a JSON action) or [`FormData`](crate::FormData) (a form
    /// action) to take the input as it came, with no schema.
    type Input: DeserializeOwned + Validate + Send + 'static;

    /// The result, serialized with devalue. `()` means no content (204).
    type Output: Serialize + Send + 'static;

    /// Runs the action.
    fn handle(
        &self,
        input: Self::Input,
        cx: &mut ActionApiContext,
    ) -> impl Future<Output = Result<Self::Output, ActionError>> + Send;
}

/// What an action's handler knows of the request, and what it adds to the response.
///
/// The request's extensions are Astro's `locals`: what outer middleware put there is visible
/// here, and what the handler puts there is visible to the page (form actions).
#[derive(Debug)]
#[doc(alias = "ActionAPIContext")]
pub struct ActionApiContext {
    // The request's parts, kept whole: handing them back after the handler is a move.
    parts: http::request::Parts,
    called_from: CalledFrom,
    response_headers: HeaderMap,
}

impl ActionApiContext {
    /// A context for the given request parts.
    pub fn new(parts: http::request::Parts, called_from: CalledFrom) -> Self {
        ActionApiContext {
            parts,
            called_from,
            response_headers: HeaderMap::new(),
        }
    }

    /// A context for calling an action from server code with no request at hand (a job, a
    /// test): method `POST`, URI `/`, no headers.
    pub fn detached() -> Self {
        let (mut parts, ()) = http::Request::new(()).into_parts();
        parts.method = Method::POST;
        parts.uri = Uri::from_static("/");
        ActionApiContext {
            parts,
            called_from: CalledFrom::Server,
            response_headers: HeaderMap::new(),
        }
    }

    /// A context for calling an action from server code while handling `request`: it sees the
    /// request's method, URI, headers and extensions (cloned).
    pub fn for_request<B>(request: &http::Request<B>) -> Self {
        let (mut parts, ()) = http::Request::new(()).into_parts();
        parts.method = request.method().clone();
        parts.uri = request.uri().clone();
        parts.version = request.version();
        parts.headers = request.headers().clone();
        parts.extensions = request.extensions().clone();
        ActionApiContext {
            parts,
            called_from: CalledFrom::Server,
            response_headers: HeaderMap::new(),
        }
    }

    /// The request method.
    pub fn method(&self) -> &Method {
        &self.parts.method
    }

    /// The request URI.
    pub fn uri(&self) -> &Uri {
        &self.parts.uri
    }

    /// The request headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// The request's extensions (Astro's `locals`).
    pub fn extensions(&self) -> &Extensions {
        &self.parts.extensions
    }

    /// The request's extensions, to add to.
    pub fn extensions_mut(&mut self) -> &mut Extensions {
        &mut self.parts.extensions
    }

    /// One value of the request's extensions, by type.
    pub fn local<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.parts.extensions.get::<T>()
    }

    /// Where the call came from.
    pub fn called_from(&self) -> CalledFrom {
        self.called_from
    }

    /// A cookie of the request, by name (its value percent-decoded).
    pub fn cookie(&self, name: &str) -> Option<cookie::Cookie<'static>> {
        request_cookie(
            &self.parts.headers,
            name,
            cookie::Cookie::split_parse_encoded,
        )
    }

    /// Headers added to the response (the RPC response, or the page in the form flow).
    pub fn response_headers(&self) -> &HeaderMap {
        &self.response_headers
    }

    /// Headers to add to the response.
    pub fn response_headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.response_headers
    }

    /// Adds a `Set-Cookie` header to the response. The cookie's value is percent-encoded.
    pub fn set_cookie(&mut self, cookie: cookie::Cookie<'_>) {
        // A cookie's encoded form is visible ASCII, which is always a valid header value.
        if let Ok(value) = HeaderValue::from_str(&cookie.encoded().to_string()) {
            self.response_headers.append(header::SET_COOKIE, value);
        }
    }

    /// Calls an action from server code, without HTTP: the input is validated, then the
    /// handler runs with this context (Astro's `callAction`).
    pub async fn call<A: Action>(
        &mut self,
        action: &A,
        input: A::Input,
    ) -> Result<A::Output, ActionError> {
        let observed = Observed::start(A::NAME, Some(A::NAME), CalledFrom::Server);
        let result = observed
            .in_span(std::pin::pin!(async {
                input.validate().map_err(ActionError::input)?;
                action.handle(input, self).await
            }))
            .await;
        observed.finish(None, Some(Outcome::of_result(&result)));
        result
    }

    /// The request's method, URI and headers back (they are read-only here), with `version`
    /// and no extensions; and the extensions and the response headers.
    pub(crate) fn into_request_parts(
        self,
        version: http::Version,
    ) -> (http::request::Parts, Extensions, HeaderMap) {
        let mut parts = self.parts;
        parts.version = version;
        let extensions = std::mem::take(&mut parts.extensions);
        (parts, extensions, self.response_headers)
    }
}

/// A cookie of a request, by name, read from every `Cookie` header with `split` (raw or
/// percent-decoding).
pub(crate) fn request_cookie<'a, I>(
    headers: &'a HeaderMap,
    name: &str,
    split: fn(&'a str) -> I,
) -> Option<cookie::Cookie<'static>>
where
    I: Iterator<Item = Result<cookie::Cookie<'a>, cookie::ParseError>>,
{
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(split)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(cookie::Cookie::into_owned)
}
