//! The parity fixture with POST/redirect/GET on: a form post answers `303 See Other`, the
//! next GET shows the result once. Serves on `127.0.0.1:$PORT` (default 4324).
//!
//! ```text
//! SECRET=$(head -c 48 /dev/urandom | base64) cargo run --example sessions              # cookie store
//! STORE=redis REDIS_URL=redis://127.0.0.1:6379 cargo run --example sessions --features sessions
//! ```
//!
//! `STORE=cookie` (the default) keeps results in an encrypted cookie whose key comes from
//! `SECRET` (at least 64 bytes); every instance started with the same `SECRET` reads the
//! others' results. `STORE=redis` keeps them in a `tower-sessions` session in Redis.

#[path = "parity/app.rs"]
mod parity;

use tower_actions::persist::CookieResults;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = parity::port_from_env(4324)?;
    let store = std::env::var("STORE").unwrap_or_else(|_| "cookie".to_owned());
    let app = match store.as_str() {
        "cookie" => {
            let secret = std::env::var("SECRET").map_err(|_| {
                "STORE=cookie needs SECRET: at least 64 bytes of secret, the same on every instance"
            })?;
            let store = CookieResults::from_secret(secret.as_bytes())
                .map_err(|err| format!("SECRET is too short: {err}"))?;
            parity::routes().layer(parity::layer().persist(store))
        }
        "redis" => redis_app().await?,
        other => return Err(format!("STORE must be `cookie` or `redis`, not `{other}`").into()),
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "parity fixture with POST/redirect/GET ({store} store) listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app).await?;
    Ok(())
}

#[cfg(feature = "sessions")]
async fn redis_app() -> Result<axum::Router, Box<dyn std::error::Error>> {
    use tower_sessions_redis_store::RedisStore;
    use tower_sessions_redis_store::fred::prelude::{ClientLike, Config, PerformanceConfig, Pool};

    let url = std::env::var("REDIS_URL")
        .map_err(|_| "STORE=redis needs REDIS_URL (redis://host:port)")?;
    // A command timeout, so that an unreachable Redis fails a request instead of hanging it.
    let performance = PerformanceConfig {
        default_command_timeout: std::time::Duration::from_secs(2),
        ..PerformanceConfig::default()
    };
    let pool = Pool::new(Config::from_url(&url)?, Some(performance), None, None, 2)?;
    let _connection = pool.connect();
    pool.wait_for_connect().await?;
    let sessions =
        tower_sessions::SessionManagerLayer::new(RedisStore::new(pool)).with_secure(false);
    Ok(parity::routes()
        .layer(parity::layer().persist(tower_actions::persist::SessionResults::new()))
        .layer(sessions))
}

#[cfg(not(feature = "sessions"))]
async fn redis_app() -> Result<axum::Router, Box<dyn std::error::Error>> {
    Err("STORE=redis needs the `sessions` feature: cargo run --example sessions --features sessions".into())
}
