//! POST/redirect/GET as the layer does it: after a form action, keep its payload and answer
//! `303 See Other`; on the `GET` after it, take the payload out for the page, once.

use std::future::Future;

use bytes::Bytes;
use http::header::LOCATION;
use http::request::Parts;
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode};

use super::{Persist, page_location};
use crate::payload::ActionPayload;

impl Persist {
    /// Keeps the payload of the form action that ran for `page` and gives the redirect: 303 to
    /// the page (or to [`Persist::redirect_to`]; a `Location` among `headers`, set by the
    /// handler or a gate, is kept), with `headers` and the store's own (its cookie). When the
    /// store cannot keep the payload, gives `headers` back and the page renders in place.
    ///
    /// A plain function returning an `async move` block: an `async fn` would keep its arguments
    /// twice in its future.
    #[allow(clippy::manual_async_fn)] // an `async fn` would keep its arguments twice in its future
    pub(crate) fn redirect<'a>(
        &'a self,
        page: &'a Parts,
        payload: &'a ActionPayload,
        headers: HeaderMap,
    ) -> impl Future<Output = Result<Response<Option<Bytes>>, HeaderMap>> + Send + 'a {
        async move {
            let mut saved = HeaderMap::new();
            if let Err(err) = self.store.save(page, payload, &mut saved).await {
                tracing::warn!(
                    action = %payload.name,
                    error = %err,
                    "the action result could not be persisted; the page renders it in place"
                );
                return Err(headers);
            }
            let mut response = Response::new(None);
            *response.status_mut() = StatusCode::SEE_OTHER;
            if !headers.contains_key(LOCATION) {
                let location = self
                    .redirect_to
                    .clone()
                    .unwrap_or_else(|| page_location(&page.uri));
                if let Ok(location) = HeaderValue::from_str(&location) {
                    response.headers_mut().insert(LOCATION, location);
                }
            }
            crate::headers::append(response.headers_mut(), headers);
            crate::headers::append(response.headers_mut(), saved);
            Ok(response)
        }
    }

    /// Whether a request may carry a kept payload: a `GET` the store recognises (a header
    /// look, as it runs on every `GET`).
    #[inline]
    pub(crate) fn may_restore(&self, method: &Method, headers: &HeaderMap) -> bool {
        method == Method::GET && self.store.may_hold(headers)
    }

    /// Takes the payload kept for this client out of the store, with the headers that clear it
    /// (its cookie). A payload the store cannot give back is ignored, with a warning.
    #[allow(clippy::manual_async_fn)] // an `async fn` would keep its arguments twice in its future
    pub(crate) fn restore<'a>(
        &'a self,
        request: &'a Parts,
    ) -> impl Future<Output = (Option<ActionPayload>, HeaderMap)> + Send + 'a {
        async move {
            let mut headers = HeaderMap::new();
            let payload = match self.store.take(request, &mut headers).await {
                Ok(payload) => payload,
                Err(err) => {
                    tracing::warn!(error = %err, "a persisted action result was ignored");
                    None
                }
            };
            (payload, headers)
        }
    }
}
