//! The hand-written baseline (`app.rs`) served on `127.0.0.1:$PORT` (default 4330), for
//! `benches/load.sh`, which starts it beside the parity example:
//!
//! ```text
//! cargo bench --bench baseline --no-run   # prints the executable's path
//! PORT=4330 target/release/deps/baseline-… --serve
//! curl -s -XPOST -H 'content-type: application/json' -d '{"name":"Ada"}' http://127.0.0.1:4330/_actions/greet
//! ```
//!
//! It is a server, not a measurement: without `--serve` (as `cargo bench` runs it) it exits at
//! once.

mod app;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    if !std::env::args().any(|arg| arg == "--serve") {
        return Ok(());
    }
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("PORT is not a port number: {port}"),
            )
        })?,
        Err(_) => 4330,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("baseline listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app::router()).await
}
