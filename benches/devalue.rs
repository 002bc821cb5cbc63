//! devalue vs JSON on the same values: `devalue::to_vec` vs `serde_json::to_vec` of the parity
//! fixture's outputs (greet's string, fields' struct, rich) and of a ~10 KB nested document;
//! `devalue::from_str` vs `serde_json::from_slice` of each one's own text.

#[path = "../examples/parity/app.rs"]
mod parity;
mod values;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower_actions::devalue;

use values::{doc, fields, greet, rich};

fn stringify<T: Serialize>(c: &mut Criterion, name: &str, value: &T) {
    let json = serde_json::to_vec(value).unwrap();
    let mut group = c.benchmark_group("devalue_stringify");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_with_input(BenchmarkId::new("serde_json", name), value, |b, v| {
        b.iter(|| serde_json::to_vec(black_box(v)).unwrap())
    });
    group.bench_with_input(BenchmarkId::new("devalue", name), value, |b, v| {
        b.iter(|| devalue::to_vec(black_box(v)).unwrap())
    });
    group.finish();
}

fn parse<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    c: &mut Criterion,
    name: &str,
    value: &T,
) {
    let json = serde_json::to_vec(value).unwrap();
    let text = devalue::to_string(value).unwrap();
    assert_eq!(&devalue::from_str::<T>(&text).unwrap(), value);
    assert_eq!(&serde_json::from_slice::<T>(&json).unwrap(), value);
    let mut group = c.benchmark_group("devalue_parse");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_with_input(BenchmarkId::new("serde_json", name), &json, |b, json| {
        b.iter(|| serde_json::from_slice::<T>(black_box(json)).unwrap())
    });
    group.bench_with_input(BenchmarkId::new("devalue", name), &text, |b, text| {
        b.iter(|| devalue::from_str::<T>(black_box(text)).unwrap())
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let doc = doc();
    let size = serde_json::to_vec(&doc).unwrap().len();
    assert!(
        (8_000..14_000).contains(&size),
        "doc is {size} bytes of JSON"
    );

    stringify(c, "greet", &greet());
    stringify(c, "fields", &fields());
    stringify(c, "rich", &rich());
    stringify(c, "doc", &doc);

    parse(c, "greet", &greet());
    parse(c, "fields", &fields());
    parse(c, "doc", &doc);
}

fn config() -> Criterion {
    Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(30)
}

criterion_group! { name = benches; config = config(); targets = bench }
criterion_main!(benches);
