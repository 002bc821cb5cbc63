//! A capturing `tracing` layer: every span (name, target, parent, fields as recorded) and
//! every event (its fields and the span it happened in), kept for a test to read.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// A span as it was created and recorded.
#[derive(Clone, Debug)]
pub struct SpanRecord {
    pub name: &'static str,
    pub target: String,
    /// The parent's index in [`Captured::spans`].
    pub parent: Option<usize>,
    /// Every field with a value, as text (`Debug` for values that are not strings or numbers).
    pub fields: BTreeMap<String, String>,
}

/// An event with its fields and the span it happened in.
#[derive(Clone, Debug)]
pub struct EventRecord {
    pub target: String,
    /// The index in [`Captured::spans`] of the span the event happened in.
    pub span: Option<usize>,
    pub fields: BTreeMap<String, String>,
}

/// What a capture saw.
#[derive(Clone, Debug, Default)]
pub struct Captured {
    pub spans: Vec<SpanRecord>,
    pub events: Vec<EventRecord>,
    /// The span id's current index in `spans` (ids are reused once a span closes).
    ids: HashMap<u64, usize>,
}

impl Captured {
    /// The spans of this name, in creation order.
    pub fn spans_named(&self, name: &str) -> Vec<&SpanRecord> {
        self.spans.iter().filter(|span| span.name == name).collect()
    }

    /// The parent span of `span`.
    pub fn parent(&self, span: &SpanRecord) -> Option<&SpanRecord> {
        span.parent.map(|index| &self.spans[index])
    }

    /// Every value recorded anywhere: span fields and event fields.
    pub fn all_values(&self) -> impl Iterator<Item = &str> {
        self.spans
            .iter()
            .flat_map(|span| span.fields.values())
            .chain(self.events.iter().flat_map(|event| event.fields.values()))
            .map(String::as_str)
    }
}

/// The layer; clones share what they captured.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Captured>>);

impl Capture {
    /// What was captured so far.
    pub fn captured(&self) -> Captured {
        self.0.lock().unwrap().clone()
    }
}

/// Runs `future` with a capturing subscriber as this thread's default (the test must run on
/// a current-thread runtime, as `#[tokio::test]` does), and gives what it captured.
pub async fn capture<F: Future>(future: F) -> (F::Output, Captured) {
    // A dispatcher that lives as long as the process, so that `tracing` never takes its
    // one-dispatcher shortcut while captures run on several threads: with it, a callsite
    // first met on a thread without a subscriber would cache the interest of that thread
    // alone ("never"), and a capture running on another thread at that moment would miss
    // its spans until the next dispatcher registers.
    static KEEP: std::sync::OnceLock<tracing::Dispatch> = std::sync::OnceLock::new();
    KEEP.get_or_init(|| tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default()));
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let output = {
        let _default = tracing::subscriber::set_default(subscriber);
        future.await
    };
    (output, capture.captured())
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S> Layer<S> for Capture
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let parent_id = ctx
            .span(id)
            .and_then(|span| span.parent())
            .map(|parent| parent.id().into_u64());
        let mut captured = self.0.lock().unwrap();
        let parent = parent_id.and_then(|parent| captured.ids.get(&parent).copied());
        let index = captured.spans.len();
        captured.spans.push(SpanRecord {
            name: attrs.metadata().name(),
            target: attrs.metadata().target().to_owned(),
            parent,
            fields,
        });
        captured.ids.insert(id.into_u64(), index);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut captured = self.0.lock().unwrap();
        if let Some(&index) = captured.ids.get(&id.into_u64()) {
            values.record(&mut Fields(&mut captured.spans[index].fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let span_id = ctx.event_span(event).map(|span| span.id().into_u64());
        let mut captured = self.0.lock().unwrap();
        let span = span_id.and_then(|id| captured.ids.get(&id).copied());
        captured.events.push(EventRecord {
            target: event.metadata().target().to_owned(),
            span,
            fields,
        });
    }
}
