//! Leptos' `server_fn` 0.8, without Leptos (its `axum` feature), serving the parity fixture's
//! `greet` and `subscribe` for `benches/load.sh`, on `127.0.0.1:$PORT` (default 4331):
//!
//! - `POST /api/greet`, JSON `{"name":"Ada"}` in, JSON `"Hello, Ada!"` out;
//! - `POST /api/subscribe`, urlencoded `email=…` in, JSON `{"email":…,"subscribed":true}` out;
//! - `GET /ping`, `pong`.
//!
//! The wire format is server_fn's own; the checks are the ones the hand-written baseline does
//! by hand (a non-empty name, an e-mail address's shape). With `$STATS_PORT` set,
//! `GET http://127.0.0.1:$STATS_PORT/` answers `<allocations> <bytes>` so far (the same
//! counting allocator as `benches/baseline/main.rs`).

#[path = "../../support/counting.rs"]
mod counting;

use axum::Router;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use server_fn::ServerFnError;
use server_fn::client::reqwest::ReqwestClient;
use server_fn::codec::{Json, PostUrl};
use server_fn_macro_default::server;

/// `greet`: a name of at least one UTF-16 unit.
#[server(endpoint = "greet", input = Json, output = Json, client = ReqwestClient)]
pub async fn greet(name: String) -> Result<String, ServerFnError> {
    if name.is_empty() {
        return Err(ServerFnError::Args("name: Too small".into()));
    }
    Ok(format!("Hello, {name}!"))
}

/// What `subscribe` answers.
#[derive(Clone, Serialize, Deserialize)]
pub struct Subscribed {
    pub email: String,
    pub subscribed: bool,
}

/// `subscribe`: an e-mail address from a urlencoded form.
#[server(endpoint = "subscribe", input = PostUrl, output = Json, client = ReqwestClient)]
pub async fn subscribe(email: String) -> Result<Subscribed, ServerFnError> {
    if !looks_like_email(&email) {
        return Err(ServerFnError::Args("email: Invalid email address".into()));
    }
    Ok(Subscribed {
        email,
        subscribed: true,
    })
}

/// The check a user writes by hand: one `@`, something before it, a dot after it.
fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain
                    .split_once('.')
                    .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty())
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    server_fn::axum::register_explicit::<Greet>();
    server_fn::axum::register_explicit::<Subscribe>();
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(4331);
    let app = Router::new()
        .route("/api/{*fn_name}", post(server_fn::axum::handle_server_fn))
        .route("/ping", get(|| async { "pong" }));
    if let Some(stats) = std::env::var("STATS_PORT")
        .ok()
        .and_then(|p| p.parse::<u16>().ok())
    {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", stats)).await?;
        let counts = Router::new().route(
            "/",
            get(|| async {
                let (allocs, bytes) = counting::totals();
                format!("{allocs} {bytes}\n")
            }),
        );
        tokio::spawn(async move { axum::serve(listener, counts).await });
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("server_fn listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
