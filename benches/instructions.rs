//! Instructions per request (or per call), layer vs baseline, counted by valgrind's callgrind:
//! deterministic where wall time on a small shared machine moves by ±10 %.
//!
//! `cargo bench --bench instructions` runs this binary under callgrind once per case and
//! count, counting only inside [`measured`] (`--toggle-collect`), and prints a table. Each
//! case runs `FEW` and `MANY` iterations; the difference divided by `MANY - FEW` is the cost
//! of one iteration, free of start-up and warm-up. The requests are built before counting
//! starts. Needs valgrind (`apt-get install valgrind`); without it, says so and exits.
//!
//! Instructions are not time (memory traffic, branch misses and `memcpy` sizes differ), so
//! the criterion benches remain the measure of speed; this one tells which way a change
//! moves the work, exactly, and where it goes (`callgrind_annotate` on the kept output,
//! `INSTRUCTIONS_KEEP=1`).

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
mod values;

use std::fmt::Debug;
use std::process::Command;

use http::Response;
use serde::Serialize;
use tower::Service;

use support::Req;
use values::{dv, dv_parse, dv_text, json, json_parse, json_text};

const FEW: usize = 200;
const MANY: usize = 1_200;

/// What one case runs: each request path, each serializer on each value.
#[derive(Clone, Copy, Debug)]
enum Case {
    PingBare,
    PingLayer,
    GreetJson,
    GreetDevalue,
    GreetLayer,
    FieldsForm,
    FieldsLayer,
    SubscribeForm,
    SubscribeLayer,
    UploadMultipart,
    UploadLayer,
    PagePlainPost,
    PageAction,
    PagePrgPost,
    PagePlainGet,
    PagePrgGet,
    HandPage,
    HandModelPage,
    HandPrgPost,
    HandPrgGet,
    JsonGreet,
    DevalueGreet,
    JsonFields,
    DevalueFields,
    JsonSubscribed,
    DevalueSubscribed,
    JsonRich,
    DevalueRich,
    JsonDoc,
    DevalueDoc,
    JsonParseGreet,
    DevalueParseGreet,
    JsonParseFields,
    DevalueParseFields,
    JsonParseSubscribed,
    DevalueParseSubscribed,
    JsonParseDoc,
    DevalueParseDoc,
}

const CASES: [Case; 38] = [
    Case::PingBare,
    Case::PingLayer,
    Case::GreetJson,
    Case::GreetDevalue,
    Case::GreetLayer,
    Case::FieldsForm,
    Case::FieldsLayer,
    Case::SubscribeForm,
    Case::SubscribeLayer,
    Case::UploadMultipart,
    Case::UploadLayer,
    Case::PagePlainPost,
    Case::PageAction,
    Case::PagePrgPost,
    Case::PagePlainGet,
    Case::PagePrgGet,
    Case::HandPage,
    Case::HandModelPage,
    Case::HandPrgPost,
    Case::HandPrgGet,
    Case::JsonGreet,
    Case::DevalueGreet,
    Case::JsonFields,
    Case::DevalueFields,
    Case::JsonSubscribed,
    Case::DevalueSubscribed,
    Case::JsonRich,
    Case::DevalueRich,
    Case::JsonDoc,
    Case::DevalueDoc,
    Case::JsonParseGreet,
    Case::DevalueParseGreet,
    Case::JsonParseFields,
    Case::DevalueParseFields,
    Case::JsonParseSubscribed,
    Case::DevalueParseSubscribed,
    Case::JsonParseDoc,
    Case::DevalueParseDoc,
];

/// The table's rows: what is compared, the baseline case, the layer's case.
const ROWS: [(&str, Case, Case); 22] = [
    (
        "passthrough GET /ping (bare Router)",
        Case::PingBare,
        Case::PingLayer,
    ),
    ("RPC greet (axum Json)", Case::GreetJson, Case::GreetLayer),
    (
        "RPC greet (Json + devalue out)",
        Case::GreetDevalue,
        Case::GreetLayer,
    ),
    (
        "RPC fields (axum Form)",
        Case::FieldsForm,
        Case::FieldsLayer,
    ),
    (
        "RPC subscribe (axum Form + garde)",
        Case::SubscribeForm,
        Case::SubscribeLayer,
    ),
    (
        "RPC upload (axum Multipart)",
        Case::UploadMultipart,
        Case::UploadLayer,
    ),
    (
        "page action in place (plain POST)",
        Case::PagePlainPost,
        Case::PageAction,
    ),
    (
        "page action PRG POST (plain POST)",
        Case::PagePlainPost,
        Case::PagePrgPost,
    ),
    (
        "page PRG GET (plain GET)",
        Case::PagePlainGet,
        Case::PagePrgGet,
    ),
    (
        "page action in place (hand-written page)",
        Case::HandPage,
        Case::PageAction,
    ),
    (
        "page action in place (hand-written, Astro's round trip)",
        Case::HandModelPage,
        Case::PageAction,
    ),
    (
        "page action PRG POST (hand-written page)",
        Case::HandPrgPost,
        Case::PagePrgPost,
    ),
    (
        "page PRG GET (hand-written page)",
        Case::HandPrgGet,
        Case::PagePrgGet,
    ),
    (
        "stringify greet (serde_json)",
        Case::JsonGreet,
        Case::DevalueGreet,
    ),
    (
        "stringify fields (serde_json)",
        Case::JsonFields,
        Case::DevalueFields,
    ),
    (
        "stringify subscribed (serde_json)",
        Case::JsonSubscribed,
        Case::DevalueSubscribed,
    ),
    (
        "stringify rich (serde_json)",
        Case::JsonRich,
        Case::DevalueRich,
    ),
    (
        "stringify doc (serde_json)",
        Case::JsonDoc,
        Case::DevalueDoc,
    ),
    (
        "parse greet (serde_json)",
        Case::JsonParseGreet,
        Case::DevalueParseGreet,
    ),
    (
        "parse fields (serde_json)",
        Case::JsonParseFields,
        Case::DevalueParseFields,
    ),
    (
        "parse subscribed (serde_json)",
        Case::JsonParseSubscribed,
        Case::DevalueParseSubscribed,
    ),
    (
        "parse doc (serde_json)",
        Case::JsonParseDoc,
        Case::DevalueParseDoc,
    ),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--run") {
        let case = CASES
            .into_iter()
            .find(|case| format!("{case:?}") == args[at + 1])
            .expect("a known case");
        run(case, args[at + 2].parse().expect("a count"));
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: check the paths
    // answer what they should, and count only when benchmarking.
    let rt = support::runtime();
    rt.block_on(support::verify());
    rt.block_on(hand_page::verify());
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("valgrind is not installed (apt-get install valgrind): nothing counted");
        return;
    }
    let mut counted = std::collections::HashMap::new();
    let mut count = |case: Case| {
        *counted
            .entry(format!("{case:?}"))
            .or_insert_with(|| per_iteration(case))
    };
    println!("instructions per iteration (callgrind; {FEW} and {MANY} iterations, difference)");
    println!();
    println!("| path (baseline) | baseline | layer | ratio |");
    println!("|---|---|---|---|");
    // Other arguments filter the rows: `cargo bench --bench instructions -- stringify`.
    let filters: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with("--")).collect();
    for (name, baseline, layer) in ROWS {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let (b, l) = (count(baseline), count(layer));
        println!("| {name} | {b:.0} | {l:.0} | {:.3}x |", l / b);
    }
}

/// Instructions one iteration of `case` costs.
fn per_iteration(case: Case) -> f64 {
    let exe = std::env::current_exe().expect("this binary");
    let keep = std::env::var_os("INSTRUCTIONS_KEEP").is_some();
    let mut totals = [0u64; 2];
    for (total, n) in totals.iter_mut().zip([FEW, MANY]) {
        let out = std::env::temp_dir().join(format!("callgrind.{case:?}.{n}.out"));
        let output = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg("--toggle-collect=*instructions::measured*")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(&exe)
            .args(["--run", &format!("{case:?}"), &n.to_string()])
            .output()
            .expect("valgrind runs");
        assert!(
            output.status.success(),
            "{case:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = std::fs::read_to_string(&out).expect("callgrind's output");
        *total = text
            .lines()
            .find_map(|line| line.strip_prefix("totals: "))
            .or_else(|| text.lines().find_map(|line| line.strip_prefix("summary: ")))
            .and_then(|n| n.trim().parse().ok())
            .expect("a total in callgrind's output");
        if keep {
            eprintln!("kept {}", out.display());
        } else {
            let _ = std::fs::remove_file(&out);
        }
    }
    (totals[1] - totals[0]) as f64 / (MANY - FEW) as f64
}

/// Runs `n` iterations of `case`: builds what they need, then calls [`measured`].
fn run(case: Case, n: usize) {
    let rt = support::runtime();
    if matches!(case, Case::PagePrgGet) {
        rt.block_on(support::prg_cookie());
    }
    if matches!(case, Case::HandPrgGet) {
        rt.block_on(hand_page::prg_cookie());
    }
    let requests = |request: fn() -> Req| (0..n).map(|_| request()).collect::<Vec<_>>();
    match case {
        Case::PingBare => serve(&rt, support::bare(), requests(support::ping)),
        Case::PingLayer => serve(&rt, support::layered(), requests(support::ping)),
        Case::GreetJson => serve(&rt, support::baseline(), requests(support::greet_json)),
        Case::GreetDevalue => serve(&rt, support::baseline(), requests(support::greet_devalue)),
        Case::GreetLayer => serve(&rt, support::layered(), requests(support::greet_rpc)),
        Case::FieldsForm => serve(&rt, support::baseline(), requests(support::fields_baseline)),
        Case::FieldsLayer => serve(&rt, support::layered(), requests(support::fields_rpc)),
        Case::SubscribeForm => serve(
            &rt,
            support::baseline(),
            requests(support::subscribe_baseline),
        ),
        Case::SubscribeLayer => serve(&rt, support::layered(), requests(support::subscribe_rpc)),
        Case::UploadMultipart => {
            serve(&rt, support::baseline(), requests(support::upload_baseline))
        }
        Case::UploadLayer => serve(&rt, support::layered(), requests(support::upload_rpc)),
        Case::PagePlainPost => serve(&rt, support::layered(), requests(support::page_plain)),
        Case::PageAction => serve(&rt, support::layered(), requests(support::page_action)),
        Case::PagePrgPost => serve(&rt, support::layered_prg(), requests(support::page_action)),
        Case::PagePlainGet => serve(&rt, support::layered(), requests(support::page_get)),
        Case::PagePrgGet => serve(&rt, support::layered_prg(), requests(support::page_restore)),
        Case::HandPage => serve(&rt, hand_page::page(), requests(support::page_action)),
        Case::HandModelPage => serve(&rt, hand_page::model(), requests(support::page_action)),
        Case::HandPrgPost => serve(&rt, hand_page::prg(), requests(support::page_action)),
        Case::HandPrgGet => serve(&rt, hand_page::prg(), requests(hand_page::restore)),
        Case::JsonGreet => stringify(n, &values::greet(), json),
        Case::DevalueGreet => stringify(n, &values::greet(), dv),
        Case::JsonFields => stringify(n, &values::fields(), json),
        Case::DevalueFields => stringify(n, &values::fields(), dv),
        Case::JsonSubscribed => stringify(n, &values::subscribed(), json),
        Case::DevalueSubscribed => stringify(n, &values::subscribed(), dv),
        Case::JsonRich => stringify(n, &values::rich(), json),
        Case::DevalueRich => stringify(n, &values::rich(), dv),
        Case::JsonDoc => stringify(n, &values::doc(), json),
        Case::DevalueDoc => stringify(n, &values::doc(), dv),
        Case::JsonParseGreet => parse::<String>(n, &json_text(&values::greet()), json_parse),
        Case::DevalueParseGreet => parse::<String>(n, &dv_text(&values::greet()), dv_parse),
        Case::JsonParseFields => {
            parse::<parity::FieldsInput>(n, &json_text(&values::fields()), json_parse)
        }
        Case::DevalueParseFields => {
            parse::<parity::FieldsInput>(n, &dv_text(&values::fields()), dv_parse)
        }
        Case::JsonParseSubscribed => {
            parse::<parity::Subscribed>(n, &json_text(&values::subscribed()), json_parse)
        }
        Case::DevalueParseSubscribed => {
            parse::<parity::Subscribed>(n, &dv_text(&values::subscribed()), dv_parse)
        }
        Case::JsonParseDoc => parse::<values::Doc>(n, &json_text(&values::doc()), json_parse),
        Case::DevalueParseDoc => parse::<values::Doc>(n, &dv_text(&values::doc()), dv_parse),
    }
}

fn serve<S, B>(rt: &tokio::runtime::Runtime, service: S, requests: Vec<Req>)
where
    S: Service<Req, Response = Response<B>> + Clone,
    S::Error: Debug,
    B: http_body::Body,
    B::Error: Debug,
{
    measured(|| {
        rt.block_on(async {
            for request in requests {
                std::hint::black_box(support::send(&service, request).await);
            }
        })
    });
}

fn stringify<T: Serialize>(n: usize, value: &T, to_vec: fn(&T) -> Vec<u8>) {
    measured(|| {
        for _ in 0..n {
            drop(std::hint::black_box(to_vec(std::hint::black_box(value))));
        }
    });
}

fn parse<T>(n: usize, text: &str, from: fn(&str) -> T) {
    measured(|| {
        for _ in 0..n {
            drop(std::hint::black_box(from(std::hint::black_box(text))));
        }
    });
}

/// The only code callgrind counts.
#[inline(never)]
fn measured(work: impl FnOnce()) {
    work();
}
