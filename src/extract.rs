//! axum extractors (feature `axum`).
//!
//! # Example
//!
//! ```
//! use axum::response::Html;
//! use tower_actions::extract::ActionResult;
//! use tower_actions::{Action, ActionApiContext, ActionError, input::RawJson};
//!
//! struct Subscribe;
//! impl Action for Subscribe {
//!     const NAME: &'static str = "subscribe";
//!     type Input = RawJson;
//!     type Output = String;
//!     async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<String, ActionError> {
//!         Ok("subscribed".into())
//!     }
//! }
//!
//! async fn page(ActionResult(result): ActionResult<Subscribe>) -> Html<String> {
//!     Html(match result {
//!         None => "<p>Subscribe below.</p>".into(),
//!         Some(Ok(message)) => format!("<p>{message}</p>"),
//!         Some(Err(err)) => format!("<p>Failed: {}</p>", err.message()),
//!     })
//! }
//! let _ = axum::Router::<()>::new().route("/", axum::routing::post(page));
//! ```

use std::convert::Infallible;

use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::request::Parts;
use serde::de::DeserializeOwned;

use crate::context::ActionContext;
use crate::payload::ActionPayload;
use crate::result::SerializedActionResult;
use crate::{Action, ActionError};

/// The result of the form action `A`, when `A` is the action that ran for this page request
/// (the extractor form of [`action_result`](crate::action_result), Astro's
/// `Astro.getActionResult`). Never rejects.
#[doc(alias = "getActionResult")]
#[derive(Debug)]
pub struct ActionResult<A: Action>(pub Option<Result<A::Output, ActionError>>);

impl<A, S> FromRequestParts<S> for ActionResult<A>
where
    A: Action,
    A::Output: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let result = parts.extensions.get::<ActionPayload>();
        Ok(ActionResult(result.and_then(ActionPayload::result_of::<A>)))
    }
}

/// The request's [`ActionContext`] (Astro's `getActionContext`), in a gate. Rejects with 500
/// when the request is not an action request before the action ran (the handler is not
/// behind an [`ActionsLayer`](crate::ActionsLayer), or is the page a form action renders: a
/// page reads [`ActionResult`] or the [`ActionPayload`]).
impl<S: Send + Sync> FromRequestParts<S> for ActionContext {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        parts
            .extensions
            .get::<ActionContext>()
            .cloned()
            .ok_or_else(|| {
                ActionError::internal("this request is not an action request").into_response()
            })
    }
}

/// The error as the RPC endpoint answers it (internal messages hidden): a handler or gate
/// can return `Err(ActionError)`.
impl IntoResponse for ActionError {
    fn into_response(self) -> Response {
        SerializedActionResult::from_error(&self, false)
            .into_response()
            .map(|body| body.map_or_else(axum_core::body::Body::empty, axum_core::body::Body::from))
    }
}
