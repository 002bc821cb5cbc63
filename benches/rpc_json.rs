//! `greet` over RPC through the layer vs a hand-written axum `Json` handler doing the same
//! deserialization, garde validation and serialization (JSON out, and devalue out).

#[path = "baseline/app.rs"]
mod baseline;
#[path = "../examples/parity/app.rs"]
mod parity;
mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let rt = support::runtime();
    rt.block_on(support::verify());
    let mut group = c.benchmark_group("rpc_json");
    group.throughput(Throughput::Elements(1));
    support::case(
        &mut group,
        &rt,
        "axum_json",
        support::baseline(),
        support::greet_json,
    );
    support::case(
        &mut group,
        &rt,
        "axum_devalue",
        support::baseline(),
        support::greet_devalue,
    );
    support::case(
        &mut group,
        &rt,
        "layer",
        support::layered(),
        support::greet_rpc,
    );
    group.finish();
}

criterion_group! { name = benches; config = support::criterion(); targets = bench }
criterion_main!(benches);
