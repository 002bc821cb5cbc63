//! Reading a body under a byte limit, never buffering past it.

use std::pin::pin;

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;

use crate::error::{ActionError, ActionErrorCode};

/// Reads the whole body, or fails with 413 as soon as it runs over `limit` bytes (at most
/// one frame past the limit is ever held). A single-frame body is returned without a copy.
pub(crate) async fn read_limited<B>(
    body: B,
    limit: usize,
    size_hint: Option<u64>,
) -> Result<Bytes, ActionError>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<crate::BoxError>,
{
    let mut body = pin!(body);
    let mut first: Option<Bytes> = None;
    let mut buffer = BytesMut::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|err| read_error(err.into()))?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers carry no input
        };
        total = total.saturating_add(data.len());
        if total > limit {
            return Err(super::too_large(limit));
        }
        if data.is_empty() {
            continue;
        }
        match first.take() {
            None if buffer.is_empty() => first = Some(data),
            previous => {
                if buffer.is_empty() {
                    let hint = size_hint.map_or(0, |hint| hint.min(limit as u64) as usize);
                    buffer.reserve(hint.max(total));
                }
                if let Some(previous) = previous {
                    buffer.extend_from_slice(&previous);
                }
                buffer.extend_from_slice(&data);
            }
        }
    }
    Ok(match first {
        Some(only) => only,
        None => buffer.freeze(),
    })
}

fn read_error(err: crate::BoxError) -> ActionError {
    tracing::debug!(error = %err, "failed to read an action's request body");
    ActionError::new(
        ActionErrorCode::BadRequest,
        format!("Failed to read the request body: {err}"),
    )
}
