//! The request path of an action call, top to bottom:
//!
//! 1. [`classify`]: is the request an RPC call, a form action, or a `GET` that may carry a
//!    kept result? Everything else goes to the page untouched.
//! 2. [`answer`]: refuse a wrong method or a cross-site form, then
//! 3. decode, validate, handle and serialize ([`handle_action`], directly for an RPC call
//!    without gates, or through the gates and [`HandleAction`](super::HandleAction)),
//! 4. answer an RPC call with its result ([`SerializedActionResult::into_response`], also the
//!    one place any error becomes a response), or
//! 5. for a form action, redirect ([`Persist::redirect`](crate::persist::Persist)) or
//! 6. hand the result to the page ([`hand_to_page`]).
//!
//! Only the steps that touch the request body or the page service are generic; the gates and
//! everything after them see one body type.

use std::sync::Arc;

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, Uri};
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;
use tower::ServiceExt;
use tower_service::Service;

use super::body::{RequestBody, ResponseBody};
use super::gate::{GateBody, PageHandoff, call_gates};
use super::{Config, Shared, rpc};
use crate::BoxError;
use crate::action::CalledFrom;
use crate::context::{ActionContext, handle_action};
use crate::error::{ActionError, ActionErrorCode};
use crate::observe::{Observed, Outcome};
use crate::payload::ActionPayload;
use crate::result::SerializedActionResult;

/// How a request calls an action.
pub(crate) enum Call {
    /// `{base}/_actions/<name>`, any method (only POST runs it).
    Rpc,
    /// `POST <page>?_action=<name>`.
    Form(String),
    /// A `GET` that may carry a persisted result.
    Restore,
}

/// Whether a request calls an action. Cheap for everything else, as it runs on every request:
/// a path prefix test, and a query scan for `POST`s only (kept out of line).
#[inline]
pub(crate) fn classify(method: &Method, uri: &Uri, config: &Config) -> Option<Call> {
    if rpc::is_rpc_path(uri.path(), &config.base) {
        return Some(Call::Rpc);
    }
    if method == Method::POST {
        return form_call(uri.query()?);
    }
    None
}

#[inline(never)]
fn form_call(query: &str) -> Option<Call> {
    form_action_name(query).map(Call::Form)
}

/// Whether a `GET` may carry a persisted result (only asked when persistence is on).
#[inline]
pub(crate) fn may_restore(method: &Method, headers: &http::HeaderMap, config: &Config) -> bool {
    config
        .persist
        .as_ref()
        .is_some_and(|persist| persist.may_restore(method, headers))
}

/// The first non-empty `_action` value of a query string, decoded.
pub(crate) fn form_action_name(query: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if decode_query_component(key)? != "_action" {
            return None;
        }
        let value = decode_query_component(value)?;
        (!value.is_empty()).then_some(value)
    })
}

fn decode_query_component(text: &str) -> Option<String> {
    let text = text.replace('+', " ");
    percent_encoding::percent_decode_str(&text)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Answers an action call: the RPC result, a gate's own answer, the redirect after a form
/// action, or the page with the action's result.
pub(crate) async fn answer<S, B, ResBody>(
    shared: Arc<Shared>,
    request: Request<B>,
    call: Call,
    page: S,
) -> Result<Response<ResponseBody<ResBody>>, S::Error>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let config = &shared.config;
    let expose = config.expose_internal_errors;
    if matches!(call, Call::Rpc) && request.method() != Method::POST {
        return Ok(method_not_allowed(request.method(), expose).map(ResponseBody::full));
    }
    if config
        .origin
        .is_forbidden(request.method(), request.uri(), request.headers())
    {
        return Ok(rpc::forbidden_response(request.method()).map(ResponseBody::full));
    }
    let (name, called_from) = match call {
        Call::Rpc => (
            rpc::action_name(request.uri().path()).unwrap_or_default(),
            CalledFrom::Rpc,
        ),
        Call::Form(name) => (
            rpc::decode_name(&name).unwrap_or_default(),
            CalledFrom::Form,
        ),
        Call::Restore => return restore(&shared, request, page).await,
    };
    let action = shared.actions.lookup(&name).cloned();
    let observed = Observed::start(&name, action.as_ref().map(|a| a.name()), called_from);
    if called_from == CalledFrom::Rpc && !shared.has_gates {
        // Nothing can observe an ActionContext here: handle the action directly.
        let (parts, body) = request.into_parts();
        let handled = observed
            .in_span(std::pin::pin!(handle_action(
                action.as_ref(),
                parts,
                body,
                called_from,
                &config.limits,
                expose,
                config.messages.as_deref(),
            )))
            .await;
        observed.finish(Some(handled.result.status()), Some(handled.outcome));
        let mut response = handled.result.into_response();
        crate::headers::append(response.headers_mut(), handled.response_headers);
        return Ok(response.map(ResponseBody::full));
    }
    let (mut parts, body) = request.into_parts();
    let cx = ActionContext::new(
        name,
        called_from,
        action,
        parts.clone(),
        UnsyncBoxBody::new(body.map_err(Into::into)),
        config.limits,
        expose,
        config.messages.clone(),
    );
    parts.extensions.insert(cx.clone());
    let gated = observed
        .in_span(call_gates(&shared.gates, Request::from_parts(parts, GateBody::empty())).as_mut())
        .await;
    let mut response = match gated {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let Some(handoff) = response.extensions_mut().remove::<PageHandoff>() else {
        // An RPC answer, or a gate's own answer.
        observed.finish(Some(response.status()), cx.outcome());
        return Ok(
            response.map(|body| ResponseBody::boxed(UnsyncBoxBody::new(body.map_err(Into::into))))
        );
    };
    let Some((mut page_parts, payload)) = handoff.take() else {
        let err = ActionError::internal("the page request was already handed off");
        observed.finish(Some(err.status()), Some(Outcome::of(&err)));
        let response = SerializedActionResult::from_error(&err, expose).into_response();
        return Ok(response.map(ResponseBody::full));
    };
    observed.finish(Some(payload.result.status()), cx.outcome());
    if let Some(locals) = cx.take_locals() {
        page_parts.extensions.extend(locals);
    }
    // Headers a gate put on its way back, and those the handler set, go on the answer.
    let mut headers = take_headers(response.headers_mut());
    crate::headers::append(&mut headers, cx.take_response_headers());
    if let Some(persist) = &config.persist {
        match persist.redirect(&page_parts, &payload, headers).await {
            Ok(redirect) => return Ok(redirect.map(ResponseBody::full)),
            Err(kept) => headers = kept,
        }
    }
    let body = match cx.take_page_body() {
        Some(bytes) => RequestBody::full(bytes),
        None => {
            page_parts.headers.remove(CONTENT_LENGTH);
            RequestBody::empty()
        }
    };
    hand_to_page(page, page_parts, body, Some(payload), headers).await
}

/// A `GET` after a POST/redirect: the payload the store kept, if any, goes to the page, once.
async fn restore<S, B, ResBody>(
    shared: &Shared,
    request: Request<B>,
    page: S,
) -> Result<Response<ResponseBody<ResBody>>, S::Error>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>>,
{
    let (parts, body) = request.into_parts();
    let (payload, headers) = match &shared.config.persist {
        Some(persist) => persist.restore(&parts).await,
        None => (None, HeaderMap::new()),
    };
    hand_to_page(page, parts, RequestBody::new(body), payload, headers).await
}

/// Hands the request to the page, with the action's payload (if any) in its extensions; an
/// error result gives a page that answered 200 the error's status, as in Astro. `headers` (the
/// handler's, a gate's, a store's) go on the page's answer.
async fn hand_to_page<S, B, ResBody>(
    page: S,
    mut parts: http::request::Parts,
    body: RequestBody<B>,
    payload: Option<ActionPayload>,
    headers: HeaderMap,
) -> Result<Response<ResponseBody<ResBody>>, S::Error>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>>,
{
    let error_status = payload
        .as_ref()
        .filter(|payload| payload.result.is_error())
        .map(|payload| payload.result.status());
    if let Some(payload) = payload {
        parts.extensions.insert(payload);
    }
    let mut response = page.oneshot(Request::from_parts(parts, body)).await?;
    if let Some(status) = error_status {
        if response.status() == StatusCode::OK {
            *response.status_mut() = status;
        }
    }
    crate::headers::append(response.headers_mut(), headers);
    Ok(response.map(ResponseBody::inner))
}

/// The headers of a gate stack's answer worth keeping on the page's answer.
fn take_headers(headers: &mut HeaderMap) -> HeaderMap {
    headers.remove(CONTENT_LENGTH);
    headers.remove(CONTENT_TYPE);
    std::mem::take(headers)
}

/// The answer to an RPC call with another method than `POST`: 405 with `Allow: POST` (no
/// body for `HEAD`).
fn method_not_allowed(method: &Method, expose: bool) -> Response<Option<Bytes>> {
    let err = ActionError::new(
        ActionErrorCode::MethodNotAllowed,
        format!("Actions are called with POST, not {method}"),
    );
    let mut response = SerializedActionResult::from_error(&err, expose).into_response();
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("POST"));
    if method == Method::HEAD {
        *response.body_mut() = None;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_non_empty_action_value_wins() {
        assert_eq!(
            form_action_name("_action=subscribe").as_deref(),
            Some("subscribe")
        );
        assert_eq!(
            form_action_name("a=1&_action=blog.like&x").as_deref(),
            Some("blog.like")
        );
        assert_eq!(
            form_action_name("_action=&_action=comment").as_deref(),
            Some("comment")
        );
        assert_eq!(
            form_action_name("_action=subscribe&_action=comment").as_deref(),
            Some("subscribe")
        );
        assert_eq!(
            form_action_name("_action=with%252Edot").as_deref(),
            Some("with%2Edot")
        );
        assert_eq!(form_action_name("_action=a+b").as_deref(), Some("a b"));
        assert_eq!(form_action_name("_action="), None);
        assert_eq!(form_action_name("_actions=x&action=y"), None);
    }
}
