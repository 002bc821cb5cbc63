//! Gating middleware: every `admin.*` action answers 401 unless the request carries
//! `x-admin: 1`. Serves on `127.0.0.1:$PORT` (default 4323).
//!
//! ```text
//! cargo run --example gating
//! curl -si -XPOST -H 'content-type: application/json' -d '{}' http://127.0.0.1:4323/_actions/admin.stats
//! curl -si -XPOST -H 'content-type: application/json' -H 'x-admin: 1' -d '{}' http://127.0.0.1:4323/_actions/admin.stats
//! ```

mod app;
#[path = "../parity/app.rs"]
mod parity;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = parity::port_from_env(4323)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "gating example listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app::app()).await
}
