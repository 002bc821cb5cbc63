//! The hand-written page of `benches/baseline/hand.rs` called in process, beside the layer's
//! page paths: the requests `load.sh` sends it (the same as the layer's), and the result
//! cookie its POST/redirect/GET sets. A bench includes it with the hand-written handlers
//! beside it: `#[path = "baseline/hand.rs"] mod hand;`,
//! `#[path = "support/hand_page.rs"] mod hand_page;`.

#![allow(dead_code)]

use std::sync::OnceLock;

use axum::Router;
use http::{Request, StatusCode};
use http_body_util::Full;
use tower::ServiceExt;

use crate::support::{self, Req};

/// The hand-written page rendered in place (with the RPC handlers and `/ping`).
pub fn page() -> Router {
    crate::hand::router()
}

/// The hand-written page rendered in place keeping Astro's model (the result written in
/// devalue and read back).
pub fn model() -> Router {
    crate::hand::model_router()
}

/// The hand-written page with POST/redirect/GET (its result in an encrypted cookie).
pub fn prg() -> Router {
    crate::hand::prg_router()
}

static COOKIE: OnceLock<String> = OnceLock::new();

/// Posts `subscribe` to the hand-written PRG page once and keeps the `name=value` of the
/// cookie it sets.
pub async fn prg_cookie() -> &'static str {
    if let Some(cookie) = COOKIE.get() {
        return cookie;
    }
    let response = prg().oneshot(support::page_action()).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    let pair = set_cookie.split(';').next().unwrap().to_owned();
    COOKIE.get_or_init(|| pair)
}

/// `GET /` carrying the hand-written page's result cookie. Needs [`prg_cookie`] first.
pub fn restore() -> Req {
    Request::get("/")
        .header("host", "localhost")
        .header(
            "cookie",
            COOKIE.get().expect("prg_cookie ran first").as_str(),
        )
        .body(Full::default())
        .unwrap()
}

/// The hand-written pages answer what the layer's do (status and bytes).
pub async fn verify() {
    let layer = support::send(&support::layered(), support::page_action()).await;
    assert_eq!(layer.0, StatusCode::OK);
    assert_eq!(support::send(&page(), support::page_action()).await, layer);
    assert_eq!(support::send(&model(), support::page_action()).await, layer);
    let (status, _) = support::send(&prg(), support::page_action()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    prg_cookie().await;
    support::prg_cookie().await;
    let layer = support::send(&support::layered_prg(), support::page_restore()).await;
    assert_eq!(layer.0, StatusCode::OK);
    assert_eq!(support::send(&prg(), restore()).await, layer);
}
