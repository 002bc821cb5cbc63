//! Gates: user middleware that sees every action request before the action runs.
//!
//! A gate is any tower [`Layer`](tower_layer::Layer) (or axum `middleware::from_fn`) given to
//! [`ActionsLayer::middleware`](super::ActionsLayer::middleware). It wraps [`HandleAction`],
//! the service that handles the action, so it can answer itself (a veto: the action never runs),
//! run the action first through the request's [`ActionContext`], or pass the request on.
//! The request it sees has the [`ActionContext`] in its extensions and an empty body: the
//! action's body stays with the context, read only if the action runs.

use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::FutureExt;
use http::request::Parts;
use http::{Request, Response};
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;
use tower_service::Service;

use crate::BoxError;
use crate::action::CalledFrom;
use crate::context::ActionContext;
use crate::error::ActionError;
use crate::payload::ActionPayload;
use crate::registry::BoxFuture;
use crate::result::SerializedActionResult;

/// The body of requests and responses inside the gate stack: axum's body type, so that
/// `axum::middleware::from_fn` gates work as they are. Requests carry an empty one (the
/// action's body stays with its [`ActionContext`]).
pub type GateBody = axum_core::body::Body;

pub(crate) type GateService =
    BoxCloneSyncService<Request<GateBody>, Response<GateBody>, Infallible>;

/// The service a gate wraps (Astro's `next()` in an action middleware): it handles the
/// action, unless a gate already stored a result, and answers (RPC) or hands the result on to
/// the page (form). It accepts any request body.
#[doc(alias = "next")]
#[derive(Clone)]
pub struct HandleAction {
    inner: GateService,
}

impl HandleAction {
    /// The innermost service: the action itself.
    pub(crate) fn innermost() -> GateService {
        BoxCloneSyncService::new(Innermost)
    }

    pub(crate) fn new(inner: GateService) -> Self {
        HandleAction { inner }
    }
}

impl std::fmt::Debug for HandleAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandleAction").finish_non_exhaustive()
    }
}

impl<B> Service<Request<B>> for HandleAction
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<GateBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<GateBody>, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        Box::pin(self.inner.call(request.map(GateBody::new)))
    }
}

/// Handles the action of a request that passed every gate.
#[derive(Clone, Copy, Debug)]
struct Innermost;

impl Service<Request<GateBody>> for Innermost {
    type Response = Response<GateBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<GateBody>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<GateBody>) -> Self::Future {
        let (parts, _) = request.into_parts();
        Box::pin(async move { Ok(answer_or_hand_off(parts).await) })
    }
}

/// Handles the action (or takes the result a gate stored), then answers an RPC call or leaves
/// a [`PageHandoff`] for a form action.
async fn answer_or_hand_off(parts: Parts) -> Response<GateBody> {
    let Some(cx) = parts.extensions.get::<ActionContext>().cloned() else {
        // A gate replaced the request's extensions: there is nothing to handle.
        let err = ActionError::internal("the action's context was removed from the request");
        return full(SerializedActionResult::from_error(&err, false).into_response());
    };
    let (name, result) = match cx.stored_result() {
        Some(set) => set,
        None => {
            let mut handler_parts = parts.clone();
            handler_parts.extensions.remove::<ActionContext>();
            let result = cx.handle_once(Some(handler_parts)).await;
            (cx.name().to_owned(), result)
        }
    };
    match cx.called_from() {
        CalledFrom::Rpc => {
            let mut response = result.into_response();
            crate::headers::append(response.headers_mut(), cx.take_response_headers());
            full(response)
        }
        CalledFrom::Form | CalledFrom::Server => {
            let mut response = Response::new(GateBody::empty());
            response
                .extensions_mut()
                .insert(PageHandoff(Arc::new(Mutex::new(Some((
                    parts,
                    ActionPayload {
                        name,
                        result,
                        input: cx.take_submitted(),
                    },
                ))))));
            response
        }
    }
}

pub(crate) fn full(response: Response<Option<Bytes>>) -> Response<GateBody> {
    response.map(|body| body.map_or_else(GateBody::empty, GateBody::from))
}

/// What [`HandleAction`] leaves on its response for a form action: the request to give the
/// page, with the result.
#[derive(Clone)]
pub(crate) struct PageHandoff(Arc<Mutex<Option<(Parts, ActionPayload)>>>);

impl PageHandoff {
    pub(crate) fn take(&self) -> Option<(Parts, ActionPayload)> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Sends a request through the gates to [`HandleAction`].
pub(crate) fn call_gates(
    gates: &GateService,
    request: Request<GateBody>,
) -> BoxFuture<'static, Result<Response<GateBody>, Infallible>> {
    Box::pin(gates.clone().oneshot(request))
}

/// A gate stack whose errors become 500 answers, so that the stack cannot fail.
#[derive(Clone)]
pub(crate) struct Recover<S> {
    pub(crate) inner: S,
    pub(crate) expose_internal: bool,
}

impl<S, RB> Service<Request<GateBody>> for Recover<S>
where
    S: Service<Request<GateBody>, Response = Response<RB>>,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    RB: http_body::Body<Data = Bytes> + Send + 'static,
    RB::Error: Into<BoxError>,
{
    type Response = Response<GateBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<GateBody>, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // A gate that cannot become ready is reported when it is called.
        match self.inner.poll_ready(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(_) => Poll::Ready(Ok(())),
        }
    }

    fn call(&mut self, request: Request<GateBody>) -> Self::Future {
        let expose = self.expose_internal;
        let future = self.inner.call(request);
        // A combinator rather than an async block: rustc cannot prove an async block over
        // `S::Future` Send for every lifetime of the boxed error type.
        Box::pin(future.map(move |result| {
            Ok(match result {
                Ok(response) => response.map(GateBody::new),
                Err(err) => {
                    let err = ActionError::internal(err);
                    tracing::error!(error = %err.message(), "an action gate failed");
                    full(SerializedActionResult::from_error(&err, expose).into_response())
                }
            })
        }))
    }
}
