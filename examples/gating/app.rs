//! The gating example: the parity fixture's actions plus `admin.stats`, behind a gate that
//! refuses every `admin.*` action unless the request carries `x-admin: 1`.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tower_actions::{
    Action, ActionApiContext, ActionContext, ActionError, ActionErrorCode, ActionsLayer,
    input::RawJson,
};

use crate::parity;

/// How many times `admin.stats` ran: a vetoed call must never run it.
pub static STATS_RUNS: AtomicUsize = AtomicUsize::new(0);

/// `admin.stats` (json): `{ ok: true }`.
pub struct AdminStats;

#[derive(Serialize)]
pub struct Stats {
    pub ok: bool,
}

impl Action for AdminStats {
    const NAME: &'static str = "admin.stats";
    type Input = RawJson;
    type Output = Stats;
    async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<Stats, ActionError> {
        STATS_RUNS.fetch_add(1, Ordering::SeqCst);
        Ok(Stats { ok: true })
    }
}

/// The gate: an ordinary axum middleware that reads the request's action context.
pub async fn admin_gate(request: Request, next: Next) -> Response {
    let is_admin_action = request
        .extensions()
        .get::<ActionContext>()
        .is_some_and(|action| action.name().starts_with("admin."));
    let is_admin = request
        .headers()
        .get("x-admin")
        .is_some_and(|value| value == "1");
    if is_admin_action && !is_admin {
        // The action never runs, and its body is never read.
        return ActionError::new(ActionErrorCode::Unauthorized, "admin only").into_response();
    }
    next.run(request).await
}

/// The layer: the fixture's actions and `admin.stats`, gated.
pub fn layer() -> ActionsLayer {
    ActionsLayer::new(parity::actions().add(AdminStats))
        .expose_internal_errors(true)
        .middleware(from_fn(admin_gate))
}

/// The app: the fixture's pages behind the gated layer.
pub fn app() -> Router {
    parity::routes().layer(layer())
}
