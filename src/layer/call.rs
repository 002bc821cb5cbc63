//! The request path of an action call, top to bottom:
//!
//! 1. [`classify`]: is the request an RPC call, a form action, or a `GET` that may carry a
//!    kept result? Everything else goes to the page untouched.
//! 2. [`refusal`]: refuse a wrong method or a cross-site form, then
//! 3. decode, validate, handle and serialize ([`handle_action`]): without gates directly
//!    ([`answer_rpc`], [`answer_form`]), else through the gates and
//!    [`HandleAction`](super::HandleAction) ([`answer`]); a `GET` that may carry a kept
//!    result goes to the store and the page ([`answer_restore`]);
//! 4. answer an RPC call with its result ([`SerializedActionResult::into_response`], also the
//!    one place any error becomes a response), or
//! 5. for a form action, redirect ([`Persist::redirect`](crate::persist::Persist)) or
//! 6. call the page with the result ([`call_page`]); the response future polls the page.
//!
//! Only the steps that touch the request body or the page service are generic; the gates and
//! everything after them see one body type.

use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, Request, Response, Uri};
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;
use tower_service::Service;

use super::body::{RequestBody, ResponseBody};
use super::future::Step;
use super::gate::{GateBody, PageHandoff, call_gates};
use super::{Config, Shared, rpc};
use crate::BoxError;
use crate::action::CalledFrom;
use crate::context::{ActionContext, Handled, handle_action, handle_action_owned};
use crate::error::{ActionError, ActionErrorCode};
use crate::observe::{Observed, Outcome};
use crate::payload::ActionPayload;
use crate::registry::BoxFuture;
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

/// The first non-empty `_action` value of a query string, decoded: of the `&`-separated
/// pairs, split at their first `=`, the first whose decoded key is `_action` and whose decoded
/// value is not empty. (Scanned byte by byte, each pair once: this runs on every `POST` with
/// a query.)
pub(crate) fn form_action_name(query: &str) -> Option<String> {
    let bytes = query.as_bytes();
    let mut start = 0;
    while start <= bytes.len() {
        // One pass over the pair: where it ends, its first `=`, and whether its key or its
        // value has a `+` or a `%` to decode.
        let mut end = start;
        let mut eq = None;
        let (mut key_escaped, mut value_escaped) = (false, false);
        while let Some(&b) = bytes.get(end) {
            match b {
                b'&' => break,
                b'=' if eq.is_none() => eq = Some(end),
                b'+' | b'%' if eq.is_none() => key_escaped = true,
                b'+' | b'%' => value_escaped = true,
                _ => {}
            }
            end += 1;
        }
        // `&` and `=` are ASCII: the indices are on character boundaries.
        let (key, value) = match eq {
            Some(at) => (&query[start..at], &query[at + 1..end]),
            None => (&query[start..end], ""),
        };
        let is_action = if key_escaped {
            decode_query_component(key).is_some_and(|key| key == "_action")
        } else {
            key == "_action"
        };
        if is_action {
            let value = if value_escaped {
                decode_query_component(value)
            } else {
                Some(Cow::Borrowed(value))
            };
            if let Some(value) = value.filter(|value| !value.is_empty()) {
                return Some(value.into_owned());
            }
        }
        start = end + 1;
    }
    None
}

/// A query component with `+` as a space and its percent escapes decoded (`None` when the
/// result is not UTF-8); borrowed when it has neither.
fn decode_query_component(text: &str) -> Option<Cow<'_, str>> {
    if !text.bytes().any(|b| b == b'+' || b == b'%') {
        return Some(Cow::Borrowed(text));
    }
    let text = text.replace('+', " ");
    percent_encoding::percent_decode_str(&text)
        .decode_utf8()
        .ok()
        .map(|decoded| Cow::Owned(decoded.into_owned()))
}

/// The answer to a call refused before its action is looked up: an RPC call with another
/// method than `POST`, or a form-like post from another origin.
fn refusal<B>(
    config: &Config,
    request: &Request<B>,
    call: &Call,
) -> Option<Response<Option<Bytes>>> {
    if matches!(call, Call::Rpc) && request.method() != Method::POST {
        return Some(method_not_allowed(
            request.method(),
            config.expose_internal_errors,
        ));
    }
    config
        .origin
        .is_forbidden(request.method(), request.uri(), request.headers())
        .then(|| rpc::forbidden_response(request.method()))
}

/// Answers an RPC call when no gate is configured: nothing can observe an `ActionContext`
/// and the page is never asked, so the action runs directly on the request's parts and body
/// (the inner service is not cloned, the name is borrowed from the path when it needs no
/// decoding).
pub(crate) async fn answer_rpc<B, ResBody>(
    shared: Arc<Shared>,
    request: Request<B>,
) -> Response<ResponseBody<ResBody>>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let config = &shared.config;
    if let Some(refused) = refusal(config, &request, &Call::Rpc) {
        return refused.map(ResponseBody::full);
    }
    let (parts, body) = request.into_parts();
    let name = rpc::action_name(parts.uri.path()).unwrap_or_default();
    let action = shared.actions.lookup(&name);
    let observed = Observed::start(&name, action.map(|a| a.name()), CalledFrom::Rpc);
    drop(name);
    // Boxed apart: glibc serves blocks up to 1,032 bytes from its per-thread cache; this
    // future (about 1 KB) and the one of the call around it (about 0.9 KB) each fit, where
    // both in one box (2.1 KB) took the large-block path, which first consolidates the free
    // small blocks, on every call (about 1,000 instructions more; BENCHMARKS.md).
    let handled = observed
        .in_span(
            Box::pin(handle_action(
                action,
                parts,
                body,
                CalledFrom::Rpc,
                &config.limits,
                config.expose_internal_errors,
                config.messages.as_deref(),
            ))
            .as_mut(),
        )
        .await;
    observed.finish(Some(handled.result.status()), Some(handled.outcome));
    let mut response = handled.result.into_response();
    crate::headers::append(response.headers_mut(), handled.response_headers);
    response.map(ResponseBody::full)
}

/// Answers a form action when no gate is configured: what [`answer`] does through an empty
/// gate stack, without the stack. The action runs directly on a copy of the request's parts;
/// the page gets the request with the action's payload and the extensions the handler added
/// (no [`ActionContext`]: a store of one's own sees one while it saves).
///
/// Two boxed futures, each small enough for the allocator's per-thread cache: the action's
/// handling, and what comes after it (the store, the call to the page); the page's own
/// future is polled by the response future.
pub(crate) fn answer_form<S, B, ResBody>(
    shared: Arc<Shared>,
    request: Request<B>,
    name: String,
    page: S,
) -> BoxFuture<'static, Step<S::Future, ResBody>>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>> + Send + 'static,
    S::Future: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
    ResBody: Send + 'static,
{
    let config = &shared.config;
    if let Some(refused) = refusal(config, &request, &Call::Form(String::new())) {
        return Box::pin(std::future::ready(Step::Answer(
            refused.map(ResponseBody::full),
        )));
    }
    let name = match rpc::decode_name(&name).unwrap_or_default() {
        Cow::Borrowed(_) => name,
        Cow::Owned(decoded) => decoded,
    };
    let action = shared.actions.lookup(&name).cloned();
    let (parts, body) = request.into_parts();
    // The handler gets the request's extensions, the page gets them too (and the handler's
    // own on top, as through the gate stack); the rest of the parts comes back.
    let extensions = parts.extensions.clone();
    let observed = Observed::start(&name, action.as_ref().map(|a| a.name()), CalledFrom::Form);
    let handling: BoxFuture<'static, Handled> = Box::pin(handle_action_owned(
        action.clone(),
        parts,
        body,
        CalledFrom::Form,
        config.limits,
        config.expose_internal_errors,
        config.messages.clone(),
    ));
    Box::pin(after_form(
        shared, name, action, extensions, observed, handling, page,
    ))
}

/// [`answer_form`] from the action's handling on (an `async move` block keeps its captures in
/// place; an `async fn` would store its arguments twice).
#[allow(clippy::manual_async_fn)] // an `async fn` would keep its arguments twice in its future
fn after_form<S, B, ResBody>(
    shared: Arc<Shared>,
    name: String,
    action: Option<Arc<dyn crate::registry::ErasedAction>>,
    extensions: http::Extensions,
    observed: Observed,
    mut handling: BoxFuture<'static, Handled>,
    page: S,
) -> impl Future<Output = Step<S::Future, ResBody>>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>>,
{
    async move {
        let config = &shared.config;
        // In a block: what it binds is not kept in the future across the store's await.
        let (mut parts, payload, mut headers, page_body) = {
            let handled = observed.in_span(handling.as_mut()).await;
            drop(handling);
            let Handled {
                result,
                locals,
                response_headers,
                page_body,
                submitted,
                mut parts,
                outcome,
            } = handled;
            observed.finish(Some(result.status()), Some(outcome));
            parts.extensions = extensions;
            if let Some(locals) = locals {
                parts.extensions.extend(locals);
            }
            let payload = ActionPayload {
                name,
                result,
                input: submitted,
            };
            (parts, payload, response_headers, page_body)
        };
        if let Some(persist) = &config.persist {
            // A store that is not the crate's own sees the request with an `ActionContext`, as
            // through the gate stack (one the handler's extensions carried wins, as if it went
            // in first).
            if persist.context_for_store && parts.extensions.get::<ActionContext>().is_none() {
                parts.extensions.insert(ActionContext::handled(
                    &payload.name,
                    CalledFrom::Form,
                    action,
                    config.limits,
                    config.expose_internal_errors,
                    config.messages.clone(),
                    payload.result.clone(),
                ));
            }
            match persist.redirect(&parts, &payload, headers).await {
                Ok(redirect) => return Step::Answer(redirect.map(ResponseBody::full)),
                Err(kept) => headers = kept,
            }
        }
        // The page gets the payload, not an `ActionContext` (as in Astro, where
        // `getActionContext()` has no action once the result is set): not the store's, nor one
        // the handler's extensions carried.
        parts.extensions.remove::<ActionContext>();
        let body = match page_body {
            Some(bytes) => RequestBody::full(bytes),
            None => {
                parts.headers.remove(CONTENT_LENGTH);
                RequestBody::empty()
            }
        };
        call_page(page, parts, body, Some(payload), headers)
    }
}

/// Answers an action call: the RPC result, a gate's own answer, the redirect after a form
/// action, or the page with the action's result.
pub(crate) async fn answer<S, B, ResBody>(
    shared: Arc<Shared>,
    request: Request<B>,
    call: Call,
    page: S,
) -> Step<S::Future, ResBody>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let config = &shared.config;
    let expose = config.expose_internal_errors;
    if let Some(refused) = refusal(config, &request, &call) {
        return Step::Answer(refused.map(ResponseBody::full));
    }
    let (name, called_from) = match call {
        Call::Rpc => (
            rpc::action_name(request.uri().path())
                .unwrap_or_default()
                .into_owned(),
            CalledFrom::Rpc,
        ),
        Call::Form(name) => (
            rpc::decode_name(&name).unwrap_or_default().into_owned(),
            CalledFrom::Form,
        ),
        Call::Restore => return restore(&shared, request, page).await,
    };
    let action = shared.actions.lookup(&name).cloned();
    let observed = Observed::start(&name, action.as_ref().map(|a| a.name()), called_from);
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
        return Step::Answer(
            response.map(|body| ResponseBody::boxed(UnsyncBoxBody::new(body.map_err(Into::into)))),
        );
    };
    let Some((mut page_parts, payload)) = handoff.take() else {
        let err = ActionError::internal("the page request was already handed off");
        observed.finish(Some(err.status()), Some(Outcome::of(&err)));
        let response = SerializedActionResult::from_error(&err, expose).into_response();
        return Step::Answer(response.map(ResponseBody::full));
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
            Ok(redirect) => return Step::Answer(redirect.map(ResponseBody::full)),
            Err(kept) => headers = kept,
        }
    }
    // The gates saw the `ActionContext`; the page gets the payload instead (as in Astro,
    // where `getActionContext()` has no action once the result is set).
    page_parts.extensions.remove::<ActionContext>();
    let body = match cx.take_page_body() {
        Some(bytes) => RequestBody::full(bytes),
        None => {
            page_parts.headers.remove(CONTENT_LENGTH);
            RequestBody::empty()
        }
    };
    call_page(page, page_parts, body, Some(payload), headers)
}

/// A request that may carry a kept result ([`Call::Restore`]), on its own: [`answer`]'s
/// future is sized for the gate stack and the form path, which a `GET` never takes. A plain
/// function returning an `async move` block: the request is split before the future is made,
/// and the block keeps its captures once (an `async fn` keeps its arguments twice).
pub(crate) fn answer_restore<S, B, ResBody>(
    shared: Arc<Shared>,
    request: Request<B>,
    page: S,
) -> impl Future<Output = Step<S::Future, ResBody>> + Send + 'static
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>> + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
    ResBody: Send + 'static,
{
    let refused = refusal(&shared.config, &request, &Call::Restore);
    let (parts, body) = request.into_parts();
    async move {
        if let Some(refused) = refused {
            return Step::Answer(refused.map(ResponseBody::full));
        }
        let (payload, headers) = match &shared.config.persist {
            Some(persist) => persist.restore(&parts).await,
            None => (None, HeaderMap::new()),
        };
        drop(shared);
        call_page(page, parts, RequestBody::new(body), payload, headers)
    }
}

/// A `GET` after a POST/redirect: the payload the store kept, if any, goes to the page, once.
async fn restore<S, B, ResBody>(
    shared: &Shared,
    request: Request<B>,
    page: S,
) -> Step<S::Future, ResBody>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>>,
{
    let (parts, body) = request.into_parts();
    let (payload, headers) = match &shared.config.persist {
        Some(persist) => persist.restore(&parts).await,
        None => (None, HeaderMap::new()),
    };
    call_page(page, parts, RequestBody::new(body), payload, headers)
}

/// Calls the page with the action's payload (if any) in the request's extensions. The page's
/// future is not awaited here: [`ResponseFuture`](super::ResponseFuture) polls it in place,
/// turns a page's 200 into an error result's status (as in Astro), and appends `headers`
/// (the handler's, a gate's, a store's) to the page's answer.
///
/// The page service is the one [`ActionsService`](super::ActionsService) drove to readiness
/// before the call, so it is called without asking again.
fn call_page<S, B, ResBody>(
    mut page: S,
    mut parts: http::request::Parts,
    body: RequestBody<B>,
    payload: Option<ActionPayload>,
    headers: HeaderMap,
) -> Step<S::Future, ResBody>
where
    S: Service<Request<RequestBody<B>>, Response = Response<ResBody>>,
{
    let error_status = payload
        .as_ref()
        .filter(|payload| payload.result.is_error())
        .map(|payload| payload.result.status());
    if let Some(payload) = payload {
        if parts.extensions.is_empty() {
            parts.extensions = room_for_a_router();
        }
        parts.extensions.insert(payload);
    }
    Step::Page {
        future: page.call(Request::from_parts(parts, body)),
        headers,
        error_status,
    }
}

/// Empty extensions with room for seven entries: the page's request starts with the payload,
/// and an axum `Router` adds three of its own, which would grow a map made for three.
fn room_for_a_router() -> http::Extensions {
    #[derive(Clone)]
    struct Room<const N: u8>;
    static EMPTY: std::sync::LazyLock<http::Extensions> = std::sync::LazyLock::new(|| {
        let mut extensions = http::Extensions::new();
        extensions.insert(Room::<0>);
        extensions.insert(Room::<1>);
        extensions.insert(Room::<2>);
        extensions.insert(Room::<3>);
        extensions.clear();
        extensions
    });
    // A copy of an empty map keeps the original's room.
    EMPTY.clone()
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

    /// Long seeded sequences of inserts and removes of mixed types and values, on extensions
    /// made by [`room_for_a_router`] (the kept template, copied again for each sequence) and on
    /// fresh ones side by side: every insert's previous value, every removal and every lookup
    /// answers the same, and the template stays empty.
    #[test]
    fn extensions_with_room_answer_what_fresh_extensions_answer() {
        #[derive(Clone, Debug, PartialEq)]
        struct Text(String);
        #[derive(Clone, Debug, PartialEq)]
        struct Pair(u8, Vec<u64>);
        let mut rng = crate::test_rng::Rng(0x5eed_e87e);
        for _ in 0..3_000 {
            let (mut roomy, mut fresh) = (room_for_a_router(), http::Extensions::new());
            for _ in 0..rng.below(24) {
                let v = rng.next();
                match rng.below(8) {
                    0 => assert_eq!(roomy.insert(v), fresh.insert(v)),
                    1 => assert_eq!(roomy.insert(v as u8), fresh.insert(v as u8)),
                    2 => {
                        let text = Text("x".repeat(rng.below(40)) + &v.to_string());
                        assert_eq!(roomy.insert(text.clone()), fresh.insert(text));
                    }
                    3 => {
                        let pair = Pair(v as u8, (0..rng.below(6) as u64).collect());
                        assert_eq!(roomy.insert(pair.clone()), fresh.insert(pair));
                    }
                    4 => assert_eq!(roomy.remove::<u64>(), fresh.remove::<u64>()),
                    5 => assert_eq!(roomy.remove::<Text>(), fresh.remove::<Text>()),
                    6 => assert_eq!(roomy.insert(v as i32), fresh.insert(v as i32)),
                    _ => assert_eq!(roomy.remove::<Pair>(), fresh.remove::<Pair>()),
                }
                assert_eq!(roomy.len(), fresh.len());
                assert_eq!(roomy.get::<u64>(), fresh.get::<u64>());
                assert_eq!(roomy.get::<u8>(), fresh.get::<u8>());
                assert_eq!(roomy.get::<i32>(), fresh.get::<i32>());
                assert_eq!(roomy.get::<Text>(), fresh.get::<Text>());
                assert_eq!(roomy.get::<Pair>(), fresh.get::<Pair>());
            }
        }
        assert!(room_for_a_router().is_empty());
    }

    /// The page's extensions start empty however often they are made: the entries that gave
    /// the map its room are gone, and what goes in comes out.
    #[test]
    fn a_page_starts_with_empty_extensions_with_room() {
        for n in 0..3 {
            let mut extensions = room_for_a_router();
            assert!(extensions.is_empty());
            assert_eq!(extensions.len(), 0);
            for k in 0..=n {
                extensions.insert(k);
            }
            extensions.insert("eight");
            assert_eq!(extensions.len(), 2);
            assert_eq!(extensions.get::<i32>(), Some(&n));
            assert_eq!(extensions.get::<&str>(), Some(&"eight"));
        }
    }

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
        assert_eq!(
            form_action_name("%5Faction=a%2Bb+c").as_deref(),
            Some("a+b c")
        );
        assert_eq!(
            form_action_name("_action=%FF&_action=ok").as_deref(),
            Some("ok")
        );
        assert_eq!(
            form_action_name("_action+=x&_action=%E2%9C%93").as_deref(),
            Some("✓")
        );
    }

    /// The byte scan finds the name the rule of splitting on `&` and `=` finds, over seeded
    /// queries of the pieces that matter.
    #[test]
    fn the_action_name_is_the_one_the_splitting_rule_finds() {
        fn by_rule(query: &str) -> Option<String> {
            fn decode(text: &str) -> Option<String> {
                let text = text.replace('+', " ");
                percent_encoding::percent_decode_str(&text)
                    .decode_utf8()
                    .ok()
                    .map(|decoded| decoded.into_owned())
            }
            query.split('&').find_map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                if decode(key)? != "_action" {
                    return None;
                }
                let value = decode(value)?;
                (!value.is_empty()).then_some(value)
            })
        }
        let pieces = [
            "_action",
            "%5Faction",
            "_action+",
            "=",
            "&",
            "a",
            "x=1",
            "%FF",
            "+",
            "%2",
            "é",
            "subscribe",
            "",
            "%26",
            "%3D",
        ];
        let mut rng = crate::test_rng::Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..50_000 {
            let seed = rng.next();
            let mut query = String::new();
            let mut bits = seed;
            for _ in 0..(seed % 9) {
                query.push_str(pieces[(bits % pieces.len() as u64) as usize]);
                bits /= pieces.len() as u64;
                if bits == 0 {
                    bits = seed.rotate_left(23);
                }
            }
            assert_eq!(form_action_name(&query), by_rule(&query), "{query:?}");
        }
    }

    /// The borrowed shortcut decodes as the allocating rule does, over seeded components
    /// drawn from the bytes that matter (`+`, `%`, hex digits, `_action`'s letters, UTF-8).
    #[test]
    fn query_components_decode_the_same_with_and_without_the_shortcut() {
        fn by_rule(text: &str) -> Option<String> {
            let text = text.replace('+', " ");
            percent_encoding::percent_decode_str(&text)
                .decode_utf8()
                .ok()
                .map(|decoded| decoded.into_owned())
        }
        let pieces = [
            "+",
            "%",
            "%2",
            "%2B",
            "%5F",
            "%5f",
            "%FF",
            "%E2%9C%93",
            "_",
            "action",
            "a",
            "=",
            "é",
            " ",
            "%%",
            "2B",
            "x",
        ];
        let mut rng = crate::test_rng::Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let seed = rng.next();
            let mut text = String::new();
            let mut bits = seed;
            for _ in 0..(seed % 7) {
                text.push_str(pieces[(bits % pieces.len() as u64) as usize]);
                bits /= pieces.len() as u64;
            }
            assert_eq!(
                decode_query_component(&text).map(Cow::into_owned),
                by_rule(&text),
                "{text:?}"
            );
        }
    }
}
