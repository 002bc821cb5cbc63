//! Gates: user middleware that sees every action request before the action runs.
//!
//! A gate is any tower [`Layer`](tower_layer::Layer) (or axum `middleware::from_fn`) given to
//! [`ActionsLayer::middleware`](super::ActionsLayer::middleware). It wraps [`Execute`], the
//! service that runs the action, so it can answer itself (a veto: the action never runs),
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

use super::rpc;
use crate::BoxError;
use crate::action::CalledFrom;
use crate::context::{ActionContext, ActionPayload};
use crate::error::ActionError;
use crate::registry::BoxFuture;

/// The body of requests and responses inside the gate stack: axum's body type, so that
/// `axum::middleware::from_fn` gates work as they are. Requests carry an empty one (the
/// action's body stays with its [`ActionContext`]).
pub type GateBody = axum_core::body::Body;

pub(crate) type GateService =
    BoxCloneSyncService<Request<GateBody>, Response<GateBody>, Infallible>;

/// The service a gate wraps: it runs the action, unless a gate already stored a result, and
/// answers (RPC) or hands the result on to the page (form). It accepts any request body.
#[derive(Clone)]
pub struct Execute {
    inner: GateService,
}

impl Execute {
    /// The innermost service: the action itself.
    pub(crate) fn innermost() -> GateService {
        BoxCloneSyncService::new(Executor)
    }

    pub(crate) fn new(inner: GateService) -> Self {
        Execute { inner }
    }
}

impl std::fmt::Debug for Execute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Execute").finish_non_exhaustive()
    }
}

impl<B> Service<Request<B>> for Execute
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

/// Runs the action for a request that passed every gate.
#[derive(Clone, Copy, Debug)]
struct Executor;

impl Service<Request<GateBody>> for Executor {
    type Response = Response<GateBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<GateBody>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<GateBody>) -> Self::Future {
        let (parts, _) = request.into_parts();
        Box::pin(async move { Ok(execute(parts).await) })
    }
}

async fn execute(parts: Parts) -> Response<GateBody> {
    let Some(cx) = parts.extensions.get::<ActionContext>().cloned() else {
        // A gate replaced the request's extensions: there is nothing to run.
        let err = ActionError::internal("the action's context was removed from the request");
        return full(rpc::error_response(&err, false));
    };
    let (name, result) = match cx.action_result() {
        Some(set) => set,
        None => {
            let mut run_parts = parts.clone();
            run_parts.extensions.remove::<ActionContext>();
            let result = cx.run(Some(run_parts)).await;
            (cx.name().to_owned(), result)
        }
    };
    match cx.called_from() {
        CalledFrom::Rpc => {
            let mut response = result.into_response();
            rpc::append_headers(response.headers_mut(), cx.take_response_headers());
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

/// What the executor leaves on its response for a form action: the request to give the
/// page, with the result.
#[derive(Clone)]
pub(crate) struct PageHandoff(Arc<Mutex<Option<(Parts, ActionPayload)>>>);

impl PageHandoff {
    pub(crate) fn take(&self) -> Option<(Parts, ActionPayload)> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Sends a request through the gates to the executor.
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
                    full(rpc::error_response(&err, expose))
                }
            })
        }))
    }
}
