//! Replays every request captured from a real Astro server (`tests/fixtures/astro-parity.json`,
//! made by `scripts/astro-parity/capture.mjs` against `../shared/astro-peer`) through the
//! parity example, and compares the answers.
//!
//! - `exact`: status, content type and body bytes.
//! - `input_error`: status, content type and body bytes, as `exact` (zod 4's issue objects and
//!   messages, issue 14).
//! - `status`: status, content type and the page's two result lines, `fields=` messages
//!   included.
//! - `astro_quirk`: Astro's answer is a quirk we fix on purpose (docs/compat.md); our answer
//!   is checked against the fix instead.

use crate::common::RecordedRequest;
use crate::parity;

use std::convert::Infallible;

use bytes::Bytes;
use http::Request;
use http_body::Frame;
use http_body_util::{BodyExt, StreamBody};
use serde::Deserialize;
use tower::ServiceExt;

const ORIGIN: &str = "http://parity.test";

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    request: RecordedRequest,
    response: CaseResponse,
    compare: String,
    quirk: Option<String>,
    page_lines: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct CaseResponse {
    status: u16,
    content_type: Option<String>,
    body: String,
}

struct Ours {
    status: u16,
    content_type: Option<String>,
    body: String,
}

async fn replay(case: &Case) -> Ours {
    let body = case.request.body_bytes();
    let chunked = case
        .request
        .headers
        .iter()
        .any(|(name, value)| name == "transfer-encoding" && value == "chunked");
    let mut request = Request::builder()
        .method(case.request.method.as_str())
        .uri(case.request.path.as_str())
        .header("host", "parity.test");
    for (name, value) in &case.request.headers {
        if name == "transfer-encoding" {
            continue;
        }
        let value = value
            .replace("{origin}", ORIGIN)
            .replace("{ORIGIN}", &ORIGIN.to_uppercase());
        request = request.header(name.as_str(), value);
    }
    // Chunked bodies arrive in pieces of 7 bytes with no length.
    let chunks: Vec<Result<Frame<Bytes>, Infallible>> = if chunked {
        body.chunks(7)
            .map(|chunk| Ok(Frame::data(Bytes::copy_from_slice(chunk))))
            .collect()
    } else if body.is_empty() {
        Vec::new()
    } else {
        vec![Ok(Frame::data(Bytes::from(body)))]
    };
    let request = request
        .body(StreamBody::new(futures_util::stream::iter(chunks)))
        .unwrap();
    let response = parity::app().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Ours {
        status,
        content_type,
        body: String::from_utf8_lossy(&body).replace(ORIGIN, "{origin}"),
    }
}

fn unescape_html(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A page line with the messages of `fields=` reduced to the keys.
fn page_lines(body: &str) -> Vec<String> {
    ["subscribe-result", "comment-result"]
        .iter()
        .filter_map(|id| {
            let start = body.find(&format!(r#"<p id="{id}">"#))?;
            let rest = &body[start..];
            Some(unescape_html(
                &rest[rest.find('>')? + 1..rest.find("</p>")?],
            ))
        })
        .collect()
}

const NOT_FOUND: &str =
    r#"{"type":"AstroActionError","code":"NOT_FOUND","status":404,"message":""}"#;

/// Our answer where Astro's is a quirk we fix (docs/compat.md).
fn check_quirk(case: &Case, ours: &Ours) -> Result<(), String> {
    let json = Some("application/json".to_owned());
    let ok = match case.quirk.as_deref().unwrap_or("") {
        // Malformed JSON: a 400 BAD_REQUEST ActionError (page: rendered with status 400).
        "Q5" => {
            ours.status == 400
                && (case.request.path.contains("?_action=")
                    || (ours.content_type == json && ours.body.contains(r#""code":"BAD_REQUEST""#)))
        }
        // A namespace: 404 NOT_FOUND.
        "Q6" => {
            ours.status == 404
                && (case.request.path.contains("?_action=")
                    || (ours.content_type == json && ours.body == NOT_FOUND))
        }
        // A space before `;`: the media type is still JSON.
        "Q7" => ours.status == 200,
        // Other methods: 405 with a JSON body (none for HEAD).
        "NON_POST_404" => ours.status == 405,
        other => return Err(format!("unknown quirk {other}")),
    };
    ok.then_some(())
        .ok_or_else(|| "not the documented fix".to_owned())
}

fn compare(case: &Case, ours: &Ours) -> Result<(), String> {
    let astro = &case.response;
    if case.compare == "astro_quirk" {
        return check_quirk(case, ours);
    }
    if ours.status != astro.status || ours.content_type != astro.content_type {
        return Err(format!(
            "status/content type: ours {} {:?}, Astro {} {:?}",
            ours.status, ours.content_type, astro.status, astro.content_type
        ));
    }
    match case.compare.as_str() {
        "exact" if ours.body != astro.body => Err("body differs".into()),
        "input_error" if ours.body != astro.body => Err("input error body differs".into()),
        "status" => {
            let expected: Vec<String> = case.page_lines.iter().flatten().cloned().collect();
            let got: Vec<String> = page_lines(&ours.body);
            if expected.is_empty() || expected == got {
                Ok(())
            } else {
                Err(format!("page lines: ours {got:?}, Astro {expected:?}"))
            }
        }
        _ => Ok(()),
    }
}

/// Cases where we answer differently from Astro 7.3.5 on purpose, each with its reason
/// (docs/compat.md). Every other case must match.
const DELIBERATE: &[(&str, &str)] = &[
    (
        "form_origin_upper_case",
        "origins are compared ignoring ASCII case (scheme and host are case-insensitive)",
    ),
    (
        "name_leading_double_slash",
        "only the action name's slashes are collapsed: `//_actions/x` is not an action path",
    ),
    (
        "noInput_exp_overflow",
        "a JSON number beyond f64 range is a 400, not a silent Infinity",
    ),
    (
        "noInput_proto_key",
        "a 500 answers an ActionError JSON body, not an empty body",
    ),
    (
        "ct_multipart_wrong_boundary",
        "a malformed multipart body is a 400 that says what was wrong, not a bare 415",
    ),
];

#[tokio::test]
async fn every_captured_astro_answer_is_reproduced() {
    let fixture: Fixture = serde_json::from_str(include_str!("../fixtures/astro-parity.json"))
        .expect("the fixture parses");
    assert!(fixture.cases.len() >= 200, "the fixture lost cases");
    let mut failures = Vec::new();
    for case in &fixture.cases {
        let ours = replay(case).await;
        let result = compare(case, &ours);
        let deliberate = DELIBERATE.iter().any(|(name, _)| *name == case.name);
        match (result, deliberate) {
            (Ok(()), false) => {}
            (Ok(()), true) => failures.push(format!(
                "{}: listed as deliberate but matches Astro",
                case.name
            )),
            (Err(_), true) => {}
            (Err(why), false) => failures.push(format!(
                "{} [{}]: {why}\n    ours:  {} {:?} {}\n    astro: {} {:?} {}",
                case.name,
                case.compare,
                ours.status,
                ours.content_type,
                ours.body.chars().take(300).collect::<String>(),
                case.response.status,
                case.response.content_type,
                case.response.body.chars().take(300).collect::<String>()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        fixture.cases.len(),
        failures.join("\n")
    );
}

/// docs/compat.md "origin case": `HTTP://PARITY.TEST` is the page's own origin. Astro 7.3.5
/// compares the `Origin` header with the request URL's origin byte for byte and refuses the
/// form with a 403.
#[tokio::test]
async fn an_origin_in_another_case_is_the_same_origin() {
    for origin in [
        "HTTP://PARITY.TEST",
        "http://Parity.Test",
        "http://parity.test",
    ] {
        let request = Request::builder()
            .method("POST")
            .uri("/_actions/subscribe")
            .header("host", "parity.test")
            .header("origin", origin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(http_body_util::Full::new(Bytes::from_static(
                b"email=a%40b.co",
            )))
            .unwrap();
        let response = parity::app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200, "Origin: {origin}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(
            &body[..],
            br#"[{"email":1,"subscribed":2},"a@b.co",true]"#,
            "Origin: {origin}"
        );
    }
    let foreign = Request::builder()
        .method("POST")
        .uri("/_actions/subscribe")
        .header("host", "parity.test")
        .header("origin", "HTTP://EVIL.TEST")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(http_body_util::Full::new(Bytes::from_static(
            b"email=a%40b.co",
        )))
        .unwrap();
    assert_eq!(parity::app().oneshot(foreign).await.unwrap().status(), 403);
}
