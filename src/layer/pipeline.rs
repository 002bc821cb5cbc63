//! The action pipeline: what happens to a request the layer recognises as an action call.

use std::sync::Arc;

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_LENGTH};
use http::{HeaderValue, Method, Request, Response, StatusCode, Uri};
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;
use tower::ServiceExt;
use tower_service::Service;

use super::body::{RequestBody, ResponseBody};
use super::gate::{GateBody, PageHandoff, call_gates};
use super::{Config, Shared, rpc};
use crate::BoxError;
use crate::action::CalledFrom;
use crate::context::ActionContext;
use crate::error::{ActionError, ActionErrorCode};

/// How a request calls an action.
pub(crate) enum Call {
    /// `{base}/_actions/<name>`, any method (only POST runs it).
    Rpc,
    /// `POST <page>?_action=<name>`.
    Form(String),
}

/// Whether a request calls an action. Cheap for everything else: a path prefix test, and a
/// query scan for `POST`s only.
pub(crate) fn classify(method: &Method, uri: &Uri, config: &Config) -> Option<Call> {
    if rpc::is_rpc_path(uri.path(), &config.base) {
        return Some(Call::Rpc);
    }
    if method != Method::POST {
        return None;
    }
    form_action_name(uri.query()?).map(Call::Form)
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
    };
    let action = shared.actions.lookup(&name).cloned();
    let (mut parts, body) = request.into_parts();
    let cx = ActionContext::new(
        name,
        called_from,
        action,
        parts.clone(),
        UnsyncBoxBody::new(body.map_err(Into::into)),
        config.limits,
        expose,
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
    if let Some(status) = error_status {
        if response.status() == StatusCode::OK {
            *response.status_mut() = status;
        }
    }
    rpc::append_headers(response.headers_mut(), cx.take_response_headers());
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
