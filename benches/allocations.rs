//! Heap allocations per request, layer vs baseline, for every path the criterion benches
//! time. A counting global allocator wraps the system one; each path runs `N` requests
//! (built beforehand, so building them is not counted) after a warm-up, and the table shows
//! allocations and bytes allocated per request.
//!
//! `cargo bench --bench allocations`

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

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use http::Response;
use serde::Serialize;
use tower::Service;
use tower_actions::devalue;

use support::Req;

/// Counts every allocation (and reallocation, which may move) and the bytes asked for.
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to `System`; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size as u64, Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const N: u64 = 2_000;

/// Allocations and bytes per call of `run`, after a warm-up.
fn measure(mut run: impl FnMut()) -> (f64, f64) {
    for _ in 0..50 {
        run();
    }
    let (a, b) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    for _ in 0..N {
        run();
    }
    let per = |now: u64, then: u64| (now - then) as f64 / N as f64;
    (per(ALLOCS.load(Relaxed), a), per(BYTES.load(Relaxed), b))
}

/// Allocations and bytes per request of `service` answering `request()`, body read whole.
fn per_request<S, B>(rt: &tokio::runtime::Runtime, service: S, request: fn() -> Req) -> (f64, f64)
where
    S: Service<Req, Response = Response<B>> + Clone,
    S::Error: Debug,
    B: http_body::Body,
    B::Error: Debug,
{
    let warm: Vec<Req> = (0..50).map(|_| request()).collect();
    rt.block_on(async {
        for req in warm {
            support::send(&service, req).await;
        }
    });
    let requests: Vec<Req> = (0..N).map(|_| request()).collect();
    let (a, b) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    rt.block_on(async {
        for req in requests {
            support::send(&service, req).await;
        }
    });
    let per = |now: u64, then: u64| (now - then) as f64 / N as f64;
    (per(ALLOCS.load(Relaxed), a), per(BYTES.load(Relaxed), b))
}

/// Allocations and bytes per request with axum's `Body` both ways, as `axum::serve` calls a
/// service: the request's body is boxed into axum's `Body` before counting (as hyper's is),
/// the response's body is read as it is.
fn per_request_axum<S>(rt: &tokio::runtime::Runtime, service: S, request: fn() -> Req) -> (f64, f64)
where
    S: Service<http::Request<axum::body::Body>, Response = Response<axum::body::Body>> + Clone,
    S::Error: Debug,
{
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;
    let requests = |n: u64| -> Vec<_> {
        (0..n)
            .map(|_| request().map(axum::body::Body::new))
            .collect()
    };
    let send = |requests: Vec<http::Request<axum::body::Body>>| {
        rt.block_on(async {
            for req in requests {
                let response = service.clone().oneshot(req).await.unwrap();
                let body = response.into_body().collect().await.unwrap();
                std::hint::black_box(body.to_bytes());
            }
        })
    };
    send(requests(50));
    let requests = requests(N);
    let (a, b) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    send(requests);
    let per = |now: u64, then: u64| (now - then) as f64 / N as f64;
    (per(ALLOCS.load(Relaxed), a), per(BYTES.load(Relaxed), b))
}

fn row(path: &str, baseline_name: &str, baseline: (f64, f64), layer: (f64, f64)) {
    println!(
        "| {path:<22} | {baseline_name:<14} | {:>8.1} | {:>9.0} | {:>8.1} | {:>9.0} | {:>+7.1} |",
        baseline.0,
        baseline.1,
        layer.0,
        layer.1,
        layer.0 - baseline.0
    );
}

fn stringify_row<T: Serialize>(name: &str, value: &T) {
    row(
        &format!("devalue to_vec {name}"),
        "serde_json",
        measure(|| drop(std::hint::black_box(serde_json::to_vec(value).unwrap()))),
        measure(|| drop(std::hint::black_box(devalue::to_vec(value).unwrap()))),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would too. Nothing to filter.
    let rt = support::runtime();
    rt.block_on(support::verify());
    rt.block_on(hand_page::verify());

    println!("allocations per request ({N} requests each; bytes = bytes requested)");
    println!();
    println!(
        "| path                   | baseline       | allocs   | bytes     | allocs   | bytes     | extra   |"
    );
    println!(
        "|                        |                | baseline | baseline  | layer    | layer     | allocs  |"
    );
    println!(
        "|------------------------|----------------|----------|-----------|----------|-----------|---------|"
    );
    row(
        "passthrough GET /ping",
        "bare Router",
        per_request(&rt, support::bare(), support::ping),
        per_request(&rt, support::layered(), support::ping),
    );
    row(
        "passthrough, around()",
        "bare Router",
        per_request_axum(&rt, support::bare(), support::ping),
        per_request_axum(&rt, support::around(), support::ping),
    );
    let layer_greet = per_request(&rt, support::layered(), support::greet_rpc);
    row(
        "rpc_json greet",
        "axum Json",
        per_request(&rt, support::baseline(), support::greet_json),
        layer_greet,
    );
    row(
        "rpc_json greet",
        "Json+devalue",
        per_request(&rt, support::baseline(), support::greet_devalue),
        layer_greet,
    );
    row(
        "rpc_form fields",
        "axum Form",
        per_request(&rt, support::baseline(), support::fields_baseline),
        per_request(&rt, support::layered(), support::fields_rpc),
    );
    row(
        "rpc_form subscribe",
        "Form+garde",
        per_request(&rt, support::baseline(), support::subscribe_baseline),
        per_request(&rt, support::layered(), support::subscribe_rpc),
    );
    row(
        "rpc_form upload",
        "axum Multipart",
        per_request(&rt, support::baseline(), support::upload_baseline),
        per_request(&rt, support::layered(), support::upload_rpc),
    );
    row(
        "form_page subscribe",
        "plain POST",
        per_request(&rt, support::layered(), support::page_plain),
        per_request(&rt, support::layered(), support::page_action),
    );
    row(
        "form_page PRG POST",
        "plain POST",
        per_request(&rt, support::layered(), support::page_plain),
        per_request(&rt, support::layered_prg(), support::page_action),
    );
    row(
        "form_page PRG GET",
        "plain GET",
        per_request(&rt, support::layered(), support::page_get),
        per_request(&rt, support::layered_prg(), support::page_restore),
    );
    row(
        "form_page subscribe",
        "hand-written",
        per_request(&rt, hand_page::page(), support::page_action),
        per_request(&rt, support::layered(), support::page_action),
    );
    row(
        "form_page subscribe",
        "hand+roundtrip",
        per_request(&rt, hand_page::model(), support::page_action),
        per_request(&rt, support::layered(), support::page_action),
    );
    row(
        "form_page PRG POST",
        "hand-written",
        per_request(&rt, hand_page::prg(), support::page_action),
        per_request(&rt, support::layered_prg(), support::page_action),
    );
    row(
        "form_page PRG GET",
        "hand-written",
        per_request(&rt, hand_page::prg(), hand_page::restore),
        per_request(&rt, support::layered_prg(), support::page_restore),
    );
    stringify_row("greet", &"Hello, Ada!".to_owned());
    stringify_row(
        "fields",
        &parity::FieldsInput {
            tags: vec!["a".to_owned(), "b".to_owned()],
            agree: true,
            count: Some(3.0),
            nickname: Some("ada".to_owned()),
            level: parity::Level::High,
        },
    );
}
