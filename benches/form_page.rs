//! A form action on a page (`POST /?_action=subscribe`, rendered in place) vs the same POST
//! to the page without `_action`, both through the layer.

#[path = "../examples/baseline.rs"]
mod baseline;
#[path = "../examples/parity/app.rs"]
mod parity;
mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let rt = support::runtime();
    rt.block_on(support::verify());
    let mut group = c.benchmark_group("form_page");
    group.throughput(Throughput::Elements(1));
    support::case(
        &mut group,
        &rt,
        "plain_post",
        support::layered(),
        support::page_plain,
    );
    support::case(
        &mut group,
        &rt,
        "action",
        support::layered(),
        support::page_action,
    );
    group.finish();
}

criterion_group! { name = benches; config = support::criterion(); targets = bench }
criterion_main!(benches);
