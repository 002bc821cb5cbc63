//! The integration tests: one binary, one module per area, so that the fixtures they share
//! (the parity app, the gating and demo apps, the fuzz checks) are compiled once.
//!
//! Run one area with its module prefix, e.g. `cargo test --all-features --test it persist::`.
//! `persist` and `faults` need the `sessions` feature, `typescript` the `typescript` feature,
//! `openapi` the `openapi` feature and `client` the `client` feature (on by default); without
//! them those modules are left out, as `cargo test` (default features) does.

mod common;

/// The sessions example (its `redis_pool` is the one the guide teaches). It includes the
/// parity fixture as `sessions::parity`; that one copy is the `crate::parity` every module uses.
#[allow(dead_code)]
#[path = "../../examples/sessions.rs"]
mod sessions;
use sessions::parity;

/// The gating example's app: the parity actions plus `admin.stats` behind a gate.
#[path = "../../examples/gating/app.rs"]
mod gating;

/// The demo example's app, driven by a real browser.
#[path = "../../examples/demo/app.rs"]
mod demo;

/// The Astro site example's app: the built site's pages, files and Rust actions.
#[path = "../../examples/astro_site/app.rs"]
mod astro_site_app;
/// The metrics example's app: one action and `/metrics` in Prometheus's text format.
#[cfg(feature = "metrics")]
#[path = "../../examples/metrics/app.rs"]
mod metrics_example;

/// What every fuzz target checks (needs `crate::parity`).
#[path = "../../fuzz/checks.rs"]
mod checks;

mod action_error;
mod astro_client;
mod astro_parity;
mod astro_site;
mod bounded;
mod browser;
#[cfg(feature = "client")]
mod client;
mod devalue_routes;
mod devalue_vectors;
#[cfg(all(
    feature = "chrono",
    feature = "time",
    feature = "jiff",
    feature = "url",
    feature = "uuid",
    feature = "num-bigint"
))]
mod ecosystem_types;
#[cfg(feature = "sessions")]
mod faults;
mod forms;
mod fuzz_corpus;
mod hostile;
mod limits_and_passthrough;
mod mixed_run;
mod observe;
#[cfg(feature = "openapi")]
mod openapi;
mod pages_and_gates;
#[cfg(feature = "sessions")]
mod persist;
mod rpc_json;
mod sequences;
#[cfg(feature = "typescript")]
mod typescript;
mod zod_issues;
