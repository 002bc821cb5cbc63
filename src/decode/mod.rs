//! Request bodies into action inputs: limits, content types, JSON and forms.
//!
//! One place decides what a body is (`read_input`) and one place turns it into an action's
//! input type (`deserialize_input`), whichever way the action was called.

mod body;
pub(crate) mod collect;
mod content_type;
pub(crate) mod form;
mod json;

pub use json::RawJson;

pub(crate) use body::read_limited;
pub(crate) use content_type::{BodyKind, body_kind};

use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::action::Accept;
use crate::error::{ActionError, ActionErrorCode};
use crate::form_data::FormData;
use crate::validate::Validate;

/// The limits the layer applies to every action body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The most bytes a body may have (Astro's `actionBodySizeLimit`).
    pub(crate) body_limit: usize,
    /// The most bytes one uploaded file may have.
    pub(crate) file_limit: usize,
    /// The most entries (fields and files) a form may have.
    pub(crate) max_fields: usize,
    /// The deepest nesting of arrays and objects a JSON body may have (at most
    /// [`JSON_DEPTH_CEILING`]).
    pub(crate) json_depth: usize,
}

/// The default of [`Limits::json_depth`].
pub(crate) const DEFAULT_JSON_DEPTH: usize = 128;

/// The highest JSON depth limit the layer accepts. Parsing, checking, answering and dropping
/// a value recurse once per level (serde_json's `Value` takes about 2.5 KiB of stack a level
/// in a debug build); 512 levels stay inside a 2 MiB thread stack (the default of Rust and
/// tokio threads) even in a debug build, and devalue writes no deeper result (its own limit is
/// 512 levels).
pub(crate) const JSON_DEPTH_CEILING: usize = 512;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_limit: 1024 * 1024,
            file_limit: 1024 * 1024,
            max_fields: 1000,
            json_depth: DEFAULT_JSON_DEPTH,
        }
    }
}

/// A request body as the action receives it, before deserialization.
#[derive(Debug, Clone)]
pub(crate) enum RawInput {
    /// No body (no content type, or an empty JSON body): JavaScript `undefined`.
    Absent,
    /// A JSON body, not yet parsed, and the depth it may have.
    Json(Bytes, usize),
    /// A form, with the urlencoded bytes it came from (a multipart body is not kept).
    Form {
        /// The entries.
        form: FormData,
        /// The body, when it was urlencoded.
        raw: Option<Bytes>,
    },
}

impl RawInput {
    /// What the page of a form action gets: the body bytes as read, and the submitted
    /// non-file form values in order (moved out, not copied).
    pub(crate) fn into_page_parts(self) -> (Option<Bytes>, Vec<(String, String)>) {
        match self {
            RawInput::Json(bytes, _) => (Some(bytes), Vec::new()),
            RawInput::Form { form, raw } => (raw, form.into_texts()),
            RawInput::Absent => (None, Vec::new()),
        }
    }
}

pub(crate) fn too_large(limit: usize) -> ActionError {
    ActionError::new(
        ActionErrorCode::ContentTooLarge,
        format!("Request body exceeds {limit} bytes"),
    )
}

pub(crate) fn only_accepts(accept: Accept) -> ActionError {
    ActionError::new(
        ActionErrorCode::UnsupportedMediaType,
        match accept {
            Accept::Json => "This action only accepts JSON.",
            Accept::Form => "This action only accepts FormData.",
        },
    )
}

/// Reads a request body as Astro's `parseRequestBody` does, then applies the
/// action's `accept` check.
pub(crate) async fn read_input<B>(
    headers: &HeaderMap,
    body: B,
    accept: Accept,
    limits: &Limits,
) -> Result<RawInput, ActionError>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<crate::BoxError>,
{
    let kind = body_kind(headers);
    if kind == BodyKind::Absent {
        // No content type: the body is never read, whatever its size.
        return match accept {
            Accept::Json => Ok(RawInput::Absent),
            Accept::Form => Err(only_accepts(Accept::Form)),
        };
    }
    let length = content_length(headers);
    if length.is_some_and(|length| length > limits.body_limit as u64) {
        return Err(too_large(limits.body_limit));
    }
    match (kind, accept) {
        (BodyKind::Json, Accept::Json) => {
            let bytes = read_limited(body, limits.body_limit, length).await?;
            Ok(if bytes.is_empty() {
                RawInput::Absent
            } else {
                RawInput::Json(bytes, limits.json_depth)
            })
        }
        (BodyKind::Json, Accept::Form) => Err(only_accepts(Accept::Form)),
        (BodyKind::UrlEncoded | BodyKind::Multipart, Accept::Json) => {
            Err(only_accepts(Accept::Json))
        }
        (BodyKind::UrlEncoded, Accept::Form) => {
            let bytes = read_limited(body, limits.body_limit, length).await?;
            let form = form::parse_urlencoded(&bytes, limits)?;
            Ok(RawInput::Form {
                form,
                raw: Some(bytes),
            })
        }
        (BodyKind::Multipart, Accept::Form) => {
            let boundary = headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .and_then(form::boundary)
                .ok_or_else(|| ActionError::from_code(ActionErrorCode::UnsupportedMediaType))?;
            // Boxed: the multipart reader's state is large, and every caller's future (the
            // whole request's, for an action call) would otherwise carry it for every body.
            let form = Box::pin(form::read_multipart(body, boundary, limits)).await?;
            Ok(RawInput::Form { form, raw: None })
        }
        (BodyKind::Absent | BodyKind::Unsupported, _) => Err(ActionError::from_code(
            ActionErrorCode::UnsupportedMediaType,
        )),
    }
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Deserializes and validates an action's input from the raw body. Every problem is
/// reported: wrongly-shaped values and failed checks alike.
pub(crate) fn deserialize_input<T: DeserializeOwned + Validate>(
    input: &RawInput,
) -> Result<T, ActionError> {
    match input {
        RawInput::Absent => collect::from_value(None),
        RawInput::Json(bytes, depth) => json::from_json(bytes, *depth),
        RawInput::Form { form, .. } => form::from_form_validated(form),
    }
}
