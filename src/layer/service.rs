//! [`ActionsService`]: routes action calls to the actions, everything else to the inner service.

use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response};
use tower_service::Service;

use super::body::{RequestBody, ResponseBody};
use super::future::{ResponseFuture, Step};
use super::{Shared, call};
use crate::registry::BoxFuture;

/// The service [`ActionsLayer`](super::ActionsLayer) makes of an inner service.
#[derive(Debug)]
pub struct ActionsService<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> ActionsService<S> {
    pub(crate) fn new(inner: S, shared: Arc<Shared>) -> Self {
        ActionsService { inner, shared }
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The inner service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// The inner service, unwrapped.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Clone> Clone for ActionsService<S> {
    fn clone(&self) -> Self {
        ActionsService {
            inner: self.inner.clone(),
            shared: self.shared.clone(),
        }
    }
}

impl<S, B, ResBody> Service<Request<B>> for ActionsService<S>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<crate::BoxError>,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<crate::BoxError>,
{
    type Response = Response<ResponseBody<ResBody>>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    #[inline]
    fn call(&mut self, request: Request<B>) -> Self::Future {
        let config = &self.shared.config;
        let call = call::classify(request.method(), request.uri(), config).or_else(|| {
            call::may_restore(request.method(), request.headers(), config)
                .then_some(call::Call::Restore)
        });
        match call {
            None => ResponseFuture::inner(self.inner.call(request.map(RequestBody::new))),
            Some(call) => ResponseFuture::action(self.action(request, call)),
        }
    }
}

impl<S> ActionsService<S> {
    /// The future of an action call; out of line, so that the path every other request takes
    /// stays short.
    #[inline(never)]
    fn action<B, ResBody>(
        &mut self,
        request: Request<B>,
        call: call::Call,
    ) -> BoxFuture<'static, Step<S::Future, ResBody>>
    where
        S: Service<Request<RequestBody<B>>, Response = Response<ResBody>> + Clone + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Send + 'static,
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<crate::BoxError>,
        ResBody: http_body::Body<Data = Bytes> + Send + 'static,
        ResBody::Error: Into<crate::BoxError>,
    {
        let shared = self.shared.clone();
        if !shared.has_gates {
            if let call::Call::Rpc = call {
                // No gate, no page: the inner service is not needed. `map`, not an `async`
                // block, which would hold a second copy of the request (`call::answer_rpc`).
                return Box::pin(futures_util::FutureExt::map(
                    call::answer_rpc(shared, request),
                    Step::Answer,
                ));
            }
        }
        // The inner service is only needed for a page (form action, restored result). Take
        // the one that was driven to readiness and leave a clone in its place (tower's advice
        // on cloning inner services).
        let clone = self.inner.clone();
        let page = std::mem::replace(&mut self.inner, clone);
        match call {
            call::Call::Form(name) if !shared.has_gates => {
                call::answer_form(shared, request, name, page)
            }
            call::Call::Restore => Box::pin(call::answer_restore(shared, request, page)),
            call => Box::pin(call::answer(shared, request, call, page)),
        }
    }
}
