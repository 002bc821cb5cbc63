//! [`ActionsRouter`]: the layer around a whole axum `Router`, axum's `Body` both ways.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum_core::body::Body;
use http::{Request, Response};
use pin_project_lite::pin_project;
use tower_service::Service;

use super::body::RequestBody;
use super::future::ResponseFuture;
use super::service::ActionsService;

/// The layer around a whole axum `Router` (or any service of axum's `Body`), made by
/// [`ActionsLayer::around`](super::ActionsLayer::around). It takes and gives axum's `Body`, so
/// that `axum::serve` serves it as it is and nothing is boxed again: a request the layer
/// passes through reaches the `Router` with its own body, and the `Router`'s response body
/// comes back unchanged.
///
/// It answers exactly as [`ActionsService`] does.
///
/// Hand it the `Router` after `Router::with_state` (`router.with_state(())` for a `Router`
/// without state): axum does that itself once per connection when it serves a `Router`
/// directly; a `Router` called as a plain service without it builds each matched route's
/// handler again on every request (one more allocation).
///
/// # Example
///
/// ```
/// use axum::{Router, ServiceExt as _, routing::get};
/// use tower_actions::{Actions, ActionsLayer};
///
/// # async fn serve() -> std::io::Result<()> {
/// let router = Router::new().route("/", get(|| async { "home" }));
/// let app = ActionsLayer::new(Actions::new()).around(router.with_state(()));
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// axum::serve(listener, app.into_make_service()).await
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ActionsRouter<S> {
    service: ActionsService<AxumBodies<S>>,
}

impl<S> ActionsRouter<S> {
    pub(crate) fn new(service: ActionsService<AxumBodies<S>>) -> Self {
        ActionsRouter { service }
    }

    /// The inner service (the `Router`).
    pub fn get_ref(&self) -> &S {
        &self.service.get_ref().0
    }

    /// The inner service, unwrapped.
    pub fn into_inner(self) -> S {
        self.service.into_inner().0
    }
}

/// The inner service as [`ActionsService`] calls it: its [`RequestBody`] turned back into
/// axum's `Body` (the original one when the request was passed through).
#[derive(Debug, Clone)]
pub(crate) struct AxumBodies<S>(pub(crate) S);

impl<S> Service<Request<RequestBody<Body>>> for AxumBodies<S>
where
    S: Service<Request<Body>, Response = Response<Body>>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = S::Future;

    #[inline]
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    #[inline]
    fn call(&mut self, request: Request<RequestBody<Body>>) -> Self::Future {
        self.0.call(request.map(Body::from))
    }
}

impl<S> Service<Request<Body>> for ActionsRouter<S>
where
    S: Service<Request<Body>, Response = Response<Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = RouterFuture<S::Future, S::Error>;

    #[inline]
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.service.poll_ready(cx)
    }

    #[inline]
    fn call(&mut self, request: Request<Body>) -> Self::Future {
        RouterFuture {
            future: self.service.call(request),
        }
    }
}

pin_project! {
    /// The response future of [`ActionsRouter`].
    pub struct RouterFuture<F, E> {
        #[pin]
        future: ResponseFuture<F, Body, E>,
    }
}

impl<F, E> Future for RouterFuture<F, E>
where
    F: Future<Output = Result<Response<Body>, E>>,
{
    type Output = Result<Response<Body>, E>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let response = ready!(self.project().future.poll(cx))?;
        Poll::Ready(Ok(response.map(Body::from)))
    }
}

impl<F, E> std::fmt::Debug for RouterFuture<F, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouterFuture").finish_non_exhaustive()
    }
}
