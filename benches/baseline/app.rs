//! The hand-written baseline the benchmarks compare the layer with (`BENCHMARKS.md`): plain
//! axum handlers doing what the parity fixture's `greet`, `fields` and `upload` actions do,
//! without `tower-actions`' pipeline. The criterion benches include this file; `main.rs`
//! beside it serves it for `benches/load.sh`.
//!
//! Routes:
//! - `POST /_actions/greet`: `Json` in, garde validation, `Json` out (`"Hello, Ada!"`).
//! - `POST /devalue/greet`: the same with devalue out (`["Hello, Ada!"]`).
//! - `POST /form/fields`: axum `Form` (serde_urlencoded: one `tags` value), devalue out.
//! - `POST /form/upload`: axum `Multipart`, reading the `file` field, devalue out.
//! - `POST /form/subscribe`: axum `Form`, the same-origin check, garde's e-mail validation,
//!   devalue out (`subscribe`'s answer).

#![allow(dead_code)]

use axum::extract::{Form, Json, Multipart};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Router, body::Bytes};
use garde::Validate;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Validate)]
pub struct GreetInput {
    #[garde(length(utf16, min = 1))]
    pub name: String,
}

/// A 400 listing the validation report, as a hand-written handler would.
fn invalid(report: garde::Report) -> Response {
    (StatusCode::BAD_REQUEST, report.to_string()).into_response()
}

fn devalue<T: Serialize>(value: &T) -> Response {
    match tower_actions::devalue::to_vec(value) {
        Ok(body) => (
            [(header::CONTENT_TYPE, "application/json+devalue")],
            Bytes::from(body),
        )
            .into_response(),
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
    }
}

/// `greet` with JSON in and out.
pub async fn greet_json(Json(input): Json<GreetInput>) -> Response {
    if let Err(report) = input.validate() {
        return invalid(report);
    }
    Json(format!("Hello, {}!", input.name)).into_response()
}

/// `greet` with JSON in and devalue out.
pub async fn greet_devalue(Json(input): Json<GreetInput>) -> Response {
    if let Err(report) = input.validate() {
        return invalid(report);
    }
    devalue(&format!("Hello, {}!", input.name))
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    High,
}

/// `fields` as serde_urlencoded can read it: one `tags` value.
#[derive(Deserialize, Validate)]
pub struct FieldsForm {
    #[garde(skip)]
    pub tags: String,
    #[garde(skip)]
    #[serde(default)]
    pub agree: bool,
    #[garde(skip)]
    pub count: Option<f64>,
    #[garde(skip)]
    pub nickname: Option<String>,
    #[garde(skip)]
    pub level: Level,
}

#[derive(Serialize)]
pub struct FieldsOutput {
    pub tags: Vec<String>,
    pub agree: bool,
    pub count: Option<f64>,
    pub nickname: Option<String>,
    pub level: Level,
}

/// `fields`: urlencoded in, devalue out.
pub async fn fields_form(Form(input): Form<FieldsForm>) -> Response {
    if let Err(report) = input.validate() {
        return invalid(report);
    }
    devalue(&FieldsOutput {
        tags: vec![input.tags],
        agree: input.agree,
        count: input.count,
        nickname: input.nickname,
        level: input.level,
    })
}

#[derive(Serialize)]
pub struct FileInfo {
    pub name: String,
    pub size: usize,
    #[serde(rename = "type")]
    pub content_type: String,
}

/// `upload`: multipart in (the `file` field read whole), devalue out.
pub async fn upload_multipart(mut multipart: Multipart) -> Response {
    let mut info = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() != Some("file") {
                    continue;
                }
                let name = field.file_name().unwrap_or_default().to_owned();
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                match field.bytes().await {
                    Ok(bytes) => {
                        info = Some(FileInfo {
                            name,
                            size: bytes.len(),
                            content_type,
                        })
                    }
                    Err(err) => return err.into_response(),
                }
            }
            Ok(None) => break,
            Err(err) => return err.into_response(),
        }
    }
    match info {
        Some(info) => devalue(&info),
        None => (StatusCode::BAD_REQUEST, "no file").into_response(),
    }
}

#[derive(Deserialize, Validate)]
pub struct SubscribeForm {
    #[garde(email)]
    pub email: String,
}

#[derive(Serialize)]
pub struct Subscribed {
    pub email: String,
    pub subscribed: bool,
}

/// `subscribe`: urlencoded in, `Origin` against `Host`, garde, devalue out.
pub async fn subscribe_form(
    headers: axum::http::HeaderMap,
    Form(input): Form<SubscribeForm>,
) -> Response {
    let same_origin = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => origin
            .as_bytes()
            .strip_prefix(b"http://")
            .is_some_and(|rest| rest.eq_ignore_ascii_case(host.as_bytes())),
        _ => false,
    };
    if !same_origin {
        return (
            StatusCode::FORBIDDEN,
            "Cross-site POST form submissions are forbidden",
        )
            .into_response();
    }
    if let Err(report) = input.validate() {
        return invalid(report);
    }
    devalue(&Subscribed {
        email: input.email,
        subscribed: true,
    })
}

/// Every baseline route.
pub fn router() -> Router {
    Router::new()
        .route("/_actions/greet", post(greet_json))
        .route("/devalue/greet", post(greet_devalue))
        .route("/form/fields", post(fields_form))
        .route("/form/upload", post(upload_multipart))
        .route("/form/subscribe", post(subscribe_form))
}
