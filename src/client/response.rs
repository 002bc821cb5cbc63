//! An action's response as Astro's client reads it (its `handleAction`): 204 is
//! `undefined`, any other 2xx devalue, anything else an error body.

use http::StatusCode;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;

use crate::BoxError;
use crate::devalue;
use crate::error::{ActionError, ActionErrorCode};

/// Reads a whole response into the action's output or its error.
pub(crate) async fn read_response<O, B>(response: http::Response<B>) -> Result<O, ActionError>
where
    O: DeserializeOwned,
    B: http_body::Body,
    B::Error: Into<BoxError>,
{
    let (parts, body) = response.into_parts();
    if parts.status == StatusCode::NO_CONTENT {
        // The body is ignored, as Astro's client does: it is not even read.
        return decode(parts.status, b"");
    }
    let body = body
        .collect()
        .await
        .map_err(|e| ActionError::internal(e.into()))?
        .to_bytes();
    decode(parts.status, &body)
}

/// The output or error a response with this status and body stands for.
pub(crate) fn decode<O: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<O, ActionError> {
    if status == StatusCode::NO_CONTENT {
        let undefined = serde::de::value::UnitDeserializer::<serde::de::value::Error>::new();
        return O::deserialize(undefined).map_err(|e| {
            ActionError::new(
                ActionErrorCode::InternalServerError,
                format!("The action answered 204 No Content (undefined), which its output type cannot hold: {e}"),
            )
        });
    }
    if status.is_success() {
        let text = String::from_utf8_lossy(body);
        return devalue::from_str(&text).map_err(|e| {
            ActionError::new(
                ActionErrorCode::InternalServerError,
                format!("The response body was not devalue for this action's output: {e}"),
            )
        });
    }
    Err(ActionError::from_body(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RawJson;

    fn ok<O: DeserializeOwned>(status: u16, body: &str) -> O {
        decode(StatusCode::from_u16(status).unwrap(), body.as_bytes()).unwrap()
    }

    fn err<O: DeserializeOwned + std::fmt::Debug>(status: u16, body: &str) -> ActionError {
        decode::<O>(StatusCode::from_u16(status).unwrap(), body.as_bytes()).unwrap_err()
    }

    #[test]
    fn no_content_is_undefined() {
        let () = ok(204, "ignored");
        assert_eq!(ok::<Option<String>>(204, ""), None);
        assert_eq!(ok::<RawJson>(204, ""), RawJson(None));
        let e = err::<String>(204, "");
        assert_eq!(e.code(), ActionErrorCode::InternalServerError);
        assert!(e.message().contains("204"), "{e}");
    }

    #[test]
    fn success_is_devalue() {
        assert_eq!(ok::<String>(200, r#"["hello"]"#), "hello");
        assert_eq!(ok::<f64>(200, "[0]"), 0.0);
        assert!(ok::<f64>(200, "-3").is_nan());
        assert_eq!(ok::<Option<u8>>(200, "[null]"), None);
        assert_eq!(ok::<String>(201, r#"["x"]"#), "x");
        let e = err::<String>(200, "<!doctype html>");
        assert_eq!(e.code(), ActionErrorCode::InternalServerError);
        assert!(e.message().contains("not devalue"), "{e}");
    }

    #[test]
    fn errors_are_read_from_json_bodies() {
        let e = err::<()>(
            401,
            r#"{"type":"AstroActionError","code":"UNAUTHORIZED","status":401,"message":"Not logged in"}"#,
        );
        assert_eq!(
            (e.code(), &*e.message()),
            (ActionErrorCode::Unauthorized, "Not logged in")
        );
        // The code comes from the body, not the HTTP status.
        let e = err::<()>(
            500,
            r#"{"type":"AstroActionError","code":"NOT_FOUND","message":""}"#,
        );
        assert_eq!(e.code(), ActionErrorCode::NotFound);
        let e = err::<()>(
            400,
            r#"{"type":"AstroActionInputError","issues":[{"code":"custom","path":["name"],"message":"Too short"}],"fields":{}}"#,
        );
        let input = e.as_input_error().unwrap();
        assert_eq!(input.field("name"), ["Too short"]);
        let e = err::<()>(400, r#"{"something":"random"}"#);
        assert_eq!(
            (e.code(), &*e.message()),
            (ActionErrorCode::InternalServerError, "")
        );
    }

    #[test]
    fn other_bodies_are_internal_errors_with_their_text() {
        let e = err::<()>(401, "Unauthorized");
        assert_eq!(
            (e.code(), &*e.message()),
            (ActionErrorCode::InternalServerError, "Unauthorized")
        );
        let e = err::<()>(500, "");
        assert_eq!(
            (e.code(), &*e.message()),
            (ActionErrorCode::InternalServerError, "")
        );
        let e = err::<()>(301, "");
        assert_eq!(e.code(), ActionErrorCode::InternalServerError);
    }
}
