//! [`ActionContext`]: the action a request calls, as gates see it (Astro's
//! `getActionContext()`), and [`handle_action`]: decoding, validating, handling and
//! serializing, the one place an action runs for a request.
//!
//! The layer puts an `ActionContext` in the extensions of every action request (RPC or form)
//! before any gate runs; a gate finds it with
//! `request.extensions().get::<ActionContext>()` (or, with axum, extracts it). A gate reads [`name`](ActionContext::name) and
//! [`called_from`](ActionContext::called_from) to decide, and may answer itself (the action
//! never runs), run the action with [`handler`](ActionContext::handler) and store a result with
//! [`set_action_result`](ActionContext::set_action_result), or let the request through.
//! The handler runs at most once per request, whoever asks for it.
//!
//! The page a form action renders gets the result as an [`ActionPayload`](crate::ActionPayload)
//! (read with [`action_result`](crate::action_result)), not an `ActionContext`: as in Astro,
//! where `getActionContext()` has no action once the result is set. A
//! [`ResultStore`](crate::persist::ResultStore) of one's own finds the context while it saves.
//!
//! # Example
//!
//! A gate written as a plain function over the context:
//!
//! ```
//! use tower_actions::{ActionContext, ActionError, ActionErrorCode, SerializedActionResult};
//!
//! fn veto(cx: &ActionContext, headers: &http::HeaderMap) -> Option<SerializedActionResult> {
//!     let admin = headers.get("x-admin").is_some_and(|v| v == "1");
//!     (cx.name().starts_with("admin.") && !admin).then(|| {
//!         cx.serialize_action_result::<()>(&Err(ActionError::new(
//!             ActionErrorCode::Unauthorized,
//!             "admin only",
//!         )))
//!     })
//! }
//! # let _ = veto;
//! ```

use std::borrow::{Borrow, Cow};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::request::Parts;
use http::{Extensions, HeaderMap};
use http_body_util::combinators::UnsyncBoxBody;
use serde::Serialize;

use crate::BoxError;
use crate::action::{ActionApiContext, CalledFrom};
use crate::check::Messages;
use crate::decode::{Limits, read_input};
use crate::error::{ActionError, ActionErrorCode};
use crate::observe::Outcome;
use crate::registry::ErasedAction;
use crate::result::SerializedActionResult;

/// The action a request calls: present in the request extensions of every action request.
#[doc(alias = "getActionContext")]
#[derive(Clone)]
pub struct ActionContext {
    inner: Arc<Inner>,
}

struct Inner {
    /// Borrowed (the action's static name) in the context of a handled form action that
    /// named a registered action (the one a store of one's own sees), so that it copies no
    /// name; owned otherwise.
    name: Cow<'static, str>,
    called_from: CalledFrom,
    action: Option<Arc<dyn ErasedAction>>,
    limits: Limits,
    expose_internal: bool,
    messages: Option<Arc<Messages>>,
    /// Held while the action is handled, so that a second caller waits for the first's result.
    once: futures_util::lock::Mutex<Once>,
    slot: Mutex<Slot>,
}

struct Once {
    /// Boxed: a context made for a handled form action (most of them) has none, and the
    /// parts would make every context about 240 bytes larger.
    #[allow(clippy::type_complexity)]
    pending: Option<Box<(Parts, UnsyncBoxBody<Bytes, BoxError>)>>,
    memo: Option<SerializedActionResult>,
}

#[derive(Default)]
struct Slot {
    set: Option<(String, SerializedActionResult)>,
    locals: Option<Extensions>,
    response_headers: HeaderMap,
    page_body: Option<Bytes>,
    submitted: Vec<(String, String)>,
    /// How the handling ended, once the action was handled.
    outcome: Option<Outcome>,
}

impl ActionContext {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        name: String,
        called_from: CalledFrom,
        action: Option<Arc<dyn ErasedAction>>,
        parts: Parts,
        body: UnsyncBoxBody<Bytes, BoxError>,
        limits: Limits,
        expose_internal: bool,
        messages: Option<Arc<Messages>>,
    ) -> Self {
        let once = Once {
            pending: Some(Box::new((parts, body))),
            memo: None,
        };
        Self::with(
            Cow::Owned(name),
            called_from,
            action,
            limits,
            expose_internal,
            messages,
            once,
        )
    }

    /// The context of an action whose handler has already run (no gate asked for it), for a
    /// store of one's own to see while it saves: its handler answers `result`, the request
    /// body is gone.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn handled(
        name: &str,
        called_from: CalledFrom,
        action: Option<Arc<dyn ErasedAction>>,
        limits: Limits,
        expose_internal: bool,
        messages: Option<Arc<Messages>>,
        result: SerializedActionResult,
    ) -> Self {
        let once = Once {
            pending: None,
            memo: Some(result),
        };
        let name = match &action {
            Some(action) if action.name() == name => Cow::Borrowed(action.name()),
            _ => Cow::Owned(name.to_owned()),
        };
        Self::with(
            name,
            called_from,
            action,
            limits,
            expose_internal,
            messages,
            once,
        )
    }

    fn with(
        name: Cow<'static, str>,
        called_from: CalledFrom,
        action: Option<Arc<dyn ErasedAction>>,
        limits: Limits,
        expose_internal: bool,
        messages: Option<Arc<Messages>>,
        once: Once,
    ) -> Self {
        ActionContext {
            inner: Arc::new(Inner {
                name,
                called_from,
                action,
                limits,
                expose_internal,
                messages,
                once: futures_util::lock::Mutex::new(once),
                slot: Mutex::new(Slot::default()),
            }),
        }
    }

    /// The action's name as the request gave it (decoded): `blog.like`.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Whether the action was called over RPC or from a form.
    pub fn called_from(&self) -> CalledFrom {
        self.inner.called_from
    }

    /// Whether an action of that name exists (running an unknown one gives `NOT_FOUND`).
    pub fn exists(&self) -> bool {
        self.inner.action.is_some()
    }

    /// Runs the action and gives its result, serialized (Astro's `action.handler()`).
    ///
    /// The action runs at most once per request: a second call, from a gate or from the layer,
    /// gets the first call's result. The handler sees the request as it was when it entered
    /// the layer.
    pub async fn handler(&self) -> SerializedActionResult {
        self.handle_once(None).await
    }

    /// Handles the action once for this request (with `parts`, the request as the gates left
    /// it, when given), keeps what the page needs, and gives the result.
    pub(crate) async fn handle_once(&self, parts: Option<Parts>) -> SerializedActionResult {
        let mut once = self.inner.once.lock().await;
        if let Some(memo) = &once.memo {
            return memo.clone();
        }
        let result = match once.pending.take() {
            Some(pending) => {
                let (entry_parts, body) = *pending;
                let handled = handle_action(
                    self.inner.action.as_ref(),
                    parts.unwrap_or(entry_parts),
                    body,
                    self.inner.called_from,
                    &self.inner.limits,
                    self.inner.expose_internal,
                    self.inner.messages.as_deref(),
                )
                .await;
                let mut slot = self.slot();
                slot.page_body = handled.page_body;
                slot.submitted = handled.submitted;
                slot.locals = handled.locals;
                slot.response_headers = handled.response_headers;
                slot.outcome = Some(handled.outcome);
                handled.result
            }
            None => SerializedActionResult::from_error(
                &ActionError::internal("the action's request body was already consumed"),
                self.inner.expose_internal,
            ),
        };
        once.memo = Some(result.clone());
        result
    }

    /// Stores a result for this request (Astro's `setActionResult`). The layer then does not
    /// run the action: an RPC call answers this result, a form hands it to the page.
    #[doc(alias = "setActionResult")]
    pub fn set_action_result(&self, name: impl Into<String>, result: SerializedActionResult) {
        self.slot().set = Some((name.into(), result));
    }

    /// The result stored with [`set_action_result`](ActionContext::set_action_result).
    pub fn stored_result(&self) -> Option<(String, SerializedActionResult)> {
        self.slot().set.clone()
    }

    /// Serializes a result with this layer's settings (Astro's `serializeActionResult`): an
    /// unexpected error's message is hidden unless the layer exposes internal errors. Read it
    /// back with [`SerializedActionResult::deserialize`].
    #[doc(alias = "serializeActionResult")]
    pub fn serialize_action_result<T: Serialize>(
        &self,
        result: &Result<T, ActionError>,
    ) -> SerializedActionResult {
        SerializedActionResult::from_result(result, self.inner.expose_internal)
    }

    /// Headers the handler added to the response.
    pub(crate) fn take_response_headers(&self) -> HeaderMap {
        std::mem::take(&mut self.slot().response_headers)
    }

    /// The extensions the handler left (its locals), to hand to the page.
    pub(crate) fn take_locals(&self) -> Option<Extensions> {
        self.slot().locals.take()
    }

    /// The submitted non-file form values, to hand to the page.
    pub(crate) fn take_submitted(&self) -> Vec<(String, String)> {
        std::mem::take(&mut self.slot().submitted)
    }

    /// How handling the action ended, when the layer handled it.
    pub(crate) fn outcome(&self) -> Option<Outcome> {
        self.slot().outcome
    }

    /// The request body as read for the action, to hand to the page.
    pub(crate) fn take_page_body(&self) -> Option<Bytes> {
        self.slot().page_body.take()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.inner
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// What handling an action for a request produced.
pub(crate) struct Handled {
    pub(crate) result: SerializedActionResult,
    /// The request extensions as the handler left them.
    pub(crate) locals: Option<Extensions>,
    /// Headers the handler added to the response.
    pub(crate) response_headers: HeaderMap,
    /// The body bytes as read (JSON, urlencoded), for a page.
    pub(crate) page_body: Option<Bytes>,
    /// The submitted non-file form values.
    pub(crate) submitted: Vec<(String, String)>,
    /// The request's parts back: method, URI, version and headers as they came; extensions
    /// as they came when the handler did not run, else empty (the handler's are `locals`).
    pub(crate) parts: Parts,
    /// How it ended (for the span and metrics).
    pub(crate) outcome: Outcome,
}

/// Handles an action for a request, the steps in order: decode the body (limits, content
/// type, accept kind), validate the input, call the handler, serialize its result. The one
/// place an action runs for a request; an unknown action is `NOT_FOUND`.
///
/// The request's parts go into the handler's [`ActionApiContext`] before the future is made,
/// so that the future holds them once (not as parts and again as the context).
pub(crate) fn handle_action<'a, B>(
    action: Option<&'a Arc<dyn ErasedAction>>,
    parts: Parts,
    body: B,
    called_from: CalledFrom,
    limits: &'a Limits,
    expose_internal: bool,
    messages: Option<&'a Messages>,
) -> impl Future<Output = Handled> + Send + 'a
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let version = parts.version;
    let cx = ActionApiContext::new(parts, called_from);
    handle_in_context(action, cx, version, body, limits, expose_internal, messages)
}

/// [`handle_action`] with the action and the settings owned: a future that borrows nothing,
/// to box on its own.
pub(crate) fn handle_action_owned<B>(
    action: Option<Arc<dyn ErasedAction>>,
    parts: Parts,
    body: B,
    called_from: CalledFrom,
    limits: Limits,
    expose_internal: bool,
    messages: Option<Arc<Messages>>,
) -> impl Future<Output = Handled> + Send + 'static
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let version = parts.version;
    let cx = ActionApiContext::new(parts, called_from);
    handle_in_context(action, cx, version, body, limits, expose_internal, messages)
}

/// The steps of [`handle_action`] on the handler's context. A plain function returning an
/// `async move` block rather than an `async fn`: the block keeps its captures in place, where
/// an `async fn` would store its arguments twice (as captures, then as locals).
#[allow(clippy::manual_async_fn)] // an `async fn` would keep its arguments twice in its future
fn handle_in_context<A, L, M, B>(
    action: Option<A>,
    mut cx: ActionApiContext,
    version: http::Version,
    body: B,
    limits: L,
    expose_internal: bool,
    messages: Option<M>,
) -> impl Future<Output = Handled> + Send
where
    A: Borrow<Arc<dyn ErasedAction>> + Send,
    L: Borrow<Limits> + Send,
    M: Borrow<Messages> + Send,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    async move {
        // Refused before the handler ran: the parts come back as they came, extensions included.
        let refused = |cx: ActionApiContext, err: &ActionError| {
            let (mut parts, extensions, _) = cx.into_request_parts(version);
            parts.extensions = extensions;
            Handled {
                result: SerializedActionResult::from_error(err, expose_internal),
                locals: None,
                response_headers: HeaderMap::new(),
                page_body: None,
                submitted: Vec::new(),
                parts,
                outcome: Outcome::of(err),
            }
        };
        let Some(action) = action else {
            return refused(cx, &ActionError::from_code(ActionErrorCode::NotFound));
        };
        let action: &Arc<dyn ErasedAction> = action.borrow();
        let called_from = cx.called_from();
        // Decode.
        let input = match read_input(cx.headers(), body, action.accept(), limits.borrow()).await {
            Ok(input) => input,
            Err(err) => return refused(cx, &err),
        };
        // Validate and handle.
        let result = action.validate_and_handle(&input, &mut cx).await;
        // What the page of a form action gets: the body as read and the submitted text
        // values, moved out of the input now that the handler is done with it (no copy).
        let (page_body, submitted) = match called_from {
            CalledFrom::Form => input.into_page_parts(),
            _ => (None, Vec::new()),
        };
        let (parts, locals, response_headers) = cx.into_request_parts(version);
        // Serialize.
        let mut outcome = Outcome::default();
        let result = match result {
            Ok(output) => SerializedActionResult::from_output(output),
            Err(mut err) => {
                if let Some(messages) = &messages {
                    err.apply_messages(messages.borrow());
                }
                log_error(action.name(), &err);
                outcome = Outcome::of(&err);
                SerializedActionResult::from_error(&err, expose_internal)
            }
        };
        Handled {
            result,
            locals: Some(locals),
            response_headers,
            page_body,
            submitted,
            parts,
            outcome,
        }
    }
}

pub(crate) fn log_error(action: &str, err: &ActionError) {
    if err.is_internal() {
        tracing::error!(action, error = %err.message(), "action failed with an unexpected error");
    } else {
        tracing::debug!(action, error = %err, "action answered with an error");
    }
}

impl std::fmt::Debug for ActionContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionContext")
            .field("name", &&*self.inner.name)
            .field("called_from", &self.inner.called_from)
            .field("exists", &self.exists())
            .finish_non_exhaustive()
    }
}
