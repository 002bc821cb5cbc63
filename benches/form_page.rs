//! A form action on a page, through the layer: rendered in place (`POST /?_action=subscribe`)
//! vs the same POST without `_action` (the page alone); and with PRG (results kept in a
//! cookie): the POST answering `303`, and the `GET` that renders the kept result, vs a plain
//! `GET /`.

#[path = "baseline/app.rs"]
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
    let layered = support::layered();
    let prg = support::layered_prg();
    support::case(
        &mut group,
        &rt,
        "plain_post",
        layered.clone(),
        support::page_plain,
    );
    support::case(
        &mut group,
        &rt,
        "action",
        layered.clone(),
        support::page_action,
    );
    support::case(
        &mut group,
        &rt,
        "prg_post",
        prg.clone(),
        support::page_action,
    );
    support::case(&mut group, &rt, "plain_get", layered, support::page_get);
    support::case(&mut group, &rt, "prg_get", prg, support::page_restore);
    group.finish();
}

criterion_group! { name = benches; config = support::criterion(); targets = bench }
criterion_main!(benches);
