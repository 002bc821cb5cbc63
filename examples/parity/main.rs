//! The parity fixture served on `127.0.0.1:$PORT` (default 4322).
//!
//! ```text
//! cargo run --example parity
//! curl -s -XPOST -H 'content-type: application/json' -d '{"name":"Ada"}' http://127.0.0.1:4322/_actions/greet
//! ```

mod app;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("PORT is not a port number: {port}"),
            )
        })?,
        Err(_) => 4322,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "parity fixture listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app::app()).await
}
