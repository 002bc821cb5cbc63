//! devalue vs JSON on the same values: `devalue::to_vec` vs `serde_json::to_vec` of the parity
//! fixture's outputs (greet's string, fields' struct, rich) and of a ~10 KB nested document;
//! `devalue::from_str` vs `serde_json::from_slice` of each one's own text.

#[path = "../examples/parity/app.rs"]
mod parity;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tower_actions::{devalue, js};

/// A nested document of about 10 KB (as JSON): sections of paragraphs and items.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Doc {
    title: String,
    version: u32,
    published: bool,
    sections: Vec<Section>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Section {
    heading: String,
    paragraphs: Vec<String>,
    items: Vec<Item>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Item {
    id: u32,
    name: String,
    score: f64,
    done: bool,
    tags: Vec<String>,
    note: Option<String>,
}

fn doc() -> Doc {
    Doc {
        title: "A benchmark document".to_owned(),
        version: 3,
        published: true,
        sections: (0..11)
            .map(|s| Section {
                heading: format!("Section {s}: on the \"cost\" of things"),
                paragraphs: (0..3)
                    .map(|p| {
                        format!(
                            "Paragraph {p} of section {s}. Lorem ipsum dolor sit amet, \
                             consectetur adipiscing elit, sed do eiusmod tempor."
                        )
                    })
                    .collect(),
                items: (0..6)
                    .map(|i| Item {
                        id: s * 100 + i,
                        name: format!("item-{s}-{i}"),
                        score: f64::from(s * 6 + i) * 1.25,
                        done: i % 2 == 0,
                        tags: vec!["tag".to_owned(), format!("t{}", i % 3)],
                        note: (i % 3 == 0).then(|| format!("note {s}.{i}")),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn fields() -> parity::FieldsInput {
    parity::FieldsInput {
        tags: vec!["a".to_owned(), "b".to_owned()],
        agree: true,
        count: Some(3.0),
        nickname: Some("ada".to_owned()),
        level: parity::Level::High,
    }
}

fn rich() -> parity::RichOutput {
    parity::RichOutput {
        date: js::Date::from_unix_millis(0),
        map: js::Map(vec![("a".to_owned(), 1.0)]),
        set: js::Set(vec![1.0, 2.0]),
        url: js::Url::new("https://example.com/x"),
        big: js::BigInt::from(10),
        nan: f64::NAN,
        inf: f64::NEG_INFINITY,
        negz: -0.0,
        undef: js::Undefined,
        nested: (vec![1.0, 2.0], parity::Kv { k: "v".to_owned() }),
    }
}

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

    stringify(c, "greet", &"Hello, Ada!".to_owned());
    stringify(c, "fields", &fields());
    stringify(c, "rich", &rich());
    stringify(c, "doc", &doc);

    parse(c, "greet", &"Hello, Ada!".to_owned());
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
