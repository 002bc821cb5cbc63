//! Form actions over RPC: `fields` urlencoded vs an axum `Form` handler, `upload` multipart
//! vs an axum `Multipart` handler (both with devalue out, byte-identical answers).

#[path = "baseline/app.rs"]
mod baseline;
#[path = "../examples/parity/app.rs"]
mod parity;
mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let rt = support::runtime();
    rt.block_on(support::verify());
    let mut group = c.benchmark_group("rpc_form_urlencoded");
    group.throughput(Throughput::Elements(1));
    support::case(
        &mut group,
        &rt,
        "axum_form",
        support::baseline(),
        support::fields_baseline,
    );
    support::case(
        &mut group,
        &rt,
        "layer",
        support::layered(),
        support::fields_rpc,
    );
    group.finish();

    let mut group = c.benchmark_group("rpc_form_multipart");
    group.throughput(Throughput::Elements(1));
    support::case(
        &mut group,
        &rt,
        "axum_multipart",
        support::baseline(),
        support::upload_baseline,
    );
    support::case(
        &mut group,
        &rt,
        "layer",
        support::layered(),
        support::upload_rpc,
    );
    group.finish();
}

criterion_group! { name = benches; config = support::criterion(); targets = bench }
criterion_main!(benches);
