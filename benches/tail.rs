//! The time of each request in process, layer vs the hand-written handlers of
//! `benches/baseline/hand.rs`: the distribution (p50 to p99.99), not only the mean.
//!
//! End to end (`benches/load.sh`), a server's p99 on this two-core machine is set by the
//! scheduler: wrk and the server share the cores, and one server's p99 moves by ±30 % between
//! its own runs. This bench asks the question under it: does the layer's own work have a tail,
//! requests that now and then cost much more than the rest (a kept buffer regrown, a table
//! rehashed, a cache reset)? One request at a time on a single-threaded runtime, each timed
//! with `Instant`; the two sides of a case alternate in rounds (the order reversed every other
//! round), so that a slow moment of the machine falls on both.
//!
//! `cargo bench --bench tail` (about a minute; `TAIL_ROUNDS`, `TAIL_PER_ROUND` to change).
//! The slowest requests are not reported: a single one says more about the machine than
//! about either side.

#[path = "baseline/app.rs"]
mod baseline;
#[path = "baseline/hand.rs"]
#[allow(dead_code)]
mod hand;
#[path = "support/hand_page.rs"]
mod hand_page;
#[path = "../examples/parity/app.rs"]
mod parity;
mod support;

use std::fmt::Debug;
use std::time::Instant;

use http::{Response, StatusCode};
use tower::Service;

use support::Req;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// Sends `n` requests made by `make` (built before the clock starts), one at a time, and
/// returns each one's time in nanoseconds. Every answer must be `200`.
fn timed<S, B>(rt: &tokio::runtime::Runtime, service: &S, make: fn() -> Req, n: usize) -> Vec<u64>
where
    S: Service<Req, Response = Response<B>> + Clone,
    S::Error: Debug,
    B: http_body::Body,
    B::Error: Debug,
{
    let requests: Vec<Req> = (0..n).map(|_| make()).collect();
    let mut times = Vec::with_capacity(n);
    rt.block_on(async {
        for request in requests {
            let start = Instant::now();
            let (status, body) = support::send(service, request).await;
            times.push(start.elapsed().as_nanos() as u64);
            assert_eq!(status, StatusCode::OK, "{body:?}");
            std::hint::black_box(body);
        }
    });
    times
}

/// One side of a case: a name and a way to time `n` requests on it.
type Side<'a> = (&'a str, Box<dyn Fn(usize) -> Vec<u64> + 'a>);

fn side<'a, S, B>(
    rt: &'a tokio::runtime::Runtime,
    name: &'a str,
    service: S,
    make: fn() -> Req,
) -> Side<'a>
where
    S: Service<Req, Response = Response<B>> + Clone + 'a,
    S::Error: Debug,
    B: http_body::Body,
    B::Error: Debug,
{
    (name, Box::new(move |n| timed(rt, &service, make, n)))
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at] as f64 / 1000.0
}

const POINTS: [(&str, f64); 5] = [
    ("p50", 0.50),
    ("p90", 0.90),
    ("p99", 0.99),
    ("p99.9", 0.999),
    ("p99.99", 0.9999),
];

/// Runs the sides of one case in alternating rounds and prints a row per side, then the
/// layer's ratios against each other side (the layer is the first side).
fn case(label: &str, sides: &[Side<'_>], rounds: usize, per_round: usize) {
    for (_, run) in sides {
        run(per_round / 4); // warm-up, not recorded
    }
    let mut samples: Vec<Vec<u64>> = vec![Vec::with_capacity(rounds * per_round); sides.len()];
    for round in 0..rounds {
        let order: Vec<usize> = if round % 2 == 0 {
            (0..sides.len()).collect()
        } else {
            (0..sides.len()).rev().collect()
        };
        for i in order {
            samples[i].extend((sides[i].1)(per_round));
        }
    }
    let mut points = Vec::new();
    for (i, (name, _)) in sides.iter().enumerate() {
        samples[i].sort_unstable();
        let at: Vec<f64> = POINTS
            .iter()
            .map(|(_, p)| percentile(&samples[i], *p))
            .collect();
        let cells: Vec<String> = at.iter().map(|us| format!("{us:.2}")).collect();
        println!("| {label} | {name} | {} |", cells.join(" | "));
        points.push(at);
    }
    for (i, (name, _)) in sides.iter().enumerate().skip(1) {
        let cells: Vec<String> = points[0]
            .iter()
            .zip(&points[i])
            .map(|(layer, other)| format!("{:.3}x", layer / other))
            .collect();
        println!(
            "| {label} | layer / {name} | {} |",
            cells
                .iter()
                .map(|cell| format!("**{cell}**"))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
}

/// The hand-written RPC handlers answer the requests timed here with the layer's status and
/// bytes.
async fn hand_rpc_answers_as_the_layer() {
    for make in [support::greet_rpc, support::subscribe_rpc] {
        let layer = support::send(&support::layered(), make()).await;
        assert_eq!(layer.0, StatusCode::OK);
        assert_eq!(support::send(&hand::router(), make()).await, layer);
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: check that every
    // side answers what the layer answers, and time only when benchmarking.
    let rt = support::runtime();
    rt.block_on(support::verify());
    rt.block_on(hand_page::verify());
    rt.block_on(hand_rpc_answers_as_the_layer());
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rounds = env_usize("TAIL_ROUNDS", 10).max(1);
    let per_round = env_usize("TAIL_PER_ROUND", 50_000).max(100);
    println!(
        "time per request in process, µs ({rounds} rounds of {per_round} requests per side, \
         alternating; one request at a time on a single-threaded runtime)"
    );
    println!();
    println!(
        "| case | server | {} |",
        POINTS.map(|(name, _)| name).join(" | ")
    );
    println!("|---|---|{}", "---|".repeat(POINTS.len()));
    case(
        "RPC greet",
        &[
            side(&rt, "layer", support::layered(), support::greet_rpc),
            side(&rt, "hand-written", hand::router(), support::greet_rpc),
        ],
        rounds,
        per_round,
    );
    case(
        "RPC subscribe",
        &[
            side(&rt, "layer", support::layered(), support::subscribe_rpc),
            side(&rt, "hand-written", hand::router(), support::subscribe_rpc),
        ],
        rounds,
        per_round,
    );
    case(
        "page in place",
        &[
            side(&rt, "layer", support::layered(), support::page_action),
            side(&rt, "hand-written", hand::router(), support::page_action),
            side(
                &rt,
                "hand, round trip",
                hand::model_router(),
                support::page_action,
            ),
        ],
        rounds,
        per_round,
    );
    case(
        "pass-through GET /ping",
        &[
            side(&rt, "layer", support::layered(), support::ping),
            side(&rt, "bare Router", support::bare(), support::ping),
        ],
        rounds,
        per_round,
    );
}
