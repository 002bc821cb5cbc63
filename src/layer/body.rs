//! The request body the inner service sees and the response body the layer answers with.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::combinators::UnsyncBoxBody;
use pin_project_lite::pin_project;

use crate::BoxError;

pin_project! {
    /// The body of a request as the inner service receives it: the original body, untouched
    /// and unread, for every request that is not an action call.
    pub struct RequestBody<B> {
        #[pin]
        kind: Kind<B>,
    }
}

pin_project! {
    /// The body of a response from [`ActionsService`](super::ActionsService): the inner
    /// service's own body, or the layer's answer to an action call.
    pub struct ResponseBody<B> {
        #[pin]
        kind: Kind<B>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<B> {
        Inner { #[pin] body: B },
        Full { data: Option<Bytes> },
        Boxed { #[pin] body: UnsyncBoxBody<Bytes, BoxError> },
    }
}

impl<B> RequestBody<B> {
    pub(crate) fn new(body: B) -> Self {
        RequestBody {
            kind: Kind::Inner { body },
        }
    }

    /// A body of these bytes.
    pub fn full(data: Bytes) -> Self {
        RequestBody {
            kind: Kind::Full {
                data: (!data.is_empty()).then_some(data),
            },
        }
    }

    /// An empty body.
    pub fn empty() -> Self {
        RequestBody {
            kind: Kind::Full { data: None },
        }
    }
}

impl<B> ResponseBody<B> {
    pub(crate) fn inner(body: B) -> Self {
        ResponseBody {
            kind: Kind::Inner { body },
        }
    }

    pub(crate) fn boxed(body: UnsyncBoxBody<Bytes, BoxError>) -> Self {
        ResponseBody {
            kind: Kind::Boxed { body },
        }
    }

    pub(crate) fn full(data: Option<Bytes>) -> Self {
        ResponseBody {
            kind: Kind::Full {
                data: data.filter(|data| !data.is_empty()),
            },
        }
    }
}

impl<B: Default> Default for RequestBody<B> {
    fn default() -> Self {
        RequestBody::new(B::default())
    }
}

#[inline]
fn poll_kind<B>(
    kind: Pin<&mut Kind<B>>,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<Frame<Bytes>, BoxError>>>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    match kind.project() {
        KindProj::Inner { body } => body.poll_frame(cx).map_err(Into::into),
        KindProj::Full { data } => Poll::Ready(data.take().map(|data| Ok(Frame::data(data)))),
        KindProj::Boxed { body } => body.poll_frame(cx),
    }
}

fn kind_end<B: Body>(kind: &Kind<B>) -> bool {
    match kind {
        Kind::Inner { body } => body.is_end_stream(),
        Kind::Full { data } => data.is_none(),
        Kind::Boxed { body } => body.is_end_stream(),
    }
}

fn kind_size<B: Body>(kind: &Kind<B>) -> SizeHint {
    match kind {
        Kind::Inner { body } => body.size_hint(),
        Kind::Full { data } => SizeHint::with_exact(data.as_ref().map_or(0, |d| d.len() as u64)),
        Kind::Boxed { body } => body.size_hint(),
    }
}

/// Both bodies are the same three kinds, read the same way.
macro_rules! impl_body {
    ($name:ident) => {
        impl<B> Body for $name<B>
        where
            B: Body<Data = Bytes>,
            B::Error: Into<BoxError>,
        {
            type Data = Bytes;
            type Error = BoxError;

            #[inline]
            fn poll_frame(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
            ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
                poll_kind(self.project().kind, cx)
            }

            fn is_end_stream(&self) -> bool {
                kind_end(&self.kind)
            }

            fn size_hint(&self) -> SizeHint {
                kind_size(&self.kind)
            }
        }
    };
}

impl_body!(RequestBody);
impl_body!(ResponseBody);

impl<B> std::fmt::Debug for RequestBody<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestBody").finish_non_exhaustive()
    }
}

impl<B> std::fmt::Debug for ResponseBody<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseBody").finish_non_exhaustive()
    }
}

/// axum's `Body`, from the body the inner service receives: for a request the layer passed
/// through, the original body itself, not boxed again (axum's `Router` takes its own `Body`
/// as it is); for a form action's page, the form's bytes.
impl From<RequestBody<axum_core::body::Body>> for axum_core::body::Body {
    fn from(body: RequestBody<axum_core::body::Body>) -> Self {
        kind_into_axum(body.kind)
    }
}

/// axum's `Body`, from the layer's response body: the inner service's own body unchanged
/// (nothing boxed again), or the layer's answer.
impl From<ResponseBody<axum_core::body::Body>> for axum_core::body::Body {
    fn from(body: ResponseBody<axum_core::body::Body>) -> Self {
        kind_into_axum(body.kind)
    }
}

fn kind_into_axum(kind: Kind<axum_core::body::Body>) -> axum_core::body::Body {
    use axum_core::body::Body as AxumBody;
    match kind {
        Kind::Inner { body } => body,
        Kind::Full { data: Some(data) } => AxumBody::from(data),
        Kind::Full { data: None } => AxumBody::empty(),
        Kind::Boxed { body } => AxumBody::new(body),
    }
}
