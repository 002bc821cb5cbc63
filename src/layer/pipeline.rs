//! The action pipeline: what happens to a request the layer recognises as an action call.

use std::sync::Arc;

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
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
use crate::context::{ActionContext, ActionPayload, execute};
use crate::error::{ActionError, ActionErrorCode};
use crate::persist::{StoredResult, page_location};

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
        .is_some_and(|persist| method == Method::GET && persist.store.may_hold(headers))
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

/// Runs an action call to its response.
pub(crate) async fn run<S, B, ResBody>(
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
    if called_from == CalledFrom::Rpc && !shared.has_gates {
        // Nothing can observe an ActionContext here: run the action directly.
        let (parts, body) = request.into_parts();
        let run = execute(
            action.as_ref(),
            parts,
            body,
            called_from,
            &config.limits,
            expose,
            config.messages.as_deref(),
        )
        .await;
        let mut response = run.result.into_response();
        rpc::append_headers(response.headers_mut(), run.response_headers);
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
    let gated = call_gates(&shared.gates, Request::from_parts(parts, GateBody::empty())).await;
    let mut response = match gated {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let Some(handoff) = response.extensions_mut().remove::<PageHandoff>() else {
        // An RPC answer, or a gate's own answer.
        return Ok(
            response.map(|body| ResponseBody::boxed(UnsyncBoxBody::new(body.map_err(Into::into))))
        );
    };
    let Some((mut page_parts, payload)) = handoff.take() else {
        let err = ActionError::internal("the page request was already handed off");
        return Ok(rpc::error_response(&err, expose).map(ResponseBody::full));
    };
    if let Some(locals) = cx.take_locals() {
        page_parts.extensions.extend(locals);
    }
    // Headers a gate put on its way back, and those the handler set, go on the answer.
    let mut headers = take_headers(response.headers_mut());
    rpc::append_headers(&mut headers, cx.take_response_headers());
    if let Some(persist) = &config.persist {
        let stored = StoredResult {
            name: payload.name.clone(),
            result: payload.result.clone(),
            input: payload.input.clone(),
        };
        let mut saved = HeaderMap::new();
        match persist.store.save(&page_parts, &stored, &mut saved).await {
            Ok(()) => {
                let location = match headers.get(LOCATION) {
                    Some(_) => None,
                    None => Some(
                        persist
                            .redirect_to
                            .clone()
                            .unwrap_or_else(|| page_location(&page_parts.uri)),
                    ),
                };
                let mut response = Response::new(None);
                *response.status_mut() = StatusCode::SEE_OTHER;
                if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
                    response.headers_mut().insert(LOCATION, location);
                }
                rpc::append_headers(response.headers_mut(), headers);
                rpc::append_headers(response.headers_mut(), saved);
                return Ok(response.map(ResponseBody::full));
            }
            Err(err) => tracing::warn!(
                action = %stored.name,
                error = %err,
                "the action result could not be persisted; the page renders it in place"
            ),
        }
    }
    let error_status = payload.result.is_error().then(|| payload.result.status());
    page_parts.extensions.insert(payload);
    let body = match cx.take_page_body() {
        Some(bytes) => RequestBody::full(bytes),
        None => {
            page_parts.headers.remove(CONTENT_LENGTH);
            RequestBody::empty()
        }
    };
    let mut response = page.oneshot(Request::from_parts(page_parts, body)).await?;
    apply_error_status(&mut response, error_status);
    rpc::append_headers(response.headers_mut(), headers);
    Ok(response.map(ResponseBody::inner))
}

/// An error result gives a page that answered 200 the error's status, as in Astro.
fn apply_error_status<T>(response: &mut Response<T>, status: Option<StatusCode>) {
    if let Some(status) = status {
        if response.status() == StatusCode::OK {
            *response.status_mut() = status;
        }
    }
}

/// The headers of a gate stack's answer worth keeping on the page's answer.
fn take_headers(headers: &mut HeaderMap) -> HeaderMap {
    headers.remove(CONTENT_LENGTH);
    headers.remove(CONTENT_TYPE);
    std::mem::take(headers)
}

/// A `GET` after a POST/redirect: the persisted result, if any, goes to the page, once.
async fn restore<S, B, ResBody>(
    shared: &Shared,
    request: Request<B>,
    page: S,
) -> Result<Response<ResponseBody<ResBody>>, S::Error>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>>,
{
    let (mut parts, body) = request.into_parts();
    let mut headers = HeaderMap::new();
    let mut error_status = None;
    if let Some(persist) = &shared.config.persist {
        match persist.store.take(&parts, &mut headers).await {
            Ok(Some(stored)) => {
                error_status = stored.result.is_error().then(|| stored.result.status());
                parts.extensions.insert(ActionPayload {
                    name: stored.name,
                    result: stored.result,
                    input: stored.input,
                });
            }
            Ok(None) => {}
            Err(err) => tracing::warn!(error = %err, "a persisted action result was ignored"),
        }
    }
    let mut response = page
        .oneshot(Request::from_parts(parts, RequestBody::new(body)))
        .await?;
    apply_error_status(&mut response, error_status);
    rpc::append_headers(response.headers_mut(), headers);
    Ok(response.map(ResponseBody::inner))
}

fn method_not_allowed(method: &Method, expose: bool) -> Response<Option<Bytes>> {
    let err = ActionError::new(
        ActionErrorCode::MethodNotAllowed,
        format!("Actions are called with POST, not {method}"),
    );
    let mut response = rpc::error_response(&err, expose);
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
