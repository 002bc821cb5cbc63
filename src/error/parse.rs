//! Reading an error back from the body a client received, as Astro's client does.

use super::{ActionError, ActionErrorCode, Issue};

impl ActionError {
    /// Builds an error from an error JSON body as the client receives it (Astro's
    /// `ActionError.fromJson`): an input error from `issues`, an `ActionError` from `code`
    /// and `message`, anything else `INTERNAL_SERVER_ERROR` with an empty message.
    #[doc(alias = "fromJson")]
    pub fn from_json_value(value: &serde_json::Value) -> ActionError {
        let type_name = value.get("type").and_then(|t| t.as_str());
        if type_name == Some("AstroActionInputError") {
            if let Some(issues) = value.get("issues").filter(|i| i.is_array()) {
                let issues =
                    serde_json::from_value::<Vec<Issue>>(issues.clone()).unwrap_or_default();
                return ActionError::input(issues);
            }
        }
        if type_name == Some("AstroActionError") {
            let code = value
                .get("code")
                .and_then(|c| c.as_str())
                .and_then(ActionErrorCode::parse)
                .unwrap_or(ActionErrorCode::InternalServerError);
            let message = value.get("message").and_then(|m| m.as_str()).unwrap_or("");
            return ActionError::new(code, message.to_owned());
        }
        ActionError::from_code(ActionErrorCode::InternalServerError)
    }

    /// Builds an error from a response body as Astro's client does: JSON error bodies as in
    /// [`ActionError::from_json_value`], any other text `INTERNAL_SERVER_ERROR` with the text as
    /// its message.
    pub fn from_body(body: &[u8]) -> ActionError {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(value) => ActionError::from_json_value(&value),
            Err(_) => ActionError::new(
                ActionErrorCode::InternalServerError,
                String::from_utf8_lossy(body).into_owned(),
            ),
        }
    }
}
