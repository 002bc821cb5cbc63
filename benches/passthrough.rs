//! A request that is not an action call: `GET /ping` through `ActionsLayer` vs the same
//! axum Router bare; and, for scale, through tower-http's `RequestBodyLimitLayer`, a layer
//! that also wraps the request and response bodies and does nothing else to this request.

#[path = "baseline/app.rs"]
mod baseline;
#[path = "../examples/parity/app.rs"]
mod parity;
mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let rt = support::runtime();
    rt.block_on(support::verify());
    let mut group = c.benchmark_group("passthrough");
    group.throughput(Throughput::Elements(1));
    support::case(&mut group, &rt, "bare", support::bare(), support::ping);
    support::case(&mut group, &rt, "layer", support::layered(), support::ping);
    support::case(
        &mut group,
        &rt,
        "tower_http_limit",
        tower::Layer::layer(
            &tower_http::limit::RequestBodyLimitLayer::new(1 << 20),
            support::bare(),
        ),
        support::ping,
    );
    group.finish();
}

criterion_group! { name = benches; config = support::criterion(); targets = bench }
criterion_main!(benches);
