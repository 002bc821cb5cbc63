//! The metrics example's app: one form action, `notes.add`, and the layer's metrics in
//! Prometheus's text format on `GET /metrics` (feature `metrics`, exporter
//! `metrics-exporter-prometheus`). `tests/it/observe.rs` serves it and reads the metrics back.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tower_actions::{
    Action, ActionApiContext, ActionError, ActionErrorCode, Actions, ActionsLayer, input::Accept,
    observe,
};

#[derive(serde::Deserialize, garde::Validate)]
pub struct Note {
    #[garde(
        custom(tower_actions::check::min(1)),
        custom(tower_actions::check::max(200))
    )]
    pub text: String,
}

/// Adds a note and answers how many there are; a note mentioning spam is refused.
#[derive(Clone, Default)]
pub struct AddNote(Arc<AtomicUsize>);

impl Action for AddNote {
    const NAME: &'static str = "notes.add";
    const ACCEPT: Accept = Accept::Form;
    type Input = Note;
    type Output = usize;

    async fn handle(&self, note: Note, _: &mut ActionApiContext) -> Result<usize, ActionError> {
        if note.text.contains("spam") {
            return Err(ActionError::new(ActionErrorCode::Forbidden, "no spam"));
        }
        Ok(self.0.fetch_add(1, Ordering::SeqCst) + 1)
    }
}

/// Installs the Prometheus recorder as the process's `metrics` recorder (once per process),
/// with buckets for the duration histogram (without them it renders as a summary).
pub fn install_recorder() -> PrometheusHandle {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(observe::CALL_DURATION_SECONDS.into()),
            &[0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0],
        )
        .expect("buckets are given")
        .install_recorder()
        .expect("no other metrics recorder is installed");
    observe::describe_metrics();
    handle
}

async fn page() -> Html<&'static str> {
    Html(
        r#"<!doctype html><title>notes</title>
<form method="post" action="?_action=notes.add"><input name="text"><button>Add</button></form>
<p><a href="/metrics">metrics</a></p>"#,
    )
}

/// The app: the page with its form, `/metrics`, and the actions layer in front.
pub fn app(metrics: PrometheusHandle) -> Router {
    Router::new()
        .route("/", get(page).post(page))
        .route(
            "/metrics",
            get(move || std::future::ready(metrics.render())),
        )
        .layer(ActionsLayer::new(Actions::new().add(AddNote::default())))
}
