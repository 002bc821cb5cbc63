//! [`SerializedActionResult`]: an action's result as Astro stores and forwards it.
//!
//! ```text
//! {"type":"data","status":200,"contentType":"application/json+devalue","body":"[\"Hello, Ada!\"]"}
//! {"type":"error","status":404,"contentType":"application/json","body":"{\"type\":\"AstroActionError\",…}"}
//! {"type":"empty","status":204}
//! ```
//!
//! # Example
//!
//! ```
//! use tower_actions::{ActionError, ActionErrorCode, SerializedActionResult};
//!
//! let ok: Result<String, ActionError> = Ok("Hello, Ada!".into());
//! let stored = SerializedActionResult::from_result(&ok, false);
//! assert_eq!(
//!     serde_json::to_string(&stored).unwrap(),
//!     r#"{"type":"data","status":200,"contentType":"application/json+devalue","body":"[\"Hello, Ada!\"]"}"#,
//! );
//! assert_eq!(stored.deserialize::<String>().unwrap(), "Hello, Ada!");
//!
//! let failed: Result<String, ActionError> = Err(ActionError::new(ActionErrorCode::Unauthorized, "Not logged in"));
//! let stored = SerializedActionResult::from_result(&failed, false);
//! assert_eq!(stored.status(), http::StatusCode::UNAUTHORIZED);
//! let err = stored.deserialize::<String>().unwrap_err();
//! assert_eq!((err.code(), &*err.message()), (ActionErrorCode::Unauthorized, "Not logged in"));
//! ```

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{ActionError, ActionErrorCode};
use crate::registry::Output;

/// The content type of a successful action result.
pub(crate) const DEVALUE_CONTENT_TYPE: &str = "application/json+devalue";

/// An action's result in serialized form: what the RPC endpoint answers, what a form action
/// hands to the page, and what persistence stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerializedActionResult {
    /// Success with data: 200, `application/json+devalue`, the devalue text.
    Data {
        /// The devalue text.
        body: String,
    },
    /// Failure: the error's status, `application/json`, the error JSON.
    Error {
        /// The HTTP status of the error.
        status: u16,
        /// The error's JSON body.
        body: String,
    },
    /// Success with no data (JavaScript `undefined`): 204.
    Empty,
}

impl SerializedActionResult {
    /// Serializes a result (Astro's `serializeActionResult`). An output that cannot be
    /// serialized becomes an `INTERNAL_SERVER_ERROR` result, logged. With `expose_internal`
    /// false, an unexpected error's message is replaced by a generic one.
    #[doc(alias = "serializeActionResult")]
    pub fn from_result<T: Serialize>(
        result: &Result<T, ActionError>,
        expose_internal: bool,
    ) -> Self {
        match result {
            Ok(output) => match crate::registry::serialize_output(output) {
                Ok(output) => SerializedActionResult::from_output(output),
                Err(err) => SerializedActionResult::from_error(&err, expose_internal),
            },
            Err(err) => SerializedActionResult::from_error(err, expose_internal),
        }
    }

    /// The result of an error.
    pub fn from_error(err: &ActionError, expose_internal: bool) -> Self {
        SerializedActionResult::Error {
            status: err.status().as_u16(),
            body: err.to_json(expose_internal),
        }
    }

    pub(crate) fn from_output(output: Output) -> Self {
        match output {
            Output::Empty => SerializedActionResult::Empty,
            Output::Data(body) => SerializedActionResult::Data { body },
        }
    }

    /// The result's HTTP status: 200, 204, or the error's.
    pub fn status(&self) -> StatusCode {
        match self {
            SerializedActionResult::Data { .. } => StatusCode::OK,
            SerializedActionResult::Empty => StatusCode::NO_CONTENT,
            SerializedActionResult::Error { status, .. } => {
                StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    /// Whether this is an error result.
    pub fn is_error(&self) -> bool {
        matches!(self, SerializedActionResult::Error { .. })
    }

    /// The content type of the body, when there is one.
    pub fn content_type(&self) -> Option<&'static str> {
        match self {
            SerializedActionResult::Data { .. } => Some(DEVALUE_CONTENT_TYPE),
            SerializedActionResult::Error { .. } => Some("application/json"),
            SerializedActionResult::Empty => None,
        }
    }

    /// The body, when there is one.
    pub fn body(&self) -> Option<&str> {
        match self {
            SerializedActionResult::Data { body } | SerializedActionResult::Error { body, .. } => {
                Some(body)
            }
            SerializedActionResult::Empty => None,
        }
    }

    /// Reads the result back (Astro's `deserializeActionResult`): data through devalue into
    /// `T`, an empty result as `T` from `undefined` (`()` or `None`), an error as the
    /// [`ActionError`] its body describes (a body that is not JSON: `INTERNAL_SERVER_ERROR`
    /// with the body as message).
    #[doc(alias = "deserializeActionResult")]
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, ActionError> {
        match self {
            SerializedActionResult::Data { body } => {
                crate::devalue::from_str(body).map_err(|err| {
                    ActionError::internal(format!("the stored action result cannot be read: {err}"))
                })
            }
            SerializedActionResult::Empty => crate::devalue::from_str("-1").map_err(|err| {
                ActionError::internal(format!("the action returned no data: {err}"))
            }),
            SerializedActionResult::Error { body, .. } => {
                Err(ActionError::from_body(body.as_bytes()))
            }
        }
    }

    /// The response for this result, as the RPC endpoint sends it: 200 devalue, 204 with no
    /// body and no content type, or the error's status with its JSON.
    ///
    /// This is the one place a response is built from a result or an error: every error the
    /// layer answers with (an action's, a refused method, a failed gate) goes through
    /// [`SerializedActionResult::from_error`] and then here. A gate that refuses an action
    /// answers the same way:
    ///
    /// ```
    /// use tower_actions::{ActionError, ActionErrorCode, SerializedActionResult};
    ///
    /// let err = ActionError::new(ActionErrorCode::TooManyRequests, "slow down");
    /// let response = SerializedActionResult::from_error(&err, false).into_response();
    /// assert_eq!(response.status(), http::StatusCode::TOO_MANY_REQUESTS);
    /// assert_eq!(response.headers()["content-type"], "application/json");
    /// ```
    #[doc(alias = "to_response")]
    pub fn into_response(self) -> Response<Option<Bytes>> {
        let status = self.status();
        let content_type = self.content_type();
        let body = match self {
            SerializedActionResult::Data { body } | SerializedActionResult::Error { body, .. } => {
                Some(Bytes::from(body))
            }
            SerializedActionResult::Empty => None,
        };
        let mut response = Response::new(body);
        *response.status_mut() = status;
        if let Some(content_type) = content_type {
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        response
    }
}

impl Serialize for SerializedActionResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kind, len) = match self {
            SerializedActionResult::Data { .. } => ("data", 4),
            SerializedActionResult::Error { .. } => ("error", 4),
            SerializedActionResult::Empty => ("empty", 2),
        };
        let mut map = serializer.serialize_map(Some(len))?;
        map.serialize_entry("type", kind)?;
        map.serialize_entry("status", &self.status().as_u16())?;
        if let (Some(content_type), Some(body)) = (self.content_type(), self.body()) {
            map.serialize_entry("contentType", content_type)?;
            map.serialize_entry("body", body)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for SerializedActionResult {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw<'a> {
            // Borrowed where the text allows (no escapes): the kind is only compared.
            #[serde(rename = "type", borrow)]
            kind: std::borrow::Cow<'a, str>,
            status: Option<u16>,
            body: Option<String>,
        }
        let raw = Raw::deserialize(deserializer)?;
        match (&*raw.kind, raw.body) {
            ("data", Some(body)) => Ok(SerializedActionResult::Data { body }),
            ("error", Some(body)) => Ok(SerializedActionResult::Error {
                status: raw
                    .status
                    .unwrap_or(ActionErrorCode::InternalServerError.status().as_u16()),
                body,
            }),
            ("empty", _) => Ok(SerializedActionResult::Empty),
            (kind, _) => Err(serde::de::Error::custom(format_args!(
                "not a serialized action result (type `{kind}`)"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_astro_key_order() {
        let error = SerializedActionResult::from_error(
            &ActionError::from_code(ActionErrorCode::NotFound),
            false,
        );
        assert_eq!(
            serde_json::to_string(&error).unwrap(),
            r#"{"type":"error","status":404,"contentType":"application/json","body":"{\"type\":\"AstroActionError\",\"code\":\"NOT_FOUND\",\"status\":404,\"message\":\"\"}"}"#
        );
        assert_eq!(
            serde_json::to_string(&SerializedActionResult::Empty).unwrap(),
            r#"{"type":"empty","status":204}"#
        );
        let back: SerializedActionResult =
            serde_json::from_str(&serde_json::to_string(&error).unwrap()).unwrap();
        assert_eq!(back, error);
    }

    #[test]
    fn an_error_body_that_is_not_json_is_an_internal_error_with_the_body_as_message() {
        let stored = SerializedActionResult::Error {
            status: 500,
            body: "not valid json".into(),
        };
        let err = stored.deserialize::<()>().unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::InternalServerError);
        assert_eq!(err.message(), "not valid json");
    }
}
