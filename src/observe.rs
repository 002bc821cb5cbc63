//! Observability: a [`tracing`] span for every action call and, with the `metrics` feature,
//! a counter and a histogram per action on the [`metrics`](https://docs.rs/metrics) facade.
//!
//! # The `action` span
//!
//! Every action call, over RPC, from a form, or from server code
//! ([`Actions::call`](crate::Actions::call), [`ActionApiContext::call`](crate::ActionApiContext::call)),
//! runs inside one span named `action` (target `tower_actions`, level `INFO`). For a call
//! through the layer it is entered around the gates, decoding, validation, the handler and
//! the serialization of its result; a form action's page renders after it closed. It is
//! created inside whatever span is current: under tower-http's `TraceLayer` request span
//! when that layer wraps the [`ActionsLayer`](crate::ActionsLayer). Events the gates and the
//! handler log (a panicking handler, an unexpected error) happen inside it.
//!
//! Its fields follow OpenTelemetry's semantic conventions (RPC spans, v1.37) where one fits:
//!
//! | field | value |
//! |---|---|
//! | `rpc.system` | `"astro_actions"` |
//! | `rpc.method` | the action's name, `blog.like`; `_OTHER` for a name no action has |
//! | `rpc.method_original` | the name a call for an unknown action used (only then) |
//! | `otel.name` | as `rpc.method`: the span's name once exported by `tracing-opentelemetry` |
//! | `tower_actions.called_from` | `"rpc"`, `"form"` or `"server"` ([`CalledFrom`]) |
//! | `http.response.status_code` | RPC: the answer's status. Form: the status of the action's result (200 or 204 for a success, the error's otherwise; the page gets it unless it answers another status than 200). A gate's own answer: its status. Server calls: none |
//! | `error.type` | the [`ActionErrorCode`] of a failed call, `"UNAUTHORIZED"`; a gate's own answer with an error status: the code of that status (Astro's `statusToCode`). None on success |
//! | `tower_actions.issue_count` | the number of issues of an input error the layer's decoding or validation found (only then; not for a result a gate stored or answered with) |
//! | `tower_actions.duration_ms` | the time the call took, in milliseconds (a float) |
//! | `otel.status_code` | `"ERROR"` when the outcome is a 5xx error (`tracing-opentelemetry` then marks the span failed) |
//!
//! Input values are never recorded: not in the span, not in the events inside it. Requests
//! refused before an action is looked up (an RPC call with another method than `POST`, a
//! cross-site form) and requests that call no action make no `action` span.
//!
//! With no subscriber listening at `INFO` there is no span at all: no allocation, no clock
//! read, about 90 instructions per action call (under 1 % of the cheapest RPC call; see
//! `BENCHMARKS.md`). A subscriber that listens but filters the span out costs the callsite's
//! interest check as well.
//!
//! # Metrics (feature `metrics`)
//!
//! Each call also goes to the `metrics` facade's recorder (none installed: nothing recorded):
//!
//! | metric | kind | labels |
//! |---|---|---|
//! | `tower_actions_calls_total` (`CALLS_TOTAL`) | counter | `action`, `called_from`, `outcome` |
//! | `tower_actions_call_duration_seconds` (`CALL_DURATION_SECONDS`) | histogram, seconds | `action`, `called_from`, `outcome` |
//!
//! `action` is the action's name, or `_OTHER` for a name no action has (so that a client
//! cannot make up label values); `called_from` is `rpc`, `form` or `server`; `outcome` is
//! `ok` or the error code (`error.type` above). `describe_metrics()` gives them their help
//! text and unit.
//!
//! # Example
//!
//! A subscriber that prints the span of each call, and a call:
//!
//! ```
//! use http::Request;
//! use tower::{Layer, ServiceExt, service_fn};
//! use tower_actions::{Action, ActionApiContext, ActionError, Actions, ActionsLayer, input::RawJson};
//!
//! struct Ping;
//! impl Action for Ping {
//!     const NAME: &'static str = "ping";
//!     type Input = RawJson;
//!     type Output = &'static str;
//!     async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<&'static str, ActionError> {
//!         tracing::info!("pong"); // printed with the span: action{rpc.method="ping" …}: pong
//!         Ok("pong")
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! tracing_subscriber::fmt().with_max_level(tracing::Level::INFO).init();
//! let app = ActionsLayer::new(Actions::new().add(Ping)).layer(service_fn(|_| async {
//!     Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
//! }));
//! let request = Request::post("/_actions/ping")
//!     .header("content-type", "application/json")
//!     .body("{}".to_owned())
//!     .unwrap();
//! let response = app.oneshot(request).await.unwrap();
//! assert_eq!(response.status(), 200);
//! # }
//! ```

use std::future::Future;
use std::time::Instant;

use http::StatusCode;
use std::pin::Pin;
use std::task::{Context, Poll};

use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
use tracing::{Level, Span, field};

use crate::action::CalledFrom;
use crate::error::{ActionError, ActionErrorCode};

/// The name of the counter of action calls: `tower_actions_calls_total`, labelled `action`,
/// `called_from` and `outcome`.
#[cfg(feature = "metrics")]
pub const CALLS_TOTAL: &str = "tower_actions_calls_total";

/// The name of the histogram of action call durations, in seconds:
/// `tower_actions_call_duration_seconds`, labelled `action`, `called_from` and `outcome`.
///
/// Prometheus exporters render a histogram as a summary unless given buckets for it, e.g.
/// `PrometheusBuilder::set_buckets_for_metric(Matcher::Full(CALL_DURATION_SECONDS.into()), &[…])`.
#[cfg(feature = "metrics")]
pub const CALL_DURATION_SECONDS: &str = "tower_actions_call_duration_seconds";

/// Describes the metrics to the installed recorder (help text and unit): call it once, after
/// installing one.
///
/// ```
/// let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
/// let handle = recorder.handle();
/// metrics::with_local_recorder(&recorder, || {
///     tower_actions::observe::describe_metrics();
///     metrics::counter!(tower_actions::observe::CALLS_TOTAL, "action" => "ping").increment(1);
/// });
/// assert!(handle.render().contains("# HELP tower_actions_calls_total Action calls"));
/// ```
#[cfg(feature = "metrics")]
pub fn describe_metrics() {
    metrics::describe_counter!(
        CALLS_TOTAL,
        metrics::Unit::Count,
        "Action calls, by action, caller (rpc, form, server) and outcome (ok or the error code)"
    );
    metrics::describe_histogram!(
        CALL_DURATION_SECONDS,
        metrics::Unit::Seconds,
        "Time an action call took (gates, decoding, validation, handler, serialization)"
    );
}

/// How a call the layer ran ended, as far as the span and metrics tell: the error code and,
/// for an input error, the number of issues. The default is a success.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Outcome {
    code: Option<ActionErrorCode>,
    issues: Option<usize>,
}

impl Outcome {
    /// The outcome of a failed call.
    pub(crate) fn of(err: &ActionError) -> Outcome {
        Outcome {
            code: Some(err.code()),
            issues: err.as_input_error().map(|input| input.issues().len()),
        }
    }

    /// The outcome of a call's result.
    pub(crate) fn of_result<T>(result: &Result<T, ActionError>) -> Outcome {
        result.as_ref().err().map(Outcome::of).unwrap_or_default()
    }
}

/// An action call being observed. Without a listening subscriber and without the `metrics`
/// feature it is one null pointer: nothing to enter, record or drop, and a small addition to
/// the one boxed future of an action call.
pub(crate) struct Observed {
    /// The span and its start, when a subscriber listens (boxed: the rare case pays).
    listened: Option<Box<Listened>>,
    #[cfg(feature = "metrics")]
    start: Instant,
    #[cfg(feature = "metrics")]
    action: &'static str,
    #[cfg(feature = "metrics")]
    called_from: CalledFrom,
}

struct Listened {
    span: Span,
    start: Instant,
}

/// What `rpc.method` and the `action` label say for a name no action has.
const OTHER: &str = "_OTHER";

impl Observed {
    /// Starts observing a call of `action` (the registered action's name; `None` when no
    /// action has the `requested` name).
    #[inline]
    pub(crate) fn start(
        requested: &str,
        action: Option<&'static str>,
        called_from: CalledFrom,
    ) -> Observed {
        // The global level check first: with no subscriber, or none listening at INFO, there
        // is no span at all (the macro's disabled span would run tracing's `log` fallback on
        // creation, entry, exit and drop when tracing's `log` feature is on, as axum's default
        // features make it).
        let listened = if Level::INFO <= STATIC_MAX_LEVEL && Level::INFO <= LevelFilter::current() {
            Observed::span(requested, action, called_from)
        } else {
            None
        };
        Observed {
            listened,
            #[cfg(feature = "metrics")]
            start: Instant::now(),
            #[cfg(feature = "metrics")]
            action: action.unwrap_or(OTHER),
            #[cfg(feature = "metrics")]
            called_from,
        }
    }

    /// The call's span, when a subscriber listens to it.
    #[inline(never)]
    fn span(
        requested: &str,
        action: Option<&'static str>,
        called_from: CalledFrom,
    ) -> Option<Box<Listened>> {
        let method = action.unwrap_or(OTHER);
        let span = tracing::info_span!(
            target: "tower_actions",
            "action",
            "otel.name" = method,
            "otel.status_code" = field::Empty,
            "rpc.system" = "astro_actions",
            "rpc.method" = method,
            "rpc.method_original" = field::Empty,
            "tower_actions.called_from" = called_from.as_str(),
            "http.response.status_code" = field::Empty,
            "error.type" = field::Empty,
            "tower_actions.issue_count" = field::Empty,
            "tower_actions.duration_ms" = field::Empty,
        );
        if span.is_disabled() {
            return None;
        }
        if action.is_none() {
            span.record("rpc.method_original", requested);
        }
        Some(Box::new(Listened {
            span,
            start: Instant::now(),
        }))
    }

    /// `future`, entered in the call's span (if any) each time it is polled. The future is
    /// polled where it is (pinned by the caller): wrapping a large future by value, as
    /// `tracing::Instrument` does, would move it, a `memcpy` of its whole state per call.
    #[inline]
    pub(crate) fn in_span<'a, F: Future + ?Sized>(
        &'a self,
        future: Pin<&'a mut F>,
    ) -> InSpan<'a, F> {
        InSpan {
            span: self.listened.as_ref().map(|listened| &listened.span),
            future,
        }
    }

    /// Records how the call ended: the status of its answer (none for a server call) and, when
    /// the layer ran the action, its outcome; without one, an error status gives the code.
    #[inline]
    pub(crate) fn finish(self, status: Option<StatusCode>, outcome: Option<Outcome>) {
        if cfg!(feature = "metrics") || self.listened.is_some() {
            self.record(status, outcome);
        }
    }

    #[inline(never)]
    fn record(self, status: Option<StatusCode>, outcome: Option<Outcome>) {
        let outcome = outcome.unwrap_or_default();
        let code = outcome.code.or_else(|| {
            status
                .filter(|status| status.as_u16() >= 400)
                .map(ActionErrorCode::from_status)
        });
        if let Some(listened) = &self.listened {
            let span = &listened.span;
            if let Some(status) = status {
                span.record("http.response.status_code", status.as_u16());
            }
            if let Some(code) = code {
                span.record("error.type", code.as_str());
                if code.status().is_server_error() {
                    span.record("otel.status_code", "ERROR");
                }
            }
            if let Some(issues) = outcome.issues {
                span.record("tower_actions.issue_count", issues);
            }
            let elapsed = listened.start.elapsed();
            span.record("tower_actions.duration_ms", elapsed.as_secs_f64() * 1_000.0);
        }
        #[cfg(feature = "metrics")]
        record_metrics(
            self.action,
            self.called_from,
            code.map_or("ok", ActionErrorCode::as_str),
            self.start,
        );
    }
}

/// What `metrics::counter!` and `metrics::histogram!` give the recorder from this module.
#[cfg(feature = "metrics")]
static METADATA: metrics::Metadata<'static> =
    metrics::Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

/// The two metrics' keys for one set of labels.
#[cfg(feature = "metrics")]
type Keys = [metrics::Key; 2];

/// A set of labels by the addresses and lengths of its texts (all `'static`; the same text at
/// two addresses only makes two entries with equal keys).
#[cfg(feature = "metrics")]
type LabelsId = [(usize, usize); 2];

#[cfg(feature = "metrics")]
fn text_id(text: &'static str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

/// A multiply-rotate hash of a few words (a [`LabelsId`] and a caller): SipHash, the
/// default, spent more than the rest of the recording.
#[cfg(feature = "metrics")]
#[derive(Default)]
struct WordHasher(u64);

#[cfg(feature = "metrics")]
impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    fn write_isize(&mut self, word: isize) {
        self.write_u64(word as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Counts a call and records its duration, as `counter!(CALLS_TOTAL, &labels)` and
/// `histogram!(CALL_DURATION_SECONDS, &labels)` do, with keys built once per thread and set of
/// labels (a key owns its labels: building one is two allocations and a hash, on every call
/// even with no recorder installed). At most one entry per action, caller and outcome.
#[cfg(feature = "metrics")]
fn record_metrics(
    action: &'static str,
    called_from: CalledFrom,
    outcome: &'static str,
    start: Instant,
) {
    use std::cell::RefCell;
    use std::collections::HashMap;
    type Words = std::hash::BuildHasherDefault<WordHasher>;
    thread_local! {
        static KEYS: RefCell<HashMap<(LabelsId, CalledFrom), Keys, Words>> =
            RefCell::new(HashMap::default());
    }
    let build = || {
        let labels = [
            ("action", action),
            ("called_from", called_from.as_str()),
            ("outcome", outcome),
        ];
        [
            metrics::Key::from_parts(CALLS_TOTAL, &labels),
            metrics::Key::from_parts(CALL_DURATION_SECONDS, &labels),
        ]
    };
    let record = |[calls, duration]: &Keys| {
        metrics::with_recorder(|recorder| recorder.register_counter(calls, &METADATA).increment(1));
        metrics::with_recorder(|recorder| {
            recorder
                .register_histogram(duration, &METADATA)
                .record(start.elapsed().as_secs_f64())
        });
    };
    let id = ([text_id(action), text_id(outcome)], called_from);
    let cached = KEYS.try_with(|keys| {
        // A recorder that calls an action from inside finds the cache in use: it builds.
        let Ok(mut keys) = keys.try_borrow_mut() else {
            return false;
        };
        record(keys.entry(id).or_insert_with(build));
        true
    });
    if cached != Ok(true) {
        record(&build());
    }
}

/// A future polled inside a call's span, by reference ([`Observed::in_span`]).
pub(crate) struct InSpan<'a, F: ?Sized> {
    span: Option<&'a Span>,
    future: Pin<&'a mut F>,
}

impl<F: Future + ?Sized> Future for InSpan<'_, F> {
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let _entered = this.span.map(Span::enter);
        this.future.as_mut().poll(cx)
    }
}

/// The metrics as the `metrics` macros record them, keys built on every call: what
/// [`record_metrics`] must give a recorder (called from this module, for the same metadata).
#[cfg(all(test, feature = "metrics"))]
fn record_metrics_afresh(action: &'static str, called_from: CalledFrom, outcome: &'static str) {
    let labels = [
        ("action", action),
        ("called_from", called_from.as_str()),
        ("outcome", outcome),
    ];
    metrics::counter!(CALLS_TOTAL, &labels).increment(1);
    metrics::histogram!(CALL_DURATION_SECONDS, &labels).record(0.0);
}

#[cfg(all(test, feature = "metrics"))]
mod tests {
    use std::sync::{Arc, Mutex};

    use metrics::{
        Counter, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit,
    };

    use super::*;

    /// Writes down every metric registered: its kind, key and metadata.
    #[derive(Default, Clone)]
    struct Seen(Arc<Mutex<Vec<String>>>);

    impl Seen {
        fn note(&self, kind: &str, key: &Key, metadata: &Metadata<'_>) {
            self.0.lock().unwrap().push(format!(
                "{kind} {key:?} {} {:?} {:?}",
                metadata.target(),
                metadata.level(),
                metadata.module_path()
            ));
        }
        fn take(&self) -> Vec<String> {
            std::mem::take(&mut self.0.lock().unwrap())
        }
    }

    impl Recorder for Seen {
        fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn register_counter(&self, key: &Key, metadata: &Metadata<'_>) -> Counter {
            self.note("counter", key, metadata);
            Counter::noop()
        }
        fn register_gauge(&self, key: &Key, metadata: &Metadata<'_>) -> Gauge {
            self.note("gauge", key, metadata);
            Gauge::noop()
        }
        fn register_histogram(&self, key: &Key, metadata: &Metadata<'_>) -> Histogram {
            self.note("histogram", key, metadata);
            Histogram::noop()
        }
    }

    /// The kept keys give the recorder what the `metrics` macros give it, on long seeded
    /// sequences of actions (one of them at two addresses), callers and outcomes, against the
    /// macros called afresh for each call.
    #[test]
    fn kept_keys_register_what_the_macros_register() {
        let other_other: &'static str = Box::leak(OTHER.to_owned().into_boxed_str());
        let actions = ["greet", "blog.like", OTHER, other_other, "subscribe"];
        let callers = [CalledFrom::Rpc, CalledFrom::Form, CalledFrom::Server];
        let outcomes = ["ok", "BAD_REQUEST", "NOT_FOUND", "INTERNAL_SERVER_ERROR"];
        let seen = Seen::default();
        let mut rng = crate::test_rng::Rng(0x5eed_3e7c);
        let mut next = |n: usize| rng.below(n);
        metrics::with_local_recorder(&seen, || {
            for step in 0..5_000 {
                let (action, called_from, outcome) = (
                    actions[next(actions.len())],
                    callers[next(callers.len())],
                    outcomes[next(outcomes.len())],
                );
                record_metrics(action, called_from, outcome, Instant::now());
                let kept = seen.take();
                record_metrics_afresh(action, called_from, outcome);
                assert_eq!(kept, seen.take(), "step {step}");
            }
        });
    }
}
