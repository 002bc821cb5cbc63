//! Interleaved A/B timing: each pair (baseline, layer) runs in alternating rounds of the same
//! number of iterations, and the ratio of each round pair is kept. On a small shared machine
//! the speed drifts by several percent within seconds, more than the differences measured
//! here; timing the two sides seconds apart (as criterion does, one case after the other)
//! mixes that drift into the ratio. Alternating rounds of a few milliseconds cancels it: the
//! median of the round ratios, with its interquartile range, is the figure.
//!
//! `cargo bench --bench ab` (optionally a filter: `cargo bench --bench ab -- passthrough`).

#[path = "baseline/app.rs"]
mod baseline;
#[path = "../examples/parity/app.rs"]
mod parity;
mod support;
mod values;

use std::fmt::Debug;
use std::hint::black_box;
use std::time::{Duration, Instant};

use http::Response;
use serde::Serialize;
use tower::{Layer, Service};

use support::Req;
use values::{dv, dv_parse, dv_text, json, json_parse, json_text};

/// Rounds per pair, each side once per round.
const ROUNDS: usize = 200;
/// About how long one side of a round runs.
const ROUND: Duration = Duration::from_millis(5);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rt = support::runtime();
    rt.block_on(support::verify());
    // `cargo test --benches` runs this without `--bench`: the checks above are the test.
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let filters: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with("--")).collect();
    let wanted =
        |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));

    println!("interleaved A/B: {ROUNDS} rounds of ~{ROUND:?} per side; layer time / baseline time");
    println!();
    println!("| path (baseline) | median ratio | p25–p75 | baseline per iteration |");
    println!("|---|---|---|---|");
    let limit = tower_http::limit::RequestBodyLimitLayer::new(1 << 20);
    for (name, baseline, layer) in pairs(&rt, &limit) {
        if wanted(name) {
            row(name, baseline(), layer());
        }
    }
}

/// Makes one side of a pair.
type Make<'a> = Box<dyn Fn() -> Side<'a> + 'a>;

/// Every pair: its name, its baseline, the layer's side.
fn pairs<'a>(
    rt: &'a tokio::runtime::Runtime,
    limit: &'a tower_http::limit::RequestBodyLimitLayer,
) -> Vec<(&'static str, Make<'a>, Make<'a>)> {
    vec![
        (
            "passthrough GET /ping (bare Router)",
            Box::new(|| serve(rt, support::bare(), support::ping)),
            Box::new(|| serve(rt, support::layered(), support::ping)),
        ),
        (
            "tower-http RequestBodyLimit, for scale (bare Router)",
            Box::new(|| serve(rt, support::bare(), support::ping)),
            Box::new(|| serve(rt, limit.layer(support::bare()), support::ping)),
        ),
        (
            "RPC greet (axum Json)",
            Box::new(|| serve(rt, support::baseline(), support::greet_json)),
            Box::new(|| serve(rt, support::layered(), support::greet_rpc)),
        ),
        (
            "RPC fields (axum Form)",
            Box::new(|| serve(rt, support::baseline(), support::fields_baseline)),
            Box::new(|| serve(rt, support::layered(), support::fields_rpc)),
        ),
        (
            "RPC upload (axum Multipart)",
            Box::new(|| serve(rt, support::baseline(), support::upload_baseline)),
            Box::new(|| serve(rt, support::layered(), support::upload_rpc)),
        ),
        (
            "stringify greet (serde_json)",
            Box::new(|| stringify(values::greet(), json)),
            Box::new(|| stringify(values::greet(), dv)),
        ),
        (
            "stringify fields (serde_json)",
            Box::new(|| stringify(values::fields(), json)),
            Box::new(|| stringify(values::fields(), dv)),
        ),
        (
            "stringify rich (serde_json)",
            Box::new(|| stringify(values::rich(), json)),
            Box::new(|| stringify(values::rich(), dv)),
        ),
        (
            "stringify doc (serde_json)",
            Box::new(|| stringify(values::doc(), json)),
            Box::new(|| stringify(values::doc(), dv)),
        ),
        (
            "parse greet (serde_json)",
            Box::new(|| parse::<String>(json_text(&values::greet()), json_parse)),
            Box::new(|| parse::<String>(dv_text(&values::greet()), dv_parse)),
        ),
        (
            "parse fields (serde_json)",
            Box::new(|| parse::<parity::FieldsInput>(json_text(&values::fields()), json_parse)),
            Box::new(|| parse::<parity::FieldsInput>(dv_text(&values::fields()), dv_parse)),
        ),
        (
            "parse doc (serde_json)",
            Box::new(|| parse::<values::Doc>(json_text(&values::doc()), json_parse)),
            Box::new(|| parse::<values::Doc>(dv_text(&values::doc()), dv_parse)),
        ),
    ]
}

/// One side of a pair: runs `n` iterations and returns how long they took.
type Side<'a> = Box<dyn FnMut(usize) -> Duration + 'a>;

fn row(name: &str, mut baseline: Side<'_>, mut layer: Side<'_>) {
    // Warm up, and size a round from the baseline's speed.
    baseline(100);
    layer(100);
    let per = baseline(1_000).as_secs_f64() / 1_000.0;
    let n = ((ROUND.as_secs_f64() / per) as usize).max(10);
    let mut ratios = Vec::with_capacity(ROUNDS);
    let mut base_total = Duration::ZERO;
    for round in 0..ROUNDS {
        // Alternate which side goes first, so that neither always follows the other.
        let (b, l) = if round % 2 == 0 {
            let b = baseline(n);
            (b, layer(n))
        } else {
            let l = layer(n);
            (baseline(n), l)
        };
        base_total += b;
        ratios.push(l.as_secs_f64() / b.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    let per = base_total.as_secs_f64() / (ROUNDS * n) as f64;
    let per = if per >= 1e-6 {
        format!("{:.2} µs", per * 1e6)
    } else {
        format!("{:.0} ns", per * 1e9)
    };
    println!(
        "| {name} | {:.3}x | {:.3}–{:.3} | {per} |",
        at(0.5),
        at(0.25),
        at(0.75)
    );
}

/// Requests to `service`, built ahead of each round (not timed), the answers read whole.
fn serve<'r, S, B>(rt: &'r tokio::runtime::Runtime, service: S, request: fn() -> Req) -> Side<'r>
where
    S: Service<Req, Response = Response<B>> + Clone + 'r,
    S::Error: Debug,
    B: http_body::Body,
    B::Error: Debug,
{
    Box::new(move |n| {
        let requests: Vec<Req> = (0..n).map(|_| request()).collect();
        let start = Instant::now();
        rt.block_on(async {
            for request in requests {
                black_box(support::send(&service, request).await);
            }
        });
        start.elapsed()
    })
}

fn stringify<T: Serialize + 'static>(value: T, to_vec: fn(&T) -> Vec<u8>) -> Side<'static> {
    Box::new(move |n| {
        let start = Instant::now();
        for _ in 0..n {
            drop(black_box(to_vec(black_box(&value))));
        }
        start.elapsed()
    })
}

/// Parses `text` (the side's own format) into `T`, `n` times.
fn parse<T: 'static>(text: String, from: fn(&str) -> T) -> Side<'static> {
    Box::new(move |n| {
        let start = Instant::now();
        for _ in 0..n {
            drop(black_box(from(black_box(&text))));
        }
        start.elapsed()
    })
}
