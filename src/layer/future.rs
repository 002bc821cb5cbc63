//! The response future of [`ActionsService`](super::ActionsService).

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::{HeaderMap, Response, StatusCode};
use pin_project_lite::pin_project;

use super::body::ResponseBody;
use crate::registry::BoxFuture;

pin_project! {
    /// The response future of [`ActionsService`](super::ActionsService): the inner service's
    /// own future for requests that are not action calls (no allocation); for action calls, a
    /// boxed one that answers or calls the page, then the page's own future, unboxed.
    pub struct ResponseFuture<F, B, E> {
        #[pin]
        kind: Kind<F, B, E>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F, B, E> {
        Inner { #[pin] future: F },
        Action {
            future: BoxFuture<'static, Step<F, B>>,
            error: PhantomData<fn() -> E>,
        },
        Page {
            #[pin]
            future: F,
            // Boxed, and only when there are any: the response future of every request the
            // layer passes through is as large as its largest state, and hyper moves it.
            headers: Option<Box<HeaderMap>>,
            error_status: Option<StatusCode>,
        },
    }
}

/// What the boxed part of an action call ends with: the answer, or the page called with the
/// action's result. The page's future is not part of the boxed one (which stays the size of
/// the action's work): the response future polls it in place.
pub(crate) enum Step<F, B> {
    /// The answer (an RPC result, a refusal, a gate's answer, a redirect).
    Answer(Response<ResponseBody<B>>),
    /// The page's future, with what goes on its answer.
    Page {
        /// The page service's future, called with the request it renders.
        future: F,
        /// Headers (the handler's, a gate's, a store's) appended to the page's answer.
        headers: HeaderMap,
        /// An error result's status, which replaces a page's `200`.
        error_status: Option<StatusCode>,
    },
}

impl<F, B, E> ResponseFuture<F, B, E> {
    pub(crate) fn inner(future: F) -> Self {
        ResponseFuture {
            kind: Kind::Inner { future },
        }
    }

    pub(crate) fn action(future: BoxFuture<'static, Step<F, B>>) -> Self {
        ResponseFuture {
            kind: Kind::Action {
                future,
                error: PhantomData,
            },
        }
    }
}

impl<F, B, E> Future for ResponseFuture<F, B, E>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<ResponseBody<B>>, E>;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            let mut kind = self.as_mut().project().kind;
            match kind.as_mut().project() {
                KindProj::Inner { future } => {
                    let response = ready!(future.poll(cx))?;
                    return Poll::Ready(Ok(response.map(ResponseBody::inner)));
                }
                KindProj::Action { future, .. } => match ready!(future.as_mut().poll(cx)) {
                    Step::Answer(response) => return Poll::Ready(Ok(response)),
                    Step::Page {
                        future,
                        headers,
                        error_status,
                    } => kind.set(Kind::Page {
                        future,
                        headers: (!headers.is_empty()).then(|| Box::new(headers)),
                        error_status,
                    }),
                },
                KindProj::Page {
                    future,
                    headers,
                    error_status,
                } => {
                    let mut response = ready!(future.poll(cx))?;
                    if let Some(status) = *error_status {
                        if response.status() == StatusCode::OK {
                            *response.status_mut() = status;
                        }
                    }
                    if let Some(headers) = headers.take() {
                        crate::headers::append(response.headers_mut(), *headers);
                    }
                    return Poll::Ready(Ok(response.map(ResponseBody::inner)));
                }
            }
        }
    }
}

impl<F, B, E> std::fmt::Debug for ResponseFuture<F, B, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            Kind::Inner { .. } => f.write_str("ResponseFuture::Inner"),
            Kind::Action { .. } => f.write_str("ResponseFuture::Action"),
            Kind::Page { .. } => f.write_str("ResponseFuture::Page"),
        }
    }
}
