//! A long, mixed run over real HTTP: the parity example served by hyper on 127.0.0.1, and
//! thousands of requests of every kind (JSON, URL-encoded and multipart actions, files, errors,
//! input errors, unknown names, page form posts, pass-through pages, and `noInput` echoes of
//! random JSON of every size and kind) sent in a seeded order over a few keep-alive HTTP/1.1
//! connections. Every answer (status, content type, body bytes) must be the answer the same
//! request gets from a fresh state: a new app on a new thread, which has served nothing before.
//!
//! The state a worker thread keeps between requests (the serializer's buffers, the form
//! decoder's hand-off slots) must never show in an answer: `null` echoed after a large value
//! was once answered `[,]`.

use crate::common::RecordedRequest;
use crate::parity;

use std::collections::HashMap;
use std::time::Duration;

use bytes::Bytes;
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1 as client_http1;
use hyper::server::conn::http1 as server_http1;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::Value;
use tower::ServiceExt;

/// How many requests the run sends, over how many connections.
const REQUESTS: usize = 3_000;
const CONNECTIONS: usize = 3;
const SEED: u64 = 0x6d69_7865_645f_7275;
const HOST: &str = "parity.test";
const ORIGIN: &str = "http://parity.test";

/// xorshift64*: a small seeded generator, enough to vary the run reproducibly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// One request, as sent.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    fn to_http(&self) -> Request<Full<Bytes>> {
        let mut request = Request::builder()
            .method(self.method.as_str())
            .uri(self.path.as_str())
            .header("host", HOST);
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        request
            .body(Full::new(Bytes::from(self.body.clone())))
            .unwrap()
    }

    fn describe(&self) -> String {
        let body = String::from_utf8_lossy(&self.body);
        let body: String = body.chars().take(200).collect();
        format!(
            "{} {} ({} body bytes: {body:?}…)",
            self.method,
            self.path,
            self.body.len()
        )
    }
}

/// What is compared of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    status: u16,
    content_type: Option<String>,
    body: Bytes,
}

impl Answer {
    async fn read<B: http_body::Body<Data = Bytes>>(response: http::Response<B>) -> Answer {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|value| value.to_str().unwrap().to_owned());
        let body = match response.into_body().collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => panic!("the body could not be read"),
        };
        Answer {
            status,
            content_type,
            body,
        }
    }
}

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    request: RecordedRequest,
}

/// Every request captured from the Astro peer (`tests/fixtures/astro-parity.json`): every
/// action of the parity fixture, every kind of body, error, unknown name and page post. Bodies
/// are sent whole with their length.
fn catalogue() -> Vec<Req> {
    let fixture: Fixture =
        serde_json::from_str(include_str!("../fixtures/astro-parity.json")).expect("fixture");
    fixture
        .cases
        .into_iter()
        .map(|case| {
            let body = case.request.body_bytes();
            let headers = case
                .request
                .headers
                .iter()
                .filter(|(name, _)| name != "transfer-encoding" && name != "content-length")
                .map(|(name, value)| (name.clone(), value.replace("{origin}", ORIGIN)))
                .collect();
            Req {
                method: case.request.method,
                path: case.request.path,
                headers,
                body,
            }
        })
        .collect()
}

/// A random string: empty, short, with characters JSON or devalue escape, non-ASCII, or long.
fn random_string(rng: &mut Rng, long: bool) -> String {
    const PIECES: &[&str] = &[
        "a",
        "b",
        "Z",
        "0",
        "7",
        " ",
        "\"",
        "\\",
        "<",
        "</script>",
        "\n",
        "\t",
        "\u{1}",
        "\u{1f}",
        "é",
        "€",
        "\u{2028}",
        "\u{2029}",
        "😀",
        "__proto__",
        "-",
        ".",
        "1e3",
    ];
    let len = match rng.below(10) {
        0 => 0,
        1..=6 => rng.below(12),
        7 | 8 => rng.below(200),
        _ if long => rng.below(40_000),
        _ => rng.below(500),
    };
    let mut s = String::new();
    if long && rng.chance(50) {
        // A long run of one ordinary character, with a few specials in it.
        s.push_str(&"x".repeat(len));
        for _ in 0..rng.below(4) {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        return s;
    }
    for _ in 0..len {
        s.push_str(PIECES[rng.below(PIECES.len())]);
    }
    s
}

fn random_number(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => Value::from(rng.below(10) as u64),
        1 => Value::from(rng.below(2_000) as i64 - 1_000),
        2 => Value::from(rng.next() >> 11),
        3 => serde_json::Number::from_f64(-0.0).map_or(Value::Null, Value::Number),
        4 => Value::from((rng.next() % 1_000_000) as f64 / 1_000.0),
        5 => Value::from(f64::from_bits(rng.next() >> 2).min(1e300)),
        6 => Value::from(1e21),
        _ => Value::from(0.1 + 0.2),
    }
}

/// A random JSON value with about `budget` parts, at most `depth` deep.
fn random_json(rng: &mut Rng, budget: usize, depth: usize) -> Value {
    let container = budget > 1 && depth > 0 && rng.chance(70);
    if !container {
        return match rng.below(7) {
            0 => Value::Null,
            1 => Value::Bool(true),
            2 => Value::Bool(false),
            3 | 4 => random_number(rng),
            _ => Value::String(random_string(rng, budget > 1_000)),
        };
    }
    let n = 1 + rng.below(budget.min(4_000));
    let mut shared = budget / n;
    if shared == 0 {
        shared = 1;
    }
    if rng.chance(50) {
        Value::Array(
            (0..n)
                .map(|_| random_json(rng, shared, depth - 1))
                .collect(),
        )
    } else {
        let mut map = serde_json::Map::new();
        for i in 0..n {
            let key = match rng.below(6) {
                0 => i.to_string(),
                1 => format!("{}", n - i),
                2 => random_string(rng, false),
                _ => format!("field{i}"),
            };
            map.insert(key, random_json(rng, shared, depth - 1));
        }
        Value::Object(map)
    }
}

/// A `noInput` echo of random JSON: tiny, medium, large or huge; deep now and then.
fn random_echo(rng: &mut Rng) -> Req {
    let body = match rng.below(20) {
        // The primitives whose answers were broken after a large one.
        0..=3 => ["null", "true", "false", "0", "\"\"", "-0", "1.5"][rng.below(7)].to_owned(),
        4..=9 => serde_json::to_string(&random_json(rng, 8, 3)).unwrap(),
        10..=14 => serde_json::to_string(&random_json(rng, 200, 6)).unwrap(),
        15..=17 => serde_json::to_string(&random_json(rng, 5_000, 8)).unwrap(),
        // Large, but under the 1 MiB body limit: a larger body is answered 413 before it is
        // read and the connection is closed, so whether the client sees the answer or a
        // broken pipe depends on timing (the limit has its own tests).
        18 => loop {
            let body = serde_json::to_string(&random_json(rng, 60_000, 5)).unwrap();
            if body.len() < 1_000_000 {
                break body;
            }
        },
        _ => {
            // Deep nesting.
            let depth = 1 + rng.below(300);
            format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
        }
    };
    echo(&body)
}

/// `noInput` with this JSON body.
fn echo(body: &str) -> Req {
    Req {
        method: "POST".to_owned(),
        path: "/_actions/noInput".to_owned(),
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("origin".to_owned(), ORIGIN.to_owned()),
        ],
        body: body.as_bytes().to_vec(),
    }
}

/// The requests of the run, in order: fixture requests and random echoes, mixed, with runs
/// that alternate large answers and `null`/`true`/`false`.
fn run_requests(rng: &mut Rng) -> Vec<Req> {
    let catalogue = catalogue();
    let mut requests = Vec::with_capacity(REQUESTS);
    // Every fixture request at least once.
    requests.extend(catalogue.iter().cloned());
    while requests.len() < REQUESTS {
        match rng.below(10) {
            0..=4 => requests.push(catalogue[rng.below(catalogue.len())].clone()),
            5..=7 => requests.push(random_echo(rng)),
            _ => {
                // A large answer, then primitives.
                let large = serde_json::to_string(&random_json(rng, 1_000, 4)).unwrap();
                requests.push(echo(&large));
                for _ in 0..1 + rng.below(3) {
                    requests.push(echo(["null", "true", "false"][rng.below(3)]));
                }
            }
        }
    }
    requests.truncate(REQUESTS);
    // The fixture requests, first in the list, are moved to seeded places; the runs of a large
    // answer then primitives stay mostly together.
    let fixture_count = catalogue.len();
    for i in 0..fixture_count {
        let j = rng.below(requests.len());
        requests.swap(i, j);
    }
    requests
}

/// The answer a fresh state gives: a new app, on a new thread with its own runtime.
fn fresh_answer(request: &Req) -> Answer {
    let request = request.clone();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let response = parity::app().oneshot(request.to_http()).await.unwrap();
                Answer::read(response).await
            })
    })
    .join()
    .expect("the fresh answer")
}

/// Serves the parity app on 127.0.0.1 with hyper until the test ends; returns the address.
async fn serve() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = parity::app();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let service = hyper_util::service::TowerToHyperService::new(app.clone());
            tokio::spawn(
                server_http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service),
            );
        }
    });
    address
}

/// Serves the parity pages with the layer around the whole Router
/// (`ActionsLayer::around`), with `axum::serve`, until the test ends; returns the address.
async fn serve_around() -> std::net::SocketAddr {
    use axum::ServiceExt as _;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = parity::layer().around(parity::routes());
    tokio::spawn(async move { axum::serve(listener, app.into_make_service()).await });
    address
}

/// A keep-alive client connection that connects again when the server closes it (as it may
/// after an answer sent without reading the whole body).
struct Connection {
    address: std::net::SocketAddr,
    sender: Option<client_http1::SendRequest<Full<Bytes>>>,
    connects: usize,
}

impl Connection {
    async fn sender(&mut self) -> &mut client_http1::SendRequest<Full<Bytes>> {
        if let Some(sender) = &mut self.sender {
            if sender.ready().await.is_ok() {
                return self.sender.as_mut().unwrap();
            }
        }
        let stream = tokio::net::TcpStream::connect(self.address).await.unwrap();
        let (sender, connection) = client_http1::handshake(TokioIo::new(stream)).await.unwrap();
        tokio::spawn(connection);
        self.connects += 1;
        self.sender.insert(sender)
    }

    async fn send(&mut self, request: &Req) -> Answer {
        for _ in 0..3 {
            let sender = self.sender().await;
            match sender.send_request(request.to_http()).await {
                Ok(response) => return Answer::read(response).await,
                // The server closed the connection as the request went out: connect again.
                Err(_) => self.sender = None,
            }
        }
        panic!("could not send {}", request.describe());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_mixed_requests_over_keep_alive_connections_answer_as_a_fresh_state() {
    run_against(serve().await, SEED).await;
}

/// The same run against the layer around the whole Router (`ActionsLayer::around`, served by
/// `axum::serve`): every answer is the one `Router::layer` gives from a fresh state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn around_the_whole_router_answers_as_router_layer_from_a_fresh_state() {
    run_against(serve_around().await, SEED ^ 0xa5a5).await;
}

/// Sends the seeded run to the server at `address` and compares every answer with a fresh
/// state's (`parity::app()` on a new thread).
async fn run_against(address: std::net::SocketAddr, seed: u64) {
    let mut rng = Rng(seed);
    let requests = run_requests(&mut rng);
    assert_eq!(requests.len(), REQUESTS);

    // The expected answers, from a fresh state, once per distinct request.
    let mut expected: HashMap<&Req, Answer> = HashMap::new();
    for request in &requests {
        if !expected.contains_key(request) {
            expected.insert(request, fresh_answer(request));
        }
    }
    let null_answer = fresh_answer(&echo("null"));
    assert_eq!(
        (null_answer.status, &null_answer.body[..]),
        (200, &b"[null]"[..]),
        "the fresh state echoes null"
    );

    // Request i goes over connection i % CONNECTIONS; the connections run at once.
    let lanes = (0..CONNECTIONS).map(|lane| {
        let mine: Vec<(usize, Req)> = requests
            .iter()
            .enumerate()
            .filter(|(i, _)| i % CONNECTIONS == lane)
            .map(|(i, request)| (i, request.clone()))
            .collect();
        tokio::spawn(async move {
            let mut connection = Connection {
                address,
                sender: None,
                connects: 0,
            };
            let mut answers = Vec::with_capacity(mine.len());
            for (i, request) in mine {
                let answer =
                    tokio::time::timeout(Duration::from_secs(60), connection.send(&request))
                        .await
                        .unwrap_or_else(|_| panic!("no answer to request {i} in a minute"));
                answers.push((i, answer));
            }
            (answers, connection.connects)
        })
    });
    let mut answers: Vec<Option<Answer>> = vec![None; REQUESTS];
    let mut connects = 0;
    for lane in lanes.collect::<Vec<_>>() {
        let (lane_answers, lane_connects) = lane.await.unwrap();
        connects += lane_connects;
        for (i, answer) in lane_answers {
            answers[i] = Some(answer);
        }
    }

    let mut wrong = Vec::new();
    for (i, (request, answer)) in requests.iter().zip(&answers).enumerate() {
        let answer = answer.as_ref().expect("every request was answered");
        let want = &expected[request];
        if answer != want {
            wrong.push(format!(
                "request {i}: {}\n  got    {} {:?} {:?}\n  wanted {} {:?} {:?}",
                request.describe(),
                answer.status,
                answer.content_type,
                String::from_utf8_lossy(&answer.body[..answer.body.len().min(300)]),
                want.status,
                want.content_type,
                String::from_utf8_lossy(&want.body[..want.body.len().min(300)]),
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {REQUESTS} answers (over {connects} connections) differ from a fresh state's:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Keep-alive connections were reused, not one connection per request.
    assert!(
        connects < REQUESTS / 10,
        "{connects} connections for {REQUESTS} requests"
    );
}
