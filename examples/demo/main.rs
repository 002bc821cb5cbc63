//! The demo: a small guestbook that shows every part of tower-actions in a browser.
//!
//! ```text
//! cargo run --example demo            # http://127.0.0.1:3000 ($PORT overrides)
//! ```
//!
//! The `/sign` page keeps its results in an encrypted cookie (POST/redirect/GET). Its key is
//! generated at start-up, or derived from `$SECRET` (64 bytes or more) so that results survive
//! a restart and several instances can share them. See `app.rs` for the pages and actions.

mod app;

use tower_actions::persist::CookieResults;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("PORT is not a port number: {port}"))?,
        Err(_) => 3000,
    };
    let results = match std::env::var("SECRET") {
        Ok(secret) => CookieResults::from_secret(secret.as_bytes())
            .map_err(|err| format!("SECRET is too short: {err}"))?,
        Err(_) => CookieResults::new(cookie::Key::generate()),
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("demo listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app::app(results)).await?;
    Ok(())
}
