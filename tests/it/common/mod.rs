//! A small client over an in-process service, for tests that read like the protocol.

#![allow(dead_code)]

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::ServiceExt;

/// What a test looks at: status, headers, body bytes.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get("content-type")
            .map(|v| v.to_str().unwrap())
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }

    /// The text of the page's `<p id="{id}">` line (HTML as sent).
    #[track_caller]
    pub fn page_line(&self, id: &str) -> &str {
        let text = self.text();
        let start = text
            .find(&format!(r#"<p id="{id}">"#))
            .expect("the line is on the page");
        let rest = &text[start..];
        &rest[rest.find('>').unwrap() + 1..rest.find("</p>").unwrap()]
    }

    /// Asserts status, content type and body bytes at once.
    #[track_caller]
    pub fn assert(&self, status: u16, content_type: Option<&str>, body: &str) {
        assert_eq!(
            (self.status.as_u16(), self.content_type(), self.text()),
            (status, content_type, body),
        );
    }
}

pub async fn send<S, B>(service: S, request: Request<Full<Bytes>>) -> Answer
where
    S: tower::Service<Request<Full<Bytes>>, Response = Response<B>>,
    S::Error: std::fmt::Debug,
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    let response = service.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}

/// `POST path` with a JSON body.
pub fn post_json(path: &str, json: &str) -> Request<Full<Bytes>> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::copy_from_slice(json.as_bytes())))
        .unwrap()
}

/// `POST path` with these headers and body.
pub fn post(path: &str, headers: &[(&str, &str)], body: &[u8]) -> Request<Full<Bytes>> {
    let mut request = Request::post(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .body(Full::new(Bytes::copy_from_slice(body)))
        .unwrap()
}

/// A `redis-server` on a free loopback port, stopped when dropped.
pub struct RedisServer {
    child: std::process::Child,
    pub port: u16,
}

impl RedisServer {
    pub fn start() -> RedisServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        RedisServer {
            child: Self::spawn(port),
            port,
        }
    }

    /// Starts the server again on the same port, as an operator restarting Redis does (empty:
    /// nothing is saved to disk). Stops it first if it still runs.
    pub fn restart(&mut self) {
        self.stop();
        self.child = Self::spawn(self.port);
    }

    /// A `redis-server` on `port`, once it accepts connections.
    fn spawn(port: u16) -> std::process::Child {
        let mut child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|err| {
                panic!("cannot start redis-server ({err}): install it with `apt-get install redis-server`")
            });
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return child;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("redis-server exited ({status}) before listening on port {port}");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("redis-server did not start on port {port}");
    }

    /// Stops the server now (it also stops when dropped).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(feature = "sessions")]
pub mod stores;

pub mod astro;
pub mod browser;

pub mod capture;

/// Decodes standard base64 (padding optional), as the recorded fixtures write bodies.
pub fn base64_decode(text: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = alphabet.iter().position(|a| *a == byte).expect("base64") as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

/// `npm install --no-save <packages>` into `dir` (never into the repository), failing with
/// npm's output, or with `hint` when npm cannot run.
pub fn npm_install(dir: &std::path::Path, packages: &[&str], hint: &str) {
    let out = std::process::Command::new("npm")
        .args([
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
        ])
        .arg(dir)
        .args(packages)
        .output()
        .unwrap_or_else(|err| panic!("cannot run `npm` ({err}): {hint}"));
    assert!(
        out.status.success(),
        "`npm install {}` failed:\n{}{}",
        packages.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A request recorded from the Astro peer (`tests/fixtures/astro-parity.json`).
#[derive(serde::Deserialize)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub body_base64: Option<String>,
}

impl RecordedRequest {
    /// The body's bytes: base64-decoded where the recording kept them so, else the text.
    pub fn body_bytes(&self) -> Vec<u8> {
        match (&self.body, &self.body_base64) {
            (_, Some(encoded)) => base64_decode(encoded),
            (Some(text), None) => text.as_bytes().to_vec(),
            (None, None) => Vec::new(),
        }
    }
}
