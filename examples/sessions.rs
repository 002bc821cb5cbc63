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
//! others' results. `STORE=redis` keeps them in a `tower-sessions` session in Redis, with a
//! pool that reconnects when Redis comes back (see `redis_pool`).
//!
//! Warnings go to stderr: a result that could not be kept (and why), Redis connections lost
//! and made again.

/// The parity fixture (also reached through this example by the tests).
#[path = "parity/app.rs"]
pub mod parity;

use tower_actions::persist::CookieResults;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Warnings (a result store failing, Redis going away) are printed on stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
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
    use tower_sessions_redis_store::fred::prelude::ClientLike;

    let url = std::env::var("REDIS_URL")
        .map_err(|_| "STORE=redis needs REDIS_URL (redis://host:port)")?;
    let pool = redis_pool(&url)?;
    log_redis_events(&pool);
    pool.init().await?;
    let sessions =
        tower_sessions::SessionManagerLayer::new(RedisStore::new(pool)).with_secure(false);
    Ok(parity::routes()
        .layer(parity::layer().persist(tower_actions::persist::SessionResults::new()))
        .layer(sessions))
}

/// The Redis pool as `docs/guide.md` teaches it (the tests build theirs with this function):
/// a command timeout, so that an unreachable Redis fails a request instead of hanging it, and
/// a reconnect policy, so that the pool uses Redis again once it is back. Without a policy,
/// fred gives up on a connection as soon as it closes, and every later command fails.
#[cfg(feature = "sessions")]
pub fn redis_pool(
    url: &str,
) -> Result<
    tower_sessions_redis_store::fred::prelude::Pool,
    tower_sessions_redis_store::fred::prelude::Error,
> {
    use std::time::Duration;
    use tower_sessions_redis_store::fred::prelude::{Builder, Config, ReconnectPolicy};
    use tower_sessions_redis_store::fred::types::config::UnresponsiveConfig;

    Builder::from_config(Config::from_url(url)?)
        .with_performance_config(|performance| {
            // A command waits at most this long, also while the pool is reconnecting.
            performance.default_command_timeout = Duration::from_secs(2);
        })
        .with_connection_config(|connection| {
            connection.connection_timeout = Duration::from_secs(2);
            connection.internal_command_timeout = Duration::from_secs(2);
            // A connection that stops answering (a host gone without closing it) is dropped
            // and reconnected, not waited on forever.
            connection.unresponsive = UnresponsiveConfig {
                max_timeout: Some(Duration::from_secs(10)),
                interval: Duration::from_secs(2),
            };
        })
        // Reconnect without limit (0 attempts = forever): first after 100 ms, then backing off
        // to one try every 2 s while Redis stays away.
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 2_000, 2))
        .build_pool(2)
}

/// Says in the log when a Redis connection fails (each failed attempt while Redis is away)
/// and when one is made.
#[cfg(feature = "sessions")]
fn log_redis_events(pool: &tower_sessions_redis_store::fred::prelude::Pool) {
    use tower_sessions_redis_store::fred::prelude::EventInterface;

    for client in pool.clients() {
        client.on_error(|(error, server)| async move {
            match server {
                Some(server) => {
                    tracing::warn!(%server, %error, "Redis connection failed; reconnecting")
                }
                None => tracing::warn!(%error, "Redis connection failed; reconnecting"),
            }
            Ok(())
        });
        client.on_reconnect(|server| async move {
            tracing::info!(%server, "connected to Redis");
            Ok(())
        });
    }
}

#[cfg(not(feature = "sessions"))]
async fn redis_app() -> Result<axum::Router, Box<dyn std::error::Error>> {
    Err("STORE=redis needs the `sessions` feature: cargo run --example sessions --features sessions".into())
}
