//! An Astro front end on a Rust back end: the static site `examples/astro_site/site` (Astro
//! 7.3.5), built by Astro, served by axum, its forms and `actions.*` calls answered by Rust.
//!
//! ```text
//! cd examples/astro_site/site && npm ci && npx astro build && cd -   # Node 22.12 or later
//! cargo run --example astro_site     # http://127.0.0.1:3000 ($PORT overrides)
//! ```
//!
//! `$ASTRO_DIST` points at another build output (default: `examples/astro_site/site/dist`).
//! See `app.rs` for the actions and the page handler, and the guide's section "An Astro
//! front end".

mod app;

use std::path::PathBuf;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dist = std::env::var_os("ASTRO_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/astro_site/site/dist")
        });
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "no built site in {}: build it first with \
             `cd examples/astro_site/site && npm ci && npx astro build`",
            dist.display()
        )
        .into());
    }
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("PORT is not a port number: {port}"))?,
        Err(_) => 3000,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "serving {} on http://{}",
        dist.display(),
        listener.local_addr()?
    );
    axum::serve(listener, app::app(dist)).await?;
    Ok(())
}
