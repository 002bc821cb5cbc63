//! The servers `benches/load.sh` times, one binary so that every side is built alike (release,
//! the same allocator): `--serve <which>` serves on `127.0.0.1:$PORT` (default 4330)
//!
//! - `layer`: the parity fixture with its layer around the whole Router
//!   (`ActionsLayer::around(router)`, the guide's set-up);
//! - `layer-prg`: the same with POST/redirect/GET, results kept in an encrypted cookie;
//! - `layer-route`, `layer-prg-route`: the same two through axum's `Router::layer` (as
//!   `examples/parity` applies it; axum wraps every route in the layer);
//! - `hand`: the hand-written axum handlers of `hand.rs` (RPC, `/ping`, the page in place);
//! - `hand-prg`: the hand-written page with POST/redirect/GET (`hand.rs`);
//! - `hand-model`: the hand-written page in place keeping Astro's model: the result written in
//!   devalue and read back before the page shows it (`hand.rs`);
//! - `garde` (also plain `--serve`): the garde + devalue handlers of `app.rs`;
//! - `bare`: the parity pages without the layer.
//!
//! With `$STATS_PORT` set, `GET http://127.0.0.1:$STATS_PORT/` answers `<allocations> <bytes>`,
//! the process's heap allocations and bytes asked for so far (a counting global allocator;
//! `load.sh` reads it before and after a run for the bytes per request).
//!
//! ```text
//! cargo bench --bench baseline --no-run   # prints the executable's path
//! PORT=4330 target/release/deps/baseline-… --serve hand
//! curl -s -XPOST -H 'content-type: application/json' -d '{"name":"Ada"}' http://127.0.0.1:4330/_actions/greet
//! ```
//!
//! With `$EXIT_AFTER` set (seconds), the process exits normally after that long, so that a
//! profiler that reports at exit (valgrind's DHAT) writes its report.
//!
//! It is a server, not a measurement: without `--serve` (as `cargo bench` runs it) it exits at
//! once.

mod app;
mod hand;
#[path = "../../examples/parity/app.rs"]
mod parity;

#[path = "../support/counting.rs"]
mod counting;

use std::time::Duration;

use axum::Router;
use tower_actions::persist::CookieResults;

fn port(name: &str, default: u16) -> std::io::Result<u16> {
    match std::env::var(name) {
        Ok(port) => port.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{name} is not a port number: {port}"),
            )
        }),
        Err(_) => Ok(default),
    }
}

/// What a server serves: a Router, or the parity pages with the layer around the whole Router.
enum Served {
    Router(Router),
    Around(tower_actions::layer::ActionsRouter<Router>),
}

fn prg_layer() -> tower_actions::ActionsLayer {
    let store = CookieResults::from_secret(&hand::PRG_SECRET)
        .expect("a 64-byte secret")
        .max_age(Duration::from_secs(3600));
    parity::layer().persist(store)
}

fn app(which: &str) -> Option<Served> {
    Some(Served::Router(match which {
        // The layer around the whole Router (`ActionsLayer::around`): axum wraps nothing, and
        // the bodies are axum's own both ways.
        "layer" => {
            return Some(Served::Around(
                parity::layer().around(parity::routes().with_state(())),
            ));
        }
        "layer-prg" => {
            return Some(Served::Around(
                prg_layer().around(parity::routes().with_state(())),
            ));
        }
        // The same through axum's `Router::layer` (as `examples/parity` applies it), which
        // wraps every route and the fallback in the layer.
        "layer-route" => parity::app(),
        "layer-prg-route" => parity::routes().layer(prg_layer()),
        "hand" => hand::router(),
        "hand-prg" => hand::prg_router(),
        "hand-model" => hand::model_router(),
        "garde" => app::router(),
        "bare" => parity::routes(),
        _ => return None,
    }))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip_while(|arg| arg != "--serve");
    if args.next().is_none() {
        return Ok(());
    }
    let which = args.next().unwrap_or_else(|| "garde".to_owned());
    let Some(served) = app(&which) else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "unknown server `{which}`: layer, layer-prg, layer-route, layer-prg-route, hand, \
                 hand-prg, hand-model, garde or bare"
            ),
        ));
    };
    if let Ok(stats) = std::env::var("STATS_PORT") {
        let stats: u16 = stats
            .parse()
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "STATS_PORT"))?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", stats)).await?;
        let counts = Router::new().route(
            "/",
            axum::routing::get(|| async {
                let (allocs, bytes) = counting::totals();
                format!("{allocs} {bytes}\n")
            }),
        );
        tokio::spawn(async move { axum::serve(listener, counts).await });
    }
    if let Ok(seconds) = std::env::var("EXIT_AFTER") {
        // For profilers that write their report when the process exits (valgrind's DHAT):
        // a normal exit after this many seconds.
        let seconds: u64 = seconds
            .parse()
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "EXIT_AFTER"))?;
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(seconds));
            std::process::exit(0);
        });
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port("PORT", 4330)?)).await?;
    println!("{which} listening on http://{}", listener.local_addr()?);
    match served {
        Served::Router(router) => axum::serve(listener, router).await,
        Served::Around(service) => {
            axum::serve(listener, axum::ServiceExt::into_make_service(service)).await
        }
    }
}
