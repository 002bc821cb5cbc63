//! Metrics per action in Prometheus's text format (feature `metrics`). Serves on
//! `127.0.0.1:$PORT` (default 3000).
//!
//! ```text
//! cargo run --example metrics --features metrics
//! curl -s -H 'origin: http://127.0.0.1:3000' -d text=hello http://127.0.0.1:3000/_actions/notes.add
//! curl -s http://127.0.0.1:3000/metrics
//! # tower_actions_calls_total{action="notes.add",called_from="rpc",outcome="ok"} 1
//! ```

mod app;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let metrics = app::install_recorder();
    // Histograms keep their samples until drained; drain them now and then.
    let upkeep = metrics.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    });
    let port = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(std::io::Error::other)?,
        Err(_) => 3000,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "metrics example on http://{}/metrics",
        listener.local_addr()?
    );
    axum::serve(listener, app::app(metrics)).await
}
